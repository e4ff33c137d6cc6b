"""Live panel of the chapter *What came after word2vec*.

* :func:`attention_panel` -- type a sentence and a word: the weights with which the
  word reads every token in one self-attention layer
  (:func:`lessons.models.attention.contextual_vectors`), and the nearest words of its
  static vector and of its contextual one (running notebook).
"""
from __future__ import annotations

import ipywidgets as widgets

from lessons.book.widgets import panel
from lessons.models.attention import contextual_vectors
from lessons.vectors.embeddings import Embeddings

__all__ = ["expected_ngram_count", "attention_panel"]


def attention_panel(embeddings: Embeddings, *, sentence: str = "the river bank was muddy",
                    word: str = "bank", temperature: float | None = None):
    """Live panel: type a sentence; see the attention weights of ``word`` and where it moves.

    Prints the weights with which ``word`` reads every token, and the nearest words of
    its static vector and of its contextual (mixed) vector.
    """
    def update(sentence, word):
        tokens = sentence.lower().split()
        unknown = [t for t in tokens if t not in embeddings]
        if unknown or word not in tokens:
            print(f"unknown words: {unknown}" if unknown else f"{word!r} is not in the sentence")
            return
        output, weights = contextual_vectors(embeddings, tokens, temperature=temperature)
        i = tokens.index(word)
        print(f"'{word}' attends to: "
              + ", ".join(f"{t} {w:.2f}" for t, w in zip(tokens, weights[i])))
        for name, vector in (("static", embeddings[word]), ("in context", output[i])):
            near = embeddings.nearest(vector, topn=6, exclude=[word])
            print(f"{name:>10}: " + ", ".join(w for w, _ in near))

    controls = {"sentence": widgets.Text(value=sentence, description="sentence",
                                         layout=widgets.Layout(width="420px")),
                "word": widgets.Text(value=word, description="word")}
    return panel(update, controls,
                 title="One attention layer: the same word in different sentences")


# The answer to the chapter's self-check exercise (kept out of the reader's cell).
def expected_ngram_count(word: str) -> int:
    """Answer to the self-check: how many character 3- to 6-grams fastText takes from ``word``."""
    from lessons.models import fasttext

    return len(fasttext.char_ngrams(word, 3, 6))
