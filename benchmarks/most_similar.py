"""Speed of a whole-vocabulary nearest-neighbour query against its floor, one mat-vec.

Chapter: *Why vectors* (why ``most_similar`` is fast: unit vectors cached, one matrix-vector
product, a partial sort).

``Embeddings.most_similar(word, topn=10)`` over 100,000 x 300 float32 vectors is timed against a
single plain ``M @ q`` over the same matrix, in the same run (best of several repeats each).
The goal is ``ratio <= 2.0``; the last line printed is ``ratio=X.XX``.

Run: ``python benchmarks/most_similar.py``
"""
import argparse

import numpy as np

from lessons.timing import best_seconds
from lessons.vectors.embeddings import Embeddings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    matrix = rng.standard_normal((args.words, args.dim), dtype=np.float32)  # (V, d)
    emb = Embeddings([f"word{i}" for i in range(args.words)], matrix)
    emb.normalized  # computed once, as in a chapter after the first query
    query_word = "word12345" if args.words > 12345 else "word0"
    query = np.ascontiguousarray(emb[query_word])  # (d,) float32

    # Interleave the two measurements so that both see the same machine state.
    most_similar_s = matvec_s = float("inf")
    for _ in range(3):
        most_similar_s = min(most_similar_s,
                             best_seconds(lambda: emb.most_similar(query_word, topn=10),
                                          args.repeats))
        matvec_s = min(matvec_s, best_seconds(lambda: emb.vectors @ query, args.repeats))

    print(f"matrix: {args.words:,} x {args.dim} float32 ({matrix.nbytes / 2**20:.0f} MiB)")
    print(f"emb.most_similar({query_word!r}, topn=10): {1e3 * most_similar_s:.3f} ms "
          f"(best of {3 * args.repeats})")
    print(f"plain numpy M @ q:                      {1e3 * matvec_s:.3f} ms "
          f"(best of {3 * args.repeats})")
    print("top 3:", emb.most_similar(query_word, topn=3))
    print(f"ratio={most_similar_s / matvec_s:.2f}")


if __name__ == "__main__":
    main()
