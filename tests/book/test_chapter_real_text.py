"""lessons.book.chapters.real_text: the neighbours slider and the query panel."""
from lessons.book.chapters import explorer, real_text


def test_neighbours_figure_shows_most_similar():
    emb = explorer.retrain(epochs=20)
    fig = real_text.neighbours_figure(emb, ["king", "paris"], topn=3)
    assert len(fig.data) == 2 and len(fig.layout.sliders[0].steps) == 2
    best = emb.most_similar("king", topn=3)
    assert list(fig.data[0].y) == [w for w, _ in best][::-1]


def test_query_panel_prints_neighbours_and_the_analogy():
    emb = explorer.retrain(epochs=20)
    box = real_text.query_panel(emb, word="king", a="man", b="king", c="woman",
                                restrict_vocab=None)
    lines = box.output.outputs[0]["text"].splitlines()
    neighbours = ", ".join(f"{w} ({s:.2f})" for w, s in emb.most_similar("king", topn=8))
    answers = ", ".join(f"{w} ({s:.2f})" for w, s in emb.analogy("man", "king", "woman", topn=5))
    assert lines == ["neighbours of king:", "   " + neighbours,
                     "man : king :: woman : ?", "   " + answers]
    box.controls["c"].value = "girl"
    assert box.output.outputs[0]["text"].splitlines()[2] == "man : king :: girl : ?"


def test_query_panel_reports_unknown_words():
    emb = explorer.retrain(epochs=2)
    box = real_text.query_panel(emb, word="zzz", restrict_vocab=None)
    first = box.output.outputs[0]["text"].splitlines()[0]
    assert first.startswith("neighbours of zzz:") and "not in the vocabulary" in first
    assert real_text.analogy_label("a", "b", "c") == "a : b :: c : ?"
