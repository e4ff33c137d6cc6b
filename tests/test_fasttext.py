"""Tests for lessons.models.fasttext: n-grams and fastText's hash against independent
implementations, the numba kernel against a literal plain-numpy fastText loop, composition
against gensim, and the held-out measurement helpers against brute force."""
import numpy as np
import pytest
from gensim.models.fasttext_inner import compute_ngrams, ft_hash_bytes

from lessons.data.corpus import Vocabulary
from lessons.data.toylang import toy_sentences
from lessons.models import fasttext as ft
from lessons.models.fasttext import morphology as mo
from lessons.models.fasttext.trainer import self_overlap
from lessons.models.word2vec import prepare_corpus
from lessons.models.word2vec.encoding import sentence_chunks
from lessons.models.word2vec.tables import (CHUNK_WORDS, LCG, LOG_SIGMOID_TABLE, MAX_EXP,
                                            SIGMOID_TABLE, alias_table, chunk_seed,
                                            initial_vectors, keep_thresholds, learning_rate_at,
                                            sigmoid_bin)
from lessons.vectors.neighbors import UnknownWordError


# ----------------------------------------------------------------- independent references

def fasttext_hash(text: str) -> int:
    """fastText's Dictionary::hash, transcribed: h ^= uint32_t(int8_t(c)); h *= 16777619."""
    h = 2166136261
    for c in text.encode("utf-8"):
        signed = c - 256 if c > 127 else c  # int8_t(c)
        h = (h ^ (signed % 2**32)) % 2**32  # uint32_t(int8_t(c)): two's complement
        h = (h * 16777619) % 2**32
    return h


def fasttext_subwords(word: str, min_n: int, max_n: int) -> list[str]:
    """fastText's Dictionary::computeSubwords on "<word>", in its order (by start position)."""
    marked = "<" + word + ">"
    out = []
    for i in range(len(marked)):
        for n in range(1, max_n + 1):
            if i + n > len(marked):
                break
            if n >= min_n and not (n == 1 and (i == 0 or i + n == len(marked))):
                out.append(marked[i:i + n])
    return out


def fasttext_reference(sentences, counts, words, *, dim, window, negative, subsample, epochs,
                       learning_rate, min_n, max_n, buckets, seed, noise_exponent=0.75):
    """fastText's skip-gram, literally: per (centre, context) pair, h = mean of the centre's
    rows, recomputed; every row gets the whole step right after the pair.  The random draws
    are the library's (word2vec.c's LCG, one stream per chunk) in the same order."""
    V = len(counts)
    rows_of = [[i] + [V + fasttext_hash(g) % buckets for g in fasttext_subwords(w, min_n, max_n)]
               for i, w in enumerate(words)]
    W = (np.random.default_rng(seed).random((V + buckets, dim), dtype=np.float32)
         - np.float32(0.5)) / np.float32(dim)
    U = np.zeros((V, dim), dtype=np.float32)
    keep = keep_thresholds(counts, subsample)
    threshold, alias = alias_table(counts, noise_exponent)
    starts = np.concatenate([[0], np.cumsum([len(s) for s in sentences])])
    total = epochs * starts[-1]
    losses = []
    n_table = len(SIGMOID_TABLE)

    def sig_and_loss(f, label):
        if f >= MAX_EXP:
            return np.float32(1.0), (0.0 if label else float(f))
        if f <= -MAX_EXP:
            return np.float32(0.0), (-float(f) if label else 0.0)
        i = sigmoid_bin(f, n_table)  # the trainer's one bin rule
        return SIGMOID_TABLE[i], -LOG_SIGMOID_TABLE[i] if label else -LOG_SIGMOID_TABLE[-1 - i]

    for epoch in range(epochs):
        loss = 0.0
        for chunk, (first, last) in enumerate(sentence_chunks(starts, CHUNK_WORDS)):
            rng = LCG(chunk_seed(seed, epoch, chunk))
            for s in range(first, last):
                lr = np.float32(learning_rate_at((epoch * starts[-1] + starts[s]) / total,
                                                 learning_rate, learning_rate * 1e-4))
                kept = [w for w in sentences[s] if rng.next() < keep[w]]
                for i, center in enumerate(kept):
                    b = window - rng.next() % window
                    for j in range(max(0, i - b), min(len(kept), i + b + 1)):
                        if j == i:
                            continue
                        h = W[rows_of[center]].sum(axis=0, dtype=np.float32) \
                            * np.float32(1.0 / len(rows_of[center]))
                        noise = []
                        for _ in range(negative):
                            column = rng.next() * V >> 32
                            noise.append(column if rng.next() < threshold[column]
                                         else int(alias[column]))
                        step = np.zeros(dim, dtype=np.float32)
                        targets = [(kept[j], 1)] + [(w, 0) for w in noise if w != kept[j]]
                        for target, label in targets:
                            sig, term = sig_and_loss(np.float32(h @ U[target]), label)
                            loss += term
                            g = (np.float32(label) - sig) * lr
                            step += g * U[target]
                            U[target] += g * h
                        for r in rows_of[center]:  # fastText: wi_->addVectorToRow(grad, r, 1.0)
                            W[r] += step
        losses.append(loss)
    return W, U, losses


# ----------------------------------------------------------------- n-grams and the hash

def test_char_ngrams_by_hand_gensim_and_fasttext_order():
    assert ft.char_ngrams("cat", 3, 4) == ["<ca", "cat", "at>", "<cat", "cat>"]
    assert ft.char_ngrams("cat", 3, 6)[-1] == "<cat>"  # the marked word, short enough
    assert "<where>" not in ft.char_ngrams("where", 3, 6)  # 7 characters: only its own row
    for word in ["where", "a", "unfriendliness", "café", "naïve"]:
        assert sorted(ft.char_ngrams(word, 3, 6)) == sorted(compute_ngrams(word, 3, 6))
        assert sorted(ft.char_ngrams(word, 1, 4)) == sorted(fasttext_subwords(word, 1, 4))
    assert "<" not in ft.char_ngrams("ab", 1, 2) and ">" not in ft.char_ngrams("ab", 1, 2)
    assert ft.char_ngrams("where", 3, 0) == []  # max_n=0: no n-grams (fastText's -maxn 0)


@pytest.mark.parametrize("text", ["<wh", "her", "re>", "café", "ñandú>", "日本", "", "<where>"])
def test_hash_is_fasttexts(text):
    expected = fasttext_hash(text)
    assert ft.ngram_hash(text) == expected
    assert ft_hash_bytes(text.encode("utf-8")) == expected  # gensim agrees
    assert int(ft.ngram_hashes([text, "x"])[0]) == expected


def test_hash_known_values():
    # FNV-1a 32-bit test vectors (ASCII, where fastText's sign quirk does not apply)
    assert ft.ngram_hash("") == 0x811C9DC5
    assert ft.ngram_hash("a") == 0xE40C292C
    assert ft.ngram_hash("foobar") == 0xBF9CF968
    # the quirk: "é" is bytes C3 A9; plain FNV-1a would xor 0xC3, fastText xors 0xFFFFFFC3
    plain = 2166136261
    for byte in "é".encode():
        plain = ((plain ^ byte) * 16777619) % 2**32
    assert ft.ngram_hash("é") == fasttext_hash("é") != plain


def test_subword_table_lists_own_row_then_ngram_rows():
    words = ["where", "a", "cat"]
    starts, rows = ft.subword_table(words, 3, 6, 50)
    for i, w in enumerate(words):
        expected = [i] + sorted(3 + fasttext_hash(g) % 50 for g in fasttext_subwords(w, 3, 6))
        got = rows[starts[i]:starts[i + 1]]
        assert got[0] == i and sorted(got[1:]) == expected[1:]
    assert rows.dtype == np.int32 and starts[-1] == len(rows)


def test_self_overlap_counts_repeated_buckets():
    starts = np.array([0, 3, 7])
    rows = np.array([0, 5, 6, 1, 5, 5, 7], dtype=np.int32)  # word 1 lists bucket 5 twice
    np.testing.assert_allclose(self_overlap(starts, rows), [1.0, (1 + 4 + 1) / 4])


# ----------------------------------------------------------------- the kernel

def _toy(seed=1):
    sentences = toy_sentences(200, seed=seed) + [["the"] * 12]
    vocab = Vocabulary.from_corpus(sentences, min_count=1)
    tokens, starts = prepare_corpus(sentences, vocab)
    return sentences, vocab, [tokens[a:b] for a, b in zip(starts[:-1], starts[1:])]


@pytest.mark.parametrize("buckets,subsample", [(7, 1e-2), (500, 0.0)])
def test_kernel_matches_literal_fasttext_loop(buckets, subsample):
    sentences, vocab, encoded = _toy()
    settings = dict(dim=12, window=3, negative=4, subsample=subsample, epochs=2,
                    learning_rate=0.05, min_n=3, max_n=5, buckets=buckets, seed=3)
    model = ft.train_fasttext(sentences, vocabulary=vocab, **settings)
    W, U, losses = fasttext_reference(encoded, vocab.counts, vocab.words, **settings)
    if buckets == 7:  # collisions inside a word: the overlap correction is exercised
        starts, rows = ft.subword_table(vocab.words, 3, 5, 7)
        assert self_overlap(starts, rows).max() > 1
    assert np.abs(model.input_vectors - initial_vectors(len(W), 12, 3)[0]).max() > 0.05
    np.testing.assert_allclose(model.input_vectors, W, rtol=1e-3, atol=1e-4)  # rounding only
    np.testing.assert_allclose(model.embeddings.context_vectors, U, rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(model.history.loss, losses, rtol=1e-5)


def test_word_only_model_is_skipgram_with_centre_rows():
    sentences, vocab, encoded = _toy()
    settings = dict(dim=8, window=2, negative=3, subsample=0.0, epochs=1, learning_rate=0.05,
                    seed=0)
    model = ft.train_fasttext(sentences, vocabulary=vocab, max_n=0, **settings)
    W, U, _ = fasttext_reference(encoded, vocab.counts, vocab.words, min_n=3, max_n=0,
                                 buckets=1, **settings)
    assert model.buckets == 0 and model.input_vectors.shape == (len(vocab), 8)
    np.testing.assert_allclose(model.input_vectors, W[:len(vocab)], atol=2e-5)
    with pytest.raises(UnknownWordError):
        model.vector("unseenword")
    assert not model.has_vector("unseenword")


def test_one_worker_is_bit_reproducible_and_seed_matters():
    sentences, vocab, _ = _toy()
    kw = dict(vocabulary=vocab, dim=8, buckets=300, epochs=1, min_count=1)
    a, b = ft.train_fasttext(sentences, seed=5, **kw), ft.train_fasttext(sentences, seed=5, **kw)
    np.testing.assert_array_equal(a.input_vectors, b.input_vectors)
    c = ft.train_fasttext(sentences, seed=6, **kw)
    assert np.abs(c.input_vectors - a.input_vectors).max() > 1e-3
    two = ft.train_fasttext(sentences, seed=5, workers=2, progress=True, **kw)
    assert np.isfinite(two.input_vectors).all() and two.history.epochs == 1


# ----------------------------------------------------------------- vectors of any word

def test_composed_vectors_are_means_of_rows():
    sentences, vocab, _ = _toy()
    model = ft.train_fasttext(sentences, vocabulary=vocab, dim=8, buckets=300, epochs=1,
                              min_n=3, max_n=5)
    V = len(vocab)
    for word in vocab.words[:5]:
        rows = [vocab.words.index(word)] + [V + fasttext_hash(g) % 300
                                            for g in fasttext_subwords(word, 3, 5)]
        np.testing.assert_allclose(model.vector(word), model.input_vectors[rows].mean(axis=0),
                                   atol=1e-6)
    unseen = "zzkingly"
    assert unseen not in model and model.has_vector(unseen)
    rows = [V + fasttext_hash(g) % 300 for g in fasttext_subwords(unseen, 3, 5)]
    np.testing.assert_allclose(model.vector(unseen), model.input_vectors[rows].mean(axis=0),
                               atol=1e-6)
    np.testing.assert_allclose(model.ngram_vector(vocab.words[0]),
                               ft.subword_vector(vocab.words[0], model.ngram_vectors, min_n=3,
                                                 max_n=5))
    assert model.most_similar(unseen, topn=3)[0][0] in vocab.words
    assert model.similarity(unseen, unseen) == pytest.approx(1.0, abs=1e-6)


def test_unseen_word_lands_near_its_spelling_relative():
    sentences = [["the", "cat", "sat", "on", "a", "mat"],
                 ["my", "dogs", "ran", "to", "the", "park"],
                 ["cats", "and", "dogs", "play"], ["a", "player", "played", "well"]] * 60
    model = ft.train_fasttext(sentences, dim=16, min_count=1, buckets=2000, epochs=5,
                              subsample=0.0, seed=0)
    assert "playing" not in model
    assert model.similarity("playing", "played") > model.similarity("playing", "mat")


def test_composition_matches_gensim_for_unseen_word():
    from gensim.models import FastText

    sentences = [["the", "friendly", "dog", "barks"], ["a", "friend", "and", "a", "dog"]] * 20
    model = FastText(sentences, vector_size=8, min_count=1, epochs=2, bucket=1000, min_n=3, max_n=5,
                     workers=1, seed=1)
    for unseen in ["unfriendly", "dogs", "friendship"]:
        ours = ft.subword_vector(unseen, model.wv.vectors_ngrams, min_n=3, max_n=5)
        np.testing.assert_allclose(ours, model.wv[unseen], rtol=1e-5, atol=1e-7)


def test_bad_input_names_the_argument():
    table = np.ones((10, 4), dtype=np.float32)
    np.testing.assert_array_equal(ft.subword_vector("a", table, min_n=4, max_n=6), np.zeros(4))
    with pytest.raises(ValueError, match="ngram_vectors"):
        ft.subword_vector("cat", np.ones(4))
    with pytest.raises(ValueError, match="max_n"):
        ft.char_ngrams("cat", 4, 3)
    with pytest.raises(ValueError, match="min_n"):
        ft.char_ngrams("cat", 0, 3)
    with pytest.raises(ValueError, match="buckets"):
        ft.ngram_buckets("cat", buckets=0)
    with pytest.raises(ValueError, match="word"):
        ft.char_ngrams(3)
    corpus = [["a", "b", "c"]] * 5
    for kwargs, name in [({"buckets": 0}, "buckets"), ({"min_n": 0}, "min_n"),
                         ({"max_n": 2}, "max_n"), ({"dim": 0}, "dim"),
                         ({"negative": 0}, "negative"), ({"learning_rate": -1}, "learning_rate")]:
        with pytest.raises(ValueError, match=name):
            ft.train_fasttext(corpus, min_count=1, **kwargs)
    with pytest.raises(ValueError, match="nothing to train|no token|corpus"):
        ft.train_fasttext([[]], min_count=1)


# ----------------------------------------------------------------- the measurement helpers

def test_variant_pairs_and_heldout_choice():
    words = ["play", "plays", "playing", "kind", "unkind", "kindly", "slow", "slowly", "is"]
    counts = [100, 10, 10, 100, 10, 500, 100, 10, 1000]
    pairs = mo.variant_pairs(words, counts, min_base_count=50, max_variant_count=200)
    assert pairs == [("plays", "play", "-s"), ("slowly", "slow", "-ly"),
                     ("playing", "play", "-ing"), ("unkind", "kind", "un-")]
    chosen = mo.choose_heldout(pairs + [("kinds", "unkind", "-s")], per_affix=1, seed=0)
    assert all(v != "unkind" for v, _, _ in chosen)  # a base is never held out
    assert len({a for _, _, a in chosen}) == len(chosen)
    assert mo.remove_words(["a", "plays", "b", "plays"], ["plays"]) == ["a", "b"]
    with pytest.raises(ValueError, match="affix"):
        mo.apply_affix("x", "ly")


def test_cosine_ranks_brute_force():
    rng = np.random.default_rng(0)
    vectors, queries = rng.normal(size=(30, 5)), rng.normal(size=(4, 5))
    targets, exclude = np.array([0, 5, 9, 29]), np.array([-1, 3, -1, 2])
    ranks = mo.cosine_ranks(vectors, queries, targets, exclude_rows=exclude)
    for m in range(4):
        cos = [v @ queries[m] / np.linalg.norm(v) / np.linalg.norm(queries[m]) for v in vectors]
        order = [i for i in np.argsort(cos)[::-1] if i != exclude[m]]
        assert ranks[m] == order.index(targets[m]) + 1


def test_spelling_ranks_brute_force():
    words = ["violin", "violinist", "violins", "pianist", "awarding", "list"]

    def jaccard(a, b):
        ga, gb = set(ft.char_ngrams(a, 3, 6)), set(ft.char_ngrams(b, 3, 6))
        return len(ga & gb) / len(ga | gb)

    queries, targets = ["violinists", "violins"], ["violinist", "violin"]
    ranks = mo.spelling_ranks(words, queries, targets)
    for q, t, r in zip(queries, targets, ranks):
        scores = {w: jaccard(q, w) for w in words if w != q}
        assert r == 1 + sum(s > scores[t] for s in scores.values())
    assert ranks[0] == 1


def test_neighbour_kinds():
    kinds = mo.neighbour_kinds(["violinist", "violins", "cello", "awarding", "pianists", "tree"],
                               "violinists", "violinist", related=["cello"])
    assert kinds == ["base", "same stem", "related", "other", "same ending", "other"]
