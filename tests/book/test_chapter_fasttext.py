"""Tests for lessons.book.chapters.fasttext: the held-out summaries and the three figures."""
import pytest

from lessons.book.chapters import fasttext as chapter
from lessons.models.fasttext.morphology import KINDS
from lessons.vectors.evaluation import AnalogyResult, AnalogySection
from lessons.vectors.neighbors import Neighbors

HELD = [("plays", "play", "-s"), ("cats", "cat", "-s"), ("unkind", "kind", "un-")]


class StubModel:
    """A model whose neighbours are given: ``most_similar(word)`` returns ``table[word]``."""

    def __init__(self, table):
        self.table = table

    def most_similar(self, word, topn=10):
        return Neighbors((w, 1.0 - i / 100) for i, w in enumerate(self.table[word][:topn]))


def test_top_share_by_affix_counts_ranks_within_topn():
    shares = chapter.top_share_by_affix(HELD, [1, 11, 10], topn=10)
    assert shares == {"-s": (0.5, 1, 2), "un-": (1.0, 1, 1), "all": (pytest.approx(2 / 3), 2, 3)}
    # no vector (None) is never within the top n
    assert chapter.top_share_by_affix(HELD, [None] * 3)["all"] == (0.0, 0, 3)


def test_base_rank_figure_one_bar_group_per_method():
    fig = chapter.base_rank_figure(HELD, {"subword": [1, 11, 10], "word-only": [None] * 3})
    assert [t.name for t in fig.data] == ["subword", "word-only"]
    assert list(fig.data[0].x) == ["-s", "un-", "all"]
    assert list(fig.data[0].y) == pytest.approx([50.0, 100.0, 200 / 3])
    assert list(fig.data[1].y) == [0.0, 0.0, 0.0]
    assert [list(c) for c in fig.data[0].customdata] == [[1, 2], [1, 1], [2, 3]]


def test_kinds_of_and_kind_shares():
    model = StubModel({"violinists": ["violinist", "violins", "cello", "pianists", "tree"],
                       "violinist": ["cello", "violin"]})
    kinds = chapter.kinds_of(model, [("violinists", "violinist", "-s")], judge=model, topn=5)
    assert kinds == [["base", "same stem", "related", "same ending", "other"]]
    shares = chapter.kind_shares(kinds + [["other"] * 5])
    assert list(shares) == list(KINDS)
    assert shares["other"] == pytest.approx(0.6) and sum(shares.values()) == pytest.approx(1.0)


def test_kinds_figure_stacks_the_kinds():
    shares = {"a": dict.fromkeys(KINDS, 0.2), "b": {**dict.fromkeys(KINDS, 0.0), "other": 1.0}}
    fig = chapter.kinds_figure(shares)
    assert [t.name for t in fig.data] == list(KINDS)
    assert fig.layout.barmode == "stack"
    assert list(fig.data[-1].x) == [20.0, 100.0] and list(fig.data[-1].text) == ["20%", "100%"]


def test_ending_share():
    model = StubModel({"running": ["jumping", "runner", "ran", "swimming"],
                       "king": ["viking", "queen", "ruling", "kings"]})
    assert chapter.ending_share(model, ["running", "king"], topn=4) == pytest.approx(4 / 8)


def test_analogy_figure_bars_per_section():
    def section(name, right, wrong):
        return AnalogySection(name, correct=[("a", "b", "c", "d")] * right,
                              incorrect=[("a", "b", "c", "e")] * wrong)

    sections = [section("capital-common-countries", 1, 3),
                section("gram1-adjective-to-adverb", 3, 1)]
    result = AnalogyResult(sections=sections, total=section("Total accuracy", 4, 4), oov=0,
                           questions=8, method="3cosadd", restrict_vocab=30000)
    fig = chapter.analogy_figure({"subword": result})
    assert list(fig.data[0].x) == ["semantic", "syntactic", "all"]
    assert list(fig.data[0].y) == [25.0, 75.0, 50.0]
    assert list(fig.data[0].text) == ["25.0%", "75.0%", "50.0%"]


def test_expected_rows():
    assert chapter.expected_rows("where", known=True) == 14 + 1
    assert chapter.expected_rows("wherever", known=False) == 8 + 7 + 6 + 5


def test_matches_stored():
    assert chapter.matches_stored({"a": 0.5}, {"a": 0.5, "b": 1.0})
    assert not chapter.matches_stored({"a": 0.5}, {"a": 0.51})


def test_epochs_figure_one_point_per_stored_run():
    def run(top10, ending, syn):
        kinds = {**dict.fromkeys(KINDS, 0.0), "same ending": ending}
        return {"subword_top10": top10, "spelling_top10": 0.98, "kinds_heldout_subword": kinds,
                "syntactic_subword": syn, "syntactic_word_only": 0.05, "semantic_subword": 0.04,
                "semantic_word_only": 0.07}

    fig = chapter.epochs_figure({"10": run(0.7, 0.3, 0.6), "3": run(0.43, 0.42, 0.44)})
    assert len(fig.data) == 7
    assert list(fig.data[0].x) == [3, 10] and list(fig.data[0].y) == pytest.approx([43, 70])
    assert list(fig.data[2].y) == pytest.approx([42, 30])


def test_heldout_forms_and_train_pair():
    words = (["play", "plays", "player", "the", "game", "kind", "unkind", "slow", "slowly"] * 60
             + ["play", "kind", "slow", "game"] * 40)
    pairs, held, train_words = chapter.heldout_forms(words, per_affix=1, seed=0)
    forms = {form for form, _, _ in held}
    assert forms and not forms & set(train_words) and len(train_words) < len(words)
    subword, word_only = chapter.train_pair(train_words, dim=8, buckets=500, epochs=1)
    assert subword.buckets == 500 and word_only.buckets == 0
    assert all(subword.has_vector(f) and not word_only.has_vector(f) for f in forms)


def test_stored_epoch_runs_match_the_chapter_settings():
    from lessons.book import measurements

    stored = measurements.load("fasttext_epochs")
    assert stored["settings"] == {k: v for k, v in chapter.SETTINGS.items() if k != "epochs"}
    assert set(stored["runs"]) == {"3", "5", "10"} and stored["words"] == 2_000_000
    for run in stored["runs"].values():
        assert 0 <= run["subword_top1"] <= run["subword_top10"] <= 1
        assert sum(run["kinds_heldout_subword"].values()) == pytest.approx(1.0)
        assert 0 <= run["syntactic_subword"] <= 1 and 0 <= run["semantic_word_only"] <= 1
