"""Bias in word vectors: a gender direction, association tests, hard debiasing and its limits.

Chapter: *What else the geometry learns: bias*.

Vectors trained to predict contexts also learn who is written about doing what. Four
measurements, each from a paper the chapter cites:

* **a direction** (Bolukbasi et al. 2016): :func:`pair_direction` takes pairs of words that
  differ by gender by definition (*she/he*, *mother/father*) and returns the first principal
  axis of their centred pairs (``method="pca"``, the paper's recipe) or the mean of their
  unit differences (``method="mean"``), with the share of variance each principal axis
  explains; :func:`projections` puts other words on it and :func:`pair_accuracy` checks it
  on held-out pairs;
* **association tests** (Caliskan et al. 2017, WEAT): :func:`weat_effect_size` and the
  permutation test :func:`weat_p_value` (exact enumeration of the re-partitions of the target
  words when there are few, random re-partitions otherwise); :func:`weat` runs a test from
  word lists and reports the words the vocabulary lacks;
* **hard debiasing** (Bolukbasi et al. 2016): :func:`neutralize` removes the component along
  the direction, :func:`equalize` makes a pair symmetric about it;
* **its limits** (Gonen & Goldberg 2019): after neutralising, do the words that were most
  biased still group by their old bias? :func:`cluster_recovery` (2-means, :func:`kmeans`) and
  :func:`neighbour_recovery` (leave-one-out k nearest neighbours) measure it.

Every function takes unit-normalisable vectors ``(n, d)``; cosines are computed in float64.

References
----------
- T. Bolukbasi, K.-W. Chang, J. Zou, V. Saligrama, A. Kalai (2016). Man is to Computer
  Programmer as Woman is to Homemaker? Debiasing Word Embeddings. NeurIPS.
- A. Caliskan, J. J. Bryson, A. Narayanan (2017). Semantics derived automatically from language
  corpora contain human-like biases. Science 356(6334).
- H. Gonen, Y. Goldberg (2019). Lipstick on a Pig: Debiasing Methods Cover up Systematic Gender
  Biases in Word Embeddings But do not Remove Them. NAACL.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from math import comb

import numpy as np

from lessons import checks
from lessons.vectors.linalg import directions, principal_axes, unit_rows

__all__ = ["DEFINITIONAL_PAIRS", "WEAT_TESTS", "Direction", "present", "pair_direction",
           "gender_direction", "projections", "pair_accuracy", "association", "weat_effect_size",
           "PermutationTest", "weat_p_value", "WeatResult", "weat", "neutralize", "equalize",
           "kmeans", "cluster_recovery", "neighbour_recovery"]

#: Bolukbasi et al.'s ten definitional pairs, (female, male).
DEFINITIONAL_PAIRS = (("she", "he"), ("her", "his"), ("woman", "man"), ("mary", "john"),
                      ("herself", "himself"), ("daughter", "son"), ("mother", "father"),
                      ("gal", "guy"), ("girl", "boy"), ("female", "male"))

#: Four of Caliskan et al.'s tests (their numbering), each ``(X, Y, A, B)`` with names:
#: targets X and Y, attributes A and B (all lower-cased, as text8 is).
WEAT_TESTS = {
    "WEAT 1: flowers vs insects, pleasant vs unpleasant": (
        ("flowers", "aster clover hyacinth marigold poppy azalea crocus iris orchid rose bluebell "
                    "daffodil lilac pansy tulip buttercup daisy lily peony violet carnation "
                    "gladiola magnolia petunia zinnia"),
        ("insects", "ant caterpillar flea locust spider bedbug centipede fly maggot tarantula bee "
                    "cockroach gnat mosquito termite beetle cricket hornet moth wasp blackfly "
                    "dragonfly horsefly roach weevil"),
        ("pleasant", "caress freedom health love peace cheer friend heaven loyal pleasure diamond "
                     "gentle honest lucky rainbow diploma gift honor miracle sunrise family happy "
                     "laughter paradise vacation"),
        ("unpleasant", "abuse crash filth murder sickness accident death grief poison stink "
                       "assault disaster hatred pollute tragedy divorce jail poverty ugly cancer "
                       "kill rotten vomit agony prison")),
    "WEAT 6: male vs female names, career vs family": (
        ("male names", "john paul mike kevin steve greg jeff bill"),
        ("female names", "amy joan lisa sarah diana kate ann donna"),
        ("career", "executive management professional corporation salary office business career"),
        ("family", "home parents children family cousins marriage wedding relatives")),
    "WEAT 7: maths vs arts, male vs female terms": (
        ("maths", "math algebra geometry calculus equations computation numbers addition"),
        ("arts", "poetry art dance literature novel symphony drama sculpture"),
        ("male terms", "male man boy brother he him his son"),
        ("female terms", "female woman girl sister she her hers daughter")),
    "WEAT 8: science vs arts, male vs female terms": (
        ("science", "science technology physics chemistry einstein nasa experiment astronomy"),
        ("arts", "poetry art shakespeare dance literature novel symphony drama"),
        ("male terms", "brother father uncle grandfather son he his him"),
        ("female terms", "sister mother aunt grandmother daughter she hers her")),
}

# Exact enumeration of the re-partitions when there are at most this many (C(16, 8) = 12,870;
# C(20, 10) = 184,756): a (count, |X|) index array of this size is a few MB.
_EXACT_LIMIT = 200_000


def present(emb, words) -> tuple[list, list]:
    """Split ``words`` (a list or a space-separated string) into ``(found, missing)`` in ``emb``."""
    words = words.split() if isinstance(words, str) else checks.words("words", words)
    return [w for w in words if w in emb], [w for w in words if w not in emb]


# --------------------------------------------------------------------------- a direction

@dataclass
class Direction:
    """A unit direction found from word pairs.

    Attributes
    ----------
    vector : (d,) float64, unit length, oriented so that first-minus-second differences of the
        pairs project positive on average.
    method : "pca" or "mean"
    explained : (k,) float64
        Share of the centred pairs' variance along each principal axis (sums to 1), whatever
        the method: how much one axis dominates.
    pairs : list of (str, str)
        The pairs used; ``missing`` lists those with a word outside the vocabulary.
    """

    vector: np.ndarray
    method: str
    explained: np.ndarray
    pairs: list = field(default_factory=list)
    missing: list = field(default_factory=list)


def pair_direction(first, second, *, method: str = "pca") -> tuple[np.ndarray, np.ndarray]:
    """The direction along which each ``first[i]`` differs from ``second[i]``.

    Parameters
    ----------
    first, second : (n, d) arrays
        The two words of each pair (normalised to unit length here).
    method : {"pca", "mean"}
        ``"pca"`` (Bolukbasi et al.): centre each pair on its midpoint and take the first
        principal axis of the ``2n`` centred vectors (uncentred SVD: the centred pairs already
        have mean zero). The axis ignores each pair's sign, so a large difference that the
        pairs do not share can win. ``"mean"``: the mean of the unit differences
        ``first - second``, normalised, which keeps the signs.

    Returns
    -------
    (direction (d,) unit float64, explained (k,) float64)
        ``explained[j]`` is the share of the centred pairs' variance along principal axis ``j``.
    """
    checks.choice("method", method, ("pca", "mean"))
    first, second = directions("first", first), directions("second", second)
    if first.shape != second.shape:
        raise ValueError(f"first and second must have the same shape, got {first.shape} and "
                         f"{second.shape}")
    half = (first - second) / 2  # (n, d): first minus the midpoint; second's is -half
    centred = np.concatenate([half, -half])  # (2n, d)
    _, axes, s = principal_axes(centred, 1, center=False)  # (1, d) first axis, (k,) all values
    explained = s ** 2 / np.sum(s ** 2)  # (k,)
    if method == "pca":
        direction = axes[0]
    else:
        direction = np.mean(unit_rows(first - second), axis=0)
        norm = np.linalg.norm(direction)
        if norm == 0:
            raise ValueError("the pair differences cancel out: no mean direction")
        direction = direction / norm
    if np.mean((first - second) @ direction) < 0:  # orient from second towards first
        direction = -direction
    return direction, explained


def gender_direction(emb, pairs=DEFINITIONAL_PAIRS, *, method: str = "pca") -> Direction:
    """:func:`pair_direction` of the ``(female, male)`` ``pairs`` found in ``emb``.

    Pairs with a word outside the vocabulary are skipped and listed in ``.missing``; the
    direction points from the second word of each pair (male) towards the first (female).
    """
    pairs = _pairs(pairs)
    kept = [p for p in pairs if p[0] in emb and p[1] in emb]
    if len(kept) < 1:
        raise ValueError(f"none of the pairs has both words in the vocabulary: {pairs}")
    rows = np.array([[emb.index_of(a), emb.index_of(b)] for a, b in kept])  # (n, 2)
    vector, explained = pair_direction(emb.vectors[rows[:, 0]], emb.vectors[rows[:, 1]],
                                       method=method)
    return Direction(vector, method, explained, kept, [p for p in pairs if p not in kept])


def projections(vectors, direction) -> np.ndarray:
    """Cosine of each row of ``vectors`` (n, d) with ``direction`` (d,): (n,) float64."""
    direction = directions("direction", direction)[0]
    return directions("vectors", vectors) @ direction


def pair_accuracy(emb, pairs, direction) -> tuple[float, list]:
    """Share of ``(first, second)`` pairs whose first word projects higher on ``direction``.

    A check of the direction on pairs it was not built from: a direction that captures the
    difference puts every held-out *queen* above its *king*; a coin would get half.

    Returns
    -------
    (accuracy, used pairs): pairs with a word outside the vocabulary are skipped.
    """
    pairs = _pairs(pairs)
    used = [p for p in pairs if p[0] in emb and p[1] in emb]
    if not used:
        missing = sorted({w for p in pairs for w in p if w not in emb})
        raise ValueError(f"pairs: no pair has both words in the vocabulary of emb (missing: "
                         f"{', '.join(map(repr, missing[:10]))})")
    first = projections(emb.vectors[[emb.index_of(a) for a, _ in used]], direction)
    second = projections(emb.vectors[[emb.index_of(b) for _, b in used]], direction)
    return float(np.mean(first > second)), used


# --------------------------------------------------------------------------- WEAT

def _check_sets(X, Y, A, B) -> None:
    """Each set a non-empty (n, d) array of non-zero vectors; an error names the set (the
    arrays are used as they are: checking leaves the arithmetic alone)."""
    for name, vectors in (("X", X), ("Y", Y), ("A", A), ("B", B)):
        directions(name, vectors)


def _pairs(pairs) -> list[tuple[str, str]]:
    """``pairs`` as a list of ``(str, str)`` tuples, or an error naming the first bad one."""
    if pairs is None or isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__iter__"):
        raise checks.ArgumentTypeError(f"pairs must be a list of (word, word) tuples, got "
                                       f"{checks.describe(pairs)}")
    out = [tuple(p) if hasattr(p, "__iter__") and not isinstance(p, str) else p for p in pairs]
    for i, p in enumerate(out):
        if not (isinstance(p, tuple) and len(p) == 2 and all(isinstance(w, str) for w in p)):
            raise ValueError(f"pairs[{i}] must be a pair of words (str, str), got "
                             f"{checks.describe(p)}")
    return out


def association(W, A, B) -> np.ndarray:
    """``s(w, A, B)``: mean cosine of each row of ``W`` with ``A`` minus that with ``B``: (n,)."""
    W, A, B = directions("W", W), directions("A", A), directions("B", B)
    return (W @ A.T).mean(axis=1) - (W @ B.T).mean(axis=1)


def weat_effect_size(X, Y, A, B) -> float:
    """Caliskan et al.'s effect size: how much more the targets ``X`` than ``Y`` associate with
    attributes ``A`` than ``B``, in standard deviations.

    ``(mean_x s(x, A, B) - mean_y s(y, A, B)) / std_{w in X u Y} s(w, A, B)``, with the
    sample standard deviation (``ddof=1``). Like Cohen's d, but the spread is over the pooled
    target words; 0 means no difference, about 2 is the most two small lists usually give.
    """
    _check_sets(X, Y, A, B)
    sx, sy = association(X, A, B), association(Y, A, B)
    pooled = np.concatenate([sx, sy])
    if len(pooled) < 3:
        raise ValueError("the effect size needs at least 3 target words in X and Y together")
    spread = np.std(pooled, ddof=1)
    if spread == 0:
        raise ValueError("every target word has the same association: the effect size is undefined")
    return float((sx.mean() - sy.mean()) / spread)


@dataclass
class PermutationTest:
    """Result of :func:`weat_p_value`.

    Attributes
    ----------
    p_value : float
        One-sided: the share of re-partitions whose statistic is at least the observed one.
    statistic : float
        ``sum_x s(x, A, B) - sum_y s(y, A, B)`` for the real partition.
    null : (m,) float64
        The statistic of every re-partition considered (all of them when ``exact``).
    exact : bool
        True when every re-partition was enumerated; else ``m`` random ones were drawn.
    partitions : int
        How many re-partitions exist: ``C(|X| + |Y|, |X|)``.
    """

    p_value: float
    statistic: float
    null: np.ndarray = field(repr=False)
    exact: bool
    partitions: int


def weat_p_value(X, Y, A, B, *, n_permutations: int = 10_000, seed: int = 0,
                 exact_limit: int = _EXACT_LIMIT) -> PermutationTest:
    """Caliskan et al.'s permutation test: could a random split of the targets do as well?

    The target words ``X`` and ``Y`` are pooled and re-split into groups of the same sizes
    ``|X|`` and ``|Y|``. The p-value is the share of re-partitions whose test statistic
    ``sum_x s(x) - sum_y s(y)`` is at least the observed one. When there are at most
    ``exact_limit`` re-partitions all are enumerated (the observed one included, so
    ``p >= 1 / partitions``); otherwise ``n_permutations`` random ones are drawn with
    ``numpy.random.default_rng(seed)`` and ``p = (1 + hits) / (1 + n_permutations)``, which
    never reports an impossible 0.

    Parameters
    ----------
    X, Y : (nx, d), (ny, d) target vectors; A, B : attribute vectors
    n_permutations : int
        Random re-partitions when enumeration is too large.
    seed : int or numpy.random.Generator
    exact_limit : int

    Returns
    -------
    PermutationTest
    """
    n_permutations = checks.integer("n_permutations", n_permutations, 1)
    exact_limit = checks.integer("exact_limit", exact_limit, 0)
    _check_sets(X, Y, A, B)
    s = np.concatenate([association(X, A, B), association(Y, A, B)])  # (n,) pooled
    nx, n = len(np.atleast_2d(X)), len(s)
    if nx == n:
        raise ValueError("Y must hold at least one target word")
    total = s.sum()
    # The statistic of the group S taken as X is sum_S s - (total - sum_S s) = 2 sum_S s - total.
    observed = 2 * s[:nx].sum() - total
    partitions = comb(n, nx)
    exact = partitions <= exact_limit
    if exact:
        groups = np.array(list(combinations(range(n), nx)), dtype=np.int64)  # (C, nx)
    else:
        rng = checks.random_state("seed", seed)
        shuffled = rng.permuted(np.tile(np.arange(n), (n_permutations, 1)), axis=1)
        groups = shuffled[:, :nx]  # (m, nx) a random group of |X| words per row
    null = 2 * s[groups].sum(axis=1) - total  # (m,)
    # Sums in another order differ in the last bits: count ties as hits.
    hits = int(np.sum(null >= observed - 1e-12 * np.abs(s).sum()))
    p = hits / len(null) if exact else (1 + hits) / (1 + len(null))
    return PermutationTest(float(p), float(observed), null, exact, partitions)


@dataclass
class WeatResult:
    """Result of :func:`weat`: the effect size, the permutation test and the words used."""

    name: str
    effect_size: float
    test: PermutationTest
    words: dict  # set name -> the words found, in list order
    missing: dict  # set name -> the words outside the vocabulary

    @property
    def p_value(self) -> float:
        return self.test.p_value

    def __str__(self) -> str:
        sizes = ", ".join(f"{k} {len(v)}" for k, v in self.words.items())
        return (f"{self.name}: effect size {self.effect_size:+.2f}, p = {self.p_value:.3f} "
                f"({'exact' if self.test.exact else 'sampled'}; words found: {sizes})")


def weat(emb, X, Y, A, B, *, name: str = "WEAT", n_permutations: int = 10_000,
         seed: int = 0) -> WeatResult:
    """A WEAT from word lists: each of ``X, Y, A, B`` is ``(set name, words)``, the words a list
    or a space-separated string (as in :data:`WEAT_TESTS`). Words outside ``emb`` are dropped
    and reported; each set must keep at least one word.
    """
    words, missing, vectors = {}, {}, []
    for argument, given in (("X", X), ("Y", Y), ("A", A), ("B", B)):
        if not (isinstance(given, (tuple, list)) and len(given) == 2
                and isinstance(given[0], str)):
            raise ValueError(f"{argument} must be a (set name, words) pair, e.g. ('career', "
                             f"'executive salary office'), got {checks.describe(given)}")
        set_name, items = given
        if not isinstance(items, str):
            checks.words(f"{argument}[1]", items)  # the message names the set's argument
        found, lost = present(emb, items)
        if not found:
            raise ValueError(f"no word of the set {set_name!r} is in the vocabulary")
        words[set_name], missing[set_name] = found, lost
        vectors.append(emb.vectors[[emb.index_of(w) for w in found]])
    test = weat_p_value(*vectors, n_permutations=n_permutations, seed=seed)
    return WeatResult(name, weat_effect_size(*vectors), test, words, missing)


# --------------------------------------------------------------------------- hard debiasing

def neutralize(vectors, direction) -> np.ndarray:
    """Bolukbasi et al.'s *neutralise*: unit rows with their component along ``direction``
    removed, then scaled back to unit length. ``(n, d) -> (n, d)`` float64.

    Afterwards every row is orthogonal to the direction (projection 0); everything else about
    the vector is unchanged.
    """
    direction = directions("direction", direction)[0]
    U = directions("vectors", vectors)
    rest = U - np.outer(U @ direction, direction)  # (n, d)
    norms = np.linalg.norm(rest, axis=1, keepdims=True)
    if np.any(norms < 1e-12):
        raise ValueError("a vector lies along the direction: nothing is left after neutralising")
    return rest / norms


def equalize(first, second, direction) -> tuple[np.ndarray, np.ndarray]:
    """Bolukbasi et al.'s *equalise* for pairs: the same vector off the direction, opposite
    (and unit-length) components along it, so any neutral word is equally close to both.

    ``first``, ``second`` (n, d) → two (n, d) float64 arrays of unit rows.
    """
    direction = directions("direction", direction)[0]
    F, S = directions("first", first), directions("second", second)
    if F.shape != S.shape:
        raise ValueError(f"first and second must have the same shape (one row per pair), got "
                         f"{F.shape} and {S.shape}")
    mid = (F + S) / 2
    off = mid - np.outer(mid @ direction, direction)  # (n, d) the shared part, off the direction
    height = np.sqrt(np.clip(1 - np.sum(off ** 2, axis=1), 0, None))  # (n,) keeps length 1
    side = np.sign((F - S) @ direction)  # (n,) which side the first word is on
    side[side == 0] = 1.0
    along = (side * height)[:, None] * direction  # (n, d)
    return off + along, off - along


# --------------------------------------------------------------------------- its limits

def kmeans(X, k: int, *, seed: int = 0, n_init: int = 10, max_iter: int = 300):
    """Lloyd's k-means with k-means++ starts; the best of ``n_init`` runs.

    Parameters
    ----------
    X : (n, d) array; k : int, 1 <= k <= n; seed : int or Generator (one for every start)

    Returns
    -------
    (labels (n,) int64, centres (k, d) float64, inertia float): the sum of squared distances
    of the points to their centres, the smallest found.
    """
    X = checks.matrix("X", X, min_rows=1)
    k = checks.integer("k", k, 1, len(X), why_high=" (one point per cluster at least)")
    n_init = checks.integer("n_init", n_init, 1)
    max_iter = checks.integer("max_iter", max_iter, 1)
    rng = checks.random_state("seed", seed)
    sq = np.sum(X ** 2, axis=1)  # (n,)
    best = None
    for _ in range(n_init):
        centres = X[[rng.integers(len(X))]]  # k-means++: far points are likelier next centres
        while len(centres) < k:
            d2 = np.min(sq[:, None] - 2 * X @ centres.T + np.sum(centres ** 2, axis=1), axis=1)
            d2 = np.clip(d2, 0, None)
            p = d2 / d2.sum() if d2.sum() > 0 else np.full(len(X), 1 / len(X))
            centres = np.vstack([centres, X[rng.choice(len(X), p=p)]])
        labels = None
        for _ in range(max_iter):
            d2 = sq[:, None] - 2 * X @ centres.T + np.sum(centres ** 2, axis=1)  # (n, k)
            new = np.argmin(d2, axis=1)
            if labels is not None and np.array_equal(new, labels):
                break
            labels = new
            for j in range(k):  # an emptied cluster keeps its old centre
                if np.any(labels == j):
                    centres[j] = X[labels == j].mean(axis=0)
        inertia = float(np.sum((X - centres[labels]) ** 2))
        if best is None or inertia < best[2] - 1e-12:
            best = (labels.astype(np.int64), centres.copy(), inertia)
    return best


def cluster_recovery(vectors, labels, *, seed: int = 0, n_init: int = 10) -> float:
    """Gonen & Goldberg's clustering test: 2-means on the unit ``vectors``, scored against
    the binary ``labels`` (n,), the better of the two ways to name the clusters.

    1.0: the clusters are exactly the labelled groups; 0.5: no relation (for balanced labels).
    """
    labels = checks.array("labels", labels, ndim=1, dtype=None, what="an (n,) array of 0/1")
    if set(np.unique(labels).tolist()) - {0, 1} or len(np.unique(labels)) != 2:
        raise ValueError("labels must be 0/1 with both values present")
    unit = directions("vectors", vectors)
    if len(labels) != len(unit):
        raise ValueError(f"labels must hold one label per row of vectors ({len(unit)}), got "
                         f"{len(labels)}")
    clusters, _, _ = kmeans(unit, 2, seed=seed, n_init=n_init)
    agree = float(np.mean(clusters == labels))
    return max(agree, 1 - agree)


def neighbour_recovery(vectors, labels, *, k: int = 11) -> float:
    """Leave-one-out ``k``-nearest-neighbour accuracy: each word takes the majority label of
    its ``k`` most similar other words (cosine) among ``vectors`` (n, d).

    Gonen & Goldberg's point: if the old labels are predictable from the neighbours after
    debiasing, the bias is still in the geometry. ``k`` odd avoids ties for two labels.
    """
    labels = np.asarray(labels)
    if set(np.unique(labels).tolist()) - {0, 1}:
        raise ValueError("labels must be 0/1")
    U = directions("vectors", vectors)
    if len(labels) != len(U):
        raise ValueError(f"labels must hold one label per vector ({len(U)}), got {len(labels)}")
    k = checks.integer("k", k, 1, len(U) - 1, why_high=" (the other vectors)")
    cos = U @ U.T
    np.fill_diagonal(cos, -np.inf)  # a word is not its own neighbour
    nearest = np.argpartition(-cos, k - 1, axis=1)[:, :k]  # (n, k)
    votes = labels[nearest].mean(axis=1)  # (n,) share of neighbours labelled 1
    return float(np.mean((votes > 0.5) == (labels == 1)))
