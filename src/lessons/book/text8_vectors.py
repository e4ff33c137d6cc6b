"""The book's shared trained vectors: skip-gram on text8's first 2,000,000 words.

Chapters: *Why vectors?*, *The geometry of high dimensions* and *Johnson–Lindenstrauss*
(every chapter that measures real trained vectors rather than random ones).

:func:`text8_vectors` trains them once with the fixed :data:`TEXT8_SETTINGS`
(``workers=1`` and a fixed seed, so the result is the same bit for bit every time)
and caches them, so each chapter gets the same vectors in well under a second.
"""
from __future__ import annotations

import hashlib

import numpy as np

from lessons import checks
from lessons.data.datasets import cache_dir, text8
from lessons.models.word2vec import train
from lessons.vectors.embeddings import Embeddings

__all__ = ["TEXT8_SETTINGS", "text8_vectors"]

#: The fixed settings of :func:`text8_vectors` (changing them changes the cache key).
TEXT8_SETTINGS = dict(max_words=2_000_000, model="skipgram", dim=100, window=5, negative=5,
                      min_count=10, epochs=2, workers=1, seed=0)


def text8_vectors(*, cache: bool = True, progress: bool = False) -> Embeddings:
    """Skip-gram vectors trained on text8's first 2,000,000 words with :data:`TEXT8_SETTINGS`.

    Trained once (about 15 s on one core) with ``workers=1`` and a fixed seed, so
    the result is the same bit for bit whether it comes from the cache or not; then
    cached as a word2vec binary file (plus the word counts) in
    :func:`lessons.data.datasets.cache_dir`, under a name derived from the settings.

    Returns
    -------
    lessons.vectors.embeddings.Embeddings
        Rows in descending frequency order, with ``counts``.
    """
    key = hashlib.sha1(repr(sorted(TEXT8_SETTINGS.items())).encode()).hexdigest()[:10]
    folder = cache_dir() / "vectors"
    path = folder / f"text8-2M-{key}.bin"
    counts_path = folder / f"text8-2M-{key}.counts.npy"
    if cache and path.is_file() and counts_path.is_file():
        emb = Embeddings.load_word2vec_format(path, binary=True)
        emb.counts = np.load(counts_path)
        return emb
    settings = dict(TEXT8_SETTINGS)
    words = text8(max_words=settings.pop("max_words"))
    emb = train(words, progress=progress, **settings)
    if cache:
        folder.mkdir(parents=True, exist_ok=True)
        # each file written atomically (checks.atomic_file): a half-written one is never read
        with checks.atomic_file("the vectors cache", counts_path) as out:
            np.save(out, emb.counts)
        emb.save_word2vec_format(path, binary=True)
    return emb
