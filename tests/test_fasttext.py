"""Tests for lessons.models.fasttext: n-grams and hashes against gensim's fastText code, composition
against gensim's vector for an unseen word, and the least-squares fit against a direct solve."""
import numpy as np
import pytest
from gensim.models.fasttext_inner import compute_ngrams, ft_hash_bytes

from lessons.models import fasttext as ft
from lessons.vectors.embeddings import Embeddings


def test_char_ngrams_by_hand_and_gensim():
    assert ft.char_ngrams("cat", 3, 4) == ["<ca", "cat", "at>", "<cat", "cat>"]
    for word in ["where", "a", "unfriendliness", "café", "naïve"]:
        assert sorted(ft.char_ngrams(word, 3, 6)) == sorted(compute_ngrams(word, 3, 6))


@pytest.mark.parametrize("text", ["<wh", "her", "re>", "café", "ñandú>", "日本", ""])
def test_hash_matches_gensim(text):
    assert ft.ngram_hash(text) == ft_hash_bytes(text.encode("utf-8"))


def test_hash_fnv1a_known_values():
    # FNV-1a 32-bit test vectors (ASCII input, where fastText's quirk does not apply)
    assert ft.ngram_hash("") == 0x811C9DC5
    assert ft.ngram_hash("a") == 0xE40C292C
    assert ft.ngram_hash("foobar") == 0xBF9CF968


def test_composition_matches_gensim_for_unseen_word():
    from gensim.models import FastText

    sentences = [["the", "friendly", "dog", "barks"], ["a", "friend", "and", "a", "dog"]] * 20
    model = FastText(sentences, vector_size=8, min_count=1, epochs=2, bucket=1000, min_n=3, max_n=5,
                     workers=1, seed=1)
    for unseen in ["unfriendly", "dogs", "friendship"]:
        ours = ft.subword_vector(unseen, model.wv.vectors_ngrams, min_n=3, max_n=5)
        np.testing.assert_allclose(ours, model.wv[unseen], rtol=1e-5, atol=1e-7)


def test_subword_vector_short_word_and_bad_input():
    table = np.ones((10, 4), dtype=np.float32)
    np.testing.assert_array_equal(ft.subword_vector("a", table, min_n=4, max_n=6), np.zeros(4))
    with pytest.raises(ValueError, match="ngram_vectors"):
        ft.subword_vector("cat", np.ones(4))
    with pytest.raises(ValueError, match="max_n"):
        ft.char_ngrams("cat", 4, 3)
    with pytest.raises(ValueError, match="min_n"):
        ft.char_ngrams("cat", 0, 3)
    with pytest.raises(ValueError, match="bucket"):
        ft.ngram_buckets("cat", bucket=0)
    with pytest.raises(ValueError, match="word"):
        ft.char_ngrams(3)


def test_ngram_matrix_rows_average_the_buckets():
    A = ft.ngram_matrix(["cat", "cats"], min_n=3, max_n=4, bucket=50)
    table = np.random.default_rng(0).normal(size=(50, 3))
    for r, word in enumerate(["cat", "cats"]):
        np.testing.assert_allclose((A[r] @ table).ravel(), ft.subword_vector(word, table, min_n=3, max_n=4),
                                   rtol=1e-5)


def test_fit_subwords_solves_the_ridge_problem():
    rng = np.random.default_rng(0)
    words = ["play", "played", "playing", "walk", "walked", "walking", "talk", "talked", "jump"]
    emb = Embeddings(words, rng.normal(size=(len(words), 4)))
    model = ft.fit_subwords(emb, min_n=3, max_n=4, bucket=64, ridge=0.5, iterations=200)
    A = ft.ngram_matrix(words, min_n=3, max_n=4, bucket=64).toarray()
    E = emb.normalized.astype(np.float64)
    direct = np.linalg.solve(A.T @ A + 0.5 * np.eye(64), A.T @ E)  # (B, d)
    np.testing.assert_allclose(model.ngram_vectors, direct, rtol=1e-4, atol=1e-5)
    # an unseen word is composed, a known one is looked up
    np.testing.assert_allclose(model.vector("talking"),
                               ft.subword_vector("talking", model.ngram_vectors, min_n=3, max_n=4))
    np.testing.assert_array_equal(model.vector("walk"), emb["walk"])
    # with its shared n-grams, "talking" is closer to "walking" than to "jump"
    assert model.similarity("talking", "walking") > model.similarity("talking", "jump")


def test_fit_subwords_bad_arguments():
    emb = Embeddings(["a", "b"], np.eye(2))
    with pytest.raises(ValueError, match="ridge"):
        ft.fit_subwords(emb, ridge=-1)
    with pytest.raises(ValueError, match="iterations"):
        ft.fit_subwords(emb, iterations=0)
