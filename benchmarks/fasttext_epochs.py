"""Measure the fastText chapter's experiment with more epochs than the chapter can afford.

The chapter *Subwords: fastText trained for real* trains its subword and word-only
models for 3 epochs (its 60-second budget); fastText's default is 5. This script runs
the chapter's own experiment (lessons.book.chapters.fasttext: the same held-out forms,
settings and measurements, text8's first 2,000,000 words, one thread per model) for
3, 5 and 10 epochs and writes src/lessons/book/measurements/fasttext_epochs.json. The
chapter checks that its live 3-epoch run equals the stored one and quotes the others.

Usage::

    LESSONS_DATA_DIR=/path/to/data python benchmarks/fasttext_epochs.py
"""
from __future__ import annotations

import json
import os
import platform
import time
from datetime import date
from pathlib import Path

from lessons.book.chapters import fasttext as chapter
from lessons.data.datasets import text8

OUT = (Path(__file__).resolve().parents[1] / "src" / "lessons" / "book" / "measurements"
       / "fasttext_epochs.json")
WORDS = 2_000_000
EPOCHS = (3, 5, 10)


def main() -> None:
    words = text8(max_words=WORDS)
    load = os.getloadavg()[0]
    pairs, held, train_words = chapter.heldout_forms(words)
    runs = {}
    for epochs in EPOCHS:
        start = time.perf_counter()
        subword, word_only = chapter.train_pair(train_words, epochs=epochs)
        seconds = time.perf_counter() - start
        runs[str(epochs)] = dict(chapter.summary(subword, word_only, pairs, held),
                                 seconds=round(seconds, 1))
        print(f"{epochs} epochs ({seconds:.0f} s): "
              f"top 10 {runs[str(epochs)]['subword_top10']:.0%}, "
              f"syntactic {runs[str(epochs)]['syntactic_subword']:.1%}")
    result = {
        "what": "the fastText chapter's held-out experiment for several epochs "
                "(lessons.book.chapters.fasttext.summary)",
        "corpus": "text8, first 2,000,000 words (Wikipedia, 2006)",
        "words": len(words),
        "held_out_forms": len(held),
        "settings": {k: v for k, v in chapter.SETTINGS.items() if k != "epochs"},
        "runs": runs,
        "date": date.today().isoformat(),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                   f"load {load:.1f} at start",
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
