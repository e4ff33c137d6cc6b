"""Measure how much the book's scores move with the seed: five skip-gram runs on 2 M words.

The chapter *How sure are the scores?* trains seed 0 live; training four more models would
take it past its 60-second budget, so this script trains all five seeds with the chapter's
own functions (lessons.book.chapters.how_sure: the real-text chapter's settings, text8's
first 2,000,000 words, one worker) and writes
src/lessons/book/measurements/seed_spread.json: per seed, the scores, the indices of the
analogy questions answered right (3CosAdd and 3CosMul), the WordSim-353 cosines and
Linzen's baselines. The chapter checks that its live seed 0 equals the stored one.

Usage::

    LESSONS_DATA_DIR=/path/to/data python benchmarks/seed_spread.py
"""
from __future__ import annotations

import json
import os
import platform
from datetime import date
from pathlib import Path

from lessons.book.chapters import how_sure
from lessons.data.datasets import text8

OUT = (Path(__file__).resolve().parents[1] / "src" / "lessons" / "book" / "measurements"
       / "seed_spread.json")
WORDS = 2_000_000


def dumps(result: dict) -> str:
    """JSON with one line per key and per run (the runs hold long lists)."""
    lines = [f" {json.dumps(k)}: {json.dumps(v)}" for k, v in result.items() if k != "runs"]
    runs = ",\n".join(f"  {json.dumps(run)}" for run in result["runs"])
    lines.insert(4, f' "runs": [\n{runs}\n ]')
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main() -> None:
    words = text8(max_words=WORDS)
    load = os.getloadavg()[0]
    runs = []
    for seed in how_sure.SEEDS:
        emb, seconds = how_sure.train_seed(words, seed)
        scores = how_sure.evaluate(emb)
        runs.append(how_sure.record(seed, seconds, emb, scores,
                                    how_sure.baseline_outcomes(emb, scores["google"])))
        print(f"seed {seed}: {seconds:.1f} s, Google {runs[-1]['google_3cosadd']:.4f}, "
              f"WordSim {runs[-1]['wordsim353']:.3f}, SimLex {runs[-1]['simlex999']:.3f}")
    result = {
        "what": "skip-gram trained with five seeds; scores of each "
                "(lessons.book.chapters.how_sure)",
        "corpus": "text8, first 2,000,000 words (Wikipedia, 2006)",
        "words": len(words),
        "settings": dict(how_sure.SETTINGS, workers=1),
        "restrict_vocab": 30000,
        "runs": runs,
        "date": date.today().isoformat(),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                   f"load {load:.1f} at start",
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(dumps(result))
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
