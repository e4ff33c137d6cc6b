"""Embeddings queries against brute-force references (plain loops, full sorts) and gensim."""
import math

import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec

from lessons.vectors.embeddings import Embeddings
from lessons.vectors.neighbors import Neighbors, UnknownWordError

pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated:DeprecationWarning")

V, D = 400, 16


@pytest.fixture(scope="module")
def emb():
    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(V - 4)] + ["king", "queen", "man", "woman"]
    return Embeddings(words, rng.standard_normal((V, D)) * rng.uniform(0.5, 3, (V, 1)))


@pytest.fixture(scope="module")
def kv(emb):
    return emb.to_keyedvectors()


# ----------------------------------------------------------------- brute-force references

def cosine(u, v):
    """Plain-Python cosine, 0 for a zero vector."""
    dot = sum(float(x) * float(y) for x, y in zip(u, v))
    nu = math.sqrt(sum(float(x) ** 2 for x in u))
    nv = math.sqrt(sum(float(y) ** 2 for y in v))
    return dot / (nu * nv) if nu and nv else 0.0


def ranked(emb, score_of_row, exclude=(), rows=None):
    """Full sort of every row's score (a Python loop), best first, minus ``exclude``."""
    rows = len(emb) if rows is None else rows
    scores = [(score_of_row(i), emb.words[i]) for i in range(rows) if emb.words[i] not in exclude]
    scores.sort(key=lambda pair: -pair[0])
    return [(w, s) for s, w in scores]


def unit(v):
    v = np.asarray(v, dtype=np.float64)
    n = np.linalg.norm(v)
    return v / n if n else v


def assert_neighbors(got, expected, topn):
    assert [w for w, _ in got] == [w for w, _ in expected[:topn]]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in expected[:topn]],
                               rtol=1e-5, atol=1e-6)


# ----------------------------------------------------------------- queries

def test_similarity_matches_loop(emb):
    for a, b in [("king", "queen"), ("w3", "w17"), ("man", "man")]:
        assert emb.similarity(a, b) == pytest.approx(cosine(emb[a], emb[b]), abs=1e-6)
    assert emb.similarity(emb["king"], "queen") == pytest.approx(emb.similarity("king", "queen"))


@pytest.mark.parametrize("topn", [1, 10, V - 1])
def test_most_similar_matches_full_sort(emb, topn):
    got = emb.most_similar("king", topn=topn)
    expected = ranked(emb, lambda i: cosine(emb.vectors[i], emb["king"]), exclude={"king"})
    assert_neighbors(got, expected, topn)
    assert len(got) == min(topn, V - 1)


def test_most_similar_positive_negative_matches_loop(emb):
    got = emb.most_similar(positive=["king", "woman"], negative=["man"], topn=10)
    query = unit(emb.normalized[emb.index["king"]] + emb.normalized[emb.index["woman"]]
                 - emb.normalized[emb.index["man"]])
    expected = ranked(emb, lambda i: cosine(emb.vectors[i], query),
                      exclude={"king", "woman", "man"})
    assert_neighbors(got, expected, 10)


def test_most_similar_restrict_vocab(emb):
    got = emb.most_similar("w5", topn=7, restrict_vocab=50)
    expected = ranked(emb, lambda i: cosine(emb.vectors[i], emb["w5"]), exclude={"w5"}, rows=50)
    assert_neighbors(got, expected, 7)
    assert len(emb.most_similar("w5", topn=None, restrict_vocab=50)) == 50


def test_most_similar_topn_none_is_all_cosines(emb):
    scores = emb.most_similar("queen", topn=None)
    assert scores.shape == (V,)
    assert scores[emb.index["w9"]] == pytest.approx(cosine(emb["w9"], emb["queen"]), abs=1e-6)


@pytest.mark.parametrize("query", [
    dict(positive=["king"]),
    dict(positive=["king", "woman"], negative=["man"]),
    dict(positive=[("king", 2.0), "woman"], negative=[("man", -0.5)]),
    dict(negative=["w1"]),
    dict(positive=["w2", "w3", "w4"], negative=["w5", "w6"]),
])
def test_most_similar_agrees_with_gensim(emb, kv, query):
    got = emb.most_similar(**query, topn=15)
    expected = kv.most_similar(**query, topn=15)
    assert_neighbors(got, expected, 15)


def test_most_similar_accepts_vectors_like_gensim(emb, kv):
    vector = emb["king"] - emb["man"]
    got = emb.most_similar(positive=[vector, "woman"], topn=10)
    expected = kv.most_similar(positive=[vector, "woman"], topn=10)
    assert_neighbors(got, expected, 10)
    assert "woman" not in [w for w, _ in got]  # input word excluded, the vector excludes nothing


def test_most_similar_cosmul_matches_formula_and_gensim(emb, kv):
    pos, neg = ["queen", "man"], ["woman"]
    got = emb.most_similar_cosmul(positive=pos, negative=neg, topn=10, epsilon=1e-6)
    assert_neighbors(got, kv.most_similar_cosmul(positive=pos, negative=neg, topn=10), 10)

    def score(i, eps):
        s = {w: (cosine(emb.vectors[i], emb[w]) + 1) / 2 for w in pos + neg}
        return s["queen"] * s["man"] / (s["woman"] + eps)

    expected = ranked(emb, lambda i: score(i, 1e-3), exclude=set(pos + neg))
    assert_neighbors(emb.most_similar_cosmul(pos, neg, topn=10), expected, 10)


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
@pytest.mark.parametrize("exclude_inputs", [True, False])
def test_analogy_matches_loop(emb, method, exclude_inputs):
    a, b, c = "man", "king", "woman"

    def score(i):
        ca, cb, cc = (cosine(emb.vectors[i], emb[w]) for w in (a, b, c))
        if method == "3cosadd":
            target = unit(emb.normalized[emb.index[b]] - emb.normalized[emb.index[a]]
                          + emb.normalized[emb.index[c]])
            return cosine(emb.vectors[i], target)
        return ((cb + 1) / 2) * ((cc + 1) / 2) / ((ca + 1) / 2 + 1e-3)

    exclude = {a, b, c} if exclude_inputs else set()
    got = emb.analogy(a, b, c, method=method, topn=5, exclude_inputs=exclude_inputs)
    assert_neighbors(got, ranked(emb, score, exclude=exclude), 5)


def test_analogy_without_exclusion_returns_input_on_real_structure():
    """The documented pitfall: with a realistic offset, b itself is nearest to b - a + c."""
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(200)] + ["man", "woman", "king", "queen"]
    vectors = rng.standard_normal((204, 50))
    gender = rng.standard_normal(50) * 0.3  # small next to the words themselves
    vectors[201] = vectors[200] + gender        # woman = man + gender
    vectors[203] = vectors[202] + gender + rng.standard_normal(50) * 0.6  # queen ~ king + gender
    emb = Embeddings(words, vectors)
    assert emb.analogy("man", "king", "woman", exclude_inputs=False)[0][0] == "king"
    assert emb.analogy("man", "king", "woman")[0][0] == "queen"


def test_analogy_default_equals_most_similar(emb):
    assert emb.analogy("man", "king", "woman", topn=3) == emb.most_similar(
        positive=["king", "woman"], negative=["man"], topn=3)


def test_doesnt_match_matches_loop_and_gensim(emb, kv):
    words = ["w1", "w2", "w3", "king", "queen"]
    mean = unit(sum(unit(emb[w]) for w in words))
    expected = min(words, key=lambda w: cosine(emb[w], mean))
    assert emb.doesnt_match(words) == expected == kv.doesnt_match(words)


def test_nearest_matches_loop(emb):
    vector = emb["king"] - emb["man"] + emb["woman"]
    expected = ranked(emb, lambda i: cosine(emb.vectors[i], vector))
    assert_neighbors(emb.nearest(vector, topn=5), expected, 5)
    assert_neighbors(emb.nearest(vector, topn=5, exclude=["king"]),
                     [p for p in expected if p[0] != "king"], 5)


# ----------------------------------------------------------------- edge cases and errors

def test_zero_vectors_give_no_nan():
    vectors = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    emb = Embeddings(["zero", "x", "y"], vectors)
    assert np.isfinite(emb.normalized).all()
    assert emb.similarity("zero", "x") == 0.0
    result = emb.most_similar("zero", topn=2)
    assert all(score == 0.0 for _, score in result)
    assert emb.nearest(np.zeros(2), topn=3)[0][1] == 0.0
    assert emb.most_similar("x", topn=2) == [("zero", 0.0), ("y", 0.0)]  # ties by row


def test_unknown_word_is_keyerror_with_suggestion(emb):
    with pytest.raises(KeyError) as info:
        emb.most_similar("kign")
    assert isinstance(info.value, UnknownWordError)
    assert "'kign'" in str(info.value) and "'king'" in str(info.value)
    assert info.value.suggestions[0] == "king"
    with pytest.raises(KeyError, match="zzzzz"):
        emb["zzzzz"]
    for call in (lambda: emb.similarity("king", "nope"), lambda: emb.analogy("a", "king", "man"),
                 lambda: emb.doesnt_match(["king", "nope"]),
                 lambda: emb.nearest(emb["king"], exclude=["nope"])):
        with pytest.raises(KeyError):
            call()


def test_bad_arguments(emb):
    with pytest.raises(ValueError, match="method"):
        emb.analogy("man", "king", "woman", method="3cosdiv")
    with pytest.raises(ValueError, match="shape"):
        emb.nearest(np.ones(D + 1))
    with pytest.raises(ValueError, match="restrict_vocab"):
        emb.most_similar("king", restrict_vocab=0)
    with pytest.raises(ValueError, match="at least"):
        emb.most_similar()
    with pytest.raises(ValueError, match="at least two"):
        emb.doesnt_match(["king"])
    with pytest.raises(ValueError, match="unique"):
        Embeddings(["a", "a"], np.ones((2, 2)))
    with pytest.raises(ValueError, match="shape"):
        Embeddings(["a", "b"], np.ones((3, 2)))
    assert emb.most_similar("king", topn=0) == []


def test_normalized_is_cached_and_invalidated():
    rng = np.random.default_rng(3)
    emb = Embeddings(["a", "b", "c"], rng.standard_normal((3, 4)))
    first = emb.normalized
    assert emb.normalized is first
    assert first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1, rtol=1e-6)
    emb.vectors = emb.vectors * np.array([[1], [-1], [2]], dtype=np.float32)
    assert emb.normalized is not first
    np.testing.assert_allclose(emb.normalized[1], -first[1], rtol=1e-6)
    with pytest.raises(ValueError, match="shape"):
        emb.vectors = np.ones((2, 4))


def test_neighbors_repr_rounds_but_values_do_not():
    neighbors = Neighbors([("queen", 0.123456789), ("king", -0.5)])
    assert repr(neighbors) == "[('queen', 0.1235),\n ('king', -0.5000)]"
    assert neighbors == [("queen", 0.123456789), ("king", -0.5)]
    assert neighbors.words == ["queen", "king"]
    assert "400 words x 16 dims" in repr(Embeddings([f"w{i}" for i in range(400)],
                                                    np.ones((400, 16))))


# ----------------------------------------------------------------- gensim conversion

def test_keyedvectors_round_trip(emb):
    counts = np.arange(V, 0, -1)
    with_counts = Embeddings(emb.words, emb.vectors, counts=counts)
    kv = with_counts.to_keyedvectors()
    assert kv.index_to_key == emb.words
    np.testing.assert_array_equal(kv.vectors, emb.vectors)
    assert kv.get_vecattr("w0", "count") == V
    back = Embeddings.from_keyedvectors(kv)
    assert back.words == emb.words
    np.testing.assert_array_equal(back.vectors, emb.vectors)
    np.testing.assert_array_equal(back.counts, counts)
    assert back.context_vectors is None


def test_from_word2vec_model_takes_counts_and_context_vectors():
    sentences = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "sat"]] * 5
    model = Word2Vec(sentences, vector_size=8, min_count=1, seed=1, workers=1, epochs=1)
    emb = Embeddings.from_keyedvectors(model)
    assert emb.words == model.wv.index_to_key
    np.testing.assert_array_equal(emb.vectors, model.wv.vectors)
    np.testing.assert_array_equal(emb.context_vectors, model.syn1neg)
    assert emb.counts[emb.index["the"]] == 15
    assert isinstance(emb.to_keyedvectors(), KeyedVectors)
