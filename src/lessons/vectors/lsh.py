"""Approximate nearest neighbours by random-hyperplane locality-sensitive hashing.

Chapter: *Why vectors?* (bulk nearest-neighbour search and its approximate alternative).

Each of ``n_tables`` hash tables draws ``n_bits`` random Gaussian hyperplanes
through the origin; a vector's key in a table is the pattern of signs of its dot
products with them.  For two vectors at angle ``θ`` one hyperplane separates them
with probability ``θ/π`` (Charikar 2002), so they share a one-bit key with
probability ``1 - θ/π`` and a ``b``-bit key with ``(1 - θ/π)^b``.  A query looks
at the vectors that share its key in at least one table (the *candidates*) and
ranks only those by exact cosine.  More bits: fewer candidates, faster, lower
recall; more tables: more candidates, slower, higher recall.

References
----------
* M. Charikar (2002).  Similarity estimation techniques from rounding algorithms.  STOC.
* A. Andoni, P. Indyk (2008).  Near-optimal hashing algorithms for approximate nearest
  neighbor in high dimensions.  CACM.
"""
from __future__ import annotations

import numpy as np

from lessons import checks
from lessons.vectors.linalg import unit_rows

__all__ = ["HyperplaneLSH", "collision_probability", "exact_top_k", "recall_at_k"]


def collision_probability(cosine, n_bits: int = 1, n_tables: int = 1) -> np.ndarray:
    """Probability that two vectors with the given cosine become candidates of each other.

    One table: ``p = (1 - θ/π)^n_bits`` with ``θ = arccos(cosine)``; any of
    ``n_tables`` independent tables: ``1 - (1 - p)^n_tables``.
    """
    cosine = checks.array("cosine", cosine)
    if np.any(np.abs(cosine) > 1 + 1e-9):
        raise ValueError(f"cosine must lie in [-1, 1], got {cosine}")
    n_bits, n_tables = checks.integer("n_bits", n_bits, 1), checks.integer("n_tables", n_tables, 1)
    theta = np.arccos(np.clip(cosine, -1, 1))
    p = (1 - theta / np.pi) ** n_bits
    return 1 - (1 - p) ** n_tables


def exact_top_k(unit_data: np.ndarray, unit_queries: np.ndarray, k: int, *,
                exclude=None) -> np.ndarray:
    """Brute force: the ``k`` rows of ``unit_data`` with the largest dot product with each query,
    best first.  ``exclude`` (q,) optional row to skip per query (the query's own row). (q, k).
    """
    unit_data = checks.matrix("unit_data", unit_data, dtype=None, min_rows=1)  # (n, d)
    unit_queries = checks.matrix("unit_queries", unit_queries, dtype=None,
                                 columns=unit_data.shape[1])  # (q, d)
    k = checks.integer("k", k, 1, len(unit_data) - 1 if exclude is not None else len(unit_data),
                       why_high=" (the rows of unit_data, less the excluded one)")
    scores = unit_queries @ unit_data.T  # (q, n)
    if exclude is not None:
        scores[np.arange(len(scores)), exclude] = -np.inf
    top = np.argpartition(-scores, k, axis=1)[:, :k]  # (q, k) unordered
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1)


def recall_at_k(found, truth) -> float:
    """Mean over queries of ``|found ∩ truth| / |truth|`` (rows of two (q, k) index arrays)."""
    found = checks.matrix("found", found, dtype=None, what="a (q, k) array of row ids")
    truth = checks.matrix("truth", truth, dtype=None, min_rows=1, what="a (q, k) array of row ids")
    for name, ids in (("found", found), ("truth", truth)):
        if ids.dtype.kind not in "iu":
            raise checks.ArgumentTypeError(f"{name} must hold integer row ids, got dtype "
                                           f"{ids.dtype}")
    if len(found) != len(truth) or truth.shape[1] == 0:
        raise ValueError(f"found and truth must have one non-empty row per query, got shapes "
                         f"{found.shape} and {truth.shape}")
    hits = [len(np.intersect1d(f[f >= 0], t)) / len(t) for f, t in zip(found, truth)]
    return float(np.mean(hits))


def _unit_vector(x: np.ndarray) -> np.ndarray:
    """One query vector (d,) scaled to length 1 (a zero vector stays zero).

    Not :func:`~lessons.vectors.linalg.unit_rows`: that takes each row's norm as a
    sum along the row, which can differ from this vector norm in the last bit, and
    a last-bit change of a query reorders near-tied neighbours.
    """
    return x / max(float(np.linalg.norm(x)), 1e-30)


class HyperplaneLSH:
    """A random-hyperplane LSH index over unit vectors (cosine similarity).

    Parameters
    ----------
    n_bits : int
        Hyperplanes per table (key length, at most 62).
    n_tables : int
        Independent tables; a query's candidates are the union over tables.
    seed : int, numpy.random.Generator or None
        Seeds the hyperplanes (a seed draws the same ones at every :meth:`build`).
    center : bool
        Put the hyperplanes through the mean of the (unit) data instead of the origin.
        Trained word vectors share a common direction (they lie in a cone), so
        hyperplanes through the origin split them unevenly and buckets get huge;
        centred hyperplanes split them evenly.  Candidates are still ranked by
        their exact cosine with the query.

    Examples
    --------
    >>> index = HyperplaneLSH(n_bits=12, n_tables=8, seed=0).build(unit_vectors)   # doctest: +SKIP
    >>> ids, n_candidates = index.query(unit_vectors[:5], k=10)                   # doctest: +SKIP
    """

    def __init__(self, n_bits: int = 12, n_tables: int = 8, *, seed=0, center: bool = False):
        self.n_bits = checks.integer("n_bits", n_bits, 1, 62, why_high=" (a key is an int64)")
        self.n_tables = checks.integer("n_tables", n_tables, 1)
        checks.random_state("seed", seed)  # checked now; build() draws from it
        self.seed, self.center = seed, checks.flag("center", center)
        self._weights = (1 << np.arange(self.n_bits, dtype=np.int64))  # (b,) bit values

    def _keys(self, X: np.ndarray) -> np.ndarray:
        """(n, d) -> (T, n) int64 keys: bit j of key t is sign(x · plane_{t,j}) > 0."""
        signs = np.einsum("tbd,nd->tnb", self.planes, X - self.offset) > 0  # (T, n, b)
        return signs.astype(np.int64) @ self._weights          # (T, n)

    def build(self, data) -> "HyperplaneLSH":
        """Index the rows of ``data`` (n, d) (scaled to unit length inside)."""
        data = checks.matrix("data", data, dtype=np.float32, min_rows=1)
        self.data = unit_rows(data)  # (n, d) float32 unit rows
        d = data.shape[1]
        # (d,) where the hyperplanes pass: the origin, or the mean unit vector
        self.offset = self.data.mean(axis=0) if self.center else np.zeros(d, np.float32)
        rng = checks.random_state("seed", self.seed)
        self.planes = rng.standard_normal((self.n_tables, self.n_bits, d)).astype(np.float32)
        keys = self._keys(self.data)                        # (T, n)
        self._order = np.argsort(keys, axis=1, kind="stable")  # (T, n) rows sorted by key
        self._sorted_keys = np.take_along_axis(keys, self._order, axis=1)
        return self

    def candidates(self, query) -> np.ndarray:
        """Row ids sharing the key of one query (d,) in at least one table, sorted."""
        query = _unit_vector(np.asarray(query, dtype=np.float32))  # keys are taken on unit vectors
        keys = self._keys(query[None, :])[:, 0]  # (T,)
        parts = []
        for t, key in enumerate(keys):
            lo = np.searchsorted(self._sorted_keys[t], key, side="left")
            hi = np.searchsorted(self._sorted_keys[t], key, side="right")
            parts.append(self._order[t, lo:hi])
        return np.unique(np.concatenate(parts))

    def query(self, queries, k: int = 10, *, exclude=None) -> tuple[np.ndarray, np.ndarray]:
        """Approximate top-``k`` by cosine for each query row.

        Returns ``(ids, n_candidates)``: ``ids`` (q, k) best first, padded with -1 when
        fewer than ``k`` candidates were found; ``n_candidates`` (q,) how many exact
        cosines each query needed.  ``exclude`` (q,) optional row id to skip per query.
        """
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        ids = np.full((len(queries), k), -1, dtype=np.int64)
        n_candidates = np.zeros(len(queries), dtype=np.int64)
        for q, query in enumerate(queries):
            cand = self.candidates(query)
            if exclude is not None:
                cand = cand[cand != exclude[q]]
            n_candidates[q] = len(cand)
            if len(cand) == 0:
                continue
            scores = self.data[cand] @ _unit_vector(query)  # (c,)
            best = np.argsort(-scores, kind="stable")[:k]
            ids[q, :len(best)] = cand[best]
        return ids, n_candidates
