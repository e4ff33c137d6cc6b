"""How sure is a score? Bootstrap intervals, paired comparisons, seed spread, and the analogy
test's pitfalls.

Chapter: *How sure are the scores?*

A score such as "2.7 % on the Google analogies" has two kinds of noise:

* **the questions**: another equally good set of questions would give another number.
  :func:`bootstrap_ci` resamples the questions (or word pairs) with replacement and reports
  the percentile interval of the score (Efron's percentile bootstrap);
  :func:`paired_bootstrap` compares two models *on the same resampled questions*, which
  cancels the questions both get right or wrong; :func:`mcnemar_p` is the classical exact
  test for the same paired right/wrong data;
* **the training run**: another seed gives other vectors. :func:`seed_spread` summarises
  the scores of several seeds.

And two pitfalls of the analogy test (Linzen 2016), measured by :func:`analogy_outcomes`:
the answer is often simply the nearest neighbour of ``c`` (or of ``b``), which the
``"only-c"`` and ``"only-b"`` baselines answer without looking at ``a`` at all; and the
test only works because the question words themselves are excluded from the answers
(``exclude=False`` shows what happens otherwise).

Statistics are vectorised over resamples: a ``statistic`` takes arrays whose last axis is
the data (shape ``(B, n)``) and returns ``(B,)``; :func:`mean` and :func:`spearman` are two.

References
----------
- B. Efron, R. Tibshirani (1993). An Introduction to the Bootstrap. Chapman & Hall.
- T. Linzen (2016). Issues in evaluating semantic spaces using word analogies. RepEval.
- Q. McNemar (1947). Note on the sampling error of the difference between correlated
  proportions or percentages. Psychometrika 12(2).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lessons import checks
from lessons.vectors.analogy import analogy_scores, check_questions, exclude_question_words
from lessons.vectors.evaluation import AnalogyResult, word_rows

__all__ = ["mean", "spearman", "Interval", "bootstrap_ci", "Difference", "paired_bootstrap",
           "mcnemar_p", "SeedSpread", "seed_spread", "analogy_correct", "ANSWERS",
           "analogy_outcomes"]

# Resample index arrays are drawn in chunks of about this many entries (32 MB of int64).
_CHUNK_ENTRIES = 1 << 22
# Analogy questions are scored in batches of this many (a (batch, R) float32 matrix each).
_BATCH = 512

#: How :func:`analogy_outcomes` answers ``a : b :: c : ?``.
ANSWERS = ("3cosadd", "3cosmul", "only-b", "only-c", "ignore-a")


def mean(values) -> np.ndarray:
    """Mean over the last axis: ``(B, n) -> (B,)`` (accuracy, for 0/1 values).

    The bootstrap's statistic, run on resampled blocks (checked, not copied).
    """
    values = checks.array("values", values, dtype=None)  # not copied
    if values.ndim == 0 or values.shape[-1] == 0:
        raise ValueError(f"values must have at least one value along its last axis, got "
                         f"shape {values.shape}")
    return np.mean(values, axis=-1)


def spearman(x, y) -> np.ndarray:
    """Spearman rank correlation along the last axis (ties get their average rank, as in
    ``scipy.stats.spearmanr``): ``(B, n), (B, n) -> (B,)``; 1-d inputs give a 0-d array."""
    from scipy.stats import rankdata

    x, y = checks.array("x", x, dtype=None), checks.array("y", y, dtype=None)
    if x.shape != y.shape or x.ndim == 0 or x.shape[-1] < 2:
        raise ValueError(f"x and y must have the same shape, with at least 2 values along "
                         f"the last axis, got {x.shape} and {y.shape}")
    rx = rankdata(np.asarray(x, dtype=np.float64), axis=-1)
    ry = rankdata(np.asarray(y, dtype=np.float64), axis=-1)
    rx -= rx.mean(axis=-1, keepdims=True)
    ry -= ry.mean(axis=-1, keepdims=True)
    denominator = np.sqrt(np.sum(rx ** 2, axis=-1) * np.sum(ry ** 2, axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sum(rx * ry, axis=-1) / denominator  # NaN for a constant resample


def _as_columns(data, name: str) -> tuple:
    """``data`` as a tuple of equal-length 1-d float64 arrays (one array or a tuple of them)."""
    columns = tuple(data) if isinstance(data, (tuple, list)) and data and np.ndim(data[0]) == 1 \
        else (data,)
    columns = tuple(checks.array(name, c, ndim=1, what="a 1-d array (or a tuple of them)")
                    for c in columns)
    n = len(columns[0])
    if n < 2 or any(len(c) != n for c in columns):
        raise ValueError(f"{name}: arrays must have the same length, at least 2; got "
                         f"{[len(c) for c in columns]}")
    return columns


def _resampled(columns_list, statistic, n_resamples, confidence, seed) -> list:
    """For each tuple of columns, the statistic on the same ``n_resamples`` resamples:
    a list of (n_resamples,) arrays. Row ``i`` of every array uses the same indices.
    ``confidence`` (of the interval the caller takes) is checked with the other arguments."""
    n_resamples = checks.integer("n_resamples", n_resamples, 1)
    checks.number("confidence", confidence, 0, 1, strict=True, strict_max=True,
                  why=" (e.g. 0.95)")
    n = len(columns_list[0][0])
    rng = checks.random_state("seed", seed)
    chunk = max(1, _CHUNK_ENTRIES // n)
    out = [np.empty(n_resamples) for _ in columns_list]
    for start in range(0, n_resamples, chunk):
        size = min(chunk, n_resamples - start)
        idx = rng.integers(0, n, size=(size, n))  # (size, n) one resample per row
        for result, columns in zip(out, columns_list):
            result[start:start + size] = statistic(*(c[idx] for c in columns))
    return out


def _interval(values, confidence) -> tuple[float, float]:
    """The ``confidence`` percentile interval of resampled ``values`` (n_resamples,)."""
    if not np.all(np.isfinite(values)):
        raise ValueError("the statistic is undefined (NaN) on some resamples, e.g. a correlation "
                         "of constant values; use more data")
    alpha = (1 - confidence) / 2
    low, high = np.quantile(values, [alpha, 1 - alpha])
    return float(low), float(high)


@dataclass
class Interval:
    """A score and its percentile bootstrap interval.

    Attributes
    ----------
    estimate : float
        The statistic on the data as given.
    low, high : float
        The ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of the resampled
        statistic.
    confidence : float
    distribution : (n_resamples,) float64
        The statistic on every resample.
    """

    estimate: float
    low: float
    high: float
    confidence: float
    distribution: np.ndarray = field(repr=False)

    @property
    def width(self) -> float:
        return self.high - self.low


def bootstrap_ci(data, statistic=mean, *, n_resamples: int = 10_000, confidence: float = 0.95,
                 seed: int = 0) -> Interval:
    """Percentile bootstrap interval of ``statistic(data)``.

    Parameters
    ----------
    data : (n,) array, or a tuple of (n,) arrays resampled together (rows stay paired, e.g.
        ``(human, model)`` for a correlation)
    statistic : callable
        Vectorised: takes arrays of shape ``(B, n)`` (one per array in ``data``) and returns
        ``(B,)``. Default :func:`mean`.
    n_resamples : int
    confidence : float
    seed : int or numpy.random.Generator
        Seeds ``numpy.random.default_rng``; the same seed gives the same interval.

    Returns
    -------
    Interval
    """
    columns = _as_columns(data, "data")
    estimate = float(statistic(*columns))
    (distribution,) = _resampled([columns], statistic, n_resamples, confidence, seed)
    return Interval(estimate, *_interval(distribution, confidence), confidence, distribution)


@dataclass
class Difference(Interval):
    """:class:`Interval` of ``statistic(first) - statistic(second)``, plus a two-sided
    bootstrap p-value: twice the share of resampled differences on the far side of 0."""

    p_value: float = 1.0


def paired_bootstrap(first, second, statistic=mean, *, n_resamples: int = 10_000,
                     confidence: float = 0.95, seed: int = 0) -> Difference:
    """Is ``statistic(first)`` really different from ``statistic(second)``?

    ``first`` and ``second`` are two models' results on the **same** items (e.g. 0/1
    correctness of each analogy question, or ``(human, cosines)`` pairs): each resample
    draws one set of item indices and scores both models on it, so items that both get right
    (or wrong) do not add noise to the difference.

    Returns
    -------
    Difference
        ``estimate`` is the observed difference; ``low``, ``high`` its percentile interval;
        ``p_value`` is ``min(1, 2 min(P(d* <= 0), P(d* >= 0)))`` over the resampled differences.
    """
    a, b = _as_columns(first, "first"), _as_columns(second, "second")
    if len(a[0]) != len(b[0]):
        raise ValueError(f"first and second must score the same items, got {len(a[0])} and "
                         f"{len(b[0])}")
    estimate = float(statistic(*a) - statistic(*b))
    stat_a, stat_b = _resampled([a, b], statistic, n_resamples, confidence, seed)
    d = stat_a - stat_b  # (n_resamples,)
    low, high = _interval(d, confidence)
    p = min(1.0, 2 * min(np.mean(d <= 0), np.mean(d >= 0)))
    return Difference(estimate, low, high, confidence, d, float(p))


def mcnemar_p(first, second) -> float:
    """McNemar's exact test for two models' 0/1 outcomes on the same items: a two-sided
    binomial test of the items only the first got right against those only the second did.
    1.0 when no item is discordant."""
    a, b = (checks.array(name, x, ndim=1, dtype=None, minimum=0, maximum=1,
                         what="a 1-d array of 0/1 outcomes")
            for name, x in (("first", first), ("second", second)))
    for name, x in (("first", a), ("second", b)):
        if not np.isin(x, (0, 1)).all():
            raise ValueError(f"{name} must hold 0/1 outcomes (or booleans), got "
                             f"{x[~np.isin(x, (0, 1))][0]}")
    a, b = a.astype(bool), b.astype(bool)
    if a.shape != b.shape:
        raise ValueError(f"first and second must have the same length, got {a.shape} and "
                         f"{b.shape}")
    only_first, only_second = int(np.sum(a & ~b)), int(np.sum(~a & b))
    if only_first + only_second == 0:
        return 1.0
    from scipy.stats import binomtest

    return float(binomtest(only_first, only_first + only_second, 0.5).pvalue)


@dataclass
class SeedSpread:
    """Scores of one setting trained with several seeds."""

    values: np.ndarray
    mean: float
    std: float  # sample standard deviation (ddof=1)
    low: float  # smallest
    high: float  # largest

    @property
    def range(self) -> float:
        return self.high - self.low


def seed_spread(values) -> SeedSpread:
    """Mean, sample standard deviation and range of one score over seeds: (seeds,) values."""
    values = checks.array("values", values, ndim=1, min_rows=2,
                          what="a 1-d array of finite scores (one per seed)")
    return SeedSpread(values, float(values.mean()), float(values.std(ddof=1)),
                      float(values.min()), float(values.max()))


# --------------------------------------------------------------------------- the analogy test

def analogy_correct(result) -> np.ndarray:
    """(Q,) bool: which answered questions of a
    :class:`lessons.vectors.evaluation.AnalogyResult` were right, in file order."""
    checks.optional("result", result, AnalogyResult)
    if result is None:
        raise checks.ArgumentTypeError("result must be a lessons.vectors.evaluation."
                                       "AnalogyResult (what google_analogies returns), got None")
    return np.array([predicted == expected for *_, expected, predicted in result.answers],
                    dtype=bool)


def analogy_outcomes(emb, questions, *, answer: str = "3cosadd", exclude: bool = True,
                     restrict_vocab: int = 30000, epsilon: float = 1e-3):
    """Answer analogy questions ``(a, b, c, d)`` one way, and say which answers are ``d``.

    Parameters
    ----------
    emb : Embeddings
        Rows in descending frequency; the first ``restrict_vocab`` rows are the candidates.
    questions : list of (a, b, c, d)
        Words (case-insensitive: the first case variant among the candidates is used), e.g.
        ``[q[:4] for q in google_analogies(emb).answers]``. Every word must be a candidate.
    answer : {"3cosadd", "3cosmul", "only-b", "only-c", "ignore-a"}
        3CosAdd / 3CosMul as in :func:`lessons.vectors.analogy.analogy_scores`; Linzen's
        baselines: the nearest neighbour of ``b`` or of ``c``, and ``cos(x, b) + cos(x, c)``
        (3CosAdd without ``a``).
    exclude : bool
        Leave the question words ``a``, ``b``, ``c`` out of the answers (as every published
        evaluation does). With ``False`` the answer may be one of them.

    Returns
    -------
    (correct (Q,) bool, predicted (Q,) list of str)
        Plain top-1 answers; with ``exclude=True`` and 3CosAdd they are those of
        :func:`lessons.vectors.evaluation.google_analogies` on a lower-case vocabulary (which
        also skips case variants of the question words).
    """
    checks.choice("answer", answer, ANSWERS)
    rows = min(checks.integer("restrict_vocab", restrict_vocab, 1), len(emb))
    lookup = word_rows(emb, rows, case_insensitive=True)  # upper-cased word -> row
    questions = check_questions(questions)
    try:
        ids = np.array([[lookup[w.upper()] for w in q[:4]] for q in questions],
                       dtype=np.int64).reshape(-1, 4)  # (Q, 4)
    except KeyError as err:
        raise ValueError(f"questions: {err.args[0]!r} is not among the first {rows:,} words "
                         f"(restrict_vocab); drop that question first") from None
    unit = emb.normalized  # (V, d) float32
    # A test has far fewer distinct words than questions: their cosines with every candidate,
    # computed once, turn each batch into row gathers instead of a matrix product.
    distinct, local = np.unique(ids[:, :3], return_inverse=True)
    local = local.reshape(-1, 3)  # (Q, 3) positions of a, b, c in `distinct`
    table = unit[distinct] @ unit[:rows].T  # (U, R) float32 cosines
    predicted = np.empty(len(ids), dtype=np.int64)
    for start in range(0, len(ids), _BATCH):
        a, b, c, _ = ids[start:start + _BATCH].T  # (B,) row of each word
        la, lb, lc = local[start:start + _BATCH].T  # (B,) the same, in `table`
        if answer in ("3cosadd", "3cosmul"):
            scores = analogy_scores(unit, a, b, c, method=answer, epsilon=epsilon,
                                    candidates=rows, cosines=(table, np.stack([la, lb, lc])))
        elif answer == "ignore-a":
            scores = table[lb] + table[lc]  # (B, R)
        else:
            scores = table[lb if answer == "only-b" else lc].copy()  # (B, R)
        if exclude:
            exclude_question_words(scores, a, b, c)
        predicted[start:start + _BATCH] = scores.argmax(axis=1)
    correct = predicted == ids[:, 3]
    return correct, [emb.words[i] for i in predicted]
