"""Hierarchical softmax in miniature: a Huffman tree over the vocabulary, and
``P(w | h)`` as a product of sigmoids along the word's path.

Chapter: *CBOW and hierarchical softmax*.

word2vec's other way around the full softmax (Morin & Bengio 2005; Mikolov et al. 2013)
puts the ``V`` words at the leaves of a binary tree with ``V - 1`` inner nodes, each
with its own vector ``n``.  From the root, a context vector ``h`` goes to the branch
with bit 0 with probability ``sigmoid(h . n)`` and to the branch with bit 1 with
probability ``sigmoid(-h . n)``; the probability of a word is the product of the
choices on its path, so one example costs ``L_w`` dot products (its code length)
instead of ``V``:

    P(w | h) = prod_j sigmoid((1 - 2 code_j) h . n_{point_j})

* :func:`huffman_tree` builds the tree from word counts exactly as word2vec.c's
  ``CreateBinaryTree`` does (frequent words get short codes);
* :func:`path_probability`, :func:`hs_distribution` -- the probabilities (they sum to 1);
* :func:`softmax_distribution` -- the full softmax they replace;
* :func:`node_vectors_for` -- inner-node vectors that reproduce a given distribution
  for one ``h`` (the tree can express any distribution; what it saves is cost);
* :func:`dot_products_per_example`, :func:`batch_step`, :func:`seconds_per_example` --
  the cost of one training example for the full softmax, hierarchical softmax and
  negative sampling.

Plain numpy throughout (the miniature is for reading and measuring, not for training
real vectors; the book's trainer is :mod:`lessons.models.word2vec`).

References
----------
* F. Morin, Y. Bengio, "Hierarchical Probabilistic Neural Network Language Model",
  AISTATS 2005.
* T. Mikolov, I. Sutskever, K. Chen, G. Corrado, J. Dean, "Distributed Representations
  of Words and Phrases and their Compositionality", NeurIPS 2013 (Huffman tree).
* word2vec.c, ``CreateBinaryTree`` and the ``hs`` branch of ``TrainModelThread``.
* D. A. Huffman, "A Method for the Construction of Minimum-Redundancy Codes", 1952.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from lessons import checks
from lessons.timing import best_seconds

__all__ = ["HuffmanTree", "huffman_tree", "path_probability", "hs_distribution",
           "softmax_distribution", "node_vectors_for", "dot_products_per_example",
           "batch_step", "seconds_per_example", "METHODS"]

#: The output layers :func:`batch_step` and :func:`dot_products_per_example` know.
METHODS = ("softmax", "hierarchical", "negative")


@dataclass(frozen=True)
class HuffmanTree:
    """A binary tree over ``V`` words, as word2vec.c stores it.

    Attributes
    ----------
    counts : (V,) float64, the counts the tree was built from (in the caller's order)
    codes : (V, L) uint8, ``codes[w, :lengths[w]]`` is word ``w``'s code, root first
    points : (V, L) int64, ``points[w, j]`` is the inner node (a row ``0..V-2`` of the
        node vectors) where bit ``codes[w, j]`` is chosen; ``points[w, 0]`` is the root,
        ``V - 2``.  Entries past ``lengths[w]`` are 0 and masked.
    lengths : (V,) int64, code lengths ``L_w >= 1``
    parent : (2V - 1,) int64, the parent of every node (leaves ``0..V-1``, inner nodes
        ``V..2V-2`` in the order they were merged; the root ``2V - 2`` has -1)
    branch : (2V - 1,) uint8, the bit on the edge from a node to its parent
    """

    counts: np.ndarray
    codes: np.ndarray
    points: np.ndarray
    lengths: np.ndarray
    parent: np.ndarray
    branch: np.ndarray

    @property
    def vocab_size(self) -> int:
        return len(self.lengths)

    @property
    def mask(self) -> np.ndarray:
        """(V, L) bool: which entries of ``codes`` and ``points`` are on the path."""
        return np.arange(self.codes.shape[1])[None, :] < self.lengths[:, None]

    def code(self, word: int) -> str:
        """Word ``word``'s code as a string of 0s and 1s, root first."""
        return "".join(str(b) for b in self.codes[word, :self.lengths[word]])

    def average_length(self, counts=None) -> float:
        """Mean code length over tokens, ``sum_w c_w L_w / sum_w c_w`` (default: the tree's
        counts)."""
        weights = self.counts if counts is None else _word_counts(counts)
        if len(weights) != self.vocab_size:
            raise ValueError(f"counts has {len(weights)} entries for a tree over "
                             f"{self.vocab_size} words")
        return float(np.sum(weights * self.lengths) / np.sum(weights))


def _word_counts(counts) -> np.ndarray:
    """``counts`` as (V,) float64 finite positive counts, ``V >= 2``, or a ValueError."""
    counts = checks.array("counts", counts, ndim=1, min_rows=2,
                          what="a 1-D array of at least 2 word counts")
    if np.any(counts <= 0):
        raise ValueError("counts must be finite and positive (drop words that never occur)")
    return counts


def huffman_tree(counts) -> HuffmanTree:
    """The Huffman tree of word2vec.c's ``CreateBinaryTree``, for words with these counts.

    word2vec.c sorts the vocabulary by descending count, then merges the two lightest
    nodes ``V - 1`` times.  Because merged nodes are created in increasing weight, two
    pointers suffice (one walks the leaves from the rarest up, the other the new inner
    nodes); on a tie the inner node is taken first (``count[pos1] < count[pos2]`` is
    strict).  The lighter node of each merge gets bit 0, the heavier bit 1.  Words
    with equal counts keep their given order (a stable sort), so for counts already in
    descending order this is word2vec.c's tree exactly.

    Parameters
    ----------
    counts : (V,) positive numbers, any order, ``V >= 2``

    Returns
    -------
    HuffmanTree
        Indexed like ``counts``.
    """
    counts = _word_counts(counts)
    V = len(counts)
    order = np.argsort(-counts, kind="stable")  # (V,) rank -> word, most frequent first
    # Python lists in the loop: indexing them is several times faster than numpy scalars
    weight = counts[order].tolist() + [np.inf] * (V - 1)  # (2V-1,) leaves by rank, then merges
    parent_list = [-1] * (2 * V - 1)
    branch_list = [0] * (2 * V - 1)
    pos1, pos2 = V - 1, V  # the rarest leaf not merged yet; the first inner node not merged yet
    for a in range(V - 1):
        if pos1 >= 0 and weight[pos1] < weight[pos2]:
            lighter, pos1 = pos1, pos1 - 1
        else:
            lighter, pos2 = pos2, pos2 + 1
        if pos1 >= 0 and weight[pos1] < weight[pos2]:
            heavier, pos1 = pos1, pos1 - 1
        else:
            heavier, pos2 = pos2, pos2 + 1
        weight[V + a] = weight[lighter] + weight[heavier]
        parent_list[lighter] = parent_list[heavier] = V + a
        branch_list[heavier] = 1
    parent = np.array(parent_list, dtype=np.int64)  # (2V-1,)
    branch = np.array(branch_list, dtype=np.uint8)  # (2V-1,)
    # Walk every leaf up to the root, all leaves at once: step s collects the s-th edge
    # from the bottom.
    up_codes, up_points = [], []
    node = np.arange(V)  # (V,) current node of each leaf's walk
    lengths = np.zeros(V, dtype=np.int64)
    for _ in range(2 * V):
        active = node != 2 * V - 2
        if not active.any():
            break
        up_codes.append(np.where(active, branch[node], 0))
        up_points.append(np.where(active, parent[node] - V, 0))  # inner node as a row 0..V-2
        lengths += active
        node = np.where(active, parent[node], node)
    depth_max = int(lengths.max())
    up_codes = np.array(up_codes, dtype=np.uint8).T  # (V, depth) bottom-up
    up_points = np.array(up_points, dtype=np.int64).T
    # reverse each row's first lengths[w] entries so that the path starts at the root
    steps = np.arange(depth_max)[None, :]
    source = np.clip(lengths[:, None] - 1 - steps, 0, None)  # (V, depth)
    on_path = steps < lengths[:, None]
    rows = np.arange(V)[:, None]
    codes_sorted = np.where(on_path, up_codes[rows, source], 0).astype(np.uint8)
    points_sorted = np.where(on_path, up_points[rows, source], 0)
    # back to the caller's word order (leaves were numbered by rank)
    rank = np.empty(V, dtype=np.int64)
    rank[order] = np.arange(V)
    leaf_parent, leaf_branch = parent[:V][rank], branch[:V][rank]
    return HuffmanTree(counts=counts, codes=codes_sorted[rank], points=points_sorted[rank],
                       lengths=lengths[rank],
                       parent=np.concatenate([leaf_parent, parent[V:]]),
                       branch=np.concatenate([leaf_branch, branch[V:]]))


def _log_sigmoid(x):
    """``log sigmoid(x)`` elementwise, without overflow."""
    return -np.logaddexp(0.0, -x)


def _context_and_nodes(h, node_vectors, tree: HuffmanTree):
    """``h`` (d,) and ``node_vectors`` (V - 1, d) as float64, or a ValueError naming one."""
    node_vectors = checks.matrix("node_vectors", node_vectors, what="a (V - 1, d) matrix")
    if node_vectors.shape[0] != tree.vocab_size - 1:
        raise ValueError(f"node_vectors must have shape (V - 1, d) = ({tree.vocab_size - 1}, d), "
                         f"got {node_vectors.shape}")
    h = checks.array("h", h, ndim=1, columns=node_vectors.shape[1], what="a (d,) vector")
    return h, node_vectors


def path_probability(h, node_vectors, tree: HuffmanTree, word: int) -> float:
    """``P(word | h) = prod_j sigmoid((1 - 2 code_j) h . n_{point_j})`` along the word's path.

    Parameters
    ----------
    h : (d,) the context (CBOW: the mean of the context words' input vectors)
    node_vectors : (V - 1, d) one vector per inner node (word2vec.c's ``syn1``)
    tree : HuffmanTree
    word : int in ``0..V-1``
    """
    h, node_vectors = _context_and_nodes(h, node_vectors, tree)
    word = checks.integer("word", word, 0, tree.vocab_size - 1)
    n = tree.lengths[word]
    scores = node_vectors[tree.points[word, :n]] @ h  # (L_w,) one dot product per inner node
    signs = 1.0 - 2.0 * tree.codes[word, :n]  # bit 0 -> +1, bit 1 -> -1
    return float(np.exp(np.sum(_log_sigmoid(signs * scores))))


def hs_distribution(h, node_vectors, tree: HuffmanTree) -> np.ndarray:
    """``P(w | h)`` for every word at once, (V,) float64 (it sums to 1)."""
    h, node_vectors = _context_and_nodes(h, node_vectors, tree)
    scores = node_vectors @ h  # (V - 1,) every inner node once
    signs = 1.0 - 2.0 * tree.codes  # (V, L)
    log_p = np.where(tree.mask, _log_sigmoid(signs * scores[tree.points]), 0.0).sum(axis=1)
    return np.exp(log_p)


def softmax_distribution(h, output_vectors) -> np.ndarray:
    """The full softmax ``softmax(U h)``, (V,) float64: ``V`` dot products."""
    U = checks.matrix("output_vectors", output_vectors, min_rows=1, what="a (V, d) matrix")
    h = checks.array("h", h, ndim=1, columns=U.shape[1], what="a (d,) vector")
    scores = U @ h
    scores = scores - scores.max()  # the shift changes nothing but avoids overflow
    p = np.exp(scores)
    return p / p.sum()


def node_vectors_for(distribution, h, tree: HuffmanTree) -> np.ndarray:
    """Inner-node vectors with which the tree gives exactly ``distribution`` for context ``h``.

    At every inner node the probability of bit 0 must be the share of the node's
    probability mass that lies under its bit-0 child, ``m0 / m``; a node vector
    ``n = logit(m0 / m) h / |h|^2`` has ``sigmoid(h . n) = m0 / m``.

    Parameters
    ----------
    distribution : (V,) positive, summing to 1
    h : (d,) nonzero

    Returns
    -------
    (V - 1, d) float64
    """
    p = checks.array("distribution", distribution, ndim=1, what="a (V,) distribution")
    h = checks.array("h", h, what="a (d,) vector")
    if p.shape != (tree.vocab_size,) or np.any(p <= 0) or not np.isclose(p.sum(), 1.0):
        raise ValueError(f"distribution must be ({tree.vocab_size},) positive numbers summing to 1")
    if h.ndim != 1 or not np.any(h):
        raise ValueError("h must be a nonzero 1-D vector")
    mask = tree.mask
    mass = np.zeros(tree.vocab_size - 1)  # (V - 1,) probability under each inner node
    mass0 = np.zeros(tree.vocab_size - 1)  # (V - 1,) ... under its bit-0 child
    leaf_p = np.broadcast_to(p[:, None], mask.shape)
    np.add.at(mass, tree.points[mask], leaf_p[mask])
    zero = mask & (tree.codes == 0)
    np.add.at(mass0, tree.points[zero], leaf_p[zero])
    share = mass0 / mass
    logit = np.log(share) - np.log1p(-share)
    return logit[:, None] * h[None, :] / (h @ h)


def dot_products_per_example(method: str, counts, *, negative: int = 5) -> float:
    """Dot products ``u . h`` one training example needs, averaged over target tokens.

    * ``"softmax"``: ``V`` (every word is scored);
    * ``"hierarchical"``: the mean Huffman code length ``sum_w c_w L_w / sum_w c_w``;
    * ``"negative"``: ``negative + 1`` (the true word and the noise words).

    The backward pass touches the same vectors, so the total work per example is a
    small multiple of this count times ``d``.
    """
    counts = _word_counts(counts)
    if checks.choice("method", method, METHODS) == "softmax":
        return float(len(counts))
    if method == "hierarchical":
        return huffman_tree(counts).average_length()
    return float(checks.integer("negative", negative, 1) + 1)


def batch_step(method: str, H, targets, output, *, tree: HuffmanTree | None = None,
               noise=None, learning_rate: float = 0.0):
    """Loss and gradient of a batch of examples, and an SGD step on the output layer.

    Parameters
    ----------
    method : "softmax", "hierarchical" or "negative"
    H : (B, d) contexts (one per example)
    targets : (B,) int, the word each context should predict
    output : the output layer, updated in place by ``-learning_rate * gradient``:
        (V, d) output vectors (softmax, negative) or (V - 1, d) node vectors
        (hierarchical)
    tree : HuffmanTree, for "hierarchical"
    noise : (B, k) int, the noise words of each example, for "negative" (a noise word
        equal to the target is kept here; word2vec.c skips it, which changes the cost
        by a fraction of a dot product)
    learning_rate : float >= 0

    Returns
    -------
    loss : float, summed over the batch
    grad_H : (B, d) d loss / d H
    """
    H = checks.matrix("H", H, finite=False, what="a (B, d) matrix")  # no extra pass: it is timed
    targets = checks.array("targets", targets, dtype=np.int64, what="a (B,) array of word ids")
    if targets.shape != (H.shape[0],):
        raise ValueError(f"targets must be (B,) = ({H.shape[0]},): one word id per row of H, "
                         f"got shape {targets.shape}")
    checks.choice("method", method, METHODS)
    if method == "hierarchical" and tree is None:
        raise ValueError("method 'hierarchical' needs the tree (tree=huffman_tree(counts))")
    vocab = tree.vocab_size if method == "hierarchical" else len(output)
    if targets.size and (targets.min() < 0 or targets.max() >= vocab):
        raise ValueError(f"targets must be word ids in 0..{vocab - 1}, got "
                         f"{targets.min()}..{targets.max()}")
    if method == "softmax":
        scores = H @ output.T  # (B, V) every word scored
        scores -= scores.max(axis=1, keepdims=True)
        log_z = np.log(np.exp(scores).sum(axis=1))
        rows = np.arange(len(targets))
        loss = float(np.sum(log_z - scores[rows, targets]))
        _finite_loss(loss)
        G = np.exp(scores - log_z[:, None])  # (B, V) softmax
        G[rows, targets] -= 1.0  # d loss / d scores
        grad_H = G @ output
        output -= learning_rate * (G.T @ H)
        return loss, grad_H
    if method == "hierarchical":
        points = tree.points[targets]  # (B, L)
        mask = np.arange(points.shape[1])[None, :] < tree.lengths[targets][:, None]  # on the path
        signs = np.where(mask, 1.0 - 2.0 * tree.codes[targets], 0.0)  # 0 off the path
        rows = output[points]  # (B, L, d) the inner nodes on each path
    else:  # "negative"
        if noise is None:
            raise ValueError("method 'negative' needs the noise words (noise=(B, k) ids)")
        points = np.concatenate([targets[:, None], np.asarray(noise, dtype=np.int64)], axis=1)
        signs = np.ones(points.shape)
        signs[:, 1:] = -1.0  # the true word should score high, the noise words low
        rows = output[points]  # (B, k + 1, d)
    # both: loss = -sum_j log sigmoid(s_j x_j), x_j = h . row_j, dx_j = -s_j sigmoid(-s_j x_j)
    x = np.einsum("bld,bd->bl", rows, H)
    loss = float(-np.sum(np.where(signs != 0, _log_sigmoid(signs * x), 0.0)))
    _finite_loss(loss)
    g = -signs * np.exp(_log_sigmoid(-signs * x))  # (B, L) zero off the path
    grad_H = np.einsum("bl,bld->bd", g, rows)
    _scatter_step(output, points, g, H, learning_rate)
    return loss, grad_H


def _finite_loss(loss: float) -> None:
    """H is not scanned for nan (batch_step is timed): a nan or inf shows in the loss."""
    if not np.isfinite(loss):
        raise ValueError(f"the loss is {loss}: H or output holds nan or inf (or overflows)")


def _scatter_step(output, points, g, H, learning_rate) -> None:
    """``output[points[b, l]] -= learning_rate * g[b, l] * H[b]`` for every ``b, l``, repeats
    summed.

    A sparse (rows touched, B) matrix times ``H``: the same sum as ``np.add.at``, without
    its per-element overhead.
    """
    touched, row = np.unique(points, return_inverse=True)  # rows of output that change
    example = np.broadcast_to(np.arange(points.shape[0])[:, None], points.shape)
    scatter = sparse.csr_matrix((g.ravel(), (row.ravel(), example.ravel())),
                                shape=(len(touched), points.shape[0]))  # (touched, B)
    output[touched] -= learning_rate * (scatter @ H)


def seconds_per_example(method: str, counts, *, dim: int = 100, batch: int = 256,
                        negative: int = 5, repeats: int = 3, seed: int = 0,
                        tree: HuffmanTree | None = None) -> float:
    """Measured wall time of :func:`batch_step` per example (best of ``repeats`` batches).

    Targets are drawn from the counts (as a corpus would present them), noise words
    from ``counts ** 0.75``; everything random comes from ``numpy.random.default_rng(seed)``.
    ``tree`` (optional) is ``huffman_tree(counts)``, if already built.
    The time depends on the machine and its load: use it for ratios and trends.
    """
    counts = _word_counts(counts)
    if tree is not None and tree.vocab_size != len(counts):
        raise ValueError(f"tree is over {tree.vocab_size} words, counts has {len(counts)}")
    batch = checks.integer("batch", batch, 1)
    rng = checks.random_state("seed", seed)
    V = len(counts)
    H = rng.standard_normal((batch, dim)) * 0.1
    targets = rng.choice(V, size=batch, p=counts / counts.sum())
    if method == "hierarchical" and tree is None:
        tree = huffman_tree(counts)
    noise_p = counts ** 0.75
    noise = rng.choice(V, size=(batch, negative), p=noise_p / noise_p.sum())
    rows = V - 1 if method == "hierarchical" else V
    output = rng.standard_normal((rows, dim)) * 0.1

    def step():
        batch_step(method, H, targets, output, tree=tree, noise=noise, learning_rate=0.01)

    return best_seconds(step, repeats) / batch
