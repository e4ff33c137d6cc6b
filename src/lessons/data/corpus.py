"""Tokens, corpora and vocabularies.

Chapter: *One-hot vectors* (and every chapter that turns text into integer ids).

A *corpus* in this library is any of

* a list (or iterable) of sentences, each a list of string tokens;
* one long stream of tokens, e.g. text8 (a list of strings, or a single string
  that is split on whitespace).

:func:`iter_sentences` turns either form into sentences, and :class:`Vocabulary`
maps words to dense integer ids, most frequent first.

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

__all__ = ["tokenize", "iter_sentences", "Vocabulary", "article_corpus"]

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Split raw text into lowercase word tokens.

    Letters, digits and in-word apostrophes are kept; everything else separates
    tokens.  ``tokenize("The cat's mat!") == ["the", "cat's", "mat"]``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return _TOKEN.findall(text.lower())


def iter_sentences(corpus) -> Iterator[Sequence[str]]:
    """Yield the sentences of ``corpus`` as sequences of string tokens.

    Parameters
    ----------
    corpus : str, sequence of str, or iterable of sequences of str
        A single string is split on whitespace and treated as one token
        stream; a flat list of strings is one token stream (like text8);
        anything else is an iterable of sentences.
    """
    if isinstance(corpus, str):
        yield corpus.split()
        return
    if isinstance(corpus, np.ndarray) and corpus.dtype.kind in "US":
        yield corpus.tolist()
        return
    if isinstance(corpus, Sequence) and len(corpus) > 0 and isinstance(corpus[0], str):
        yield corpus
        return
    try:
        sentences = iter(corpus)
    except TypeError:
        raise TypeError(
            f"corpus must be a str, a list of str (one token stream) or an iterable of "
            f"sentences (lists of str), not {type(corpus).__name__}"
        ) from None
    for number, sentence in enumerate(sentences):
        if isinstance(sentence, str):
            raise TypeError(
                "corpus mixes strings and sentences: pass either one token stream "
                "(a list of str) or a list of sentences (lists of str)"
            )
        if not hasattr(sentence, "__iter__"):
            raise TypeError(
                f"corpus: sentence {number} is {sentence!r} ({type(sentence).__name__}); each "
                f"sentence must be a list of str tokens"
            )
        yield sentence


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
        corpus : see :func:`iter_sentences`
        min_count : int
            Words seen fewer times are dropped (word2vec's ``min_count``).
        max_size : int or None
            Keep at most this many of the most frequent words.
        order : {"frequency", "alphabetical", "first_seen"}
            Id order: most frequent first (word2vec's convention), sorted by
            spelling, or in order of first appearance (handy for small
            teaching tables that follow the text).
        """
        if not isinstance(min_count, (int, np.integer)) or min_count < 1:
            raise ValueError(f"min_count must be an integer >= 1, got {min_count!r}")
        if max_size is not None and (not isinstance(max_size, (int, np.integer)) or max_size < 1):
            raise ValueError(f"max_size must be None or an integer >= 1, got {max_size!r}")
        if order not in ("frequency", "alphabetical", "first_seen"):
            raise ValueError(f"order must be 'frequency', 'alphabetical' or 'first_seen', got {order!r}")
        counter: Counter[str] = Counter()
        for sentence in iter_sentences(corpus):
            try:
                counter.update(sentence)
            except TypeError:  # an unhashable token, e.g. a list inside a token stream
                bad = next((t for t in sentence if not isinstance(t, str)), None)
                shown = "an unhashable token" if bad is None else f"{bad!r} ({type(bad).__name__})"
                raise TypeError(f"corpus: tokens must be str, got {shown}; pass one token stream "
                                f"or a list of sentences of str") from None
        bad = next((w for w in counter if not isinstance(w, str)), None)
        if bad is not None or None in counter:
            raise TypeError(f"corpus: tokens must be str, got {bad!r} ({type(bad).__name__}); "
                            f"drop or convert it (e.g. str(token)) first")
        total = sum(counter.values())
        if total == 0:
            raise ValueError("corpus is empty: it holds no tokens")
        kept = sorted(
            ((w, c) for w, c in counter.items() if c >= min_count),
            key=lambda wc: (-wc[1], wc[0]),
        )
        if max_size is not None:
            kept = kept[:max_size]
        if not kept:
            raise ValueError(
                f"no word occurs at least min_count={min_count} times "
                f"(the most frequent occurs {max(counter.values())} times)"
            )
        if order == "alphabetical":
            kept.sort(key=lambda wc: wc[0])
        elif order == "first_seen":  # Counter keeps insertion order
            first = {w: i for i, w in enumerate(counter)}
            kept.sort(key=lambda wc: first[wc[0]])
        words = tuple(w for w, _ in kept)
        counts = np.array([c for _, c in kept], dtype=np.int64)
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
            if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
                raise TypeError(f"ids must be integers; ids[{position}] is {i!r} ({type(i).__name__})")
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
    except KeyError:
        raise ValueError(
            f"name must be one of {sorted(_ARTICLE_CORPORA)}, got {name!r}"
        ) from None
    return [s.split() for s in sentences]
