"""Tests for lessons.book.chapters.superposition: the slider over trained toy models and the
live panel that trains one for the chosen sparsity and number of features."""
import numpy as np

from lessons.book.chapters import superposition as chapter
from lessons.geometry.superposition import train_toy_model
from tests.book.panels import png, printed


def test_superposition_figure_shows_each_models_gram_matrix_and_norms():
    models = [train_toy_model(6, 2, sparsity=s, steps=150, batch=128, seed=0) for s in (0.0, 0.9)]
    fig = chapter.superposition_figure(models, ["0.0", "0.9"])
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == ["0.0", "0.9"]
    assert len(fig.data) == 4 and [t.visible for t in fig.data] == [True, True, False, False]
    for k, model in enumerate(models):
        heat, bars = fig.data[2 * k], fig.data[2 * k + 1]
        np.testing.assert_allclose(np.asarray(heat.z), np.round(model.W.T @ model.W, 2))
        np.testing.assert_allclose(bars.y, np.round(np.linalg.norm(model.W, axis=0), 3))
        represented = int((np.linalg.norm(model.W, axis=0) > 0.5).sum())
        assert steps[k].args[1]["title.text"] == (
            f"{['0.0', '0.9'][k]}: {represented} of 6 features represented in 2 dimensions")


def panel_text(sparsity, n_features, n_hidden=3, steps=120, seed=0):
    model = train_toy_model(n_features, n_hidden, sparsity=sparsity, steps=steps, batch=512,
                            seed=seed)
    norms = np.linalg.norm(model.W, axis=0)
    return (f"S = {sparsity:.3f}: {int((norms > 0.5).sum())} of {n_features} features "
            f"represented in {n_hidden} dimensions; "
            f"dimensions per feature {n_hidden / (model.W ** 2).sum():.2f}; "
            f"final loss {model.losses[-100:].mean():.4f}\n"), model


def test_superposition_panel_retrains_for_the_new_sparsity_and_features(drawn_figures):
    box = chapter.superposition_panel(n_hidden=3, steps=120, seed=0)
    assert repr(box) == "<live panel: Toy model of superposition>"
    assert printed(box) == panel_text(0.9, 20)[0]
    first = png(box)

    box.controls["n_features"].value = 8
    text, model = panel_text(0.9, 8)
    assert printed(box) == text and png(box) != first
    left, right = drawn_figures[-1].axes[:2]
    np.testing.assert_allclose(left.images[0].get_array(), model.W.T @ model.W)   # (8, 8)
    assert [p.get_height() for p in right.patches] == list(np.linalg.norm(model.W, axis=0))

    box.controls["sparsity"].value = 0.0
    text, model = panel_text(0.0, 8)
    assert printed(box) == text
    np.testing.assert_allclose(drawn_figures[-1].axes[0].images[0].get_array(), model.W.T @ model.W)


def test_merge_senses_respells_the_given_shares_and_counts_them():
    corpus = [["king", "cat", "the"]] * 200
    merged, word, (from_a, from_b) = chapter.merge_senses(corpus, "king", "cat", 1.0, 0.0)
    assert word == "king|cat" and (from_a, from_b) == (200, 0)
    assert merged[0] == ["king|cat", "cat", "the"] and corpus[0] == ["king", "cat", "the"]
    merged, _, (from_a, from_b) = chapter.merge_senses(corpus, "king", "cat", 0.5, 0.25, seed=1)
    assert 70 < from_a < 130 and 25 < from_b < 75
    flat = [t for s in merged for t in s]
    assert flat.count("king|cat") == from_a + from_b and flat.count("king") == 200 - from_a


def test_sense_fit_recovers_the_weights_of_a_sum_and_rejects_other_words():
    from lessons.vectors.embeddings import Embeddings

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((6, 20))
    vectors -= vectors.mean(axis=0)
    vectors[5] = 0.7 * vectors[0] + 0.2 * vectors[1]       # the mean moves: sense_fit centres
    emb = Embeddings(["a", "b", "c", "d", "e", "a|b"], vectors + 3.0)
    weights, fit = chapter.sense_fit(emb, "a|b", ["a", "b"])
    centred = emb.vectors - emb.vectors.mean(axis=0)
    expected, *_ = np.linalg.lstsq(centred[:2].T, centred[5], rcond=None)
    np.testing.assert_allclose(weights, expected)
    assert fit > 0.99
    assert chapter.sense_fit(emb, "a|b", ["c", "d"])[1] < 0.8
