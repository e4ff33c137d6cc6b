"""A Bengio-style neural language model in numpy, and what its softmax costs.

Chapter: *The neural language model* (the article's "Dead End #2").

The model (Bengio et al. 2003, without the optional direct connections) predicts
word ``w_t`` from the ``n`` words before it:

    x      = [C[w_{t-n}], ..., C[w_{t-1}]]          (n*m,)   look up and concatenate
    hidden = tanh(x H + d)                          (h,)
    logits = hidden U + b                           (V,)
    P(w_t = j | context) = softmax(logits)_j

``C`` (V, m) is the table of word vectors.  Every step pays for the output layer,
``h * V`` multiply-adds, whatever the vocabulary: :func:`multiply_adds` counts them
exactly and :func:`time_per_example` measures them.

References
----------
* Y. Bengio, R. Ducharme, P. Vincent, C. Jauvin, "A Neural Probabilistic Language
  Model", JMLR 3, 2003.
* T. Mikolov et al., "Efficient Estimation of Word Representations in Vector
  Space", 2013 (section 2.1: the cost per training example, ``N*D + N*D*H + H*V``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lessons import checks
from lessons.data.corpus import Vocabulary, check_corpus
from lessons.timing import best_seconds
from lessons.vectors.embeddings import Embeddings

__all__ = [
    "BOUNDARY",
    "init_params",
    "ngram_examples",
    "forward",
    "loss_and_grads",
    "train",
    "LMHistory",
    "multiply_adds",
    "time_per_example",
]

#: Padding token placed before every sentence, so the first words have a context.
BOUNDARY = "<s>"


def init_params(vocab_size: int, *, context_size: int = 4, embedding_dim: int = 300,
                hidden_dim: int = 500, seed: int = 0, scale: float = 0.1,
                dtype=np.float64) -> dict[str, np.ndarray]:
    """Random initial parameters.

    Returns a dict with ``C`` (V, m) word vectors, ``H`` (n*m, h) and ``d`` (h,)
    of the hidden layer, ``U`` (h, V) and ``b`` (V,) of the output layer.
    Weights are normal with standard deviation ``scale`` (``C``) or
    ``1/sqrt(fan_in)`` (``H``, ``U``); biases start at zero.
    """
    V = checks.integer("vocab_size", vocab_size, 1)
    n = checks.integer("context_size", context_size, 1)
    m = checks.integer("embedding_dim", embedding_dim, 1)
    h = checks.integer("hidden_dim", hidden_dim, 1)
    rng = checks.random_state("seed", seed)
    return {
        "C": (rng.standard_normal((V, m)) * scale).astype(dtype),
        "H": (rng.standard_normal((n * m, h)) / np.sqrt(n * m)).astype(dtype),
        "d": np.zeros(h, dtype=dtype),
        "U": (rng.standard_normal((h, V)) / np.sqrt(h)).astype(dtype),
        "b": np.zeros(V, dtype=dtype),
    }


def ngram_examples(sentences, vocabulary: Vocabulary, context_size: int):
    """Every (previous ``n`` words, next word) pair of the corpus.

    Each sentence is padded on the left with ``n`` :data:`BOUNDARY` tokens (which
    must be in ``vocabulary``); words missing from the vocabulary are skipped.

    Returns
    -------
    contexts : (N, n) int64, targets : (N,) int64
    """
    n = checks.integer("context_size", context_size, 1)
    if not isinstance(vocabulary, Vocabulary):
        raise checks.ArgumentTypeError(f"vocabulary must be a Vocabulary, got "
                                       f"{checks.describe(vocabulary)}")
    sentences = check_corpus(sentences)  # the same sentences, checked
    if BOUNDARY not in vocabulary:
        raise ValueError(f"vocabulary must contain the boundary token {BOUNDARY!r}")
    contexts, targets = [], []
    for sentence in sentences:
        ids = vocabulary.encode([BOUNDARY] * n + list(sentence)).astype(np.int64)
        if len(ids) <= n:
            continue
        windows = np.lib.stride_tricks.sliding_window_view(ids, n + 1)  # (len - n, n + 1)
        contexts.append(windows[:, :n])
        targets.append(windows[:, n])
    if not contexts:
        raise ValueError("sentences hold no word to predict")
    return np.concatenate(contexts), np.concatenate(targets)


def forward(params: dict, contexts) -> dict[str, np.ndarray]:
    """Forward pass for a batch of contexts.

    Parameters
    ----------
    params : dict from :func:`init_params`
    contexts : (B, n) int array of word ids

    Returns
    -------
    dict with ``x`` (B, n*m), ``hidden`` (B, h), ``logits`` (B, V) and
    ``probs`` (B, V), each row of ``probs`` summing to 1.
    """
    contexts = np.asarray(contexts)
    if contexts.ndim == 1:
        contexts = contexts[None, :]
    C, H = params["C"], params["H"]
    n_m = H.shape[0]
    if contexts.shape[1] * C.shape[1] != n_m:
        raise ValueError(f"contexts have {contexts.shape[1]} words but the model expects "
                         f"{n_m // C.shape[1]}")
    x = C[contexts].reshape(len(contexts), n_m)  # (B, n*m) look up and concatenate
    hidden = np.tanh(x @ H + params["d"])  # (B, h)
    logits = hidden @ params["U"] + params["b"]  # (B, V): h*V multiply-adds per example
    shifted = logits - logits.max(axis=1, keepdims=True)  # stable softmax
    exp = np.exp(shifted)
    probs = exp / exp.sum(axis=1, keepdims=True)  # (B, V)
    return {"x": x, "hidden": hidden, "logits": logits, "probs": probs}


def loss_and_grads(params: dict, contexts, targets) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy ``-log P(target | context)`` over the batch, and its gradients.

    Backpropagation by hand: with ``p`` the softmax and ``y`` the one-hot target,
    ``dL/dlogits = (p - y) / B``; then ``dU = hidden^T dlogits``,
    ``dhidden = dlogits U^T``, ``dpre = dhidden * (1 - hidden^2)``,
    ``dH = x^T dpre``, ``dx = dpre H^T``, scattered back onto the rows of ``C``.

    Returns
    -------
    loss : float
    grads : dict with the same keys and shapes as ``params``
    """
    contexts = checks.matrix("contexts", contexts, dtype=None, what="a (B, n) matrix of word ids")
    targets = np.asarray(targets)
    if targets.shape != (len(contexts),):
        raise ValueError(f"targets must be (B,) = ({len(contexts)},), got shape {targets.shape}")
    V = len(params["b"])  # forward() is shown in the chapter as is: the ids are checked here
    for name, ids in (("contexts", contexts), ("targets", targets)):
        if ids.size and (ids.dtype.kind not in "iu" or ids.min() < 0 or ids.max() >= V):
            raise ValueError(f"{name} must be integer word ids in [0, {V}), got dtype {ids.dtype} "
                             f"and values in [{ids.min()}, {ids.max()}]")
    out = forward(params, contexts)
    B = len(targets)
    rows = np.arange(B)
    probs = out["probs"]
    loss = float(-np.log(np.maximum(probs[rows, targets], 1e-300)).mean())
    dlogits = probs.copy()  # (B, V)
    dlogits[rows, targets] -= 1.0
    dlogits /= B
    grads = {
        "U": out["hidden"].T @ dlogits,  # (h, V)
        "b": dlogits.sum(axis=0),  # (V,)
    }
    dhidden = dlogits @ params["U"].T  # (B, h)
    dpre = dhidden * (1.0 - out["hidden"] ** 2)  # (B, h) through tanh
    grads["H"] = out["x"].T @ dpre  # (n*m, h)
    grads["d"] = dpre.sum(axis=0)  # (h,)
    dx = (dpre @ params["H"].T).reshape(contexts.shape + (params["C"].shape[1],))  # (B, n, m)
    dC = np.zeros_like(params["C"])
    np.add.at(dC, contexts, dx)  # a word used twice gets both contributions
    grads["C"] = dC
    return loss, grads


@dataclass
class LMHistory:
    """Mean training loss (cross-entropy, nats) and perplexity after each epoch."""

    loss: list = field(default_factory=list)

    @property
    def perplexity(self) -> np.ndarray:
        return np.exp(np.asarray(self.loss))


def train(sentences, *, context_size: int = 2, embedding_dim: int = 16, hidden_dim: int = 32,
          epochs: int = 10, learning_rate: float = 0.5, batch_size: int = 64,
          seed: int = 0) -> tuple[Embeddings, dict, LMHistory]:
    """Train the model with minibatch SGD on ``sentences`` (lists of tokens).

    The vocabulary is every word of the corpus plus :data:`BOUNDARY`, in
    frequency order.  Examples are shuffled every epoch with a generator seeded
    by ``seed``.

    Returns
    -------
    embeddings : Embeddings
        The learned word vectors ``C`` (the boundary token included).
    params : dict
        All parameters, for :func:`forward`.
    history : LMHistory
        Mean loss of each epoch (measured during the epoch).
    """
    epochs = checks.integer("epochs", epochs, 1)
    batch_size = checks.integer("batch_size", batch_size, 1)
    checks.number("learning_rate", learning_rate, 0, strict=True)
    sentences = [list(s) for s in check_corpus(sentences)]
    vocabulary = Vocabulary.from_corpus(sentences + [[BOUNDARY]])
    contexts, targets = ngram_examples(sentences, vocabulary, context_size)
    params = init_params(len(vocabulary), context_size=context_size,
                         embedding_dim=embedding_dim, hidden_dim=hidden_dim, seed=seed)
    rng = np.random.default_rng(seed + 1)
    history = LMHistory()
    for _ in range(epochs):
        order = rng.permutation(len(targets))
        total = 0.0
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            loss, grads = loss_and_grads(params, contexts[batch], targets[batch])
            total += loss * len(batch)
            for name, grad in grads.items():
                params[name] -= learning_rate * grad
        history.loss.append(total / len(order))
    embeddings = Embeddings(list(vocabulary.words), params["C"].astype(np.float32),
                            counts=vocabulary.counts, history=history)
    return embeddings, params, history


# --- Cost -------------------------------------------------------------------------------------

def multiply_adds(vocab_size: int, *, context_size: int = 4, embedding_dim: int = 300,
                  hidden_dim: int = 500) -> dict[str, int]:
    """Exact multiply-adds of one forward pass of the model, layer by layer.

    * lookup: 0 (``C[w]`` copies a row; a one-hot product would cost ``V*m`` per word);
    * hidden layer ``x H``: ``n*m*h``;
    * output layer ``hidden U``: ``h*V``;
    * softmax normalisation: ``V`` exponentials and ``V`` additions, counted as
      ``V`` (one per word, the same order as a multiply-add).

    Biases and ``tanh`` add ``h`` and ``V`` additions, not counted.  Returns a
    dict with those four entries and ``"total"`` (Python ints, exact).
    """
    V = checks.integer("vocab_size", vocab_size, 1)
    n = checks.integer("context_size", context_size, 1)
    m = checks.integer("embedding_dim", embedding_dim, 1)
    h = checks.integer("hidden_dim", hidden_dim, 1)
    counts = {"lookup": 0, "hidden layer": n * m * h, "output layer": h * V, "softmax": V}
    counts["total"] = sum(counts.values())
    return counts


def time_per_example(vocab_size: int, *, context_size: int = 4, embedding_dim: int = 300,
                     hidden_dim: int = 500, batch_size: int = 32, repeats: int = 3,
                     seed: int = 0) -> float:
    """Measured seconds per example of one forward pass (float32), best of ``repeats``.

    A batch of ``batch_size`` random contexts goes through :func:`forward`; the
    time of the fastest repeat is divided by ``batch_size``.
    """
    batch_size = checks.integer("batch_size", batch_size, 1)
    params = init_params(vocab_size, context_size=context_size, embedding_dim=embedding_dim,
                         hidden_dim=hidden_dim, seed=seed, dtype=np.float32)
    rng = checks.random_state("seed", seed)
    contexts = rng.integers(vocab_size, size=(batch_size, context_size))
    forward(params, contexts)  # warm up (page in the weights)
    return best_seconds(lambda: forward(params, contexts), repeats) / batch_size
