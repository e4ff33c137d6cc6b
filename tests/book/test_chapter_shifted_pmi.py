"""Tests for lessons.book.chapters.shifted_pmi: the factorisation slider and the self-check's
answer (checked against the shifted PMI written out by hand here)."""
import math

import numpy as np
import pytest
import scipy.sparse as sparse

from lessons.book.chapters import shifted_pmi as chapter
from lessons.models.skipgram import FactorisationCheck, shifted_pmi


def test_factorisation_figure():
    rng = np.random.default_rng(0)
    checks = {k: FactorisationCheck(rng.standard_normal(5), rng.standard_normal(5), np.ones(5),
                                    0.5, 0.5, 1.0) for k in (1, 5)}
    fig = chapter.factorisation_figure(checks)
    assert len(fig.data) == 4 and len(fig.layout.sliders[0].steps) == 2
    np.testing.assert_allclose(fig.data[2].x, checks[5].shifted_pmi)
    np.testing.assert_allclose(fig.data[2].y, checks[5].dots)
    assert fig.layout.title.text == "k = 1: correlation 0.500"
    with pytest.raises(ValueError, match="checks"):
        chapter.factorisation_figure({})


# #(w, c) for three words (fractional, as word2vec's dynamic window weighs them)
PAIRS = np.array([[0.0, 3.0, 1.5],
                  [3.0, 0.0, 2.0],
                  [1.0, 2.5, 0.0]])
NOISE = np.array([0.5, 0.3, 0.2])


def test_expected_shifted_pmi_by_hand():
    # #(w=0) is the row sum 4.5 (pairs with word 0 at the centre), not a token count
    expected = math.log(3.0 / (4.5 * 0.3)) - math.log(5)
    assert chapter.expected_shifted_pmi(PAIRS, NOISE, 0, 1, 5) == pytest.approx(expected, rel=1e-12)
    assert chapter.expected_shifted_pmi(sparse.csr_matrix(PAIRS), NOISE, 0, 1, 5) == \
        pytest.approx(expected, rel=1e-12)
    # the shift: k = 1 is log k = 0 higher
    assert (chapter.expected_shifted_pmi(PAIRS, NOISE, 0, 1, 1) - expected
            == pytest.approx(math.log(5)))


def test_expected_shifted_pmi_agrees_with_the_library_matrix():
    matrix = shifted_pmi(sparse.csr_matrix(PAIRS), NOISE, 15)
    for w, c in [(0, 1), (0, 2), (1, 2), (2, 0)]:
        assert (chapter.expected_shifted_pmi(PAIRS, NOISE, w, c, 15)
                == pytest.approx(matrix[w, c], rel=1e-12))


def test_a_pair_never_seen_is_refused():
    with pytest.raises(ValueError, match="never co-occurs"):
        chapter.expected_shifted_pmi(PAIRS, NOISE, 0, 0, 5)


class _History:
    def __init__(self, elapsed_s, examples):
        self.elapsed_s, self.examples = elapsed_s, examples


def test_seconds_per_pair_is_the_fastest_epoch_per_pair():
    # the first epoch also loads the compiled trainer: 2 s for 1,000 pairs; the best is 0.3 / 1,000
    history = _History([2.0, 0.4, 0.3], [1000, 1000, 1000])
    assert chapter.seconds_per_pair(history) == pytest.approx(0.3 / 1000)
    # per pair, not per epoch: a short epoch over few pairs is not the fastest
    assert chapter.seconds_per_pair(_History([0.1, 0.5], [10, 1000])) == pytest.approx(0.5 / 1000)
    with pytest.raises(ValueError, match="no epoch"):
        chapter.seconds_per_pair(_History([0.1], [0]))


def test_timing_by_vocabulary_trains_both_objectives_on_the_requested_vocabulary(monkeypatch):
    import lessons.models.softmax as softmax_module
    import lessons.models.word2vec as word2vec_module

    calls = []

    def fake(name, seconds):
        def run(corpus, **kwargs):
            calls.append((name, len(corpus[0]), len(kwargs["vocabulary"])))
            return type("Run", (), {"history": _History([seconds, seconds / 2], [100, 100])})()
        return run

    monkeypatch.setattr(word2vec_module, "train", fake("sgns", 1e-4))
    monkeypatch.setattr(softmax_module, "train_softmax", fake("softmax", 1e-2))
    words = [f"w{i % 50}" for i in range(400)]
    times = chapter.timing_by_vocabulary(words, (10, 40), softmax_words=30, sgns_words=300)
    assert calls == [("sgns", 300, 10), ("softmax", 30, 10), ("sgns", 300, 40), ("softmax", 30, 40)]
    assert times == {V: {"negative sampling": pytest.approx(0.5e-4 / 100),
                         "full softmax": pytest.approx(0.5e-2 / 100)} for V in (10, 40)}
    with pytest.raises(ValueError, match="only 50 distinct words"):
        chapter.timing_by_vocabulary(words, (60,))


def test_timing_by_vocabulary_runs_the_real_trainers():
    words = [f"w{i % 40}" for i in range(3000)]
    times = chapter.timing_by_vocabulary(words, (20,), softmax_words=200, sgns_words=2000)
    assert set(times) == {20} and all(0 < t < 1e-2 for t in times[20].values())
