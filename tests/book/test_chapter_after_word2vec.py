"""Tests for lessons.book.chapters.after_word2vec: the attention live panel, its weights and
neighbours recomputed here by hand for the sentence and word typed in."""
import numpy as np

from lessons.book.chapters import after_word2vec as chapter
from lessons.vectors.embeddings import Embeddings
from tests.book.panels import printed

WORDS = ["bank", "river", "money", "the", "water", "loan"]
VECTORS = np.array([[1.0, 1.0, 0.0], [0.0, 3.0, 0.0], [3.0, 0.0, 0.0], [0.0, 0.0, 0.5],
                    [0.2, 2.0, 0.1], [2.0, 0.1, 0.2]])


def by_hand(sentence, word):
    """The panel's text: softmax(X X^T / √d) weights of ``word`` and the nearest words by cosine."""
    emb = dict(zip(WORDS, VECTORS))
    tokens = sentence.split()
    X = np.stack([emb[t] for t in tokens])
    i = tokens.index(word)
    scores = X @ X[i] / np.sqrt(3)
    weights = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    lines = [f"'{word}' attends to: " + ", ".join(f"{t} {w:.2f}" for t, w in zip(tokens, weights))]
    for name, v in (("static", emb[word]), ("in context", weights @ X)):
        cos = {w: u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
               for w, u in emb.items() if w != word}
        lines.append(f"{name:>10}: " + ", ".join(sorted(cos, key=lambda w: -cos[w])))
    return "\n".join(lines) + "\n"


def test_attention_panel_recomputes_weights_and_neighbours_for_the_new_sentence_and_word():
    emb = Embeddings(WORDS, VECTORS)
    box = chapter.attention_panel(emb, sentence="the river bank", word="bank")
    assert repr(box) == "<live panel: One attention layer: the same word in different sentences>"
    assert printed(box) == by_hand("the river bank", "bank")
    assert "in context: water, river" in printed(box)

    box.controls["sentence"].value = "the money bank"
    assert printed(box) == by_hand("the money bank", "bank")
    assert "in context: loan, money" in printed(box)   # the same word, moved by its context

    box.controls["word"].value = "money"
    assert printed(box) == by_hand("the money bank", "money")

    box.controls["word"].value = "river"
    assert printed(box) == "'river' is not in the sentence\n"
    box.controls["sentence"].value = "the shore bank"
    assert printed(box) == "unknown words: ['shore']\n"
