"""lessons.book.chapters.count_vs_predict: the shared evaluation, its table and its figures."""
import numpy as np
import pytest

from lessons.book.chapters import count_vs_predict as chapter
from lessons.vectors import evaluation
from lessons.vectors.embeddings import Embeddings


def planted(seed=0, noise=0.0):
    """Vectors for the words of two analogy sections: capital = country + one offset."""
    pairs = [("athens", "greece"), ("berlin", "germany"), ("paris", "france"), ("rome", "italy"),
             ("tokyo", "japan"), ("madrid", "spain"), ("london", "england"), ("moscow", "russia")]
    rng = np.random.default_rng(seed)
    offset = rng.normal(size=20)
    words, vectors = [], []
    for capital, country in pairs:
        c = rng.normal(size=20)
        words += [country, capital]
        vectors += [c, c + offset + noise * rng.normal(size=20)]
    for w in ("good", "better", "bad", "worse", "big", "bigger", "cup", "coffee", "car",
              "automobile", "tiger", "cat", "king", "queen", "man", "woman", "old", "new", "smart",
              "intelligent", "hard", "difficult", "happy", "cheerful", "easy", "fast", "rapid",
              "stupid", "dumb", "strange", "wide", "narrow", "awful", "hot", "cold", "money",
              "cash", "bank", "food", "fruit", "love", "sex", "book", "paper", "computer",
              "keyboard", "water", "dog"):
        words.append(w)
        vectors.append(rng.normal(size=20))
    return Embeddings(words, np.array(vectors, dtype=np.float32))


@pytest.fixture(scope="module")
def scores():
    return [chapter.evaluate("exact", planted()), chapter.evaluate("noisy", planted(noise=3.0))]


def test_evaluate_uses_the_books_evaluation(scores):
    exact = scores[0]
    emb = planted()
    assert (exact.analogies.accuracy
            == evaluation.google_analogies(emb, restrict_vocab=30000).accuracy)
    assert exact.wordsim.spearman == evaluation.word_similarity(emb, "wordsim353").spearman
    assert exact.simlex.pairs == evaluation.word_similarity(emb, "simlex999").pairs
    capitals = [sec.accuracy for s in scores for sec in s.analogies.sections[:1]]
    assert capitals[0] > 0.9 and capitals[1] < capitals[0]  # the planted offset is found
    a = exact.analogies
    assert exact.headline() == (a.accuracy, a.semantic.accuracy, a.syntactic.accuracy,
                                exact.wordsim.spearman, exact.simlex.spearman)


def test_scores_table_prints_every_headline_number(scores):
    lines = chapter.scores_table(scores).splitlines()
    assert len(lines) == 3 and "WordSim-353" in lines[0]
    for line, s in zip(lines[1:], scores):
        acc, sem, syn, ws, sl = s.headline()
        assert line.split() == [s.name, f"{acc:.1%}", f"{sem:.1%}", f"{syn:.1%}",
                                f"{ws:.2f}", f"{sl:.2f}"]


def test_sections_figure_has_one_bar_per_answered_section(scores):
    fig = chapter.sections_figure(scores)
    assert [t.name for t in fig.data] == ["exact", "noisy"]
    for trace, s in zip(fig.data, scores):
        answered = [sec for sec in s.analogies.sections if sec.total]
        assert list(trace.x) == [chapter._short(sec.name) for sec in answered]
        np.testing.assert_allclose(trace.y, [100 * sec.accuracy for sec in answered])
        assert ([list(c) for c in trace.customdata]
                == [[sec.n_correct, sec.total] for sec in answered])
    assert chapter._short("gram3-comparative") == "comparative"
    assert chapter._short("capital-common-countries") == "capital-common-countries"


def test_scores_figure_labels_each_cell_with_its_value(scores):
    fig = chapter.scores_figure(scores)
    cells = fig.data[0]
    assert list(cells.y) == ["exact", "noisy"]
    for row, s in zip(cells.text, scores):
        acc, sem, syn, ws, sl = s.headline()
        assert list(row) == [f"{100 * acc:.1f}", f"{100 * sem:.1f}", f"{100 * syn:.1f}",
                             f"{ws:.2f}", f"{sl:.2f}"]
    assert np.asarray(cells.z).min() >= 0 and np.asarray(cells.z).max() <= 1  # ranks per column


def test_standard_error(scores):
    assert chapter.standard_error(0.2, 100) == pytest.approx(0.04)
    s = scores[1]
    p, n = s.analogies.accuracy, s.analogies.total.total
    assert chapter.expected_standard_error(s) == pytest.approx(np.sqrt(p * (1 - p) / n))
    with pytest.raises(ValueError, match="questions"):
        chapter.standard_error(0.5, 0)
