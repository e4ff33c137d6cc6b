"""Training with snapshots: copies of the vectors after chosen epochs.

Chapter: *The training loop* (how similarities and the 2-D map evolve epoch by epoch).
Built on :func:`lessons.models.word2vec.train`'s ``on_epoch_end`` hook; the vectors
are the trainer's own, bit for bit.
"""
from __future__ import annotations

from lessons.data.corpus import Vocabulary, check_corpus
from lessons.vectors.embeddings import Embeddings

from .settings import validate

__all__ = ["train_with_snapshots", "similarity_traces"]


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
    from lessons.models.word2vec import initial_vectors, train  # the package imports this module

    if "on_epoch_end" in train_kwargs:
        raise ValueError("on_epoch_end is used by train_with_snapshots; do not pass it")
    keep = None if keep is None else set(int(k) for k in keep)
    settings = validate(**train_kwargs)  # the defaults are train's: Settings declares them
    corpus = check_corpus(corpus)  # checked once, for the vocabulary and for train
    vocabulary = train_kwargs.pop("vocabulary", None)
    if vocabulary is None:
        vocabulary = Vocabulary.from_corpus(corpus, min_count=settings.min_count,
                                            max_size=settings.max_vocab)
    snapshots = {}
    if keep is None or 0 in keep:
        start, _ = initial_vectors(len(vocabulary), settings.dim, settings.seed)
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
