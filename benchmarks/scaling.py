"""Benchmark: how word2vec training speeds up with more worker threads, lessons and gensim.

For each worker count (1, 2, 4, 8, ... up to the machine's cores, or ``--workers``) and
each model, this trains lessons (``train(corpus_file=...)``) and gensim 4
(``Word2Vec(corpus_file=...)``, its fastest mode), each run in its own fresh process, end
to end from the file to the trained vectors as a user times it (the helpers of
``benchmarks/trainer_vs_gensim.py``: the same children, corpus file and settings).

* **Interleaved and repeated**: pass ``r`` of ``--repeat`` runs every (worker count,
  trainer) once, one after the other, so the runs of one pass saw about the same load of
  a shared machine. A trainer's runs at every worker count are adjacent, and the order
  is reversed every other pass (lessons 1, 2, gensim 1, 2; then gensim 2, 1, lessons 2,
  1), so that a trend in the machine's speed falls on both ends of a speed-up alike.
  The speed-up of a trainer at ``w`` workers is, per pass, (its end-to-end time at 1
  worker) / (its time at ``w``); the table gives the median and the per-pass values.
* **Other processes**: for every run, the CPU the rest of the machine used meanwhile
  (``/proc/stat`` busy and stolen time minus the run's own), in cores. With
  ``--retry-busy N`` a pass during one of whose runs other processes used more than
  ``--busy-cores`` is measured again, at most N times; the discarded passes are listed
  in the results, with their numbers.
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
import resource
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


def pass_order(p: int, workers: list[int]) -> list[tuple[str, int]]:
    """The (trainer, workers) runs of pass ``p`` (0-based), in order: each trainer's runs
    adjacent, the whole order reversed in every other pass."""
    order = [(trainer, w) for trainer in TRAINERS for w in workers]
    return order if p % 2 == 0 else order[::-1]


def busy_seconds() -> float | None:
    """CPU seconds the whole machine has been busy or had stolen since boot (Linux), or None."""
    try:
        with open("/proc/stat") as f:
            ticks = [int(x) for x in f.readline().split()[1:9]]  # user .. steal
    except (OSError, ValueError):
        return None
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_child(spec: dict) -> tuple[dict, float | None]:
    """``run_child(spec)`` and the cores other processes used meanwhile (None off Linux)."""
    busy, mine, t0 = busy_seconds(), children_cpu_seconds(), time.perf_counter()
    result = run_child(spec)
    wall = time.perf_counter() - t0
    if busy is None:
        return result, None
    others = (busy_seconds() - busy) - (children_cpu_seconds() - mine)
    return result, max(0.0, others) / wall


def measure_pass(args, path: Path, p: int, model: str) -> list[dict]:
    """One pass of one model: every (trainer, workers) once, in :func:`pass_order`."""
    runs = []
    for trainer, workers in pass_order(p, args.workers):
        r, others = timed_child(dict(trainer=trainer, model=model, workers=workers,
                                     epochs=args.epochs, settings=SPEED, seed=p + 1,
                                     path=str(path), evaluate=True))
        runs.append({"pass": p + 1, "model": model, "workers": workers,
                     "trainer": TRAINERS[trainer], "seed": p + 1,
                     "e2e_s": round(r["e2e_s"], 3), "train_s": round(r["train_s"], 3),
                     "analogy": round(r["analogy"], 2),
                     "load": round(os.getloadavg()[0], 2),
                     "others_cores": None if others is None else round(others, 2)})
        print(json.dumps(runs[-1]), flush=True)
    return runs


def measure(args, path: Path) -> tuple[list[dict], list[dict]]:
    """Every (model, workers, trainer, pass): end-to-end and training seconds, analogies.

    Returns the kept runs and the discarded ones (passes measured again because other
    processes used more than ``args.busy_cores`` during one of their runs).
    """
    runs, discarded = [], []
    for p in range(args.repeat):
        for model in args.models:
            for attempt in range(args.retry_busy + 1):
                these = measure_pass(args, path, p, model)
                busiest = max((r["others_cores"] or 0.0) for r in these)
                if busiest <= args.busy_cores or attempt == args.retry_busy:
                    break
                print(f"pass {p + 1} ({model}): other processes used {busiest:.2f} cores; "
                      "measuring it again", flush=True)
                discarded += [dict(r, attempt=attempt + 1) for r in these]
            runs += these
    return runs, discarded


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


def markdown(rows, runs, args, header, discarded=()) -> list[str]:
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
    if any(r.get("others_cores") is not None for r in runs):
        lines += ["Cores used by other processes during each run (busy and stolen CPU, minus "
                  "the run's own), per pass and model, in run order:", ""]
        lines += _others_lines(runs)
    if discarded:
        lines += ["", f"Discarded: {len(discarded)} runs of passes measured again because "
                  f"other processes used more than {args.busy_cores} cores during one of "
                  "their runs (speed-up over 1 worker, per trainer and worker count):", ""]
        lines += _others_lines(discarded, speedups=True)
    return lines + [""]


def _others_lines(runs, speedups=False) -> list[str]:
    lines = []
    groups = {}
    for r in runs:
        groups.setdefault((r["pass"], r["model"], r.get("attempt")), []).append(r)
    for (p, model, attempt), these in groups.items():
        tag = f"pass {p}" + (f", attempt {attempt}" if attempt else "")
        line = f"- {tag}, {model}: " + ", ".join(
            f"{r['trainer']} {r['workers']}w {r['others_cores']:.2f}" for r in these
            if r["others_cores"] is not None)
        if speedups:
            base = {r["trainer"]: r["e2e_s"] for r in these if r["workers"] == 1}
            line += "; speed-up " + ", ".join(
                f"{r['trainer']} {r['workers']}w {base[r['trainer']] / r['e2e_s']:.2f}"
                for r in these if r["workers"] > 1 and r["trainer"] in base)
        lines.append(line)
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
    parser.add_argument("--busy-cores", type=float, default=0.25,
                        help="a pass during one of whose runs other processes used more "
                             "than this many cores is busy (see --retry-busy)")
    parser.add_argument("--retry-busy", type=int, default=0,
                        help="measure a busy pass again, at most this many times; the "
                             "discarded passes are listed in the results")
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
    if args.retry_busy < 0 or args.busy_cores < 0:
        parser.error("--retry-busy and --busy-cores must not be negative")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="scaling.") as tmp:
        path, n_words, _ = plain_text(Path(args.corpus), args.max_words, Path(tmp))
        _fill_compile_caches(path, args)
        runs, discarded = measure(args, path)
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
        f"- {args.repeat} interleaved pass(es); each run in its own process; in a pass each "
        "trainer's runs are adjacent, and every other pass runs in the reverse order. "
        "**end to end** = "
        "file to trained vectors (the `train(...)` / `Word2Vec(...)` call). **speed-up** = "
        "the trainer's end-to-end time at 1 worker / at this many, per pass. **lessons / "
        "gensim** = gensim's end-to-end time / lessons' at the same worker count and pass. "
        "**analogies**: Google set, 30,000 most frequent words; the sd is over seeds "
        "(passes).",
        "",
    ]
    lines = markdown(rows, runs, args, header, discarded)
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    if args.json:
        result = {"command": command, "date": started, "machine": machine(),
                  "load_before": load_before, "load_after": load(),
                  "corpus": Path(args.corpus).name, "words": n_words,
                  "settings": dict(SPEED, epochs=args.epochs), "repeat": args.repeat,
                  "workers": args.workers, "rows": rows, "runs": runs,
                  "busy_cores": args.busy_cores, "discarded": discarded}
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
