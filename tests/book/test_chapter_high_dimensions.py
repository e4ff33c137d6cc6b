"""Tests for lessons.book.chapters.high_dimensions: the cosine-histogram slider, the trained
vs random figure, and the live panel (its numbers recomputed here from the definitions)."""
import math

import numpy as np
import pytest
from scipy import special

from lessons.book.chapters import high_dimensions as chapter
from tests.book.panels import png, printed


def test_cosine_histogram_figure_has_a_histogram_and_the_exact_density_per_dimension():
    fig = chapter.cosine_histogram_figure([3, 50], n_pairs=4000, seed=0, bins=40)
    assert [s.label for s in fig.layout.sliders[0].steps] == ["3", "50"]
    assert len(fig.data) == 4 and [t.visible for t in fig.data] == [True, True, False, False]
    bars, density = fig.data[0], fig.data[1]
    assert sum(bars.y) * 2 / 40 == pytest.approx(1, abs=1e-3)     # a density: area 1
    np.testing.assert_allclose(density.y, 0.5)                      # d = 3: uniform on [-1, 1]
    # d = 50: (1 - c²)^23.5 / B(1/2, 24.5)
    x = np.asarray(fig.data[3].x)
    expected = (1 - x ** 2) ** 23.5 / special.beta(0.5, 24.5)
    np.testing.assert_allclose(fig.data[3].y, np.where(expected < 1e-9, 0, expected),
                               rtol=1e-3, atol=1e-9)


def test_trained_vs_random_figure_compares_norms_and_cosines():
    rng = np.random.default_rng(0)
    trained = rng.standard_normal((2000, 20)) + 1.5          # a shared direction: cosines > 0
    fig = chapter.trained_vs_random_figure(trained, np.random.default_rng(1), n_pairs=3000, bins=40)
    assert [t.name for t in fig.data] == ["trained", "trained",
                                          "random Gaussian", "random Gaussian"]
    for trace in fig.data:
        assert sum(trace.y) == pytest.approx(1, abs=1e-3)   # fractions of words / pairs
    mean_cos = {t.name: np.dot(t.x, t.y) for t in (fig.data[1], fig.data[3])}
    assert mean_cos["trained"] > 0.5 and abs(mean_cos["random Gaussian"]) < 0.05
    assert "(2,000 × 20)" in fig.layout.title.text


def panel_numbers(d, pairs, seed):
    """What the panel prints, computed here: cosines of Gaussian pairs, norms, closed forms."""
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((pairs, d)), rng.standard_normal((pairs, d))
    c = np.einsum("ij,ij->i", a, b) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    norms = np.linalg.norm(rng.standard_normal((pairs, d)), axis=1)
    abs_mean = special.gamma(d / 2) / (math.sqrt(math.pi) * special.gamma((d + 1) / 2))
    chi_mean = math.sqrt(2) * special.gamma((d + 1) / 2) / special.gamma(d / 2)
    return (f"d = {d}: simulated sd of the cosine {c.std():.4f} vs 1/√d = {1 / math.sqrt(d):.4f}; "
            f"mean |cos| {np.abs(c).mean():.4f} vs exact {abs_mean:.4f}\n"
            f"‖x‖: mean {norms.mean():.3f} (exact {chi_mean:.3f}), "
            f"sd {norms.std():.3f} (exact {math.sqrt(d - chi_mean ** 2):.3f}); "
            f"outer 10% shell holds {1 - 0.9 ** d:.4%} of a ball's volume\n")


def test_cosine_panel_redraws_for_the_new_dimension_and_number_of_pairs(drawn_figures):
    box = chapter.cosine_panel(n_pairs=512, seed=0)
    assert repr(box) == "<live panel: Random vectors in d dimensions>"
    assert printed(box) == panel_numbers(300, 512, 0)
    first = png(box)

    box.controls["d"].value = 20
    assert printed(box) == panel_numbers(20, 512, 0)
    assert png(box) != first
    left = drawn_figures[-1].axes[0]
    assert left.get_title() == "cosines in d = 20"
    grid, density = left.lines[0].get_data()            # the exact density for d = 20
    np.testing.assert_allclose(density, (1 - grid ** 2) ** 8.5 / special.beta(0.5, 9.5), rtol=1e-9)

    box.controls["log2_pairs"].value = 10
    assert printed(box) == panel_numbers(20, 2 ** 10, 0)
    assert drawn_figures[-1].axes[0].get_title() == "cosines in d = 20"


def test_article_table_figure_puts_printed_and_replayed_values_on_the_exact_curves():
    printed = {2: (0.5, 0.4), 100: (0.08, 0.07)}
    replayed = {2: (0.64, 0.71), 100: (0.08, 0.1)}
    fig = chapter.article_table_figure(printed, replayed)
    exact_mean, exact_sd, halved = fig.data[0], fig.data[1], fig.data[2]
    assert exact_mean.y[0] == pytest.approx(2 / math.pi) and exact_sd.y[-1] == pytest.approx(0.1)
    np.testing.assert_allclose(np.asarray(halved.y) * np.sqrt(2 * np.asarray(halved.x)), 1)
    markers = {(t.name, t.xaxis): list(t.y) for t in fig.data[3:]}
    assert markers["printed in the article", "x"] == [0.5, 0.08]
    assert markers["the article's code, run", "x2"] == [0.71, 0.1]
