"""The steps the chunk kernels are made of: word2vec's two and fastText's subword kernel.

A kernel (:mod:`lessons.models.word2vec.kernels`, :mod:`lessons.models.fasttext.kernel`)
walks its sentences the same way (:func:`start_sentence`: learning rate and subsampling;
:func:`random_window`) and trains every example with the same negative-sampling step
(:func:`learn_example`, or :func:`draw_targets` then :func:`train_targets`); only which
input vector predicts which word differs.  Every step is ``inline="always"``: numba
pastes it into the kernel, so the hot loops pay no call overhead and allocate nothing
(every buffer is made once per chunk, :func:`chunk_buffers`).

Numba's on-disk cache of a kernel is invalidated only when the kernel's own file
changes: after editing this file, ``simd.py`` or ``tables.py``, delete the
``__pycache__`` folders of ``word2vec`` and ``fasttext`` (or touch the kernel files).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from numba import types
from numba.extending import overload

from .simd import dot, prefetch_row
from .tables import ALIAS_BITS, MAX_EXP, learning_rate_at, lcg_next, sigmoid_bin

__all__ = ["SCORED_TOGETHER", "gradient_and_loss", "noise_word", "chunk_buffers",
           "start_sentence", "stopped", "random_window", "draw_targets", "train_targets",
           "prefetch_targets", "learn_example", "hot_row", "is_hot",
           "hot_rows_in", "merge_hot_rows"]

_U32 = np.uint64(32)  # a draw of the generator is the top 32 bits of its state
_ALIAS_BITS = np.uint64(ALIAS_BITS)
_ALIAS_MASK = np.uint64((1 << ALIAS_BITS) - 1)
# Targets of one example whose scores are computed before any is updated (negative <= 7).
SCORED_TOGETHER = 8

def hot_row(hot, target):
    """The row of a weight matrix that holds word ``target``'s vector, for this thread.

    With several workers each thread trains its own copy of the input and output rows of
    the ``n_hot`` most frequent words (ids ``0..n_hot-1``), kept in extra rows of each
    matrix from row ``offset`` on: ``hot = (offset, n_hot, merge)``, and a hot
    word's row is ``offset + target``.  With ``hot=None`` (one worker) it is ``target``,
    decided when numba compiles: the kernel is then the very code it was without hot rows.
    """
    if hot is None or target >= hot[1]:
        return target
    return hot[0] + target


@overload(hot_row, inline="always")
def _hot_row_jit(hot, target):
    if hot is None or isinstance(hot, (types.NoneType, types.Omitted)):
        return lambda hot, target: target

    def row(hot, target):
        if target < hot[1]:
            return hot[0] + target
        return target
    return row


def is_hot(hot, target):
    """Whether word ``target``'s output row is one of the thread's own (:func:`hot_row`)."""
    return hot is not None and target < hot[1]


@overload(is_hot, inline="always")
def _is_hot_jit(hot, target):
    if hot is None or isinstance(hot, (types.NoneType, types.Omitted)):
        return lambda hot, target: False
    return lambda hot, target: target < hot[1]


@njit(nogil=True, cache=True, inline="always")
def hot_rows_in(context_vectors, hot, hot_base):
    """Copy the shared rows ``0..n_hot-1`` into the thread's own rows and into ``hot_base``."""
    offset, n_hot = hot[0], hot[1]
    for r in range(n_hot):
        for k in range(context_vectors.shape[1]):
            u = context_vectors[r, k]
            context_vectors[offset + r, k] = u
            hot_base[r, k] = u


@njit(nogil=True, cache=True, inline="always")
def merge_hot_rows(context_vectors, hot, hot_base):
    """Add this thread's steps on its hot rows (own row - ``hot_base``) to the shared rows,
    and start again from the shared rows (which hold the other threads' steps too).

    Lock-free like every other update (Hogwild): a step another thread merges at the
    same moment can be lost, as with any two threads writing one row.
    """
    offset, n_hot = hot[0], hot[1]
    for r in range(n_hot):
        for k in range(context_vectors.shape[1]):
            shared = context_vectors[r, k]
            own = context_vectors[offset + r, k]
            # no other step since the last merge: the own value exactly (so one thread
            # with hot rows computes what it computes without them)
            u = own if shared == hot_base[r, k] else shared + (own - hot_base[r, k])
            context_vectors[r, k] = u
            context_vectors[offset + r, k] = u
            hot_base[r, k] = u


@njit(nogil=True, cache=True, inline="always")
def gradient_and_loss(f, label, alpha, sigmoid_table, log_sigmoid_table):
    """Step size ``g = alpha * (label - sigmoid(f))`` and float64 loss of one example.

    ``f`` is the float32 score ``u . v``; ``label`` is 1 for the true word, 0 for a
    noise word.  Outside ``[-6, 6]`` sigmoid is 0 or 1 and the loss its linear asymptote.
    """
    n = sigmoid_table.shape[0]
    max_exp = np.float32(MAX_EXP)
    if f >= max_exp:
        sig = np.float32(1.0)
        loss = 0.0 if label > 0 else np.float64(f)
    elif f > -max_exp:
        i = sigmoid_bin(f, n)
        sig = sigmoid_table[i]
        # log sigmoid(-f) = log_sigmoid_table at the mirrored bin
        loss = -log_sigmoid_table[i] if label > 0 else -log_sigmoid_table[n - 1 - i]
    else:  # f <= -6, or NaN (then the NaN shows up in the vectors and is reported)
        sig = np.float32(0.0)
        loss = -np.float64(f) if label > 0 else 0.0
    return (label - sig) * alpha, loss


@njit(nogil=True, cache=True, inline="always")
def noise_word(state, vocab_size, noise_table):
    """Draw one noise word with the alias method (two draws); returns ``(word, new_state)``.

    ``noise_table`` packs each column's threshold and alias in one uint64
    (:func:`~lessons.models.word2vec.tables.packed_alias_table`): one memory access per
    draw instead of two, which made skip-gram about 10% faster.
    """
    state = lcg_next(state)
    column = ((state >> _U32) * vocab_size) >> _U32  # uniform in 0..V-1
    state = lcg_next(state)
    entry = noise_table[column]
    if (state >> _U32) < (entry >> _ALIAS_BITS):  # the threshold, in [0, 2**32]
        return np.int64(column), state
    return np.int64(entry & _ALIAS_MASK), state


@njit(nogil=True, cache=True, inline="always")
def _longest_sentence(sentence_starts, first_sentence, last_sentence):
    """Length of the longest sentence in the chunk (sizes the per-chunk buffer)."""
    longest = 0
    for s in range(first_sentence, last_sentence):
        longest = max(longest, sentence_starts[s + 1] - sentence_starts[s])
    return longest


@njit(nogil=True, cache=True, inline="always")
def _subsample(tokens, start, stop, keep_threshold, kept, state):
    """Subsample ``tokens[start:stop]`` into ``kept``; returns ``(count kept, new_state)``."""
    n = 0
    for p in range(start, stop):
        w = tokens[p]
        state = lcg_next(state)
        if (state >> _U32) < keep_threshold[w]:
            kept[n] = w
            n += 1
    return n, state


@njit(nogil=True, cache=True, inline="always")
def chunk_buffers(sentence_starts, first_sentence, last_sentence, d, negative):
    """The scratch arrays of one chunk, made once: ``(kept, grad, targets)``."""
    kept = np.empty(_longest_sentence(sentence_starts, first_sentence, last_sentence),
                    dtype=np.int32)  # (longest,) one sentence after subsampling
    grad = np.empty(d, dtype=np.float32)  # (d,) step for the input vector
    targets = np.empty((1, negative + 1), dtype=np.int64)  # (1, negative + 1) learn_example's
    return kept, grad, targets


@njit(nogil=True, cache=True, inline="always")
def start_sentence(s, tokens, sentence_starts, first_sentence, keep_threshold, kept, state,
                    learning_rate, min_learning_rate, words_before, total_words):
    """Step into sentence ``s``: its learning rate, then its kept tokens.

    The rate follows the one schedule (:func:`~lessons.models.word2vec.learning_rate_at`)
    at the share of all planned tokens that come before the sentence.
    Returns ``(alpha, n kept, new_state)``; the kept tokens are in ``kept[:n]``.
    """
    start = sentence_starts[s]
    progress = (words_before + (start - sentence_starts[first_sentence])) / total_words
    alpha = np.float32(learning_rate_at(progress, learning_rate, min_learning_rate))
    n, state = _subsample(tokens, start, sentence_starts[s + 1], keep_threshold, kept, state)
    return alpha, n, state


@njit(nogil=True, cache=True, inline="always")
def stopped(stop):
    """Whether the runner asked the kernel to return now (``stop[0] != 0``); never if None.

    Read before every centre word, so a Ctrl-C stops a chunk within milliseconds
    whatever its size and settings; it changes nothing that is computed.
    """
    if stop is None:
        return False
    return stop[0] != 0


@njit(nogil=True, cache=True, inline="always")
def random_window(state, window):
    """The dynamic window ``b``, uniform in ``1..window``; returns ``(b, new_state)``."""
    state = lcg_next(state)
    return window - np.int64((state >> _U32) % np.uint64(window)), state


@njit(nogil=True, cache=True, inline="always")
def draw_targets(word, targets, e, negative, state, vocab_size, noise_table):
    """The targets of one example: ``word`` (label 1), then its noise words (label 0).

    Draws ``negative`` noise words; one equal to ``word`` is skipped, not redrawn (as in
    word2vec.c).  Fills ``targets[e, :n_targets]`` (a row index, not a slice: a view
    would cost an atomic reference count per example); returns ``(n_targets, new_state)``.
    The draws do not depend on the vectors, so a kernel may make them ahead of time.
    """
    targets[e, 0] = word
    n_targets = 1
    for r in range(negative):
        noise, state = noise_word(state, vocab_size, noise_table)
        if noise != word:
            targets[e, n_targets] = noise
            n_targets += 1
    return n_targets, state


@njit(nogil=True, cache=True, inline="always")
def _all_different(targets, e, n_targets):
    """Whether the targets ``targets[e, :n_targets]`` are all different words."""
    for t in range(1, n_targets):
        for earlier in range(t):
            if targets[e, t] == targets[e, earlier]:
                return False
    return True


@njit(nogil=True, cache=True, inline="always")
def _pick(t, s0, s1, s2, s3, s4, s5, s6, s7):
    """The ``t``-th of eight values (``t`` in ``0..7``)."""
    if t < 4:
        return s0 if t == 0 else s1 if t == 1 else s2 if t == 2 else s3
    return s4 if t == 4 else s5 if t == 5 else s6 if t == 6 else s7


@njit(nogil=True, cache=True, inline="always")
def train_targets(h, row, targets, e, n_targets, context_vectors, grad, alpha, sigmoid_table,
                   log_sigmoid_table, loss, hot=None):
    """One negative-sampling step: input vector ``h[row]`` against ``targets[e, :n_targets]``.

    ``targets[e, 0]`` is the true word (label 1), the rest noise words (label 0).  Updates
    their output vectors and leaves in ``grad`` the step for ``h[row]``
    (``sum_t g_t u_t``), which the caller adds to the input vector(s).

    The definition scores and updates one target after the other.  When the targets are
    all different, no update changes a row that a later score reads, so all the scores
    can be computed first: the same numbers, but independent dot products that the CPU
    runs side by side (skip-gram about 5% faster).  They are kept in eight local
    variables, which live in registers: a scratch array measured slower than not
    reordering at all.  A repeated noise word (or more than ``SCORED_TOGETHER`` targets)
    takes the plain order.

    Parameters
    ----------
    h : (., d) float32, row ``row`` is the input vector ``v`` (read only)
    targets : (., >= n_targets) int64, row ``e`` holds the targets
    context_vectors : (V, d) float32, updated in place
    grad : (d,) float32, overwritten with the step for ``v``
    alpha : float32, learning rate
    loss : float64, the chunk's running loss; each term is added to it in turn (summing
        an example's terms first would round differently)
    hot : (offset, n_hot, merge) or None, where the thread's own copies of the hot rows are
        (:func:`hot_row`); None: every row is the shared one

    Returns
    -------
    loss : float64, the running loss plus this example's
    """
    d = context_vectors.shape[1]
    for k in range(d):
        grad[k] = np.float32(0.0)
    if n_targets <= SCORED_TOGETHER and _all_different(targets, e, n_targets):
        s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = np.float32(0.0)
        for t in range(n_targets):
            target = targets[e, t]
            f = dot(h, row, context_vectors, hot_row(hot, target), d)
            if t == 0:
                s0 = f
            elif t == 1:
                s1 = f
            elif t == 2:
                s2 = f
            elif t == 3:
                s3 = f
            elif t == 4:
                s4 = f
            elif t == 5:
                s5 = f
            elif t == 6:
                s6 = f
            else:
                s7 = f
        # The update below is written out twice on purpose: moved into a helper (even an
        # inlined one) it made skip-gram 1.5x slower.
        for t in range(n_targets):
            target = targets[e, t]
            label = np.float32(1.0) if t == 0 else np.float32(0.0)
            g, target_loss = gradient_and_loss(_pick(t, s0, s1, s2, s3, s4, s5, s6, s7), label,
                                                alpha, sigmoid_table, log_sigmoid_table)
            loss += target_loss
            r = hot_row(hot, target)
            for k in range(d):  # one pass: grad gets u before its update
                u = context_vectors[r, k]
                grad[k] += g * u
                context_vectors[r, k] = u + g * h[row, k]
        return loss
    for t in range(n_targets):  # the definition's order: score, update, next target
        target = targets[e, t]
        label = np.float32(1.0) if t == 0 else np.float32(0.0)
        r = hot_row(hot, target)
        g, target_loss = gradient_and_loss(dot(h, row, context_vectors, r, d), label,
                                            alpha, sigmoid_table, log_sigmoid_table)
        loss += target_loss
        for k in range(d):
            u = context_vectors[r, k]
            grad[k] += g * u
            context_vectors[r, k] = u + g * h[row, k]
    return loss


@njit(nogil=True, cache=True, inline="always")
def prefetch_targets(context_vectors, targets, e, n_targets, hot=None):
    """Ask the CPU to fetch the output rows of ``targets[e, :n_targets]`` (a hint).

    A thread's own hot rows (see :func:`hot_row`) stay in its cache: not fetched.
    """
    for t in range(n_targets):
        target = targets[e, t]
        if not is_hot(hot, target):
            prefetch_row(context_vectors, target)


@njit(nogil=True, cache=True, inline="always")
def learn_example(h, row, word, context_vectors, grad, targets, negative, state, alpha,
                   noise_table, sigmoid_table, log_sigmoid_table, loss, hot=None):
    """One negative-sampling example: input vector ``h[row]`` should predict ``word``.

    Draws the noise words (:func:`draw_targets`), asks the CPU to fetch their rows
    while the first dot product runs, and trains (:func:`train_targets`).

    Parameters
    ----------
    targets : (., negative + 1) int64, scratch (row 0 is used)
    state : uint64, the chunk's generator
    noise_table : (V,) uint64, see :func:`noise_word`
    hot : (offset, n_hot, merge) or None, see :func:`hot_row`
    (the others as in :func:`train_targets`)

    Returns
    -------
    loss : float64, the running loss plus this example's
    state : uint64, the advanced generator
    """
    n_targets, state = draw_targets(word, targets, 0, negative, state,
                                     np.uint64(noise_table.shape[0]), noise_table)
    prefetch_targets(context_vectors, targets, 0, n_targets, hot)
    loss = train_targets(h, row, targets, 0, n_targets, context_vectors, grad, alpha,
                          sigmoid_table, log_sigmoid_table, loss, hot)
    return loss, state
