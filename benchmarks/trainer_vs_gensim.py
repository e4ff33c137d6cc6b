"""Benchmark: lessons.models.word2vec.train against gensim 4 Word2Vec, in the same run.

Both trainers get the same corpus (a text8-format file, cut into 10,000-word
sentences as both word2vec.c and gensim do) and the same settings: d=100,
window 5, negative 5, subsample 1e-3, min_count 5, the same epochs, the same
starting learning rate (0.025 for skip-gram, 0.05 for CBOW, word2vec.c's
defaults; gensim is told the CBOW rate explicitly because its own default is 0.025).

Speed is *raw corpus words x epochs / training wall time*, measured the same way for
both: the wall time of the training passes only (gensim: ``model.train``; lessons:
the epochs of ``train``, from its history), without the one-off vocabulary scan
(reported separately as "setup").  Quality is the accuracy on the Google analogy set
(``questions-words.txt``), restricted to the 30,000 most frequent words, computed by
gensim's ``KeyedVectors.evaluate_word_analogies`` for both models.

Usage::

    python benchmarks/trainer_vs_gensim.py                      # full table
    python benchmarks/trainer_vs_gensim.py --max-words 2000000 --model skipgram --workers 1
    python benchmarks/trainer_vs_gensim.py --json               # one JSON object per line
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


def load_corpus(path: Path, max_words: int | None) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        tokens = f.read().split()
    return tokens[:max_words] if max_words else tokens


def machine() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next(l.split(":", 1)[1].strip() for l in out.splitlines()
                     if l.startswith("Model name"))
    except Exception:
        model = platform.processor() or "unknown CPU"
    return f"{model}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}"


def evaluate(words, vectors) -> float:
    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(list(words), np.asarray(vectors, dtype=np.float32))
    score, _ = kv.evaluate_word_analogies(datapath("questions-words.txt"), restrict_vocab=30000)
    return float(score)


def run_lessons(sentences, model, workers, epochs, seed):
    from lessons.models.word2vec import train
    # load the cached numba kernel first (gensim's Cython is compiled ahead of time too)
    train([["warm", "up"]] * 3, model=model, dim=8, min_count=1, epochs=1)
    t0 = time.perf_counter()
    emb = train(sentences, model=model, dim=100, window=5, negative=5, subsample=1e-3,
                min_count=5, epochs=epochs, workers=workers, seed=seed)
    total = time.perf_counter() - t0
    training = float(sum(emb.history.elapsed_s))
    return emb.words, emb.vectors, training, total - training, list(emb.history.elapsed_s)


def run_gensim(sentences, model, workers, epochs, seed):
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec

    class EpochTimer(CallbackAny2Vec):
        def __init__(self):
            self.elapsed = []

        def on_epoch_begin(self, model):
            self.t = time.perf_counter()

        def on_epoch_end(self, model):
            self.elapsed.append(time.perf_counter() - self.t)

    t0 = time.perf_counter()
    m = Word2Vec(vector_size=100, window=5, negative=5, hs=0, sample=1e-3, min_count=5,
                 sg=1 if model == "skipgram" else 0, cbow_mean=1,
                 alpha=0.025 if model == "skipgram" else 0.05, workers=workers, seed=seed)
    m.build_vocab(sentences)
    setup = time.perf_counter() - t0
    timer = EpochTimer()
    t1 = time.perf_counter()
    m.train(sentences, total_examples=m.corpus_count, epochs=epochs, callbacks=[timer])
    training = time.perf_counter() - t1
    return m.wv.index_to_key, m.wv.vectors, training, setup, timer.elapsed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(os.environ.get("LESSONS_DATA_DIR", "../shared/data")) / "gutenberg8.gz"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--max-words", type=int, default=None)
    parser.add_argument("--model", choices=["skipgram", "cbow"], default=None)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.getLogger("gensim").setLevel(logging.WARNING)

    tokens = load_corpus(args.corpus, args.max_words)
    sentences = [tokens[i:i + 10_000] for i in range(0, len(tokens), 10_000)]
    models = [args.model] if args.model else ["skipgram", "cbow"]
    workers_list = [args.workers] if args.workers else [1, 2]
    if not args.json:
        print(f"# lessons.models.word2vec vs gensim {__import__('gensim').__version__}, "
              f"{time.strftime('%Y-%m-%d %H:%M %Z')}")
        print(f"# machine: {machine()}")
        print(f"# load average before: {os.getloadavg()[0]:.2f} (1 min)")
        print(f"# corpus: {args.corpus.name}, {len(tokens):,} words; d=100 window=5 negative=5 "
              f"subsample=1e-3 min_count=5 epochs={args.epochs}")
        print("# words/s = raw words x epochs / training wall time (vocabulary setup excluded); "
              "ratio = lessons / gensim")
        print("# best-epoch ratio: same, from each trainer's fastest epoch; load: 1-min load "
              "average after the row")
        print(f"{'model':9} {'workers':>7} {'lessons w/s':>12} {'gensim w/s':>12} {'ratio':>6} "
              f"{'lessons acc':>11} {'gensim acc':>10} {'best-epoch ratio':>16} {'setup l/g (s)':>14} "
              f"{'load':>5}")
    for model in models:
        for workers in workers_list:
            words_l, vec_l, train_l, setup_l, epochs_l = run_lessons(sentences, model, workers,
                                                           args.epochs, args.seed)
            words_g, vec_g, train_g, setup_g, epochs_g = run_gensim(sentences, model, workers,
                                                          args.epochs, args.seed)
            acc_l, acc_g = evaluate(words_l, vec_l), evaluate(words_g, vec_g)
            n = len(tokens) * args.epochs
            row = {
                "model": model, "workers": workers, "words": len(tokens),
                "lessons_words_per_s": n / train_l, "gensim_words_per_s": n / train_g,
                "ratio": train_g / train_l, "lessons_analogy": acc_l, "gensim_analogy": acc_g,
                # the fastest epoch of each, less sensitive to other load on the machine
                "best_epoch_ratio": min(epochs_g) / min(epochs_l),
                "load_avg_1min": os.getloadavg()[0],
            }
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                print(f"{model:9} {workers:>7} {row['lessons_words_per_s']:>12,.0f} "
                      f"{row['gensim_words_per_s']:>12,.0f} {row['ratio']:>6.2f} "
                      f"{100 * acc_l:>10.1f}% {100 * acc_g:>9.1f}% {row['best_epoch_ratio']:>16.2f} "
                      f"{setup_l:>6.1f}/{setup_g:<6.1f} {row['load_avg_1min']:>5.2f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
