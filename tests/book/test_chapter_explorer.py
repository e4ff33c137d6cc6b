"""lessons.book.chapters.explorer: toy retraining, the sweep sliders and the live panel."""
import re

import matplotlib
import numpy as np
import pytest

from lessons.book.chapters import explorer
from lessons.data.toylang import planted_analogies
from lessons.vectors.analogy import accuracy
from lessons.vectors.embeddings import Embeddings

matplotlib.use("Agg")


def test_cosine_histogram_counts_every_pair_once():
    emb = Embeddings(["a", "b", "c"], np.array([[1.0, 0], [0, 1.0], [-1.0, 0]]))
    counts, edges = explorer.cosine_histogram(emb, bins=4)   # bins of width 0.5 on [-1, 1]
    np.testing.assert_array_equal(edges, [-1, -0.5, 0, 0.5, 1])
    np.testing.assert_array_equal(counts, [1, 0, 2, 0])      # a·c = -1; a·b = b·c = 0


def test_removing_the_common_direction_centres_the_cosines():
    """Vectors that share one direction have cosines near 1; minus the mean they spread around 0."""
    rng = np.random.default_rng(0)
    shared = rng.standard_normal((200, 10)) * 0.2 + 5.0          # every row ≈ (5, 5, ..., 5)
    emb = Embeddings([f"w{i}" for i in range(200)], shared)
    raw, edges = explorer.cosine_histogram(emb, bins=20)
    centred, _ = explorer.cosine_histogram(emb, bins=20, remove_common_direction=True)
    centres = (edges[:-1] + edges[1:]) / 2
    assert raw[centres > 0.9].sum() == raw.sum()                  # all pairs near 1 as trained
    assert abs((centres * centred).sum() / centred.sum()) < 0.05  # centred: mean near 0
    assert raw.sum() == centred.sum() == 200 * 199 // 2


def test_the_default_setting_learns_the_planted_language_with_spread_cosines():
    m = explorer._measure(explorer.retrain())
    assert m["accuracy"] > 0.9
    centres = (m["edges"][:-1] + m["edges"][1:]) / 2
    assert m["counts"][centres > 0.95].sum() < 0.1 * m["counts"].sum()      # not one lump near 1
    assert abs((centres * m["counts"]).sum() / m["counts"].sum()) < 0.1    # mean near 0
    assert m["raw_mean"] > 0.3                                               # the common direction


def test_word_families_put_cue_words_with_their_topic_words():
    assert explorer.word_families(["queen", "crown", "she", "paris", "nile", "cats", "moo",
                                   "swam", "yesterday", "the"]) == [
        "people", "people", "people", "places", "places", "nouns", "nouns", "verbs", "verbs",
        "filler"]


def test_cosine_modes_of_four_bundles():
    """Four tight bundles on the corners of a tetrahedron: cosine 1 within, -1/3 between."""
    corners = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=np.float64)
    words = ["man", "woman", "france", "paris", "cat", "dog", "walk", "ran"]
    emb = Embeddings(words, np.repeat(corners, 2, axis=0) + 10.0)   # plus a common direction
    modes = explorer.cosine_modes(emb)
    assert modes["same_family"] == modes["above"] == pytest.approx(4 / 28)
    assert modes["same_family_above"] == 1 and modes["other_family_below"] == 1
    assert modes["below"] == pytest.approx(24 / 28) and modes["between"] == 0
    assert modes["below_mean"] == pytest.approx(-1 / 3) and modes["above_mean"] == pytest.approx(1)


def test_relation_arrows_measure_parallel_and_crooked_offsets():
    emb = explorer.retrain()
    words = list(emb.words)
    vectors = np.random.default_rng(0).standard_normal((len(words), 6))
    shift = np.array([3.0, 0, 0, 0, 0, 0])
    for a, b in explorer.planted_relations()["gender"]:              # every b = a + shift
        vectors[words.index(b)] = vectors[words.index(a)] + shift
    arrows = explorer.relation_arrows(Embeddings(words, vectors))
    assert arrows["widest"] < 1e-4
    np.testing.assert_allclose(arrows["cosines"], 1)
    np.testing.assert_allclose(arrows["lengths"], arrows["lengths"][0])
    crooked = explorer.relation_arrows(emb)                           # the default: 5 epochs
    assert crooked["widest"] > 30 and crooked["cosines"].min() < 0.5
    assert len(crooked["directions"]) == len(crooked["lengths"]) == 4


def test_axes_for_variance_counts_the_directions_in_use():
    rng = np.random.default_rng(0)
    flat = rng.standard_normal((200, 3)) * [10.0, 5.0, 1.0] @ rng.standard_normal((3, 50))
    emb = Embeddings([f"w{i}" for i in range(200)], flat)
    axes, top10 = explorer.axes_for_variance(emb, 0.9)
    assert axes == 2 and top10 == pytest.approx(1)                    # 100 + 25 of 126
    assert explorer.axes_for_variance(emb, 0.995)[0] == 3


def test_analogy_room_is_zero_error_for_exact_parallelograms():
    points = {"a": [0.0, 0], "b": [1.0, 0], "c": [0.0, 2], "d": [1.0, 2]}
    emb = Embeddings(list(points), np.array(list(points.values())))
    assert explorer.analogy_room(emb, [("a", "b", "c", "d")]) == (0.0, 1.0)
    error, gap = explorer.analogy_room(emb, [("a", "b", "d", "c")])
    assert error == pytest.approx(2.0) and gap == 1.0                  # b - a + d - c = (2, 0)


def test_retrain_is_deterministic_uses_the_seed_and_checks_names():
    a, b = explorer.retrain(dim=8, epochs=2), explorer.retrain(dim=8, epochs=2)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    c = explorer.retrain(dim=8, epochs=2, seed=1)
    assert a.words == c.words and not np.array_equal(a.vectors, c.vectors)  # the seed matters
    assert a.dim == 8
    with pytest.raises(ValueError, match="unknown parameter"):
        explorer.retrain(dimension=8)


def test_more_training_learns_the_planted_analogies():
    assert accuracy(explorer.retrain(epochs=20), planted_analogies()) > 0.9
    assert accuracy(explorer.retrain(epochs=1), planted_analogies()) < 0.1


def test_sweep_figure_has_one_frame_per_value():
    fig = explorer.sweep_figure("negative", [2, 5])
    assert len(fig.data) == 2 * 4                     # arrows, words, histogram, raw histogram
    assert len(fig.layout.sliders[0].steps) == 2
    assert fig.layout.sliders[0].active == 1          # the default k = 5
    assert "planted analogies right" in fig.layout.sliders[0].steps[0].args[1]["title.text"]
    with pytest.raises(ValueError, match="parameter"):
        explorer.sweep_figure("alpha")


def test_parameter_panel_retrains_with_the_moved_control(monkeypatch):
    drawn = []
    original = explorer._draw

    def spy(emb):
        drawn.append(emb)
        original(emb)

    monkeypatch.setattr(explorer, "_draw", spy)
    box = explorer.parameter_panel()
    assert len(drawn) == 1 and drawn[0].dim == explorer.DEFAULTS["dim"]
    first_png = box.output.outputs[0]["data"]["image/png"]
    box.controls["epochs"].value = 1
    assert len(drawn) == 2
    np.testing.assert_array_equal(drawn[1].vectors, explorer.retrain(epochs=1).vectors)
    assert box.output.outputs[0]["data"]["image/png"] != first_png
    # The caption under the picture times the whole redraw, PNG included.
    assert re.fullmatch(r"retrained and redrawn in \d+\.\d\d s\n", box.output.outputs[-1]["text"])
    box.controls["dim"].value = 7
    assert drawn[2].dim == 7


def test_the_panel_reports_a_diverged_setting_instead_of_failing():
    box = explorer.parameter_panel()
    box.controls["learning_rate"].value = 0.5
    box.controls["dim"].value = 100
    box.controls["epochs"].value = 40
    text = "".join(o.get("text", "") for o in box.output.outputs)
    assert "training diverged at these settings" in text
