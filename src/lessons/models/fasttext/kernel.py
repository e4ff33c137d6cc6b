"""The numba kernel: subword skip-gram with negative sampling over one chunk of sentences.

The walk is the word2vec skip-gram kernel's (:mod:`lessons.models.word2vec.kernels`),
made of the same steps (:mod:`lessons.models.word2vec.kernel_steps`, pasted in by numba):
the same learning rate per sentence, subsampling, dynamic window, and the very same
negative-sampling step (``learn_example``).  What changes is the
input vector of the centre word: not one row, but the mean ``h`` of its rows of the
input matrix (its own row and its n-gram rows, :func:`~.ngrams.subword_table`), and the
step for ``h`` goes back to every one of those rows.

fastText (``FastText::skipgram`` and ``Model::update``) recomputes ``h`` before every
(centre, context) pair and adds the step ``sum_t g_t u_t`` *in full* (not divided by the
number of rows) to each row right after the pair.  Adding the same step ``s`` to each of
the ``n`` listed rows moves their mean by exactly ``s`` (by ``c s`` when buckets repeat,
``c = sum_r count(r)^2 / n``, precomputed per word as ``overlap``), and no other update
of the window touches those rows.  So this kernel computes ``h`` once per centre word,
moves it by ``overlap * s`` after each pair, and adds the window's summed steps to the
rows once at the end: the same arithmetic as fastText's, up to float rounding, for a
fraction of the memory traffic (the tests check it against a literal per-pair loop).

Numba's cache (``cache=True``) sees only this file; after editing
``word2vec/kernel_steps.py``, ``simd.py`` or ``tables.py``, delete ``__pycache__`` here too.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from lessons.models.word2vec.kernel_steps import (chunk_buffers, learn_example, random_window,
                                                  start_sentence, stopped)

__all__ = ["subword_skipgram_chunk"]


@njit(nogil=True, cache=True, inline="always")
def _mean_of_rows(input_vectors, rows, first, last, h):
    """``h[0] = mean(input_vectors[rows[first:last]])``, summed in list order (as fastText)."""
    d = h.shape[1]
    for k in range(d):
        h[0, k] = np.float32(0.0)
    for p in range(first, last):
        r = rows[p]
        for k in range(d):
            h[0, k] += input_vectors[r, k]
    scale = np.float32(1.0 / (last - first))  # fastText: hidden.mul(1.0 / input.size())
    for k in range(d):
        h[0, k] *= scale


@njit(nogil=True, cache=True)
def subword_skipgram_chunk(input_vectors, context_vectors, subword_starts, subword_rows, overlap,
                           tokens, sentence_starts, first_sentence, last_sentence, keep_threshold,
                           noise_table, sigmoid_table, log_sigmoid_table, window,
                           negative, rng_state, learning_rate, min_learning_rate, words_before,
                           total_words, stop=None):
    """Train subword skip-gram on sentences ``first_sentence..last_sentence-1`` (one chunk).

    Parameters
    ----------
    input_vectors : (V + buckets, d) float32, word rows then n-gram rows, updated in place
    context_vectors : (V, d) float32, the output vectors, updated in place
    subword_starts : (V + 1,) int64 and subword_rows : (R,) int32, see
        :func:`~lessons.models.fasttext.ngrams.subword_table`; every row in
        ``[0, V + buckets)``, every word with at least one row
    overlap : (V,) float32, how far the mean moves per unit step added to every row (1.0
        unless two of the word's n-grams share a bucket)
    The other parameters and the returns are those of
    :func:`lessons.models.word2vec.kernels.skipgram_chunk`: tokens ``(n,) int32`` in
    ``[0, V)``, sentence starts, subsampling and alias tables, sigmoid tables, window,
    negative, the chunk's generator state, the two ends of the learning-rate schedule,
    the tokens before this chunk and the planned total, and the ``stop`` flag; returns
    ``(loss, examples, kept)``.
    """
    d = context_vectors.shape[1]
    h = np.empty((1, d), dtype=np.float32)  # (1, d) the centre's mean row: a matrix for dot()
    step = np.empty(d, dtype=np.float32)  # (d,) summed steps of the centre's window
    state = np.uint64(rng_state)
    loss, examples, kept_total = 0.0, 0, 0
    kept, grad, targets = chunk_buffers(sentence_starts, first_sentence, last_sentence, d,
                                         negative)  # grad: the step of one pair
    for s in range(first_sentence, last_sentence):
        alpha, n, state = start_sentence(s, tokens, sentence_starts, first_sentence,
                                          keep_threshold, kept, state, learning_rate,
                                          min_learning_rate, words_before, total_words)
        kept_total += n
        for i in range(n):
            if stopped(stop):
                return loss, examples, kept_total
            b, state = random_window(state, window)
            lo = max(0, i - b)
            hi = min(n, i + b + 1)
            if hi - lo <= 1:
                continue
            center = kept[i]
            first_row = subword_starts[center]
            last_row = subword_starts[center + 1]
            _mean_of_rows(input_vectors, subword_rows, first_row, last_row, h)
            moves = overlap[center]
            for k in range(d):
                step[k] = np.float32(0.0)
            for j in range(lo, hi):
                if j == i:
                    continue
                examples += 1
                loss, state = learn_example(h, 0, kept[j], context_vectors, grad, targets,
                                             negative, state, alpha, noise_table,
                                             sigmoid_table, log_sigmoid_table, loss)
                for k in range(d):  # fastText would add grad to every row now and re-average
                    step[k] += grad[k]
                    h[0, k] += moves * grad[k]
            for p in range(first_row, last_row):
                r = subword_rows[p]
                for k in range(d):
                    input_vectors[r, k] += step[k]
    return loss, examples, kept_total
