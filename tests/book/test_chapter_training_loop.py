"""lessons.book.chapters.training_loop: the epoch maps and the similarity panel."""
import matplotlib
import numpy as np
import pytest

from lessons.book.chapters import training_loop
from lessons.data.corpus import article_corpus
from lessons.models.word2vec import train
from lessons.models.word2vec.snapshots import train_with_snapshots

matplotlib.use("Agg")


def test_epoch_maps_figure_frames():
    corpus = article_corpus("training")
    _, snaps = train_with_snapshots(corpus, dim=6, window=2, epochs=3, min_count=1)
    fig = training_loop.epoch_maps_figure(snaps, ["cat", "dog", "king", "queen"])
    assert len(fig.layout.sliders[0].steps) == 4    # epochs 0..3
    assert fig.layout.sliders[0].steps[0].label == "0"


def test_similarity_panel_prints_the_retrained_similarity():
    corpus = article_corpus("training")
    fixed = dict(window=2, min_count=1, subsample=0.0, negative=3)
    box = training_loop.similarity_panel(corpus, [("cat", "dog")], dim=5, epochs=3, **fixed)

    def printed():
        text = box.output.outputs[0]["text"]
        return float(text.split("=")[1])

    expected = train(corpus, dim=5, epochs=3, learning_rate=0.05, seed=0, **fixed)
    assert printed() == pytest.approx(expected.similarity("cat", "dog"), abs=5e-4)
    box.controls["dim"].value = 12
    moved = train(corpus, dim=12, epochs=3, learning_rate=0.05, seed=0, **fixed)
    assert printed() == pytest.approx(moved.similarity("cat", "dog"), abs=5e-4)
    assert box.output.outputs[1]["output_type"] == "display_data"    # the plot


def test_norm_growth_figure_draws_each_runs_longest_output_row_and_cat_dog():
    from lessons.data.corpus import article_corpus
    from lessons.models.article_loop import article_loop

    runs = {"as printed": article_loop(article_corpus("training"), epochs=3),
            "with the fix": article_loop(article_corpus("training"), epochs=3, fixed=True)}
    fig = training_loop.norm_growth_figure(runs)
    assert [t.name for t in fig.data] == ["as printed", "as printed",
                                          "with the fix", "with the fix"]
    np.testing.assert_array_equal(fig.data[0].y, runs["as printed"].max_norm[:, 1])
    np.testing.assert_array_equal(fig.data[3].y, runs["with the fix"].similarity["cat", "dog"])
    assert fig.layout.yaxis.type == "log"


def test_window_pairs_pairs_every_position_within_the_window_in_its_sentence():
    pairs = training_loop.window_pairs([["a", "b", "c"], ["d", "e"]], window=1)
    assert pairs == [("a", "b"), ("b", "a"), ("b", "c"), ("c", "b"), ("d", "e"), ("e", "d")]
    # a window wider than the sentence pairs every two positions, both ways round
    assert sorted(training_loop.window_pairs([["x", "y", "z"]], window=5)) == sorted(
        (u, v) for u in "xyz" for v in "xyz" if u != v)
    with pytest.raises(ValueError, match="window"):
        training_loop.window_pairs([["a"]], window=0)


def test_similarity_panel_starts_at_the_seed_it_is_given():
    corpus = article_corpus("training")
    box = training_loop.similarity_panel(corpus, [("cat", "dog")], dim=4, epochs=2, seed=42,
                                         window=2, min_count=1, subsample=0.0, negative=3)
    assert box.controls["seed"].value == 42    # not clamped to the slider's default range
