"""Skip-gram: the softmax, negative sampling, its noise and subsampling, and what it factorises.

Chapter: *Skip-gram: the softmax and negative sampling*, and *What skip-gram computes: a
shifted PMI matrix* (:func:`dynamic_window_counts`, :func:`factorisation_check`).

The loss and gradient of one negative-sampling example are
:func:`lessons.models.reference.negative_sampling_loss_and_grad` (shared with the training
loop chapter); this module adds what the chapter needs around them:

* :func:`softmax_probability` -- the article's ``P(o | c)`` with the full softmax;
* :func:`numerical_gradient` and :func:`gradient_check` -- central finite differences
  against the analytic gradient;
* :func:`noise_distribution` -- ``P_n(w) ~ count(w) ** alpha``;
* :func:`keep_probability` -- frequent-word subsampling, word2vec.c's formula and the
  paper's;
* :func:`dynamic_window_counts` and :func:`shifted_pmi` -- the matrix that skip-gram
  with negative sampling implicitly factorises (Levy & Goldberg 2014), and
  :func:`factorisation_check` comparing it with ``W C^T``.

References
----------
* T. Mikolov, I. Sutskever, K. Chen, G. Corrado, J. Dean, "Distributed Representations
  of Words and Phrases and their Compositionality", NeurIPS 2013 (negative sampling,
  the 3/4 power, subsampling).
* word2vec.c (the subsampling formula actually used).
* O. Levy, Y. Goldberg, "Neural Word Embedding as Implicit Matrix Factorization",
  NeurIPS 2014.
* Y. Goldberg, O. Levy, "word2vec Explained: deriving Mikolov et al.'s
  negative-sampling word-embedding method", arXiv:1402.3722, 2014.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from lessons import checks
from lessons.models import cooccurrence as co
from lessons.models.reference import negative_sampling_loss_and_grad, sigmoid

__all__ = [
    "softmax_probability",
    "softmax_distribution",
    "sigmoid",
    "negative_sampling_loss_and_grad",
    "numerical_gradient",
    "gradient_check",
    "noise_distribution",
    "keep_probability",
    "dynamic_window_counts",
    "shifted_pmi",
    "FactorisationCheck",
    "factorisation_check",
]


def softmax_distribution(center_vec, all_context_vecs) -> np.ndarray:
    """``P(w | c)`` for every word ``w``: ``softmax(U v_c)``, computed stably.

    Parameters
    ----------
    center_vec : (d,) the centre word's input vector ``v_c``
    all_context_vecs : (V, d) every word's output vector ``u_w``

    Returns
    -------
    (V,) float64 summing to 1.
    """
    scores = _scores(center_vec, all_context_vecs)  # (V,)
    scores = scores - scores.max()  # (V,) shifting by the max changes nothing but avoids overflow
    exp = np.exp(scores)
    return exp / exp.sum()


def _scores(center_vec, all_context_vecs) -> np.ndarray:
    """``U v_c`` (V,) float64, after checking shapes and that every number is finite."""
    v = checks.array("center_vec", center_vec, ndim=1, what="a (d,) vector")
    U = checks.matrix("all_context_vecs", all_context_vecs, min_rows=1, what="a (V, d) matrix")
    if U.shape[1] != v.shape[0]:
        raise ValueError(f"center_vec must be (d,) and all_context_vecs (V, d), got {v.shape} "
                         f"and {U.shape}")
    scores = U @ v
    if not np.isfinite(scores).all():
        raise ValueError("center_vec . all_context_vecs overflows: the vectors are too large")
    return scores


def softmax_probability(center_vec, context_vec, all_context_vecs) -> float:
    """The article's ``P(o | c) = exp(u_o . v_c) / sum_w exp(u_w . v_c)`` (log-sum-exp form)."""
    scores = _scores(center_vec, all_context_vecs)  # (V,)
    v = np.asarray(center_vec, dtype=np.float64)  # (d,), checked by _scores
    u_o = checks.array("context_vec", context_vec, ndim=1, columns=len(v), what="a (d,) vector")
    score = float(u_o @ v)
    log_sum_exp = np.log(np.sum(np.exp(scores - scores.max()))) + scores.max()
    return float(np.exp(score - log_sum_exp))


def numerical_gradient(f: Callable[[np.ndarray], float], x, *, eps: float = 1e-6) -> np.ndarray:
    """Central finite differences ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry.

    ``x`` is not modified.  The error is ``O(eps^2)`` plus rounding ``O(1e-16 / eps)``.
    """
    checks.number("eps", eps, 0, strict=True)
    if not callable(f):
        raise checks.ArgumentTypeError(f"f must be callable, got {checks.describe(f)}")
    x = np.array(checks.array("x", x, min_rows=1, what="a non-empty array"), dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        old = x[index]
        try:
            x[index] = old + eps
            up = f(x)
            x[index] = old - eps
            down = f(x)
        except (TypeError, ValueError) as err:  # e.g. x of a shape f does not take
            raise ValueError(f"f(x) fails for x of shape {x.shape}: {err}") from err
        x[index] = old
        grad[index] = (up - down) / (2 * eps)
    if not np.isfinite(grad).all():
        raise ValueError("f(x) is not finite near x: the finite differences hold nan or inf")
    return grad


def gradient_check(v_center, u_context, u_negatives, *, eps: float = 1e-6) -> dict[str, float]:
    """Largest |analytic - numerical| entry of each negative-sampling gradient.

    Returns a dict with keys ``"center"``, ``"context"`` and ``"negatives"``.
    """
    v = checks.array("v_center", v_center, ndim=1, min_rows=1, what="a non-empty (d,) vector")
    u_o = checks.array("u_context", u_context, ndim=1, columns=len(v), what="a (d,) vector")
    u_k = checks.array("u_negatives", u_negatives, min_rows=1, columns=len(v),
                       what="a (k, d) matrix").reshape(-1, v.shape[0])
    _, g_v, g_o, g_k = negative_sampling_loss_and_grad(v, u_o, u_k)
    loss = lambda a, b, c: negative_sampling_loss_and_grad(a, b, c)[0]  # noqa: E731
    numeric = {
        "center": numerical_gradient(lambda x: loss(x, u_o, u_k), v, eps=eps),
        "context": numerical_gradient(lambda x: loss(v, x, u_k), u_o, eps=eps),
        "negatives": numerical_gradient(lambda x: loss(v, u_o, x), u_k, eps=eps),
    }
    analytic = {"center": g_v, "context": g_o, "negatives": g_k}
    return {name: float(np.max(np.abs(analytic[name] - numeric[name]))) for name in analytic}


def noise_distribution(counts, alpha: float = 0.75) -> np.ndarray:
    """Negative-sampling noise ``P_n(w) = count(w)^alpha / sum_v count(v)^alpha``.

    ``alpha = 1`` is the unigram distribution, ``alpha = 0`` the uniform one;
    word2vec uses 0.75, which lifts rare words and flattens frequent ones.
    """
    counts = _positive_counts(counts)
    checks.number("alpha", alpha, 0)
    with np.errstate(over="ignore"):
        weights = np.exp(alpha * np.log(counts))  # counts ** alpha
    total = weights.sum()
    if not (np.isfinite(total) and total > 0):  # a huge alpha overflows: scale by the largest first
        log_weights = alpha * np.log(counts)
        weights = np.exp(log_weights - log_weights.max())
        total = weights.sum()
    return weights / total


def keep_probability(counts, threshold: float, *, formula: str = "word2vec.c") -> np.ndarray:
    """Probability that subsampling keeps a token of each word.

    With ``f = count / sum(counts)`` the word's frequency and ``t = threshold``:

    * ``"word2vec.c"``: ``keep = (sqrt(f / t) + 1) * t / f``, capped at 1 (what the
      code does, and :mod:`lessons.models.word2vec`);
    * ``"paper"``: ``keep = sqrt(t / f)``, capped at 1 (Mikolov et al. 2013 write the
      discard probability ``1 - sqrt(t / f)``).

    ``threshold = 0`` keeps everything.
    """
    counts = _positive_counts(counts)
    checks.number("threshold", threshold, 0)
    checks.choice("formula", formula, ("word2vec.c", "paper"))
    if threshold == 0:
        return np.ones_like(counts)
    frequency = counts / counts.sum()
    if formula == "word2vec.c":
        keep = (np.sqrt(frequency / threshold) + 1.0) * threshold / frequency
    else:
        keep = np.sqrt(threshold / frequency)
    return np.minimum(keep, 1.0)


def _positive_counts(counts) -> np.ndarray:
    """``counts`` as a (V,) float64 array of finite positive counts, or a ValueError."""
    counts = checks.array("counts", counts, ndim=1, min_rows=1,
                          what="a non-empty 1-D array of positive counts")
    if np.any(counts <= 0):
        raise ValueError("counts must be a non-empty 1-D array of positive counts")
    return counts


def dynamic_window_counts(ids, vocab_size: int, window: int):
    """Expected co-occurrence counts under word2vec's dynamic window.

    word2vec draws the effective window ``b`` uniformly in ``1..window`` for every
    centre word, so a pair at distance ``delta`` is used with probability
    ``(window - delta + 1) / window``.  Returns the sparse ``(V, V)`` matrix
    ``sum_delta P(delta used) * #(pairs at distance delta)`` (``ids`` as for
    :func:`lessons.models.cooccurrence.cooccurrence_matrix`).
    """
    window = checks.integer("window", window, 1)
    total = None
    previous = None
    longest = max(1, min(window, np.asarray(ids).size - 1))  # no pair is further apart than that
    for distance in range(1, longest + 1):
        upto = co.cooccurrence_matrix(ids, vocab_size, window=distance)
        exactly = upto if previous is None else upto - previous  # pairs at this distance
        weighted = exactly * ((window - distance + 1) / window)
        total = weighted if total is None else total + weighted
        previous = upto
    total.eliminate_zeros()
    return total.tocsr()


def shifted_pmi(pair_counts, noise_probs, negative: int) -> np.ndarray:
    """Dense ``log(#(w,c) / (#(w) P_n(c))) - log k``: SGNS's optimum for ``u_c . v_w``.

    Levy & Goldberg (2014): for a (word, context) pair seen ``#(w,c)`` times, with
    ``k`` negatives drawn from ``P_n`` for each of the ``#(w)`` examples of ``w``,
    the loss is minimised at ``x = u_c . v_w`` with
    ``sigmoid(x) = #(w,c) / (#(w,c) + k #(w) P_n(c))``, i.e. the value returned.
    With ``P_n`` the unigram distribution this is ``PMI(w, c) - log k``.
    Pairs never seen get ``-inf``.
    """
    counts = co._as_csr(pair_counts, "pair_counts").toarray()  # (V, V)
    noise_probs = checks.array("noise_probs", noise_probs, ndim=1, minimum=0,
                               what="a (V,) distribution")
    if noise_probs.shape != (counts.shape[1],):
        raise ValueError(f"noise_probs must have shape ({counts.shape[1]},), "
                         f"got {noise_probs.shape}")
    checks.integer("negative", negative, 1)
    word_totals = counts.sum(axis=1)  # (V,) #(w)
    with np.errstate(divide="ignore"):
        out = (np.log(counts) - np.log(word_totals)[:, None] - np.log(noise_probs)[None, :]
               - np.log(negative))
    out[counts == 0] = -np.inf
    return out


@dataclass
class FactorisationCheck:
    """``W C^T`` against the shifted PMI, over the pairs that co-occur.

    Attributes
    ----------
    dots : (n,) float64, ``v_w . u_c`` for each co-occurring pair
    shifted_pmi : (n,) float64, the SGNS optimum for the same pairs
    counts : (n,) float64, the pairs' (dynamic-window) counts
    correlation : float, Pearson correlation of the two
    weighted_correlation : float, the same weighted by count
    mean_abs_error : float, count-weighted mean |dots - shifted_pmi|
    """

    dots: np.ndarray
    shifted_pmi: np.ndarray
    counts: np.ndarray
    correlation: float
    weighted_correlation: float
    mean_abs_error: float


def factorisation_check(vectors, context_vectors, pair_counts, noise_probs, negative: int,
                        *, min_count: float = 0.0) -> FactorisationCheck:
    """Compare ``W C^T`` of a trained SGNS model with :func:`shifted_pmi`.

    Only pairs with a count above ``min_count`` are compared (the others have
    ``-inf`` or very noisy targets).
    """
    W = checks.matrix("vectors", vectors, min_rows=1, what="a (V, d) matrix")  # (V, d)
    C = checks.matrix("context_vectors", context_vectors, columns=W.shape[1],
                      what="a (V, d) matrix")  # (V, d)
    target = shifted_pmi(pair_counts, noise_probs, negative)  # (V, V)
    counts = co._as_csr(pair_counts, "pair_counts").toarray()
    if W.shape[0] != counts.shape[0] or C.shape[0] != counts.shape[0]:
        raise ValueError(f"vectors and context_vectors must have one row per word of "
                         f"pair_counts ({counts.shape[0]}), got shapes {W.shape} and {C.shape}")
    mask = counts > max(min_count, 0.0)
    if mask.sum() < 3:
        raise ValueError("fewer than 3 co-occurring pairs to compare")
    dots = (W @ C.T)[mask]  # (n,)
    pmi = target[mask]
    weights = counts[mask]
    for name, values in (("W C^T", dots), ("the shifted PMI", pmi)):
        if np.ptp(values) == 0:  # a correlation with a constant is 0 / 0
            raise ValueError(f"{name} is the same ({values[0]:.4g}) for every compared pair: "
                             "the correlation is undefined (vary pair_counts or the vectors)")
    correlation = float(np.corrcoef(dots, pmi)[0, 1])
    mean_d = np.average(dots, weights=weights)
    mean_p = np.average(pmi, weights=weights)
    cov = np.average((dots - mean_d) * (pmi - mean_p), weights=weights)
    weighted = float(cov / np.sqrt(np.average((dots - mean_d) ** 2, weights=weights)
                                   * np.average((pmi - mean_p) ** 2, weights=weights)))
    error = float(np.average(np.abs(dots - pmi), weights=weights))
    return FactorisationCheck(dots, pmi, weights, correlation, weighted, error)
