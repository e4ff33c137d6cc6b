"""Contextual vectors in miniature: an embedding lookup, then one self-attention layer.

Chapter: *What came after word2vec*.

A Transformer starts exactly like word2vec: token ids index the rows of a learned
``(V, d)`` table.  Then attention mixes the rows.  For a sentence whose looked-up
vectors are the rows of ``X`` (``(n, d)``),

    Q = X W_q,   K = X W_k,   values = X W_v
    A = softmax(Q K^T / sqrt(d_k))        (row-wise; A[i, j] = how much token i reads token j)
    output = A values

so every output row is a weighted average of the value vectors of the whole
sentence.  The same word therefore leaves the layer with different vectors in
different sentences: *bank* next to *river* is pulled towards *river*, next to
*money* towards *money*.

This module is the smallest faithful version: one head, no residual connection, no
layer norm, no position encoding, numpy only.  With the projection matrices left
as identities (the default) the attention scores are plain dot products of the
word vectors, which makes the mixing easy to follow by hand.

References
----------
* A. Vaswani et al., "Attention Is All You Need", NeurIPS 2017 (scaled dot-product
  attention, equation 1).
* M. E. Peters et al., "Deep contextualized word representations" (ELMo), NAACL 2018.
"""
from __future__ import annotations

import numpy as np

from lessons import checks
from lessons.vectors.embeddings import Embeddings

__all__ = ["softmax", "self_attention", "contextual_vectors"]


def softmax(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax along ``axis`` (the max is subtracted first)."""
    scores = checks.array("scores", scores, finite=False)  # -inf is allowed: it masks a position
    if scores.size == 0:
        raise ValueError("scores must not be empty")
    if np.isnan(scores).any() or np.isposinf(scores).any():
        raise ValueError("scores hold nan or +inf: a softmax needs finite scores "
                         "(-inf masks a position)")
    if np.isneginf(scores).all(axis=axis).any():
        raise ValueError("scores: a row is all -inf, so no position keeps any weight")
    shifted = scores - scores.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def self_attention(X, W_query=None, W_key=None, W_value=None, *, temperature: float | None = None):
    """One head of scaled dot-product self-attention.

    Parameters
    ----------
    X : (n, d) array
        The looked-up vectors of the ``n`` tokens of one sentence.
    W_query, W_key : (d, d_k) arrays or None (identity)
    W_value : (d, d_v) array or None (identity)
    temperature : float or None
        Scores are divided by it; None means ``sqrt(d_k)`` (the Transformer's choice).

    Returns
    -------
    output : (n, d_v) float64, row ``i`` = ``sum_j weights[i, j] * values[j]``
    weights : (n, n) float64, rows sum to 1
    """
    X = checks.matrix("X", X, min_rows=1, what="a non-empty (n, d) matrix")
    d = X.shape[1]
    projections = []
    for name, W in (("W_query", W_query), ("W_key", W_key), ("W_value", W_value)):
        W = np.eye(d) if W is None else checks.matrix(name, W, what=f"a ({d}, k) matrix")
        if W.shape[0] != d:
            raise ValueError(f"{name} must have shape ({d}, k), got {W.shape}")
        projections.append(X @ W)
    queries, keys, values = projections        # (n, d_k), (n, d_k), (n, d_v)
    if queries.shape[1] != keys.shape[1]:
        raise ValueError(f"W_query and W_key must have the same number of columns, "
                         f"got {queries.shape[1]} and {keys.shape[1]}")
    if temperature is None:
        temperature = float(np.sqrt(keys.shape[1]))
    checks.number("temperature", temperature, 0, strict=True)
    weights = softmax(queries @ keys.T / temperature, axis=1)   # (n, n)
    return weights @ values, weights


def contextual_vectors(embeddings: Embeddings, sentence, **attention_kwargs):
    """Look up the words of ``sentence`` and run them through :func:`self_attention`.

    Parameters
    ----------
    embeddings : Embeddings
        The lookup table (a static vector per word, as word2vec's).
    sentence : sequence of str
    **attention_kwargs
        Passed to :func:`self_attention` (projection matrices, temperature).

    Returns
    -------
    output : (n, d) float64, one contextual vector per token
    weights : (n, n) float64, the attention weights
    """
    if isinstance(sentence, str):
        sentence = sentence.split()
    sentence = checks.words("sentence", sentence)
    if not sentence:
        raise ValueError("sentence is empty: give at least one word")
    X = np.stack([embeddings[w] for w in sentence])  # (n, d) the embedding layer: a row lookup
    return self_attention(X, **attention_kwargs)
