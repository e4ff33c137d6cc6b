"""The real-text chapter: nearest neighbours and analogies of vectors trained on text8.

Chapter: *Word2vec on real text*.

* :func:`neighbours_figure`: a plotly slider over query words, a bar chart of each
  one's nearest neighbours (works in the static HTML);
* :func:`query_panel`: a live panel where the reader types a word (its neighbours) and
  three words ``a : b :: c : ?`` (the analogy's answers) (running notebook).
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from lessons.book.plots import PALETTE, legend_row, slider, style
from lessons.book.widgets import panel
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.linalg import cosine_matrix

#: The real-text chapter's training settings (with ``workers=1`` and ``seed=0``): skip-gram,
#: d = 50, a stronger subsampling threshold than word2vec's default (on a small corpus it
#: removes many *the*/*of*/*and* tokens), three epochs. *How sure are the scores?* and
#: ``benchmarks/corpus_size.py`` train with the same settings.
SETTINGS = dict(dim=50, window=5, negative=5, min_count=5, subsample=1e-4, epochs=3)

__all__ = ["SETTINGS", "expected_more_skipped", "answer_rank", "accuracy_by_rarity",
           "mean_pair_cosine", "sections_figure", "growth_figure", "neighbours_figure",
           "query_panel", "analogy_label"]


def neighbours_figure(emb: Embeddings, queries, *, topn: int = 8,
                      restrict_vocab: int | None = None):
    """A plotly slider over query words: bar chart of each one's ``topn`` nearest neighbours."""
    figures = []
    for q in queries:
        neighbours = emb.most_similar(q, topn=topn, restrict_vocab=restrict_vocab)
        words = [w for w, _ in neighbours][::-1]
        scores = [float(s) for _, s in neighbours][::-1]
        fig = go.Figure(go.Bar(x=scores, y=words, orientation="h", marker_color=PALETTE[0],
                               text=[f"{s:.2f}" for s in scores], textposition="outside",
                               hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
        fig.update_layout(title=dict(text=f"nearest neighbours of '{q}'"))
        figures.append(fig)
    fig = slider(figures, list(queries), prefix="query word: ", height=430)
    fig.update_xaxes(title="cosine similarity", range=[0, 1.1])
    fig.update_yaxes(title="neighbour")
    return fig


def analogy_label(a: str, b: str, c: str) -> str:
    """The question as the book writes it: ``"man : king :: woman : ?"``."""
    return f"{a} : {b} :: {c} : ?"


def query_panel(emb: Embeddings, *, word: str = "france", a: str = "man", b: str = "king",
                c: str = "woman", topn: int = 8, restrict_vocab: int | None = 30000):
    """Live panel: type a word to see its neighbours, and three words for an analogy.

    Prints two blocks, each a heading line and a line of ``word (score)`` answers; an
    unknown word prints the vocabulary's suggestion instead of failing.
    """
    def update(word, a, b, c):
        queries = ((f"neighbours of {word}:",
                    lambda: emb.most_similar(word, topn=topn, restrict_vocab=restrict_vocab)),
                   (analogy_label(a, b, c),
                    lambda: emb.analogy(a, b, c, topn=5, restrict_vocab=restrict_vocab)))
        for heading, query in queries:
            try:
                result = query()
            except KeyError as err:  # unknown word: say so instead of failing
                print(f"{heading} {err}")
                continue
            print(heading)
            print("   " + ", ".join(f"{w} ({s:.2f})" for w, s in result))

    controls = {key: widgets.Text(value=value, description=key, continuous_update=False)
                for key, value in (("word", word), ("a", a), ("b", b), ("c", c))}
    return panel(update, controls, title="Ask the vectors: nearest neighbours and a : b :: c : ?")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_more_skipped(emb, result, min_count: int) -> int:
    """Answer to the self-check: pairs of a word-similarity ``result`` ``min_count`` would drop."""
    count = dict(zip(emb.words, emb.counts))
    words = [(a.lower(), b.lower()) for a, b in result.word_pairs]     # the file's case: upper
    return sum(count[a] < min_count or count[b] < min_count for a, b in words)


def answer_rank(emb: Embeddings, a: str, b: str, c: str, expected: str, *,
                method: str = "3cosadd") -> int | None:
    """Where ``expected`` ranks among the answers to "``a`` is to ``b`` as ``c`` is to ?" (1 = top).

    The inputs are excluded from the answers, as in the Google test. Returns None when one
    of the four words is not in ``emb``.
    """
    if any(w not in emb for w in (a, b, c, expected)):
        return None
    answers = emb.analogy(a, b, c, method=method, topn=len(emb)).words
    return list(answers).index(expected) + 1


def accuracy_by_rarity(emb: Embeddings, result, edges=(1000, 3000, 10000)) -> list[tuple]:
    """The answered questions of a Google-analogy ``result``, grouped by their rarest word.

    A question's rarity is the frequency rank (0 = most frequent) in ``emb`` of the least
    frequent of its four words (compared upper-cased, as the evaluation does: the first,
    most frequent, spelling of a word stands for it).

    Returns
    -------
    list of ``(low, high, questions, accuracy)``: one per rank range ``[low, high)`` cut at
    ``edges``, the last one ending at ``len(emb)``; ``accuracy`` is NaN for an empty group.
    """
    rank: dict[str, int] = {}
    for i, word in enumerate(emb.words):
        rank.setdefault(word.upper(), i)
    rarest = np.array([max(rank[w.upper()] for w in question[:4]) for question in result.answers])
    right = np.array([question[3] == question[4] for question in result.answers], dtype=bool)
    bounds = [0, *edges, len(emb)]
    groups = []
    for low, high in zip(bounds[:-1], bounds[1:]):
        inside = (rarest >= low) & (rarest < high)
        groups.append((low, high, int(inside.sum()),
                       float(right[inside].mean()) if inside.any() else float("nan")))
    return groups


def mean_pair_cosine(emb: Embeddings, n: int = 1000, *, centred: bool = False) -> float:
    """The mean cosine between two distinct words of the ``n`` most frequent (rows ``0..n-1``).

    ``centred=True`` subtracts those words' mean vector first (the common direction).
    """
    X = emb.vectors[:n].astype(np.float64)
    if centred:
        X = X - X.mean(axis=0)
    cosines = cosine_matrix(X)
    return float(cosines[np.triu_indices(len(X), k=1)].mean())


def sections_figure(result, *, title: str = "Google analogies by section"):
    """Accuracy of each Google-analogy section as horizontal bars (hover: correct / asked).

    Parameters
    ----------
    result : lessons.vectors.evaluation.AnalogyResult
    """
    sections = [s for s in result.sections if s.total]
    semantic = {"capital-common-countries", "capital-world", "currency", "city-in-state", "family"}
    fig = go.Figure(go.Bar(
        y=[s.name for s in sections], x=[100 * s.accuracy for s in sections], orientation="h",
        marker_color=[PALETTE[0] if s.name in semantic else PALETTE[1] for s in sections],
        hovertext=[f"{s.n_correct:,} of {s.total:,} questions" for s in sections],
        hoverinfo="text+x"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="% answered right (3CosAdd, top 30,000 words, inputs excluded)")
    fig.update_layout(title=f"{title}: semantic sections dark, syntactic light", height=460,
                      margin=dict(l=210))
    return fig


def growth_figure(runs: dict):
    """The rank of *queen* for king − man + woman, and the analogy accuracy, as the corpus grows.

    Parameters
    ----------
    runs : dict
        Corpus label -> list of (words, queen rank or None, Google accuracy) in increasing size.
    """
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=("rank of queen (1 = the answer)",
                                        "Google analogies, % right"))
    for colour, (label, points) in zip(PALETTE, runs.items()):
        words = [p[0] for p in points]
        fig.add_trace(go.Scatter(x=words, y=[p[1] for p in points], mode="lines+markers",
                                 name=label, line=dict(color=colour), legendgroup=label),
                      row=1, col=1)
        fig.add_trace(go.Scatter(x=words, y=[100 * p[2] for p in points], mode="lines+markers",
                                 name=label, line=dict(color=colour), legendgroup=label,
                                 showlegend=False), row=1, col=2)
    fig.update_xaxes(type="log", title_text="words of training text")
    fig.update_yaxes(type="log", autorange="reversed", row=1, col=1)
    style(fig, template=None,
          title="king − man + woman as the corpus grows (one setting, one seed)",
          height=420, legend=legend_row(-0.25))
    return fig
