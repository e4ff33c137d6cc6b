"""What a query returns: :class:`Neighbors`, and :class:`UnknownWordError` when a word is missing.

Used by :class:`lessons.vectors.embeddings.Embeddings` for every neighbour, analogy and
lookup query.
"""
from __future__ import annotations

__all__ = ["Neighbors", "UnknownWordError", "SUGGESTION_CANDIDATES"]

# Closest-spelling suggestions compare the unknown word with at most this many vocabulary words
# (the first ones, i.e. the most frequent when the vocabulary is sorted by frequency), so that a
# typo in a 3-million-word vocabulary still fails fast.
SUGGESTION_CANDIDATES = 50_000


class UnknownWordError(KeyError):
    """A word that is not in the vocabulary.

    A :class:`KeyError` (so ``except KeyError`` works) whose message names the word and, when
    cheap, suggests close spellings from the vocabulary.

    Attributes
    ----------
    word : str
        The word that was looked up.
    suggestions : list of str
        Close spellings found in the vocabulary (possibly empty).
    """

    def __init__(self, word, suggestions=()):
        self.word = word
        self.suggestions = list(suggestions)
        super().__init__(word)

    def __str__(self) -> str:
        message = f"{self.word!r} is not in the vocabulary"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        return message


class Neighbors(list):
    """A list of ``(word, score)`` tuples, best first, that prints compactly.

    It *is* a plain list of tuples (it compares equal to one, and ``neighbors[0][0]`` is the best
    word); only its printed form is rounded to 4 decimals, so that chapter outputs stay the same
    on machines whose floating-point sums differ in the last digits.
    """

    def __repr__(self) -> str:
        return "[" + ",\n ".join(f"({word!r}, {score:.4f})" for word, score in self) + "]"

    def _repr_pretty_(self, printer, cycle):  # IPython / Jupyter
        printer.text(repr(self))

    @property
    def words(self) -> list:
        """The words alone, best first."""
        return [word for word, _ in self]
