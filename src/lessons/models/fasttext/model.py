"""Trained subword vectors: the vector of any word, seen in training or not.

A vocabulary word's vector is the mean of its own row and its n-gram rows (fastText's
``getWordVector``); a word never seen has no row of its own, so its vector is the
mean of its n-gram rows alone, and is all zeros when it has no n-gram.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from lessons import checks
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.linalg import cosine
from lessons.vectors.neighbors import UnknownWordError

from .ngrams import char_ngrams, check_lengths, ngram_buckets, subword_table

__all__ = ["subword_vector", "compose", "SubwordModel"]


def subword_vector(word: str, ngram_vectors: np.ndarray, *, min_n: int = 3,
                   max_n: int = 6) -> np.ndarray:
    """The n-gram-only vector of ``word``: the mean of its n-gram rows.

    Parameters
    ----------
    word : str
    ngram_vectors : (buckets, d) array, the n-gram table

    Returns
    -------
    (d,) float32; zeros when the word has no n-gram, or the table no row (``buckets=0``,
    fastText's ``-maxn 0``), as fastText.  The table is not scanned for nan (it may hold
    millions of rows): a nan or inf in the rows the word uses is refused.
    """
    ngram_vectors = checks.matrix("ngram_vectors", ngram_vectors, dtype=None, finite=False,
                                  what="a (buckets, d) matrix")
    if not char_ngrams(word, min_n, max_n) or ngram_vectors.shape[0] == 0:
        return np.zeros(ngram_vectors.shape[1], dtype=np.float32)
    rows = ngram_buckets(word, min_n, max_n, ngram_vectors.shape[0])
    vector = ngram_vectors[rows].astype(np.float32).mean(axis=0)  # (d,)
    if not np.isfinite(vector).all():
        raise ValueError(f"ngram_vectors holds nan or inf in a row that {word!r} uses "
                         f"(rows {sorted(set(rows))[:8]}): its vector would not be finite")
    return vector


@njit(cache=True)
def compose(input_vectors, starts, rows):
    """``out[i] = mean(input_vectors[rows[starts[i]:starts[i+1]]])``: every word's vector.

    Summed in list order in float32 and scaled by ``1 / n``, as the training kernel
    computes a centre word's mean.

    Parameters
    ----------
    input_vectors : (V + buckets, d) float32
    starts : (V + 1,) int64; rows : (R,) int32

    Returns
    -------
    (V, d) float32
    """
    n_words = starts.shape[0] - 1
    d = input_vectors.shape[1]
    out = np.zeros((n_words, d), dtype=np.float32)
    for i in range(n_words):
        for p in range(starts[i], starts[i + 1]):
            r = rows[p]
            for k in range(d):
                out[i, k] += input_vectors[r, k]
        if starts[i + 1] > starts[i]:
            scale = np.float32(1.0 / (starts[i + 1] - starts[i]))
            for k in range(d):
                out[i, k] *= scale
    return out


class SubwordModel:
    """fastText's trained vectors: word rows, n-gram rows, and the vector of any word.

    Parameters
    ----------
    words : sequence of str, length V, the vocabulary in row order
    input_vectors : (V + buckets, d) float32, the word rows then the n-gram rows
    context_vectors : (V, d) float32 or None, the output vectors
    min_n, max_n : int, n-gram lengths (``max_n=0``: no n-grams, a word-only model)
    counts : (V,) int or None; history : TrainingHistory or None

    Attributes
    ----------
    embeddings : Embeddings
        The composed vector of every vocabulary word (mean of its own and n-gram rows):
        the vectors that neighbour queries search.
    buckets : int, rows of the n-gram table (0 for a word-only model)
    """

    def __init__(self, words, input_vectors, *, context_vectors=None, min_n: int = 3,
                 max_n: int = 6, counts=None, history=None):
        check_lengths(min_n, max_n)
        words = list(words)
        input_vectors = np.ascontiguousarray(checks.matrix(
            "input_vectors", input_vectors, dtype=np.float32, finite=False, min_rows=len(words),
            what=f"a (V + buckets, d) matrix with V = {len(words)}"))
        self.input_vectors = input_vectors
        self.min_n, self.max_n = int(min_n), int(max_n)
        self.buckets = input_vectors.shape[0] - len(words)
        if self.max_n > 0 and self.buckets == 0:
            raise ValueError("input_vectors has no n-gram rows; pass max_n=0 for a word-only model")
        starts, rows = self._table(words)
        self.embeddings = Embeddings(words, compose(input_vectors, starts, rows),
                                     context_vectors=context_vectors, counts=counts,
                                     history=history)

    def _table(self, words):
        if self.max_n == 0:  # every word is its own row
            n = len(words)
            return np.arange(n + 1, dtype=np.int64), np.arange(n, dtype=np.int32)
        return subword_table(words, self.min_n, self.max_n, self.buckets)

    @property
    def words(self) -> list:
        return self.embeddings.words

    @property
    def history(self):
        """The training history (a ``TrainingHistory``), or None."""
        return self.embeddings.history

    @property
    def counts(self):
        """(V,) corpus count of every vocabulary word, or None."""
        return self.embeddings.counts

    @property
    def word_vectors(self) -> np.ndarray:
        """(V, d) the words' own rows (not the composed vectors: see ``embeddings``)."""
        return self.input_vectors[:len(self.words)]

    @property
    def ngram_vectors(self) -> np.ndarray:
        """(buckets, d) the n-gram table."""
        return self.input_vectors[len(self.words):]

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word) -> bool:
        return word in self.embeddings

    def __repr__(self) -> str:
        grams = (f"n-grams {self.min_n}..{self.max_n}, buckets={self.buckets:,}" if self.max_n
                 else "no n-grams")
        return f"SubwordModel(V={len(self):,}, d={self.input_vectors.shape[1]}, {grams})"

    def ngram_vector(self, word: str) -> np.ndarray:
        """(d,) float32: the mean of ``word``'s n-gram rows only, whether it is known or not."""
        return subword_vector(word, self.ngram_vectors, min_n=self.min_n, max_n=self.max_n)

    def has_vector(self, word: str) -> bool:
        """A known word, or an unseen one with at least one n-gram."""
        return word in self.embeddings or (self.max_n > 0
                                           and bool(char_ngrams(word, self.min_n, self.max_n)))

    def vector(self, word: str) -> np.ndarray:
        """(d,) float32: the composed vector of a known word, else its n-gram-only vector.

        Raises
        ------
        UnknownWordError
            For an unseen word when the model has no n-grams (``max_n=0``): a word-only
            model has no vector for it.
        """
        if word in self.embeddings:
            return self.embeddings[word]
        if not self.has_vector(word):
            raise UnknownWordError(word)  # a word-only model, or a word with no n-gram
        return self.ngram_vector(word)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words, either of which may be unseen (0 for a zero vector)."""
        return cosine(self.vector(a), self.vector(b))

    def most_similar(self, word: str, topn: int = 10, restrict_vocab=None):
        """Nearest vocabulary words to any word (seen or composed), by cosine; ``word`` excluded."""
        exclude = [word] if word in self.embeddings else []
        return self.embeddings.nearest(self.vector(word), topn=topn, exclude=exclude,
                                       restrict_vocab=restrict_vocab)
