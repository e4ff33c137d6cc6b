"""Tests for lessons.book.chapters.cooccurrence: the tiny pipeline, the sweep slider and the
live panel (its matrix checked against counts and PPMI computed here from their definitions)."""
import numpy as np

from lessons.book.chapters import cooccurrence as chapter
from lessons.data.corpus import article_corpus
from lessons.models.cooccurrence import WEIGHTINGS
from tests.book.panels import png


def loop_counts(sentences, words, window):
    """The article's double loop, over an alphabetical vocabulary."""
    index = {w: i for i, w in enumerate(words)}
    X = np.zeros((len(words), len(words)))
    for sentence in sentences:
        for i, word in enumerate(sentence):
            for j in range(max(0, i - window), min(len(sentence), i + window + 1)):
                if i != j:
                    X[index[word], index[sentence[j]]] += 1
    return X


def shifted_ppmi(X, k=1.0):
    """max(log(X[w,c] D / (X[w,:] X[:,c])) - log k, 0), zero where X is zero."""
    with np.errstate(divide="ignore"):
        pmi = np.log(X * X.sum() / np.outer(X.sum(axis=1), X.sum(axis=0))) - np.log(k)
    return np.where(X > 0, np.maximum(pmi, 0.0), 0.0)


def test_tiny_pipeline_and_sweep_figure():
    corpus = article_corpus("cooccurrence")
    words, matrix, points = chapter.tiny_pipeline(corpus, window=2, weighting="raw")
    assert words == sorted(words) and matrix.shape == (11, 11) and points.shape == (11, 2)
    np.testing.assert_array_equal(matrix, loop_counts(corpus, words, 2))
    fig = chapter.sweep_figure(corpus, windows=(1, 2))
    assert len(fig.data) == 2 * 2 * len(WEIGHTINGS)  # a heatmap and a map per step
    assert len(fig.layout.sliders[0].steps) == 2 * len(WEIGHTINGS)


def test_merge_coincident():
    points = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0 + 1e-12], [-0.0, 2.0]])
    merged, labels = chapter.merge_coincident(points, ["a", "b", "c", "d"])
    assert labels == ["a = c", "b", "d"]
    np.testing.assert_array_equal(merged, [[0, 1], [1, 0], [0, 2]])


def test_weighting_panel_redraws_the_matrix_for_each_control(drawn_figures):
    corpus = article_corpus("cooccurrence")
    words = sorted({w for sentence in corpus for w in sentence})
    box = chapter.weighting_panel(corpus)
    assert repr(box) == "<live panel: Count, weight, factorise>"

    def shown_matrix():
        left = drawn_figures[-1].axes[0]
        return left.get_title(), np.asarray(left.images[0].get_array())

    title, matrix = shown_matrix()
    assert title == "PPMI matrix, window 2"
    np.testing.assert_allclose(matrix, shifted_ppmi(loop_counts(corpus, words, 2)), atol=1e-12)

    first = png(box)
    box.controls["window"].value = 1
    assert png(box) != first, "the figure was not redrawn"
    title, matrix = shown_matrix()
    assert title == "PPMI matrix, window 1"
    np.testing.assert_allclose(matrix, shifted_ppmi(loop_counts(corpus, words, 1)), atol=1e-12)

    box.controls["weighting"].value = "raw"
    title, matrix = shown_matrix()
    assert title == "raw matrix, window 1"
    np.testing.assert_array_equal(matrix, loop_counts(corpus, words, 1))

    box.controls["weighting"].value = "shifted PPMI"
    box.controls["shift"].value = 4.0
    title, matrix = shown_matrix()
    assert title == "shifted PPMI matrix, window 1"
    np.testing.assert_allclose(matrix, shifted_ppmi(loop_counts(corpus, words, 1), k=4.0),
                               atol=1e-12)
