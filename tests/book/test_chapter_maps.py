"""lessons.book.chapters.maps: the map scatter (hover shows the word), the sliders, the recall
curves and the measurements the chapter prints."""
import numpy as np
import pytest

from lessons.book.chapters import maps as chapter
from lessons.geometry import maps

WORDS = ["one", "two", "three", "french", "german", "north", "south", "b", "c", "house", "water",
         "music"]


@pytest.fixture
def space():
    rng = np.random.default_rng(0)
    return rng.normal(size=(len(WORDS), 8)), rng.normal(size=(len(WORDS), 2))


def test_groups():
    assert chapter.group_of(["two", "french", "x", "west", "house"]) == [
        "numbers", "nationalities", "single letters", "compass", "other words"]


def test_map_figure_hovers_every_word_at_its_point(space):
    _, points = space
    fig = chapter.map_figure(points, WORDS, title="t")
    assert [t.name for t in fig.data] == ["other words", *chapter.GROUPS]
    shown = {}
    for trace in fig.data:
        assert trace.hovertemplate == "%{text}<extra></extra>"
        for word, x, y in zip(trace.text, trace.x, trace.y):
            shown[word] = (x, y)
    assert set(shown) == set(WORDS)
    for i, word in enumerate(WORDS):
        assert shown[word] == tuple(points[i])
    with pytest.raises(ValueError, match="points"):
        chapter.map_figure(points[:3], WORDS)


def test_maps_slider_switches_between_maps(space):
    _, points = space
    fig = chapter.maps_slider({5: points, 30: -points}, WORDS, prefix="perplexity = ",
                              titles=["a", "b"])
    per = 1 + len(chapter.GROUPS)
    assert len(fig.data) == 2 * per
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == ["5", "30"]
    assert steps[1].args[0]["visible"] == [False] * per + [True] * per
    assert steps[1].args[1]["title.text"] == "b"
    np.testing.assert_allclose(fig.data[per].x, -np.asarray(fig.data[0].x))


def test_measure_and_recall_curves(space):
    high, low = space
    scores = chapter.measure(high, low, 3)
    assert scores == {"recall": pytest.approx(maps.neighbour_recall(high, low, 3).mean()),
                      "trustworthiness": pytest.approx(maps.trustworthiness(high, low, 3)),
                      "distance correlation": pytest.approx(maps.distance_correlation(high, low))}
    fig = chapter.recall_figure(high, {"m": low}, ks=(1, 3, 5))
    assert [t.name for t in fig.data] == ["m", "random map"]
    np.testing.assert_allclose(fig.data[0].y,
                               [maps.neighbour_recall(high, low, k).mean() for k in (1, 3, 5)])
    np.testing.assert_allclose(fig.data[1].y, [k / 11 for k in (1, 3, 5)])
    assert chapter.expected_random_recall(400, 10) == pytest.approx(10 / 399)


def test_spreads(space):
    high, low = space
    out = chapter.spreads({"space": (high, "cosine"), "map": (low, "euclidean")}, WORDS)
    assert list(out) == list(chapter.GROUPS)
    rows = [WORDS.index(w) for w in ("one", "two", "three")]
    assert out["numbers"]["space"] == pytest.approx(maps.relative_spread(high, rows, "cosine"))
    assert out["numbers"]["map"] == pytest.approx(maps.relative_spread(low, rows))
