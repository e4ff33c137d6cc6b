"""The public trainer, in named steps: validate, encode, initialise, run the epochs.

The corpus comes either as Python token lists (``corpus``) or as a text file
(``corpus_file``, gensim's name), which is counted and encoded in compiled code
without building any Python string; both give the same vectors.
"""
from __future__ import annotations

import os
from typing import Callable

from lessons.data.corpus import Vocabulary
from lessons.vectors.embeddings import Embeddings

from .encoding import encode, encode_file
from .runner import room_for_hot_rows, run_epochs
from .settings import DEFAULTS, parameters_doc, validate
from .tables import initial_vectors

__all__ = ["train"]


def train(
    corpus=None,
    *,
    corpus_file: str | os.PathLike | None = None,
    # The settings: the same names and defaults as the fields of Settings, their one
    # declaration (tests/test_word2vec.py checks that the two agree).  Written out here
    # so that editors and static tools show them.
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
    """Train word2vec vectors with negative sampling (algorithm: :mod:`lessons.models.word2vec`).

    Parameters
    ----------
    corpus : list of token lists, iterable of token lists, or one token stream
        (a list of str such as text8).  A one-shot iterator is read into memory.
        Give either ``corpus`` or ``corpus_file``.
    corpus_file : str or os.PathLike or None
        A UTF-8 text file (``.gz`` is decompressed on the fly): text8 format (one line
        of words) or one sentence per line; words are separated by ASCII whitespace and
        a sentence ends at each newline.  Counted and encoded in compiled code, with no
        Python string per token, into int32 ids (memory-mapped in the cache folder when
        they would not fit in memory).  Same vocabulary and, at ``workers=1``, the same
        vectors as ``corpus=[line.split() for line in file]``
        (:mod:`lessons.data.corpus_file`).
<settings: the fields of Settings, by parameters_doc()>

    Returns
    -------
    lessons.vectors.embeddings.Embeddings
        ``vectors`` (input) and ``context_vectors`` (output), ``(V, dim) float32``,
        ``counts`` and ``history`` (a :class:`TrainingHistory`).

    Raises
    ------
    ValueError
        For a bad argument (the message names it; a wrong type raises
        :class:`~.settings.ArgumentTypeError`, also a ``TypeError``), an empty corpus,
        a non-str token (its sentence and position), a vocabulary too big for memory,
        a corpus that yields no training example (why: min_count or subsampling), or
        training that diverged (:class:`~.history.TrainingDiverged`: the loss per
        example or the weights blew up; the message gives the epoch and a learning
        rate to try); for ``corpus_file``, an empty file, one with no word in
        the vocabulary, or one that is not UTF-8 (the message names the file).
    KeyboardInterrupt
        On Ctrl-C (or a notebook's stop button), once every worker thread has stopped.
    FileNotFoundError
        If ``corpus_file`` does not exist.
    """
    settings = validate(**{name: value for name, value in locals().items() if name in DEFAULTS})
    if (corpus is None) == (corpus_file is None):
        raise ValueError("give exactly one of corpus (token lists) and corpus_file (a path), "
                         f"got {'both' if corpus_file is not None else 'neither'}")
    if corpus_file is not None:  # vocabulary, (n,) int32 tokens, sentence starts
        encoded = encode_file(corpus_file, settings)
    else:
        encoded = encode(corpus, settings)
    vectors, context_vectors = initial_vectors(len(encoded.vocabulary), settings.dim,
                                               settings.seed)  # (V, d) float32 each
    V = len(encoded.vocabulary)  # with several workers, room for each thread's hot rows:
    vectors = room_for_hot_rows(vectors, settings.workers)  # (itself with one worker)
    context_vectors = room_for_hot_rows(context_vectors, settings.workers)
    history = run_epochs(settings, encoded, vectors, context_vectors)
    return Embeddings(encoded.vocabulary.words, vectors[:V],
                      context_vectors=context_vectors[:V], counts=encoded.counts,
                      history=history)


# The parameters' docs come from the one declaration, Settings.
train.__doc__ = train.__doc__.replace(
    "<settings: the fields of Settings, by parameters_doc()>", parameters_doc())
