"""The numba kernels: skip-gram and CBOW over one chunk of sentences.

Both kernels walk their sentences the same way (learning rate, subsampling, dynamic
window) and train every example with the same negative-sampling step; they differ only
in which input vector predicts which word.  The steps are in
:mod:`~lessons.models.word2vec.kernel_steps` (shared with fastText's kernel), all
``inline="always"``: numba pastes them into the kernels, so the hot loops pay no call
overhead and allocate nothing (every buffer is made once per chunk).

Every kernel is bounds-safe by construction: :func:`lessons.models.word2vec.train`
checks that every token id is in ``[0, V)`` and every table has ``V`` entries; the
window loop clips to the sentence; table indices are clamped; a NaN dot product falls
into the "below -6" branch.  Kernels run with the GIL released (``nogil``) and update
the shared matrices without locks (Hogwild); before every centre word they read the
runner's ``stop`` flag, so that a Ctrl-C stops them at once.

Numba's on-disk cache (``cache=True``) is invalidated only when *this* file changes,
although the kernels also inline code from ``kernel_steps.py``, ``simd.py`` and
``tables.py``: after editing those, delete ``__pycache__`` here (or touch this file).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .kernel_steps import (chunk_buffers, draw_targets, hot_row, is_hot,
                           learn_example, merge_hot_rows, prefetch_targets, random_window,
                           start_sentence, stopped, train_targets)
from .simd import prefetch_row

__all__ = ["skipgram_chunk", "cbow_chunk", "KERNELS"]


@njit(nogil=True, cache=True)
def skipgram_chunk(vectors, context_vectors, tokens, sentence_starts, first_sentence,
                   last_sentence, keep_threshold, noise_table,
                   sigmoid_table, log_sigmoid_table, window, negative, rng_state,
                   learning_rate, min_learning_rate, words_before, total_words, stop=None,
                   hot=None, hot_base=None, hot_in_base=None):
    """Train skip-gram on sentences ``first_sentence..last_sentence-1`` (one chunk).

    Every kept word's input vector predicts each word of its window.

    Parameters
    ----------
    vectors, context_vectors : (V, d) float32, updated in place (with ``hot``: more rows,
        the threads' own copies of the hot rows, below the V rows of the model)
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
    hot : (offset, n_hot, merge) ints, or None (one worker: the kernel is then the
        code it was before hot rows existed).  The thread trains its own copy of the
        output rows of the ``n_hot`` most frequent words, in rows ``offset..offset+n_hot-1``
        of ``context_vectors`` (which then has more than V rows; the runner copied them
        there), and with ``merge`` nonzero merges it into the shared rows at the end of
        the chunk: two threads writing one row make its cache lines bounce between their
        cores, and these rows are among almost every example's noise words (see
        :func:`~lessons.models.word2vec.kernel_steps.hot_row`)
    hot_base, hot_in_base : (n_hot, d) float32 scratch or None, the hot output and input
        rows as last merged (``vectors`` too has the extra rows, and the thread its own
        copy of the hot words' input rows: the same scheme, the same ``hot``)

    Returns
    -------
    loss : float64, summed over examples
    examples : int64, number of (centre, context) pairs
    kept : int64, tokens that survived subsampling
    """
    d = vectors.shape[1]
    state = np.uint64(rng_state)
    loss, examples, kept_total = 0.0, 0, 0
    vocab_size = np.uint64(noise_table.shape[0])  # V (context_vectors may have extra rows)
    kept, grad, targets = chunk_buffers(sentence_starts, first_sentence, last_sentence,
                                         d, negative)  # grad: the step for the centre vector
    plan = np.empty((2 * window, negative + 1), dtype=np.int64)  # targets of each example
    n_plan = np.empty(2 * window, dtype=np.int64)  # (2 window,) targets of each example
    for s in range(first_sentence, last_sentence):
        alpha, n, state = start_sentence(s, tokens, sentence_starts, first_sentence,
                                          keep_threshold, kept, state, learning_rate,
                                          min_learning_rate, words_before, total_words)
        kept_total += n
        for i in range(n):
            if stopped(stop):
                return loss, examples, kept_total
            b, state = random_window(state, window)
            center = hot_row(hot, kept[i])  # its row: kept[i], or the thread's own copy
            if i + 1 < n and not is_hot(hot, kept[i + 1]):  # the next centre's (5% faster)
                prefetch_row(vectors, kept[i + 1])
            # Draw the targets of every example of the window first (the generator runs
            # in the same order as drawing them example by example), so that the rows of
            # the next example are fetched while this one trains (about 3% faster).
            n_examples = 0
            for j in range(max(0, i - b), min(n, i + b + 1)):
                if j != i:
                    n_plan[n_examples], state = draw_targets(
                        kept[j], plan, n_examples, negative, state, vocab_size, noise_table)
                    n_examples += 1
            for e in range(n_examples):
                if e == 0:
                    prefetch_targets(context_vectors, plan, 0, n_plan[0], hot)
                if e + 1 < n_examples:
                    prefetch_targets(context_vectors, plan, e + 1, n_plan[e + 1], hot)
                loss = train_targets(vectors, center, plan, e, n_plan[e], context_vectors,
                                      grad, alpha, sigmoid_table, log_sigmoid_table, loss, hot)
                for k in range(d):
                    vectors[center, k] += grad[k]
            examples += n_examples
    if hot is not None and hot[2]:  # the runner asks for a merge every few chunks
        merge_hot_rows(context_vectors, hot, hot_base)
        merge_hot_rows(vectors, hot, hot_in_base)
    return loss, examples, kept_total


@njit(nogil=True, cache=True)
def cbow_chunk(vectors, context_vectors, tokens, sentence_starts, first_sentence,
               last_sentence, keep_threshold, noise_table,
               sigmoid_table, log_sigmoid_table, window, negative, rng_state,
               learning_rate, min_learning_rate, words_before, total_words, stop=None,
               hot=None, hot_base=None, hot_in_base=None):
    """Train CBOW on one chunk; same parameters and returns as :func:`skipgram_chunk`.

    ``h`` = mean of the context words' input vectors (``cbow_mean=1``) predicts the
    centre word; the step for ``h`` is added to every context word's vector.
    ``examples`` counts centre words with at least one context word.
    """
    d = vectors.shape[1]
    h = np.empty((1, d), dtype=np.float32)  # (1, d) mean context vector: a matrix for dot()
    state = np.uint64(rng_state)
    loss, examples, kept_total = 0.0, 0, 0
    kept, grad, targets = chunk_buffers(sentence_starts, first_sentence, last_sentence, d,
                                         negative)  # grad: the step for h
    for s in range(first_sentence, last_sentence):
        alpha, n, state = start_sentence(s, tokens, sentence_starts, first_sentence,
                                          keep_threshold, kept, state, learning_rate,
                                          min_learning_rate, words_before, total_words)
        for i in range(n):
            if stopped(stop):
                return loss, examples, kept_total + n
            b, state = random_window(state, window)
            lo = max(0, i - b)
            hi = min(n, i + b + 1)
            count = hi - lo - 1
            if count <= 0:
                continue
            for k in range(d):
                h[0, k] = np.float32(0.0)
            for j in range(lo, hi):
                if j != i:
                    c = hot_row(hot, kept[j])
                    for k in range(d):
                        h[0, k] += vectors[c, k]
            n_contexts = np.float32(count)
            for k in range(d):
                h[0, k] = h[0, k] / n_contexts
            examples += 1
            loss, state = learn_example(h, 0, kept[i], context_vectors, grad, targets,
                                         negative, state, alpha, noise_table,
                                         sigmoid_table, log_sigmoid_table, loss, hot)
            for j in range(lo, hi):
                if j != i:
                    c = hot_row(hot, kept[j])
                    for k in range(d):
                        vectors[c, k] += grad[k]
        kept_total += n
    if hot is not None and hot[2]:  # the runner asks for a merge every few chunks
        merge_hot_rows(context_vectors, hot, hot_base)
        merge_hot_rows(vectors, hot, hot_in_base)
    return loss, examples, kept_total


#: The chunk kernel of each model.
KERNELS = {"skipgram": skipgram_chunk, "cbow": cbow_chunk}
