"""The epoch runner: every chunk of every epoch through a kernel, on a thread pool.

The chunks of an epoch go to a standard ``ThreadPoolExecutor`` of ``workers`` threads.
The kernels release the GIL, so the threads really run in parallel, and update the
shared matrices without locks (Hogwild).  Each chunk's random stream and learning rate
depend only on ``(seed, epoch, chunk)`` and its position in the corpus, never on which
thread runs it; the per-chunk losses are summed in chunk order.  With one worker its
one thread runs the chunks one after the other in order, so the result depends only on
``seed``.  With several, each thread also trains its own copy of the input and output
rows of the :data:`HOT_ROWS` most frequent words and merges it into the shared rows at
the end of every :data:`HOT_MERGE_CHUNKS`-th chunk it trains, and of every epoch (see
:func:`~lessons.models.word2vec.kernel_steps.hot_row`): two threads writing the same row
make its cache lines travel between their cores, and these rows are written in almost
every example.

The calling thread only waits, and wakes per chunk to hand its loss to the
:class:`~lessons.models.word2vec.history.LossWatch` (which stops a diverging run) and
to move the progress bar; it waits in slices of :data:`POLL_S` so that a Ctrl-C (or a
notebook's stop button) reaches it at once.  Then it sets the ``stop`` flag that every
kernel reads before each centre word, drops the queued chunks and joins the threads, so
no thread is left training: the interrupt is re-raised within milliseconds.
"""
from __future__ import annotations

import itertools
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from functools import partial

import numpy as np

from lessons.vectors.embeddings import Embeddings

from .encoding import EncodedCorpus, sentence_chunks
from .history import LossWatch, TrainingHistory
from .kernel_steps import hot_rows_in, merge_hot_rows
from .kernels import KERNELS
from .settings import Settings
from .tables import (
    CHUNK_WORDS,
    LOG_SIGMOID_TABLE,
    SIGMOID_TABLE,
    alias_table,
    packed_alias_table,
    chunk_seed,
    keep_thresholds,
    learning_rate_at,
)

__all__ = ["POLL_S", "HOT_ROWS", "HOT_MERGE_CHUNKS", "run_epochs", "room_for_hot_rows",
           "drive_epochs"]

POLL_S = 0.05  # seconds the calling thread waits at a time: the delay before a Ctrl-C lands
# With several workers, each thread trains its own copy of the input and output rows of
# this many most frequent words and merges it into the shared matrices at the end of
# every HOT_MERGE_CHUNKS-th chunk it trains and at the end of every epoch (every merge
# moves all those rows between the cores: merging more often cost more than it saved,
# benchmarks/results/scaling_experiments.md); 0 turns that off.  One worker never does.
HOT_ROWS = 1024
HOT_MERGE_CHUNKS = 2  # chunks a thread trains between two merges of its hot rows


def run_epochs(settings: Settings, corpus: EncodedCorpus, vectors: np.ndarray,
               context_vectors: np.ndarray) -> TrainingHistory:
    """Train for ``settings.epochs`` passes over ``corpus``, updating the vectors in place.

    Parameters
    ----------
    settings : Settings
    corpus : EncodedCorpus
    vectors, context_vectors : (V + extra, d) float32, the input and output vectors (the
        first V rows), updated in place; with several workers, :func:`room_for_hot_rows`
        adds the rows where each thread keeps its own copy of the hot rows (none with one
        worker)

    Returns
    -------
    TrainingHistory
        One entry per epoch; ``settings.on_epoch_end`` sees it grow.

    Raises
    ------
    lessons.models.word2vec.history.TrainingDiverged, ValueError, KeyboardInterrupt
        As :func:`drive_epochs`.
    """
    chunks = sentence_chunks(corpus.sentence_starts, CHUNK_WORDS)  # [(first, last) sentence]
    stop = np.zeros(1, dtype=np.uint8)  # set to 1: every kernel returns before its next word
    V = len(corpus.counts)
    n_hot = (len(context_vectors) - V) // settings.workers  # room_for_hot_rows made the room
    if len(vectors) != len(context_vectors):
        raise ValueError(f"vectors has {len(vectors):,} rows and context_vectors "
                         f"{len(context_vectors):,}: give both the same room_for_hot_rows")
    train_chunk, merge_hot = _chunk_trainer(settings, corpus, chunks, vectors, context_vectors,
                                            stop, n_hot)

    def after_epoch(epoch: int, history: TrainingHistory) -> None:
        if settings.on_epoch_end is not None:
            settings.on_epoch_end(epoch + 1, Embeddings(
                corpus.vocabulary.words, vectors[:V].copy(),
                context_vectors=context_vectors[:V].copy(), counts=corpus.counts,
                history=history))

    return drive_epochs(settings, corpus, chunks, train_chunk, stop,
                        (vectors, context_vectors), after_epoch, name=settings.model,
                        threads="word2vec", end_of_epoch=merge_hot)


def room_for_hot_rows(matrix: np.ndarray, workers: int) -> np.ndarray:
    """A weight ``matrix`` with room below it for each thread's own hot rows.

    Returns a ``(V + workers * n_hot, d)`` float32 matrix whose first ``V`` rows are
    ``matrix`` (``n_hot = min(HOT_ROWS, V)``), or ``matrix`` itself with one worker.
    Train it with :func:`run_epochs`; the model is its first ``V`` rows.
    """
    V = len(matrix)
    n_hot = min(HOT_ROWS, V) if workers > 1 else 0
    if n_hot == 0:
        return matrix
    out = np.zeros((V + workers * n_hot, matrix.shape[1]), dtype=np.float32)
    out[:V] = matrix
    return out


def drive_epochs(settings, corpus: EncodedCorpus, chunks, train_chunk, stop: np.ndarray,
                 weights, after_epoch=None, *, name: str, threads: str,
                 end_of_epoch=None) -> TrainingHistory:
    """Every chunk of every epoch through ``train_chunk``: the one loop of every trainer.

    word2vec's two models and fastText's subword model differ only in ``train_chunk``;
    the thread pool, the progress bar, the divergence watch, the history and the Ctrl-C
    handling are this function's.

    Parameters
    ----------
    settings : Settings (``epochs``, ``workers``, ``negative``, ``learning_rate``, ``progress``)
    corpus : EncodedCorpus
    chunks : list of (first, last) sentence ranges
    train_chunk : callable ``(epoch, c) -> (loss, examples, kept)``, run by the threads; its
        kernel returns early once ``stop[0]`` is set
    stop : (1,) uint8, the flag every kernel reads
    weights : tuple of arrays, checked for divergence after every epoch
    after_epoch : callable ``(epoch, history)`` or None, called after every epoch (0-based)
    name : str, the progress bar's label
    threads : str, the worker threads' name prefix
    end_of_epoch : callable ``()`` or None, called once every chunk of an epoch is done
        (no thread is training) and before the weights are checked: word2vec merges its
        threads' hot rows there

    Returns
    -------
    TrainingHistory

    Raises
    ------
    lessons.models.word2vec.history.TrainingDiverged
        (a ``ValueError``) If the loss per example or the weights blow up (as soon as
        it shows), or the run ends worse than it started; the message gives the epoch
        and a learning rate to try.
    ValueError
        If the whole run had no training example (the message says why).
    KeyboardInterrupt
        After a Ctrl-C, once every thread has stopped.
    """
    chunk_words = [int(corpus.sentence_starts[last] - corpus.sentence_starts[first])
                   for first, last in chunks]  # tokens per chunk, for the progress bar
    history = TrainingHistory()
    watch = LossWatch(settings.negative, settings.learning_rate)
    kept = 0  # tokens kept by subsampling, all epochs
    bar = _progress_bar(settings, corpus, name)
    pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix=threads)
    epoch = 0
    try:
        for epoch in range(settings.epochs):
            t0 = time.perf_counter()
            results = _run_chunks(pool, partial(train_chunk, epoch), chunk_words, bar,
                                  partial(watch.add_chunk, epoch))
            if end_of_epoch is not None:
                end_of_epoch()
            loss = math.fsum(r[0] for r in results)  # fixed order, whatever the threads did
            kept += sum(r[2] for r in results)
            history.record(loss=loss, examples=sum(r[1] for r in results),
                           words=corpus.words_per_epoch, elapsed_s=time.perf_counter() - t0,
                           learning_rate=learning_rate_at((epoch + 1) / settings.epochs,
                                                          settings.learning_rate,
                                                          settings.min_learning_rate))
            watch.check_weights(epoch, *weights)
            if after_epoch is not None:
                after_epoch(epoch, history)
    except KeyboardInterrupt:
        stop[0] = 1
        pool.shutdown(wait=True, cancel_futures=True)  # the running chunks return at once
        raise KeyboardInterrupt(f"training interrupted in epoch {epoch + 1} of "
                                f"{settings.epochs}; every worker thread has stopped") from None
    except BaseException:
        stop[0] = 1  # a diverged run, or an error in a thread or in after_epoch
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()
    if sum(history.examples) == 0:
        raise ValueError(_why_no_example(settings, corpus, kept))
    watch.check_end(history)
    return history


def _run_chunks(pool, train_chunk, chunk_words, bar, on_result):
    """``train_chunk(c)`` for every chunk ``c`` on ``pool``; returns the results in chunk order.

    ``on_result(loss, examples)`` sees every chunk's result in chunk order as soon as
    it is there (it may raise to stop the run); the bar moves with it.  The wait is cut
    into slices of ``POLL_S`` seconds so that a KeyboardInterrupt is raised here at once.
    """
    futures = [pool.submit(train_chunk, c) for c in range(len(chunk_words))]
    results = []
    for future, words in zip(futures, chunk_words):
        while not wait([future], timeout=POLL_S).done:
            pass
        result = future.result()  # raises the chunk's error, if any
        on_result(result[0], result[1])
        results.append(result)
        if bar is not None:
            bar.update(words)
    return results


def _chunk_trainer(settings, corpus, chunks, vectors, context_vectors, stop, n_hot=0):
    """``(train_chunk, merge_hot)``: the function ``train_chunk(epoch, c) -> (loss, examples,
    kept)`` the threads call, and the one that merges their hot rows (None without them).

    ``train_chunk`` runs the model's kernel on chunk ``c`` of ``epoch``, with the chunk's
    own random stream and its position in the corpus for the learning-rate schedule; the
    kernel returns early once ``stop[0]`` is set.  With ``n_hot > 0`` (several workers)
    the ``i``-th thread to train copies the input and output rows of the ``n_hot`` most
    frequent words into rows ``V + i n_hot ..`` of ``vectors`` and ``context_vectors``
    once, trains those copies, and merges them into the shared rows at the end of every
    :data:`HOT_MERGE_CHUNKS`-th chunk it trains (see
    :func:`~lessons.models.word2vec.kernel_steps.hot_row`), so that the threads do not
    fight over those rows' cache lines.  ``merge_hot()`` merges every thread's copies;
    the runner calls it at the end of each epoch, when no thread is training.
    """
    kernel = KERNELS[settings.model]
    keep = keep_thresholds(corpus.counts, settings.subsample)  # (V,) uint64
    noise_table = packed_alias_table(*alias_table(corpus.counts,
                                                  settings.noise_exponent))  # (V,) uint64
    starts = corpus.sentence_starts  # (S + 1,) int64
    words_per_epoch = corpus.words_per_epoch
    total_words = settings.epochs * words_per_epoch
    n_words = len(noise_table)  # V; context_vectors has n_hot rows more per thread
    scratch = threading.local()  # each thread's [offset, hot_base, hot_in_base, chunks]
    slots = itertools.count()  # the threads' numbers, in the order they first train
    threads = []  # every thread's scratch state, for merge_hot

    def train_chunk(epoch: int, c: int):
        first, last = chunks[c]
        words_before = epoch * words_per_epoch + int(starts[first])
        args = (vectors, context_vectors, corpus.tokens, starts, first, last,
                keep, noise_table, SIGMOID_TABLE, LOG_SIGMOID_TABLE,
                settings.window, settings.negative,
                np.uint64(chunk_seed(settings.seed, epoch, c)),
                settings.learning_rate, settings.min_learning_rate,
                words_before, total_words, stop)
        if n_hot == 0:
            return kernel(*args)
        own = getattr(scratch, "own", None)
        if own is None:  # this thread's first chunk: its copies of the hot rows
            offset = n_words + next(slots) * n_hot  # count() is atomic under the GIL
            hot_base, hot_in_base = np.empty((2, n_hot, context_vectors.shape[1]),
                                             dtype=np.float32)  # (n_hot, d) each
            hot_rows_in(context_vectors, (offset, n_hot, 0), hot_base)
            hot_rows_in(vectors, (offset, n_hot, 0), hot_in_base)
            own = scratch.own = [offset, hot_base, hot_in_base, 0]
            threads.append(own)
        own[3] += 1  # chunks trained since the last merge
        merge = own[3] >= HOT_MERGE_CHUNKS
        if merge:
            own[3] = 0
        return kernel(*args, (own[0], n_hot, int(merge)), own[1], own[2])

    def merge_hot():
        for own in threads:
            merge_hot_rows(context_vectors, (own[0], n_hot, 1), own[1])
            merge_hot_rows(vectors, (own[0], n_hot, 1), own[2])
            own[3] = 0

    return train_chunk, (merge_hot if n_hot else None)


def _progress_bar(settings, corpus, name):
    """A tqdm bar over all planned tokens, or None."""
    if not settings.progress:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=settings.epochs * corpus.words_per_epoch, unit="word", unit_scale=True,
                desc=name)


def _why_no_example(settings, corpus, kept) -> str:
    """The message for a run without a single (word, context) example: why, and what to do."""
    starts = corpus.sentence_starts
    longest = int(np.diff(starts).max())  # in-vocabulary tokens of the longest sentence
    n = corpus.words_per_epoch
    if longest < 2:
        return (f"the corpus yields no training example: no sentence holds two in-vocabulary "
                f"words ({n:,} tokens of {len(corpus.vocabulary):,} words kept by "
                f"min_count={settings.min_count}, in {len(starts) - 1:,} sentences), so no word "
                "has a context: lower min_count, or pass longer sentences")
    return (f"the corpus yields no training example: subsampling "
            f"(subsample={settings.subsample:g}) kept {kept:,} of the {settings.epochs * n:,} "
            f"tokens read in {settings.epochs} "
            f"epoch(s), never two in one sentence; the corpus ({n:,} tokens) is too small for "
            f"this threshold (it drops words more frequent than {settings.subsample:g}, here every "
            "word): use subsample=0 (no subsampling), a larger subsample, or a bigger corpus")
