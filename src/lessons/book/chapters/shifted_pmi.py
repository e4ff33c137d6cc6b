"""Figure and self-check answer of the chapter *What skip-gram computes: a shifted PMI matrix*.

They draw and check what :mod:`lessons.models.skipgram` computes:

* :func:`factorisation_figure` -- trained ``v_w . u_c`` against the shifted PMI, a
  plotly slider over the number of negatives ``k``;
* :func:`expected_shifted_pmi` -- the answer to the chapter's self-check: the optimum
  ``log(#(w,c) / (#(w) P_n(c))) - log k`` of one (word, context) pair.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import scipy.sparse as sparse

from lessons.book.plots import PALETTE, slider

__all__ = ["factorisation_figure", "expected_shifted_pmi"]


def factorisation_figure(checks: dict, *, max_points: int = 1500):
    """A plotly slider over ``k``: ``v_w . u_c`` against ``log(#(w,c) / (#(w) P_n(c))) - log k``.

    ``checks`` maps the number of negatives ``k`` to a
    :class:`lessons.models.skipgram.FactorisationCheck`.  Marker size grows with the
    pair's count; the dashed line is ``y = x``.
    """
    if not checks:
        raise ValueError("checks is empty: pass {k: factorisation_check(...)} for at least one k")
    figures = []
    low = min(min(c.shifted_pmi.min(), c.dots.min()) for c in checks.values())
    high = max(max(c.shifted_pmi.max(), c.dots.max()) for c in checks.values())
    for k, check in checks.items():
        n = min(len(check.dots), max_points)
        fig = go.Figure([
            go.Scatter(x=check.shifted_pmi[:n], y=check.dots[:n], mode="markers",
                       name="word, context pair",
                       marker=dict(size=3 + 2 * np.sqrt(check.counts[:n] / check.counts.max()) * 4,
                                   color=PALETTE[0], opacity=0.5),
                       hovertemplate="PMI - log k: %{x:.2f}<br>v·u: %{y:.2f}<extra></extra>"),
            go.Scatter(x=[low, high], y=[low, high], mode="lines", name="y = x",
                       line=dict(color=PALETTE[1], dash="dash")),
        ])
        fig.update_layout(title=dict(text=f"k = {k}: correlation {check.correlation:.3f}"))
        figures.append(fig)
    fig = slider(figures, [str(k) for k in checks], prefix="negative samples k = ", height=560,
                 legend_above=True, slider_pad=60)
    fig.update_xaxes(title="shifted PMI: log(#(w,c) / (#(w) P_n(c))) − log k")
    fig.update_yaxes(title="trained v_w · u_c")
    return fig


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_shifted_pmi(pair_counts, noise_probs, word: int, context: int, negative: int) -> float:
    """Answer to the self-check: SGNS's optimum ``log(#(w,c) / (#(w) P_n(c))) - log k``, one pair.

    Parameters
    ----------
    pair_counts : (V, V) sparse or dense, ``#(w, c)``; its row sum is ``#(w)``, the number of
        (centre, context) pairs with ``w`` at the centre
    noise_probs : (V,) the noise distribution ``P_n``
    word, context : row and column ids
    negative : the number of noise words ``k``
    """
    counts = sparse.csr_matrix(pair_counts, dtype=np.float64)  # (V, V)
    pair = counts[word, context]
    if pair <= 0:
        raise ValueError(f"the pair ({word}, {context}) never co-occurs: its optimum is -inf")
    return float(np.log(pair / (counts[word].sum() * noise_probs[context])) - np.log(negative))
