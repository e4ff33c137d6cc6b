"""lessons.book.chapters.bias: the word lists, the baselines and the figures, on small
planted vocabularies (the figures' drawn values checked against the library)."""
import numpy as np
import pytest

from lessons.book.chapters import bias as chapter
from lessons.vectors import bias
from lessons.vectors.embeddings import Embeddings


def gendered_embeddings(seed=0, d=12, extra=60):
    """Every word of the chapter's pairs and lists, with a planted gender coordinate: the
    female word of each pair is its male word plus 2 along axis 0."""
    rng = np.random.default_rng(seed)
    g = np.eye(d)[0]
    vectors = {}
    for f, m in bias.DEFINITIONAL_PAIRS + chapter.HELD_OUT_PAIRS:
        base = rng.normal(size=d)
        vectors[m], vectors[f] = base - g, base + g
    for w in chapter.OCCUPATIONS + [f"w{i}" for i in range(extra)]:
        vectors.setdefault(w, rng.normal(size=d))
    words = list(vectors)
    return Embeddings(words, np.array([vectors[w] for w in words])), g


def test_word_lists_are_consistent():
    assert not set(chapter.OCCUPATIONS) & chapter.GENDER_SPECIFIC
    assert all(f in chapter.GENDER_SPECIFIC and m in chapter.GENDER_SPECIFIC
               for f, m in bias.DEFINITIONAL_PAIRS + chapter.HELD_OUT_PAIRS)
    assert not {p for p in chapter.HELD_OUT_PAIRS} & set(bias.DEFINITIONAL_PAIRS)


def test_random_pair_baseline_matches_pair_direction():
    emb, _ = gendered_embeddings()
    shares = chapter.random_pair_explained(emb, 3, n_sets=4, top=40, seed=1)
    rng = np.random.default_rng(1)
    rows = rng.choice(40, size=6, replace=False).reshape(-1, 2)
    _, explained = bias.pair_direction(emb.vectors[rows[:, 0]], emb.vectors[rows[:, 1]])
    assert shares.shape == (4, 6) and np.allclose(shares[0, :len(explained)], explained)
    assert np.allclose(shares.sum(axis=1), 1)


def test_she_he_self_check_on_a_planted_direction():
    emb, _ = gendered_embeddings()
    assert chapter.expected_she_he_accuracy(emb) == 1.0  # every pair differs along she - he's axis


def test_explained_and_projection_figures_draw_the_numbers():
    emb, g = gendered_embeddings()
    direction = bias.gender_direction(emb, method="mean")
    random = chapter.random_pair_explained(emb, 9, n_sets=10, top=80)
    fig = chapter.explained_figure(direction.explained, random, axes=4)
    assert np.allclose(fig.data[0].y, direction.explained[:4])
    assert np.allclose(fig.data[1].y, np.median(random[:, :4], axis=0))
    words = ["nurse", "pilot", "poet"]
    values = bias.projections(emb.vectors[[emb.index_of(w) for w in words]], direction.vector)
    out = chapter.pair_out_projections(emb, direction.pairs, words)
    assert out.shape == (len(direction.pairs), 3)
    fig = chapter.projection_figure(words, values, ranges=(out.min(0), out.max(0)), band=(0, 0.1),
                                    title="t")
    order = np.argsort(values)
    assert list(fig.data[0].y) == [words[i] for i in order]
    assert np.allclose(fig.data[0].x, values[order])
    assert np.allclose(np.array(fig.data[0].x) + fig.data[0].error_x.array, out.max(0)[order])


def test_weat_figure_and_leave_one_out():
    emb, _ = gendered_embeddings()
    X = ("X", "nurse poet dancer singer")
    Y = ("Y", "pilot engineer farmer soldier")
    A, B = ("A", "she her woman girl"), ("B", "he his man boy")
    result = bias.weat(emb, X, Y, A, B, name="WEAT t: a test")
    fig = chapter.weat_figure([result])
    assert fig.data[1].x[0] == pytest.approx(result.test.statistic)
    assert sum(fig.data[0].y) == result.test.partitions  # every re-partition is counted once
    assert "WEAT t" in fig.layout.title.text
    loo = chapter.leave_one_out(emb, result)

    def vec(ws):
        return emb.vectors[[emb.index_of(w) for w in ws.split()]]

    assert loo[0] == pytest.approx(bias.weat_effect_size(vec("poet dancer singer"), vec(Y[1]),
                                                         vec(A[1]), vec(B[1])))
    assert loo[-1] == pytest.approx(bias.weat_effect_size(vec(X[1]), vec("pilot engineer farmer"),
                                                          vec(A[1]), vec(B[1])))


def test_most_biased_takes_the_extremes_and_skips_gendered_words():
    emb, g = gendered_embeddings()
    rows, labels = chapter.most_biased(emb, g, per_side=5, top=len(emb))
    scores = bias.projections(emb.vectors, g)
    allowed = [i for i in range(len(emb)) if emb.words[i] not in chapter.GENDER_SPECIFIC]
    ranked = sorted(allowed, key=lambda i: scores[i])
    assert list(rows[:5]) == ranked[::-1][:5] and list(rows[5:]) == ranked[:5]
    assert list(labels) == [1] * 5 + [0] * 5


def test_recovery_figure_has_before_and_after():
    emb, g = gendered_embeddings()
    rows, labels = chapter.most_biased(emb, g, per_side=10, top=len(emb))
    before = emb.vectors[rows]
    fig = chapter.recovery_figure(before, bias.neutralize(before, g), labels,
                                  [emb.words[i] for i in rows])
    assert [s.label for s in fig.layout.sliders[0].steps] == ["before", "after neutralising"]
    assert len(fig.data) == 4 and len(fig.data[0].x) == 10


def test_centre_removes_the_mean_unit_vector_and_keeps_the_counts():
    emb, _ = gendered_embeddings()
    # a common offset on every word
    emb = Embeddings(emb.words, emb.vectors + 3.0, counts=np.arange(len(emb)) + 1)
    centred = chapter.centre(emb)
    unit = emb.vectors / np.linalg.norm(emb.vectors, axis=1, keepdims=True)
    assert np.allclose(centred.vectors, unit - unit.mean(axis=0), atol=1e-6)
    assert np.allclose(centred.vectors.mean(axis=0), 0, atol=1e-6)
    assert list(centred.counts) == list(emb.counts)


def test_projection_test_is_an_exact_permutation_test():
    emb, g = gendered_embeddings()
    first, second = ["nurse", "poet", "queen"], ["pilot", "king", "farmer", "absentword"]
    result = chapter.projection_test(emb, g, first, second)
    assert result["missing"] == ["absentword"] and result["second"] == ["pilot", "king", "farmer"]
    values = {w: float(bias.projections(emb[w][None], g)[0]) for w in first + result["second"]}
    words = list(values)
    observed = np.mean([values[w] for w in first]) - np.mean([values[w] for w in result["second"]])
    assert result["difference"] == pytest.approx(observed)
    import itertools
    null = [np.mean([values[words[i]] for i in group])
            - np.mean([values[words[i]] for i in range(6) if i not in group])
            for group in itertools.combinations(range(6), 3)]
    assert result["p_value"] == pytest.approx(np.mean(np.array(null) >= observed - 1e-12))
    assert result["p_value"] == pytest.approx(1 / 20)  # queen above king: the one best split
    with pytest.raises(ValueError, match="exact_limit"):
        chapter.projection_test(emb, g, first, result["second"], exact_limit=10)


def test_measure_finds_a_planted_direction_and_reports_plain_numbers():
    import json
    emb, g = gendered_embeddings(d=16, extra=200)
    rng = np.random.default_rng(1)
    others = {w for lists in bias.WEAT_TESTS.values() for _, words in lists for w in words.split()}
    others |= set(sum(chapter.EXTREME_OCCUPATIONS, []))
    others = sorted(others - set(emb.words))
    emb = Embeddings(emb.words + others,
                     np.vstack([emb.vectors, rng.normal(size=(len(others), emb.dim))]))
    result = chapter.measure(emb)
    json.dumps(result, allow_nan=False)  # JSON-ready: what benchmarks/bias_books.py stores
    assert result["centred"]["held_out"]["right"] == result["centred"]["held_out"]["of"]
    assert result["held_out_pca"]["right"] == result["held_out_pca"]["of"]
    assert set(result["weat"]) == set(bias.WEAT_TESTS)
    centred = chapter.centre(emb)
    name = "WEAT 7: maths vs arts, male vs female terms"
    assert result["weat"][name]["effect_size"] == pytest.approx(
        bias.weat(centred, *bias.WEAT_TESTS[name]).effect_size)
    assert result["weat"][name]["uncentred"] == pytest.approx(
        bias.weat(emb, *bias.WEAT_TESTS[name]).effect_size)
    table = chapter.comparison_table({"a": result, "b": result})
    assert "WEAT 8" in table and table.splitlines()[0].split() == ["a", "b"]


def test_the_stored_book_measurement_is_labelled_and_complete():
    from lessons.book import measurements
    from lessons.book.text8_vectors import TEXT8_SETTINGS

    stored = measurements.load("bias_books")
    assert "gutenberg8" in stored["corpus"] and stored["words"] > 10_000_000
    # the chapter's settings, only the corpus changed
    assert stored["settings"] == {k: v for k, v in TEXT8_SETTINGS.items() if k != "max_words"}
    measures = stored["measures"]
    assert set(measures["weat"]) == set(bias.WEAT_TESTS)
    for result in measures["weat"].values():
        assert 0 < result["p_value"] <= 1 and len(result["leave_one_out"]) == 2
    assert 0 <= measures["extreme_occupations"]["p_value"] <= 1
