import numpy as np
import pytest

from lessons.models import onehot


def test_one_hot_is_the_identity_row():
    vectors = onehot.one_hot(np.arange(5), 5)
    np.testing.assert_array_equal(vectors, np.eye(5, dtype=np.float32))
    single = onehot.one_hot(3, 5)
    assert single.shape == (5,) and single[3] == 1 and single.sum() == 1
    assert onehot.one_hot([[0, 1], [2, 3]], 4).shape == (2, 2, 4)


def test_one_hot_geometry_every_pair_equally_unlike():
    vectors = onehot.one_hot(np.arange(7), 7).astype(np.float64)
    dots = vectors @ vectors.T
    distances = np.linalg.norm(vectors[:, None] - vectors[None], axis=-1)
    off = ~np.eye(7, dtype=bool)
    assert np.all(dots[off] == 0)
    np.testing.assert_allclose(distances[off], np.sqrt(2))


@pytest.mark.parametrize("ids, vocab_size, message", [
    ([5], 5, r"\[0, 5\)"), ([-1], 5, r"\[0, 5\)"), ([0.5], 5, "integers"), ([0], 0, "vocab_size"),
])
def test_one_hot_bad_input(ids, vocab_size, message):
    with pytest.raises(ValueError, match=message):
        onehot.one_hot(ids, vocab_size)


def test_memory_and_sparsity():
    assert onehot.dense_bytes(1000, 10) == 1000 * 10 * 4
    assert onehot.sparse_bytes(10) == 40
    assert onehot.sparsity(4) == 0.75
    table = onehot.memory_table(50_000, n_tokens=1000, dim=300)
    assert table == {"one-hot (dense)": 200_000_000, "word ids": 4000, "dense vectors": 1_200_000}
    with pytest.raises(ValueError, match="dim"):
        onehot.memory_table(10, n_tokens=1, dim=0)
