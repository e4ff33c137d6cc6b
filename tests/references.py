"""Independent plain-numpy references shared by several test files."""
import numpy as np


def analogy_accuracy(emb, quads):
    """Top-1 accuracy of b - a + c (cosine, the three inputs excluded), plain numpy loops."""
    unit = emb.vectors / np.linalg.norm(emb.vectors, axis=1, keepdims=True)
    index = {w: i for i, w in enumerate(emb.words)}
    hits = 0
    for a, b, c, d in quads:
        scores = unit @ (unit[index[b]] - unit[index[a]] + unit[index[c]])
        scores[[index[a], index[b], index[c]]] = -np.inf
        hits += emb.words[int(np.argmax(scores))] == d
    return hits / len(quads)
