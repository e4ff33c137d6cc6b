"""Tests for lessons.models.hierarchical_softmax against independent references: a tree
worked by hand from word2vec.c's CreateBinaryTree, heapq's Huffman cost, Kraft's
equality, brute-force path products, scipy's softmax and finite differences."""
import heapq

import numpy as np
import pytest
from scipy.special import expit, softmax

from lessons.models import hierarchical_softmax as hs


def heapq_huffman_cost(counts) -> float:
    """Sum over words of count * code length of an optimal prefix code (classic heapq Huffman).

    Every merge adds its weight once per leaf below it, so the total is the sum of the
    merged weights.
    """
    heap = [float(c) for c in counts]
    heapq.heapify(heap)
    cost = 0.0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        cost += merged
        heapq.heappush(heap, merged)
    return cost


def walk_up(tree, word):
    """(code, inner-node rows) of ``word``, root first, read from the parent pointers."""
    V = tree.vocab_size
    bits, nodes, node = [], [], word
    while tree.parent[node] != -1:
        bits.append(int(tree.branch[node]))
        nodes.append(int(tree.parent[node]) - V)
        node = tree.parent[node]
    return bits[::-1], nodes[::-1]


def random_counts(seed, V):
    rng = np.random.default_rng(seed)
    return rng.integers(1, 30, size=V)  # small range: many ties


def test_word2vec_c_tree_worked_by_hand():
    # word2vec.c on counts 4, 3, 2, 1: merge 1+2 -> node 4 (weight 3); then the tie 3 vs 3
    # takes the inner node first: 3+3 -> node 5; then 4+6 -> the root 6.  The heavier
    # node of each merge gets bit 1.
    tree = hs.huffman_tree([4, 3, 2, 1])
    assert [tree.code(w) for w in range(4)] == ["0", "11", "101", "100"]
    paths = [list(tree.points[w, :tree.lengths[w]]) for w in range(4)]
    assert paths == [[2], [2, 1], [2, 1, 0], [2, 1, 0]]
    assert tree.average_length() == pytest.approx((4 * 1 + 3 * 2 + 2 * 3 + 1 * 3) / 10)


def test_tree_follows_the_words_given_order():
    tree = hs.huffman_tree([1, 2, 3, 4])  # the same words, rarest first
    assert [tree.code(w) for w in range(4)] == ["100", "101", "11", "0"]


def test_dyadic_counts_have_the_unique_optimal_lengths():
    tree = hs.huffman_tree([16, 8, 4, 2, 1, 1])
    assert list(tree.lengths) == [1, 2, 3, 4, 5, 5]


@pytest.mark.parametrize("seed", range(6))
def test_cost_is_optimal_kraft_holds_and_codes_are_prefix_free(seed):
    counts = random_counts(seed, V=2 + 37 * seed)
    tree = hs.huffman_tree(counts)
    assert np.sum(counts * tree.lengths) == pytest.approx(heapq_huffman_cost(counts))
    assert np.sum(2.0 ** -tree.lengths) == pytest.approx(1.0, abs=1e-12)  # a full binary tree
    codes = sorted(tree.code(w) for w in range(len(counts)))
    assert len(set(codes)) == len(codes)
    # sorted: a prefix would sit just before
    assert not any(b.startswith(a) for a, b in zip(codes, codes[1:]))
    # frequent words never get longer codes than rarer ones
    order = np.argsort(-counts, kind="stable")
    assert np.all(np.diff(tree.lengths[order]) >= 0)


@pytest.mark.parametrize("seed", range(4))
def test_padded_paths_agree_with_the_parent_pointers(seed):
    counts = random_counts(seed, V=40)
    tree = hs.huffman_tree(counts)
    for w in range(len(counts)):
        bits, nodes = walk_up(tree, w)
        assert tree.code(w) == "".join(map(str, bits))
        assert list(tree.points[w, :tree.lengths[w]]) == nodes
        assert nodes[0] == len(counts) - 2  # the root


@pytest.mark.parametrize("seed", range(5))
def test_probabilities_are_path_products_and_sum_to_one(seed):
    rng = np.random.default_rng(seed)
    V, d = 3 + 50 * seed, 6
    tree = hs.huffman_tree(random_counts(seed, V))
    nodes = rng.standard_normal((V - 1, d))
    h = rng.standard_normal(d)
    p = hs.hs_distribution(h, nodes, tree)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    for w in range(0, V, 7):
        bits, path = walk_up(tree, w)
        brute = np.prod([expit(h @ nodes[n]) if b == 0 else 1.0 - expit(h @ nodes[n])
                         for b, n in zip(bits, path)])
        assert p[w] == pytest.approx(brute, rel=1e-10)
        assert hs.path_probability(h, nodes, tree, w) == pytest.approx(brute, rel=1e-10)


def test_two_words_are_a_logistic_regression_the_softmax_of_two_scores():
    tree = hs.huffman_tree([2, 1])  # word 1 (rarer) takes bit 0, word 0 bit 1
    n, h = np.array([[0.3, -1.2]]), np.array([0.7, 0.4])
    np.testing.assert_allclose(hs.hs_distribution(h, n, tree),
                               softmax([0.0, h @ n[0]]), rtol=1e-12)


def test_softmax_distribution_matches_scipy():
    rng = np.random.default_rng(1)
    U, h = rng.standard_normal((30, 5)) * 20, rng.standard_normal(5)  # large scores: a shift
    np.testing.assert_allclose(hs.softmax_distribution(h, U), softmax(U @ h), rtol=1e-12)


def test_node_vectors_reproduce_any_distribution_for_one_context():
    rng = np.random.default_rng(2)
    V, d = 25, 4
    tree = hs.huffman_tree(random_counts(2, V))
    h = rng.standard_normal(d)
    target = hs.softmax_distribution(h, rng.standard_normal((V, d)) * 2)
    nodes = hs.node_vectors_for(target, h, tree)
    assert nodes.shape == (V - 1, d)
    np.testing.assert_allclose(hs.hs_distribution(h, nodes, tree), target, rtol=1e-9)


def test_dot_products_per_example():
    counts = [16, 8, 4, 2, 1, 1]
    assert hs.dot_products_per_example("softmax", counts) == 6
    assert hs.dot_products_per_example("negative", counts, negative=15) == 16
    expected = (16 * 1 + 8 * 2 + 4 * 3 + 2 * 4 + 1 * 5 + 1 * 5) / 32
    assert hs.dot_products_per_example("hierarchical", counts) == pytest.approx(expected)


def _loss(method, H, targets, output, tree, noise):
    return hs.batch_step(method, H, targets, output.copy(), tree=tree, noise=noise)[0]


@pytest.mark.parametrize("method", hs.METHODS)
def test_batch_step_loss_gradient_and_update(method):
    rng = np.random.default_rng(3)
    V, d, B, k = 12, 4, 5, 3
    counts = random_counts(3, V)
    tree = hs.huffman_tree(counts)
    rows = V - 1 if method == "hierarchical" else V
    output = rng.standard_normal((rows, d))
    H = rng.standard_normal((B, d))
    targets = rng.integers(0, V, B)
    noise = rng.integers(0, V, (B, k))
    # the loss, from the distributions (softmax, hierarchical) or the formula (negative)
    if method == "softmax":
        expected = -sum(np.log(hs.softmax_distribution(H[b], output)[targets[b]]) for b in range(B))
    elif method == "hierarchical":
        expected = -sum(np.log(hs.path_probability(H[b], output, tree, targets[b]))
                        for b in range(B))
    else:
        expected = -sum(np.log(expit(output[targets[b]] @ H[b]))
                        + np.sum(np.log(expit(-output[noise[b]] @ H[b]))) for b in range(B))
    loss, grad_H = hs.batch_step(method, H, targets, output.copy(), tree=tree, noise=noise)
    assert loss == pytest.approx(expected, rel=1e-10)
    # d loss / d H and d loss / d output by central differences
    eps = 1e-6
    numeric = np.zeros_like(H)
    for index in np.ndindex(H.shape):
        step = np.zeros_like(H)
        step[index] = eps
        numeric[index] = (_loss(method, H + step, targets, output, tree, noise)
                          - _loss(method, H - step, targets, output, tree, noise)) / (2 * eps)
    np.testing.assert_allclose(grad_H, numeric, rtol=1e-6, atol=1e-8)
    numeric_out = np.zeros_like(output)
    for index in np.ndindex(output.shape):
        step = np.zeros_like(output)
        step[index] = eps
        numeric_out[index] = (_loss(method, H, targets, output + step, tree, noise)
                              - _loss(method, H, targets, output - step, tree, noise)) / (2 * eps)
    updated = output.copy()
    hs.batch_step(method, H, targets, updated, tree=tree, noise=noise, learning_rate=0.1)
    np.testing.assert_allclose(updated, output - 0.1 * numeric_out, rtol=1e-6, atol=1e-8)


def test_seconds_per_example_is_a_positive_time():
    for method in hs.METHODS:
        seconds = hs.seconds_per_example(method, random_counts(0, 50), dim=8, batch=16, repeats=1)
        assert np.isfinite(seconds) and seconds > 0


@pytest.mark.parametrize("counts, message", [
    ([3], "at least 2"), ([[1, 2], [3, 4]], "1-D"), ([3, 0, 1], "positive"),
    ([3, np.nan], "finite"),
])
def test_bad_counts_name_the_argument(counts, message):
    with pytest.raises(ValueError, match="counts") as error:
        hs.huffman_tree(counts)
    assert message in str(error.value)


def test_bad_shapes_and_methods_are_explained():
    tree = hs.huffman_tree([3, 2, 1])
    with pytest.raises(ValueError, match="node_vectors"):
        hs.hs_distribution(np.ones(4), np.ones((3, 4)), tree)
    with pytest.raises(ValueError, match="h must"):
        hs.hs_distribution(np.ones(3), np.ones((2, 4)), tree)
    with pytest.raises(ValueError, match="word must"):
        hs.path_probability(np.ones(4), np.ones((2, 4)), tree, 3)
    with pytest.raises(ValueError, match="method"):
        hs.dot_products_per_example("sampled", [3, 2, 1])
    with pytest.raises(ValueError, match="tree"):
        hs.batch_step("hierarchical", np.ones((1, 4)), [0], np.ones((2, 4)))
    with pytest.raises(ValueError, match="distribution"):
        hs.node_vectors_for([0.5, 0.5, 0.0], np.ones(4), tree)


def test_more_bad_arguments_are_named():
    tree = hs.huffman_tree([3, 2, 1])
    with pytest.raises(ValueError, match="^word must"):
        hs.path_probability(np.ones(4), np.ones((2, 4)), tree, -1)
    with pytest.raises(ValueError, match="^h holds nan"):
        hs.hs_distribution([np.nan, 1.0], np.ones((2, 2)), tree)
    with pytest.raises(ValueError, match="^batch must"):
        hs.seconds_per_example("softmax", [3, 2, 1], batch=0)
    with pytest.raises(ValueError, match="^repeats must"):
        hs.seconds_per_example("softmax", [3, 2, 1], repeats=0)
    with pytest.raises(ValueError, match="^negative must"):
        hs.dot_products_per_example("negative", [3, 2, 1], negative=0)
    with pytest.raises(ValueError, match="^targets must"):
        hs.batch_step("softmax", np.ones((2, 4)), [0], np.ones((3, 4)))
