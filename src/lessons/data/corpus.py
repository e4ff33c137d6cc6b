"""Tokens, corpora and vocabularies.

Chapter: *One-hot vectors* (and every chapter that turns text into integer ids).

A *corpus* in this library is any of

* a list (or iterable) of sentences, each a list of string tokens;
* one long stream of tokens, e.g. text8 (a list of strings, or a single string
  that is split on whitespace).

:func:`iter_sentences` turns either form into sentences; :func:`check_corpus` is the
one check of a corpus (its form, every token a str), done once on the way to training
(it returns a :class:`Corpus`, which is not checked again).  :class:`Vocabulary` maps
words to dense integer ids, most frequent first; :func:`choose_words` is the one rule
that picks them from counts (also for a corpus file).

References
----------
* T. Mikolov et al., "Efficient Estimation of Word Representations in Vector
  Space", 2013 (vocabulary with ``min_count``).
* The article's example corpora are reproduced by :func:`article_corpus`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import numpy as np

from lessons import checks
from lessons.checks import ArgumentTypeError, describe

__all__ = ["tokenize", "iter_sentences", "check_corpus", "Corpus", "choose_words", "Vocabulary",
           "article_corpus"]

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Split raw text into lowercase word tokens.

    Letters, digits and in-word apostrophes are kept; everything else separates
    tokens.  ``tokenize("The cat's mat!") == ["the", "cat's", "mat"]``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return _TOKEN.findall(text.lower())


_FORMS = ("a list of sentences (lists of str tokens) or one token stream (a list of str, "
          "like text8)")
_STREAM_PIECE = 1 << 16  # tokens joined at a time when checking a token stream


class Corpus(list):
    """A checked corpus: a list of sentences, each a sized sequence of str tokens.

    Made by :func:`check_corpus`; every function that takes a corpus accepts it as it is
    (a token stream is one sentence here), and :func:`check_corpus` returns it unchanged,
    so a corpus is checked once on its way through the trainer.
    """


def _is_token_stream(corpus) -> bool:
    """Whether ``corpus`` is one token stream (a str, a 1-D str array, a sequence of str)."""
    if isinstance(corpus, str):
        return True
    if isinstance(corpus, np.ndarray):
        if corpus.dtype.kind in "US" and corpus.ndim != 1:
            raise ValueError(f"corpus is a {corpus.ndim}-D array of strings: pass one token "
                             "stream as a 1-D array, or sentences as a list of 1-D arrays")
        return corpus.dtype.kind in "US"
    return isinstance(corpus, Sequence) and len(corpus) > 0 and isinstance(corpus[0], str)


def iter_sentences(corpus) -> Iterator[Sequence[str]]:
    """Yield the sentences of ``corpus`` (not their tokens: see :func:`check_corpus`).

    Parameters
    ----------
    corpus : str, sequence of str, or iterable of sequences of str
        A single string is split on whitespace and treated as one token
        stream; a flat list of strings (or a 1-D str array) is one token stream
        (like text8); anything else is an iterable of sentences.

    Raises
    ------
    ArgumentTypeError (a TypeError and a ValueError)
        If ``corpus`` is not iterable, or a sentence is a str, bytes, or not iterable.
    """
    if _is_token_stream(corpus):
        yield corpus.split() if isinstance(corpus, str) else (
            corpus.tolist() if isinstance(corpus, np.ndarray) else corpus)
        return
    try:
        sentences = iter(corpus)
    except TypeError:
        raise ArgumentTypeError(f"corpus must be {_FORMS}, got {describe(corpus)}") from None
    for s, sentence in enumerate(sentences):
        if isinstance(sentence, str):
            raise ArgumentTypeError(
                f"corpus mixes strings and sentences: sentence {s} is the str "
                f"{describe(sentence)}; pass {_FORMS}, not a mix")
        if isinstance(sentence, (bytes, bytearray)):
            raise ArgumentTypeError(f"corpus sentence {s} is {describe(sentence)}: decode it and "
                                    "split it into str tokens")
        if not hasattr(sentence, "__iter__"):
            raise ArgumentTypeError(
                f"corpus sentence {s} is {describe(sentence)}, not a sentence: every sentence "
                "must be a list (or other iterable) of str tokens")
        yield sentence


def check_corpus(corpus) -> Corpus:
    """The one check of a corpus: its form, every token a str, at least one token.

    A one-shot iterator (of sentences, or of one sentence's tokens) is read into a list,
    so the result can be read twice (counted, then encoded).  The token types are
    checked with ``str.join``, which tests every item in C; only when it fails are the
    tokens walked in Python to say where the bad one is.

    Parameters
    ----------
    corpus : see :func:`iter_sentences` (or a :class:`Corpus`, returned as it is)

    Returns
    -------
    Corpus, the sentences (a token stream is one sentence).

    Raises
    ------
    ValueError
        ``corpus`` holds no token; :class:`~lessons.checks.ArgumentTypeError` (also a
        ``TypeError``) when ``corpus`` or a sentence is not iterable or a token is not a
        str (the message gives the sentence and the position).
    """
    if isinstance(corpus, Corpus):
        return corpus
    try:
        if iter(corpus) is corpus:  # a one-shot iterator (a generator, a file): read it once
            corpus = list(corpus)
    except TypeError:
        raise ArgumentTypeError(f"corpus must be {_FORMS}, got {describe(corpus)}") from None
    checked = Corpus()
    if _is_token_stream(corpus):
        (tokens,) = iter_sentences(corpus)
        for start in range(0, len(tokens), _STREAM_PIECE):
            _require_str_tokens(tokens[start:start + _STREAM_PIECE], "corpus (one token stream)",
                                start)
        checked.append(tokens)
    else:
        for s, sentence in enumerate(iter_sentences(corpus)):
            if iter(sentence) is sentence or not hasattr(sentence, "__len__"):
                sentence = list(sentence)  # a generator of tokens
            _require_str_tokens(sentence, f"corpus sentence {s}", 0)
            checked.append(sentence)
    if not any(len(sentence) for sentence in checked):
        raise ValueError(f"corpus is empty: it holds no tokens; pass {_FORMS}")
    return checked


def _require_str_tokens(tokens, where: str, offset: int) -> None:
    """Raise, naming ``where`` and the position, if an item of ``tokens`` is not a str."""
    try:
        "".join(tokens)  # checks every item is a str, in C
        return
    except TypeError:
        pass
    for p, token in enumerate(tokens):
        if not isinstance(token, str):
            raise ArgumentTypeError(
                f"{where}, position {offset + p} holds {describe(token)}, not a str token: "
                "every token must be a str (drop or convert the others)")


def choose_words(counts: np.ndarray, spellings, *, min_count: int,
                 max_size: int | None) -> np.ndarray:
    """The vocabulary's choice, for every way of counting: which distinct words, in id order.

    Words seen at least ``min_count`` times, most frequent first, ties broken by
    spelling, the first ``max_size`` of them (``Vocabulary``'s order; the corpus file
    path uses it too).

    Parameters
    ----------
    counts : (U,) int64, the count of every distinct word
    spellings : callable ``(k,) indices -> (k,) array`` of the words' spellings (str or
        bytes, compared as Python compares them), for the candidates only
    min_count : int; max_size : int or None

    Returns
    -------
    (V,) int64, indices into ``counts``.

    Raises
    ------
    ValueError
        If no word occurs ``min_count`` times.
    """
    counts = checks.array("counts", counts, ndim=1, dtype=None, min_rows=1, minimum=0,
                          what="a 1-d array of counts")
    if counts.dtype.kind not in "iu":
        raise checks.ArgumentTypeError(f"counts must be integers, got dtype {counts.dtype}")
    min_count = checks.integer("min_count", min_count, 1)
    if max_size is not None:
        max_size = checks.integer("max_size", max_size, 1)
    candidates = np.flatnonzero(counts >= min_count)
    if len(candidates) == 0:
        raise ValueError(f"no word occurs at least min_count={min_count} times (the most "
                         f"frequent occurs {int(counts.max())} times)")
    return candidates[np.lexsort((spellings(candidates), -counts[candidates]))][:max_size]


@dataclass(frozen=True)
class Vocabulary:
    """Words and their counts, with ids ordered by decreasing frequency.

    Ties in frequency are broken alphabetically, so the ids depend only on the
    corpus, never on hash order.  Build one with :meth:`from_corpus`.

    Attributes
    ----------
    words : tuple of str, length V
        ``words[i]`` is the word with id ``i``.
    counts : (V,) int64
        Corpus frequency of each word.
    total_words : int
        Number of tokens in the corpus, including the ones dropped by
        ``min_count`` / ``max_size``.
    """

    words: tuple[str, ...]
    counts: np.ndarray
    total_words: int
    index: dict[str, int] = field(repr=False, compare=False, default=None)

    def __post_init__(self):
        if len(self.words) != len(self.counts):
            raise ValueError(
                f"words ({len(self.words)}) and counts ({len(self.counts)}) differ in length"
            )
        # every word of a vocabulary was seen: a count below 1 (or NaN) would divide by zero
        # in subsampling and the noise distribution of the trainers
        counts = checks.array("counts", self.counts, ndim=1, dtype=None, what="a 1-d array")
        if counts.dtype.kind not in "iu" or (counts.size and counts.min() < 1):
            bad = next((i for i, c in enumerate(counts.tolist())
                        if not (float(c).is_integer() and c >= 1)), None)
            if bad is None:
                raise checks.ArgumentTypeError(f"counts must be an array of integers, got "
                                               f"dtype {counts.dtype}")
            raise ValueError(f"counts must be integers >= 1 (every word of a vocabulary was "
                             f"seen); counts[{bad}] ({self.words[bad]!r}) is {counts[bad]}")
        checks.integer("total_words", self.total_words, int(counts.sum()),
                       why_low=" (the sum of counts: the tokens counted)")
        if self.index is None:
            object.__setattr__(self, "index", {w: i for i, w in enumerate(self.words)})
        if len(self.index) != len(self.words):
            raise ValueError("words must be unique")

    @classmethod
    def from_corpus(
        cls,
        corpus,
        *,
        min_count: int = 1,
        max_size: int | None = None,
        order: str = "frequency",
    ) -> "Vocabulary":
        """Count the words of ``corpus`` and keep the frequent ones.

        Parameters
        ----------
        corpus : see :func:`iter_sentences` (checked by :func:`check_corpus`)
        min_count : int
            Words seen fewer times are dropped (word2vec's ``min_count``).
        max_size : int or None
            Keep at most this many of the most frequent words.
        order : {"frequency", "alphabetical", "first_seen"}
            Id order: most frequent first (word2vec's convention), sorted by
            spelling, or in order of first appearance (handy for small
            teaching tables that follow the text).
        """
        min_count = checks.integer("min_count", min_count, 1)
        if max_size is not None:
            max_size = checks.integer("max_size", max_size, 1)
        checks.choice("order", order, ("frequency", "alphabetical", "first_seen"))
        counter: Counter[str] = Counter()
        for sentence in check_corpus(corpus):
            counter.update(sentence)
        words = np.array(list(counter), dtype=object)  # (U,) in order of first appearance
        seen = np.fromiter(counter.values(), dtype=np.int64, count=len(counter))  # (U,)
        kept = choose_words(seen, words.__getitem__, min_count=min_count, max_size=max_size)
        if order == "alphabetical":
            kept = kept[np.argsort(words[kept], kind="stable")]
        elif order == "first_seen":
            kept = np.sort(kept)
        words = tuple(words[kept].tolist())
        counts = seen[kept]
        total = int(seen.sum())
        return cls(words=words, counts=counts, total_words=total)

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> int:
        try:
            return self.index[word]
        except KeyError:
            raise KeyError(f"word {word!r} is not in the vocabulary") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def encode(self, tokens: Iterable[str], *, unknown: str = "skip") -> np.ndarray:
        """Map tokens to ids, returning an ``(n,) int32`` array.

        ``unknown="skip"`` drops out-of-vocabulary tokens (word2vec's
        behaviour); ``unknown="error"`` raises a ``KeyError`` naming the first.
        """
        if unknown not in ("skip", "error"):
            raise ValueError(f"unknown must be 'skip' or 'error', got {unknown!r}")
        index = self.index
        if unknown == "error":
            return np.array([self[t] for t in tokens], dtype=np.int32)
        get = index.get
        ids = [i for i in map(get, tokens) if i is not None]
        return np.array(ids, dtype=np.int32)

    def encode_corpus(self, corpus) -> list[np.ndarray]:
        """Encode every sentence of ``corpus``; empty sentences are dropped."""
        out = []
        for sentence in iter_sentences(corpus):
            ids = self.encode(sentence)
            if ids.size:
                out.append(ids)
        return out

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Map ids (integers in ``[0, V)``) back to words.

        A negative or too large id is a ``ValueError`` (Python's negative indexing would
        otherwise return a word from the end); a non-integer a ``TypeError``.
        """
        try:
            ids = list(ids)
        except TypeError:
            raise TypeError(f"ids must be an iterable of integer ids, got {ids!r}") from None
        words = self.words
        out = []
        for position, i in enumerate(ids):
            checks.integer(f"ids[{position}]", i)
            if not 0 <= i < len(words):
                raise ValueError(f"ids must lie in [0, {len(words)}); ids[{position}] is {i}")
            out.append(words[i])
        return out


# The small corpora the article uses, so that chapters can quote them exactly.
_ARTICLE_CORPORA = {
    # "Dead End #1": the co-occurrence example.
    "cooccurrence": (
        "the cat sat on the mat",
        "the dog sat on the mat",
        "the king and the queen",
        "the man and the woman",
    ),
    # "A Complete Mini Training Loop": the seven sentences.
    "training": (
        "the cat sat on the mat",
        "the dog sat on the rug",
        "a cat chased a dog",
        "the dog chased the cat",
        "a king ruled the land",
        "a queen ruled the land",
        "the king and queen sat",
    ),
    # The one-hot example's ten-word vocabulary (one "sentence" of ten words).
    "onehot": ("the cat sat on mat dog king queen woman man",),
}


def article_corpus(name: str) -> list[list[str]]:
    """Return one of the article's example corpora as a fresh list of sentences.

    Parameters
    ----------
    name : {"cooccurrence", "training", "onehot"}
    """
    try:
        sentences = _ARTICLE_CORPORA[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"name must be one of {sorted(_ARTICLE_CORPORA)}, got {name!r}"
        ) from None
    return [s.split() for s in sentences]
