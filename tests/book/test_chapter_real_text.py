"""lessons.book.chapters.real_text: the neighbours slider and the query panel."""
import pytest

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


def test_answer_rank_finds_the_expected_word_among_all_answers():
    import numpy as np

    from lessons.vectors.embeddings import Embeddings

    words = ["man", "woman", "king", "queen", "apple"]
    vectors = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 0.1, 1.0]], dtype=float)
    emb = Embeddings(words, vectors)
    # king - man + woman = (1, 1, 1) = queen exactly
    assert real_text.answer_rank(emb, "man", "king", "woman", "queen") == 1
    assert real_text.answer_rank(emb, "man", "king", "woman", "apple") == 2
    assert real_text.answer_rank(emb, "man", "king", "woman", "prince") is None


def test_sections_and_growth_figures_draw_the_numbers_given():
    from types import SimpleNamespace

    sections = [SimpleNamespace(name="family", total=10, n_correct=3, accuracy=0.3),
                SimpleNamespace(name="gram8-plural", total=4, n_correct=1, accuracy=0.25),
                SimpleNamespace(name="currency", total=0, n_correct=0, accuracy=0.0)]
    fig = real_text.sections_figure(SimpleNamespace(sections=sections))
    assert list(fig.data[0].y) == ["family", "gram8-plural"]      # empty sections left out
    assert list(fig.data[0].x) == [30.0, 25.0]
    fig = real_text.growth_figure({"a": [(1000, 5, 0.1), (2000, 1, 0.2)]})
    assert list(fig.data[0].y) == [5, 1] and list(fig.data[1].y) == [10.0, 20.0]


def test_expected_more_skipped_counts_pairs_with_a_rare_word():
    from types import SimpleNamespace

    emb = SimpleNamespace(words=["cat", "dog", "eel"], counts=[100, 60, 7])
    result = SimpleNamespace(word_pairs=[("CAT", "DOG"), ("CAT", "EEL"), ("DOG", "EEL")])
    assert real_text.expected_more_skipped(emb, result, 50) == 2
    assert real_text.expected_more_skipped(emb, result, 80) == 3


def test_accuracy_by_rarity_groups_questions_by_their_rarest_word():
    import math
    from types import SimpleNamespace

    import numpy as np

    from lessons.vectors.embeddings import Embeddings

    words = ["the", "King", "king", "queen", "man", "woman", "boy", "girl"]  # rank = row
    emb = Embeddings(words, np.eye(8))
    result = SimpleNamespace(answers=[
        ("MAN", "WOMAN", "KING", "QUEEN", "QUEEN"),   # rarest: WOMAN, rank 5
        ("THE", "KING", "MAN", "QUEEN", "BOY"),       # rarest: MAN, rank 4 (KING = row 1)
        ("MAN", "BOY", "WOMAN", "GIRL", "GIRL"),      # rarest: GIRL, rank 7
    ])
    groups = real_text.accuracy_by_rarity(emb, result, edges=(2, 5))
    assert groups[:2] == [(0, 2, 0, groups[0][3]), (2, 5, 1, 0.0)]
    assert math.isnan(groups[0][3])
    assert groups[2] == (5, 8, 2, 1.0)


def test_mean_pair_cosine_with_and_without_the_common_direction():
    import numpy as np

    from lessons.vectors.embeddings import Embeddings

    vectors = np.array([[1.0, 5], [-1.0, 5], [0.0, 5], [2.0, 9]])
    emb = Embeddings(["a", "b", "c", "d"], vectors)
    cos = vectors[:3] @ vectors[:3].T / np.outer(*2 * [np.linalg.norm(vectors[:3], axis=1)])
    assert real_text.mean_pair_cosine(emb, 3) == pytest.approx(np.mean(cos[np.triu_indices(3, 1)]))
    # minus the mean (0, 5): a and b point opposite ways, c is the zero vector (cosine 0)
    assert real_text.mean_pair_cosine(emb, 3, centred=True) == pytest.approx(-1 / 3)
