"""Tests for lessons.book.chapters.explorer: PCA against an eigendecomposition, accuracy against a loop of
Embeddings.analogy, histogram counts, snapshots against the trainer itself."""
import numpy as np
import pytest

from lessons.book.chapters import explorer
from lessons.data.corpus import article_corpus
from lessons.vectors.embeddings import Embeddings
from lessons.data.toylang import planted_analogies


def test_pca_2d_matches_covariance_eigenvectors():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 6)) @ np.diag([5, 3, 1, 0.5, 0.2, 0.1])
    points = explorer.pca_2d(X)
    centred = X - X.mean(axis=0)
    values, vectors = np.linalg.eigh(centred.T @ centred)
    top = vectors[:, ::-1][:, :2]                      # (d, 2) largest eigenvalues first
    for k in range(2):                                 # same axes up to sign...
        expected = centred @ top[:, k]
        sign = np.sign(expected @ points[:, k])
        np.testing.assert_allclose(points[:, k], sign * expected, atol=1e-10)
        # ...and the sign convention: the largest-magnitude loading is positive
        axis = top[:, k] * sign
        assert axis[np.abs(axis).argmax()] > 0


def test_pca_2d_is_invariant_to_the_sign_of_the_input_axes():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(10, 4)) * [4, 2, 1, 0.5]
    np.testing.assert_allclose(explorer.pca_2d(X), explorer.pca_2d(X + 7.0), atol=1e-10)
    flipped = explorer.pca_2d(-X)
    np.testing.assert_allclose(np.abs(flipped), np.abs(explorer.pca_2d(X)), atol=1e-10)
    np.testing.assert_allclose(explorer.pca_2d(np.ones((3, 1))), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="vectors"):
        explorer.pca_2d(np.zeros(3))


def test_planted_accuracy_matches_analogy_loop():
    emb = explorer.retrain(epochs=8)
    quads = planted_analogies()
    loop = np.mean([emb.analogy(a, b, c)[0][0] == d for a, b, c, d in quads])
    assert explorer.planted_accuracy(emb) == pytest.approx(loop)
    assert 0 < loop < 1   # a setting where the test can tell right from wrong answers


def test_planted_accuracy_on_perfect_vectors():
    words = ["man", "woman", "king", "queen", "x"]
    vectors = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [-1, -1, -1]], dtype=float)
    emb = Embeddings(words, vectors)
    quads = [("man", "woman", "king", "queen"), ("woman", "man", "queen", "king")]
    assert explorer.planted_accuracy(emb, quads) == 1.0
    assert explorer.planted_accuracy(emb, [("man", "woman", "king", "x")]) == 0.0
    with pytest.raises(ValueError, match="analogies"):
        explorer.planted_accuracy(emb, [])


def test_cosine_histogram_counts_every_pair_once():
    emb = Embeddings(["a", "b", "c"], np.array([[1.0, 0], [0, 1.0], [-1.0, 0]]))
    counts, edges = explorer.cosine_histogram(emb, bins=4)   # bins of width 0.5 on [-1, 1]
    np.testing.assert_array_equal(edges, [-1, -0.5, 0, 0.5, 1])
    np.testing.assert_array_equal(counts, [1, 0, 2, 0])      # a·c = -1; a·b = b·c = 0


def test_retrain_is_deterministic_and_checks_names():
    a, b = explorer.retrain(dim=8, epochs=2), explorer.retrain(dim=8, epochs=2)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    assert a.dim == 8
    with pytest.raises(ValueError, match="unknown parameter"):
        explorer.retrain(dimension=8)


def test_more_training_learns_the_planted_analogies():
    assert explorer.planted_accuracy(explorer.retrain(epochs=20)) > 0.9
    assert explorer.planted_accuracy(explorer.retrain(epochs=1)) < 0.1


def test_sweep_figure_has_one_frame_per_value():
    fig = explorer.sweep_figure("negative", [2, 5])
    assert len(fig.data) == 2 * 3
    assert len(fig.layout.sliders[0].steps) == 2
    assert fig.layout.sliders[0].active == 1          # the default k = 5
    with pytest.raises(ValueError, match="parameter"):
        explorer.sweep_figure("alpha")


def test_explorer_panel_builds(monkeypatch):
    import matplotlib
    matplotlib.use("Agg")
    box = explorer.explorer()
    assert "live panel" in repr(box)


def test_snapshots_are_the_trainers_vectors():
    from lessons.data.corpus import Vocabulary
    from lessons.models.word2vec import initial_vectors, train

    corpus = article_corpus("training")
    kwargs = dict(dim=6, window=2, negative=3, subsample=0, epochs=5, min_count=1, seed=3)
    emb, snaps = explorer.train_with_snapshots(corpus, keep=[0, 2, 5], **kwargs)
    assert sorted(snaps) == [0, 2, 5]
    np.testing.assert_array_equal(snaps[5].vectors, emb.vectors)
    np.testing.assert_array_equal(snaps[5].vectors, train(corpus, **kwargs).vectors)
    vocab = Vocabulary.from_corpus(corpus)
    np.testing.assert_array_equal(snaps[0].vectors, initial_vectors(len(vocab), 6, 3)[0])
    # epoch 2 of a 5-epoch run is not the end of a 2-epoch run (the learning rate decays
    # over all planned epochs), but it is an intermediate state
    assert not np.array_equal(snaps[2].vectors, snaps[5].vectors)
    traces = explorer.similarity_traces(snaps, [("cat", "dog")])
    assert list(traces) == ["sim(cat, dog)"]
    assert traces["sim(cat, dog)"][-1] == pytest.approx(emb.similarity("cat", "dog"))
    with pytest.raises(ValueError, match="on_epoch_end"):
        explorer.train_with_snapshots(corpus, on_epoch_end=print, **kwargs)


def test_epoch_maps_figure_frames():
    corpus = article_corpus("training")
    _, snaps = explorer.train_with_snapshots(corpus, dim=6, window=2, epochs=3, min_count=1)
    fig = explorer.epoch_maps_figure(snaps, ["cat", "dog", "king", "queen"])
    assert len(fig.layout.sliders[0].steps) == 4    # epochs 0..3


def test_similarity_explorer_panel_builds():
    import matplotlib
    matplotlib.use("Agg")
    box = explorer.similarity_explorer(article_corpus("training"), [("cat", "dog")], dim=5,
                                       epochs=3, window=2, min_count=1)
    assert "live panel" in repr(box)


def test_neighbours_figure_and_query_panel():
    emb = explorer.retrain(epochs=20)
    fig = explorer.neighbours_figure(emb, ["king", "paris"], topn=3)
    assert len(fig.data) == 2 and len(fig.layout.sliders[0].steps) == 2
    best = emb.most_similar("king", topn=3)
    assert list(fig.data[0].y) == [w for w, _ in best][::-1]
    box = explorer.query_panel(emb, word="king", a="man", b="king", c="woman", restrict_vocab=None)
    text = box.children[-1].outputs[0]["text"]
    assert "neighbours of king" in text and "queen" in text
    box = explorer.query_panel(emb, word="zzz", restrict_vocab=None)
    assert "not in the vocabulary" in box.children[-1].outputs[0]["text"]
