"""The public trainer, in named steps: validate, encode, list the subwords, initialise, run.

The steps reuse the word2vec trainer's pieces (:mod:`lessons.models.word2vec`): its
argument checks, corpus encoding and chunks, random streams, subsampling and alias
tables, learning-rate schedule and thread pool; only the kernel and the input matrix
are fastText's.
"""
from __future__ import annotations

import numpy as np

from lessons import checks
from lessons.models.word2vec.encoding import encode, sentence_chunks
from lessons.models.word2vec.runner import drive_epochs
from lessons.models.word2vec.settings import validate
from lessons.models.word2vec.tables import (CHUNK_WORDS, LOG_SIGMOID_TABLE, SIGMOID_TABLE,
                                            alias_table, chunk_seed, keep_thresholds,
                                            packed_alias_table)

from .kernel import subword_skipgram_chunk
from .model import SubwordModel
from .ngrams import check_lengths, subword_table

__all__ = ["DEFAULT_BUCKETS", "train_fasttext", "self_overlap", "initial_input_vectors"]

DEFAULT_BUCKETS = 2_000_000  # fastText's -bucket


def train_fasttext(
    corpus,
    *,
    dim: int = 100,
    window: int = 5,
    negative: int = 5,
    noise_exponent: float = 0.75,
    subsample: float = 1e-4,
    min_count: int = 5,
    max_vocab: int | None = None,
    min_n: int = 3,
    max_n: int = 6,
    buckets: int = DEFAULT_BUCKETS,
    epochs: int = 5,
    learning_rate: float = 0.05,
    min_learning_rate: float | None = None,
    workers: int = 1,
    seed: int = 0,
    progress: bool = False,
    vocabulary=None,
) -> SubwordModel:
    """Train fastText's subword skip-gram with negative sampling (:mod:`lessons.models.fasttext`).

    Parameters
    ----------
    corpus : list of token lists, iterable of token lists, or one token stream (text8)
    dim, window, negative, noise_exponent, subsample, min_count, max_vocab, epochs,
    workers, seed, progress, vocabulary
        As in :func:`lessons.models.word2vec.train`.  The defaults are fastText's
        (``subsample=1e-4``, ``epochs=5``), except ``noise_exponent=0.75``: fastText
        draws noise words from ``count ** 0.5``; we keep word2vec's ``0.75`` so that the
        subword and the word-only model differ in one thing only.
    min_n, max_n : int
        n-gram lengths, characters of ``"<word>"``; ``max_n=0`` trains a word-only model
        (every word is its own row), fastText's ``-maxn 0``.
    buckets : int
        Rows of the n-gram table (fastText: 2,000,000; memory ``buckets * dim * 4`` bytes).
    learning_rate : float
        Starting rate, fastText's default 0.05 (decays linearly to ``min_learning_rate``,
        by default ``learning_rate * 1e-4``).

    Returns
    -------
    SubwordModel
        ``input_vectors`` ``(V + buckets, dim) float32``, ``context_vectors`` ``(V, dim)``,
        and ``embeddings``, the composed vectors of the vocabulary words with ``counts``
        and ``history``.

    Raises
    ------
    ValueError
        For a bad argument (the message names it), an empty corpus, a model too big for
        memory, or a corpus with no training example;
        :class:`~lessons.models.word2vec.history.TrainingDiverged` (a ``ValueError``) for
        training that diverged (it says when, and which learning rate to try).
    KeyboardInterrupt
        On Ctrl-C (or a notebook's stop button), once every worker thread has stopped.
    """
    settings = validate(model="skipgram", dim=dim, window=window, negative=negative,
                        noise_exponent=noise_exponent, subsample=subsample, min_count=min_count,
                        max_vocab=max_vocab, epochs=epochs, learning_rate=learning_rate,
                        min_learning_rate=min_learning_rate, workers=workers, seed=seed,
                        progress=progress, vocabulary=vocabulary, on_epoch_end=None)
    check_lengths(min_n, max_n)
    buckets = checks.integer("buckets", buckets, 1)
    n_buckets = 0 if max_n == 0 else buckets
    encoded = encode(corpus, settings)  # vocabulary, (n,) int32 tokens, sentence starts
    words = encoded.vocabulary.words
    checks.memory((2 * len(words) + n_buckets) * settings.dim * 4,  # (2 V + buckets, d) float32
                  f"{len(words):,} words + {n_buckets:,} buckets x dim={settings.dim}",
                  "lower buckets or dim, or raise min_count")
    if n_buckets:
        starts, rows = subword_table(words, min_n, max_n, n_buckets)  # (V + 1,), (R,)
    else:
        starts, rows = np.arange(len(words) + 1, dtype=np.int64), np.arange(len(words),
                                                                              dtype=np.int32)
    input_vectors = initial_input_vectors(len(words) + n_buckets, settings.dim, settings.seed)
    context_vectors = np.zeros((len(words), settings.dim), dtype=np.float32)  # (V, d)
    history = _run_epochs(settings, encoded, starts, rows, input_vectors, context_vectors)
    return SubwordModel(words, input_vectors, context_vectors=context_vectors, min_n=min_n,
                        max_n=max_n, counts=encoded.counts, history=history)


def initial_input_vectors(n_rows: int, dim: int, seed: int) -> np.ndarray:
    """word2vec.c's initialisation of the input rows, uniform in ``[-0.5, 0.5) / dim``.

    The same numbers as :func:`lessons.models.word2vec.initial_vectors` (fastText draws
    from ``[-1, 1) / dim``); the output vectors start at zero.

    Returns
    -------
    (n_rows, dim) float32
    """
    n_rows = checks.integer("n_rows", n_rows, 0)
    dim = checks.integer("dim", dim, 1)
    rng = checks.random_state("seed", seed)
    return (rng.random((n_rows, dim), dtype=np.float32) - np.float32(0.5)) / np.float32(dim)


def self_overlap(starts: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """How far a word's mean row moves when the same step is added to each listed row.

    ``sum_r count(r)^2 / n`` over the distinct rows ``r`` of the word's ``n`` listed
    rows: 1.0 when they are distinct, more when two n-grams share a bucket.

    Returns
    -------
    (V,) float32
    """
    rows = checks.array("rows", rows, ndim=1, dtype=None, what="an (n,) array of rows")
    starts = checks.array("starts", starts, ndim=1, dtype=None, min_rows=1,
                          what="a (V + 1,) array of offsets")
    if (starts.dtype.kind not in "iu" or starts[0] != 0 or starts[-1] != len(rows)
            or np.any(np.diff(starts) < 0)):
        raise ValueError(f"starts must be integer offsets rising from 0 to len(rows) = "
                         f"{len(rows)}, got {starts if len(starts) <= 8 else starts[:8]}")
    out = np.ones(len(starts) - 1, dtype=np.float32)
    for i in range(len(starts) - 1):
        listed = rows[starts[i]:starts[i + 1]]
        _, counts = np.unique(listed, return_counts=True)
        if len(counts) < len(listed):
            out[i] = np.float32((counts.astype(np.float64) ** 2).sum() / len(listed))
    return out


def _run_epochs(settings, corpus, starts, rows, input_vectors, context_vectors):
    """Every chunk of every epoch through the subword kernel, by word2vec's driver
    (:func:`lessons.models.word2vec.runner.drive_epochs`: threads, progress bar,
    divergence watch, Ctrl-C)."""
    chunks = sentence_chunks(corpus.sentence_starts, CHUNK_WORDS)  # [(first, last) sentence]
    keep = keep_thresholds(corpus.counts, settings.subsample)  # (V,) uint64
    noise_table = packed_alias_table(*alias_table(corpus.counts,
                                                  settings.noise_exponent))  # (V,) uint64
    overlap = self_overlap(starts, rows)  # (V,) float32
    sentence_starts = corpus.sentence_starts
    per_epoch = corpus.words_per_epoch
    total_words = settings.epochs * per_epoch
    stop = np.zeros(1, dtype=np.uint8)  # set to 1: the kernel returns before its next word

    def train_chunk(epoch, c):
        first, last = chunks[c]
        return subword_skipgram_chunk(
            input_vectors, context_vectors, starts, rows, overlap, corpus.tokens, sentence_starts,
            first, last, keep, noise_table, SIGMOID_TABLE, LOG_SIGMOID_TABLE,
            settings.window, settings.negative, np.uint64(chunk_seed(settings.seed, epoch, c)),
            settings.learning_rate, settings.min_learning_rate,
            epoch * per_epoch + int(sentence_starts[first]), total_words, stop)

    return drive_epochs(settings, corpus, chunks, train_chunk, stop,
                        (input_vectors, context_vectors), name="fasttext", threads="fasttext")
