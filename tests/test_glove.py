"""Tests for lessons.models.glove: counts against a brute-force loop, gradients against finite
differences, the numba AdaGrad epoch against its plain-Python reference, and training that
actually fits."""
import numpy as np
import pytest
import scipy.sparse as sp

from lessons.models import glove
from lessons.models.skipgram import numerical_gradient
from lessons.data.corpus import Vocabulary
from lessons.data.toylang import planted_analogies, toy_sentences
from lessons.vectors.analogy import accuracy


def brute_force_counts(sentences, vocab, window, distance_weighting):
    X = np.zeros((len(vocab), len(vocab)))
    for s in sentences:
        ids = [vocab.index[w] for w in s if w in vocab.index]
        for i in range(len(ids)):
            for j in range(len(ids)):
                if i != j and abs(i - j) <= window:
                    X[ids[i], ids[j]] += 1.0 / abs(i - j) if distance_weighting else 1.0
    return X


@pytest.mark.parametrize("window", [1, 2, 5])
@pytest.mark.parametrize("distance_weighting", [True, False])
def test_cooccurrence_counts_match_brute_force(window, distance_weighting):
    sentences = [["a", "b", "c", "a", "d"], ["b", "b", "a"], ["c"], ["d", "rare", "a"]]
    vocab = Vocabulary.from_corpus(sentences, min_count=2)  # drops "rare"
    X = glove.cooccurrence_counts(sentences, vocab, window=window,
                                  distance_weighting=distance_weighting)
    np.testing.assert_allclose(X, brute_force_counts(sentences, vocab, window, distance_weighting))
    np.testing.assert_array_equal(X, X.T)


def test_cooccurrence_window_must_be_positive():
    vocab = Vocabulary.from_corpus([["a", "b"]])
    with pytest.raises(ValueError, match="window"):
        glove.cooccurrence_counts([["a", "b"]], vocab, window=0)


def test_weighting_function():
    f = glove.weighting(np.array([0.0, 1.0, 50.0, 100.0, 1e4]), x_max=100, alpha=0.75)
    np.testing.assert_allclose(f, [0.0, 0.01 ** 0.75, 0.5 ** 0.75, 1.0, 1.0])
    with pytest.raises(ValueError, match="x_max"):
        glove.weighting(1.0, x_max=0)


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    V, d = 5, 3
    params = [rng.normal(size=(V, d)), rng.normal(size=(V, d)), rng.normal(size=V),
              rng.normal(size=V)]
    X = rng.integers(0, 4, size=(V, V)).astype(float)
    rows, cols = np.nonzero(X)
    log_x, weights = np.log(X[rows, cols]), glove.weighting(X[rows, cols], x_max=3)

    def loss_of(ps):
        return glove.glove_loss_and_gradients(*ps, rows, cols, log_x, weights)[0]

    # the loss is the sum written out cell by cell
    W, Wc, b, bc = params
    direct = sum(weights[m] * (W[i] @ Wc[j] + b[i] + bc[j] - log_x[m]) ** 2
                 for m, (i, j) in enumerate(zip(rows, cols)))
    assert loss_of(params) == pytest.approx(direct, rel=1e-12)
    _, grads = glove.glove_loss_and_gradients(*params, rows, cols, log_x, weights)
    for i, (p, g) in enumerate(zip(params, grads)):
        def loss_of_one(q, i=i):   # the loss as a function of parameter i alone
            return loss_of([q if j == i else r for j, r in enumerate(params)])
        numeric = numerical_gradient(loss_of_one, p, eps=1e-6)
        np.testing.assert_allclose(g, numeric, rtol=1e-5, atol=1e-7)


def test_training_fits_and_learns_planted_structure():
    sentences = toy_sentences(3000, seed=0)
    vocab = Vocabulary.from_corpus(sentences)
    X = glove.cooccurrence_counts(sentences, vocab, window=5)
    emb = glove.train_glove(X, vocab.words, dim=10, epochs=300, learning_rate=0.2, x_max=10, seed=0)
    loss = emb.history.loss
    assert len(loss) == 300 and loss[-1] < 0.01 * loss[0]
    assert emb.vectors.shape == (len(vocab), 10) and emb.vectors.dtype == np.float32
    # words that share every cue but one are closer than words of different families
    assert emb.similarity("king", "queen") > emb.similarity("king", "cats") + 0.3
    assert accuracy(emb, planted_analogies()) > 0.2  # chance is about 1 in 100
    # deterministic given the seed
    again = glove.train_glove(X, vocab.words, dim=10, epochs=300, learning_rate=0.2, x_max=10,
                              seed=0)
    np.testing.assert_array_equal(emb.vectors, again.vectors)


@pytest.mark.parametrize("kwargs, match", [
    (dict(counts=np.ones((2, 3))), "square"),
    (dict(counts=-np.ones((2, 2))), ">= 0"),
    (dict(counts=np.zeros((2, 2))), "nonzero"),
    (dict(counts=np.ones((2, 2)), dim=0), "dim"),
    (dict(counts=np.ones((2, 2)), epochs=0), "epochs"),
    (dict(counts=np.ones((2, 2)), learning_rate=0), "learning_rate"),
])
def test_bad_arguments(kwargs, match):
    counts = kwargs.pop("counts")
    words = [f"w{i}" for i in range(counts.shape[0])]
    with pytest.raises(ValueError, match=match):
        glove.train_glove(counts, words, **kwargs)


def test_words_must_match_counts():
    with pytest.raises(ValueError, match="words"):
        glove.train_glove(np.ones((3, 3)), ["a", "b"])


# --------------------------------------------------------------------------- the real trainer

@pytest.mark.parametrize("window", [1, 2, 5])
@pytest.mark.parametrize("distance_weighting", [True, False])
def test_sparse_counts_equal_the_dense_ones(window, distance_weighting):
    sentences = [["a", "b", "c", "a", "d", "rare", "b"], ["b", "b", "a"], ["c"],
                 ["d", "rare", "a", "c"]]
    vocab = Vocabulary.from_corpus(sentences, min_count=2)  # drops "rare": windows close over it
    X = glove.cooccurrence_sparse(sentences, vocab, window=window,
                                  distance_weighting=distance_weighting)
    assert sp.issparse(X) and X.shape == (len(vocab), len(vocab))
    np.testing.assert_allclose(X.toarray(), brute_force_counts(sentences, vocab, window,
                                                               distance_weighting))
    # one token stream: no sentence ends, so windows run across what were sentences
    stream = [w for s in sentences for w in s]
    np.testing.assert_allclose(glove.cooccurrence_sparse(stream, vocab, window=window).toarray(),
                               brute_force_counts([stream], vocab, window, True))
    with pytest.raises(ValueError, match="window"):
        glove.cooccurrence_sparse(sentences, vocab, window=0)


def small_problem(V=7, d=11, seed=3):
    """A random problem with d not a multiple of 8 (the dot product's tail) and a diagonal."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 5, size=(V, V)).astype(float)
    X = X + X.T
    X[0, 0] = 3.0
    rows, cols = np.nonzero(X)
    params = [((rng.random(shape) - 0.5) / d).astype(np.float32)
              for shape in ((V, d), (V, d), V, V)]
    sums = [np.ones_like(p) for p in params]
    x = X[rows, cols]
    return (params, sums, rows.astype(np.int64), cols.astype(np.int64), np.log(x),
            glove.weighting(x, x_max=4.0), rng.permutation(len(rows)).astype(np.int64))


def test_numba_epoch_matches_the_plain_python_reference():
    params, sums, rows, cols, log_x, weights, order = small_problem()
    ref_params, ref_sums = [p.copy() for p in params], [s.copy() for s in sums]
    for _ in range(3):
        cost = glove._glove_epoch(*params, *sums, rows, cols, log_x, weights, order, 0.3)
        ref_cost = glove.glove_epoch_reference(ref_params, ref_sums, rows, cols, log_x, weights,
                                               order, 0.3)
        assert cost == pytest.approx(ref_cost, rel=1e-5)
        # only the dot product's summation order differs (float32 rounding)
        for a, b in zip(params + sums, ref_params + ref_sums):
            np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-7)
    assert params[0].dtype == np.float32 and not np.allclose(params[0], small_problem()[0][0])


def test_reference_step_is_adagrad_on_half_the_weighted_squared_error():
    # One cell by hand: the update uses the old values of both vectors, and the sums
    # grow by the squared scaled gradient after the step.
    W, Wc = np.array([[1.0, 2.0]], np.float32), np.array([[0.5, -1.0]], np.float32)
    b, bc = np.array([0.25], np.float32), np.array([-0.5], np.float32)
    sums = [np.full((1, 2), 4.0, np.float32), np.ones((1, 2), np.float32),
            np.ones(1, np.float32), np.full(1, 9.0, np.float32)]
    log_x, f, eta = np.array([np.log(2.0)]), np.array([0.5]), 0.1
    cost = glove.glove_epoch_reference([W, Wc, b, bc], sums, np.array([0]), np.array([0]), log_x, f,
                                       np.array([0]), eta)
    diff = (0.5 - 2.0) + 0.25 - 0.5 - np.log(2.0)
    step = eta * 0.5 * diff
    assert cost == pytest.approx(0.5 * diff ** 2)
    np.testing.assert_allclose(W, [[1.0 - step * 0.5 / 2, 2.0 + step * 1.0 / 2]], rtol=1e-6)
    np.testing.assert_allclose(Wc, [[0.5 - step * 1.0, -1.0 - step * 2.0]], rtol=1e-6)
    np.testing.assert_allclose([b[0], bc[0]], [0.25 - step, -0.5 - step / 3], rtol=1e-6)
    np.testing.assert_allclose(sums[0], [[4 + (step * 0.5) ** 2, 4 + step ** 2]], rtol=1e-6)
    np.testing.assert_allclose(sums[3], [9 + step ** 2], rtol=1e-6)


def test_visiting_orders():
    rng = np.random.default_rng(0)
    rows = rng.integers(0, 6, size=50)
    for order in glove.ORDERS:
        visits = glove.visiting_order(rows, 6, order, np.random.default_rng(1))
        assert sorted(visits) == list(range(50))
    grouped = rows[glove.visiting_order(rows, 6, "by word", np.random.default_rng(1))]
    # each word's cells are visited together: the word changes at most V - 1 times
    assert np.count_nonzero(np.diff(grouped)) == len(set(rows)) - 1
    shuffled = rows[glove.visiting_order(rows, 6, "shuffled", np.random.default_rng(1))]
    assert np.count_nonzero(np.diff(shuffled)) > 20
    with pytest.raises(ValueError, match="order"):
        glove.visiting_order(rows, 6, "sorted", rng)


@pytest.mark.parametrize("order", glove.ORDERS)
def test_sparse_training_fits_and_learns_planted_structure(order):
    # One cell at a time fits the counts of a small corpus almost exactly (noise included),
    # so the planted analogies need a larger one than the full-batch test above.
    sentences = toy_sentences(20000, seed=0)
    vocab = Vocabulary.from_corpus(sentences)
    X = glove.cooccurrence_sparse(sentences, vocab, window=5)
    kwargs = dict(dim=20, epochs=20, learning_rate=0.05, x_max=10, order=order, seed=0)
    emb = glove.train_glove_sparse(X, vocab.words, **kwargs)
    loss = emb.history.loss
    assert len(loss) == 20 and loss[-1] < 0.01 * loss[0]
    assert emb.vectors.shape == (len(vocab), 20) and emb.vectors.dtype == np.float32
    assert emb.similarity("king", "queen") > emb.similarity("king", "cats") + 0.3
    assert accuracy(emb, planted_analogies()) > 0.5  # chance is about 1 in 100
    # deterministic given the seed, and a dense matrix gives the same as a sparse one
    again = glove.train_glove_sparse(X.toarray(), vocab.words, **kwargs)
    np.testing.assert_array_equal(emb.vectors, again.vectors)
    other = glove.train_glove_sparse(X, vocab.words, **{**kwargs, "seed": 1})
    assert not np.array_equal(emb.vectors, other.vectors)


@pytest.mark.parametrize("kwargs, match", [
    (dict(counts=np.ones((2, 3))), "square"),
    (dict(counts=-np.ones((2, 2))), ">= 0"),
    (dict(counts=np.full((2, 2), np.nan)), "finite"),
    (dict(counts=np.zeros((2, 2))), "nonzero"),
    (dict(counts=np.ones((2, 2)), dim=0), "dim"),
    (dict(counts=np.ones((2, 2)), epochs=1.5), "epochs"),
    (dict(counts=np.ones((2, 2)), learning_rate=float("nan")), "learning_rate"),
    (dict(counts=np.ones((2, 2)), alpha=-1), "alpha"),
    (dict(counts=np.ones((2, 2)), x_max=0), "x_max"),
    (dict(counts=np.ones((2, 2)), order="sorted"), "order"),
])
def test_sparse_bad_arguments(kwargs, match):
    counts = kwargs.pop("counts")
    words = [f"w{i}" for i in range(counts.shape[0])]
    with pytest.raises(ValueError, match=match):
        glove.train_glove_sparse(counts, words, **kwargs)
    with pytest.raises(ValueError, match="words"):
        glove.train_glove_sparse(np.ones((3, 3)), ["a", "b"])


def test_seeds_and_generators_are_both_accepted_and_sparse_counts_train_the_small_trainer():
    rows = np.array([0, 1, 1, 2, 0, 2, 1])
    for order in glove.ORDERS:  # a seed is the Generator it seeds
        seeded = glove.visiting_order(rows, 3, order, np.random.default_rng(4))
        np.testing.assert_array_equal(glove.visiting_order(rows, 3, order, 4), seeded)
    counts = np.array([[0.0, 2.0, 1.0], [2.0, 0.0, 3.0], [1.0, 3.0, 4.0]])
    dense = glove.train_glove(counts, ["a", "b", "c"], dim=3, epochs=5, seed=2)
    sparse = glove.train_glove(sp.csr_matrix(counts), ["a", "b", "c"], dim=3, epochs=5,
                               seed=np.random.default_rng(2))
    np.testing.assert_array_equal(dense.vectors, sparse.vectors)
    with pytest.raises(ValueError, match="words"):
        glove.train_glove(counts, "abc")  # a bare str is not a list of words
    with pytest.raises(ValueError, match="alpha"):
        glove.train_glove(counts, ["a", "b", "c"], alpha=-0.5)
