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

__all__ = ["one_hot", "dense_bytes", "sparse_bytes", "sparsity", "memory_table"]


def _check_vocab_size(vocab_size) -> int:
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, (int, np.integer)) or vocab_size < 1:
        raise ValueError(f"vocab_size must be a positive integer, got {vocab_size!r}")
    return int(vocab_size)


def _check_count(name, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    return int(value)


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
    vocab_size = _check_vocab_size(vocab_size)
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
    vocab_size = _check_vocab_size(vocab_size)
    return _check_count("n_vectors", n_vectors) * vocab_size * _check_count("itemsize", itemsize)


def sparse_bytes(n_vectors: int = 1, *, index_itemsize: int = 4) -> int:
    """Bytes to store ``n_vectors`` one-hot vectors as the position of their single 1.

    That is all a one-hot vector holds: an integer id.  (A CSR matrix would
    add one value and one row pointer per vector on top of this.)
    """
    return _check_count("n_vectors", n_vectors) * _check_count("index_itemsize", index_itemsize)


def sparsity(vocab_size: int) -> float:
    """Fraction of zeros in a one-hot vector: ``1 - 1/V``."""
    vocab_size = _check_vocab_size(vocab_size)
    return 1.0 - 1.0 / vocab_size


def memory_table(vocab_size: int, *, n_tokens: int, dim: int = 300) -> dict[str, int]:
    """Bytes to represent ``n_tokens`` running words three ways (float32 / int32).

    Returns a dict with ``"one-hot (dense)"`` (``n_tokens × V × 4``),
    ``"word ids"`` (``n_tokens × 4``) and ``"dense vectors"``
    (``n_tokens × dim × 4``: each token as a ``dim``-dimensional embedding).
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"dim must be an integer >= 1, got {dim!r}")
    n_tokens = _check_count("n_tokens", n_tokens)
    return {
        "one-hot (dense)": dense_bytes(vocab_size, n_tokens),
        "word ids": sparse_bytes(n_tokens),
        "dense vectors": int(n_tokens) * int(dim) * 4,
    }
