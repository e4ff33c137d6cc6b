"""Figure and live panel of the chapter *Superposition*.

Both show trained toy models of superposition (:mod:`lessons.geometry.superposition`):
``WᵀW`` (how the features' directions overlap) and each feature's norm (kept or dropped):

* :func:`superposition_figure` -- a plotly slider over models already trained, e.g.
  at increasing sparsity (static HTML);
* :func:`superposition_panel` -- a live panel that trains a model for the chosen
  sparsity and number of features (running notebook);
* :func:`merge_senses` and :func:`sense_fit` -- an artificial two-sense word in the planted
  toy language, and how well a weighted sum of its senses' vectors explains its vector
  (Arora et al., "Linear Algebraic Structure of Word Senses, with Applications to
  Polysemy", TACL 2018).
"""
from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons.book.plots import SEQUENTIAL, slider
from lessons.book.widgets import panel
from lessons.geometry.superposition import train_toy_model

__all__ = ["expected_pairs", "superposition_figure", "superposition_panel", "merge_senses",
           "sense_fit"]


def superposition_figure(models, labels, *, prefix: str = "sparsity S = "):
    """Slider over trained models: ``WᵀW`` as a heatmap (left) and each feature's norm, coloured
    by how much it shares its direction with other features (right)."""
    figures = []
    for model, label in zip(models, labels):
        n = model.W.shape[1]
        gram = np.round(model.W.T @ model.W, 2)
        norms = np.round(model.feature_norms, 3)
        share = model.interference / np.maximum(model.feature_norms ** 2, 1e-12)
        share = np.round(np.clip(share, 0, 1), 3)
        fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], horizontal_spacing=0.12,
                            subplot_titles=("WᵀW (feature i · feature j)", "‖W_i‖ per feature"))
        fig.add_trace(go.Heatmap(z=gram, x=list(range(n)), y=list(range(n)), colorscale="RdBu",
                                 zmin=-1, zmax=1, showscale=False,
                                 hovertemplate="features %{y}, %{x}: %{z}<extra></extra>"), 1, 1)
        fig.add_trace(go.Bar(x=list(range(n)), y=norms,
                             marker=dict(color=share, colorscale=SEQUENTIAL, cmin=0, cmax=1,
                                         colorbar=dict(title="shared", x=1.02, len=0.8)),
                             hovertemplate="feature %{x}: ‖W‖ = %{y}<extra></extra>"), 1, 2)
        fig.update_layout(title=dict(text=(
            f"{label}: {model.n_represented()} of {n} features represented in "
            f"{model.W.shape[0]} dimensions")))
        figures.append(fig)
    fig = slider(figures, labels, prefix=prefix, height=470)
    # slider() keeps the layout but not plotly's subplot grid: address the axes by name
    fig.update_layout(
        xaxis=dict(title="feature j"), yaxis=dict(title="feature i", autorange="reversed"),
        xaxis2=dict(title="feature i (most important first)"),
        yaxis2=dict(title="‖W_i‖", range=[0, 1.3]),
    )
    fig.update_layout(showlegend=False)
    return fig


def superposition_panel(*, n_hidden: int = 5, steps: int = 2000, seed: int = 0):
    """Live panel: train the toy model for a chosen sparsity and number of features.

    Draws ``WᵀW`` and the feature norms; prints how many features are represented, the
    hidden dimensions per feature and the final loss.
    """
    def update(sparsity, n_features):
        model = train_toy_model(n_features, n_hidden, sparsity=sparsity, steps=steps,
                                batch=512, seed=seed)
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
        image = left.imshow(model.W.T @ model.W, cmap="RdBu", vmin=-1, vmax=1)
        left.set(title="WᵀW", xlabel="feature j", ylabel="feature i")
        fig.colorbar(image, ax=left, fraction=0.046)
        right.bar(range(n_features), model.feature_norms, color="#1b3a6b")
        right.set(title="‖W_i‖ per feature", xlabel="feature i (most important first)",
                  ylabel="‖W_i‖", ylim=(0, 1.3))
        fig.tight_layout()
        print(f"S = {sparsity:.3f}: {model.n_represented()} of {n_features} features represented "
              f"in {n_hidden} dimensions; dimensions per feature "
              f"{model.dimensions_per_feature():.2f}; "
              f"final loss {model.losses[-100:].mean():.4f}")

    controls = {
        "sparsity": widgets.SelectionSlider(
            options=[0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 0.995], value=0.9,
            description="sparsity S"),
        "n_features": widgets.IntSlider(value=20, min=6, max=40, description="features n"),
    }
    return panel(update, controls, title="Toy model of superposition")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def merge_senses(corpus, a: str, b: str, share_a: float = 0.5, share_b: float = 0.5, *,
                 seed: int = 0) -> tuple[list[list[str]], str, tuple[int, int]]:
    """Give two words one spelling in part of their occurrences: an artificial polysemous word.

    Each occurrence of ``a`` becomes the new word ``"a|b"`` with probability ``share_a`` (and
    stays ``a`` otherwise), each occurrence of ``b`` with probability ``share_b``; so ``a``,
    ``b`` and ``"a|b"`` are all trained, and ``"a|b"`` has the two *senses* ``a`` and ``b``.

    Returns
    -------
    (corpus, word, (from_a, from_b)): the new corpus (lists of tokens), the new word and how
    many of its occurrences were ``a`` and ``b``.
    """
    rng = np.random.default_rng(seed)
    word, merged, from_a, from_b = f"{a}|{b}", [], 0, 0
    for sentence in corpus:
        tokens = list(sentence)
        for i, token in enumerate(tokens):
            if token == a and rng.random() < share_a:
                tokens[i], from_a = word, from_a + 1
            elif token == b and rng.random() < share_b:
                tokens[i], from_b = word, from_b + 1
        merged.append(tokens)
    return merged, word, (from_a, from_b)


def sense_fit(emb, word: str, senses) -> tuple[np.ndarray, float]:
    """Least-squares weights ``c`` with ``v_word ≈ Σ c_i v_sense_i``, and how good the fit is.

    All vectors are centred first (the mean of every row of ``emb`` is subtracted: the common
    direction would make any combination look good).

    Returns
    -------
    (weights, cosine): one weight per sense, and the cosine between ``v_word`` and the fit
    (1 when ``v_word`` lies in the plane of the senses' vectors).
    """
    vectors = emb.vectors.astype(np.float64)
    mean = vectors.mean(axis=0)
    basis = np.stack([vectors[emb.index_of(s)] - mean for s in senses], axis=1)   # (d, k)
    target = vectors[emb.index_of(word)] - mean                                    # (d,)
    weights, *_ = np.linalg.lstsq(basis, target, rcond=None)
    fitted = basis @ weights
    return weights, float(fitted @ target / (np.linalg.norm(fitted) * np.linalg.norm(target)))


def expected_pairs() -> float:
    """Answer to the self-check: expected pairs of 10,000 random 300-d directions, |cos| > 0.2."""
    from lessons.geometry.high_dimensions import cosine_tail

    return 10_000 * 9_999 / 2 * float(cosine_tail(0.2, 300))
