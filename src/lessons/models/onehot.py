"""One-hot vectors: every word its own axis.

Chapter: *One-hot vectors*.

A one-hot vector for word ``i`` of a ``V``-word vocabulary is the ``i``-th
standard basis vector ``e_i`` of R^V.  Its geometry is trivial on purpose:
``e_i · e_j = 0`` and ``||e_i - e_j|| = sqrt(2)`` for every ``i != j``, so the
representation says that all words are equally unlike each other.

References
----------
* Y. Bengio et al., "A Neural Probabilistic Language Model", JMLR 2003
  (one-hot inputs feeding a learned lookup table).
"""
from __future__ import annotations

import numpy as np

from lessons import checks

__all__ = ["one_hot", "dense_bytes", "sparse_bytes", "sparsity", "memory_table"]


def one_hot(ids, vocab_size: int, *, dtype=np.float32) -> np.ndarray:
    """One-hot encode word ids.

    Parameters
    ----------
    ids : int or (n,) array of int
        Word ids in ``[0, vocab_size)``.
    vocab_size : int
        ``V``, the length of each vector.

    Returns
    -------
    (V,) array for a single id, (n, V) array for n ids.
    """
    vocab_size = checks.integer("vocab_size", vocab_size, 1)
    ids_array = np.asarray(ids)
    if ids_array.dtype.kind not in "iu":
        raise ValueError(f"ids must be integers, got dtype {ids_array.dtype}")
    if ids_array.size and (ids_array.min() < 0 or ids_array.max() >= vocab_size):
        bad = ids_array[(ids_array < 0) | (ids_array >= vocab_size)].ravel()[0]
        raise ValueError(f"ids must lie in [0, {vocab_size}), got {int(bad)}")
    flat = ids_array.reshape(-1)
    out = np.zeros((flat.size, vocab_size), dtype=dtype)  # (n, V)
    out[np.arange(flat.size), flat] = 1
    return out[0] if ids_array.ndim == 0 else out.reshape(ids_array.shape + (vocab_size,))


def dense_bytes(vocab_size: int, n_vectors: int = 1, *, itemsize: int = 4) -> int:
    """Bytes to store ``n_vectors`` one-hot vectors densely (``itemsize`` bytes a number)."""
    vocab_size = checks.integer("vocab_size", vocab_size, 1)
    n_vectors = checks.integer("n_vectors", n_vectors, 0)
    return n_vectors * vocab_size * checks.integer("itemsize", itemsize, 0)


def sparse_bytes(n_vectors: int = 1, *, index_itemsize: int = 4) -> int:
    """Bytes to store ``n_vectors`` one-hot vectors as the position of their single 1.

    That is all a one-hot vector holds: an integer id.  (A CSR matrix would
    add one value and one row pointer per vector on top of this.)
    """
    n_vectors = checks.integer("n_vectors", n_vectors, 0)
    return n_vectors * checks.integer("index_itemsize", index_itemsize, 0)


def sparsity(vocab_size: int) -> float:
    """Fraction of zeros in a one-hot vector: ``1 - 1/V``."""
    return 1.0 - 1.0 / checks.integer("vocab_size", vocab_size, 1)


def memory_table(vocab_size: int, *, n_tokens: int, dim: int = 300) -> dict[str, int]:
    """Bytes to represent ``n_tokens`` running words three ways (float32 / int32).

    Returns a dict with ``"one-hot (dense)"`` (``n_tokens × V × 4``),
    ``"word ids"`` (``n_tokens × 4``) and ``"dense vectors"``
    (``n_tokens × dim × 4``: each token as a ``dim``-dimensional embedding).
    """
    dim = checks.integer("dim", dim, 1)
    n_tokens = checks.integer("n_tokens", n_tokens, 0)
    return {
        "one-hot (dense)": dense_bytes(vocab_size, n_tokens),
        "word ids": sparse_bytes(n_tokens),
        "dense vectors": n_tokens * dim * 4,
    }
