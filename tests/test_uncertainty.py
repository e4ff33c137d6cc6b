"""lessons.vectors.uncertainty against slow loops and cases with a known answer."""
import numpy as np
import pytest
from scipy import stats

from lessons.vectors import uncertainty as U
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.evaluation import dataset_path, google_analogies


def _loop_distribution(columns, statistic, n_resamples, seed):
    """One resample at a time, drawn from the same generator in the same order."""
    rng = np.random.default_rng(seed)
    n = len(columns[0])
    out = []
    for _ in range(n_resamples):
        idx = rng.integers(0, n, size=n)
        out.append(float(statistic(*(np.asarray(c, dtype=float)[idx] for c in columns))))
    return np.array(out)


def test_bootstrap_matches_a_one_resample_at_a_time_loop():
    rng = np.random.default_rng(0)
    values = rng.normal(size=50)
    ci = U.bootstrap_ci(values, n_resamples=300, seed=3)
    reference = _loop_distribution([values], np.mean, 300, 3)
    assert np.allclose(ci.distribution, reference, rtol=0, atol=1e-12)
    low, high = np.quantile(reference, [0.025, 0.975])
    assert (ci.low, ci.high) == pytest.approx((low, high), abs=1e-12)
    assert ci.estimate == pytest.approx(values.mean())


def test_bootstrap_of_an_accuracy_is_the_binomial():
    # Resampling n right/wrong answers with replacement: the count right is Binomial(n, p_hat).
    n, right = 2000, 300
    correct = np.zeros(n, dtype=bool)
    correct[:right] = True
    ci = U.bootstrap_ci(correct, n_resamples=20_000, seed=1)
    p = right / n
    assert ci.distribution.std() == pytest.approx(np.sqrt(p * (1 - p) / n), rel=0.03)
    low, high = stats.binom.ppf([0.025, 0.975], n, p) / n
    assert ci.low == pytest.approx(low, abs=1.5 / n) and ci.high == pytest.approx(high, abs=1.5 / n)


def test_vectorised_spearman_equals_scipy_with_ties():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 5, size=(6, 30)).astype(float)  # many ties, as human ratings have
    y = x + rng.normal(size=(6, 30))
    expected = [stats.spearmanr(a, b)[0] for a, b in zip(x, y)]
    assert np.allclose(U.spearman(x, y), expected, atol=1e-12)


def test_bootstrap_of_a_correlation_resamples_pairs_together():
    rng = np.random.default_rng(3)
    human = rng.normal(size=80)
    model = human + rng.normal(size=80)
    ci = U.bootstrap_ci((human, model), U.spearman, n_resamples=200, seed=4)
    reference = _loop_distribution([human, model], lambda a, b: stats.spearmanr(a, b)[0], 200, 4)
    assert np.allclose(ci.distribution, reference, atol=1e-12)
    assert ci.low < stats.spearmanr(human, model)[0] < ci.high


def test_paired_bootstrap_matches_a_loop_and_the_normal_approximation():
    rng = np.random.default_rng(5)
    n = 3000
    a = rng.random(n) < 0.30
    b = a.copy()
    flip = rng.random(n) < 0.05  # the two models disagree on about 5 % of the items
    b[flip] = ~b[flip]
    d = U.paired_bootstrap(a, b, n_resamples=400, seed=6)
    reference = _loop_distribution([a, b], lambda x, y: x.mean() - y.mean(), 400, 6)
    assert np.allclose(d.distribution, reference, atol=1e-12)
    # the normal approximation for paired proportions, from the discordant counts
    n10, n01 = np.sum(a & ~b), np.sum(~a & b)
    se = np.sqrt((n10 + n01) / n ** 2 - (n10 - n01) ** 2 / n ** 3)
    big = U.paired_bootstrap(a, b, n_resamples=20_000, seed=7)
    assert big.distribution.std() == pytest.approx(se, rel=0.05)
    assert big.estimate == pytest.approx(a.mean() - b.mean())


def test_paired_is_narrower_than_unpaired_for_correlated_models():
    rng = np.random.default_rng(8)
    a = rng.random(2000) < 0.4
    b = a.copy()
    b[:60] = ~b[:60]
    paired = U.paired_bootstrap(a, b, n_resamples=4000, seed=0)
    unpaired = U.bootstrap_ci(a, n_resamples=4000, seed=1).distribution - \
        U.bootstrap_ci(b, n_resamples=4000, seed=2).distribution
    assert paired.distribution.std() < 0.5 * unpaired.std()


def test_identical_models_differ_by_exactly_nothing():
    a = np.array([1, 0, 1, 1, 0, 0, 1, 0], dtype=bool)
    d = U.paired_bootstrap(a, a, n_resamples=100)
    assert d.estimate == 0 and d.low == 0 and d.high == 0 and d.p_value == 1.0
    assert U.mcnemar_p(a, a) == 1.0


def test_mcnemar_is_the_two_sided_binomial_on_discordant_items():
    a = np.array([1] * 8 + [0] * 2 + [1] * 5, dtype=bool)
    b = np.array([0] * 8 + [1] * 2 + [1] * 5, dtype=bool)
    # 8 items only a got right, 2 only b: 2 * P(X <= 2), X ~ Binomial(10, 1/2)
    assert U.mcnemar_p(a, b) == pytest.approx(2 * (1 + 10 + 45) / 1024)


def test_seed_spread():
    spread = U.seed_spread([0.1, 0.3, 0.2])
    assert spread.mean == pytest.approx(0.2) and spread.std == pytest.approx(0.1)
    assert spread.range == pytest.approx(0.2)
    with pytest.raises(ValueError, match="at least 2"):
        U.seed_spread([0.5])


def test_bad_inputs_are_clear_errors():
    with pytest.raises(ValueError, match="confidence"):
        U.bootstrap_ci([1.0, 2.0], confidence=95)
    with pytest.raises(ValueError, match="n_resamples"):
        U.bootstrap_ci([1.0, 2.0], n_resamples=0)
    with pytest.raises(ValueError, match="same items"):
        U.paired_bootstrap([1.0, 0.0, 1.0], [1.0, 0.0])
    with pytest.raises(ValueError, match=r"^data holds nan at index \(1,\)"):
        U.bootstrap_ci([1.0, np.nan])
    with pytest.raises(ValueError, match="undefined"):
        U.bootstrap_ci(([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]), U.spearman, n_resamples=5)


# --------------------------------------------------------------------------- the analogy test

def _question_emb(seed=0, questions=60, extra=40, d=8):
    """A lower-case vocabulary holding the words of the first questions of the Google set."""
    with open(dataset_path("questions-words"), encoding="utf-8") as handle:
        lines = [line.split() for line in handle if not line.startswith(":")][:questions]
    words = (list(dict.fromkeys(w.lower() for q in lines for w in q))
             + [f"x{i}" for i in range(extra)])
    rng = np.random.default_rng(seed)
    return Embeddings(words, rng.normal(size=(len(words), d)).astype(np.float32))


def _loop_answer(unit, a, b, c, answer, exclude):
    scores = {"3cosadd": (unit @ (unit[b] - unit[a] + unit[c])
                          / np.linalg.norm(unit[b] - unit[a] + unit[c])),
              "only-b": unit @ unit[b], "only-c": unit @ unit[c],
              "ignore-a": unit @ unit[b] + unit @ unit[c]}[answer].copy()
    if exclude:
        scores[[a, b, c]] = -np.inf
    return int(np.argmax(scores))


def test_outcomes_agree_with_the_google_evaluation():
    emb = _question_emb()
    result = google_analogies(emb, restrict_vocab=len(emb))
    questions = [q[:4] for q in result.answers]
    correct, predicted = U.analogy_outcomes(emb, questions, restrict_vocab=len(emb))
    assert np.array_equal(correct, U.analogy_correct(result))
    assert [p.upper() for p in predicted] == [q[4] for q in result.answers]
    assert len(correct) == result.total.total > 0


@pytest.mark.parametrize("answer", ["3cosadd", "only-b", "only-c", "ignore-a"])
@pytest.mark.parametrize("exclude", [True, False])
def test_outcomes_match_a_loop(answer, exclude):
    emb = _question_emb(seed=1, d=4)  # few dimensions: neighbours often answer correctly
    rng = np.random.default_rng(2)
    words = emb.words
    questions = [tuple(words[i] for i in rng.choice(len(words), 4, replace=False))
                 for _ in range(40)]
    # answerable only without exclusion
    questions += [(q[0], q[1], q[2], q[2]) for q in questions[:5]]
    unit = emb.vectors / np.linalg.norm(emb.vectors, axis=1, keepdims=True)
    idx = {w: i for i, w in enumerate(words)}
    expected = [_loop_answer(unit, idx[a], idx[b], idx[c], answer, exclude)
                for a, b, c, _ in questions]
    correct, predicted = U.analogy_outcomes(emb, questions, answer=answer, exclude=exclude)
    assert predicted == [words[i] for i in expected]
    assert np.array_equal(correct, [words[i] == q[3] for i, q in zip(expected, questions)])


def test_outcomes_without_exclusion_often_answer_with_a_question_word():
    emb = _question_emb(seed=3)
    questions = [q[:4] for q in google_analogies(emb, restrict_vocab=len(emb)).answers]
    _, predicted = U.analogy_outcomes(emb, questions, exclude=False)
    assert all(p not in q[:3] for p, q in zip(U.analogy_outcomes(emb, questions)[1],
                                                [[w.lower() for w in q] for q in questions]))
    assert any(p in [w.lower() for w in q[:3]] for p, q in zip(predicted, questions))


def test_outcomes_reject_unknown_words_and_answers():
    emb = _question_emb()
    with pytest.raises(ValueError, match="'ZZZ' is not among"):
        U.analogy_outcomes(emb, [("athens", "greece", "zzz", "x1")])
    with pytest.raises(ValueError, match="answer must be one of"):
        U.analogy_outcomes(emb, [], answer="nearest")
