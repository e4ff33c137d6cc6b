"""Tests for lessons.book.chapters.onehot: the memory-bill slider and live panel."""
from lessons.book.chapters import onehot as chapter
from tests.book.panels import png


def test_memory_figure_has_one_slider_step_per_size():
    fig = chapter.memory_figure([10, 1000, 100_000])
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == ["10", "1,000", "100,000"]
    assert len(fig.data) == 3 and [t.visible for t in fig.data] == [True, False, False]
    # 1,000 tokens x 100,000 floats x 4 bytes; 1,000 int32 ids; 1,000 x 300 floats
    assert list(fig.data[2].y) == [400_000_000, 4000, 1_200_000]
    assert list(fig.data[2].text) == ["400 MB", "4 kB", "1.2 MB"]


def test_memory_panel_redraws_the_bill_for_the_new_vocabulary_and_dimension(drawn_figures):
    box = chapter.memory_panel(n_tokens=10)
    assert repr(box) == "<live panel: The memory bill of one-hot vectors>"
    first = png(box)
    assert drawn_figures[-1].axes[0].get_title() == "V = 10,000   sparsity = 99.990000%"

    box.controls["log10_vocab"].value = 5
    assert png(box) != first, "the figure was not redrawn"
    ax = drawn_figures[-1].axes[0]
    assert ax.get_title() == "V = 100,000   sparsity = 99.999000%"
    # 10 tokens: 10 x 100,000 x 4 bytes one-hot, 10 x 4 bytes of ids, 10 x 300 x 4 dense
    assert [bar.get_width() for bar in ax.patches] == [4_000_000, 40, 12_000]
    assert [t.get_text() for t in ax.texts] == [" 4 MB", " 40 B", " 12 kB"]

    box.controls["dim"].value = 100
    ax = drawn_figures[-1].axes[0]
    assert [bar.get_width() for bar in ax.patches] == [4_000_000, 40, 4_000]
    assert ax.texts[2].get_text() == " 4 kB"
