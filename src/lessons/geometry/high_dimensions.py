"""Cosines, random directions and concentration of measure.

Chapters: *Why vectors?* and *The geometry of high dimensions*.

Closed forms used by the chapters (``d`` is the dimension, ``d >= 2``):

* The cosine ``c`` of two independent random directions (e.g. two Gaussian
  vectors) has density ``f(c) = Γ(d/2) / (√π Γ((d-1)/2)) (1 - c²)^((d-3)/2)``
  on ``[-1, 1]``: ``(c + 1) / 2`` is Beta((d-1)/2, (d-1)/2).  Its mean is 0,
  its variance exactly ``1/d``, and ``E|c| = Γ(d/2) / (√π Γ((d+1)/2))``
  (≈ ``√(2/(π d))`` for large ``d``).  The tail is
  ``P(|c| > t) = I_{1-t²}((d-1)/2, 1/2)`` (regularised incomplete beta).
* The fraction of a ball's volume within ``ε`` of its surface (radius 1) is
  ``1 - (1 - ε)^d``.
* The norm of a standard Gaussian vector in R^d is chi-distributed:
  ``E‖x‖ = √2 Γ((d+1)/2) / Γ(d/2)`` and ``Var‖x‖ = d - (E‖x‖)²`` (→ 1/2).
* Two random corners of the cube ``{-1, 1}^d`` have cosine ``1 - 2H/d`` with
  ``H ~ Binomial(d, 1/2)`` the number of coordinates where they differ.

References
----------
* A. Blum, J. Hopcroft, R. Kannan, *Foundations of Data Science* (2020), ch. 2
  (high-dimensional space, concentration of measure).
* K. Ethayarajh, "How Contextual are Contextualized Word Representations?",
  EMNLP 2019, and J. Mu, P. Viswanath, "All-but-the-Top", ICLR 2018
  (anisotropy of trained word vectors).
"""
from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np
from scipy import special, stats

__all__ = [
    "cosine", "cosine_matrix", "unit_rows", "random_unit_vectors", "random_cosines",
    "cosine_density", "cosine_variance", "cosine_sd", "mean_abs_cosine", "sd_abs_cosine",
    "cosine_tail", "shell_fraction", "gaussian_norm_mean", "gaussian_norm_sd",
    "corner_cosine_pmf", "mean_pairwise_cosine", "top_components_variance", "anisotropy_report",
    "ARTICLE_VECTORS_4D", "ARTICLE_VECTORS_2D", "ARTICLE_ANALOGY_4D", "ARTICLE_NUMBER_LINE",
    "pairwise_distances", "article_cosine_table", "text8_vectors", "trained_vs_random_figure", "neighbours_figure", "TEXT8_SETTINGS", "cosine_histogram_figure", "explorer",
]

# --- The article's toy vectors ("Why floating-point vectors?") ---------------------------------

#: Four 4-d "learned" vectors whose cosines the article prints.
ARTICLE_VECTORS_4D = {
    "cat": (0.7, 0.5, -0.1, 0.3),
    "dog": (0.6, 0.6, -0.1, 0.2),
    "tiger": (0.8, 0.2, 0.4, 0.5),
    "car": (-0.3, -0.5, 0.8, 0.1),
}
#: The 2-d [pet-ness, feline-ness] vectors (the article prints no output for them).
ARTICLE_VECTORS_2D = {
    "cat": (0.8, 0.9),
    "dog": (0.9, 0.1),
    "tiger": (0.1, 0.95),
    "goldfish": (0.85, 0.0),
    "lion": (0.05, 0.8),
}
#: The 1-d number line.
ARTICLE_NUMBER_LINE = {"dog": 1.0, "cat": 2.0, "tiger": 3.0, "lion": 4.0, "goldfish": 5.0}
#: The 4-d [royalty, gender, humanness, ...] vectors of the king/queen analogy.
ARTICLE_ANALOGY_4D = {
    "man": (0.0, -0.8, 0.9, 0.1),
    "woman": (0.0, 0.8, 0.9, 0.1),
    "king": (0.9, -0.8, 0.9, 0.2),
    "queen": (0.9, 0.8, 0.9, 0.2),
}


def _check_dim(d, minimum: int = 2) -> int:
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < minimum:
        raise ValueError(f"d (the dimension) must be an integer >= {minimum}, got {d!r}")
    return int(d)


# --- Cosines ----------------------------------------------------------------------------------

def cosine(a, b) -> float:
    """Cosine similarity ``a·b / (‖a‖ ‖b‖)`` of two vectors (float64)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"a and b must be 1-d vectors of equal length, got shapes {a.shape} and {b.shape}")
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    if norm == 0:
        raise ValueError("cosine is undefined for a zero vector")
    return float(a @ b / norm)


def unit_rows(X) -> np.ndarray:
    """Rows of ``X`` scaled to length 1 (zero rows stay zero). ``(n, d) -> (n, d)``."""
    X = np.asarray(X)
    X = X.astype(np.float64) if X.dtype.kind != "f" else X
    norms = np.linalg.norm(X, axis=1, keepdims=True)  # (n, 1)
    return X / np.where(norms > 0, norms, 1)


def cosine_matrix(A, B=None) -> np.ndarray:
    """All cosines between the rows of ``A`` (n, d) and of ``B`` (m, d; default ``A``): (n, m)."""
    UA = unit_rows(A)
    UB = UA if B is None else unit_rows(B)
    return UA @ UB.T


def pairwise_distances(vectors: dict) -> list[tuple[str, str, float]]:
    """Euclidean distance of every pair of named vectors, in the article's loop order.

    The article loops over all ordered pairs and keeps ``name_a < name_b``
    (alphabetical), so each unordered pair appears once, alphabetically.
    """
    items = [(k, np.asarray(v, dtype=np.float64)) for k, v in vectors.items()]
    return [(a, b, float(np.linalg.norm(va - vb)))
            for a, va in items for b, vb in items if a < b]


def random_unit_vectors(n: int, d: int, rng: np.random.Generator, *, dtype=np.float64) -> np.ndarray:
    """``n`` directions drawn uniformly on the unit sphere of R^d (normalised Gaussians). (n, d)."""
    d = _check_dim(d, 1)
    X = rng.standard_normal((int(n), d)).astype(dtype, copy=False)  # (n, d)
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def article_cosine_table(dims=(2, 10, 50, 100, 300, 1000), n_pairs: int = 10_000,
                         seed: int = 42) -> dict[int, tuple[float, float]]:
    """Replay the article's random-cosine loop exactly: ``{d: (mean |cos|, std of cos)}``.

    The article seeds NumPy's legacy global generator once (``np.random.seed(42)``)
    and draws ``a`` then ``b`` with ``np.random.randn(d)`` for each pair; this uses
    the same legacy stream (a private ``RandomState(42)``), so it reproduces what
    the article's code prints — not what the article printed.
    """
    state = np.random.RandomState(seed)
    table = {}
    for d in dims:
        cosines = np.empty(n_pairs)
        for i in range(n_pairs):
            a = state.randn(d)
            b = state.randn(d)
            cosines[i] = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
        table[d] = (float(np.mean(np.abs(cosines))), float(np.std(cosines)))
    return table


def random_cosines(n_pairs: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """Cosines of ``n_pairs`` independent pairs of Gaussian vectors in R^d. (n_pairs,) float64.

    Generated in blocks so that large ``n_pairs × d`` never needs more than ~16 MB.
    """
    d = _check_dim(d, 1)
    out = np.empty(int(n_pairs))
    block = max(1, (1 << 20) // d)
    for start in range(0, len(out), block):
        m = min(block, len(out) - start)
        a = rng.standard_normal((m, d))  # (m, d)
        b = rng.standard_normal((m, d))
        out[start:start + m] = np.einsum("ij,ij->i", a, b) / (
            np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return out


def cosine_density(c, d: int) -> np.ndarray:
    """Exact density of the cosine of two random directions in R^d, ``d >= 2``.

    ``f(c) = Γ(d/2) / (√π Γ((d-1)/2)) (1 - c²)^((d-3)/2)`` for ``|c| < 1``, 0 outside.
    (For ``d = 2`` this is the arcsine density ``1 / (π √(1-c²))``; for ``d = 3``
    the uniform density 1/2.)
    """
    d = _check_dim(d)
    c = np.asarray(c, dtype=np.float64)
    log_const = special.gammaln(d / 2) - 0.5 * math.log(math.pi) - special.gammaln((d - 1) / 2)
    inside = np.abs(c) < 1
    out = np.zeros_like(c)
    out[inside] = np.exp(log_const + (d - 3) / 2 * np.log1p(-c[inside] ** 2))
    return out


def cosine_variance(d: int) -> float:
    """``Var(c) = E[c²] = 1/d`` (by symmetry, the d squared coordinates of a unit vector average 1/d)."""
    return 1.0 / _check_dim(d, 1)


def cosine_sd(d: int) -> float:
    """Standard deviation of the cosine of two random directions: ``1/√d``."""
    return math.sqrt(cosine_variance(d))


def mean_abs_cosine(d: int) -> float:
    """``E|c| = Γ(d/2) / (√π Γ((d+1)/2))`` for two random directions in R^d, ``d >= 2``."""
    d = _check_dim(d)
    return math.exp(special.gammaln(d / 2) - special.gammaln((d + 1) / 2)) / math.sqrt(math.pi)


def sd_abs_cosine(d: int) -> float:
    """Standard deviation of ``|c|``: ``√(1/d - E|c|²)``."""
    return math.sqrt(cosine_variance(d) - mean_abs_cosine(d) ** 2)


def cosine_tail(t, d: int) -> np.ndarray:
    """``P(|c| > t)`` for the cosine of two random directions in R^d, ``0 <= t <= 1``.

    Since ``c²`` is Beta(1/2, (d-1)/2), ``P(|c| > t) = P(c² > t²) = I_{1-t²}((d-1)/2, 1/2)``.
    """
    d = _check_dim(d)
    t = np.asarray(t, dtype=np.float64)
    if np.any((t < 0) | (t > 1)):
        raise ValueError("t must lie in [0, 1]")
    return special.betainc((d - 1) / 2, 0.5, 1 - t ** 2)


def shell_fraction(epsilon, d) -> np.ndarray:
    """Fraction of the volume of a unit ball in R^d within ``epsilon`` of its surface: ``1 - (1-ε)^d``.

    Computed as ``-expm1(d log1p(-ε))`` so that values near 1 keep their digits.
    """
    epsilon = np.asarray(epsilon, dtype=np.float64)
    if np.any((epsilon < 0) | (epsilon > 1)):
        raise ValueError("epsilon must lie in [0, 1]")
    d = np.asarray(d, dtype=np.float64)
    if np.any(d < 1):
        raise ValueError("d must be >= 1")
    with np.errstate(divide="ignore"):
        return -np.expm1(d * np.log1p(-epsilon))


def gaussian_norm_mean(d: int) -> float:
    """``E‖x‖`` for ``x ~ N(0, I_d)`` (the chi distribution's mean): ``√2 Γ((d+1)/2) / Γ(d/2)``."""
    d = _check_dim(d, 1)
    return math.sqrt(2) * math.exp(special.gammaln((d + 1) / 2) - special.gammaln(d / 2))


def gaussian_norm_sd(d: int) -> float:
    """Standard deviation of ``‖x‖`` for ``x ~ N(0, I_d)``: ``√(d - (E‖x‖)²)``, which tends to ``1/√2``."""
    return math.sqrt(max(d - gaussian_norm_mean(d) ** 2, 0.0))


def corner_cosine_pmf(d: int) -> tuple[np.ndarray, np.ndarray]:
    """Distribution of the cosine between two independent random corners of ``{-1, 1}^d``.

    Returns ``(cosines, probabilities)``, each ``(d + 1,)``: ``cos = 1 - 2h/d`` with
    probability ``C(d, h) / 2^d``, ``h = 0..d`` coordinates that differ.
    """
    d = _check_dim(d, 1)
    h = np.arange(d + 1)
    return 1 - 2 * h / d, stats.binom.pmf(h, d, 0.5)


# --- Anisotropy: how trained vectors differ from random ones -----------------------------------

def mean_pairwise_cosine(X) -> float:
    """Average cosine over all pairs ``i != j`` of rows of ``X``, without an n×n matrix.

    With unit rows ``u_i`` and ``s = Σ u_i``: ``Σ_{i≠j} u_i·u_j = ‖s‖² - n``, so the
    mean is ``(‖s‖² - n) / (n (n - 1))``.  Random directions give ≈ 0; a positive
    value means the vectors share a common direction (anisotropy).
    """
    U = unit_rows(np.asarray(X, dtype=np.float64))  # (n, d)
    n = len(U)
    if n < 2:
        raise ValueError("X needs at least 2 rows")
    s = U.sum(axis=0)
    return float((s @ s - n) / (n * (n - 1)))


def top_components_variance(X, k: int = 1) -> np.ndarray:
    """Fraction of the total variance along each of the top ``k`` principal directions. (k,).

    Isotropic Gaussian vectors in R^d give about ``1/d`` each.
    """
    X = np.asarray(X, dtype=np.float64)
    centred = X - X.mean(axis=0)
    singular = np.linalg.svd(centred, compute_uv=False)
    variance = singular ** 2
    return variance[:k] / variance.sum()


def anisotropy_report(X, rng: np.random.Generator, *, n_pairs: int = 20_000) -> dict[str, float]:
    """Summary numbers comparing a set of vectors with random directions.

    Keys: ``"norm cv"`` (sd/mean of the row norms), ``"mean cosine"``
    (:func:`mean_pairwise_cosine`), ``"cosine sd"`` (sd of the cosine over
    ``n_pairs`` random pairs of rows), ``"top PC share"`` (variance share of the
    first principal direction), ``"mean-vector share"`` (``‖mean‖² / mean ‖x‖²``:
    how much of the average squared length is the common mean vector).
    """
    X = np.asarray(X, dtype=np.float64)
    norms = np.linalg.norm(X, axis=1)
    i = rng.integers(0, len(X), n_pairs)
    j = rng.integers(0, len(X), n_pairs)
    keep = i != j
    U = unit_rows(X)
    pair_cos = np.einsum("ij,ij->i", U[i[keep]], U[j[keep]])
    mean = X.mean(axis=0)
    return {
        "norm cv": float(norms.std() / norms.mean()),
        "mean cosine": mean_pairwise_cosine(X),
        "cosine sd": float(pair_cos.std()),
        "top PC share": float(top_components_variance(X, 1)[0]),
        "mean-vector share": float(mean @ mean / np.mean(norms ** 2)),
    }


# --- Trained vectors shared by the geometry chapters -------------------------------------------

#: The fixed settings of :func:`text8_vectors` (changing them changes the cache key).
TEXT8_SETTINGS = dict(max_words=2_000_000, model="skipgram", dim=100, window=5, negative=5,
                      min_count=10, epochs=2, workers=1, seed=0)


def text8_vectors(*, cache: bool = True, progress: bool = False):
    """Skip-gram vectors trained on text8's first 2,000,000 words with :data:`TEXT8_SETTINGS`.

    Trained once (about 15 s on one core) with ``workers=1`` and a fixed seed, so
    the result is the same bit for bit whether it comes from the cache or not; then
    cached as a word2vec binary file (plus the word counts) in
    :func:`lessons.data.datasets.cache_dir`, under a name derived from the settings.

    Returns
    -------
    lessons.vectors.embeddings.Embeddings
        Rows in descending frequency order, with ``counts``.
    """
    from lessons.data.datasets import cache_dir, text8
    from lessons.vectors.embeddings import Embeddings

    key = hashlib.sha1(repr(sorted(TEXT8_SETTINGS.items())).encode()).hexdigest()[:10]
    folder = cache_dir() / "vectors"
    path = folder / f"text8-2M-{key}.bin"
    counts_path = folder / f"text8-2M-{key}.counts.npy"
    if cache and path.is_file() and counts_path.is_file():
        emb = Embeddings.load_word2vec_format(path, binary=True)
        emb.counts = np.load(counts_path)
        return emb
    from lessons.models.word2vec import train

    settings = dict(TEXT8_SETTINGS)
    words = text8(max_words=settings.pop("max_words"))
    emb = train(words, progress=progress, **settings)
    if cache:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(str(path) + ".part")
        emb.save_word2vec_format(tmp, binary=True)
        np.save(counts_path, emb.counts)
        tmp.replace(path)  # atomic: a half-written file is never read
    return emb


# --- Figures and the live panel -----------------------------------------------------------------

def cosine_histogram_figure(dims, *, n_pairs: int = 20_000, seed: int = 0, bins: int = 60):
    """Plotly slider over dimensions: histogram of simulated random cosines and the exact density.

    Two traces per dimension (the histogram as bars, the density as a line),
    so the figure stays small.
    """
    import plotly.graph_objects as go

    from lessons.book.plots import PALETTE, slider

    rng = np.random.default_rng(seed)
    edges = np.linspace(-1, 1, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    grid = np.linspace(-0.999, 0.999, 201)
    figures = []
    for d in dims:
        c = random_cosines(n_pairs, d, rng)
        counts, _ = np.histogram(c, bins=edges)
        density = counts / (n_pairs * (edges[1] - edges[0]))
        fig = go.Figure([
            go.Bar(x=centres, y=density, name=f"simulation ({n_pairs:,} pairs)",
                   marker_color=PALETTE[5], marker_line_width=0),
            # densities below 1e-9 are drawn as 0 (they are invisible, and keep the JSON short)
            go.Scatter(x=grid, y=np.where(cosine_density(grid, d) < 1e-9, 0, cosine_density(grid, d)),
                       name="exact density",
                       line=dict(color=PALETTE[0], width=2)),
        ])
        fig.update_layout(title=dict(text=(
            f"d = {d}: sd of the cosine = 1/√d = {cosine_sd(d):.3f}, E|cos| = {mean_abs_cosine(d):.3f}")))
        figures.append(fig)
    fig = slider(figures, [str(d) for d in dims], prefix="dimension d = ", height=470)
    fig.update_layout(bargap=0, legend=dict(x=0.01, y=0.98))
    fig.update_xaxes(title="cosine of two random vectors", range=[-1, 1])
    fig.update_yaxes(title="probability density", range=[0, 14])
    return fig


def trained_vs_random_figure(vectors, rng: np.random.Generator, *, n_pairs: int = 20_000,
                             bins: int = 50):
    """Two panels comparing trained vectors (n, d) with Gaussian vectors of the same shape and
    overall scale: the norms (divided by their mean) and the cosines of random pairs."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from lessons.book.plots import PALETTE

    X = np.asarray(vectors, dtype=np.float64)
    G = rng.standard_normal(X.shape) * X.std()
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=("norm / mean norm", "cosine of random pairs"))
    for k, (name, Y) in enumerate((("trained", X), ("random Gaussian", G))):
        norms = np.linalg.norm(Y, axis=1)
        counts, edges = np.histogram(norms / norms.mean(), bins=bins, range=(0, 3))
        centres = (edges[:-1] + edges[1:]) / 2
        fig.add_trace(go.Scatter(x=centres, y=counts / len(Y), name=name, mode="lines",
                                 line=dict(color=PALETTE[k], dash=["solid", "dash"][k], shape="hvh")), 1, 1)
        i, j = rng.integers(0, len(Y), (2, n_pairs))
        U = unit_rows(Y)
        c = np.einsum("ij,ij->i", U[i[i != j]], U[j[i != j]])
        counts, edges = np.histogram(c, bins=bins, range=(-1, 1))
        centres = (edges[:-1] + edges[1:]) / 2
        fig.add_trace(go.Scatter(x=centres, y=counts / len(c), name=name, mode="lines", showlegend=False,
                                 line=dict(color=PALETTE[k], dash=["solid", "dash"][k], shape="hvh")), 1, 2)
    fig.update_xaxes(title="‖x‖ / mean ‖x‖", row=1, col=1)
    fig.update_xaxes(title="cosine", row=1, col=2)
    fig.update_yaxes(title="fraction of words", row=1, col=1)
    fig.update_yaxes(title="fraction of pairs", row=1, col=2)
    fig.update_layout(template="plotly_white", height=420,
                      title=f"Trained vectors vs random Gaussian vectors ({X.shape[0]:,} × {X.shape[1]})")
    return fig


def neighbours_figure(emb, words, *, topn: int = 8):
    """Slider over query words: horizontal bars of each word's ``topn`` nearest neighbours by cosine."""
    import plotly.graph_objects as go

    from lessons.book.plots import PALETTE, slider

    figures = []
    for word in words:
        neighbours = emb.most_similar(word, topn=topn)
        names = [w for w, _ in neighbours][::-1]
        scores = [round(float(c), 3) for _, c in neighbours][::-1]
        fig = go.Figure(go.Bar(x=scores, y=list(range(topn)), orientation="h", text=names,
                               textposition="inside", insidetextanchor="start",
                               marker_color=PALETTE[0], textfont=dict(color="white"),
                               hovertemplate="%{text}: %{x}<extra></extra>"))
        fig.update_layout(title=dict(text=f"Nearest neighbours of '{word}' (cosine)"))
        figures.append(fig)
    fig = slider(figures, list(words), prefix="query word: ", height=430)
    fig.update_xaxes(title="cosine similarity", range=[0, 1])
    fig.update_yaxes(title=f"rank (1 = top)", tickvals=list(range(topn)),
                     ticktext=[str(topn - i) for i in range(topn)])
    return fig


def explorer(*, n_pairs: int = 5000, seed: int = 0):
    """Live panel: random cosines and Gaussian norms in a chosen dimension.

    Left: histogram of the cosines of ``n_pairs`` random pairs with the exact
    density; right: histogram of ``‖x‖/√d`` for Gaussian ``x`` with its mean and
    standard deviation from the chi distribution.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from lessons.book.widgets import panel

    def update(d, log2_pairs):
        rng = np.random.default_rng(seed)
        pairs = 2 ** log2_pairs
        c = random_cosines(pairs, d, rng)
        norms = np.linalg.norm(rng.standard_normal((pairs, d)), axis=1) / math.sqrt(d)
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
        left.hist(c, bins=60, range=(-1, 1), density=True, color="#56b4e9", label="simulation")
        grid = np.linspace(-0.999, 0.999, 400)
        left.plot(grid, cosine_density(grid, d), color="#1b3a6b", label="exact density")
        left.set(title=f"cosines in d = {d}", xlabel="cosine", ylabel="density")
        left.legend(loc="upper left", fontsize=8)
        right.hist(norms, bins=60, density=True, color="#e08a2c")
        right.set(title="norms of Gaussian vectors", xlabel="‖x‖ / √d", ylabel="density")
        fig.tight_layout()
        print(f"d = {d}: simulated sd of the cosine {c.std():.4f} vs 1/√d = {cosine_sd(d):.4f}; "
              f"mean |cos| {np.abs(c).mean():.4f} vs exact {mean_abs_cosine(d):.4f}")
        print(f"‖x‖: mean {norms.mean() * math.sqrt(d):.3f} (exact {gaussian_norm_mean(d):.3f}), "
              f"sd {norms.std() * math.sqrt(d):.3f} (exact {gaussian_norm_sd(d):.3f}); "
              f"outer 10% shell holds {shell_fraction(0.1, d):.4%} of a ball's volume")

    controls = {
        "d": widgets.IntSlider(value=300, min=2, max=1000, step=1, description="dimension d"),
        "log2_pairs": widgets.IntSlider(value=int(math.log2(n_pairs)), min=8, max=16,
                                        description="log₂ pairs"),
    }
    return panel(update, controls, title="Random vectors in d dimensions")
