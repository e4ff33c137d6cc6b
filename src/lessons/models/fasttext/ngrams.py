"""Character n-grams, fastText's hash, and the table of every word's rows.

A word is wrapped in boundary marks, ``"<where>"``, and cut into its character
n-grams of ``min_n..max_n`` characters.  Each n-gram is hashed with fastText's 32-bit
FNV-1a hash and sent to row ``V + hash % buckets`` of the input matrix, after the
``V`` rows of the words themselves.  :func:`subword_table` lists, for every
vocabulary word, its own row first and then its n-gram rows: the rows whose mean is
the word's input vector.

The hash, exactly as fastText's ``Dictionary::hash``::

    uint32_t h = 2166136261;
    for (size_t i = 0; i < str.size(); i++) {
      h = h ^ uint32_t(int8_t(str[i]));   // the byte, as a *signed* char
      h = h * 16777619;
    }

That is FNV-1a over the UTF-8 bytes, with one quirk: a byte is first read as a signed
``int8`` and sign-extended, so a byte ``b >= 128`` (any non-ASCII letter) enters the
xor as ``0xFFFFFF00 | b`` rather than ``b``.  We do the same (so do gensim's
``ft_hash_bytes``), which keeps our buckets equal to fastText's; for ASCII text such
as text8 the quirk never applies and the hash is plain FNV-1a.
"""
from __future__ import annotations

import numpy as np

from lessons import checks

__all__ = ["FNV_OFFSET", "FNV_PRIME", "check_lengths", "char_ngrams", "ngram_hash", "ngram_hashes",
           "ngram_buckets", "subword_table"]

FNV_OFFSET = 2166136261  # FNV-1a 32-bit offset basis
FNV_PRIME = 16777619  # FNV 32-bit prime


def check_lengths(min_n: int, max_n: int) -> None:
    """``min_n >= 1`` and ``max_n >= min_n``, or ``max_n == 0``: no n-grams (``-maxn 0``)."""
    min_n = checks.integer("min_n", min_n, 1)
    if checks.integer("max_n", max_n) != 0 and max_n < min_n:
        raise ValueError(f"max_n must be an integer >= min_n ({min_n}), or 0 for no n-grams, "
                         f"got {max_n!r}")


def char_ngrams(word: str, min_n: int = 3, max_n: int = 6) -> list[str]:
    """The character n-grams of ``"<" + word + ">"``, shortest first.

    The same set as fastText's ``computeSubwords`` (which lists them by starting
    position instead; the order changes nothing but float rounding): lengths count
    characters, not bytes, and with ``min_n=1`` the lone marks ``"<"`` and ``">"`` are
    left out, as in fastText.  ``max_n=0`` gives no n-grams.  The whole marked word
    (``"<where>"``, 7 characters) is an n-gram only if it is at most ``max_n`` long;
    fastText represents a vocabulary word by its own row besides
    (:func:`subword_table`).

    >>> char_ngrams("cat", 3, 4)
    ['<ca', 'cat', 'at>', '<cat', 'cat>']
    """
    if not isinstance(word, str):
        raise ValueError(f"word must be a str, got {type(word).__name__}")
    check_lengths(min_n, max_n)
    marked = f"<{word}>"
    grams = [marked[i:i + n] for n in range(min_n, max_n + 1) for i in range(len(marked) - n + 1)]
    if min_n == 1:
        grams = [g for g in grams if g not in ("<", ">")] if word else []
    return grams


def ngram_hash(ngram: str) -> int:
    """fastText's 32-bit FNV-1a hash of the UTF-8 bytes of ``ngram`` (module docstring).

    >>> ngram_hash("<wh")
    1048167652
    """
    h = FNV_OFFSET
    for byte in ngram.encode("utf-8"):
        if byte >= 128:
            byte |= 0xFFFFFF00  # int8 sign extension: fastText reads the byte as signed char
        h = ((h ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return h


def ngram_hashes(ngrams) -> np.ndarray:
    """:func:`ngram_hash` of many n-grams at once: ``(n,) uint32``.

    The n-grams are grouped by byte length and hashed a byte column at a time with
    uint32 arithmetic (which wraps mod ``2**32`` like C's ``uint32_t``).
    """
    encoded = [g.encode("utf-8") for g in checks.words("ngrams", ngrams)]
    out = np.empty(len(encoded), dtype=np.uint32)
    lengths = np.array([len(b) for b in encoded], dtype=np.int64)
    for length in np.unique(lengths):
        where = np.flatnonzero(lengths == length)  # (m,) the n-grams of this many bytes
        data = np.frombuffer(b"".join(encoded[i] for i in where), dtype=np.uint8)
        data = data.reshape(len(where), int(length)).astype(np.uint32)  # (m, length)
        data[data >= 128] |= np.uint32(0xFFFFFF00)  # the signed-char quirk
        h = np.full(len(where), FNV_OFFSET, dtype=np.uint32)
        for column in range(int(length)):
            h ^= data[:, column]
            h *= np.uint32(FNV_PRIME)
        out[where] = h
    return out


def ngram_buckets(word: str, min_n: int = 3, max_n: int = 6, buckets: int = 2_000_000) -> list[int]:
    """Rows of the n-gram table used by ``word``: ``ngram_hash(g) % buckets`` for each n-gram."""
    buckets = checks.integer("buckets", buckets, 1)
    return [ngram_hash(g) % buckets for g in char_ngrams(word, min_n, max_n)]


def subword_table(words, min_n: int = 3, max_n: int = 6,
                  buckets: int = 2_000_000) -> tuple[np.ndarray, np.ndarray]:
    """Every word's rows of the input matrix, as a ragged array (fastText's ``initNgrams``).

    Word ``i`` of ``words`` uses row ``i`` (its own vector: the paper's "special
    sequence" ``<where>``) and row ``V + ngram_hash(g) % buckets`` for each of its
    n-grams ``g``, in :func:`char_ngrams` order.  A bucket hit twice (two n-grams
    that collide) is listed twice, as in fastText.

    Parameters
    ----------
    words : sequence of str, length V
    min_n, max_n, buckets : int

    Returns
    -------
    starts : (V + 1,) int64, word ``i`` uses ``rows[starts[i]:starts[i + 1]]``
    rows : (starts[-1],) int32, row indices into the ``(V + buckets, d)`` input matrix
    """
    check_lengths(min_n, max_n)
    buckets = checks.integer("buckets", buckets, 1)
    words = checks.words("words", words)
    vocab_size = len(words)
    if vocab_size + buckets >= 2**31:
        raise ValueError(f"len(words) + buckets = {vocab_size + buckets:,} rows do not fit int32 "
                         "indices; use fewer buckets")
    grams = [char_ngrams(w, min_n, max_n) for w in words]
    per_word = np.array([1 + len(g) for g in grams], dtype=np.int64)  # own row + n-grams
    starts = np.zeros(vocab_size + 1, dtype=np.int64)
    np.cumsum(per_word, out=starts[1:])
    hashed = ngram_hashes([g for gs in grams for g in gs]).astype(np.int64)  # (all n-grams,)
    rows = np.empty(int(starts[-1]), dtype=np.int32)
    own = starts[:-1]  # position of each word's own row
    rows[own] = np.arange(vocab_size, dtype=np.int32)
    is_gram = np.ones(len(rows), dtype=bool)
    is_gram[own] = False
    rows[is_gram] = (vocab_size + hashed % buckets).astype(np.int32)
    return starts, rows
