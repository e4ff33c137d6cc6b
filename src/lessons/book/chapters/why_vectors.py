"""Figure and live panel of the chapter *Why vectors?*.

* :func:`neighbours_figure` -- a plotly slider over query words: each one's nearest
  neighbours by cosine in trained vectors (static HTML);
* :func:`lsh_panel` -- a live panel: random-hyperplane LSH over the word vectors,
  bits and tables against recall and the work saved (running notebook).
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from lessons.book.plots import PALETTE, slider
from lessons.book.widgets import panel
from lessons.timing import best_seconds
from lessons.vectors.lsh import HyperplaneLSH, exact_top_k, recall_at_k

__all__ = ["expected_cosine", "search_timings", "neighbours_figure", "lsh_panel"]


def neighbours_figure(emb, words, *, topn: int = 8):
    """Slider over query words: bars of each word's ``topn`` nearest neighbours by cosine."""
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
    fig.update_yaxes(title="rank (1 = top)", tickvals=list(range(topn)),
                     ticktext=[str(topn - i) for i in range(topn)])
    return fig


def lsh_panel(emb, *, n_queries: int = 200, k: int = 10, seed: int = 0):
    """Live panel: LSH over word vectors; bits and tables against recall and work saved.

    Prints the recall of the true ``k`` nearest neighbours over ``n_queries`` random
    frequent words and the exact cosines each query needed, then the exact and the
    LSH neighbours of the word typed in.
    """
    unit = emb.normalized
    rng = np.random.default_rng(seed)
    queries = rng.choice(min(len(emb), 5000), n_queries, replace=False)
    truth = exact_top_k(unit, unit[queries], k, exclude=queries)

    def update(n_bits, n_tables, word):
        index = HyperplaneLSH(n_bits, n_tables, seed=seed, center=True).build(unit)
        found, n_cand = index.query(unit[queries], k, exclude=queries)
        print(f"{n_bits} bits × {n_tables} tables: recall@{k} = {recall_at_k(found, truth):.3f}, "
              f"exact cosines per query {n_cand.mean():,.0f} of {len(emb):,} "
              f"({n_cand.mean() / len(emb):.1%})")
        if word in emb:
            row = emb.index[word]
            ids, _ = index.query(unit[row], k, exclude=[row])
            exact = exact_top_k(unit, unit[[row]], k, exclude=[row])[0]
            print(f"\n{'exact':>14} | LSH")
            for a, b in zip(exact, ids[0]):
                print(f"{emb.words[a]:>14} | {emb.words[b] if b >= 0 else '—'}")
        else:
            print(f"{word!r} is not in the vocabulary")

    controls = {
        "n_bits": widgets.IntSlider(value=10, min=2, max=24, description="bits"),
        "n_tables": widgets.IntSlider(value=8, min=1, max=32, description="tables"),
        "word": widgets.Text(value="france", description="word"),
    }
    return panel(update, controls, title="Random-hyperplane LSH")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_cosine(vectors, a: str, b: str) -> float:
    """Answer to the self-check: cos(vectors[a], vectors[b])."""
    from lessons.vectors.linalg import cosine

    return float(cosine(vectors[a], vectors[b]))


def search_timings(U, query, *, loop_rows: int = 20_000, top: int = 10, repeats: int = 5) -> dict:
    """Time the pieces of a brute-force nearest-neighbour search on this machine.

    Parameters
    ----------
    U : (V, d) float32 unit rows; query : (d,) float32
    loop_rows : rows the one-dot-product-per-word Python loop is timed on (scaled up to V)

    Returns
    -------
    dict of milliseconds for the whole vocabulary: ``matvec`` (one ``U @ query``),
    ``python loop`` (one ``np.dot`` per word), ``argsort`` and ``argpartition`` of the
    scores; and the rates the product reaches: ``matvec GFLOP/s`` (2·V·d flops),
    ``matvec GB/s`` (the V·d·4 bytes of U it must read) and, for comparison, the
    ``matmul GFLOP/s`` of a (1024, 1024) float32 matrix product, which reuses each
    number it reads and so shows what the arithmetic units can do.
    """
    def ms(work, repeats=repeats):  # the fastest run, the least disturbed by other load
        return 1000 * best_seconds(work, repeats)

    V, d = U.shape
    scores = U @ query
    out = {"matvec": ms(lambda: U @ query)}
    rows = min(loop_rows, V)
    out["python loop"] = ms(lambda: [float(np.dot(U[i], query)) for i in range(rows)], 1) * V / rows
    out["argsort"] = ms(lambda: np.argsort(scores)[-top:])
    out["argpartition"] = ms(lambda: np.argpartition(-scores, top)[:top])
    out["matvec GFLOP/s"] = 2 * V * d / (out["matvec"] / 1000) / 1e9
    out["matvec GB/s"] = V * d * 4 / (out["matvec"] / 1000) / 1e9
    A = np.random.default_rng(0).standard_normal((1024, 1024), dtype=np.float32)
    out["matmul GFLOP/s"] = 2 * 1024**3 / (ms(lambda: A @ A, 3) / 1000) / 1e9
    return out
