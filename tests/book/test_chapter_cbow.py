"""Tests for lessons.book.chapters.cbow: the kernel harness (against a numpy replay written
here), the frequency-band measurements, the figures and the self-check answers."""
import numpy as np
import pytest

from lessons.book.chapters import cbow as chapter
from lessons.models import hierarchical_softmax as hs
from lessons.models.word2vec import MAX_EXP, SIGMOID_TABLE
from lessons.vectors.embeddings import Embeddings
from lessons.vectors.evaluation import AnalogyResult, AnalogySection


def replay(W_in, W_out, sentence, noise, lr, divide):
    """CBOW with window 1 and one fixed noise word, step by step, in numpy."""
    W, U = W_in.copy(), W_out.copy()
    for i, centre in enumerate(sentence):
        contexts = [sentence[j] for j in (i - 1, i + 1) if 0 <= j < len(sentence)]
        h = W[contexts].sum(axis=0) / np.float32(len(contexts))
        step = np.zeros(W.shape[1], dtype=np.float32)
        for target, label in ((centre, 1.0), (noise, 0.0)):
            f = U[target] @ h
            g = lr * (np.float32(label)
                      - SIGMOID_TABLE[int((f + MAX_EXP) * len(SIGMOID_TABLE) / (2 * MAX_EXP))])
            step += g * U[target]
            U[target] += g * h
        for c in contexts:
            W[c] += step / np.float32(len(contexts)) if divide else step
    return W, U


def test_kernel_adds_the_whole_step_to_every_context_vector():
    rng = np.random.default_rng(5)
    W_in = (0.4 * rng.standard_normal((6, 8))).astype(np.float32)
    W_out = (0.4 * rng.standard_normal((6, 8))).astype(np.float32)
    sentence, lr = [0, 1, 2, 3], np.float32(0.3)
    vectors, context_vectors = chapter.cbow_kernel_sentence(W_in, W_out, sentence, 5, lr)
    whole, whole_out = replay(W_in, W_out, sentence, 5, lr, divide=False)
    np.testing.assert_allclose(vectors, whole, atol=1e-6)
    np.testing.assert_allclose(context_vectors, whole_out, atol=1e-6)
    divided, _ = replay(W_in, W_out, sentence, 5, lr, divide=True)
    assert np.abs(vectors - divided).max() > 1e-2
    assert np.array_equal(
        W_in, (0.4 * np.random.default_rng(5).standard_normal((6, 8))).astype(np.float32)), \
        "the inputs must not be modified"
    with pytest.raises(ValueError, match="noise_word"):
        chapter.cbow_kernel_sentence(W_in, W_out, [0, 5], 5, lr)


def tiny_embeddings():
    words = ["the", "king", "queen", "rare"]
    vectors = np.array([[3.0, 4.0], [1.0, 0.0], [0.0, 2.0], [0.3, 0.4]])  # lengths 5, 1, 2, 0.5
    return Embeddings(words, vectors, counts=np.array([5000, 500, 50, 12]))


def test_bands_accuracy_and_norms():
    assert ([chapter.frequency_band(c) for c in (9, 10, 29, 30, 999, 1000, 10**7)]
            == [-1, 0, 0, 1, 2, 3, 3])
    assert chapter.band_labels() == ["10–29", "30–99", "100–999", "≥ 1,000"]
    emb = tiny_embeddings()
    answers = [("A", "B", "C", "QUEEN", "QUEEN"), ("A", "B", "C", "QUEEN", "KING"),
               ("A", "B", "C", "RARE", "KING"), ("A", "B", "C", "THE", "THE")]
    result = AnalogyResult([], AnalogySection("Total accuracy"), 0, 4, "3cosadd", 10, answers)
    accuracy, asked = chapter.accuracy_by_band(result, emb)
    np.testing.assert_array_equal(asked, [1, 2, 0, 1])
    np.testing.assert_allclose(accuracy, [0.0, 0.5, np.nan, 1.0])
    np.testing.assert_allclose(chapter.median_norm_by_band(emb), [0.5, 2.0, 1.0, 5.0])


def test_sections_and_rare_words_figures():
    sections = [AnalogySection("capital-world", [1, 2], [3, 4, 5, 6]),
                AnalogySection("gram8-plural", [1], [2, 3, 4])]
    result = AnalogyResult(sections, AnalogySection("Total accuracy", [1, 2, 3], [4] * 7), 0, 10,
                           "3cosadd", 10)
    fig = chapter.sections_figure({"a": result, "b": result})
    assert len(fig.data) == 2
    assert list(fig.data[0].x) == ["capital-world", "gram8-plural", "semantic", "syntactic"]
    np.testing.assert_allclose(fig.data[0].y, [100 / 3, 25.0, 100 / 3, 25.0])
    fig = chapter.rare_words_figure({"x": [0.1, 0.2, 0.3, 0.4]}, {"x": [5, 6, 7, 8]},
                                    {"x": [1.0, 2.0, 3.0, 4.0]})
    assert len(fig.data) == 2
    np.testing.assert_allclose(fig.data[0].y, [10, 20, 30, 40])
    np.testing.assert_allclose(fig.data[1].y, [1, 2, 3, 4])


def test_code_length_figure_draws_every_length_from_first_to_last_rank():
    counts = np.sort(np.random.default_rng(0).zipf(1.5, 300).astype(float))[::-1]
    words = [f"w{i}" for i in range(300)]
    trees = {V: hs.huffman_tree(counts[:V]) for V in (20, 300)}
    fig = chapter.code_length_figure(words, trees)
    assert len(fig.data) == 6 and len(fig.layout.sliders[0].steps) == 2
    tree = trees[300]
    stairs = fig.data[3]  # the second slider position's first trace
    for rank, length, word in zip(stairs.x, stairs.y, stairs.text):
        assert tree.lengths[rank - 1] == length and word == words[rank - 1]
    assert set(stairs.y) == set(tree.lengths)
    assert fig.data[5].y[0] == pytest.approx(tree.average_length())
    assert fig.data[4].y[0] == pytest.approx(np.log2(300))


def test_cost_figure_converts_seconds_to_microseconds():
    fig = chapter.cost_figure([10, 100], {"a": [10, 100]}, {"a": [1e-6, 2e-5]})
    assert len(fig.data) == 2
    np.testing.assert_allclose(fig.data[1].y, [1.0, 20.0])


def test_expected_answers():
    assert chapter.expected_examples(7, 2) == (22, 7)
    assert chapter.expected_examples(1, 5) == (0, 0)
    assert chapter.expected_examples(3, 1) == (4, 3)
    assert chapter.expected_average_code_length([2, 1, 1, 1, 1]) == pytest.approx(14 / 6)
