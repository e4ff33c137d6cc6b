"""The summary chapter: the numbers it quotes from earlier chapters, and its self-check.

Chapter: *Summary*.

The summary recomputes each number it quotes with the functions and settings of the
chapter that measured it; ``tests/book/test_chapter_summary.py`` checks that every
value it glues as ``CHAPTER.KEY`` equals what ``book/CHAPTER.ipynb`` glues as ``KEY``.
"""
from __future__ import annotations

import numpy as np

__all__ = ["TRAINING_LOOP_SETTINGS", "article_loop_run", "expected_inner_fraction"]

#: The settings with which *The training loop* trains on the article's seven sentences.
TRAINING_LOOP_SETTINGS = dict(dim=10, window=2, negative=3, subsample=0.0, epochs=200,
                              learning_rate=0.05, seed=42)


def article_loop_run() -> dict[str, np.ndarray]:
    """The training loop chapter's run on the article's corpus, traced after every epoch.

    Returns
    -------
    dict of arrays of shape (201,), one value after each epoch 0..200: ``cat_dog`` and
    ``cat_king`` (cosine similarities) and ``mean_cosine`` (the mean pairwise cosine of
    all fourteen words).
    """
    from lessons.data.corpus import Vocabulary, article_corpus
    from lessons.geometry.high_dimensions import mean_pairwise_cosine
    from lessons.models.word2vec.snapshots import similarity_traces, train_with_snapshots

    sentences = article_corpus("training")
    vocab = Vocabulary.from_corpus(sentences)
    snapshots = train_with_snapshots(sentences, vocabulary=vocab, min_count=1,
                                     **TRAINING_LOOP_SETTINGS)[1]
    traces = similarity_traces(snapshots, [("cat", "dog"), ("cat", "king")])
    return {"cat_dog": np.array(traces["sim(cat, dog)"]),
            "cat_king": np.array(traces["sim(cat, king)"]),
            "mean_cosine": np.array([mean_pairwise_cosine(snapshots[e].vectors)
                                     for e in sorted(snapshots)])}


def expected_inner_fraction() -> float:
    """Answer to the self-check: the share of a 300-d ball's volume within radius 0.9."""
    return 0.9 ** 300
