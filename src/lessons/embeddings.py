"""Word vectors you can query: the :class:`Embeddings` object.

Chapter: *Why vectors* (and every chapter that shows similarities).

(Skeleton: queries, evaluation and file formats are filled in by their own modules.)
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["Embeddings"]


class Embeddings:
    """Words and their vectors.

    Parameters
    ----------
    words : sequence of str, length V
    vectors : (V, d) array
        The input ("word") vectors, stored as float32.
    context_vectors : (V, d) array or None
        The output ("context") vectors, when the model has them.
    counts : (V,) int or None
        Corpus frequency of each word.
    history : object or None
        The training history, when the vectors come from a trainer.
    """

    def __init__(self, words: Sequence[str], vectors, *, context_vectors=None, counts=None,
                 history=None):
        words = list(words)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(
                f"vectors must have shape (len(words), d) = ({len(words)}, d), got {vectors.shape}"
            )
        self.words = words
        self.index = {w: i for i, w in enumerate(words)}
        if len(self.index) != len(words):
            raise ValueError("words must be unique")
        self.vectors = vectors
        self.context_vectors = (None if context_vectors is None
                                else np.ascontiguousarray(context_vectors, dtype=np.float32))
        self.counts = None if counts is None else np.asarray(counts, dtype=np.int64)
        self.history = history

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self.index[word]]

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]
