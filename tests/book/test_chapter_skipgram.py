"""Tests for lessons.book.chapters.skipgram: the noise and subsampling sliders, the live noise
panel and the self-check's answer (their numbers checked against the formulas written out here)."""
import numpy as np

from lessons.book.chapters import skipgram as chapter
from tests.book.panels import png, printed

WORDS = ["the", "a", "cat", "dog"]
COUNTS = np.array([100, 50, 3, 1])


def kept_share(counts, t):
    """Share of tokens word2vec.c keeps: sum over words of count * min((sqrt(f/t) + 1) t/f, 1)."""
    f = counts / counts.sum()
    keep = np.minimum((np.sqrt(f / t) + 1) * t / f, 1.0)
    return float(np.sum(counts * keep) / counts.sum())


def test_noise_and_subsampling_figures():
    fig = chapter.noise_figure(WORDS, COUNTS, shown=[0, 2], alphas=(0.5, 1.0))
    assert len(fig.data) == 4 and len(fig.layout.sliders[0].steps) == 2
    # probabilities are normalised over the whole vocabulary, not over the words shown
    np.testing.assert_allclose(fig.data[2].y, np.array([100, 3]) / 154)
    fig = chapter.subsampling_figure(WORDS, COUNTS, thresholds=(1e-2,))
    assert len(fig.data) == 2 and len(fig.data[0].y) == 4
    kept = kept_share(COUNTS, 1e-2)
    assert fig.layout.title.text == f"t = 0.01: word2vec.c keeps {kept:.0%} of all tokens"


def test_expected_grad_context_is_the_hand_derived_gradient():
    """dL/du_o = (sigmoid(u_o . v) - 1) v, written out here;
    a sign slip or the wrong vector fails."""
    rng = np.random.default_rng(0)
    v, u, negatives = rng.standard_normal(4), rng.standard_normal(4), rng.standard_normal((2, 4))
    by_hand = (1 / (1 + np.exp(-(u @ v))) - 1) * v
    np.testing.assert_allclose(chapter.expected_grad_context(v, u, negatives), by_hand, rtol=1e-12)
    assert not np.allclose(chapter.expected_grad_context(v, u, negatives),
                           (1 / (1 + np.exp(-(u @ v)))) * v)


def test_noise_panel_redraws_for_alpha_and_threshold(drawn_figures):
    box = chapter.noise_panel(WORDS, COUNTS, shown=[0, 2])
    assert repr(box) == "<live panel: Noise and subsampling>"
    assert printed(box) == f"tokens kept by subsampling: {kept_share(COUNTS, 1e-3):.1%}\n"

    first = png(box)
    box.controls["log10_t"].value = -2.0
    assert png(box) != first, "the figure was not redrawn"
    assert printed(box) == f"tokens kept by subsampling: {kept_share(COUNTS, 1e-2):.1%}\n"
    assert drawn_figures[-1].axes[1].get_title() == "subsampling, t = 1.0e-02"

    box.controls["alpha"].value = 0.5
    left = drawn_figures[-1].axes[0]
    expected = np.sqrt(COUNTS) / np.sqrt(COUNTS).sum()  # count^alpha, normalised over all words
    np.testing.assert_allclose([bar.get_height() for bar in left.patches], expected[[0, 2]])
    assert "alpha = 0.50" in [text.get_text() for text in left.get_legend().get_texts()]
