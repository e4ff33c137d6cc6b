"""lessons.book.chapters.how_sure: the stored measurement, the record round trip and the
figures (drawn values checked against the library)."""
import numpy as np
import pytest

from lessons.book.chapters import how_sure as chapter
from lessons.vectors import uncertainty as U
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.evaluation import dataset_path


def test_stored_measurement_is_complete_and_consistent():
    measured = chapter.load_measurement()
    runs = measured["runs"]
    assert [r["seed"] for r in runs] == list(chapter.SEEDS)
    assert {k: measured["settings"][k] for k in chapter.SETTINGS} == chapter.SETTINGS
    assert measured["words"] == 2_000_000 and measured["settings"]["workers"] == 1
    for run in runs:
        right = chapter.right_answers(run)
        assert right.mean() == pytest.approx(run["google_3cosadd"])
        assert chapter.right_answers(run, "3cosmul").mean() == pytest.approx(run["google_3cosmul"])
        assert run["baselines"]["3CosAdd"] == pytest.approx(run["google_3cosadd"])
        assert set(run["baselines"]) == set(chapter.BASELINES)
        assert len(run["wordsim353_cosines"]) == len(runs[0]["wordsim353_cosines"])
    assert len({r["google_questions"] for r in runs}) == 1  # same vocabulary, same questions


def _test_emb(seed=0, d=6):
    """Lower-case words of the first Google questions and of WordSim/SimLex pairs,
    random vectors."""
    words = []
    with open(dataset_path("questions-words"), encoding="utf-8") as f:
        lines = [line.split() for line in f if not line.startswith(":")][:80]
    words += [w.lower() for q in lines for w in q]
    for name in ("wordsim353", "simlex999"):
        with open(dataset_path(name), encoding="utf-8") as f:
            rows = [line.split("\t") for line in f if not line.startswith("#")][:60]
        words += [w.lower() for row in rows for w in row[:2]]
    words = list(dict.fromkeys(words))
    rng = np.random.default_rng(seed)
    return Embeddings(words, rng.normal(size=(len(words), d)).astype(np.float32))


def test_record_round_trips_the_right_answers():
    emb = _test_emb()
    scores = chapter.evaluate(emb)
    baselines = chapter.baseline_outcomes(emb, scores["google"])
    run = chapter.record(0, 1.234, emb, scores, baselines)
    assert run["seconds"] == 1.2 and run["google_questions"] == scores["google"].total.total > 0
    assert np.array_equal(chapter.right_answers(run), U.analogy_correct(scores["google"]))
    assert np.array_equal(chapter.right_answers(run, "3cosmul"),
                          U.analogy_correct(scores["google_3cosmul"]))
    assert np.array_equal(baselines["3CosAdd"], U.analogy_correct(scores["google"]))
    assert np.allclose(run["wordsim353_cosines"], scores["wordsim"].model, atol=1e-5)
    sections = chapter.section_of_questions(scores["google"])
    assert len(sections) == run["google_questions"] and np.all(np.diff(sections) >= 0)


def test_train_seed_is_deterministic_and_uses_the_seed():
    words = ("the cat sat on the mat and the dog sat on the log " * 300).split()
    a, _ = chapter.train_seed(words, seed=3)
    b, _ = chapter.train_seed(words, seed=3)
    c, _ = chapter.train_seed(words, seed=4)
    assert a.dim == chapter.SETTINGS["dim"] and np.array_equal(a.vectors, b.vectors)
    assert a.words == c.words and not np.array_equal(a.vectors, c.vectors)  # the seed matters


def test_seed_and_bootstrap_figures_draw_the_numbers():
    rng = np.random.default_rng(0)
    right = rng.random(500) < 0.3
    ci = U.bootstrap_ci(right, n_resamples=300, seed=0)
    fig = chapter.seed_figure({"acc": [0.1, 0.2, 0.3, 0.25, 0.15]}, {"acc": ci})
    assert list(fig.data[0].y) == [0.1, 0.2, 0.3, 0.25, 0.15]
    assert fig.data[1].y[0] == ci.estimate
    assert fig.data[1].error_y.array[0] == pytest.approx(ci.high - ci.estimate)
    fig = chapter.bootstrap_figure({"acc": ci, "again": ci})
    assert sum(fig.data[0].y) == 300 and len(fig.layout.sliders[0].steps) == 2
    assert fig.data[1].x[0] == ci.low and fig.data[1].x[3] == ci.high


def test_differences_figure_separates_intervals_with_and_without_zero():
    rng = np.random.default_rng(1)
    a = rng.random(2000) < 0.3
    b = a.copy()
    b[:80] = False  # b loses answers a has: a real difference
    real = U.paired_bootstrap(a, b, n_resamples=500, seed=0)
    none = U.paired_bootstrap(a, a ^ (np.arange(2000) < 2), n_resamples=500, seed=0)
    fig = chapter.differences_figure([("real", real), ("noise", none)], title="t", x_title="x")
    by_name = {trace.name: trace for trace in fig.data}
    assert list(by_name["interval excludes 0"].y) == ["real"]
    assert list(by_name["interval contains 0"].y) == ["noise"]
    assert by_name["interval excludes 0"].x[0] == pytest.approx(real.estimate)


def test_baselines_figure_shows_overall_and_section_accuracies():
    outcomes = {"m1": np.array([1, 0, 1, 1, 0, 0], bool), "m2": np.array([0, 0, 1, 0, 1, 1], bool)}
    sections = np.array([0, 0, 0, 1, 1, 1])
    fig = chapter.baselines_figure(outcomes, sections, ["s0", "s1"], n_resamples=50)
    assert [s.label for s in fig.layout.sliders[0].steps] == ["all sections", "s0", "s1"]
    assert list(fig.data[0].y) == pytest.approx([0.5, 0.5])
    assert list(fig.data[1].y) == pytest.approx([2 / 3, 1 / 3])
    assert list(fig.data[2].y) == pytest.approx([1 / 3, 2 / 3])


def test_self_check_expected_value():
    rng = np.random.default_rng(2)
    human = rng.normal(size=40)

    class Result:  # what word_similarity returns, reduced to what the check reads
        model = human + rng.normal(size=40)

    Result.human = human
    expected = U.bootstrap_ci((Result.human, Result.model), U.spearman,
                              n_resamples=2000, seed=0).high
    assert chapter.expected_simlex_high(Result) == pytest.approx(expected)
