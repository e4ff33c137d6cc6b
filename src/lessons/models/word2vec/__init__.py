"""The real trainer: word2vec (skip-gram and CBOW with negative sampling) in numba.

Chapters: *The training loop*, *Skip-gram*, *CBOW*, *Negative sampling*, and every
chapter (and live widget) that trains vectors.

The algorithm is word2vec.c's (Mikolov et al. 2013), step by step:

1. **Vocabulary.**  Words seen fewer than ``min_count`` times are dropped (and at most
   ``max_vocab`` of the most frequent are kept); the corpus becomes ``int32`` ids.
   Sentences longer than 10,000 tokens (text8 is one 17-million-token sentence) are
   cut into pieces of at most 10,000 tokens, as word2vec.c and gensim do.
2. **Subsampling** of frequent words.  A token of word ``w`` with corpus count
   ``c_w`` is kept with probability ``keep(w) = (sqrt(c_w / (t N)) + 1) * t N / c_w``
   (capped at 1), where ``t = subsample`` and ``N`` is the number of in-vocabulary
   tokens.  This is word2vec.c's formula; the paper writes the *discard* probability
   ``1 - sqrt(t / f_w)`` with ``f_w = c_w / N``.  The two agree for very frequent
   words (``keep ~ sqrt(t / f_w)``), but word2vec.c's keeps more of the mid-frequency
   words (it keeps every word with ``f_w <= 2.618 t`` instead of ``f_w <= t``).
   Subsampling happens per sentence, before the windows are drawn, so a context
   window spans kept tokens only.
3. **Dynamic window.**  For every kept centre token the effective window ``b`` is
   drawn uniformly in ``1..window``; the contexts are the kept tokens at distance
   ``<= b``.  Nearer words are thus seen more often.
4. **Negative sampling.**  Every positive (word, context) example is paired with
   ``negative`` noise words drawn from the unigram distribution raised to
   ``noise_exponent`` (0.75), sampled in O(1) with Walker's alias method (word2vec.c
   uses a 10^8-entry table; the alias table gives the same distribution in two
   ``V``-sized arrays).  A noise word equal to the true target word is *skipped*
   (not redrawn), exactly as word2vec.c does, so that example simply has one negative
   fewer.
5. **Updates.**  With ``v`` the input vector of the centre word (skip-gram) or the
   mean of the context words' input vectors (CBOW, word2vec.c's ``cbow_mean=1``),
   and ``u_t`` the output ("context") vector of target ``t`` with label ``y_t``
   (1 for the true word, 0 for noise words):
   ``g_t = lr * (y_t - sigmoid(u_t . v))``, ``u_t += g_t v`` and the input vector(s)
   get ``sum_t g_t u_t`` (CBOW adds this same sum to every context word's vector,
   as word2vec.c does).  ``sigmoid`` is read from a 1000-entry table on
   ``[-6, 6]`` (word2vec.c's ``EXP_TABLE``; outside it, 0 or 1).  The loss
   ``-log sigmoid(u_o . v) - sum_k log sigmoid(-u_k . v)`` is accumulated in
   float64 with the same table (outside ``[-6, 6]`` by its linear asymptote), so
   it is the loss of the very model the gradient sees (gensim accumulates it in
   float32, which saturates on big corpora).
6. **Skip-gram orientation.**  The centre word's input vector predicts each
   context word (the textbook orientation; word2vec.c swaps the roles, which is
   the same set of pairs).
7. **Learning rate.**  It decays linearly from ``learning_rate`` to
   ``min_learning_rate`` over all ``epochs * N`` planned tokens; it is set at the
   start of every sentence from the number of tokens before it.
8. **Initialisation.**  Input vectors uniform in ``[-0.5, 0.5) / dim``, output
   vectors zero (word2vec.c).

Parallelism and determinism
---------------------------
The tokens are cut into chunks of about 10,000 words.  Every chunk draws its random
numbers (subsampling, windows, noise words) from its own word2vec.c linear
congruential generator, seeded from ``(seed, epoch, chunk)``, and its learning rate
depends only on its position in the corpus.  ``workers`` Python threads take chunks
in turn and call a numba ``nogil`` kernel that updates the shared weight matrices
without locks ("Hogwild", as word2vec.c and gensim do).  With ``workers=1`` the
result depends only on ``seed``: two runs are bit-identical, on any x86-64 CPU,
because the kernels use no fast-math reassociation (the dot product is eight partial
sums combined in a fixed order, written as explicit 8-lane float32 vector multiplies
and adds without fused multiply-add, which round every lane identically with SSE, AVX2
or AVX-512) and no transcendental function.  For speed the noise words of an example
are drawn before its updates (the same draws in the same order) so that their rows
can be prefetched; a prefetch is a hint and changes nothing computed.  With more
workers the updates interleave in timing order, so vectors differ run to run
(equally good).

References
----------
* T. Mikolov, K. Chen, G. Corrado, J. Dean, "Efficient Estimation of Word
  Representations in Vector Space", 2013.
* T. Mikolov, I. Sutskever, K. Chen, G. Corrado, J. Dean, "Distributed
  Representations of Words and Phrases and their Compositionality", NeurIPS 2013.
* word2vec.c (https://code.google.com/archive/p/word2vec/) and gensim's
  ``word2vec_inner.pyx``.
* B. Recht, C. Re, S. Wright, F. Niu, "Hogwild!", NeurIPS 2011.
* A. J. Walker, "An efficient method for generating discrete random variables with
  general distributions", ACM TOMS 1977 (alias method).
"""
from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
from llvmlite import ir as llvm_ir
from numba import njit, types
from numba.core import cgutils
from numba.core.errors import TypingError
from numba.extending import intrinsic, overload

from lessons.data.corpus import Vocabulary, iter_sentences
from lessons.vectors.embeddings import Embeddings

__all__ = [
    "train",
    "TrainingHistory",
    "MAX_SENTENCE_LENGTH",
    "SIGMOID_TABLE",
    "LOG_SIGMOID_TABLE",
    "MAX_EXP",
    "LCG",
    "chunk_seed",
    "keep_thresholds",
    "alias_table",
    "initial_vectors",
    "prepare_corpus",
]

# ---------------------------------------------------------------------------
# Constants and small shared pieces (the plain-numpy reference uses the same ones)
# ---------------------------------------------------------------------------

MAX_SENTENCE_LENGTH = 10_000  # word2vec.c's MAX_SENTENCE_LENGTH, gensim's MAX_WORDS_IN_BATCH
CHUNK_WORDS = 10_000  # tokens per unit of work handed to a thread
MAX_EXP = 6.0  # sigmoid table covers [-MAX_EXP, MAX_EXP]
TABLE_SIZE = 1000  # entries in the sigmoid table (word2vec.c's EXP_TABLE_SIZE)
LCG_MULTIPLIER = 25214903917  # word2vec.c: next_random = next_random * 25214903917 + 11
LCG_INCREMENT = 11
MASK64 = (1 << 64) - 1


def _sigmoid_tables() -> tuple[np.ndarray, np.ndarray]:
    # Value at the centre of each of the TABLE_SIZE bins of [-6, 6].  Built with
    # Python's math (not numpy's SIMD exp) and rounded to float32, so the table is
    # the same on every CPU.
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
        self.state = int(state) & MASK64

    def next(self) -> int:
        """Advance and return a uniform integer in ``[0, 2**32)``."""
        self.state = (self.state * LCG_MULTIPLIER + LCG_INCREMENT) & MASK64
        return self.state >> 32


def chunk_seed(seed: int, epoch: int, chunk: int) -> int:
    """Starting state of the generator of ``chunk`` in ``epoch`` (splitmix64 mixing)."""
    z = (int(seed) * 0x9E3779B97F4A7C15 + epoch * 0xD1B54A32D192ED03 + chunk * 0x8CB92BA72F3D8DD7
         + 0x632BE59BD9B4E019) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def keep_thresholds(counts: np.ndarray, subsample: float) -> np.ndarray:
    """Subsampling: keep a token of word ``w`` when ``rng.next() < threshold[w]``.

    ``threshold = round(keep(w) * 2**32)`` with word2vec.c's
    ``keep(w) = (sqrt(c_w / (t N)) + 1) * t N / c_w`` capped at 1, ``t = subsample``
    and ``N = counts.sum()``.  ``subsample=0`` keeps everything.

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


def initial_vectors(vocab_size: int, dim: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """word2vec.c's initialisation: inputs uniform in ``[-0.5, 0.5) / dim``, outputs zero.

    Returns ``(vectors, context_vectors)``, both ``(V, dim) float32``.
    """
    rng = np.random.default_rng(seed)
    vectors = (rng.random((vocab_size, dim), dtype=np.float32) - np.float32(0.5)) / np.float32(dim)
    return vectors, np.zeros((vocab_size, dim), dtype=np.float32)


# ---------------------------------------------------------------------------
# Numba kernels
# ---------------------------------------------------------------------------
# Every kernel is bounds-safe by construction: train() checks that every token id is
# in [0, V) and every table has V entries; the window loop clips to the sentence;
# table indices are clamped; a NaN dot product falls into the "below -6" branch.

_U32 = np.uint64(32)
_MULT = np.uint64(LCG_MULTIPLIER)
_INC = np.uint64(LCG_INCREMENT)


LANES = 8  # partial sums of a dot product (float32 lanes of one 256-bit vector)


def _lane_sums(x, i, y, j, blocks):
    """``sum_b x[i, 8b + l] * y[j, 8b + l]`` for each lane ``l`` (``b < blocks``), combined in a fixed order.

    This plain-Python version is the definition; jitted code runs :func:`_lane_sums_simd`,
    the same float32 operations in the same order, written as 8-wide vector instructions.
    """
    s = [np.float32(0.0)] * LANES
    for b in range(blocks):
        for lane in range(LANES):
            s[lane] += x[i, LANES * b + lane] * y[j, LANES * b + lane]
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))


@intrinsic
def _lane_sums_simd(typingctx, x, i, y, j, blocks):
    """LLVM IR for :func:`_lane_sums`: one ``<8 x float>`` accumulator, ``fmul`` then ``fadd``.

    Why by hand: LLVM computes the eight independent partial sums with scalar
    instructions (numba turns LLVM's SLP vectoriser off, and the loop vectoriser may
    not reorder a float sum), which made the dot product the slowest part of
    training.  The vector ops carry no fast-math flags, so every lane is rounded
    exactly like the scalar code (no fused multiply-add), whether the CPU runs them as
    one AVX instruction or two SSE ones.  Callers guarantee ``i``, ``j`` are valid rows
    and ``8 * blocks`` is at most the row length of both C-contiguous arrays.
    """
    signature = types.float32(x, i, y, j, blocks)

    def codegen(context, builder, sig, args):
        float32 = llvm_ir.FloatType()
        vector = llvm_ir.VectorType(float32, LANES)
        zero = llvm_ir.Constant(llvm_ir.IntType(64), 0)

        def row_pointer(array_type, array_value, row_value, row_type):
            array = context.make_array(array_type)(context, builder, array_value)
            row = context.cast(builder, row_value, row_type, types.intp)
            return cgutils.get_item_pointer2(
                context, builder, array.data, cgutils.unpack_tuple(builder, array.shape),
                cgutils.unpack_tuple(builder, array.strides), array_type.layout, [row, zero])

        x_row = row_pointer(sig.args[0], args[0], args[1], sig.args[1])
        y_row = row_pointer(sig.args[2], args[2], args[3], sig.args[3])
        n_blocks = context.cast(builder, args[4], sig.args[4], types.intp)
        accumulator = cgutils.alloca_once_value(builder, llvm_ir.Constant(vector, [0.0] * LANES))
        with cgutils.for_range(builder, n_blocks) as loop:
            offset = builder.mul(loop.index, llvm_ir.Constant(llvm_ir.IntType(64), LANES))
            xs = builder.load(builder.bitcast(builder.gep(x_row, [offset]), vector.as_pointer()),
                              align=4)
            ys = builder.load(builder.bitcast(builder.gep(y_row, [offset]), vector.as_pointer()),
                              align=4)
            builder.store(builder.fadd(builder.load(accumulator), builder.fmul(xs, ys)),
                          accumulator)
        total = builder.load(accumulator)
        s = [builder.extract_element(total, llvm_ir.Constant(llvm_ir.IntType(32), lane))
             for lane in range(LANES)]
        return builder.fadd(builder.fadd(builder.fadd(s[0], s[1]), builder.fadd(s[2], s[3])),
                            builder.fadd(builder.fadd(s[4], s[5]), builder.fadd(s[6], s[7])))

    return signature, codegen


@overload(_lane_sums, inline="always")
def _lane_sums_jit(x, i, y, j, blocks):
    if not (isinstance(x, types.Array) and isinstance(y, types.Array) and x.ndim == y.ndim == 2
            and x.layout == y.layout == "C" and x.dtype == y.dtype == types.float32):
        raise TypingError("_lane_sums needs 2-d C-contiguous float32 arrays")
    return lambda x, i, y, j, blocks: _lane_sums_simd(x, i, y, j, blocks)


def _prefetch_row(x, i):
    """Ask the CPU to start loading row ``x[i]`` into cache (a hint: no effect on results).

    Plain Python does nothing; jitted code runs :func:`_prefetch_row_hint`.
    """


@intrinsic
def _prefetch_row_hint(typingctx, x, i):
    """``llvm.prefetch`` (for writing) of every 64-byte cache line of row ``x[i]``.

    A hint only: it reads and writes nothing, so results are unchanged; it lets the
    memory loads of the next few (random) rows overlap instead of waiting one by one.
    """
    signature = types.void(x, i)

    def codegen(context, builder, sig, args):
        array = context.make_array(sig.args[0])(context, builder, args[0])
        row = context.cast(builder, args[1], sig.args[1], types.intp)
        int32 = llvm_ir.IntType(32)
        int64 = llvm_ir.IntType(64)
        start = cgutils.get_item_pointer2(
            context, builder, array.data, cgutils.unpack_tuple(builder, array.shape),
            cgutils.unpack_tuple(builder, array.strides), sig.args[0].layout,
            [row, llvm_ir.Constant(int64, 0)])
        row_bytes = builder.mul(cgutils.unpack_tuple(builder, array.shape)[1],
                                llvm_ir.Constant(int64, context.get_abi_sizeof(
                                    context.get_data_type(sig.args[0].dtype))))
        lines = builder.udiv(builder.add(row_bytes, llvm_ir.Constant(int64, 63)),
                             llvm_ir.Constant(int64, 64))
        prefetch = cgutils.get_or_insert_function(
            builder.module, llvm_ir.FunctionType(llvm_ir.VoidType(),
                                                 [llvm_ir.PointerType(), int32, int32, int32]),
            "llvm.prefetch.p0")
        with cgutils.for_range(builder, lines) as loop:
            address = builder.gep(builder.bitcast(start, llvm_ir.IntType(8).as_pointer()),
                                  [builder.mul(loop.index, llvm_ir.Constant(int64, 64))])
            # rw=1 (we will write the row), locality=3 (keep in all cache levels), data cache
            builder.call(prefetch, [address, llvm_ir.Constant(int32, 1),
                                    llvm_ir.Constant(int32, 3), llvm_ir.Constant(int32, 1)])
        return context.get_dummy_value()

    return signature, codegen


@overload(_prefetch_row, inline="always")
def _prefetch_row_jit(x, i):
    if not (isinstance(x, types.Array) and x.ndim == 2 and x.layout == "C"):
        raise TypingError("_prefetch_row needs a 2-d C-contiguous array")
    return lambda x, i: _prefetch_row_hint(x, i)


@njit(nogil=True, cache=True, inline="always")
def _dot(x, i, y, j, d):
    """Dot product of rows ``x[i]`` and ``y[j]`` (float32), with 8 partial sums in a fixed order.

    Independent partial sums keep the result the same whatever the SIMD width of the
    CPU (no fast-math): lane ``l`` adds up the products of columns ``l, l + 8, ...``,
    the 8 lanes are combined pairwise, then the last ``d % 8`` products are added one
    by one.  Rows are indexed, not sliced: a slice is a view whose shared reference
    count every thread would update atomically, which stops Hogwild from scaling.
    """
    blocks = d // LANES
    s = _lane_sums(x, i, y, j, blocks)
    for k in range(blocks * LANES, d):
        s += x[i, k] * y[j, k]
    return s


@njit(nogil=True, cache=True, inline="always")
def _gradient_and_loss(f, label, alpha, sigmoid_table, log_sigmoid_table):
    """Step size ``g = alpha * (label - sigmoid(f))`` and float64 loss of one example."""
    n = sigmoid_table.shape[0]
    max_exp = np.float32(6.0)
    if f >= max_exp:
        sig = np.float32(1.0)
        loss = 0.0 if label > 0 else np.float64(f)
    elif f > -max_exp:
        i = int((f + max_exp) * np.float32(n / 12.0))
        if i > n - 1:
            i = n - 1
        if i < 0:
            i = 0
        sig = sigmoid_table[i]
        loss = -log_sigmoid_table[i] if label > 0 else -log_sigmoid_table[n - 1 - i]
    else:  # f <= -6, or NaN (then the NaN shows up in the vectors and is reported)
        sig = np.float32(0.0)
        loss = -np.float64(f) if label > 0 else 0.0
    return (label - sig) * alpha, loss


@njit(nogil=True, cache=True, inline="always")
def _noise_word(state, vocab_size, noise_threshold, noise_alias):
    """Draw one noise word with the alias method; returns (word, new_state)."""
    state = state * _MULT + _INC
    column = ((state >> _U32) * vocab_size) >> _U32
    state = state * _MULT + _INC
    if (state >> _U32) < noise_threshold[column]:
        return np.int64(column), state
    return np.int64(noise_alias[column]), state


@njit(nogil=True, cache=True, inline="always")
def _longest_sentence(sentence_starts, first_sentence, last_sentence):
    """Length of the longest sentence in the chunk (sizes the per-chunk buffer)."""
    longest = 0
    for s in range(first_sentence, last_sentence):
        longest = max(longest, sentence_starts[s + 1] - sentence_starts[s])
    return longest


@njit(nogil=True, cache=True, inline="always")
def _sentence_learning_rate(start, chunk_start, words_before, total_words, learning_rate,
                            min_learning_rate):
    """Step 7: the linear decay, set from the number of tokens before the sentence."""
    progress = (words_before + (start - chunk_start)) / total_words
    return np.float32(learning_rate - (learning_rate - min_learning_rate) * min(progress, 1.0))


@njit(nogil=True, cache=True, inline="always")
def _subsample(tokens, start, stop, keep_threshold, kept, state):
    """Step 2: copy the sentence's kept tokens into ``kept``; return their count and the RNG state."""
    n = 0
    for p in range(start, stop):
        w = tokens[p]
        state = state * _MULT + _INC
        if (state >> _U32) < keep_threshold[w]:
            kept[n] = w
            n += 1
    return n, state


@njit(nogil=True, cache=True)
def skipgram_chunk(vectors, context_vectors, tokens, sentence_starts, first_sentence,
                   last_sentence, keep_threshold, noise_threshold, noise_alias,
                   sigmoid_table, log_sigmoid_table, window, negative, rng_state,
                   learning_rate, min_learning_rate, words_before, total_words):
    """Train skip-gram on sentences ``first_sentence..last_sentence-1`` (one chunk).

    Parameters
    ----------
    vectors, context_vectors : (V, d) float32, updated in place
    tokens : (n,) int32, every id in ``[0, V)``
    sentence_starts : (S + 1,) int64, sentence ``s`` is ``tokens[starts[s]:starts[s+1]]``
    keep_threshold : (V,) uint64, see :func:`keep_thresholds`
    noise_threshold, noise_alias : (V,) uint64 and int32, see :func:`alias_table`
    sigmoid_table : (T,) float32; log_sigmoid_table : (T,) float64
    rng_state : uint64, the chunk's generator state
    words_before : int, tokens of all epochs before this chunk (learning-rate schedule)
    total_words : int, epochs * tokens per epoch

    Returns
    -------
    loss : float64, summed over examples
    examples : int64, number of (centre, context) pairs
    kept : int64, tokens that survived subsampling
    """
    d = vectors.shape[1]
    vocab_size = np.uint64(vectors.shape[0])
    state = np.uint64(rng_state)
    loss = 0.0
    examples = 0
    kept_total = 0
    kept = np.empty(_longest_sentence(sentence_starts, first_sentence, last_sentence), dtype=np.int32)
    grad = np.empty(d, dtype=np.float32)  # accumulated gradient of the centre vector
    targets = np.empty(negative + 1, dtype=np.int64)  # true context word, then noise words
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for s in range(first_sentence, last_sentence):
        start = sentence_starts[s]
        stop = sentence_starts[s + 1]
        alpha = _sentence_learning_rate(start, sentence_starts[first_sentence], words_before,
                                        total_words, learning_rate, min_learning_rate)
        # 1. subsample frequent words
        n, state = _subsample(tokens, start, stop, keep_threshold, kept, state)
        kept_total += n
        # 2. every kept word predicts its neighbours within a random window
        for i in range(n):
            state = state * _MULT + _INC
            b = window - np.int64((state >> _U32) % np.uint64(window))  # 1..window
            center = kept[i]
            for j in range(max(0, i - b), min(n, i + b + 1)):
                if j == i:
                    continue
                word = kept[j]
                examples += 1
                for k in range(d):
                    grad[k] = zero
                # 3. the true context word (label 1), then `negative` noise words (label 0).
                # The noise words are drawn first (the same draws in the same order: they
                # do not depend on the vectors), so their rows load while we compute.
                targets[0] = word
                n_targets = 1
                for r in range(negative):
                    noise, state = _noise_word(state, vocab_size, noise_threshold, noise_alias)
                    if noise != word:  # word2vec.c skips a noise word equal to the target
                        targets[n_targets] = noise
                        n_targets += 1
                for t in range(n_targets):
                    _prefetch_row(context_vectors, targets[t])
                for t in range(n_targets):
                    target = targets[t]
                    label = one if t == 0 else zero
                    f = _dot(vectors, center, context_vectors, target, d)
                    g, example_loss = _gradient_and_loss(f, label, alpha, sigmoid_table,
                                                         log_sigmoid_table)
                    loss += example_loss
                    for k in range(d):  # one pass: grad gets the output vector before its update
                        u = context_vectors[target, k]
                        grad[k] += g * u
                        context_vectors[target, k] = u + g * vectors[center, k]
                for k in range(d):
                    vectors[center, k] += grad[k]
    return loss, examples, kept_total


@njit(nogil=True, cache=True)
def cbow_chunk(vectors, context_vectors, tokens, sentence_starts, first_sentence,
               last_sentence, keep_threshold, noise_threshold, noise_alias,
               sigmoid_table, log_sigmoid_table, window, negative, rng_state,
               learning_rate, min_learning_rate, words_before, total_words):
    """Train CBOW on one chunk; same parameters and returns as :func:`skipgram_chunk`.

    ``h`` = mean of the context words' input vectors (``cbow_mean=1``) predicts the
    centre word; the gradient of ``h`` is added to every context word's vector.
    ``examples`` counts centre words with at least one context word.
    """
    d = vectors.shape[1]
    vocab_size = np.uint64(vectors.shape[0])
    state = np.uint64(rng_state)
    loss = 0.0
    examples = 0
    kept_total = 0
    kept = np.empty(_longest_sentence(sentence_starts, first_sentence, last_sentence), dtype=np.int32)
    grad = np.empty(d, dtype=np.float32)  # gradient of h
    targets = np.empty(negative + 1, dtype=np.int64)  # centre word, then noise words
    h = np.empty((1, d), dtype=np.float32)  # mean context vector, as a 1-row matrix
    one = np.float32(1.0)
    zero = np.float32(0.0)
    for s in range(first_sentence, last_sentence):
        start = sentence_starts[s]
        stop = sentence_starts[s + 1]
        alpha = _sentence_learning_rate(start, sentence_starts[first_sentence], words_before,
                                        total_words, learning_rate, min_learning_rate)
        n, state = _subsample(tokens, start, stop, keep_threshold, kept, state)
        kept_total += n
        for i in range(n):
            state = state * _MULT + _INC
            b = window - np.int64((state >> _U32) % np.uint64(window))
            lo = max(0, i - b)
            hi = min(n, i + b + 1)
            count = hi - lo - 1
            if count <= 0:
                continue
            for k in range(d):
                h[0, k] = zero
            for j in range(lo, hi):
                if j != i:
                    c = kept[j]
                    for k in range(d):
                        h[0, k] += vectors[c, k]
            inv = np.float32(count)
            for k in range(d):
                h[0, k] = h[0, k] / inv
                grad[k] = zero
            word = kept[i]
            examples += 1
            targets[0] = word  # noise words drawn first, as in skipgram_chunk
            n_targets = 1
            for r in range(negative):
                noise, state = _noise_word(state, vocab_size, noise_threshold, noise_alias)
                if noise != word:
                    targets[n_targets] = noise
                    n_targets += 1
            for t in range(n_targets):
                _prefetch_row(context_vectors, targets[t])
            for t in range(n_targets):
                target = targets[t]
                label = one if t == 0 else zero
                f = _dot(h, 0, context_vectors, target, d)
                g, example_loss = _gradient_and_loss(f, label, alpha, sigmoid_table,
                                                     log_sigmoid_table)
                loss += example_loss
                for k in range(d):  # one pass: grad gets the output vector before its update
                    u = context_vectors[target, k]
                    grad[k] += g * u
                    context_vectors[target, k] = u + g * h[0, k]
            for j in range(lo, hi):
                if j != i:
                    c = kept[j]
                    for k in range(d):
                        vectors[c, k] += grad[k]
    return loss, examples, kept_total


# ---------------------------------------------------------------------------
# Training history
# ---------------------------------------------------------------------------


@dataclass
class TrainingHistory:
    """What happened in each epoch of :func:`train`.

    Attributes (one entry per epoch)
    --------------------------------
    loss : list of float
        Summed negative-sampling loss of the epoch (float64).
    examples : list of int
        Training examples (skip-gram: centre-context pairs; CBOW: centre words).
    words : list of int
        Corpus tokens read (in-vocabulary, before subsampling).
    words_per_s : list of float
        ``words / elapsed`` for the epoch.
    learning_rate : list of float
        Learning rate at the end of the epoch.
    elapsed_s : list of float
        Wall time of the epoch, seconds.
    """

    loss: list = field(default_factory=list)
    examples: list = field(default_factory=list)
    words: list = field(default_factory=list)
    words_per_s: list = field(default_factory=list)
    learning_rate: list = field(default_factory=list)
    elapsed_s: list = field(default_factory=list)

    @property
    def mean_loss(self) -> np.ndarray:
        """(epochs,) float64: loss per training example."""
        return np.asarray(self.loss) / np.maximum(np.asarray(self.examples), 1)

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def to_dict(self) -> dict:
        """Plain lists, ready for ``json.dumps`` or a DataFrame."""
        return {
            "epoch": list(range(1, self.epochs + 1)),
            "loss": [float(x) for x in self.loss],
            "mean_loss": [float(x) for x in self.mean_loss],
            "examples": [int(x) for x in self.examples],
            "words": [int(x) for x in self.words],
            "words_per_s": [float(x) for x in self.words_per_s],
            "learning_rate": [float(x) for x in self.learning_rate],
            "elapsed_s": [float(x) for x in self.elapsed_s],
        }


# ---------------------------------------------------------------------------
# Input checking and corpus preparation
# ---------------------------------------------------------------------------


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _check_int(name, value, minimum):
    if not _is_int(value) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_rate(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def _available_memory_bytes() -> int:
    """Physical memory currently available (``os.sysconf``), or a large number if unknown."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 1 << 62


def prepare_corpus(corpus, vocabulary: Vocabulary,
                   max_sentence_length: int = MAX_SENTENCE_LENGTH) -> tuple[np.ndarray, np.ndarray]:
    """Encode ``corpus`` as one int32 token array plus sentence boundaries.

    Out-of-vocabulary tokens are dropped; sentences are cut into pieces of at most
    ``max_sentence_length`` tokens; empty sentences are dropped.

    Returns
    -------
    tokens : (n,) int32
    sentence_starts : (S + 1,) int64, sentence ``s`` is ``tokens[starts[s]:starts[s+1]]``
    """
    pieces = []
    lengths = []
    for sentence in iter_sentences(corpus):
        if isinstance(sentence, (str, bytes)) or not hasattr(sentence, "__len__"):
            sentence = list(sentence) if not isinstance(sentence, (str, bytes)) else sentence
        if len(sentence) and not isinstance(sentence[0], str):
            raise ValueError(f"corpus tokens must be str, got {type(sentence[0]).__name__} "
                             f"({sentence[0]!r})")
        ids = vocabulary.encode(sentence)
        for a in range(0, len(ids), max_sentence_length):
            piece = ids[a:a + max_sentence_length]
            pieces.append(piece)
            lengths.append(len(piece))
    if not pieces:
        raise ValueError("corpus has no token in the vocabulary: nothing to train on")
    tokens = np.concatenate(pieces).astype(np.int32, copy=False)
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    return tokens, starts


def _chunks(sentence_starts: np.ndarray, chunk_words: int) -> list[tuple[int, int]]:
    """Group consecutive sentences into chunks of about ``chunk_words`` tokens."""
    chunks = []
    first = 0
    n_sentences = len(sentence_starts) - 1
    for s in range(n_sentences):
        if sentence_starts[s + 1] - sentence_starts[first] >= chunk_words:
            chunks.append((first, s + 1))
            first = s + 1
    if first < n_sentences:
        chunks.append((first, n_sentences))
    return chunks


# ---------------------------------------------------------------------------
# The public trainer
# ---------------------------------------------------------------------------


def train(
    corpus,
    *,
    model: str = "skipgram",
    dim: int = 100,
    window: int = 5,
    negative: int = 5,
    noise_exponent: float = 0.75,
    subsample: float = 1e-3,
    min_count: int = 5,
    max_vocab: int | None = None,
    epochs: int = 5,
    learning_rate: float | None = None,
    min_learning_rate: float | None = None,
    workers: int = 1,
    seed: int = 0,
    progress: bool = False,
    vocabulary: Vocabulary | None = None,
    on_epoch_end: Callable[[int, Embeddings], object] | None = None,
) -> Embeddings:
    """Train word2vec vectors with negative sampling (the algorithm is in the module docstring).

    Parameters
    ----------
    corpus : list of token lists, iterable of token lists, or one token stream
        (a list of str such as text8).  A one-shot iterator is read into memory.
    model : {"skipgram", "cbow"}
    dim : int
        Vector dimension ``d``.
    window : int
        Maximum distance between a word and its contexts (the effective window is
        drawn uniformly in ``1..window`` for every word).
    negative : int >= 1
        Noise words per positive example.
    noise_exponent : float
        Noise distribution ``P(w) ~ count(w) ** noise_exponent``.
    subsample : float >= 0
        Frequent-word subsampling threshold ``t`` (0 disables it).
    min_count, max_vocab : int
        Vocabulary filter (ignored when ``vocabulary`` is given).
    epochs : int
        Passes over the corpus.
    learning_rate : float or None
        Starting learning rate; None means the model's default, 0.025 for skip-gram
        and 0.05 for CBOW (word2vec.c's defaults; gensim uses 0.025 for both).
    min_learning_rate : float or None
        Floor of the linear decay; None means ``learning_rate * 1e-4``.
    workers : int
        Threads (Hogwild).  Only ``workers=1`` is bit-reproducible.
    seed : int
        Seeds the initial vectors and every chunk's random stream.
    progress : bool
        Show a tqdm progress bar.
    vocabulary : lessons.data.corpus.Vocabulary or None
        Reuse this vocabulary (its order, counts and noise distribution).
    on_epoch_end : callable ``(epoch, embeddings) -> None`` or None
        Called after each epoch (1-based) with a snapshot (copied vectors).

    Returns
    -------
    lessons.vectors.embeddings.Embeddings
        ``vectors`` (input) and ``context_vectors`` (output), ``(V, dim) float32``,
        ``counts`` and ``history`` (a :class:`TrainingHistory`).

    Raises
    ------
    ValueError
        For a bad argument (the message names it), an empty corpus, a vocabulary
        too big for memory, non-str tokens, or training that diverged to
        non-finite vectors.
    """
    # --- arguments ----------------------------------------------------------
    if model not in ("skipgram", "cbow"):
        raise ValueError(f"model must be 'skipgram' or 'cbow', got {model!r}")
    dim = _check_int("dim", dim, 1)
    window = _check_int("window", window, 1)
    if window > MAX_SENTENCE_LENGTH:
        raise ValueError(f"window must be at most {MAX_SENTENCE_LENGTH} (the longest sentence), "
                         f"got {window}")
    if not _is_int(negative) or negative < 1:
        raise ValueError(
            f"negative must be an integer >= 1, got {negative!r}: this trainer uses negative "
            "sampling only (no hierarchical softmax), so negative=0 would leave only positive "
            "examples; for the full softmax use lessons.models.softmax.train_softmax")
    negative = int(negative)
    if negative > 10_000:
        raise ValueError(f"negative must be at most 10000, got {negative}")
    if isinstance(noise_exponent, bool) or not isinstance(noise_exponent, (int, float, np.number)) \
            or not math.isfinite(noise_exponent):
        raise ValueError(f"noise_exponent must be a finite number, got {noise_exponent!r}")
    if isinstance(subsample, bool) or not isinstance(subsample, (int, float, np.number)) \
            or not math.isfinite(subsample) or subsample < 0:
        raise ValueError(f"subsample must be a finite number >= 0, got {subsample!r}")
    min_count = _check_int("min_count", min_count, 1)
    if max_vocab is not None:
        max_vocab = _check_int("max_vocab", max_vocab, 1)
    epochs = _check_int("epochs", epochs, 1)
    if learning_rate is None:
        learning_rate = 0.025 if model == "skipgram" else 0.05
    learning_rate = _check_rate("learning_rate", learning_rate)
    if min_learning_rate is None:
        min_learning_rate = learning_rate * 1e-4
    min_learning_rate = _check_rate("min_learning_rate", min_learning_rate)
    if min_learning_rate > learning_rate:
        raise ValueError(f"min_learning_rate ({min_learning_rate}) must not exceed "
                         f"learning_rate ({learning_rate})")
    workers = _check_int("workers", workers, 1)
    if not _is_int(seed) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    if vocabulary is not None and not isinstance(vocabulary, Vocabulary):
        raise ValueError(f"vocabulary must be a lessons.data.corpus.Vocabulary or None, "
                         f"got {type(vocabulary).__name__}")
    if on_epoch_end is not None and not callable(on_epoch_end):
        raise ValueError("on_epoch_end must be callable or None")

    # --- corpus and vocabulary ----------------------------------------------
    if corpus is None:
        raise ValueError("corpus is None")
    if iter(corpus) is corpus:  # a one-shot iterator: we need two passes
        corpus = list(corpus)
    if vocabulary is None:
        try:
            vocabulary = Vocabulary.from_corpus(corpus, min_count=min_count, max_size=max_vocab)
        except TypeError as err:
            raise ValueError(f"corpus must hold sentences of str tokens: {err}") from None
        except ValueError as err:
            raise ValueError(f"corpus: {err}") from None
    bad = next((w for w in vocabulary.words if not isinstance(w, str)), None)
    if bad is not None:
        raise ValueError(f"corpus tokens must be str, got {type(bad).__name__} ({bad!r})")
    vocab_size = len(vocabulary)
    needed = 2 * vocab_size * dim * 4
    available = _available_memory_bytes()
    if needed > 0.8 * available:
        raise ValueError(
            f"vocabulary of {vocab_size:,} words x dim={dim} needs {needed / 2**30:.1f} GiB for "
            f"the two weight matrices but only {available / 2**30:.1f} GiB of memory is "
            "available: lower dim or max_vocab, or raise min_count")
    tokens, sentence_starts = prepare_corpus(corpus, vocabulary)
    counts = np.asarray(vocabulary.counts, dtype=np.int64)
    if tokens.min() < 0 or tokens.max() >= vocab_size:  # the kernels trust this
        raise ValueError("vocabulary encoded a token outside 0..V-1")

    # --- model state -----------------------------------------------------------
    vectors, context_vectors = initial_vectors(vocab_size, dim, seed)
    keep = keep_thresholds(counts, subsample)
    noise_threshold, noise_alias = alias_table(counts, noise_exponent)
    kernel = skipgram_chunk if model == "skipgram" else cbow_chunk
    chunks = _chunks(sentence_starts, CHUNK_WORDS)
    words_per_epoch = int(len(tokens))
    total_words = epochs * words_per_epoch
    history = TrainingHistory()
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=total_words, unit="word", unit_scale=True, desc=model)

    def run_chunk(epoch: int, c: int):
        first, last = chunks[c]
        chunk_start = int(sentence_starts[first])
        return kernel(vectors, context_vectors, tokens, sentence_starts, first, last,
                      keep, noise_threshold, noise_alias, SIGMOID_TABLE, LOG_SIGMOID_TABLE,
                      window, negative, np.uint64(chunk_seed(seed, epoch, c)),
                      learning_rate, min_learning_rate,
                      epoch * words_per_epoch + chunk_start, total_words)

    for epoch in range(epochs):
        results: list = [None] * len(chunks)
        t0 = time.perf_counter()
        if workers == 1:
            for c in range(len(chunks)):
                results[c] = run_chunk(epoch, c)
                if bar is not None:
                    first, last = chunks[c]
                    bar.update(int(sentence_starts[last] - sentence_starts[first]))
        else:
            next_chunk = iter(range(len(chunks)))
            lock = threading.Lock()
            errors = []

            def worker():
                try:
                    while True:
                        with lock:
                            c = next(next_chunk, None)
                        if c is None:
                            return
                        results[c] = run_chunk(epoch, c)
                        if bar is not None:
                            first, last = chunks[c]
                            with lock:
                                bar.update(int(sentence_starts[last] - sentence_starts[first]))
                except BaseException as err:  # pragma: no cover - re-raised below
                    errors.append(err)

            threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if errors:
                raise errors[0]
        elapsed = time.perf_counter() - t0
        loss = math.fsum(r[0] for r in results)  # fixed order, whatever the threads did
        history.loss.append(loss)
        history.examples.append(int(sum(r[1] for r in results)))
        history.words.append(words_per_epoch)
        history.words_per_s.append(words_per_epoch / max(elapsed, 1e-12))
        history.learning_rate.append(
            learning_rate - (learning_rate - min_learning_rate) * (epoch + 1) / epochs)
        history.elapsed_s.append(elapsed)
        if not (math.isfinite(loss) and np.isfinite(vectors).all()
                and np.isfinite(context_vectors).all()):
            if bar is not None:
                bar.close()
            raise ValueError(
                f"training diverged in epoch {epoch + 1}: the vectors became non-finite; "
                f"use a lower learning_rate (got {learning_rate})")
        if on_epoch_end is not None:
            on_epoch_end(epoch + 1, Embeddings(vocabulary.words, vectors.copy(),
                                               context_vectors=context_vectors.copy(),
                                               counts=counts, history=history))
    if bar is not None:
        bar.close()
    return Embeddings(vocabulary.words, vectors, context_vectors=context_vectors,
                      counts=counts, history=history)
