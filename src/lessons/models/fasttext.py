"""fastText's subword vectors: a word is the sum of its character n-grams.

Chapter: *What came after word2vec*.

fastText (Bojanowski et al. 2017) keeps word2vec's skip-gram with negative
sampling but changes what a word's input vector is.  The word is wrapped in
boundary marks, ``"<where>"``, cut into its character n-grams of length
``min_n..max_n`` (``"<wh", "whe", "her", "ere", "re>", "<whe", ...``), and every
n-gram is hashed into one of ``bucket`` rows of an n-gram table.  The input
vector of a known word is the mean of its own row and its n-gram rows; a word
never seen in training still has n-grams, so it still gets a vector: the mean of
its n-gram rows.  That is how *unfriendliness* gets a sensible vector from
*un*, *friend*, *li*, *ness* pieces seen elsewhere.

This module has the pieces that make fastText different, written out and tested
against gensim: :func:`char_ngrams`, the FNV-1a hash :func:`ngram_hash`,
:func:`ngram_buckets` and :func:`subword_vector` (composition of a vector for any
word).  fastText trains the n-gram table inside skip-gram; to keep this small
and fast, :func:`fit_subwords` instead fits the table, by least squares, to word
vectors already trained with :mod:`lessons.models.word2vec` (the "bag of subwords" of
Zhao et al. 2018).  The composition of an unseen word is the same either way.

References
----------
* P. Bojanowski, E. Grave, A. Joulin, T. Mikolov, "Enriching Word Vectors with
  Subword Information", TACL 2017.
* fastText's ``Dictionary::computeSubwords`` and ``Dictionary::hash``; gensim's
  ``fasttext_inner.pyx`` (``compute_ngrams``, ``ft_hash_bytes``).
* J. Zhao, S. Mudgal, Y. Liang, "Generalizing Word Embeddings using Bag of
  Subwords", EMNLP 2018 (fitting n-gram vectors to pretrained word vectors).
* G. Fowler, L. C. Noll, K.-P. Vo, FNV hash (FNV-1a, 32 bit).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons.vectors.embeddings import Embeddings

__all__ = ["char_ngrams", "ngram_hash", "ngram_buckets", "subword_vector", "SubwordModel",
           "ngram_matrix", "fit_subwords"]

_FNV_OFFSET = 2166136261
_FNV_PRIME = 16777619


def _check_lengths(min_n: int, max_n: int) -> None:
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise ValueError(f"min_n must be an integer >= 1, got {min_n!r}")
    if isinstance(max_n, bool) or not isinstance(max_n, (int, np.integer)) or max_n < min_n:
        raise ValueError(f"max_n must be an integer >= min_n ({min_n}), got {max_n!r}")


def char_ngrams(word: str, min_n: int = 3, max_n: int = 6) -> list[str]:
    """The character n-grams of ``"<" + word + ">"``, shortest first.

    >>> char_ngrams("cat", 3, 4)
    ['<ca', 'cat', 'at>', '<cat', 'cat>']
    """
    if not isinstance(word, str):
        raise ValueError(f"word must be a str, got {type(word).__name__}")
    _check_lengths(min_n, max_n)
    marked = f"<{word}>"
    return [marked[i:i + n] for n in range(min_n, max_n + 1) for i in range(len(marked) - n + 1)]


def ngram_hash(ngram: str) -> int:
    """fastText's 32-bit FNV-1a hash of the UTF-8 bytes of ``ngram``.

    fastText reads the bytes as signed ``char`` and sign-extends them before the
    xor, so bytes >= 128 (non-ASCII letters) enter as ``0xFFFFFF80 | byte``; gensim
    copies that quirk and so do we, so that hashes (and buckets) agree.
    """
    h = _FNV_OFFSET
    for byte in ngram.encode("utf-8"):
        if byte >= 128:
            byte |= 0xFFFFFF00  # the signed-char sign extension
        h = ((h ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return h


def ngram_buckets(word: str, min_n: int = 3, max_n: int = 6, bucket: int = 2_000_000) -> list[int]:
    """Rows of the n-gram table used by ``word``: ``ngram_hash(g) % bucket`` for each n-gram."""
    if isinstance(bucket, bool) or not isinstance(bucket, (int, np.integer)) or bucket < 1:
        raise ValueError(f"bucket must be an integer >= 1, got {bucket!r}")
    return [ngram_hash(g) % bucket for g in char_ngrams(word, min_n, max_n)]


def subword_vector(word: str, ngram_vectors: np.ndarray, *, min_n: int = 3, max_n: int = 6) -> np.ndarray:
    """The vector of any word, seen or not: the mean of its n-gram rows.

    Parameters
    ----------
    word : str
    ngram_vectors : (bucket, d) array, the trained n-gram table

    Returns
    -------
    (d,) float32; zeros when the word is too short to have an n-gram (as fastText).
    """
    ngram_vectors = np.asarray(ngram_vectors)
    if ngram_vectors.ndim != 2:
        raise ValueError(f"ngram_vectors must be a (bucket, d) matrix, got shape {ngram_vectors.shape}")
    rows = ngram_buckets(word, min_n, max_n, ngram_vectors.shape[0])
    if not rows:
        return np.zeros(ngram_vectors.shape[1], dtype=np.float32)
    return ngram_vectors[rows].astype(np.float32).mean(axis=0)  # (d,)


@dataclass
class SubwordModel:
    """Trained fastText vectors: a word table plus an n-gram table.

    Attributes
    ----------
    embeddings : Embeddings
        Vectors of the known words.
    ngram_vectors : (bucket, d) float32
    min_n, max_n : int
    """

    embeddings: Embeddings
    ngram_vectors: np.ndarray
    min_n: int
    max_n: int

    def __contains__(self, word: str) -> bool:
        return word in self.embeddings

    def vector(self, word: str) -> np.ndarray:
        """(d,) float32: the trained vector of a known word, else the composed one."""
        if word in self.embeddings:
            return self.embeddings[word]
        return subword_vector(word, self.ngram_vectors, min_n=self.min_n, max_n=self.max_n)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words, either of which may be unseen."""
        u, v = self.vector(a), self.vector(b)
        norm = float(np.linalg.norm(u) * np.linalg.norm(v))
        return float(u @ v) / norm if norm > 0 else 0.0

    def most_similar(self, word: str, topn: int = 5):
        """Nearest known words to any word (seen or composed), by cosine."""
        exclude = [word] if word in self.embeddings else []
        return self.embeddings.nearest(self.vector(word), topn=topn, exclude=exclude)


def ngram_matrix(words, *, min_n: int = 3, max_n: int = 6, bucket: int = 100_000):
    """Sparse ``(len(words), bucket)`` matrix ``A`` with ``A[w] @ table`` = mean of w's n-gram rows.

    Row ``w`` holds ``1 / n_w`` in the columns of its ``n_w`` n-gram buckets (a bucket
    hit twice counts twice, as in fastText's sum).
    """
    from scipy import sparse

    rows, cols, vals = [], [], []
    for r, word in enumerate(words):
        buckets = ngram_buckets(word, min_n, max_n, bucket)
        rows += [r] * len(buckets)
        cols += buckets
        vals += [1.0 / max(len(buckets), 1)] * len(buckets)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(words), bucket), dtype=np.float64)


def fit_subwords(embeddings: Embeddings, *, min_n: int = 3, max_n: int = 6, bucket: int = 100_000,
                 ridge: float = 0.1, iterations: int = 50, max_words: int | None = None) -> SubwordModel:
    """Fit an n-gram table to trained word vectors, so any word can be composed.

    Solves ``min_N ||A N - E||^2 + ridge ||N||^2`` by conjugate gradients on the normal
    equations, where ``E`` holds the (unit-length) word vectors and ``A`` is
    :func:`ngram_matrix`: every known word's vector should be the mean of its n-gram
    rows, exactly the composition :func:`subword_vector` uses for unseen words.

    fastText learns the table *during* skip-gram training instead; fitting it afterwards
    to word2vec vectors is the "bag of subwords" of Zhao, Mudgal and Liang (EMNLP 2018),
    and needs no second training run.

    Parameters
    ----------
    embeddings : Embeddings
        Trained word vectors.
    min_n, max_n, bucket : int
        n-gram lengths and table rows.
    ridge : float >= 0
        Shrinks rarely seen n-grams towards zero.
    iterations : int
        Conjugate-gradient steps (each is two sparse products).
    max_words : int or None
        Fit on the first ``max_words`` words only (the most frequent, if the rows are
        sorted by frequency).

    Returns
    -------
    SubwordModel
        ``embeddings`` as given (restricted to ``max_words``), ``ngram_vectors`` the
        fitted ``(bucket, d) float32`` table.
    """
    _check_lengths(min_n, max_n)
    if ridge < 0:
        raise ValueError(f"ridge must be >= 0, got {ridge!r}")
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or iterations < 1:
        raise ValueError(f"iterations must be an integer >= 1, got {iterations!r}")
    n = len(embeddings) if max_words is None else min(int(max_words), len(embeddings))
    words = embeddings.words[:n]
    kept = Embeddings(words, embeddings.vectors[:n])
    A = ngram_matrix(words, min_n=min_n, max_n=max_n, bucket=bucket)  # (n, B) sparse
    E = kept.normalized.astype(np.float64)                            # (n, d) unit rows
    At = A.T.tocsr()

    def normal(N):  # (A^T A + ridge I) N, never forming A^T A
        return At @ (A @ N) + ridge * N

    # Conjugate gradients, one independent run per column of N (vectorised over columns).
    N = np.zeros((bucket, E.shape[1]))                                 # (B, d)
    residual = At @ E                                                  # (B, d) = b - normal(0)
    direction = residual.copy()
    rs = np.einsum("bd,bd->d", residual, residual)                     # (d,)
    for _ in range(iterations):
        q = normal(direction)
        step = rs / np.maximum(np.einsum("bd,bd->d", direction, q), 1e-300)
        N += step * direction
        residual -= step * q
        rs_new = np.einsum("bd,bd->d", residual, residual)
        direction = residual + (rs_new / np.maximum(rs, 1e-300)) * direction
        rs = rs_new
    return SubwordModel(kept, N.astype(np.float32), min_n, max_n)
