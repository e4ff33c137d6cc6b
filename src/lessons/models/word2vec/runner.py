"""The epoch runner: every chunk of every epoch through a kernel, on a thread pool.

With ``workers > 1`` the chunks of an epoch go to a standard ``ThreadPoolExecutor``.
The kernels release the GIL, so the threads really run in parallel, and update the
shared matrices without locks (Hogwild).  Each chunk's random stream and learning rate
depend only on ``(seed, epoch, chunk)`` and its position in the corpus, never on which
thread runs it; the per-chunk losses are summed in chunk order.  With one worker the
chunks run one after the other in order, so the result depends only on ``seed``.
"""
from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor, wait
from functools import partial

import numpy as np

from lessons.vectors.embeddings import Embeddings

from .encoding import EncodedCorpus, sentence_chunks
from .history import TrainingHistory
from .kernels import KERNELS
from .settings import Settings
from .tables import (CHUNK_WORDS, LOG_SIGMOID_TABLE, SIGMOID_TABLE, alias_table, chunk_seed,
                     keep_thresholds, learning_rate_at)

__all__ = ["run_epochs"]


def run_epochs(settings: Settings, corpus: EncodedCorpus, vectors: np.ndarray,
               context_vectors: np.ndarray) -> TrainingHistory:
    """Train for ``settings.epochs`` passes over ``corpus``, updating the vectors in place.

    Parameters
    ----------
    settings : Settings
    corpus : EncodedCorpus
    vectors, context_vectors : (V, d) float32, the model, updated in place

    Returns
    -------
    TrainingHistory
        One entry per epoch; ``settings.on_epoch_end`` sees it grow.

    Raises
    ------
    ValueError
        If an epoch leaves non-finite vectors or loss (training diverged).
    """
    chunks = sentence_chunks(corpus.sentence_starts, CHUNK_WORDS)  # [(first, last) sentence]
    chunk_words = [int(corpus.sentence_starts[last] - corpus.sentence_starts[first])
                   for first, last in chunks]  # tokens per chunk, for the progress bar
    train_chunk = _chunk_trainer(settings, corpus, chunks, vectors, context_vectors)
    history = TrainingHistory()
    bar = _progress_bar(settings, corpus)
    pool = None  # one worker runs the chunks in this thread
    if settings.workers > 1:
        pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="word2vec")
    try:
        for epoch in range(settings.epochs):
            t0 = time.perf_counter()
            results = _run_chunks(pool, partial(train_chunk, epoch), chunk_words, bar)
            loss = math.fsum(r[0] for r in results)  # fixed order, whatever the threads did
            history.record(loss=loss, examples=sum(r[1] for r in results),
                           words=corpus.words_per_epoch, elapsed_s=time.perf_counter() - t0,
                           learning_rate=learning_rate_at((epoch + 1) / settings.epochs,
                                                          settings.learning_rate,
                                                          settings.min_learning_rate))
            _check_finite(epoch, loss, vectors, context_vectors, settings.learning_rate)
            if settings.on_epoch_end is not None:
                settings.on_epoch_end(epoch + 1, Embeddings(
                    corpus.vocabulary.words, vectors.copy(), context_vectors=context_vectors.copy(),
                    counts=corpus.counts, history=history))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)  # after Ctrl-C, drop the queued chunks
        if bar is not None:
            bar.close()
    return history


def _run_chunks(pool, train_chunk, chunk_words, bar):
    """``train_chunk(c)`` for every chunk ``c``; returns the results in chunk order.

    Without a pool the chunks run here, in order.  With one, the calling thread just
    waits, and wakes per chunk only to move the progress bar: a wake-up takes the GIL
    (and, on a busy machine, a core) from the workers.
    """
    if pool is None:
        results = []
        for c, words in enumerate(chunk_words):
            results.append(train_chunk(c))
            if bar is not None:
                bar.update(words)
        return results
    futures = [pool.submit(train_chunk, c) for c in range(len(chunk_words))]
    if bar is None:
        wait(futures)
    else:
        for future, words in zip(futures, chunk_words):
            future.exception()  # waits for this chunk, raises nothing
            bar.update(words)
    return [future.result() for future in futures]  # raises the first error, if any


def _chunk_trainer(settings, corpus, chunks, vectors, context_vectors):
    """The function ``train_chunk(epoch, c) -> (loss, examples, kept)`` the threads call.

    It runs the model's kernel on chunk ``c`` of ``epoch``, with the chunk's own random
    stream and its position in the corpus for the learning-rate schedule.
    """
    kernel = KERNELS[settings.model]
    keep = keep_thresholds(corpus.counts, settings.subsample)  # (V,) uint64
    noise_threshold, noise_alias = alias_table(corpus.counts,
                                               settings.noise_exponent)  # (V,) uint64, (V,) int32
    starts = corpus.sentence_starts  # (S + 1,) int64
    words_per_epoch = corpus.words_per_epoch
    total_words = settings.epochs * words_per_epoch

    def train_chunk(epoch: int, c: int):
        first, last = chunks[c]
        words_before = epoch * words_per_epoch + int(starts[first])
        return kernel(vectors, context_vectors, corpus.tokens, starts, first, last,
                      keep, noise_threshold, noise_alias, SIGMOID_TABLE, LOG_SIGMOID_TABLE,
                      settings.window, settings.negative,
                      np.uint64(chunk_seed(settings.seed, epoch, c)),
                      settings.learning_rate, settings.min_learning_rate,
                      words_before, total_words)

    return train_chunk


def _progress_bar(settings, corpus):
    """A tqdm bar over all planned tokens, or None."""
    if not settings.progress:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=settings.epochs * corpus.words_per_epoch, unit="word", unit_scale=True,
                desc=settings.model)


def _check_finite(epoch, loss, vectors, context_vectors, learning_rate):
    """Raise if the epoch left a non-finite loss or vector (the learning rate was too high)."""
    if not (math.isfinite(loss) and np.isfinite(vectors).all()
            and np.isfinite(context_vectors).all()):
        raise ValueError(
            f"training diverged in epoch {epoch + 1}: the vectors became non-finite; "
            f"use a lower learning_rate (got {learning_rate})")
