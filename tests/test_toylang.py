"""The planted toy language: deterministic, well formed, and its analogies are learnable."""
import numpy as np
import pytest

from lessons.data.toylang import (TOPIC_WORDS, TOY_TRAINING, planted_analogies, planted_relations,
                             toy_sentences, word_family)
from lessons.models.word2vec import train
from tests.references import analogy_accuracy


def test_deterministic_from_seed():
    assert toy_sentences(50, seed=3) == toy_sentences(50, seed=3)
    assert toy_sentences(50, seed=3) != toy_sentences(50, seed=4)
    assert len(toy_sentences(123)) == 123


def test_sentences_have_one_topic_word_and_its_cues():
    for sentence in toy_sentences(200, seed=0):
        topics = [w for w in sentence if w in TOPIC_WORDS]
        assert len(topics) == 1
        assert 3 <= len(sentence) <= 5
        assert all(word_family(w) in ("cue", "filler") for w in sentence if w not in topics)
    assert "crown" in {w for s in toy_sentences(500) if "queen" in s for w in s}
    assert "crown" not in {w for s in toy_sentences(500) if "woman" in s for w in s}


def test_relations_and_analogies():
    relations = planted_relations()
    assert ("man", "woman") in relations["gender"]
    assert ("france", "paris") in relations["capital"]
    assert ("mouse", "mice") in relations["plural"]
    assert ("run", "ran") in relations["past tense"]
    quads = planted_analogies()
    assert ("man", "woman", "king", "queen") in quads
    assert ("woman", "man", "queen", "king") in quads
    assert all(len(set(q)) == 4 for q in quads)
    assert len(quads) == len(set(quads))


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_sentence_count(bad):
    with pytest.raises(ValueError, match="n_sentences"):
        toy_sentences(bad)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_planted_analogies_are_recovered(model):
    emb = train(toy_sentences(4000, seed=0), model=model, seed=0, **TOY_TRAINING)
    assert analogy_accuracy(emb, planted_analogies()) >= 0.95
    # and it is the planted structure that is learned: shuffling words across sentences
    # destroys it
    rng = np.random.default_rng(0)
    tokens = [w for s in toy_sentences(4000, seed=0) for w in s]
    rng.shuffle(tokens)
    shuffled = [tokens[i:i + 4] for i in range(0, len(tokens), 4)]
    noise = train(shuffled, model=model, seed=0, **TOY_TRAINING)
    assert analogy_accuracy(noise, planted_analogies()) < 0.3
