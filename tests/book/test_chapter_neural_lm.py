"""Tests for lessons.book.chapters.neural_lm: the cost slider and the live cost panel (its
numbers checked against the multiply-adds counted here by hand)."""
from lessons.book.chapters import neural_lm as chapter
from tests.book.panels import png, printed


def forward_cost(V, n, m, h):
    """Multiply-adds of one forward pass: hidden layer n*m*h, output layer h*V, softmax V."""
    return n * m * h + h * V + V


def test_cost_figure_has_one_step_per_vocabulary_size():
    fig = chapter.cost_figure([100, 10_000])
    assert len(fig.data) == 2 and len(fig.layout.sliders[0].steps) == 2
    assert list(fig.data[1].y) == [4 * 300 * 500, 500 * 10_000, 10_000]
    title = fig.layout.sliders[0].steps[1].args[1]["title.text"]
    assert f"{forward_cost(10_000, 4, 300, 500):,} multiply-adds" in title


def test_cost_panel_recounts_for_each_control(drawn_figures):
    box = chapter.cost_panel()
    assert repr(box) == "<live panel: The cost of one training example>"
    settings = {"log10_vocab": 4, "hidden_dim": 500, "embedding_dim": 300, "context_size": 4}

    def check_shows(V):
        total = forward_cost(V, settings["context_size"], settings["embedding_dim"],
                             settings["hidden_dim"])
        assert f"{total * 1e9:.2e} multiply-adds per pass" in printed(box)
        title = drawn_figures[-1].axes[0].get_title()
        assert title.startswith(f"V = {V:,}: {total:,} in total, "), title

    check_shows(10_000)
    first = png(box)
    for name, value, V in [("log10_vocab", 5, 100_000), ("hidden_dim", 1000, 100_000),
                           ("embedding_dim", 100, 100_000), ("context_size", 2, 100_000)]:
        settings[name] = value
        box.controls[name].value = value
        check_shows(V)
    assert png(box) != first, "the figure was not redrawn"
