"""Constants, lookup tables and random streams shared by the kernels and the reference loop.

Everything here is computed the same way on every CPU (Python's ``math``, exact IEEE
operations, integer arithmetic), so a trained model depends only on ``seed``.
:mod:`lessons.models.reference` imports these very pieces, which is how the readable
numpy loop reproduces the numba trainer.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = [
    "MAX_SENTENCE_LENGTH",
    "CHUNK_WORDS",
    "MAX_EXP",
    "TABLE_SIZE",
    "LCG_MULTIPLIER",
    "LCG_INCREMENT",
    "SIGMOID_TABLE",
    "LOG_SIGMOID_TABLE",
    "LCG",
    "lcg_next",
    "sigmoid_bin",
    "chunk_seed",
    "keep_thresholds",
    "alias_table",
    "ALIAS_BITS",
    "packed_alias_table",
    "initial_vectors",
    "learning_rate_at",
]

# Sentences are cut into pieces of at most this many tokens.  10,000 is gensim's
# MAX_WORDS_IN_BATCH (word2vec.c's own MAX_SENTENCE_LENGTH is 1000).
MAX_SENTENCE_LENGTH = 10_000
CHUNK_WORDS = 10_000  # tokens per unit of work handed to a thread
MAX_EXP = 6.0  # the sigmoid table covers [-MAX_EXP, MAX_EXP]
TABLE_SIZE = 1000  # entries in the sigmoid table (word2vec.c's EXP_TABLE_SIZE)
LCG_MULTIPLIER = 25214903917  # word2vec.c: next_random = next_random * 25214903917 + 11
LCG_INCREMENT = 11
_MASK64 = (1 << 64) - 1


def _sigmoid_tables() -> tuple[np.ndarray, np.ndarray]:
    """Sigmoid and log-sigmoid at the centres of the ``TABLE_SIZE`` bins of ``[-6, 6]``.

    Built with Python's ``math`` (not numpy's SIMD ``exp``) so the tables are the same
    on every CPU; read-only because every thread shares them.
    """
    xs = [-MAX_EXP + (i + 0.5) * (2 * MAX_EXP / TABLE_SIZE) for i in range(TABLE_SIZE)]
    sigmoid = np.array([1.0 / (1.0 + math.exp(-x)) for x in xs], dtype=np.float32)
    log_sigmoid = np.array([-math.log1p(math.exp(-x)) for x in xs], dtype=np.float64)
    sigmoid.flags.writeable = False
    log_sigmoid.flags.writeable = False
    return sigmoid, log_sigmoid


#: (1000,) float32: sigmoid at the bin centres of [-6, 6] (word2vec.c's EXP_TABLE).
#: (1000,) float64: log sigmoid at the same points, for the loss.
SIGMOID_TABLE, LOG_SIGMOID_TABLE = _sigmoid_tables()


class LCG:
    """word2vec.c's random generator: ``state = state * 25214903917 + 11 (mod 2**64)``.

    :meth:`next` returns the top 32 bits of the new state (the low bits of a
    power-of-two LCG are poor: bit 0 just alternates).  The numba kernels step the
    very same generator, so the reference loop draws identical numbers.
    """

    def __init__(self, state: int):
        self.state = int(state) & _MASK64

    def next(self) -> int:
        """Advance and return a uniform integer in ``[0, 2**32)``."""
        self.state = (self.state * LCG_MULTIPLIER + LCG_INCREMENT) & _MASK64
        return self.state >> 32


_MULTIPLIER_U64 = np.uint64(LCG_MULTIPLIER)
_INCREMENT_U64 = np.uint64(LCG_INCREMENT)


@njit(nogil=True, cache=True, inline="always")
def lcg_next(state):
    """One step of :class:`LCG` on a ``uint64`` state (wraps mod 2**64), for the kernels.

    A draw is the top 32 bits of the new state, ``state >> 32``.
    """
    return state * _MULTIPLIER_U64 + _INCREMENT_U64


@njit(nogil=True, cache=True, inline="always")
def sigmoid_bin(score, n):
    """The bin of a float32 ``score`` in ``(-MAX_EXP, MAX_EXP)`` in an ``n``-entry sigmoid table.

    The one rule by which the kernels and the reference loop read :data:`SIGMOID_TABLE`
    and :data:`LOG_SIGMOID_TABLE` (word2vec.c's, in float32); clamped to ``0..n-1``.
    Scores outside the range are the caller's (0 or 1).
    """
    i = int((score + np.float32(MAX_EXP)) * np.float32(n / (2 * MAX_EXP)))
    return min(max(i, 0), n - 1)


def chunk_seed(seed: int, epoch: int, chunk: int) -> int:
    """Starting state of the generator of ``chunk`` in ``epoch`` (splitmix64 mixing).

    Every chunk gets its own stream, so its random numbers do not depend on which
    thread runs it or when.
    """
    z = (int(seed) * 0x9E3779B97F4A7C15 + epoch * 0xD1B54A32D192ED03 + chunk * 0x8CB92BA72F3D8DD7
         + 0x632BE59BD9B4E019) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def keep_thresholds(counts: np.ndarray, subsample: float) -> np.ndarray:
    """Subsampling: keep a token of word ``w`` when ``rng.next() < threshold[w]``.

    ``threshold = floor(keep(w) * 2**32)`` with word2vec.c's
    ``keep(w) = (sqrt(c_w / (t N)) + 1) * t N / c_w`` capped at 1, ``t = subsample``
    and ``N = counts.sum()``.  ``subsample=0`` keeps everything.

    Parameters
    ----------
    counts : (V,) corpus count of every word
    subsample : float, the threshold ``t``

    Returns
    -------
    (V,) uint64, values in ``[0, 2**32]``.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if subsample <= 0:
        return np.full(counts.shape, 1 << 32, dtype=np.uint64)
    tn = subsample * counts.sum()
    keep = (np.sqrt(counts / tn) + 1.0) * tn / counts  # sqrt and / are exact IEEE ops
    keep = np.minimum(keep, 1.0)
    return np.floor(keep * 2.0**32).astype(np.uint64)


def alias_table(counts: np.ndarray, noise_exponent: float) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias table for the noise distribution ``P(w) ~ counts[w] ** noise_exponent``.

    To draw a noise word: pick a column ``i`` uniformly in ``0..V-1``, then keep
    ``i`` if a second uniform 32-bit draw is below ``threshold[i]``, else take
    ``alias[i]``.  Built with Vose's stable algorithm in float64 and rounded to
    integer thresholds, so sampling itself is exact integer arithmetic.

    Returns
    -------
    threshold : (V,) uint64 in ``[0, 2**32]``
    alias : (V,) int32
    """
    counts = np.asarray(counts, dtype=np.float64)
    n = len(counts)
    # math.pow per word (not numpy's SIMD power) so the table is the same on every CPU.
    weights = [math.pow(c, noise_exponent) for c in counts.tolist()]
    total = math.fsum(weights)
    scaled = [w * n / total for w in weights]
    alias = list(range(n))
    small = [i for i, p in enumerate(scaled) if p < 1.0]
    large = [i for i, p in enumerate(scaled) if p >= 1.0]
    while small and large:
        s, g = small.pop(), large.pop()
        alias[s] = g
        scaled[g] = (scaled[g] + scaled[s]) - 1.0
        (small if scaled[g] < 1.0 else large).append(g)
    for i in small + large:  # leftovers are 1 up to rounding
        scaled[i] = 1.0
    threshold = np.floor(np.minimum(np.array(scaled), 1.0) * 2.0**32).astype(np.uint64)
    return threshold, np.array(alias, dtype=np.int32)


ALIAS_BITS = 31  # low bits of a packed alias-table entry: the alias (so V < 2**31)


def packed_alias_table(threshold: np.ndarray, alias: np.ndarray) -> np.ndarray:
    """The alias table as the kernels read it: one uint64 per column.

    ``entry = threshold << 31 | alias``: the threshold (33 bits, up to ``2**32``) above the
    alias (31 bits).  A draw then reads one array element instead of two, which saves a
    cache miss per noise word; the words drawn are the same.

    Parameters
    ----------
    threshold : (V,) uint64 in ``[0, 2**32]``; alias : (V,) int32, from :func:`alias_table`

    Returns
    -------
    (V,) uint64
    """
    threshold = np.asarray(threshold, dtype=np.uint64)
    alias = np.asarray(alias)
    if len(alias) and (alias.min() < 0 or alias.max() >= 1 << ALIAS_BITS
                       or threshold.max() > 1 << 32):
        raise ValueError("packed_alias_table: an alias must be in [0, 2**31) and a threshold "
                         "at most 2**32")
    return (threshold << np.uint64(ALIAS_BITS)) | alias.astype(np.uint64)


def initial_vectors(vocab_size: int, dim: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """word2vec.c's initialisation: inputs uniform in ``[-0.5, 0.5) / dim``, outputs zero.

    Returns
    -------
    vectors, context_vectors : (V, dim) float32 each
    """
    rng = np.random.default_rng(seed)
    vectors = (rng.random((vocab_size, dim), dtype=np.float32) - np.float32(0.5)) / np.float32(dim)
    return vectors, np.zeros((vocab_size, dim), dtype=np.float32)


@njit(nogil=True, cache=True, inline="always")
def learning_rate_at(progress, learning_rate, min_learning_rate):
    """The learning-rate schedule: linear decay from ``learning_rate`` to ``min_learning_rate``.

    The one definition used by the kernels (at the start of every sentence), by the
    training history (at the end of every epoch) and by the reference loop.  Jitted
    so the kernels inline it; plain Python can call it too (same float64 operations).

    Parameters
    ----------
    progress : float
        Fraction of the planned ``epochs * N`` tokens already trained; above 1 counts as 1.
    learning_rate, min_learning_rate : float

    Returns
    -------
    float (float64); the kernels round it to float32.
    """
    return learning_rate - (learning_rate - min_learning_rate) * min(progress, 1.0)
