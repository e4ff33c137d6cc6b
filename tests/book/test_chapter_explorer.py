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
    assert abs((centres * m["counts"]).sum() / m["counts"].sum()) < 0.1    # centred on 0
    assert m["raw_mean"] > 0.3                                               # the common direction


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
