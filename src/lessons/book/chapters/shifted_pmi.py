"""Figure and self-check answer of the chapter *What skip-gram computes: a shifted PMI matrix*.

They draw and check what :mod:`lessons.models.skipgram` computes:

* :func:`factorisation_figure` -- trained ``v_w . u_c`` against the shifted PMI, a
  plotly slider over the number of negatives ``k``;
* :func:`expected_shifted_pmi` -- the answer to the chapter's self-check: the optimum
  ``log(#(w,c) / (#(w) P_n(c))) - log k`` of one (word, context) pair;
* :func:`seconds_per_pair` and :func:`timing_by_vocabulary` -- the time per (centre,
  context) pair of the two objectives, and how it grows with the vocabulary.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import scipy.sparse as sparse

from lessons import checks
from lessons.book.plots import PALETTE, slider

__all__ = ["factorisation_figure", "expected_shifted_pmi", "seconds_per_pair",
           "timing_by_vocabulary"]


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


def seconds_per_pair(history) -> float:
    """Wall time per training pair of the fastest epoch of a run (its ``TrainingHistory``).

    The fastest epoch, not the total: the first epoch of the first run in a process also
    pays for loading the compiled trainer, and on a shared machine other processes can
    only add time (as :func:`lessons.timing.best_seconds` argues).
    """
    per_pair = [s / n for s, n in zip(history.elapsed_s, history.examples) if n > 0]
    if not per_pair:
        raise ValueError("history has no epoch with a training pair")
    return float(min(per_pair))


def timing_by_vocabulary(words, vocab_sizes, *, softmax_words: int = 1000,
                         sgns_words: int = 20_000, dim: int = 20, window: int = 2,
                         negative: int = 5, epochs: int = 2,
                         seed: int = 0) -> dict[int, dict[str, float]]:
    """Seconds per pair of negative sampling and of the full softmax, for each vocabulary size.

    For each ``V`` the vocabulary is the ``V`` most frequent of ``words``. The full softmax
    trains on the first ``softmax_words`` of ``words``, negative sampling on the first
    ``sgns_words`` (one sentence each; the words outside the vocabulary are dropped): a
    softmax pair is slow enough to time on a short text, a negative-sampling pair needs
    tens of thousands of pairs per epoch before the epoch's fixed start-up cost vanishes.

    Returns
    -------
    ``{V: {"negative sampling": s, "full softmax": s}}``, seconds per pair of the
    fastest epoch (:func:`seconds_per_pair`).
    """
    from lessons.data.corpus import Vocabulary
    from lessons.models.softmax import train_softmax
    from lessons.models.word2vec import train

    checks.integer("softmax_words", softmax_words, 2)
    checks.integer("sgns_words", sgns_words, 2)
    words = checks.words("words", words)
    times = {}
    for size in vocab_sizes:
        size = checks.integer("vocab_sizes", size, 2)
        vocabulary = Vocabulary.from_corpus(words, max_size=size)
        if len(vocabulary) < size:
            raise ValueError(f"vocab_sizes: words has only {len(vocabulary):,} distinct words, "
                             f"fewer than {size:,}")
        sgns = train([words[:sgns_words]], model="skipgram", dim=dim, window=window,
                     negative=negative, subsample=0, epochs=epochs, workers=1, seed=seed,
                     vocabulary=vocabulary)
        softmax = train_softmax([words[:softmax_words]], dim=dim, window=window, epochs=epochs,
                                seed=seed, vocabulary=vocabulary)
        times[size] = {"negative sampling": seconds_per_pair(sgns.history),
                       "full softmax": seconds_per_pair(softmax.history)}
    return times
