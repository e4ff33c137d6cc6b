"""The numba kernels: skip-gram and CBOW over one chunk of sentences.

Both kernels walk their sentences the same way (learning rate, subsampling, dynamic
window) and train every example with the same negative-sampling step,
:func:`_learn_example`; they differ only in which input vector predicts which word.
The helpers are ``inline="always"``: numba pastes them into the kernels, so the hot
loops pay no call overhead and allocate nothing (every buffer is made once per chunk).

Every kernel is bounds-safe by construction: :func:`lessons.models.word2vec.train`
checks that every token id is in ``[0, V)`` and every table has ``V`` entries; the
window loop clips to the sentence; table indices are clamped; a NaN dot product falls
into the "below -6" branch.  Kernels run with the GIL released (``nogil``) and update
the shared matrices without locks (Hogwild); before every centre word they read the
runner's ``stop`` flag, so that a Ctrl-C stops them at once.

Numba's on-disk cache (``cache=True``) is invalidated only when *this* file changes,
although the kernels also inline code from ``simd.py`` and ``tables.py``: after editing
those, delete ``__pycache__`` here (or touch this file).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .simd import dot, prefetch_row
from .tables import ALIAS_BITS, LCG_INCREMENT, LCG_MULTIPLIER, MAX_EXP, learning_rate_at

__all__ = ["skipgram_chunk", "cbow_chunk", "KERNELS"]

# word2vec.c's generator on uint64 (wraps mod 2**64); a draw is the top 32 bits.
_U32 = np.uint64(32)
_MULT = np.uint64(LCG_MULTIPLIER)
_INC = np.uint64(LCG_INCREMENT)
_ALIAS_BITS = np.uint64(ALIAS_BITS)
_ALIAS_MASK = np.uint64((1 << ALIAS_BITS) - 1)
# Targets of one example whose scores are computed before any is updated (negative <= 7).
SCORED_TOGETHER = 8


@njit(nogil=True, cache=True, inline="always")
def _gradient_and_loss(f, label, alpha, sigmoid_table, log_sigmoid_table):
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
        i = int((f + max_exp) * np.float32(n / (2 * MAX_EXP)))  # bin of f in [-6, 6]
        if i > n - 1:
            i = n - 1
        if i < 0:
            i = 0
        sig = sigmoid_table[i]
        # log sigmoid(-f) = log_sigmoid_table at the mirrored bin
        loss = -log_sigmoid_table[i] if label > 0 else -log_sigmoid_table[n - 1 - i]
    else:  # f <= -6, or NaN (then the NaN shows up in the vectors and is reported)
        sig = np.float32(0.0)
        loss = -np.float64(f) if label > 0 else 0.0
    return (label - sig) * alpha, loss


@njit(nogil=True, cache=True, inline="always")
def _noise_word(state, vocab_size, noise_table):
    """Draw one noise word with the alias method (two draws); returns ``(word, new_state)``.

    ``noise_table`` packs each column's threshold and alias in one uint64
    (:func:`~lessons.models.word2vec.tables.packed_alias_table`): one memory access per
    draw instead of two, which made skip-gram about 10% faster.
    """
    state = state * _MULT + _INC
    column = ((state >> _U32) * vocab_size) >> _U32  # uniform in 0..V-1
    state = state * _MULT + _INC
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
        state = state * _MULT + _INC
        if (state >> _U32) < keep_threshold[w]:
            kept[n] = w
            n += 1
    return n, state


@njit(nogil=True, cache=True, inline="always")
def _chunk_buffers(sentence_starts, first_sentence, last_sentence, d, negative):
    """The scratch arrays of one chunk, made once: ``(kept, grad, targets)``."""
    kept = np.empty(_longest_sentence(sentence_starts, first_sentence, last_sentence),
                    dtype=np.int32)  # (longest,) one sentence after subsampling
    grad = np.empty(d, dtype=np.float32)  # (d,) step for the input vector
    targets = np.empty((1, negative + 1), dtype=np.int64)  # (1, negative + 1) _learn_example's
    return kept, grad, targets


@njit(nogil=True, cache=True, inline="always")
def _start_sentence(s, tokens, sentence_starts, first_sentence, keep_threshold, kept, state,
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
def _stopped(stop):
    """Whether the runner asked the kernel to return now (``stop[0] != 0``); never if None.

    Read before every centre word, so a Ctrl-C stops a chunk within milliseconds
    whatever its size and settings; it changes nothing that is computed.
    """
    if stop is None:
        return False
    return stop[0] != 0


@njit(nogil=True, cache=True, inline="always")
def _random_window(state, window):
    """The dynamic window ``b``, uniform in ``1..window``; returns ``(b, new_state)``."""
    state = state * _MULT + _INC
    return window - np.int64((state >> _U32) % np.uint64(window)), state


@njit(nogil=True, cache=True, inline="always")
def _draw_targets(word, targets, e, negative, state, vocab_size, noise_table):
    """The targets of one example: ``word`` (label 1), then its noise words (label 0).

    Draws ``negative`` noise words; one equal to ``word`` is skipped, not redrawn (as in
    word2vec.c).  Fills ``targets[e, :n_targets]`` (a row index, not a slice: a view
    would cost an atomic reference count per example); returns ``(n_targets, new_state)``.
    The draws do not depend on the vectors, so a kernel may make them ahead of time.
    """
    targets[e, 0] = word
    n_targets = 1
    for r in range(negative):
        noise, state = _noise_word(state, vocab_size, noise_table)
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
def _train_targets(h, row, targets, e, n_targets, context_vectors, grad, alpha, sigmoid_table,
                   log_sigmoid_table, loss):
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
            f = dot(h, row, context_vectors, targets[e, t], d)
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
            g, target_loss = _gradient_and_loss(_pick(t, s0, s1, s2, s3, s4, s5, s6, s7), label,
                                                alpha, sigmoid_table, log_sigmoid_table)
            loss += target_loss
            for k in range(d):  # one pass: grad gets u before its update
                u = context_vectors[target, k]
                grad[k] += g * u
                context_vectors[target, k] = u + g * h[row, k]
        return loss
    for t in range(n_targets):  # the definition's order: score, update, next target
        target = targets[e, t]
        label = np.float32(1.0) if t == 0 else np.float32(0.0)
        g, target_loss = _gradient_and_loss(dot(h, row, context_vectors, target, d), label,
                                            alpha, sigmoid_table, log_sigmoid_table)
        loss += target_loss
        for k in range(d):
            u = context_vectors[target, k]
            grad[k] += g * u
            context_vectors[target, k] = u + g * h[row, k]
    return loss


@njit(nogil=True, cache=True, inline="always")
def _prefetch_targets(context_vectors, targets, e, n_targets):
    """Ask the CPU to fetch the output rows of ``targets[e, :n_targets]`` (a hint)."""
    for t in range(n_targets):
        prefetch_row(context_vectors, targets[e, t])


@njit(nogil=True, cache=True, inline="always")
def _learn_example(h, row, word, context_vectors, grad, targets, negative, state, alpha,
                   noise_table, sigmoid_table, log_sigmoid_table, loss):
    """One negative-sampling example: input vector ``h[row]`` should predict ``word``.

    Draws the noise words (:func:`_draw_targets`), asks the CPU to fetch their rows
    while the first dot product runs, and trains (:func:`_train_targets`).

    Parameters
    ----------
    targets : (., negative + 1) int64, scratch (row 0 is used)
    state : uint64, the chunk's generator
    noise_table : (V,) uint64, see :func:`_noise_word`
    (the others as in :func:`_train_targets`)

    Returns
    -------
    loss : float64, the running loss plus this example's
    state : uint64, the advanced generator
    """
    n_targets, state = _draw_targets(word, targets, 0, negative, state,
                                     np.uint64(context_vectors.shape[0]), noise_table)
    _prefetch_targets(context_vectors, targets, 0, n_targets)
    loss = _train_targets(h, row, targets, 0, n_targets, context_vectors, grad, alpha,
                          sigmoid_table, log_sigmoid_table, loss)
    return loss, state


@njit(nogil=True, cache=True)
def skipgram_chunk(vectors, context_vectors, tokens, sentence_starts, first_sentence,
                   last_sentence, keep_threshold, noise_table,
                   sigmoid_table, log_sigmoid_table, window, negative, rng_state,
                   learning_rate, min_learning_rate, words_before, total_words, stop=None):
    """Train skip-gram on sentences ``first_sentence..last_sentence-1`` (one chunk).

    Every kept word's input vector predicts each word of its window.

    Parameters
    ----------
    vectors, context_vectors : (V, d) float32, updated in place
    tokens : (n,) int32, every id in ``[0, V)``
    sentence_starts : (S + 1,) int64, sentence ``s`` is ``tokens[starts[s]:starts[s+1]]``
    keep_threshold : (V,) uint64, see :func:`~lessons.models.word2vec.keep_thresholds`
    noise_table : (V,) uint64, the noise distribution's alias table, packed: see
        :func:`~lessons.models.word2vec.packed_alias_table`
    sigmoid_table : (T,) float32; log_sigmoid_table : (T,) float64
    window, negative : int
    rng_state : uint64, the chunk's generator state
    learning_rate, min_learning_rate : float, the two ends of the schedule
    words_before : int, tokens of all epochs before this chunk (learning-rate schedule)
    total_words : int, epochs * tokens per epoch
    stop : (1,) uint8 or None; when ``stop[0]`` becomes nonzero the kernel returns
        before its next centre word (what it returns is then partial)

    Returns
    -------
    loss : float64, summed over examples
    examples : int64, number of (centre, context) pairs
    kept : int64, tokens that survived subsampling
    """
    d = vectors.shape[1]
    state = np.uint64(rng_state)
    loss, examples, kept_total = 0.0, 0, 0
    vocab_size = np.uint64(context_vectors.shape[0])
    kept, grad, targets = _chunk_buffers(sentence_starts, first_sentence, last_sentence,
                                         d, negative)  # grad: the step for the centre vector
    plan = np.empty((2 * window, negative + 1), dtype=np.int64)  # targets of each example
    n_plan = np.empty(2 * window, dtype=np.int64)  # (2 window,) targets of each example
    for s in range(first_sentence, last_sentence):
        alpha, n, state = _start_sentence(s, tokens, sentence_starts, first_sentence,
                                          keep_threshold, kept, state, learning_rate,
                                          min_learning_rate, words_before, total_words)
        kept_total += n
        for i in range(n):
            if _stopped(stop):
                return loss, examples, kept_total
            b, state = _random_window(state, window)
            center = kept[i]
            if i + 1 < n:  # the next centre's input vector (about 5% faster)
                prefetch_row(vectors, kept[i + 1])
            # Draw the targets of every example of the window first (the generator runs
            # in the same order as drawing them example by example), so that the rows of
            # the next example are fetched while this one trains (about 3% faster).
            n_examples = 0
            for j in range(max(0, i - b), min(n, i + b + 1)):
                if j != i:
                    n_plan[n_examples], state = _draw_targets(
                        kept[j], plan, n_examples, negative, state, vocab_size, noise_table)
                    n_examples += 1
            for e in range(n_examples):
                if e == 0:
                    _prefetch_targets(context_vectors, plan, 0, n_plan[0])
                if e + 1 < n_examples:
                    _prefetch_targets(context_vectors, plan, e + 1, n_plan[e + 1])
                loss = _train_targets(vectors, center, plan, e, n_plan[e], context_vectors,
                                      grad, alpha, sigmoid_table, log_sigmoid_table, loss)
                for k in range(d):
                    vectors[center, k] += grad[k]
            examples += n_examples
    return loss, examples, kept_total


@njit(nogil=True, cache=True)
def cbow_chunk(vectors, context_vectors, tokens, sentence_starts, first_sentence,
               last_sentence, keep_threshold, noise_table,
               sigmoid_table, log_sigmoid_table, window, negative, rng_state,
               learning_rate, min_learning_rate, words_before, total_words, stop=None):
    """Train CBOW on one chunk; same parameters and returns as :func:`skipgram_chunk`.

    ``h`` = mean of the context words' input vectors (``cbow_mean=1``) predicts the
    centre word; the step for ``h`` is added to every context word's vector.
    ``examples`` counts centre words with at least one context word.
    """
    d = vectors.shape[1]
    h = np.empty((1, d), dtype=np.float32)  # (1, d) mean context vector: a matrix for dot()
    state = np.uint64(rng_state)
    loss, examples, kept_total = 0.0, 0, 0
    kept, grad, targets = _chunk_buffers(sentence_starts, first_sentence, last_sentence, d,
                                         negative)  # grad: the step for h
    for s in range(first_sentence, last_sentence):
        alpha, n, state = _start_sentence(s, tokens, sentence_starts, first_sentence,
                                          keep_threshold, kept, state, learning_rate,
                                          min_learning_rate, words_before, total_words)
        for i in range(n):
            if _stopped(stop):
                return loss, examples, kept_total + n
            b, state = _random_window(state, window)
            lo = max(0, i - b)
            hi = min(n, i + b + 1)
            count = hi - lo - 1
            if count <= 0:
                continue
            for k in range(d):
                h[0, k] = np.float32(0.0)
            for j in range(lo, hi):
                if j != i:
                    c = kept[j]
                    for k in range(d):
                        h[0, k] += vectors[c, k]
            n_contexts = np.float32(count)
            for k in range(d):
                h[0, k] = h[0, k] / n_contexts
            examples += 1
            loss, state = _learn_example(h, 0, kept[i], context_vectors, grad, targets,
                                         negative, state, alpha, noise_table,
                                         sigmoid_table, log_sigmoid_table, loss)
            for j in range(lo, hi):
                if j != i:
                    c = kept[j]
                    for k in range(d):
                        vectors[c, k] += grad[k]
        kept_total += n
    return loss, examples, kept_total


#: The chunk kernel of each model.
KERNELS = {"skipgram": skipgram_chunk, "cbow": cbow_chunk}
