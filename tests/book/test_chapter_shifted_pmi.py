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
