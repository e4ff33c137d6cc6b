"""Benchmark: lessons.models.word2vec.train against gensim 4 Word2Vec, end to end, in one run.

Three things, each trainer in its own child process (fresh interpreter, nothing shared):

* **Speed**, file to trained vectors (vocabulary counting included), and the training
  passes alone, for skip-gram and CBOW at 1 and 2 workers.  Contestants: lessons with
  ``train(corpus_file=...)``; gensim with ``Word2Vec(corpus_file=...)`` (its fastest mode)
  and with an iterable of token lists (its usual mode: the file's lines are read into
  lists first, and that reading is counted); optionally (``--with-list``)
  lessons with token lists.  All read the *same decompressed* file, 10,000 words a
  line (gensim's ``corpus_file`` mode needs a plain file and handles one sentence per
  line best): the parent writes it once, before any timing, and that time is reported
  but counted for nobody.  Each child first imports its library and (lessons)
  loads its compiled numba code with a tiny training run; that start-up is reported
  separately (gensim's Cython is compiled ahead of time).
* **Memory**: each child's peak resident memory (``VmHWM`` of ``/proc/self/status``,
  reset after the imports and warm-up, read before any evaluation; ``ru_maxrss`` would
  include the parent's peak before ``exec``, and a cold numba cache's compilation), and
  how it grows with the corpus: CBOW at 1 worker is run again on the corpus twice over
  with ``min_count`` doubled (the same vocabulary and model, twice the tokens), and
  growth = (peak twice - peak once) / words.
* **Quality** (``--quality``): Google analogies (30,000 most frequent words), WordSim-353
  and SimLex-999 (:mod:`lessons.vectors.evaluation`, the same code for both trainers)
  as mean and sd over 3 seeds, for skip-gram and CBOW, at the defaults (d=100, window 5,
  k=5, t=1e-3, min_count 5) and at d=300, window 8, k=10, t=1e-4, min_count 10, after 1
  and after 3 epochs, at 1 worker (lessons against gensim's iterable mode), on the first
  ``--quality-words`` words of text8 (default 1,000,000, so that the 48 trainings fit a
  shared 2-core machine in about 20 minutes).  A difference
  is flagged when ``|mean_l - mean_g| > 2 * pooled sd`` (pooled sd = sqrt((sd_l^2 +
  sd_g^2) / 2)) and also larger than a floor (0.5 analogy points, 0.01 in Spearman rho):
  with 3 seeds the sd itself is rough, and a deterministic metric can have sd near 0.

Settings for speed: d=100, window 5, negative 5, subsample 1e-3, min_count 5, the
starting learning rate 0.025 (skip-gram) / 0.05 (CBOW) for both (word2vec.c's defaults;
gensim is told the CBOW rate explicitly since its default is 0.025).

Usage (the committed tables: ``benchmarks/results/trainer_vs_gensim.md`` and
``trainer_vs_gensim_quality.md``)::

    python benchmarks/trainer_vs_gensim.py --repeat 3 \\
        --markdown benchmarks/results/trainer_vs_gensim.md
    python benchmarks/trainer_vs_gensim.py --max-words 2000000 --models skipgram --workers 1
    python benchmarks/trainer_vs_gensim.py --quality --nice 0 \\
        --markdown benchmarks/results/trainer_vs_gensim_quality.md
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SPEED = dict(dim=100, window=5, negative=5, subsample=1e-3, min_count=5)
QUALITY_SETTINGS = {
    "defaults": dict(dim=100, window=5, negative=5, subsample=1e-3, min_count=5),
    "d300-w8-k10-t1e-4-mc10": dict(dim=300, window=8, negative=10, subsample=1e-4, min_count=10),
}
LEARNING_RATE = {"skipgram": 0.025, "cbow": 0.05}
TRAINERS = {
    "lessons-file": "lessons, corpus_file",
    "lessons-list": "lessons, token lists",
    "gensim-file": "gensim, corpus_file",
    "gensim-iter": "gensim, iterable",
}


# --- one trainer, in a child process ---------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident memory since it started (``VmHWM``).

    Not ``ru_maxrss``: on Linux that survives ``exec`` and would include the parent's
    peak before the fork.
    """
    with open("/proc/self/status") as f:
        kib = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    return kib / 1024


def _reset_peak_rss() -> None:
    """Start ``VmHWM`` again from the current resident memory (Linux ``clear_refs``).

    Called after the imports and the warm-up, so that a cold numba cache (compiling
    takes hundreds of MB for a moment) does not count as the trainer's memory; what is
    resident then (the library, the loaded compiled code) still counts.
    """
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:  # pragma: no cover - not Linux
        pass


def _read_sentences(path: str) -> list[list[str]]:
    """The file as token lists: each line cut into 10,000-word sentences (gensim's batch)."""
    sentences = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.split()
            sentences.extend(words[i:i + 10_000] for i in range(0, len(words), 10_000))
    return sentences


def _child(spec: dict) -> dict:
    """Train as ``spec`` says, once per seed (``spec["seeds"]``) or once (``spec["seed"]``).

    Returns the one run's result, or ``{"runs": [...]}`` for a list of seeds.
    """
    t0 = time.perf_counter()
    if spec["trainer"].startswith("lessons"):
        from lessons.models.word2vec import train
        warm = Path(tempfile.mkdtemp()) / "warm.txt"
        warm.write_text("warm up the compiled code\n" * 3)
        # Load the cached numba code, as importing gensim loads its compiled code: every
        # kernel the timed run calls, so at its worker count too (with several workers the
        # kernels take the threads' hot rows: another specialisation, about 0.1 s to load).
        for model in ("skipgram", "cbow"):
            for workers in sorted({1, spec["workers"]}):
                train(corpus_file=warm, model=model, dim=8, min_count=1, epochs=1,
                      subsample=0, workers=workers)
                train([["warm", "up"]] * 3, model=model, dim=8, min_count=1, epochs=1,
                      subsample=0, workers=workers)
        shutil.rmtree(warm.parent)
    else:
        import gensim.models  # noqa: F401 - imported ahead, as lessons is
    startup = time.perf_counter() - t0
    _reset_peak_rss()
    if "seeds" in spec:
        return {"runs": [_train_once(dict(spec, seed=seed), startup) for seed in spec["seeds"]]}
    return _train_once(spec, startup)


def _train_once(spec: dict, startup: float) -> dict:
    """Train once; time it; read the peak memory; evaluate if asked."""
    trainer, model = spec["trainer"], spec["model"]
    workers, epochs = spec["workers"], spec["epochs"]
    settings = spec["settings"]
    lr = LEARNING_RATE[model]
    if trainer.startswith("lessons"):
        from lessons.models.word2vec import train
        t1 = time.perf_counter()
        kwargs = dict(model=model, epochs=epochs, workers=workers, seed=spec["seed"],
                      learning_rate=lr, **settings)
        if trainer == "lessons-file":
            emb = train(corpus_file=spec["path"], **kwargs)
        else:
            emb = train(_read_sentences(spec["path"]), **kwargs)
        e2e = time.perf_counter() - t1
        training = float(sum(emb.history.elapsed_s))
        words, vectors = list(emb.words), emb.vectors
        corpus_words = int(emb.counts.sum())  # in-vocabulary words (gensim: all words)
    else:
        import logging

        from gensim.models import Word2Vec
        from gensim.models.callbacks import CallbackAny2Vec
        logging.getLogger("gensim").setLevel(logging.WARNING)

        class EpochTimer(CallbackAny2Vec):
            def __init__(self):
                self.elapsed = []

            def on_epoch_begin(self, m):
                self.t = time.perf_counter()

            def on_epoch_end(self, m):
                self.elapsed.append(time.perf_counter() - self.t)

        timer = EpochTimer()
        kwargs = dict(vector_size=settings["dim"], window=settings["window"],
                      negative=settings["negative"], sample=settings["subsample"],
                      min_count=settings["min_count"], hs=0, sg=int(model == "skipgram"),
                      cbow_mean=1, alpha=lr, workers=workers, seed=spec["seed"], epochs=epochs,
                      callbacks=[timer])
        t1 = time.perf_counter()
        if trainer == "gensim-file":
            m = Word2Vec(corpus_file=spec["path"], **kwargs)
        else:
            m = Word2Vec(_read_sentences(spec["path"]), **kwargs)
        e2e = time.perf_counter() - t1
        training = float(sum(timer.elapsed))
        words, vectors = list(m.wv.index_to_key), m.wv.vectors
        corpus_words = int(m.corpus_total_words)
    out = dict(spec, startup_s=startup, e2e_s=e2e, train_s=training, setup_s=e2e - training,
               peak_rss_mb=_peak_rss_mb(), vocab=len(words), corpus_words=corpus_words)
    if spec.get("evaluate"):
        out.update(_evaluate(words, vectors))
    return out


def _evaluate(words, vectors) -> dict:
    from lessons.vectors.embeddings import Embeddings
    from lessons.vectors.evaluation import google_analogies, word_similarity
    emb = Embeddings(words, vectors)
    return {"analogy": 100 * google_analogies(emb, restrict_vocab=30000).accuracy,
            "wordsim353": word_similarity(emb, "wordsim353").spearman,
            "simlex999": word_similarity(emb, "simlex999").spearman}


def _fill_compile_caches(path: Path, args) -> None:
    """One throwaway lessons child per model and worker count, before any measurement.

    numba compiles a kernel once and caches it on disk; a child that compiles keeps the
    compiler's memory resident, and that would show in its peak (a run right after the
    cache was emptied measured 354 MB instead of 304).  After this, every measured child
    only loads the cached code.
    """
    small = path.with_name("compile-warm-up.txt")  # the corpus's first line (10,000 words)
    with open(path, encoding="utf-8") as f:
        small.write_text(f.readline(), encoding="utf-8")
    for model in args.models:
        for workers in args.workers:
            run_child(dict(trainer="lessons-file", model=model, workers=workers, epochs=1,
                           settings=dict(SPEED, min_count=1), seed=1, path=str(small)))
    small.unlink()


def run_child(spec: dict, nice: int = 0) -> dict:
    """Run :func:`_child` in a fresh interpreter; returns its JSON answer."""
    command = [sys.executable, __file__, "--child", json.dumps(spec)]
    if nice:
        command = ["nice", "-n", str(nice)] + command
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"child {spec} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the machine and the corpus --------------------------------------------------------------


def machine() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next(line.split(":", 1)[1].strip() for line in out.splitlines()
                     if line.startswith("Model name"))
    except Exception:
        model = platform.processor() or "unknown CPU"
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    return (f"{model}, {os.cpu_count()} logical cores, {memory:.0f} GiB, "
            f"{platform.system()} {platform.release()}")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def plain_text(path: Path, max_words: int | None, folder: Path,
               words_per_line: int = 10_000) -> tuple[Path, int, float]:
    """A decompressed copy of ``path`` (its first ``max_words`` words), ``words_per_line``
    words a line; returns the copy, its words and the seconds it took.

    One sentence per line is the input gensim's ``corpus_file`` mode handles best (on a
    one-line text8 file its vocabulary scan holds the whole line as Python strings).
    Streams in blocks, so that this parent process stays small.
    """
    t0 = time.perf_counter()
    opener = gzip.open if path.suffix == ".gz" else open
    out = folder / (path.name.removesuffix(".gz") + (f"-{max_words}" if max_words else "") + ".txt")
    n, carry, pending = 0, b"", []
    with opener(path, "rb") as f, open(out, "wb") as g:
        while max_words is None or n < max_words:
            block = f.read(1 << 23)
            data = carry + block
            cut = max(data.rfind(b" "), data.rfind(b"\n")) if block else len(data)
            words, carry = data[:cut].split(), data[cut:]
            if max_words is not None:
                words = words[:max_words - n]
            n += len(words)
            pending.extend(words)
            full = len(pending) - len(pending) % words_per_line
            for i in range(0, full, words_per_line):
                g.write(b" ".join(pending[i:i + words_per_line]) + b"\n")
            del pending[:full]
            if not block:
                break
        if pending:
            g.write(b" ".join(pending) + b"\n")
    return out, n, time.perf_counter() - t0


def doubled_text(path: Path, folder: Path) -> Path:
    """The file twice over: the same words, each count doubled."""
    out = folder / (path.stem + "-twice.txt")
    with open(out, "wb") as g:
        for _ in range(2):
            with open(path, "rb") as f:
                shutil.copyfileobj(f, g, 1 << 23)
    return out


# --- the tables ------------------------------------------------------------------------------


def speed(args, folder: Path, lines: list[str]) -> None:
    source = Path(args.corpus)
    path, n_words, unzip_s = plain_text(source, args.max_words, folder)
    trainers = (["lessons-file", "gensim-file", "gensim-iter"]
                + (["lessons-list"] if args.with_list else []))
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines += [
        f"# lessons word2vec vs gensim {_gensim_version()}: end to end, one run",
        "",
        f"- Run: {started}, `python benchmarks/trainer_vs_gensim.py "
        f"{' '.join(a for a in sys.argv[1:] if a)}`",
        f"- Machine: {machine()}.",
        f"- Load average (1 / 5 / 15 min) before the run: {load()}. The machine is shared: other "
        "processes (other sessions' tests and builds) were running during the run, so every time "
        "below was measured under that load; the load is read again after each row.",
        f"- Corpus: `{source.name}`"
        f"{f', first {args.max_words:,} words' if args.max_words else ''}, "
        f"{n_words:,} words, written by the benchmark as a plain file of 10,000 words a line (one "
        f"sentence per line, the input gensim's `corpus_file` mode handles best), "
        f"in {unzip_s:.1f} s before any timing: decompression is counted for neither trainer, "
        "and all trainers read this same plain file.",
        f"- Settings: d={SPEED['dim']}, window {SPEED['window']}, negative {SPEED['negative']}, "
        f"subsample {SPEED['subsample']}, min_count {SPEED['min_count']}, {args.epochs} epoch(s), "
        "learning rate 0.025 (skip-gram) / 0.05 (CBOW) for both, seed 1.",
        "- **end to end** = file to trained vectors: reading, vocabulary, encoding and training "
        "(gensim: the `Word2Vec(...)` call; lessons: the `train(...)` call). **training** = the "
        "epochs alone. **start-up** = importing the library and (lessons) loading the cached numba "
        "code, not in either. **peak** = the child's peak resident memory during the call "
        "(`VmHWM`, reset after start-up: the imported libraries and loaded compiled code count, "
        "a one-off numba compilation does not). "
        "**ratio** = gensim corpus_file's end-to-end time / this trainer's (above 1: faster than "
        "gensim corpus_file)."
        + (f" Every row was run {args.repeat} times, interleaved (each repetition runs every "
           "trainer of the row once, one after the other): times are medians, with (min–max); "
           "the ratio is the median of the per-repetition ratios, with (min–max); "
           "peak is the largest."
           if args.repeat > 1 else ""),
        "",
        "| model | workers | trainer | end to end (s) | training (s) | start-up (s) | peak (MB) "
        "| vocabulary | analogies (%) | e2e ratio vs gensim corpus_file | load after |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    _fill_compile_caches(path, args)
    results = {}
    for model in args.models:
        for workers in args.workers:
            runs = {t: [] for t in trainers}
            for _ in range(args.repeat):  # interleaved: each repetition runs every trainer once
                for trainer in trainers:
                    r = run_child(dict(trainer=trainer, model=model, workers=workers,
                                       epochs=args.epochs, settings=SPEED, seed=1, path=str(path),
                                       evaluate=True))
                    runs[trainer].append(dict(r, load_after=os.getloadavg()[0]))
            base = runs["gensim-file"]
            for trainer in trainers:
                r = results[model, workers, trainer] = _merge(runs[trainer], base)
                spread = (f" ({min(r['e2e_all']):.1f}–{max(r['e2e_all']):.1f})"
                          if args.repeat > 1 else "")
                ratio = ""
                if trainer != "gensim-file":
                    ratio = f"{r['ratio']:.2f}" + (
                        f" ({min(r['ratios']):.2f}–{max(r['ratios']):.2f})"
                        if args.repeat > 1 else "")
                lines.append(
                    f"| {model} | {workers} | {TRAINERS[trainer]} | {r['e2e_s']:.1f}{spread} | "
                    f"{r['train_s']:.1f} | {r['startup_s']:.1f} | {r['peak_rss_mb']:.0f} | "
                    f"{r['vocab']:,} | {r['analogy']:.1f} | {ratio} | {r['load_after']:.2f} |")
                print(lines[-1], flush=True)
    lines.append("")
    # memory growth with the corpus: the same file twice over, min_count doubled, gives the
    # same vocabulary (every count doubles) and twice the tokens
    twice = doubled_text(path, folder)
    lines += ["## Memory growth with the corpus", "",
              f"CBOW, 1 worker, {args.epochs} epoch(s), on the corpus ({n_words:,} words, "
              f"min_count {SPEED['min_count']}) and on the corpus twice over "
              f"({2 * n_words:,} words, "
              f"min_count {2 * SPEED['min_count']}: every count doubles, so the vocabulary and the "
              "model are the same); growth = extra peak memory / extra words.", "",
              "| trainer | vocabulary (once / twice) | peak, once (MB) | peak, twice (MB) "
              "| growth (bytes/word) |", "|---|---|---|---|---|"]
    growth = {}
    for trainer in ("lessons-file", "gensim-file"):
        once = results.get(("cbow", 1, trainer))
        if once is None:
            once = run_child(dict(trainer=trainer, model="cbow", workers=1, epochs=args.epochs,
                                  settings=SPEED, seed=1, path=str(path)))
        double = run_child(dict(trainer=trainer, model="cbow", workers=1, epochs=args.epochs,
                                settings=dict(SPEED, min_count=2 * SPEED["min_count"]), seed=1,
                                path=str(twice)))
        growth[trainer] = (double["peak_rss_mb"] - once["peak_rss_mb"]) * 2**20 / n_words
        lines.append(f"| {TRAINERS[trainer]} | {once['vocab']:,} / {double['vocab']:,} | "
                     f"{once['peak_rss_mb']:.0f} | {double['peak_rss_mb']:.0f} | "
                     f"{growth[trainer]:.2f} |")
        print(lines[-1], flush=True)
    twice.unlink()
    lines += ["", "## Targets (issue 15)", ""]
    lines += targets(results, growth, args)
    lines += ["", f"Load average (1 / 5 / 15 min) after the run: {load()}; finished "
              f"{time.strftime('%H:%M UTC', time.gmtime())}.", ""]


def _merge(runs: list[dict], gensim_file: list[dict]) -> dict:
    """Medians over repetitions (peak: the largest), and the ratios to gensim corpus_file,
    paired by repetition (run next to each other, so they saw about the same load)."""
    out = dict(runs[0])
    for key in ("e2e_s", "train_s", "startup_s", "analogy", "load_after"):
        out[key] = statistics.median(r[key] for r in runs)
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    out["e2e_all"] = [r["e2e_s"] for r in runs]
    out["ratios"] = [g["e2e_s"] / r["e2e_s"] for r, g in zip(runs, gensim_file)]
    out["ratio"] = statistics.median(out["ratios"])
    return out


def targets(results, growth, args) -> list[str]:
    """The issue's targets, each with the measured value and met / not met."""
    out = []
    goals = [("skipgram", 1, 2.2), ("skipgram", 2, 1.8), ("cbow", 1, 1.6), ("cbow", 2, 1.6)]
    for model, workers, goal in goals:
        lf = results.get((model, workers, "lessons-file"))
        gf = results.get((model, workers, "gensim-file"))
        if lf and gf:
            ratio = lf["ratio"]
            out.append(f"- {model}, {workers} worker(s), end to end vs gensim corpus_file "
                       f">= {goal}: {ratio:.2f} ({'met' if ratio >= goal else 'NOT met'}).")
    peaks = [(k, results[k[0], k[1], "lessons-file"]["peak_rss_mb"]
              - results[k[0], k[1], "gensim-file"]["peak_rss_mb"])
             for k in {(m, w) for m, w, _ in results}
             if (k[0], k[1], "lessons-file") in results and (k[0], k[1], "gensim-file") in results]
    if peaks:
        worst = max(d for _, d in peaks)
        out.append(f"- peak memory <= gensim corpus_file's + 150 MB: worst row lessons - gensim = "
                   f"{worst:+.0f} MB ({'met' if worst <= 150 else 'NOT met'}).")
    if "lessons-file" in growth:
        g = growth["lessons-file"]
        out.append(f"- memory growth <= 4 bytes/word: {g:.2f} ({'met' if g <= 4 else 'NOT met'}).")
    return out


# --- quality ---------------------------------------------------------------------------------


def quality(args, folder: Path, lines: list[str]) -> None:
    source = Path(args.quality_corpus)
    path, n_words, _ = plain_text(source, args.quality_words, folder)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines += [
        f"# Quality: lessons word2vec vs gensim {_gensim_version()} (iterable mode), "
        f"mean ± sd over {len(args.seeds)} seeds",
        "",
        f"- Run: {started}, `python benchmarks/trainer_vs_gensim.py "
        f"{' '.join(a for a in sys.argv[1:] if a)}` (children under `nice -n {args.nice}`; the "
        "lessons and gensim children of a row run side by side, one process each).",
        f"- Machine: {machine()}; load average (1 / 5 / 15 min) before: {load()} "
        "(shared machine, other processes running; quality does not depend on the load).",
        f"- Corpus: `{source.name}`, first {n_words:,} words, as a plain file of 10,000 words "
        "a line (one sentence per line for both trainers).",
        f"- 1 worker, seeds {', '.join(map(str, args.seeds))}; learning rate 0.025 (skip-gram) / "
        "0.05 (CBOW) for both. Analogies: Google set, 30,000 most frequent words, accuracy in %; "
        "WordSim-353 and SimLex-999: Spearman rho (`lessons.vectors.evaluation`, the same code for "
        "both trainers).",
        "- Δ = lessons - gensim. **flag** when |Δ| > 2 × pooled sd and |Δ| > 0.5 points "
        "(analogies) or 0.01 (rho); otherwise the difference is within seed noise.",
        "",
        "| model | setting | epochs | metric | lessons | gensim | Δ | 2 × pooled sd | flag |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    flags = 0
    for model in args.models:
        for name, settings in QUALITY_SETTINGS.items():
            for epochs in (1, 3):
                with ThreadPoolExecutor(2) as pool:  # the two trainers' children side by side
                    futures = {t: pool.submit(run_child, dict(
                        trainer=t, model=model, workers=1, epochs=epochs, settings=settings,
                        seeds=args.seeds, path=str(path), evaluate=True), nice=args.nice)
                        for t in ("lessons-file", "gensim-iter")}
                runs = {t: future.result()["runs"] for t, future in futures.items()}
                for metric, floor, scale in (("analogy", 0.5, 1), ("wordsim353", 0.01, 1),
                                             ("simlex999", 0.01, 1)):
                    a = [r[metric] for r in runs["lessons-file"]]
                    b = [r[metric] for r in runs["gensim-iter"]]
                    (ma, sa), (mb, sb) = _mean_sd(a), _mean_sd(b)
                    pooled2 = 2 * math.sqrt((sa ** 2 + sb ** 2) / 2)
                    delta = ma - mb
                    flag = abs(delta) > pooled2 and abs(delta) > floor
                    flags += flag
                    fmt = ".1f" if metric == "analogy" else ".3f"
                    lines.append(f"| {model} | {name} | {epochs} | {metric} | "
                                 f"{ma:{fmt}} ± {sa:{fmt}} | {mb:{fmt}} ± {sb:{fmt}} | "
                                 f"{delta:+{fmt}} | {pooled2:{fmt}} | "
                                 f"{'**FLAG**' if flag else 'noise'} |")
                    print(lines[-1], flush=True)
    lines += ["", f"{flags} difference(s) flagged. Load average after: {load()}; finished "
              f"{time.strftime('%H:%M UTC', time.gmtime())}.", ""]


def _mean_sd(values) -> tuple[float, float]:
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _gensim_version() -> str:
    out = subprocess.run([sys.executable, "-c", "import gensim; print(gensim.__version__)"],
                         capture_output=True, text=True)
    return out.stdout.strip()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    data = Path(os.environ.get("LESSONS_DATA_DIR", "../shared/data"))
    parser.add_argument("--corpus", type=Path, default=data / "gutenberg8.gz")
    parser.add_argument("--max-words", type=int, default=None)
    parser.add_argument("--models", nargs="+", choices=["skipgram", "cbow"],
                        default=["skipgram", "cbow"])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--with-list", action="store_true", help="also lessons with token lists")
    parser.add_argument("--repeat", type=int, default=1,
                        help="repetitions of every speed row (medians and ranges are reported)")
    parser.add_argument("--quality", action="store_true", help="the quality table instead of speed")
    parser.add_argument("--quality-corpus", type=Path, default=data / "text8-prefix.gz")
    parser.add_argument("--quality-words", type=int, default=1_000_000)
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--nice", type=int, default=5, help="niceness of the quality children")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(json.loads(args.child))), flush=True)
        return
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="trainer_vs_gensim.") as tmp:
        (quality if args.quality else speed)(args, Path(tmp), lines)
    text = "\n".join(lines)
    if args.markdown:
        args.markdown.write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
