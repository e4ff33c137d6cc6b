"""Tests for lessons.models.cooccurrence: counts against the article's loop, PMI against its
formula, the randomized SVD against LAPACK."""
import numpy as np
import pytest
import scipy.sparse as sp

from lessons.models import cooccurrence as co
from lessons.data.corpus import Vocabulary, article_corpus


def loop_counts(sentences, vocab, window):
    """The article's double loop (independent reference)."""
    V = len(vocab)
    out = np.zeros((V, V))
    for sentence in sentences:
        for i, word in enumerate(sentence):
            for j in range(max(0, i - window), min(len(sentence), i + window + 1)):
                if i != j and word in vocab and sentence[j] in vocab:
                    out[vocab[word], vocab[sentence[j]]] += 1
    return out


@pytest.mark.parametrize("window", [1, 2, 3, 7])
def test_counts_match_the_article_loop(window):
    corpus = article_corpus("cooccurrence")
    vocab = Vocabulary.from_corpus(corpus, order="alphabetical")
    counts = co.cooccurrence_matrix(co.encode_with_gaps(vocab, corpus), len(vocab), window=window)
    assert sp.issparse(counts)
    np.testing.assert_array_equal(counts.toarray(), loop_counts(corpus, vocab, window))


def test_article_matrix_values():
    corpus = article_corpus("cooccurrence")
    vocab = Vocabulary.from_corpus(corpus, order="alphabetical")
    X = co.cooccurrence_matrix(co.encode_with_gaps(vocab, corpus), len(vocab), window=2).toarray()
    assert vocab.words[0] == "and" and vocab.words[-1] == "woman"
    assert X[vocab["the"], vocab["and"]] == 4
    assert X[vocab["sat"], vocab["the"]] == 4
    assert X.sum() == 2 * (2 * (5 + 4) + 2 * (4 + 3))  # ordered pairs at distance 1 and 2
    # "the" takes part in more co-occurrences than any other word
    assert np.argmax(X.sum(axis=1)) == vocab["the"]


def test_unknown_words_are_gaps_not_removed():
    # with "b" unknown, "a" and "c" are still at distance 2, so window=1 must not pair them
    vocab = Vocabulary.from_corpus([["a", "c"]])
    ids = co.encode_with_gaps(vocab, [["a", "b", "c"]])
    np.testing.assert_array_equal(ids, [vocab["a"], -1, vocab["c"], -1])
    assert co.cooccurrence_matrix(ids, 2, window=1).nnz == 0
    # ... and a window of 2 pairs nothing either: a gap blocks a window that spans it
    assert co.cooccurrence_matrix(ids, 2, window=2).nnz == 0


def test_random_streams_match_loop_and_sentences_do_not_mix():
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(12)]
    sentences = [[words[j] for j in rng.integers(12, size=rng.integers(1, 9))] for _ in range(40)]
    vocab = Vocabulary.from_corpus(sentences, max_size=9)  # 3 words become unknown
    ids = co.encode_with_gaps(vocab, sentences)
    for window in (1, 4):
        counts = co.cooccurrence_matrix(ids, len(vocab), window=window).toarray()
        # reference: a pair counts only if no unknown word lies between (or at) its ends
        ref = np.zeros_like(counts)
        for s in sentences:
            for i, a in enumerate(s):
                for j in range(len(s)):
                    if i != j and abs(i - j) <= window and a in vocab and s[j] in vocab \
                            and all(x in vocab for x in s[min(i, j):max(i, j) + 1]):
                        ref[vocab[a], vocab[s[j]]] += 1
        np.testing.assert_array_equal(counts, ref)
        np.testing.assert_array_equal(counts, counts.T)


def test_bad_arguments():
    with pytest.raises(ValueError, match="window"):
        co.cooccurrence_matrix(np.array([0, 1]), 2, window=0)
    with pytest.raises(ValueError, match="ids must lie"):
        co.cooccurrence_matrix(np.array([0, 5]), 2, window=1)
    with pytest.raises(ValueError, match="ids must be a 1-D integer"):
        co.cooccurrence_matrix(np.array([0.0, 1.0]), 2, window=1)
    with pytest.raises(ValueError, match="shift"):
        co.ppmi(np.eye(2), shift=0.5)
    with pytest.raises(ValueError, match="square"):
        co.ppmi(np.ones((2, 3)))
    with pytest.raises(ValueError, match="weighting"):
        co.weight(np.eye(2), "tf-idf")
    with pytest.raises(ValueError, match="dim"):
        co.truncated_svd(np.eye(3), 4)


def reference_pmi(X, alpha=1.0):
    X = np.asarray(X, dtype=float)
    D = X.sum()
    out = np.full(X.shape, -np.inf)
    pc = X.sum(axis=0) ** alpha
    pc = pc / pc.sum()
    for w in range(X.shape[0]):
        for c in range(X.shape[1]):
            if X[w, c] > 0:
                out[w, c] = np.log((X[w, c] / D) / ((X[w].sum() / D) * pc[c]))
    return out


@pytest.mark.parametrize("alpha", [1.0, 0.75])
def test_pmi_and_ppmi_against_the_formula(alpha):
    rng = np.random.default_rng(0)
    X = rng.poisson(1.0, size=(7, 7)).astype(float)
    X = X + X.T
    ref = reference_pmi(X, alpha)
    np.testing.assert_allclose(co.pmi_matrix(X, context_smoothing=alpha), ref)
    np.testing.assert_allclose(co.ppmi(X, context_smoothing=alpha).toarray(), np.maximum(ref, 0))
    for k in (2, 5):
        shifted = co.ppmi(X, shift=k, context_smoothing=alpha)
        np.testing.assert_allclose(shifted.toarray(), np.maximum(ref - np.log(k), 0))
        assert np.all(shifted.data > 0)


def test_ppmi_removes_the_dominance_of_the():
    corpus = article_corpus("cooccurrence")
    vocab = Vocabulary.from_corpus(corpus, order="alphabetical")
    X = co.cooccurrence_matrix(co.encode_with_gaps(vocab, corpus), len(vocab), window=2)
    assert co.top_contexts(X, vocab.words, "cat", topn=1)[0][0] in ("on", "sat", "the")
    raw = X.toarray()
    weighted = co.ppmi(X).toarray()
    the = vocab["the"]
    # raw: "the" is (one of) the largest contexts of every other word; PPMI: of none
    assert np.sum(raw.max(axis=1) == raw[:, the]) == len(vocab) - 1
    assert np.sum(weighted.max(axis=1) == weighted[:, the]) == 0
    # its share of the matrix's mass drops from 5/16 to well under a fifth
    assert raw[:, the].sum() / raw.sum() == pytest.approx(20 / 64)
    assert weighted[:, the].sum() / weighted.sum() < 0.2


def test_top_contexts_sorted_with_ties_by_id():
    X = sp.csr_matrix(np.array([[0, 3, 1, 3], [3, 0, 0, 0], [1, 0, 0, 0], [3, 0, 0, 0]], float))
    top = co.top_contexts(X, ["a", "b", "c", "d"], "a", topn=3)
    assert top == [("b", 3.0), ("d", 3.0), ("c", 1.0)]


def test_dense_svd_path_signs_and_values():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((12, 9))
    u, s, vt = co.truncated_svd(A, 4)
    np.testing.assert_allclose(s, np.linalg.svd(A, compute_uv=False)[:4])
    np.testing.assert_allclose(u.T @ u, np.eye(4), atol=1e-12)
    for j in range(4):
        assert u[np.argmax(np.abs(u[:, j])), j] > 0
    # u s vt is the best rank-4 approximation: the reconstruction matches LAPACK's
    U, S, VT = np.linalg.svd(A)
    np.testing.assert_allclose(u * s @ vt, U[:, :4] * S[:4] @ VT[:4], atol=1e-10)
    # flipping the input's sign flips nothing in u's convention
    u2, _, vt2 = co.truncated_svd(-A, 4)
    np.testing.assert_allclose(u2, u, atol=1e-10)
    np.testing.assert_allclose(vt2, -vt, atol=1e-10)


def test_randomized_svd_matches_lapack():
    rng = np.random.default_rng(4)
    n, rank = 700, 15
    low = rng.standard_normal((n, rank)) * np.linspace(10, 3, rank) @ rng.standard_normal((rank, n))
    noise = sp.random(n, n, density=0.01, random_state=5).toarray()
    A = sp.csr_matrix(low / np.sqrt(n) + noise)
    u, s, vt = co.truncated_svd(A, 8, seed=0)
    U, S, VT = np.linalg.svd(A.toarray())
    np.testing.assert_allclose(s, S[:8], rtol=1e-6)
    for j in range(8):  # same vectors up to sign, and our sign rule holds
        assert abs(abs(u[:, j] @ U[:, j]) - 1) < 1e-6
        assert u[np.argmax(np.abs(u[:, j])), j] > 0
    np.testing.assert_allclose(u * s @ vt, U[:, :8] * S[:8] @ VT[:8], atol=1e-6)
    # another seed gives the same answer (the signs are fixed, not random)
    u2, s2, _ = co.truncated_svd(A, 8, seed=1)
    np.testing.assert_allclose(u2, u, atol=1e-6)


def test_svd_embeddings_group_cat_with_dog():
    corpus = article_corpus("cooccurrence")
    vocab = Vocabulary.from_corpus(corpus, order="alphabetical")
    X = co.cooccurrence_matrix(co.encode_with_gaps(vocab, corpus), len(vocab), window=2)
    emb = co.svd_embeddings(co.ppmi(X), vocab.words, 4)
    assert emb.vectors.shape == (len(vocab), 4)
    # cat and dog have identical rows, so identical vectors
    assert emb.most_similar("cat", topn=1)[0][0] == "dog"
    assert emb.similarity("cat", "dog") == pytest.approx(1.0, abs=1e-6)


def test_row_neighbours_against_dense_cosines():
    rng = np.random.default_rng(6)
    X = sp.csr_matrix(rng.poisson(0.5, size=(20, 20)).astype(float) + np.eye(20))
    words = [f"w{i}" for i in range(20)]
    dense = X.toarray()
    unit = dense / np.linalg.norm(dense, axis=1, keepdims=True)
    cos = unit @ unit[3]
    cos[3] = -np.inf
    got = co.row_neighbours(X, words, "w3", topn=4)
    assert [w for w, _ in got] == [words[j] for j in np.argsort(-cos, kind="stable")[:4]]
    np.testing.assert_allclose([c for _, c in got], np.sort(cos)[::-1][:4])
    with pytest.raises(ValueError, match="empty row"):
        co.row_neighbours(sp.csr_matrix((2, 2)), ["a", "b"], "a")


def test_truncated_svd_is_canonical_when_singular_values_tie():
    """Any rotation of a tied subspace is a valid SVD; ours must not depend on the LAPACK."""
    from lessons.models.cooccurrence import truncated_svd

    rng = np.random.default_rng(0)
    q1, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    q2, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    singular = np.array([3.0, 2.0, 2.0, 2.0, 0.5])
    matrix = q1[:, :5] @ np.diag(singular) @ q2.T  # (6, 5), a triple tie at 2
    u, s, vt = truncated_svd(matrix, 3)
    # Rotate the tied part of an exact SVD arbitrarily: the same matrix, another basis.
    rot, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    other_u = q1[:, :5].copy()
    other_u[:, 1:4] = other_u[:, 1:4] @ rot
    other_vt = q2.T.copy()
    other_vt[1:4] = rot.T @ other_vt[1:4]
    np.testing.assert_allclose(other_u @ np.diag(singular) @ other_vt, matrix, atol=1e-12)
    from lessons.models.cooccurrence import _canonical_ties
    from lessons.vectors.linalg import fix_signs

    u2, s2, vt2 = _canonical_ties(other_u, singular, other_vt, 3)
    u2, vt2 = fix_signs(u2, vt2)
    np.testing.assert_allclose(u2, u, atol=1e-10)
    np.testing.assert_allclose(vt2, vt, atol=1e-10)
    np.testing.assert_allclose(s, [3.0, 2.0, 2.0])
    # Still a valid truncated SVD: orthonormal columns and the right reconstruction.
    np.testing.assert_allclose(u.T @ u, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(u.T @ matrix, np.diag(s) @ vt, atol=1e-12)
