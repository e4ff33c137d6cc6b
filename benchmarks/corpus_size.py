"""Measure what more text, and what more dimensions, do to word2vec: one thing at a time.

The real-text chapter trains on text8's first 2,000,000 words; the summary asks whether
data or dimensions limit it. This script trains with the chapter's settings
(lessons.book.chapters.real_text.SETTINGS, one worker, seed 0) and changes exactly one
thing per run:

* the amount of text: text8 prefixes of 0.5, 1 and 2 million words (all the book has of
  text8), and gutenberg8 (Project Gutenberg books in text8 format, the largest corpus the
  book can measure) prefixes of 2, 5 and 19 million words;
* the dimension: d = 50 (the chapter's), 100 and 300 on the same 2 million words of text8.

For each run it records the Google-analogy accuracy (3CosAdd, inputs excluded, top 30,000
words), WordSim-353 and SimLex-999, and the rank of *queen* for king − man + woman. The
result goes to src/lessons/book/measurements/corpus_size.json, which the chapters load.

Usage::

    python benchmarks/corpus_size.py            # about 10 minutes on one core
"""
from __future__ import annotations

import json
import os
import platform
import time
from datetime import date
from pathlib import Path

from lessons.book.chapters.real_text import SETTINGS, answer_rank
from lessons.data import datasets
from lessons.models.word2vec import train
from lessons.vectors import evaluation

OUT = (Path(__file__).resolve().parents[1] / "src" / "lessons" / "book" / "measurements"
       / "corpus_size.json")
RUNS = [("text8", 500_000, 50), ("text8", 1_000_000, 50), ("text8", 2_000_000, 50),
        ("text8", 2_000_000, 100), ("text8", 2_000_000, 300),
        ("gutenberg8", 2_000_000, 50), ("gutenberg8", 5_000_000, 50), ("gutenberg8", None, 50)]


def measure(corpus: str, max_words: int | None, dim: int) -> dict:
    words = (datasets.text8 if corpus == "text8" else datasets.gutenberg8)(max_words=max_words)
    start = time.perf_counter()
    emb = train(words, workers=1, seed=0, **{**SETTINGS, "dim": dim})
    seconds = time.perf_counter() - start
    google = evaluation.google_analogies(emb, restrict_vocab=30_000)
    return {"corpus": corpus, "words": len(words), "dim": dim, "vocabulary": len(emb),
            "seconds": round(seconds, 1),
            "google": round(google.accuracy, 4), "semantic": round(google.semantic.accuracy, 4),
            "syntactic": round(google.syntactic.accuracy, 4), "questions": google.total.total,
            "wordsim353": round(evaluation.word_similarity(emb, "wordsim353").spearman, 3),
            "simlex999": round(evaluation.word_similarity(emb, "simlex999").spearman, 3),
            "queen_rank": answer_rank(emb, "man", "king", "woman", "queen"),
            "queen_rank_3cosmul": answer_rank(emb, "man", "king", "woman", "queen",
                                              method="3cosmul")}


def main() -> None:
    load = os.getloadavg()[0]
    runs = []
    for corpus, max_words, dim in RUNS:
        runs.append(measure(corpus, max_words, dim))
        print(json.dumps(runs[-1]), flush=True)
    result = {"settings": dict(SETTINGS, workers=1, seed=0), "runs": runs,
              "date": date.today().isoformat(),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {load:.1f} at start "
                         f"(seconds are wall time on a shared machine)"}
    tmp = OUT.with_suffix(".json.part")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    tmp.replace(OUT)                     # atomic: the chapters never read a half-written file
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
