"""Benchmark: how word2vec training speeds up with more worker threads, lessons and gensim.

For each worker count (1, 2, 4, 8, ... up to the machine's cores, or ``--workers``) and
each model, this trains lessons (``train(corpus_file=...)``) and gensim 4
(``Word2Vec(corpus_file=...)``, its fastest mode), each run in its own fresh process, end
to end from the file to the trained vectors as a user times it (the helpers of
``benchmarks/trainer_vs_gensim.py``: the same children, corpus file and settings).

* **Interleaved and repeated**: pass ``r`` of ``--repeat`` runs every (worker count,
  trainer) once, one after the other, so the runs of one pass saw about the same load of
  a shared machine. The speed-up of a trainer at ``w`` workers is, per pass,
  (its end-to-end time at 1 worker) / (its time at ``w``); the table gives the median
  and the per-pass values.
* **Quality**: every run is scored on the Google analogies (30,000 most frequent words).
  Pass ``r`` trains with seed ``r + 1``, so the spread over passes is the seed spread;
  with more than one worker the threads update shared rows without locks (Hogwild), so
  a run is not reproducible, and the table shows by how much the accuracy moves.

The result is a Markdown table (``--markdown``) and a JSON file (``--json``; the book's
measurement ``scaling`` is ``src/lessons/book/measurements/scaling.json``, written
atomically by :func:`lessons.book.measurements.save`).

Usage (the committed files)::

    python benchmarks/scaling.py --repeat 5 --markdown benchmarks/results/scaling.md \\
        --json src/lessons/book/measurements/scaling.json
    # quicker, on a slice of the corpus and at 1 and 2 workers:
    python benchmarks/scaling.py --max-words 3000000 --workers 1 2 --repeat 3
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from trainer_vs_gensim import (SPEED, _fill_compile_caches, _gensim_version,  # noqa: E402
                               load, machine, plain_text, run_child)

TRAINERS = {"lessons-file": "lessons", "gensim-file": "gensim"}


def worker_counts(cores: int) -> list[int]:
    """1, 2, 4, 8, ... below ``cores``, then ``cores`` itself."""
    counts, w = [], 1
    while w < cores:
        counts.append(w)
        w *= 2
    return counts + [cores]


def measure(args, path: Path) -> dict:
    """Every (model, workers, trainer, pass): end-to-end and training seconds, analogies."""
    runs = []
    for p in range(args.repeat):
        for model in args.models:
            for workers in args.workers:
                for trainer in TRAINERS:
                    r = run_child(dict(trainer=trainer, model=model, workers=workers,
                                       epochs=args.epochs, settings=SPEED, seed=p + 1,
                                       path=str(path), evaluate=True))
                    runs.append({"pass": p + 1, "model": model, "workers": workers,
                                 "trainer": TRAINERS[trainer], "seed": p + 1,
                                 "e2e_s": round(r["e2e_s"], 3), "train_s": round(r["train_s"], 3),
                                 "analogy": round(r["analogy"], 2),
                                 "load": round(os.getloadavg()[0], 2)})
                    print(json.dumps(runs[-1]), flush=True)
    return runs


def summarize(runs: list[dict], args) -> list[dict]:
    """One row per (model, trainer, workers): medians, per-pass speed-ups, analogy spread."""
    rows = []
    for model in args.models:
        for trainer in TRAINERS.values():
            def at(w):
                return sorted((r for r in runs if (r["model"], r["trainer"], r["workers"])
                               == (model, trainer, w)), key=lambda r: r["pass"])
            base = at(1) if 1 in args.workers else None
            for w in args.workers:
                these = at(w)
                e2e = [r["e2e_s"] for r in these]
                acc = [r["analogy"] for r in these]
                row = {"model": model, "trainer": trainer, "workers": w,
                       "e2e_s": round(statistics.median(e2e), 3),
                       "e2e_min_s": min(e2e), "e2e_max_s": max(e2e),
                       "analogy_mean": round(statistics.mean(acc), 2),
                       "analogy_sd": round(statistics.stdev(acc), 2) if len(acc) > 1 else 0.0}
                if base:
                    speedups = [b["e2e_s"] / r["e2e_s"] for b, r in zip(base, these)]
                    train_speedups = [b["train_s"] / r["train_s"] for b, r in zip(base, these)]
                    row.update(speedup=round(statistics.median(speedups), 2),
                               speedup_per_pass=[round(s, 2) for s in speedups],
                               train_speedup=round(statistics.median(train_speedups), 2))
                rows.append(row)
    for row in rows:  # lessons against gensim, paired by pass
        if row["trainer"] == "lessons":
            mine = [r for r in runs if (r["model"], r["trainer"], r["workers"])
                    == (row["model"], "lessons", row["workers"])]
            theirs = {r["pass"]: r for r in runs if (r["model"], r["trainer"], r["workers"])
                      == (row["model"], "gensim", row["workers"])}
            ratios = [theirs[r["pass"]]["e2e_s"] / r["e2e_s"] for r in mine]
            row.update(vs_gensim=round(statistics.median(ratios), 2),
                       vs_gensim_min=round(min(ratios), 2), vs_gensim_max=round(max(ratios), 2))
    return rows


def markdown(rows, runs, args, header) -> list[str]:
    lines = header + [
        "| model | workers | trainer | end to end (s), median (min–max) | speed-up over 1 worker, "
        "median (per pass) | training-only speed-up | lessons / gensim speed "
        "(min–max) | analogies (%), mean ± sd over seeds |",
        "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        speed = (f"{row['speedup']:.2f} ({', '.join(f'{s:.2f}' for s in row['speedup_per_pass'])})"
                 if "speedup" in row else "")
        train = f"{row['train_speedup']:.2f}" if "train_speedup" in row else ""
        ratio = (f"{row['vs_gensim']:.2f} ({row['vs_gensim_min']:.2f}–{row['vs_gensim_max']:.2f})"
                 if "vs_gensim" in row else "")
        lines.append(f"| {row['model']} | {row['workers']} | {row['trainer']} | "
                     f"{row['e2e_s']:.1f} ({row['e2e_min_s']:.1f}–{row['e2e_max_s']:.1f}) | "
                     f"{speed} | {train} | {ratio} | "
                     f"{row['analogy_mean']:.1f} ± {row['analogy_sd']:.1f} |")
    lines += ["", "Load average (1 min) after each run, in run order: "
              + ", ".join(f"{r['load']:.1f}" for r in runs) + ".", ""]
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    data = Path(os.environ.get("LESSONS_DATA_DIR", "../shared/data"))
    parser.add_argument("--corpus", type=Path, default=data / "gutenberg8.gz")
    parser.add_argument("--max-words", type=int, default=None,
                        help="only the corpus's first words (default: all of it)")
    parser.add_argument("--models", nargs="+", choices=["skipgram", "cbow"],
                        default=["skipgram", "cbow"])
    parser.add_argument("--workers", nargs="+", type=int, default=None,
                        help="worker counts (default: 1, 2, 4, ... up to the machine's cores)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="interleaved passes")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    parser.add_argument("--json", type=Path, default=None,
                        help="write the measurement here (the book's: "
                             "src/lessons/book/measurements/scaling.json)")
    args = parser.parse_args(argv)
    args.workers = sorted(set(args.workers or worker_counts(os.cpu_count() or 1)))
    if args.workers[0] != 1:
        parser.error("--workers must include 1 (the speed-ups are relative to it)")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="scaling.") as tmp:
        path, n_words, _ = plain_text(Path(args.corpus), args.max_words, Path(tmp))
        _fill_compile_caches(path, args)
        runs = measure(args, path)
    rows = summarize(runs, args)
    command = "python benchmarks/scaling.py " + " ".join(sys.argv[1:] if argv is None else argv)
    header = [
        f"# Speed-up with worker threads: lessons word2vec and gensim {_gensim_version()} "
        "corpus_file",
        "",
        "To measure it again (5 interleaved passes, every worker count up to the machine's "
        "cores, the whole corpus; on a quiet machine):",
        "",
        "    python benchmarks/scaling.py --repeat 5 --markdown benchmarks/results/scaling.md \\",
        "        --json src/lessons/book/measurements/scaling.json",
        "",
        f"- This run: {started}, `{command}`.",
        f"- Machine: {machine()}. Load average (1 / 5 / 15 min) before: {load_before}, after: "
        f"{load()}. "
        + ("Shared machine: other processes ran during the passes, so the times are noisy; "
           "compare runs of the same pass." if os.getloadavg()[0] > 1.5 else ""),
        f"- Corpus: `{Path(args.corpus).name}`"
        f"{f', first {args.max_words:,} words' if args.max_words else ''} ({n_words:,} words), "
        "a plain file of 10,000 words a line read by both trainers.",
        f"- Settings: d={SPEED['dim']}, window {SPEED['window']}, negative {SPEED['negative']}, "
        f"subsample {SPEED['subsample']}, min_count {SPEED['min_count']}, {args.epochs} "
        "epoch(s), learning rate 0.025 (skip-gram) / 0.05 (CBOW); seed = pass number.",
        f"- {args.repeat} interleaved pass(es); each run in its own process. **end to end** = "
        "file to trained vectors (the `train(...)` / `Word2Vec(...)` call). **speed-up** = "
        "the trainer's end-to-end time at 1 worker / at this many, per pass. **lessons / "
        "gensim** = gensim's end-to-end time / lessons' at the same worker count and pass. "
        "**analogies**: Google set, 30,000 most frequent words; the sd is over seeds "
        "(passes).",
        "",
    ]
    lines = markdown(rows, runs, args, header)
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    if args.json:
        result = {"command": command, "date": started, "machine": machine(),
                  "load_before": load_before, "load_after": load(),
                  "corpus": Path(args.corpus).name, "words": n_words,
                  "settings": dict(SPEED, epochs=args.epochs), "repeat": args.repeat,
                  "workers": args.workers, "rows": rows, "runs": runs}
        result.update(_keys(rows))
        _save(args.json, result)


def _keys(rows) -> dict:
    """Flat keys for the book's prose: ``{model}_{trainer}_speedup_{w}`` and so on."""
    out = {}
    for row in rows:
        stem = f"{row['model']}_{row['trainer']}"
        w = row["workers"]
        if "speedup" in row:
            out[f"{stem}_speedup_{w}"] = row["speedup"]
        out[f"{stem}_analogy_{w}"] = row["analogy_mean"]
        out[f"{stem}_analogy_sd_{w}"] = row["analogy_sd"]
        if "vs_gensim" in row:
            out[f"{row['model']}_vs_gensim_{w}"] = row["vs_gensim"]
    return out


def _save(path: Path, result: dict) -> None:
    """Write the JSON atomically: through the book's measurements when it is one of them."""
    from lessons.book import measurements
    home = Path(measurements.__file__).parent.resolve()
    if path.resolve().parent == home:
        measurements.save(path.stem, result)
    else:
        from lessons import checks
        with checks.atomic_file("json", path) as out:
            out.write((json.dumps(result, indent=1) + "\n").encode("utf-8"))


if __name__ == "__main__":
    sys.exit(main())
