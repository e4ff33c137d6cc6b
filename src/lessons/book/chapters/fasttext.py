"""Figures of the chapter *Subwords: fastText trained for real*.

* :func:`base_rank_figure`: for each affix, the share of held-out word forms whose base
  word is among the nearest neighbours: subword model, spelling alone, word-only model;
* :func:`kinds_figure`: what the nearest neighbours of word forms are (the base, the same
  stem, related in meaning, the same ending only, other), per model;
* :func:`analogy_figure`: Google analogy accuracy by section, per model;
* :func:`heldout_forms`, :func:`train_pair`, :func:`summary`: the chapter's experiment in
  three calls, for ``benchmarks/fasttext_epochs.py`` (which runs it with more epochs than
  the chapter can afford) and the chapter's check that its own run is the stored one;
* :func:`expected_rows`: the answer to the chapter's self-check.

All are plotly figures that work in the static page (hover shows the counts).
"""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import plotly.graph_objects as go

from lessons.book.plots import PALETTE, legend_row, line, style
from lessons.data.corpus import Vocabulary
from lessons.models.fasttext import char_ngrams, train_fasttext
from lessons.models.fasttext.morphology import (KINDS, choose_heldout, cosine_ranks,
                                                neighbour_kinds, remove_words, spelling_ranks,
                                                variant_pairs)
from lessons.vectors.evaluation import google_analogies

__all__ = ["SETTINGS", "heldout_forms", "train_pair", "summary", "top_share_by_affix",
           "base_rank_figure", "kinds_of", "kind_shares", "kinds_figure", "ending_share",
           "analogy_figure", "matches_stored", "epochs_figure", "expected_rows"]


#: The chapter's training settings (both models; the subword one adds n-grams of 3 to 6).
SETTINGS = dict(dim=50, window=5, negative=5, subsample=1e-4, min_count=5, epochs=3,
                learning_rate=0.05, buckets=200_000, workers=1, seed=0)


def heldout_forms(words, *, per_affix: int = 30, seed: int = 0):
    """The chapter's held-out forms: ``(pairs, held, train_words)``.

    ``pairs`` are the ``(form, base, affix)`` pairs of the ``min_count=5`` vocabulary,
    ``held`` up to ``per_affix`` of each affix, ``train_words`` the text without them.
    """
    vocab = Vocabulary.from_corpus(words, min_count=5)
    pairs = variant_pairs(vocab.words, vocab.counts)
    held = choose_heldout(pairs, per_affix=per_affix, seed=seed)
    return pairs, held, remove_words(words, [form for form, _, _ in held])


def train_pair(train_words, **settings):
    """The subword model and the word-only model, trained side by side (one thread each).

    ``settings`` override :data:`SETTINGS`.  Returns ``(subword, word_only)``.
    """
    settings = {**SETTINGS, **settings}
    with ThreadPoolExecutor(max_workers=2) as pool:
        subword = pool.submit(train_fasttext, train_words, min_n=3, max_n=6, **settings)
        word_only = pool.submit(train_fasttext, train_words, max_n=0, **settings)
        return subword.result(), word_only.result()


def summary(subword, word_only, pairs, held) -> dict:
    """The chapter's measurements of one pair of models, as plain numbers (JSON-ready).

    Ranks of the bases of the held-out forms (subword model and spelling alone), their
    share in the top 10 by affix, the kinds of the 10 nearest neighbours (held-out forms;
    seen forms in both models), the share of same-ending neighbours of 500 frequent
    words, and the Google analogy accuracy by section.
    """
    emb = subword.embeddings
    forms, bases = [f for f, _, _ in held], [b for _, b, _ in held]
    sub_ranks = cosine_ranks(emb.vectors, np.array([subword.vector(f) for f in forms]),
                             [emb.index[b] for b in bases])
    spell_ranks = spelling_ranks(emb.words, forms, bases)
    seen = choose_heldout([p for p in pairs if p[0] not in set(forms)], per_affix=30, seed=1)
    frequent = emb.words[100:600]
    out = {"subword_top1": float(np.mean(sub_ranks == 1)),
           "subword_top10": float(np.mean(sub_ranks <= 10)),
           "subword_median_rank": float(np.median(sub_ranks)),
           "spelling_top1": float(np.mean(spell_ranks == 1)),
           "spelling_top10": float(np.mean(spell_ranks <= 10)),
           "top10_by_affix": {a: v[0] for a, v in top_share_by_affix(held, sub_ranks).items()},
           "kinds_heldout_subword": kind_shares(kinds_of(subword, held, word_only)),
           "kinds_seen_subword": kind_shares(kinds_of(subword, seen, word_only)),
           "kinds_seen_word_only": kind_shares(kinds_of(word_only, seen, word_only)),
           "ending_share_subword": ending_share(subword, frequent),
           "ending_share_word_only": ending_share(word_only, frequent)}
    for name, model in [("subword", subword), ("word_only", word_only)]:
        result = google_analogies(model.embeddings)
        out[f"semantic_{name}"] = result.semantic.accuracy
        out[f"syntactic_{name}"] = result.syntactic.accuracy
    return out


def top_share_by_affix(held, ranks, *, topn: int = 10) -> dict:
    """Share of the held-out forms of each affix whose base ranks within ``topn``.

    Parameters
    ----------
    held : list of (variant, base, affix)
    ranks : (len(held),) int ranks of the base (None or 0 for "no vector": never within)

    Returns
    -------
    dict affix -> (share in [0, 1], count within, number of forms), plus ``"all"``.
    """
    ranks = np.array([0 if r is None else int(r) for r in ranks])
    within = (ranks >= 1) & (ranks <= topn)
    out = {}
    for affix in list(dict.fromkeys(a for _, _, a in held)) + ["all"]:
        mask = np.array([affix in ("all", a) for _, _, a in held])
        out[affix] = (float(within[mask].mean()), int(within[mask].sum()), int(mask.sum()))
    return out


def base_rank_figure(held, ranks_by_method: dict, *, topn: int = 10):
    """Grouped bars: per affix, % of held-out forms with their base in the top ``topn``.

    ``ranks_by_method`` maps a label ("subword model", "spelling alone", ...) to the ranks
    of the bases (None where the method has no vector for the word).
    """
    fig = go.Figure()
    for i, (label, ranks) in enumerate(ranks_by_method.items()):
        shares = top_share_by_affix(held, ranks, topn=topn)
        affixes = list(shares)
        fig.add_trace(go.Bar(
            name=label, x=affixes, y=[100 * shares[a][0] for a in affixes],
            marker_color=PALETTE[i % len(PALETTE)],
            customdata=[[shares[a][1], shares[a][2]] for a in affixes],
            hovertemplate=f"{label}<br>%{{x}}: %{{customdata[0]}} of %{{customdata[1]}} forms"
                          "<extra></extra>"))
    style(fig, title=f"Held-out word forms whose base word is among the {topn} nearest neighbours",
          height=430, frame=True)
    fig.update_layout(barmode="group", legend=legend_row(-0.2))
    fig.update_xaxes(title="affix of the held-out form")
    fig.update_yaxes(title=f"% with the base in the top {topn}", range=[0, 105])
    return fig


def kinds_of(model, forms, judge, *, topn: int = 10, related: int = 20) -> list[list[str]]:
    """The kind of each of the ``topn`` nearest neighbours of every form (a ``SubwordModel``).

    ``forms`` holds ``(variant, base, affix)``; "related" means among the ``related``
    nearest neighbours of the base in ``judge`` (a model that never sees spelling).
    """
    return [neighbour_kinds(model.most_similar(variant, topn=topn).words, variant, base,
                            judge.most_similar(base, topn=related).words)
            for variant, base, _ in forms]


def ending_share(model, words, *, topn: int = 10, ending_length: int = 3) -> float:
    """Share of the ``topn`` nearest neighbours of ``words`` that end like the word itself."""
    same = [n[-ending_length:] == w[-ending_length:]
            for w in words for n in model.most_similar(w, topn=topn).words]
    return float(np.mean(same))


def kind_shares(kinds_lists) -> dict:
    """Share of each kind (:data:`~lessons.models.fasttext.morphology.KINDS`) over many lists."""
    counts = Counter(k for kinds in kinds_lists for k in kinds)
    total = sum(counts.values())
    return {k: counts[k] / total if total else 0.0 for k in KINDS}


def kinds_figure(shares_by_label: dict, *, topn: int = 10):
    """Horizontal stacked bars: what the ``topn`` nearest neighbours are, one bar per label."""
    labels = list(shares_by_label)
    fig = go.Figure()
    for i, kind in enumerate(KINDS):
        values = [100 * shares_by_label[label][kind] for label in labels]
        fig.add_trace(go.Bar(
            name=kind, y=labels, x=values, orientation="h", marker_color=PALETTE[i % len(PALETTE)],
            text=[f"{v:.0f}%" if v >= 4 else "" for v in values], textposition="inside",
            hovertemplate=f"{kind}: %{{x:.1f}}%<extra>%{{y}}</extra>"))
    style(fig, title=f"What the {topn} nearest neighbours of a word form are", height=360,
          frame=True)
    fig.update_layout(barmode="stack", legend=legend_row(-0.25), margin=dict(l=250))
    fig.update_xaxes(title="% of neighbours", range=[0, 100])
    return fig


def analogy_figure(results: dict):
    """Grouped bars: Google analogy accuracy (semantic, syntactic, all) for each model.

    ``results`` maps a model's label to its
    :class:`~lessons.vectors.evaluation.AnalogyResult`.
    """
    fig = go.Figure()
    sections = ["semantic", "syntactic", "all"]
    for i, (label, result) in enumerate(results.items()):
        parts = [result.semantic, result.syntactic, result.total]
        fig.add_trace(go.Bar(
            name=label, x=sections, y=[100 * p.accuracy for p in parts],
            marker_color=PALETTE[i % len(PALETTE)],
            text=[f"{100 * p.accuracy:.1f}%" for p in parts], textposition="outside",
            customdata=[[p.n_correct, p.total] for p in parts],
            hovertemplate=f"{label}<br>%{{x}}: %{{customdata[0]}} of %{{customdata[1]}}"
                          "<extra></extra>"))
    style(fig, title="Google analogies answered right (top 1, 30,000 most frequent words)",
          height=400, frame=True)
    fig.update_layout(barmode="group", legend=legend_row(-0.2))
    fig.update_yaxes(title="% right", rangemode="tozero")
    return fig


def matches_stored(live: dict, stored_run: dict) -> bool:
    """Whether every number in ``live`` equals (to 1e-9) the same key of a stored run."""
    return all(abs(value - stored_run[key]) <= 1e-9 for key, value in live.items())


def epochs_figure(runs: dict):
    """Lines against the number of epochs, from the stored runs (``{"3": summary, ...}``)."""
    epochs = sorted(runs, key=int)
    x = [int(e) for e in epochs]

    def series(get):
        return [100 * get(runs[e]) for e in epochs]

    fig = line(x, {
        "held-out forms: base in the top 10 (subword)": series(lambda r: r["subword_top10"]),
        "held-out forms: base in the top 10 (spelling alone)": series(
            lambda r: r["spelling_top10"]),
        "held-out forms: neighbours sharing only the ending": series(
            lambda r: r["kinds_heldout_subword"]["same ending"]),
        "syntactic analogies (subword)": series(lambda r: r["syntactic_subword"]),
        "syntactic analogies (word-only)": series(lambda r: r["syntactic_word_only"]),
        "semantic analogies (subword)": series(lambda r: r["semantic_subword"]),
        "semantic analogies (word-only)": series(lambda r: r["semantic_word_only"]),
    }, title="The chapter's measurements after more epochs (text8, 2 M words)",
        x_title="epochs", y_title="%", height=480)
    fig.update_xaxes(tickvals=x)
    fig.update_layout(legend=legend_row(-0.25))
    return fig


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_rows(word: str, *, known: bool, min_n: int = 3, max_n: int = 6) -> int:
    """How many rows of the input matrix fastText averages for ``word``: its n-grams,
    plus its own row when it is a vocabulary word."""
    return len(char_ngrams(word, min_n, max_n)) + (1 if known else 0)
