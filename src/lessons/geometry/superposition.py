"""Superposition: more nearly-orthogonal directions than dimensions, and the toy model.

Chapter: *Superposition*.

Two parts:

1. **Packing.**  :func:`max_abs_cosine` measures the largest ``|cos|`` among ``N``
   random unit vectors in R^d in blocks (never an N×N matrix), and
   :func:`expected_max_abs_cosine` predicts it: treating the ``M = N(N-1)/2``
   pairwise cosines as independent, each with the exact tail
   ``p(t) = P(|c| > t) = I_{1-t²}((d-1)/2, 1/2)`` (see :mod:`lessons.geometry.high_dimensions`),
   ``P(max <= t) ≈ (1 - p(t))^M`` and ``E max = ∫₀¹ 1 - (1 - p(t))^M dt``.  For
   large ``d`` this is about ``√(2 ln M / d)``: the maximum grows only with
   ``√(log N)``, which is why exponentially many directions fit at a fixed
   tolerance — but at ``N = 10,000`` and ``d = 300`` the maximum is about 0.33.
2. **The toy model of superposition** (Elhage et al. 2022): ``n`` sparse features
   ``x ∈ [0, 1]^n`` (each zero with probability ``S``, else uniform), squeezed
   through ``m < n`` dimensions and rebuilt as ``x' = ReLU(WᵀW x + b)`` with
   ``W`` (m, n).  The loss weighs feature ``i`` by its importance ``I_i``:
   ``L = mean over the batch of Σ_i I_i (x_i - x'_i)²``.  Dense features (small
   ``S``): the model keeps the ``m`` most important ones, orthogonally, and drops
   the rest.  Sparse features: it stores more than ``m`` of them in superposition,
   as nearly-opposite or polygon-shaped columns of ``W``, and the ReLU and bias
   filter the interference.  Trained in plain numpy with hand-written gradients
   and Adam.

References
----------
* N. Elhage et al. (2022).  Toy Models of Superposition.  Transformer Circuits Thread.
  https://transformer-circuits.pub/2022/toy_model/index.html
* D. P. Kingma, J. Ba (2015).  Adam: A method for stochastic optimization.  ICLR.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import integrate

from lessons import checks
from lessons.geometry.high_dimensions import cosine_tail
from lessons.vectors.linalg import directions

__all__ = ["max_abs_cosine", "expected_max_abs_cosine", "gaussian_max_approximation",
           "random_capacity", "welch_bound",
           "ToyModel", "sample_features", "toy_loss_and_gradients", "train_toy_model"]


# --- Packing random directions -------------------------------------------------------------------

def max_abs_cosine(X, *, block: int = 2048) -> float:
    """Largest ``|cos|`` between two different rows of ``X`` (N, d), in ``block``-row tiles.

    Memory is ``block × N`` at most; only the upper triangle of the Gram matrix is computed.
    """
    U = directions("X", checks.matrix("X", X, min_rows=2))  # (N, d) unit rows; no zero row
    block = checks.integer("block", block, 1)
    best = 0.0
    for start in range(0, len(U), block):
        rows = U[start:start + block]                  # (b, d)
        G = rows @ U[start:].T                         # (b, N - start): this block and later rows
        G[np.arange(len(rows)), np.arange(len(rows))] = 0  # the block's own diagonal
        best = max(best, float(np.abs(G).max()))
    return best


def expected_max_abs_cosine(n_vectors: int, d: int) -> float:
    """``E max_{i<j} |cos(u_i, u_j)|`` for ``n_vectors`` random directions in R^d, treating the
    ``M = N(N-1)/2`` pairs as independent: ``∫₀¹ 1 - (1 - p(t))^M dt`` with ``p`` the exact tail.
    """
    n_vectors, d = checks.integer("n_vectors", n_vectors, 2), checks.integer("d", d, 1)
    pairs = n_vectors * (n_vectors - 1) / 2

    def above(t):  # P(max > t) = 1 - (1 - p)^M, computed stably
        p = float(cosine_tail(t, d))
        return -math.expm1(pairs * math.log1p(-p)) if p < 1 else 1.0

    # The integrand falls from 1 to 0 around the typical maximum: integrate piecewise there.
    centre = min(0.99, gaussian_max_approximation(n_vectors, d))
    points = sorted({0.0, centre / 2, centre, min(0.999, 1.5 * centre), 1.0})
    return float(sum(integrate.quad(above, a, b, limit=200)[0] for a, b in zip(points, points[1:])))


def gaussian_max_approximation(n_vectors: int, d: int) -> float:
    """The first-order extreme-value estimate ``√(2 ln M / d)``, ``M = N(N-1)/2`` pairs.

    (Each cosine is roughly N(0, 1/d); the largest of ``M`` absolute values of such
    Gaussians is about ``√(2 ln M)`` standard deviations.  It overestimates slightly.)
    """
    n_vectors, d = checks.integer("n_vectors", n_vectors, 2), checks.integer("d", d, 1)
    pairs = n_vectors * (n_vectors - 1) / 2
    return math.sqrt(2 * math.log(pairs) / d)


def random_capacity(d: int, tolerance: float, probability: float = 0.5) -> int:
    """How many random directions in R^d keep every pairwise ``|cos| <= tolerance`` with the
    given probability (independent-pairs approximation).

    ``P(max <= t) ≈ (1 - p)^M = probability`` gives ``M = ln(probability) / ln(1 - p)`` pairs,
    and ``N(N-1)/2 = M`` gives ``N = (1 + √(1 + 8M)) / 2`` (rounded down).
    """
    probability = checks.number("probability", probability, 0, 1, strict=True, strict_max=True)
    tolerance = checks.number("tolerance", tolerance, 0, 1, strict=True, strict_max=True,
                              why=" (a bound on |cos|)")
    p = float(cosine_tail(tolerance, d))
    pairs = math.log(probability) / math.log1p(-p)
    return int((1 + math.sqrt(1 + 8 * pairs)) // 2)


def welch_bound(n_vectors: int, d: int) -> float:
    """Welch's lower bound on the largest ``|cos|`` of ANY ``n_vectors`` unit vectors in R^d:
    ``√((N - d) / (d (N - 1)))`` (0 when ``N <= d``).  Designed (non-random) sets can approach
    it; equality needs an equiangular tight frame (only possible for ``N <= d(d+1)/2``).
    """
    n_vectors, d = checks.integer("n_vectors", n_vectors, 1), checks.integer("d", d, 1)
    if n_vectors <= d:
        return 0.0
    return math.sqrt((n_vectors - d) / (d * (n_vectors - 1)))


# --- The toy model of superposition ------------------------------------------------------------

@dataclass
class ToyModel:
    """A trained toy model: ``x' = ReLU(WᵀW x + b)``.

    Attributes
    ----------
    W : (m, n) float64
        Column ``i`` is feature ``i``'s direction in the ``m``-dimensional hidden space.
    b : (n,) float64
    importance : (n,) float64
    sparsity : float
    losses : (steps,) float64, the training loss after each step's update was computed
    """

    W: np.ndarray
    b: np.ndarray
    importance: np.ndarray
    sparsity: float
    losses: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Reconstruct a batch ``x`` (B, n) -> (B, n)."""
        return np.maximum(x @ self.W.T @ self.W + self.b, 0)

    @property
    def feature_norms(self) -> np.ndarray:
        """``‖W_i‖`` (n,): about 1 for a represented feature, about 0 for a dropped one."""
        return np.linalg.norm(self.W, axis=0)

    @property
    def interference(self) -> np.ndarray:
        """``Σ_{j≠i} (Ŵ_i · W_j)²`` (n,): how much other features leak into feature ``i``'s
        direction (Elhage et al.'s measure of superposition; ``Ŵ_i`` is the unit column)."""
        norms = self.feature_norms
        unit = self.W / np.where(norms > 1e-12, norms, 1)  # (m, n)
        overlap = unit.T @ self.W                           # (n, n): Ŵ_i · W_j
        np.fill_diagonal(overlap, 0)
        return (overlap ** 2).sum(axis=1)

    def n_represented(self, threshold: float = 0.5) -> int:
        """Number of features with ``‖W_i‖ > threshold``."""
        return int((self.feature_norms > threshold).sum())

    def dimensions_per_feature(self) -> float:
        """``m / ‖W‖_F²``: hidden dimensions used per feature (1 when features are orthogonal,
        below 1 in superposition; Elhage et al.'s measure)."""
        return self.W.shape[0] / float((self.W ** 2).sum())


def sample_features(batch: int, n_features: int, sparsity: float, rng) -> np.ndarray:
    """A batch of sparse features (batch, n): each entry 0 with probability ``sparsity``, else
    U(0, 1).  ``rng``: a Generator, a seed or None."""
    checks.number("sparsity", sparsity, 0, 1, strict_max=True)
    batch = checks.integer("batch", batch, 1)
    n_features = checks.integer("n_features", n_features, 1)
    rng = checks.random_state("rng", rng)
    values = rng.random((batch, n_features))
    present = rng.random((batch, n_features)) >= sparsity
    return values * present


def toy_loss_and_gradients(W, b, x, importance):
    """Loss ``mean_batch Σ_i I_i (x_i - x'_i)²`` and its gradients, by hand.

    With ``H = X Wᵀ`` (B, m), ``Z = H W + b`` (B, n), ``X' = ReLU(Z)``:
    ``dZ = 2 I (X' - X) [Z > 0] / B``, ``db = Σ_batch dZ``, and since ``W`` appears
    twice, ``dW = Hᵀ dZ + (dZ Wᵀ)ᵀ X``.

    Returns ``(loss, dW (m, n), db (n,))``.
    """
    B = len(x)
    H = x @ W.T                  # (B, m)
    Z = H @ W + b                # (B, n)
    out = np.maximum(Z, 0)
    err = out - x                # (B, n)
    loss = float((importance * err ** 2).sum() / B)
    dZ = 2 * importance * err * (Z > 0) / B  # (B, n)
    dW = H.T @ dZ + (dZ @ W.T).T @ x         # (m, n)
    db = dZ.sum(axis=0)
    return loss, dW, db


def train_toy_model(n_features: int = 20, n_hidden: int = 5, *, sparsity: float = 0.9,
                    importance_decay: float = 0.7, steps: int = 3000, batch: int = 1024,
                    learning_rate: float = 1e-2, optimizer: str = "adam",
                    seed: int = 0) -> ToyModel:
    """Train the toy model of superposition with fixed seed (plain numpy, float64).

    Parameters
    ----------
    n_features, n_hidden : int
        ``n`` features squeezed through ``m`` hidden dimensions.
    sparsity : float in [0, 1)
        Probability that a feature is zero in an example (``S``).
    importance_decay : float
        Feature ``i`` has importance ``importance_decay ** i`` (Elhage et al. use 0.7 for
        n=20... m=5 in their intro figure).
    steps, batch : int
        Optimisation steps and examples per step (a fresh batch each step).
    learning_rate : float
    optimizer : {"adam", "sgd"}
    seed : int (or a numpy.random.Generator)
        Seeds the initial ``W`` (Xavier-normal) and every batch.
    """
    n_features = checks.integer("n_features", n_features, 1)
    n_hidden = checks.integer("n_hidden", n_hidden, 1)
    steps = checks.integer("steps", steps, 0)
    checks.choice("optimizer", optimizer, ("adam", "sgd"))
    rng = checks.random_state("seed", seed)
    W = rng.standard_normal((n_hidden, n_features)) * math.sqrt(2 / (n_hidden + n_features))
    b = np.zeros(n_features)
    importance = importance_decay ** np.arange(n_features, dtype=np.float64)  # (n,)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    mW, vW, mb, vb = np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b)
    losses = np.empty(steps)
    for step in range(1, steps + 1):
        x = sample_features(batch, n_features, sparsity, rng)
        losses[step - 1], dW, db = toy_loss_and_gradients(W, b, x, importance)
        if optimizer == "sgd":
            W -= learning_rate * dW
            b -= learning_rate * db
            continue
        mW = beta1 * mW + (1 - beta1) * dW
        vW = beta2 * vW + (1 - beta2) * dW ** 2
        mb = beta1 * mb + (1 - beta1) * db
        vb = beta2 * vb + (1 - beta2) * db ** 2
        correction1, correction2 = 1 - beta1 ** step, 1 - beta2 ** step
        W -= learning_rate * (mW / correction1) / (np.sqrt(vW / correction2) + eps)
        b -= learning_rate * (mb / correction1) / (np.sqrt(vb / correction2) + eps)
    return ToyModel(W, b, importance, float(sparsity), losses)
