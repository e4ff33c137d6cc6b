import numpy as np
import pytest

from lessons.data.corpus import (Corpus, Vocabulary, article_corpus, check_corpus, choose_words,
                                 iter_sentences, tokenize)


def test_tokenize_lowercases_and_keeps_apostrophes():
    assert tokenize("The cat's mat, 2 DOGS!") == ["the", "cat's", "mat", "2", "dogs"]
    with pytest.raises(TypeError):
        tokenize(["not", "a", "string"])


def test_iter_sentences_accepts_every_corpus_form():
    assert list(iter_sentences("a b  c")) == [["a", "b", "c"]]
    assert list(iter_sentences(["a", "b"])) == [["a", "b"]]  # one token stream
    assert list(iter_sentences([["a"], ["b", "c"]])) == [["a"], ["b", "c"]]
    assert list(iter_sentences(iter([["a"], ["b"]]))) == [["a"], ["b"]]
    with pytest.raises(TypeError, match="mixes"):
        list(iter_sentences([["a"], "b c"]))


def test_vocabulary_orders_by_frequency_then_spelling():
    vocab = Vocabulary.from_corpus([["b", "a", "c", "a"], ["c", "d"]])
    assert vocab.words == ("a", "c", "b", "d")
    assert vocab.counts.tolist() == [2, 2, 1, 1]
    assert vocab.total_words == 6
    assert Vocabulary.from_corpus(["b", "a", "b"], order="alphabetical").words == ("a", "b")
    assert Vocabulary.from_corpus(["b", "a", "b"], order="first_seen").words == ("b", "a")


def test_vocabulary_min_count_and_max_size():
    corpus = ["x"] * 5 + ["y"] * 3 + ["z"]
    assert Vocabulary.from_corpus(corpus, min_count=3).words == ("x", "y")
    assert Vocabulary.from_corpus(corpus, max_size=1).words == ("x",)
    assert Vocabulary.from_corpus(corpus, min_count=3).total_words == 9


@pytest.mark.parametrize("kwargs, word", [
    ({"min_count": 0}, "min_count"), ({"max_size": 0}, "max_size"), ({"order": "random"}, "order"),
])
def test_vocabulary_bad_arguments_name_the_argument(kwargs, word):
    with pytest.raises(ValueError, match=word):
        Vocabulary.from_corpus(["a"], **kwargs)


def test_vocabulary_empty_or_too_rare():
    with pytest.raises(ValueError, match="empty"):
        Vocabulary.from_corpus([])
    with pytest.raises(ValueError, match="min_count=3"):
        Vocabulary.from_corpus(["a", "b"], min_count=3)


def test_encode_decode_roundtrip_and_unknowns():
    vocab = Vocabulary.from_corpus(article_corpus("training"))
    ids = vocab.encode(["the", "cat", "zebra", "sat"])
    assert ids.dtype == np.int32
    assert vocab.decode(ids) == ["the", "cat", "sat"]
    with pytest.raises(KeyError, match="zebra"):
        vocab.encode(["zebra"], unknown="error")
    encoded = vocab.encode_corpus([["zebra"], ["the", "cat"]])
    assert len(encoded) == 1 and vocab.decode(encoded[0]) == ["the", "cat"]


def test_article_corpora_are_the_articles():
    training = article_corpus("training")
    assert len(training) == 7 and training[0] == ["the", "cat", "sat", "on", "the", "mat"]
    assert len(article_corpus("cooccurrence")) == 4
    assert len(article_corpus("onehot")[0]) == 10
    training[0].append("mutated")  # a fresh copy every call
    assert article_corpus("training")[0][-1] == "mat"
    with pytest.raises(ValueError, match="name"):
        article_corpus("nope")


def test_check_corpus_reads_every_form_once_and_names_a_bad_token():
    checked = check_corpus(s for s in [["a", "b"], iter(["c"]), ("d",)])  # one-shot, all of it
    assert isinstance(checked, Corpus) and checked == [["a", "b"], ["c"], ("d",)]
    assert check_corpus(checked) is checked  # checked once: a Corpus passes as it is
    assert check_corpus("a  b") == [["a", "b"]] == check_corpus(np.array(["a", "b"]))
    with pytest.raises(TypeError, match=r"sentence 1, position 2 holds 3 \(of type int\)"):
        check_corpus([["a"], ["b", "c", 3]])
    with pytest.raises(ValueError, match=r"token stream\), position 1 holds None"):
        check_corpus(["a", None])
    with pytest.raises(ValueError, match="empty"):
        check_corpus([[], []])


def test_choose_words_by_count_then_spelling():
    counts = np.array([1, 3, 3, 2, 5])
    spelled = np.array(["e", "b", "a", "c", "d"], dtype=object).__getitem__
    assert choose_words(counts, spelled, min_count=2, max_size=None).tolist() == [4, 2, 1, 3]
    assert choose_words(counts, spelled, min_count=1, max_size=2).tolist() == [4, 2]
    with pytest.raises(ValueError, match=r"min_count=9 .*most frequent occurs 5 times"):
        choose_words(counts, spelled, min_count=9, max_size=None)
