"""The real-text chapter: nearest neighbours and analogies of vectors trained on text8.

Chapter: *Word2vec on real text*.

* :func:`neighbours_figure`: a plotly slider over query words, a bar chart of each
  one's nearest neighbours (works in the static HTML);
* :func:`query_panel`: a live panel where the reader types a word (its neighbours) and
  three words ``a : b :: c : ?`` (the analogy's answers) (running notebook).
"""
from __future__ import annotations

import ipywidgets as widgets
import plotly.graph_objects as go

from lessons.book.plots import PALETTE, slider
from lessons.book.widgets import panel
from lessons.vectors.embeddings import Embeddings

__all__ = ["expected_skipped_pairs", "answer_rank", "neighbours_figure", "query_panel", "analogy_label"]


def neighbours_figure(emb: Embeddings, queries, *, topn: int = 8, restrict_vocab: int | None = None):
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
def expected_skipped_pairs(emb) -> int:
    """Answer to the self-check: WordSim-353 pairs skipped because a word is not in ``emb``."""
    from lessons.vectors.evaluation import word_similarity

    return int(word_similarity(emb, "wordsim353").oov)


def answer_rank(emb: Embeddings, a: str, b: str, c: str, expected: str, *, method: str = "3cosadd") -> int | None:
    """Where ``expected`` ranks among the answers to "``a`` is to ``b`` as ``c`` is to ?" (1 = top).

    The inputs are excluded from the answers, as in the Google test. Returns None when one
    of the four words is not in ``emb``.
    """
    if any(w not in emb for w in (a, b, c, expected)):
        return None
    answers = emb.analogy(a, b, c, method=method, topn=len(emb)).words
    return list(answers).index(expected) + 1
