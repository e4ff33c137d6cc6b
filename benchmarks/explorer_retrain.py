"""Benchmark: one step of the parameter explorer (retrain + measure + redraw) against
gensim retraining the same toy corpus with the same settings, in the same run.

The explorer promises an update "in about a second".  An update is: train skip-gram
on the planted toy language (3,000 sentences, ~10,000 tokens) with the explorer's
DEFAULTS, score the planted analogies, and draw the matplotlib map + histogram
(Agg backend, PNG rendered as the live panel does).  The peer is gensim 4's
Word2Vec trained on the same sentences with the same settings (one worker, same
seed), training only.  Reported: median of ``--repeats`` runs, and ratios.

Usage::

    python benchmarks/explorer_retrain.py [--repeats 5] [--epochs 10] [--dim 20]
"""
from __future__ import annotations

import argparse
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from lessons.book.chapters import explorer  # noqa: E402


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=explorer.DEFAULTS["epochs"])
    parser.add_argument("--dim", type=int, default=explorer.DEFAULTS["dim"])
    args = parser.parse_args()
    settings = {**explorer.DEFAULTS, "epochs": args.epochs, "dim": args.dim}
    sentences = [list(s) for s in explorer.toy_corpus()]
    explorer.retrain(**settings)  # warm-up: numba compilation / cache load

    def retrain_only():
        explorer.retrain(**settings)

    def full_update():
        emb = explorer.retrain(**settings)
        explorer._draw(emb)
        fig = plt.gcf()
        fig.savefig(io.BytesIO(), format="png", dpi=96)
        plt.close(fig)

    def gensim_train():
        from gensim.models import Word2Vec
        Word2Vec(sentences, vector_size=settings["dim"], window=settings["window"],
                 negative=settings["negative"], ns_exponent=settings["noise_exponent"],
                 sample=settings["subsample"], alpha=settings["learning_rate"],
                 epochs=settings["epochs"], min_count=1, sg=1, workers=1, seed=0)

    gensim_train()  # warm-up: imports
    t_lessons = median_time(retrain_only, args.repeats)
    t_update = median_time(full_update, args.repeats)
    t_gensim = median_time(gensim_train, args.repeats)
    tokens = sum(len(s) for s in sentences)
    print(f"toy corpus: {len(sentences):,} sentences, {tokens:,} tokens; settings {settings}")
    print(f"lessons retrain                 : {t_lessons * 1e3:8.1f} ms")
    print(f"lessons retrain + score + redraw: {t_update * 1e3:8.1f} ms   (the explorer's update)")
    print(f"gensim Word2Vec retrain (peer)  : {t_gensim * 1e3:8.1f} ms")
    print(f"ratio gensim / lessons retrain  : {t_gensim / t_lessons:8.2f}x")
    print(f"ratio explorer update / gensim  : {t_update / t_gensim:8.2f}x")
    print(f"explorer update within 1 s      : {'yes' if t_update < 1.0 else 'NO'}")


if __name__ == "__main__":
    main()
