"""The parameter explorer: retrain on the planted toy language and look at the geometry.

Chapters: *The parameter explorer* (the live panel and the precomputed sliders) and
*The training loop* (snapshots of the vectors over the epochs, the 2-D maps).

Everything here is measurement and drawing around :func:`lessons.models.word2vec.train`:

* :func:`retrain` trains on the planted toy language of :mod:`lessons.data.toylang`
  (3,000 sentences, about 10,000 tokens: a fraction of a second);
* :func:`planted_accuracy` scores every planted analogy ``a : b :: c : ?`` (3CosAdd,
  top 1, the three question words excluded), vectorised;
* :func:`pca_2d` projects vectors to 2-D with a deterministic sign convention (each
  principal axis is flipped so that its largest-magnitude loading is positive), so the
  same vectors always give the same picture;
* :func:`relation_map_figure`, :func:`sweep_figure` and :func:`explorer` draw the map
  with the planted relations as arrows, the accuracy and the histogram of cosine
  similarities: as a plotly slider over precomputed settings (static HTML) or as a
  live ipywidgets panel that retrains on every change (running notebook);
* :func:`train_with_snapshots` keeps copies of the vectors after chosen epochs (via
  the trainer's ``on_epoch_end`` hook) for the training-loop chapter.

References
----------
* T. Mikolov et al., "Distributed Representations of Words and Phrases and their
  Compositionality", NeurIPS 2013 (the parameters: k, alpha = 3/4, t).
* O. Levy, Y. Goldberg, I. Dagan, "Improving Distributional Similarity with Lessons
  Learned from Word Embeddings", TACL 2015 (how much the parameters matter).
"""
from __future__ import annotations

import functools
import time

import numpy as np

from lessons.vectors.embeddings import Embeddings
from lessons.data.toylang import planted_analogies, planted_relations, toy_sentences

__all__ = ["DEFAULTS", "SWEEPS", "MAP_RELATIONS", "toy_corpus", "retrain", "pca_2d",
           "planted_accuracy", "cosine_histogram", "relation_map_figure", "sweep_figure",
           "explorer", "train_with_snapshots", "similarity_traces", "epoch_maps_figure",
           "similarity_explorer", "neighbours_figure", "query_panel"]

#: The explorer's starting point: word2vec's usual k, alpha and t; small d and many
#: epochs because the toy corpus is tiny.
DEFAULTS = dict(dim=20, window=3, negative=5, noise_exponent=0.75, subsample=1e-3,
                learning_rate=0.025, epochs=10)

#: Values of each parameter on the precomputed sliders (the others at DEFAULTS).
SWEEPS = {
    "dim": [2, 3, 5, 10, 20, 50, 100],
    "window": [1, 2, 3, 5, 8],
    "negative": [1, 2, 5, 10, 20],
    "noise_exponent": [0.0, 0.25, 0.5, 0.75, 1.0],
    "subsample": [0.0, 1e-4, 1e-3, 1e-2],
    "learning_rate": [0.001, 0.005, 0.025, 0.1, 0.4],
    "epochs": [1, 2, 5, 10, 20, 40],
}

#: The relations drawn as arrows on the map (their words are the map's points).
MAP_RELATIONS = ("gender", "royalty", "age")

_LABELS = {"dim": "dimension d", "window": "window", "negative": "negative samples k",
           "noise_exponent": "noise exponent α", "subsample": "subsampling t",
           "learning_rate": "learning rate", "epochs": "epochs"}


@functools.lru_cache(maxsize=4)
def toy_corpus(n_sentences: int = 3000, seed: int = 0) -> tuple:
    """The planted toy language (cached; a tuple of token lists)."""
    return tuple(tuple(s) for s in toy_sentences(n_sentences, seed=seed))


def retrain(*, seed: int = 0, n_sentences: int = 3000, **params) -> Embeddings:
    """Train skip-gram on the toy language with ``DEFAULTS`` updated by ``params``.

    One thread and a fixed ``seed``, so the result is reproducible bit for bit.
    """
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)}; choose from {sorted(DEFAULTS)}")
    from lessons.models.word2vec import train

    settings = {**DEFAULTS, **params}
    return train([list(s) for s in toy_corpus(n_sentences)], min_count=1, workers=1, seed=seed,
                 **settings)


def pca_2d(vectors) -> np.ndarray:
    """Project the rows of ``vectors`` on their first two principal axes.

    The rows are centred, the axes come from an SVD in float64, and each axis is
    flipped so that its largest-magnitude loading is positive (an SVD fixes axes only
    up to sign; this makes the picture reproducible).

    Parameters
    ----------
    vectors : (n, d) array, n >= 1

    Returns
    -------
    (n, 2) float64 (the second column is zero when d == 1)
    """
    X = np.asarray(vectors, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 1:
        raise ValueError(f"vectors must be a non-empty (n, d) matrix, got shape {X.shape}")
    X = X - X.mean(axis=0)
    _, _, axes = np.linalg.svd(X, full_matrices=False)   # (min(n, d), d) principal axes
    axes = axes[:2]
    signs = np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])
    axes = axes * np.where(signs == 0, 1.0, signs)[:, None]
    out = np.zeros((X.shape[0], 2))
    out[:, :len(axes)] = X @ axes.T
    return out


def planted_accuracy(emb: Embeddings, analogies=None) -> float:
    """Fraction of planted analogies ``a : b :: c : d`` whose 3CosAdd answer is ``d``.

    The answer is the word maximising ``cos(x, b - a + c)`` over unit vectors, the
    three question words excluded (as ``Embeddings.analogy`` and gensim do).
    """
    analogies = planted_analogies() if analogies is None else list(analogies)
    if not analogies:
        raise ValueError("analogies must not be empty")
    ids = np.array([[emb.index_of(w) for w in q] for q in analogies])  # (m, 4)
    unit = emb.normalized.astype(np.float64)                           # (V, d)
    targets = unit[ids[:, 1]] - unit[ids[:, 0]] + unit[ids[:, 2]]      # (m, d)
    scores = targets @ unit.T                                          # (m, V)
    rows = np.arange(len(ids))[:, None]
    scores[rows, ids[:, :3]] = -np.inf
    return float(np.mean(scores.argmax(axis=1) == ids[:, 3]))


def cosine_histogram(emb: Embeddings, bins: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Histogram of the cosine similarity of every pair of distinct words.

    Returns
    -------
    counts : (bins,) int64, edges : (bins + 1,) float64 on [-1, 1]
    """
    unit = emb.normalized.astype(np.float64)
    cosines = unit @ unit.T                                            # (V, V)
    upper = cosines[np.triu_indices(len(unit), k=1)]
    return np.histogram(np.clip(upper, -1, 1), bins=bins, range=(-1.0, 1.0))


def _map_words(relations=MAP_RELATIONS) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Words on the map, the arrows, and each word's relation group."""
    planted = planted_relations()
    arrows = [pair for name in relations for pair in planted[name]]
    words, groups = [], []
    for a, b in arrows:
        for w in (a, b):
            if w not in words:
                words.append(w)
                groups.append("people" if w in {p for pair in planted["gender"] for p in pair}
                              else "places")
    return words, arrows, groups


def _measure(emb: Embeddings, relations=MAP_RELATIONS) -> dict:
    words, arrows, groups = _map_words(relations)
    points = pca_2d(np.stack([emb[w] for w in words]))
    points /= max(np.abs(points).max(), 1e-12)                         # fit into [-1, 1]
    counts, edges = cosine_histogram(emb)
    return dict(words=words, arrows=arrows, groups=groups, points=points,
                accuracy=planted_accuracy(emb), counts=counts, edges=edges)


def relation_map_figure(emb: Embeddings, *, title: str | None = None, relations=MAP_RELATIONS):
    """Plotly figure: the 2-D map with relation arrows (left) and the cosine histogram (right).

    Arrows are drawn as traces (not annotations) so that :func:`lessons.book.plots.slider`
    can switch them; every figure has the same three traces.
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from lessons.book.plots import PALETTE

    m = _measure(emb, relations)
    pos = dict(zip(m["words"], m["points"]))
    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.1,
                        subplot_titles=("the people, PCA to 2-D; arrows: relations",
                                        "cosines of all word pairs"))
    xs, ys, sizes = [], [], []
    for a, b in m["arrows"]:
        xs += [pos[a][0], pos[b][0], None]
        ys += [pos[a][1], pos[b][1], None]
        sizes += [0, 9, 0]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name="planted relation",
                             line=dict(color="#999", width=1.2),
                             marker=dict(symbol="arrow", angleref="previous", size=sizes,
                                         color="#999"),
                             hoverinfo="skip"), row=1, col=1)
    colours = [PALETTE[0] if g == "people" else PALETTE[1] for g in m["groups"]]
    fig.add_trace(go.Scatter(x=m["points"][:, 0], y=m["points"][:, 1], mode="markers+text",
                             text=m["words"], textposition="top center", name="words",
                             marker=dict(size=8, color=colours,
                                         symbol=[0 if g == "people" else 1 for g in m["groups"]]),
                             hovertemplate="%{text}<extra></extra>"), row=1, col=1)
    centres = (m["edges"][:-1] + m["edges"][1:]) / 2
    fig.add_trace(go.Bar(x=centres, y=m["counts"], name="word pairs", marker_color=PALETTE[2],
                         width=m["edges"][1] - m["edges"][0],
                         hovertemplate="cos ≈ %{x:.2f}: %{y} pairs<extra></extra>"), row=1, col=2)
    fig.update_xaxes(title="principal axis 1", range=[-1.25, 1.25], row=1, col=1)
    fig.update_yaxes(title="principal axis 2", range=[-1.25, 1.25], row=1, col=1)
    fig.update_xaxes(title="cosine similarity", range=[-1, 1], row=1, col=2)
    fig.update_yaxes(title="word pairs", row=1, col=2)
    accuracy = f"planted analogies right: {m['accuracy']:.0%}"
    fig.update_layout(title=dict(text=f"{title}: {accuracy}" if title else accuracy),
                      showlegend=False, height=470)
    return fig


def sweep_figure(parameter: str, values=None, *, seed: int = 0):
    """A plotly slider over ``values`` of one parameter, the others at :data:`DEFAULTS`.

    Every position was trained in advance (this is what the static page shows).
    """
    from lessons.book.plots import slider

    if parameter not in DEFAULTS:
        raise ValueError(f"parameter must be one of {sorted(DEFAULTS)}, got {parameter!r}")
    values = SWEEPS[parameter] if values is None else list(values)
    figures = [relation_map_figure(retrain(seed=seed, **{parameter: v}),
                                   title=f"{_LABELS[parameter]} = {v:g}") for v in values]
    default = DEFAULTS[parameter]
    active = values.index(default) if default in values else 0
    return slider(figures, [f"{v:g}" for v in values], prefix=f"{_LABELS[parameter]} = ",
                  active=active, height=500)


def _draw(emb: Embeddings, elapsed: float | None = None) -> None:
    """The live panel's picture (matplotlib): map with arrows, histogram, accuracy."""
    import matplotlib.pyplot as plt

    from lessons.book.plots import PALETTE

    m = _measure(emb)
    pos = dict(zip(m["words"], m["points"]))
    fig, (ax_map, ax_hist) = plt.subplots(1, 2, figsize=(11, 4.6),
                                          gridspec_kw=dict(width_ratios=[1.3, 1]))
    for a, b in m["arrows"]:
        ax_map.annotate("", xy=pos[b], xytext=pos[a],
                        arrowprops=dict(arrowstyle="->", color="#999", lw=1))
    for (x, y), w, g in zip(m["points"], m["words"], m["groups"]):
        ax_map.plot(x, y, "o" if g == "people" else "s",
                    color=PALETTE[0] if g == "people" else PALETTE[1])
        ax_map.annotate(w, (x, y), textcoords="offset points", xytext=(0, 5), ha="center",
                        fontsize=8)
    ax_map.set(xlim=(-1.25, 1.25), ylim=(-1.25, 1.25), aspect="equal",
               xlabel="principal axis 1", ylabel="principal axis 2",
               title="2-D PCA map, planted relations as arrows")
    ax_hist.bar((m["edges"][:-1] + m["edges"][1:]) / 2, m["counts"],
                width=m["edges"][1] - m["edges"][0], color=PALETTE[2])
    ax_hist.set(xlim=(-1, 1), xlabel="cosine similarity", ylabel="word pairs",
                title="cosine similarity of all word pairs")
    timing = f"   (retrained and redrawn in {elapsed:.2f} s)" if elapsed is not None else ""
    fig.suptitle(f"planted analogies right: {m['accuracy']:.0%}{timing}")
    fig.tight_layout()


def explorer(*, seed: int = 0):
    """Live panel: move any parameter, the toy language is retrained and redrawn."""
    import ipywidgets as widgets

    from lessons.book.widgets import panel

    def update(dim, window, negative, noise_exponent, log10_subsample, learning_rate, epochs):
        start = time.perf_counter()
        subsample = 0.0 if log10_subsample <= -6 else 10.0 ** log10_subsample
        emb = retrain(seed=seed, dim=dim, window=window, negative=negative,
                      noise_exponent=noise_exponent, subsample=subsample,
                      learning_rate=learning_rate, epochs=epochs)
        _draw(emb, elapsed=time.perf_counter() - start)

    d = DEFAULTS
    controls = {
        "dim": widgets.IntSlider(value=d["dim"], min=2, max=100, description="dimension d"),
        "window": widgets.IntSlider(value=d["window"], min=1, max=10, description="window"),
        "negative": widgets.IntSlider(value=d["negative"], min=1, max=25, description="negatives k"),
        "noise_exponent": widgets.FloatSlider(value=d["noise_exponent"], min=0, max=1.5, step=0.05,
                                              description="noise exp. α"),
        "log10_subsample": widgets.FloatSlider(value=np.log10(d["subsample"]), min=-6, max=-1,
                                               step=0.25, description="log₁₀ t",
                                               readout_format=".2f"),
        "learning_rate": widgets.FloatLogSlider(value=d["learning_rate"], base=10, min=-3.5, max=-0.3,
                                                step=0.05, description="learning rate",
                                                readout_format=".4f"),
        "epochs": widgets.IntSlider(value=d["epochs"], min=1, max=60, description="epochs"),
    }
    return panel(update, controls, title="word2vec on the planted toy language "
                 "(log₁₀ t = -6 switches subsampling off)")


# --- The training-loop chapter: snapshots over the epochs ------------------------------------

def train_with_snapshots(corpus, *, keep=None, **train_kwargs):
    """Train with :func:`lessons.models.word2vec.train` and keep copies of the vectors.

    Parameters
    ----------
    corpus : as for ``train``
    keep : iterable of int or None
        Epochs after which to keep the vectors (None: every epoch).  Epoch 0 is the
        initialisation (word2vec.c's uniform ``[-0.5, 0.5) / d``), rebuilt from the seed.
    **train_kwargs
        Passed to ``train`` (``on_epoch_end`` is taken).

    Returns
    -------
    emb : Embeddings, the trained vectors
    snapshots : dict epoch -> Embeddings
    """
    from lessons.data.corpus import Vocabulary
    from lessons.models.word2vec import initial_vectors, train

    if "on_epoch_end" in train_kwargs:
        raise ValueError("on_epoch_end is used by train_with_snapshots; do not pass it")
    keep = None if keep is None else set(int(k) for k in keep)
    vocabulary = train_kwargs.pop("vocabulary", None)
    if vocabulary is None:
        vocabulary = Vocabulary.from_corpus(corpus, min_count=train_kwargs.get("min_count", 5),
                                            max_size=train_kwargs.get("max_vocab"))
    snapshots = {}
    if keep is None or 0 in keep:
        start, _ = initial_vectors(len(vocabulary), train_kwargs.get("dim", 100),
                                   train_kwargs.get("seed", 0))
        snapshots[0] = Embeddings(vocabulary.words, start)

    def record(epoch, emb):
        if keep is None or epoch in keep:
            snapshots[epoch] = emb

    emb = train(corpus, vocabulary=vocabulary, on_epoch_end=record, **train_kwargs)
    return emb, snapshots


def similarity_traces(snapshots: dict, pairs) -> dict[str, list[float]]:
    """``{"sim(a, b)": [cosine after each snapshot epoch, in epoch order]}``."""
    epochs = sorted(snapshots)
    return {f"sim({a}, {b})": [snapshots[e].similarity(a, b) for e in epochs] for a, b in pairs}


def epoch_maps_figure(snapshots: dict, words, *, groups=None, epochs=None, title: str = ""):
    """A plotly slider over epochs: the 2-D PCA map of ``words`` after each epoch.

    Each frame is projected on its own principal axes (sign convention of
    :func:`pca_2d`) and scaled to fit ``[-1, 1]``, so the frames show the shape of the
    cloud, not its growing size.
    """
    from lessons.book.plots import slider, word_map

    epochs = sorted(snapshots) if epochs is None else list(epochs)
    words = list(words)
    figures = []
    for e in epochs:
        points = pca_2d(np.stack([snapshots[e][w] for w in words]))
        points /= max(np.abs(points).max(), 1e-12)
        fig = word_map(points, words, groups=groups, axis_range=1.3,
                       title=f"{title}after epoch {e}" if e else f"{title}before training")
        fig.update_xaxes(title="principal axis 1")
        fig.update_yaxes(title="principal axis 2")
        figures.append(fig)
    return slider(figures, [str(e) for e in epochs], prefix="epoch ", height=560)


def similarity_explorer(corpus, pairs, *, seed: int = 0, **fixed):
    """Live panel for the training-loop chapter: similarities of ``pairs`` over the epochs.

    Sliders: dimension, learning rate, epochs and seed; ``fixed`` holds the other
    ``train`` arguments (e.g. ``window=2, negative=3, subsample=0, min_count=1``).
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from lessons.book.plots import PALETTE
    from lessons.book.widgets import panel

    def update(dim, learning_rate, epochs, seed):
        _, snaps = train_with_snapshots(corpus, dim=dim, learning_rate=learning_rate,
                                        epochs=epochs, seed=seed, **fixed)
        traces = similarity_traces(snaps, pairs)
        fig, ax = plt.subplots(figsize=(7.5, 3.6))
        for k, (name, values) in enumerate(traces.items()):
            ax.plot(sorted(snaps), values, label=name, color=PALETTE[k % len(PALETTE)],
                    linestyle=["-", "--", ":"][k % 3])
        ax.set(xlabel="epoch", ylabel="cosine similarity", ylim=(-1, 1),
               title=f"d = {dim}, learning rate {learning_rate:g}, seed {seed}")
        ax.axhline(0, color="#ccc", lw=0.8)
        ax.legend(loc="lower right")
        fig.tight_layout()
        print("  ".join(f"{name} = {values[-1]:.3f}" for name, values in traces.items()))

    controls = {
        "dim": widgets.IntSlider(value=fixed.pop("dim", 10), min=2, max=50, description="dimension d"),
        "learning_rate": widgets.FloatLogSlider(value=fixed.pop("learning_rate", 0.05), base=10,
                                                min=-3, max=-0.5, step=0.1,
                                                description="learning rate", readout_format=".4f"),
        "epochs": widgets.IntSlider(value=fixed.pop("epochs", 200), min=1, max=500,
                                    description="epochs"),
        "seed": widgets.IntSlider(value=seed, min=0, max=20, description="seed"),
    }
    return panel(update, controls, title="The mini training loop: similarities over the epochs")


# --- The real-text chapter: nearest neighbours, static and live --------------------------------

def neighbours_figure(emb: Embeddings, queries, *, topn: int = 8, restrict_vocab: int | None = None):
    """A plotly slider over query words: bar chart of each one's ``topn`` nearest neighbours."""
    import plotly.graph_objects as go

    from lessons.book.plots import PALETTE, slider

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


def query_panel(emb: Embeddings, *, word: str = "france", a: str = "man", b: str = "king",
                c: str = "woman", topn: int = 8, restrict_vocab: int | None = 30000):
    """Live panel: type a word to see its neighbours, and three words for an analogy."""
    import ipywidgets as widgets

    from lessons.book.widgets import panel

    def update(word, a, b, c):
        for name, query in (("neighbours of", lambda: emb.most_similar(word, topn=topn,
                                                                        restrict_vocab=restrict_vocab)),
                            (f"{a} : {b} :: {c} :", lambda: emb.analogy(a, b, c, topn=5,
                                                                        restrict_vocab=restrict_vocab))):
            try:
                result = query()
            except KeyError as err:  # unknown word: say so instead of failing
                print(f"{name}: {err}")
                continue
            print(f"{name} {word if name == 'neighbours of' else ''}".rstrip() + ":")
            print("   " + ", ".join(f"{w} ({s:.2f})" for w, s in result))

    controls = {key: widgets.Text(value=value, description=key, continuous_update=False)
                for key, value in (("word", word), ("a", a), ("b", b), ("c", c))}
    return panel(update, controls, title="Ask the vectors: nearest neighbours and a : b :: c : ?")
