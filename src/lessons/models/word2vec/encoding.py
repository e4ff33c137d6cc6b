"""Corpus encoding: from sentences of str tokens to the int32 arrays the kernels read.

Step 1 of the algorithm (vocabulary, then ids), plus the cut of the token stream into
the chunks of work that the threads take in turn.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lessons import checks
from lessons.data.corpus import Vocabulary, check_corpus
from lessons.data.corpus_file import scan_corpus_file

from .settings import Settings
from .tables import MAX_SENTENCE_LENGTH

__all__ = ["EncodedCorpus", "encode", "encode_file", "prepare_corpus", "sentence_chunks"]


@dataclass(frozen=True)
class EncodedCorpus:
    """A corpus as the kernels see it.

    Attributes
    ----------
    vocabulary : lessons.data.corpus.Vocabulary
    tokens : (n,) int32, every id in ``[0, V)``
    sentence_starts : (S + 1,) int64, sentence ``s`` is ``tokens[starts[s]:starts[s+1]]``
    counts : (V,) int64, corpus count of every word
    """

    vocabulary: Vocabulary
    tokens: np.ndarray
    sentence_starts: np.ndarray
    counts: np.ndarray

    @property
    def words_per_epoch(self) -> int:
        """``N``, the in-vocabulary tokens read in one epoch (before subsampling)."""
        return int(len(self.tokens))


def encode(corpus, settings: Settings) -> EncodedCorpus:
    """Check the corpus, build (or reuse) the vocabulary, check the model fits, encode it.

    Raises
    ------
    ValueError
        For an empty corpus, non-str tokens (:func:`lessons.data.corpus.check_corpus`),
        no word reaching ``min_count``, or a vocabulary too big for memory.
    """
    corpus = check_corpus(corpus)  # the one check; what follows trusts it
    vocabulary = settings.vocabulary
    if vocabulary is None:
        try:
            vocabulary = Vocabulary.from_corpus(corpus, min_count=settings.min_count,
                                                max_size=settings.max_vocab)
        except ValueError as err:  # no word reaches min_count
            raise ValueError(f"corpus: {err}: lower min_count, or pass a bigger corpus") from None
    _fits_in_memory(len(vocabulary), settings.dim)  # before the (long) encoding pass
    tokens, sentence_starts = prepare_corpus(corpus, vocabulary)
    if tokens.min() < 0 or tokens.max() >= len(vocabulary):  # the kernels trust this
        raise ValueError("vocabulary encoded a token outside 0..V-1")
    return EncodedCorpus(vocabulary, tokens, sentence_starts,
                         np.asarray(vocabulary.counts, dtype=np.int64))


def encode_file(path, settings: Settings) -> EncodedCorpus:
    """Step 1 for a corpus file: count, choose the vocabulary and encode, in compiled code.

    The same vocabulary, ids and sentence cuts as :func:`encode` on the file's lines
    (:func:`lessons.data.corpus_file.scan_corpus_file`); the ids stay in memory while
    they take at most half of the available memory, else they are memory-mapped.

    Raises
    ------
    FileNotFoundError, ValueError
        Naming the file: missing, empty, not UTF-8, or no word in the vocabulary.
    """
    scanned = scan_corpus_file(path, min_count=settings.min_count, max_size=settings.max_vocab,
                               vocabulary=settings.vocabulary,
                               max_sentence_length=MAX_SENTENCE_LENGTH,
                               progress=settings.progress,
                               memory_limit=checks.available_memory_bytes() // 2,
                               workers=settings.workers)
    vocabulary = scanned.vocabulary
    _fits_in_memory(len(vocabulary), settings.dim)
    return EncodedCorpus(vocabulary, scanned.tokens, scanned.sentence_starts,
                         np.asarray(vocabulary.counts, dtype=np.int64))


def prepare_corpus(corpus, vocabulary: Vocabulary,
                   max_sentence_length: int = MAX_SENTENCE_LENGTH) -> tuple[np.ndarray, np.ndarray]:
    """Encode ``corpus`` (checked by :func:`~lessons.data.corpus.check_corpus`) as int32 ids.

    Out-of-vocabulary tokens are dropped; sentences are cut into consecutive pieces of
    at most ``max_sentence_length`` tokens (nothing is lost: text8, one
    17-million-token sentence, becomes about 1,700 pieces); empty sentences are dropped.

    Returns
    -------
    tokens : (n,) int32
    sentence_starts : (S + 1,) int64, sentence ``s`` is ``tokens[starts[s]:starts[s+1]]``
    """
    pieces = []
    lengths = []
    for sentence in check_corpus(corpus):
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


def sentence_chunks(sentence_starts: np.ndarray, chunk_words: int) -> list[tuple[int, int]]:
    """Group consecutive sentences into chunks of about ``chunk_words`` tokens.

    A chunk is the unit of work of one kernel call; it ends at the first sentence
    boundary at or after ``chunk_words`` tokens (sentences are never split).

    Returns
    -------
    list of ``(first, last)``: the chunk holds sentences ``first..last-1``.
    """
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


def _fits_in_memory(vocab_size: int, dim: int) -> None:
    """Refuse a model whose two ``(V, dim) float32`` matrices would not fit in memory."""
    checks.memory(2 * vocab_size * dim * 4,
                  f"vocabulary of {vocab_size:,} words x dim={dim} (the two weight matrices)",
                  "lower dim or max_vocab, or raise min_count")
