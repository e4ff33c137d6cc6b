"""The word2vec dot product as 8-wide vector instructions (lessons.models.word2vec.simd.dot).

It must give exactly the float32 result of eight scalar partial sums combined in a fixed
order, for any row of either matrix and any dimension (including ``d % 8 != 0``), so that
trained vectors do not depend on how the CPU runs it.
"""
import numpy as np
import pytest
from numba.core.errors import TypingError

from lessons.models.word2vec.simd import dot


def reference_dot(x, i, y, j, d):
    """Independent float32 reference: 8 lane sums (numpy elementwise), pairwise combine, tail."""
    blocks = d // 8
    lanes = np.zeros(8, dtype=np.float32)
    for b in range(blocks):
        lanes = lanes + x[i, 8 * b:8 * b + 8] * y[j, 8 * b:8 * b + 8]  # (8,) float32, exact
    s = (((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
         + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7])))
    for k in range(8 * blocks, d):
        s = s + x[i, k] * y[j, k]
    return np.float32(s)


@pytest.mark.parametrize("d", [1, 7, 8, 9, 16, 30, 37, 50, 100, 301])
def test_vector_dot_is_the_eight_lane_sum_bit_for_bit(d):
    rng = np.random.default_rng(d)
    x = rng.normal(size=(5, d)).astype(np.float32)  # (5, d)
    y = rng.normal(size=(4, d)).astype(np.float32)  # (4, d)
    for i in range(5):
        for j in range(4):
            fast = dot(x, i, y, j, d)
            assert fast == reference_dot(x, i, y, j, d)
            assert fast == dot.py_func(x, i, y, j, d)
            assert fast == pytest.approx(float(x[i].astype(np.float64) @ y[j]), rel=1e-5, abs=1e-5)


def test_vector_dot_reads_only_its_two_rows():
    d = 24
    x = np.zeros((3, d), dtype=np.float32)
    y = np.zeros((3, d), dtype=np.float32)
    x[1] = 1.0
    y[2] = np.arange(d, dtype=np.float32)
    x[0] = x[2] = y[0] = y[1] = np.nan  # neighbouring rows must not leak in
    assert dot(x, 1, y, 2, d) == np.float32(d * (d - 1) / 2)


def test_vector_dot_refuses_non_contiguous_rows():
    x = np.ones((3, 16), dtype=np.float32)
    with pytest.raises(TypingError):
        dot(x[:, ::2], 0, x[:, ::2], 1, 8)
