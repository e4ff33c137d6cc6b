"""The article's "complete mini training loop": verbatim, its one-line bug, and its
differences from word2vec.c.

Chapter: *The training loop*.

:data:`ARTICLE_LOOP` is the article's code exactly as printed, and :func:`run_verbatim`
runs it (its own ``np.random.seed(42)``, 200 epochs, its prints). :func:`article_loop`
re-implements it step for step, drawing the same random numbers in the same order,
so that it reproduces the verbatim run bit for bit (the tests check this) while
exposing one switch per difference from word2vec.c's algorithm:

``fixed``
    The article's bug: ``v_c = W_in[center_idx]`` is a numpy *view*, so after
    ``W_in[center_idx] -= grad * u_o`` the output update ``W_out[...] -= grad * v_c``
    uses the already-moved centre vector. That adds ``(lr·g)² u`` to each output
    vector ``u`` it touches: a growth term proportional to ``u`` itself, compounding
    over every update. The fix is one line, ``v_c = W_in[center_idx].copy()``.
``accumulate``
    word2vec.c sums the centre gradient over the k+1 targets (``neu1e``) and applies
    it once, after them. With the fix, the article's immediate updates are the same
    arithmetic in another summation order.
``skip_noise_target``
    word2vec.c discards a noise word that equals the true target word.
``context_predicts_centre``
    word2vec.c's skip-gram feeds the *context* word's input vector and predicts the
    *centre* word's output vector; the article does the opposite.
``decay``
    word2vec.c's learning rate falls linearly to 0.0001 of its start; the article's is fixed.
``word2vec_init``
    word2vec.c starts input vectors uniform in [-0.5, 0.5)/d and output vectors at 0;
    the article draws both from N(0, 0.1²).
``dynamic_window``
    word2vec.c draws the window for each centre word uniformly from 1..window.
"""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import numpy as np

from lessons import checks
from lessons.data.corpus import check_corpus

__all__ = ["ARTICLE_LOOP", "THE_FIX", "VerbatimRun", "LoopRun", "run_verbatim", "article_loop"]

#: The article's complete mini training loop, exactly as printed.
ARTICLE_LOOP = '''import numpy as np

np.random.seed(42)

# Tiny corpus
sentences = [
    ["the", "cat", "sat", "on", "the", "mat"],
    ["the", "dog", "sat", "on", "the", "rug"],
    ["a", "cat", "chased", "a", "dog"],
    ["the", "dog", "chased", "the", "cat"],
    ["a", "king", "ruled", "the", "land"],
    ["a", "queen", "ruled", "the", "land"],
    ["the", "king", "and", "queen", "sat"],
]

vocab = sorted(set(w for s in sentences for w in s))
w2i = {w: i for i, w in enumerate(vocab)}
V = len(vocab)

# Hyperparameters
d = 10          # embedding dimensions
lr = 0.05       # learning rate
k_neg = 3       # negative samples
window = 2      # context window
epochs = 200

# Initialize embeddings
W_in  = np.random.randn(V, d) * 0.1
W_out = np.random.randn(V, d) * 0.1

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))

# Word frequency for negative sampling distribution (raised to 0.75 power)
freq = np.zeros(V)
for s in sentences:
    for w in s:
        freq[w2i[w]] += 1
freq = freq ** 0.75
freq = freq / freq.sum()

# Training
for epoch in range(epochs):
    total_loss = 0
    n_examples = 0

    for sentence in sentences:
        indices = [w2i[w] for w in sentence]
        for i, center_idx in enumerate(indices):
            # Context words within window
            for j in range(max(0, i - window), min(len(indices), i + window + 1)):
                if i == j:
                    continue
                context_idx = indices[j]

                # Positive update
                v_c = W_in[center_idx]
                u_o = W_out[context_idx]
                score = sigmoid(np.dot(u_o, v_c))
                grad = (score - 1) * lr  # want score → 1

                W_in[center_idx]  -= grad * u_o
                W_out[context_idx] -= grad * v_c

                # Negative sampling
                neg_indices = np.random.choice(V, size=k_neg, p=freq)
                for neg_idx in neg_indices:
                    u_neg = W_out[neg_idx]
                    score_neg = sigmoid(np.dot(u_neg, v_c))
                    grad_neg = score_neg * lr  # want score → 0

                    W_in[center_idx] -= grad_neg * u_neg
                    W_out[neg_idx]   -= grad_neg * v_c

                n_examples += 1

    if (epoch + 1) % 50 == 0:
        # Check similarity between cat and dog
        def cos_sim(a, b):
            return np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-10)

        cat_dog = cos_sim(W_in[w2i["cat"]], W_in[w2i["dog"]])
        cat_king = cos_sim(W_in[w2i["cat"]], W_in[w2i["king"]])
        king_queen = cos_sim(W_in[w2i["king"]], W_in[w2i["queen"]])
        print(f"Epoch {epoch+1:3d}: "
              f"sim(cat,dog)={cat_dog:.3f}  "
              f"sim(cat,king)={cat_king:.3f}  "
              f"sim(king,queen)={king_queen:.3f}")
'''

#: The one-line fix: copy the centre vector instead of holding a view of it.
THE_FIX = ("                v_c = W_in[center_idx]\n",
           "                v_c = W_in[center_idx].copy()\n")


@dataclass(frozen=True)
class VerbatimRun:
    """What running the article's code produced: its printed lines and final matrices."""

    printed: str
    W_in: np.ndarray   # (V, d) float64, rows in the article's alphabetical order
    W_out: np.ndarray  # (V, d) float64
    vocab: list


def run_verbatim(source: str = ARTICLE_LOOP) -> VerbatimRun:
    """Run the article's code (or a variant of it) as a script, capturing what it prints.

    The code seeds numpy's global generator, as the article does; the generator's
    state is restored afterwards so that nothing else is affected.
    """
    if not isinstance(source, str) or "W_in" not in source:
        raise ValueError("source must be the article's loop (a str defining W_in and W_out)")
    state = np.random.get_state()
    namespace: dict = {}
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(source, "<the article's training loop>", "exec"), namespace)
    finally:
        np.random.set_state(state)
    return VerbatimRun(printed.getvalue(), namespace["W_in"], namespace["W_out"],
                       namespace["vocab"])


@dataclass(frozen=True)
class LoopRun:
    """One run of :func:`article_loop`.

    ``similarity[(a, b)]`` and ``max_norm`` hold one value per epoch (index e: after
    epoch e, index 0: before training); ``noise_hits`` counts noise words that
    equalled the true target.
    """

    W_in: np.ndarray                    # (V, d) float64
    W_out: np.ndarray                   # (V, d) float64
    vocab: list                         # alphabetical, as in the article
    similarity: dict                    # (word, word) -> (epochs + 1,) cosines
    max_norm: np.ndarray                # (epochs + 1, 2): largest row norm of W_in, W_out
    examples: int
    noise_hits: int


def _cos(a, b):
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-10))


def article_loop(sentences, *, dim: int = 10, learning_rate: float = 0.05, negative: int = 3,
                 window: int = 2, epochs: int = 200, seed: int = 42,
                 pairs=(("cat", "dog"), ("cat", "king"), ("king", "queen")),
                 fixed: bool = False, accumulate: bool = False, skip_noise_target: bool = False,
                 context_predicts_centre: bool = False, decay: bool = False,
                 word2vec_init: bool = False, dynamic_window: bool = False) -> LoopRun:
    """The article's loop, step for step, with one switch per difference from word2vec.c.

    With every switch off it draws the same random numbers in the same order as
    :data:`ARTICLE_LOOP` and ends with bit-identical matrices. The switches are
    described in the module docstring. ``accumulate`` implies ``fixed`` (there is
    no view to alias).

    Parameters
    ----------
    sentences : list of list of str
    pairs : word pairs whose cosine similarity (input vectors) is recorded after every epoch
    """
    for name, value, low in (("dim", dim, 1), ("negative", negative, 0), ("window", window, 1),
                             ("epochs", epochs, 0)):
        checks.integer(name, value, low)
    checks.number("learning_rate", learning_rate, 0, strict=True)
    sentences = check_corpus(sentences)        # the same sentences, checked (read once)
    rng = np.random.RandomState(seed)          # the generator np.random.seed(42) seeds
    vocab = sorted(set(w for s in sentences for w in s))
    for pair in pairs:
        missing = [w for w in pair if w not in vocab] if isinstance(pair, tuple) else None
        if missing is None or len(pair) != 2 or missing:
            raise ValueError(f"pairs must be (word, word) tuples of words in sentences, got "
                             f"{checks.describe(pair)}")
    w2i = {w: i for i, w in enumerate(vocab)}
    V = len(vocab)
    if word2vec_init:
        W_in = (rng.random_sample((V, dim)) - 0.5) / dim
        W_out = np.zeros((V, dim))
    else:
        W_in = rng.randn(V, dim) * 0.1          # (V, d)
        W_out = rng.randn(V, dim) * 0.1         # (V, d)
    freq = np.zeros(V)
    for s in sentences:
        for w in s:
            freq[w2i[w]] += 1
    freq = freq ** 0.75
    freq = freq / freq.sum()                   # (V,) the noise distribution
    sigmoid = lambda x: 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))  # noqa: E731  (the article's)
    n_tokens = sum(len(s) for s in sentences)

    similarity = {p: [_cos(W_in[w2i[p[0]]], W_in[w2i[p[1]]])] for p in pairs}
    norms = [(np.linalg.norm(W_in, axis=1).max(), np.linalg.norm(W_out, axis=1).max())]
    examples = noise_hits = 0
    for epoch in range(epochs):
        done = 0
        for sentence in sentences:
            indices = [w2i[w] for w in sentence]
            for i, center_idx in enumerate(indices):
                lr = learning_rate
                if decay:  # word2vec.c: linear in the words processed, floored at 1e-4 of the start
                    lr = learning_rate * max(1.0 - (epoch * n_tokens + done) / (epochs * n_tokens),
                                             1e-4)
                done += 1
                reach = window - rng.randint(window) if dynamic_window else window
                for j in range(max(0, i - reach), min(len(indices), i + reach + 1)):
                    if i == j:
                        continue
                    source, target = center_idx, indices[j]
                    if context_predicts_centre:
                        source, target = target, source
                    noise = rng.choice(V, size=negative, p=freq)
                    # without the fix, v_c is a view: it moves with W_in[source] (the bug)
                    v_c = W_in[source].copy() if fixed else W_in[source]
                    neu1e = np.zeros(dim)  # accumulate: word2vec.c's summed centre gradient
                    for t, label in [(target, 1.0)] + [(n, 0.0) for n in noise]:
                        if label == 0.0 and t == target:
                            noise_hits += 1
                            if skip_noise_target:
                                continue
                        g = (sigmoid(np.dot(W_out[t], v_c)) - label) * lr
                        if accumulate:
                            neu1e -= g * W_out[t]
                        else:  # the article: the centre vector moves at once
                            W_in[source] -= g * W_out[t]
                        W_out[t] -= g * v_c
                    if accumulate:
                        W_in[source] += neu1e
                    examples += 1
        for p in pairs:
            similarity[p].append(_cos(W_in[w2i[p[0]]], W_in[w2i[p[1]]]))
        norms.append((np.linalg.norm(W_in, axis=1).max(), np.linalg.norm(W_out, axis=1).max()))
    return LoopRun(W_in, W_out, vocab, {p: np.array(v) for p, v in similarity.items()},
                   np.array(norms), examples, noise_hits)
