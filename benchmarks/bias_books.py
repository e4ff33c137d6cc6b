"""Measure the bias chapter's tests on vectors trained on books: gutenberg8, about 19 M words.

The chapter *What else the geometry learns: bias* runs its measurements on the book's
shared vectors (skip-gram on text8's first 2,000,000 words, Wikipedia 2006), where most of
them come out null. Training on more text takes minutes, more than a chapter may spend, so
this script trains with the same settings (lessons.book.text8_vectors.TEXT8_SETTINGS: d = 100,
window 5, k = 5, min_count 10, 2 epochs, one worker, seed 0) on all of gutenberg8 (299 Project
Gutenberg books in text8 format: *books*, mostly of the 19th century, not Wikipedia), runs
the chapter's own measurements on them (lessons.book.chapters.bias.measure: the centred
vectors, the held-out pairs, the occupations, the four WEATs with their exact permutation
p-values and the effect of neutralising) and writes
src/lessons/book/measurements/bias_books.json atomically. The chapter loads it and quotes it.

The trained vectors are cached (lessons.data.datasets.cache_dir() / "vectors"), so a change
of the measurements re-runs in seconds; ``--retrain`` trains again.

Usage::

    LESSONS_DATA_DIR=/path/to/data python benchmarks/bias_books.py   # about 3 minutes, one core
"""
from __future__ import annotations

import argparse
import ast
import os
import platform
import time
from datetime import date

import numpy as np

from lessons import checks
from lessons.book import measurements
from lessons.book.chapters import bias as chapter
from lessons.book.text8_vectors import TEXT8_SETTINGS
from lessons.data.datasets import cache_dir, gutenberg8
from lessons.models.word2vec import train
from lessons.vectors.embeddings import Embeddings

SETTINGS = {k: v for k, v in TEXT8_SETTINGS.items() if k != "max_words"}


def book_vectors(*, retrain: bool = False) -> tuple[Embeddings, dict]:
    """Skip-gram on all of gutenberg8 with :data:`SETTINGS`, cached; and how it was made."""
    folder = cache_dir() / "vectors"
    path, counts_path = folder / "gutenberg8-bias.bin", folder / "gutenberg8-bias.counts.npy"
    info_path = folder / "gutenberg8-bias.info"
    if not retrain and path.is_file() and counts_path.is_file() and info_path.is_file():
        info = ast.literal_eval(info_path.read_text())  # our own repr of a dict
        if info["settings"] == SETTINGS:
            emb = Embeddings.load_word2vec_format(path, binary=True)
            emb.counts = np.load(counts_path)
            return emb, info
    words = gutenberg8()
    start = time.perf_counter()
    emb = train(words, **SETTINGS)
    info = {"settings": SETTINGS, "words": len(words),
            "seconds": round(time.perf_counter() - start, 1),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                       f"load {os.getloadavg()[0]:.1f} at start"}
    folder.mkdir(parents=True, exist_ok=True)
    with checks.atomic_file("the vectors cache", counts_path) as out:
        np.save(out, emb.counts)
    emb.save_word2vec_format(path, binary=True)
    with checks.atomic_file("the vectors cache", info_path) as out:
        out.write(repr(info).encode())
    return emb, info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--retrain", action="store_true", help="ignore the cached vectors")
    emb, info = book_vectors(retrain=parser.parse_args().retrain)
    print(f"{len(emb):,} words, trained on {info['words']:,} in {info['seconds']} s", flush=True)
    result = {
        "what": "the bias chapter's measurements (lessons.book.chapters.bias.measure) on "
                "skip-gram vectors trained on books",
        "corpus": "gutenberg8: 299 Project Gutenberg books in text8 format (all of it)",
        "words": info["words"],
        "vocabulary": len(emb),
        "settings": info["settings"],
        "training_seconds": info["seconds"],
        "measures": chapter.measure(emb),
        "date": date.today().isoformat(),
        "machine": info["machine"],
    }
    path = measurements.save("bias_books", result)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
