"""Measure what "the full text8 at home" gives: one epoch on a 17–19-million-word corpus.

The real-text chapter trains on two million words; readers who train on all of text8
want to know what to expect. text8 itself is not stored with the book, so this
measures on the corpus beside it of the same format and size (gutenberg8, or text8
when LESSONS_DATA_DIR holds the full file), with the chapter's settings, and writes
the result to src/lessons/book/measurements/full_corpus.json, which the chapter reads
(lessons.book.measurements.load("full_corpus")) so that its prose quotes measured numbers.

Usage::

    python benchmarks/full_corpus.py [--corpus gutenberg8|text8] [--workers 1]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import date
from pathlib import Path

from lessons.data import datasets
from lessons.vectors import evaluation
from lessons.models.word2vec import train

SETTINGS = dict(dim=100, window=5, negative=5, min_count=5, subsample=1e-4, epochs=1, seed=0)
OUT = Path(__file__).resolve().parents[1] / "src" / "lessons" / "book" / "measurements" / "full_corpus.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=["gutenberg8", "text8"], default="gutenberg8")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    words = datasets.gutenberg8() if args.corpus == "gutenberg8" else datasets.text8()
    load = os.getloadavg()[0]
    start = time.perf_counter()
    emb = train(words, workers=args.workers, **SETTINGS)
    seconds = time.perf_counter() - start
    google = evaluation.google_analogies(emb, restrict_vocab=30000)
    result = {
        "corpus": args.corpus,
        "words": len(words),
        "vocabulary": len(emb),
        "settings": SETTINGS,
        "workers": args.workers,
        "seconds": round(seconds, 1),
        "google_analogies": round(google.accuracy, 4),
        "wordsim353": round(evaluation.word_similarity(emb, "wordsim353").spearman, 3),
        "simlex999": round(evaluation.word_similarity(emb, "simlex999").spearman, 3),
        "date": date.today().isoformat(),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                   f"load {load:.1f} at start",
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
