"""Bad and edge inputs to the public API: each must end in a clear error or a correct answer.

Every row of :data:`CASES` is one input.  A row either expects an exception of a given type
whose message names the argument (or the file) — a *clear* error — or, for a valid input
that is numerically hard (huge windows, 1e38-scale vectors, d = 10^9), a ``check`` of the
answer.  :func:`classify` sorts what actually happens into

* ``clear``   the expected exception type, and its message names the argument or file;
* ``correct`` a hard but valid input answered correctly;
* ``raw``     any other exception (a bare numpy/gzip/zipfile/urllib error, or a message
  that does not say which argument is wrong);
* ``nan``     a result holding NaN or inf;
* ``wrong``   a silently wrong result (a bad input accepted, a wrong number, a file lost);
* ``hang``    no answer within the deadline.

The test asserts ``clear`` or ``correct`` for every row.  ``python -m tests.test_bad_inputs``
prints the counts of each outcome (the before/after numbers of issue 16).
"""
from __future__ import annotations

import gzip
import io
import math
import os
import re
import signal
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from lessons.book import plots
from lessons.data import corpus, datasets
from lessons.geometry import high_dimensions as hd
from lessons.geometry import pca, projections, superposition
from lessons.models import attention, cooccurrence, neural_lm, onehot, reference, skipgram, softmax
from lessons.vectors import bias, evaluation, formats, linalg, lsh
from lessons.vectors.embeddings import Embeddings

NAN, INF = float("nan"), float("inf")
DEADLINE_S = 10.0  # a hang is anything slower than this (every row answers in well under 1 s)


# ------------------------------------------------------------------ the table's machinery

@dataclass
class Ctx:
    """What a row may use: a fresh folder and pytest's monkeypatch."""

    tmp: Path
    monkeypatch: pytest.MonkeyPatch


@dataclass(frozen=True)
class Case:
    id: str
    call: Callable[[Ctx], object]
    error: type | None = None  # the exception a clear error has (None: a correct answer is due)
    names: str = ""  # regex the message must match: the argument, or the file
    check: Callable[[object], bool] | None = None  # the answer is right (for valid inputs)


class Destroyed(Exception):
    """Raised by a row when a failed save has damaged or left behind files
    (classified ``wrong``)."""


class Hang(BaseException):
    pass


@contextmanager
def deadline(seconds: float):
    """Raise :class:`Hang` in the main thread after ``seconds`` (POSIX; no limit elsewhere)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):
        raise Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)  # an enclosing timer (pytest-timeout)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:  # give the enclosing timer back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3))


def _has_nan(value) -> bool:
    if isinstance(value, (float, np.floating)):
        return not math.isfinite(value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and not np.isfinite(value).all()
    if isinstance(value, Embeddings):
        return _has_nan(value.vectors)
    if isinstance(value, (list, tuple)):
        return any(_has_nan(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    return False


def classify(case: Case, ctx: Ctx) -> tuple[str, str]:
    """Run one row and return ``(outcome, what happened)``."""
    try:
        with deadline(DEADLINE_S):
            result = case.call(ctx)
    except Hang as err:
        return "hang", str(err)
    except Destroyed as err:
        return "wrong", f"Destroyed: {err}"
    except Exception as err:  # noqa: BLE001 - sorting every exception is the point
        shown = f"{type(err).__name__}: {str(err)[:300]}"
        if (case.error is not None and isinstance(err, case.error)
                and re.search(case.names, str(err))):
            return "clear", shown
        return "raw", shown
    shown = f"returned {str(result)[:200]}"
    if _has_nan(result):
        return "nan", shown
    if case.check is not None and case.check(result):
        return "correct", shown
    return "wrong", shown


# ------------------------------------------------------------------ inputs the rows share

WORDS = ["king", "queen", "man", "woman", "apple"]
VECTORS = np.array([[1, 1, 0.1], [1, -1, 0.1], [0.1, 1, 0], [0.1, -1, 0], [0, 0.1, 1]],
                   dtype=np.float32)


def emb(vectors=VECTORS, words=WORDS) -> Embeddings:
    return Embeddings(list(words), vectors)


def with_nan(value=NAN, row=0, col=1):
    v = VECTORS.copy()
    v[row, col] = value
    return v


def empty_emb() -> Embeddings:
    return Embeddings([], np.zeros((0, 3), dtype=np.float32))


def true_cosine(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def close(expected, rel=1e-6):
    return lambda got: (got is not None
                        and abs(float(got) - expected) <= rel * max(abs(expected), 1e-300))


# Files.

def vector_file(ctx, name="v.txt", binary=False) -> Path:
    path = ctx.tmp / name
    formats.write_word2vec(path, WORDS, VECTORS, binary=binary)
    return path


def truncated_gz(ctx, binary) -> Path:
    """A valid .gz word2vec file cut in the middle of its compressed stream."""
    words = [f"w{i}" for i in range(400)]
    vectors = np.random.default_rng(0).standard_normal((400, 20)).astype(np.float32)
    path = ctx.tmp / "v.gz"
    formats.write_word2vec(path, words, vectors, binary=binary)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    return path


def corrupt_gz(ctx) -> Path:
    """A .gz whose compressed bytes are damaged (CRC or stream error)."""
    path = vector_file(ctx, "v.txt.gz")
    data = bytearray(path.read_bytes())
    for i in range(20, len(data) - 8, 7):
        data[i] ^= 0x55
    path.write_bytes(bytes(data))
    return path


def header_file(ctx, header: bytes, name="big.txt") -> Path:
    path = ctx.tmp / name
    path.write_bytes(header + b"\nking 1 2 3\n")
    return path


def load(path, binary=False):
    return Embeddings.load_word2vec_format(path, binary=binary)


def save_keeping_old(ctx, save, name="v.txt"):
    """Run ``save(path)`` over an existing file; on failure the old file must be intact.

    Returns ``save``'s result when it did not fail (the bad input was accepted).
    """
    path = ctx.tmp / name
    path.write_bytes(b"old contents\n")
    try:
        return save(path)
    except Exception:
        left = sorted(p.name for p in ctx.tmp.iterdir() if p.name != name)
        if path.read_bytes() != b"old contents\n":
            raise Destroyed(f"the failed save destroyed {path}") from None
        if left:
            raise Destroyed(f"the failed save left {left} behind") from None
        raise


def refuses_and_writes_nothing(ctx, write):
    path = ctx.tmp / "new.txt"
    try:
        return write(path)
    except Exception:
        if list(ctx.tmp.iterdir()):
            raise Destroyed(
                f"a refused save still wrote {sorted(p.name for p in ctx.tmp.iterdir())}")
        raise


# Data folders: never download, never touch the reader's own cache.

def offline(ctx, data_dir=None):
    """No LESSONS_DATA_DIR (unless ``data_dir``), an empty cache, and a network that fails."""
    ctx.monkeypatch.setenv("LESSONS_CACHE_DIR", str(ctx.tmp / "cache"))
    if data_dir is None:
        ctx.monkeypatch.delenv("LESSONS_DATA_DIR", raising=False)
    else:
        ctx.monkeypatch.setenv("LESSONS_DATA_DIR", str(data_dir))

    def no_network(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    ctx.monkeypatch.setattr(urllib.request, "urlopen", no_network)


def data_folder(ctx, name, content: bytes) -> Path:
    folder = ctx.tmp / "data"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(content)
    offline(ctx)
    return folder


def gz_bytes(text: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as out:
        out.write(text)
    return buffer.getvalue()


def fake_text8(n_words: int) -> bytes:
    """Text in text8's format that is not text8 (more than one MiB when n_words is large)."""
    return (" " + " ".join(f"w{i % 1000}" for i in range(n_words))).encode("ascii")


def analogy_file(ctx, content: bytes) -> Path:
    path = ctx.tmp / "questions.txt"
    path.write_bytes(content)
    return path


# Numerics references.

def chi_sd_reference(d: int) -> float:
    """sd of the chi distribution with ``d`` degrees of freedom from an exact-rational series.

    ``Γ(x + 1/2) / Γ(x) = √x (1 - 1/(8x) + 1/(128x²) + 5/(1024x³) - 21/(32768x⁴) + ...)``
    (Graham, Knuth, Patashnik, *Concrete Mathematics*, ex. 9.60), so with x = d/2,
    ``Var = d - 2 x (series)²`` is evaluated exactly in fractions and rounded once.
    Accurate to ~1e-20 relative for d >= 10^6.
    """
    x = Fraction(d, 2)
    series = (1 - Fraction(1, 8) / x + Fraction(1, 128) / x ** 2 + Fraction(5, 1024) / x ** 3
              - Fraction(21, 32768) / x ** 4)
    return math.sqrt(float(d - 2 * x * series ** 2))


def chi_mean_reference(d: int) -> float:
    x = Fraction(d, 2)
    series = (1 - Fraction(1, 8) / x + Fraction(1, 128) / x ** 2 + Fraction(5, 1024) / x ** 3
              - Fraction(21, 32768) / x ** 4)
    return math.sqrt(2 * d / 2) * float(series)


def rank3(n=600) -> np.ndarray:
    rng = np.random.default_rng(1)
    return rng.standard_normal((n, 3)) @ rng.standard_normal((3, n))


def padded_svd(result, dim=10, n=600) -> bool:
    u, s, vt = result
    return (u.shape == (n, dim) and s.shape == (dim,) and vt.shape == (dim, n)
            and np.all(s[3:] <= 1e-10 * s[0]) and np.all(s[:3] > 1)
            and np.allclose(u.T @ u, np.eye(dim), atol=1e-8)
            and np.allclose(vt @ vt.T, np.eye(dim), atol=1e-8)
            and np.allclose((u * s) @ vt, rank3(n), atol=1e-8))


def window_capped(result) -> bool:
    ids = np.array([0, 1, 2, 0, 1], dtype=np.int32)
    expected = cooccurrence.cooccurrence_matrix(ids, 3, window=4)
    return (result != expected).nnz == 0


# ------------------------------------------------------------------ the table

CASES = [
    # ---------------------------------------------------------------- vectors and queries
    Case("Embeddings: NaN vector", lambda c: emb(with_nan()), ValueError, r"vectors.*'king'"),
    Case("Embeddings: inf vector",
         lambda c: emb(with_nan(INF, row=2)), ValueError, r"vectors.*'man'"),
    Case("Embeddings: NaN context_vectors",
         lambda c: Embeddings(WORDS, VECTORS, context_vectors=with_nan()),
         ValueError, r"context_vectors"),
    Case("Embeddings: NaN assigned to .vectors",
         lambda c: setattr(emb(), "vectors", with_nan()), ValueError, r"vectors"),
    Case("Embeddings: a word that is not a str",
         lambda c: emb(words=["king", None, "man", "woman", "apple"]),
         TypeError, r"words"),
    Case("Embeddings: negative counts",
         lambda c: Embeddings(WORDS, VECTORS, counts=[3, 2, -1, 1, 1]), ValueError, r"counts"),
    Case("Embeddings: 1-d vectors",
         lambda c: Embeddings(WORDS, VECTORS[:, 0]), ValueError, r"vectors"),
    Case("most_similar: NaN weight in positive",
         lambda c: emb().most_similar(positive=[("king", NAN)]), ValueError, r"positive"),
    Case("most_similar: inf weight in negative",
         lambda c: emb().most_similar(positive=["king"], negative=[("man", INF)]),
         ValueError, r"negative"),
    Case("most_similar: NaN vector in positive",
         lambda c: emb().most_similar(positive=[np.array([NAN, 1, 0])]), ValueError, r"positive"),
    Case("most_similar: weights summing to zero",
         lambda c: emb().most_similar(positive=[("king", 0.0)]), ValueError, r"positive.*weight"),
    Case("most_similar: negative topn",
         lambda c: emb().most_similar("king", topn=-3), ValueError, r"topn"),
    Case("most_similar: restrict_vocab=-1",
         lambda c: emb().most_similar("king", restrict_vocab=-1), ValueError, r"restrict_vocab"),
    Case("most_similar_cosmul: NaN vector",
         lambda c: emb().most_similar_cosmul(positive=[np.array([NAN, 1, 0])]),
         ValueError, r"positive"),
    Case("most_similar_cosmul: epsilon=nan",
         lambda c: emb().most_similar_cosmul(positive=["king"], negative=["man"], epsilon=NAN),
         ValueError, r"epsilon"),
    Case("nearest: NaN vector",
         lambda c: emb().nearest(np.array([NAN, 0, 0])), ValueError, r"vector"),
    Case("similarity: inf vector",
         lambda c: emb().similarity("king", [INF, 1, 0]), ValueError, r"\bb\b"),
    Case("analogy: epsilon=-1 (3cosmul)",
         lambda c: emb().analogy("man", "king", "woman", method="3cosmul", epsilon=-1.0),
         ValueError, r"epsilon"),
    Case("analogy: a is not a word",
         lambda c: emb().analogy(3, "king", "woman"), TypeError, r"\ba\b"),
    Case("analogy: unknown word",
         lambda c: emb().analogy("man", "kingg", "woman"), KeyError, r"kingg"),
    Case("analogy: restrict_vocab=0",
         lambda c: emb().analogy("man", "king", "woman", restrict_vocab=0),
         ValueError, r"restrict_vocab"),
    Case("doesnt_match: one word", lambda c: emb().doesnt_match(["king"]), ValueError, r"words"),
    # valid but hard: vectors at the edges of float32
    Case("similarity at 1e38 scale",
         lambda c: emb(VECTORS * np.float32(1e38)).similarity("king", "man"),
         check=close(true_cosine(VECTORS[0], VECTORS[2]))),
    Case("similarity at 1e-30 scale",
         lambda c: emb(VECTORS * np.float32(1e-30)).similarity("king", "man"),
         check=close(true_cosine(VECTORS[0], VECTORS[2]))),
    Case("most_similar at 1e38 scale",
         lambda c: emb(VECTORS * np.float32(1e38)).most_similar("king", topn=1),
         check=lambda r: r[0][0] == "man" and close(true_cosine(VECTORS[0], VECTORS[2]))(r[0][1])),
    Case("linalg.cosine at 1e200 scale", lambda c: linalg.cosine([1e200, 2e200], [3e200, -1e200]),
         check=close(true_cosine([1, 2], [3, -1]))),
    Case("linalg.cosine_matrix at 1e38 scale (float32)",
         lambda c: linalg.cosine_matrix(VECTORS * np.float32(1e38))[0, 2],
         check=close(true_cosine(VECTORS[0], VECTORS[2]))),
    Case("linalg.unit_rows at 1e38 scale (float32)",
         lambda c: linalg.unit_rows(VECTORS * np.float32(1e38)),
         check=lambda r: np.allclose(np.linalg.norm(r.astype(np.float64), axis=1), 1, rtol=1e-6)),
    Case("linalg.cosine: NaN", lambda c: linalg.cosine([NAN, 1], [1, 1]), ValueError, r"\ba\b"),
    # ---------------------------------------------------------------- files
    Case("write_word2vec: NaN vectors (writes nothing)",
         lambda c: refuses_and_writes_nothing(
             c, lambda p: formats.write_word2vec(p, WORDS, with_nan())),
         ValueError, r"vectors.*'king'"),
    Case("write_word2vec: NaN vectors over an old file (old file kept)",
         lambda c: save_keeping_old(
             c, lambda p: formats.write_word2vec(p, WORDS, with_nan(), binary=True)),
         ValueError, r"vectors.*'king'"),
    Case("save_word2vec_format: a word that is not UTF-8 (old file kept)",
         lambda c: save_keeping_old(c, lambda p: formats.write_word2vec(
             p, WORDS[:4] + ["bad\ud800"], VECTORS)), ValueError, r"words?.*bad"),
    Case("write_projector_tsv: inf vectors",
         lambda c: formats.write_projector_tsv(c.tmp / "p", WORDS, with_nan(INF)),
         ValueError, r"vectors"),
    Case("load: text header promising 10^9 x 10^9",
         lambda c: load(header_file(c, b"1000000000 1000000000")),
         formats.FormatError, r"big\.txt"),
    Case("load: binary header promising 10^9 x 10^9",
         lambda c: load(header_file(c, b"1000000000 1000000000", "big.bin"), binary=True),
         formats.FormatError, r"big\.bin"),
    Case("load: text header promising 3 x 10^12",
         lambda c: load(header_file(c, b"3 1000000000000")), formats.FormatError, r"big\.txt"),
    Case("load: truncated .gz (text)", lambda c: load(truncated_gz(c, False)),
         formats.FormatError, r"v\.gz.*line \d+"),
    Case("load: truncated .gz (binary)", lambda c: load(truncated_gz(c, True), binary=True),
         formats.FormatError, r"v\.gz.*offset \d+"),
    Case("load: corrupt .gz", lambda c: load(corrupt_gz(c)), formats.FormatError, r"v\.txt\.gz"),
    Case("load: .gz that is not gzip",
         lambda c: load(header_file(c, b"2 3", "plain.gz")), formats.FormatError, r"plain\.gz"),
    Case("load: truncated binary",
         lambda c: load(_cut(vector_file(c, "v.bin", binary=True), 30), binary=True),
         formats.FormatError, r"v\.bin.*offset"),
    Case("load: text file cut inside its last number",
         lambda c: load(_cut_last_number(c)),
         formats.FormatError, r"v\.txt.*line 6"),
    Case("load: fewer rows than the header", lambda c: load(header_file(c, b"2 3")),
         formats.FormatError, r"big\.txt.*line"),
    Case("load: text file read as binary", lambda c: load(vector_file(c), binary=True),
         formats.FormatError, r"v\.txt"),
    Case("load: missing file", lambda c: load(c.tmp / "nope.txt"), FileNotFoundError, r"nope\.txt"),
    # ---------------------------------------------------------------- data
    Case("Vocabulary.decode: -1", lambda c: _vocab().decode([-1]), ValueError, r"ids.*-1"),
    Case("Vocabulary.decode: V", lambda c: _vocab().decode([0, 3]), ValueError, r"ids.*3"),
    Case("Vocabulary.decode: 1.5", lambda c: _vocab().decode([1.5]), TypeError, r"ids"),
    Case("Vocabulary.decode: a word", lambda c: _vocab().decode(["a"]), TypeError, r"ids"),
    Case("Vocabulary.decode: not iterable", lambda c: _vocab().decode(5), TypeError, r"ids"),
    Case("tokenize: None", lambda c: corpus.tokenize(None), TypeError, r"text"),
    Case("iter_sentences: None", lambda c: list(corpus.iter_sentences(None)), TypeError, r"corpus"),
    Case("iter_sentences: an int", lambda c: list(corpus.iter_sentences(5)), TypeError, r"corpus"),
    Case("iter_sentences: a sentence that is an int",
         lambda c: list(corpus.iter_sentences([["a"], 7])), TypeError, r"corpus.*sentence"),
    Case("Vocabulary: a None token",
         lambda c: corpus.Vocabulary.from_corpus([["a", None]]), TypeError, r"corpus.*None"),
    Case("Vocabulary: a list inside a token stream",
         lambda c: corpus.Vocabulary.from_corpus(["a", ["b"]]), TypeError, r"corpus"),
    Case("Vocabulary: int tokens",
         lambda c: corpus.Vocabulary.from_corpus([[1, 2]]), TypeError, r"corpus"),
    Case("text8: misspelt LESSONS_DATA_DIR",
         lambda c: (offline(c, c.tmp / "dtaa"), datasets.text8(max_words=10)),
         FileNotFoundError, r"LESSONS_DATA_DIR.*dtaa"),
    Case("text8: data_dir without any copy",
         lambda c: (offline(c), (c.tmp / "empty").mkdir(),
                    datasets.text8(10, data_dir=c.tmp / "empty")),
         FileNotFoundError, r"data_dir.*empty"),
    Case("text8: offline, nothing cached",
         lambda c: (offline(c), datasets.text8(max_words=10)),
         OSError, r"mattmahoney\.net.*LESSONS_DATA_DIR"),
    Case("text8: corrupt text8.zip",
         lambda c: datasets.text8(10, data_dir=data_folder(
             c, "text8.zip", b"PK\x03\x04 not a zip")),
         ValueError, r"text8\.zip"),
    Case("text8: zip without a text8 member",
         lambda c: datasets.text8(10, data_dir=data_folder(
             c, "text8.zip", _zip_with("other", b" a b"))),
         ValueError, r"text8\.zip"),
    Case("text8: truncated text8-prefix.gz",
         lambda c: datasets.text8(10, data_dir=data_folder(
             c, "text8-prefix.gz", gz_bytes(fake_text8(20_000))[:2000])),
         ValueError, r"text8-prefix\.gz"),
    Case("text8: tiny text8-prefix.gz, 1,000 words asked",
         lambda c: datasets.text8(1000, data_dir=data_folder(
             c, "text8-prefix.gz", gz_bytes(b" a b c d"))),
         ValueError, r"text8-prefix\.gz.*4"),
    Case("text8: text8-prefix.gz that is not text8",
         lambda c: datasets.text8(300_000, data_dir=data_folder(
             c, "text8-prefix.gz", gz_bytes(fake_text8(400_000)))),
         ValueError, r"text8-prefix\.gz.*(checksum|canonical)"),
    Case("text8: max_words=0", lambda c: datasets.text8(0), ValueError, r"max_words"),
    Case("gutenberg8: truncated gz",
         lambda c: datasets.gutenberg8(10, data_dir=data_folder(
             c, "gutenberg8.gz", gz_bytes(fake_text8(20_000))[:2000])),
         ValueError, r"gutenberg8\.gz"),
    Case("gutenberg8: misspelt LESSONS_DATA_DIR",
         lambda c: (offline(c, c.tmp / "dtaa"), datasets.gutenberg8(10)),
         FileNotFoundError, r"LESSONS_DATA_DIR.*dtaa"),
    # ---------------------------------------------------------------- evaluation
    Case("google_analogies: empty embeddings", lambda c: evaluation.google_analogies(empty_emb()),
         ValueError, r"emb"),
    Case("word_similarity: empty embeddings", lambda c: evaluation.word_similarity(empty_emb()),
         ValueError, r"emb|vocabulary"),
    Case("word_similarity: restrict_vocab=-1",
         lambda c: evaluation.word_similarity(emb(), restrict_vocab=-1),
         ValueError, r"restrict_vocab"),
    Case("word_similarity: restrict_vocab=0",
         lambda c: evaluation.word_similarity(emb(), restrict_vocab=0),
         ValueError, r"restrict_vocab"),
    Case("google_analogies: restrict_vocab=2.5",
         lambda c: evaluation.google_analogies(emb(), restrict_vocab=2.5),
         ValueError, r"restrict_vocab"),
    Case("google_analogies: restrict_vocab='many'",
         lambda c: evaluation.google_analogies(emb(), restrict_vocab="many"),
         ValueError, r"restrict_vocab"),
    Case("google_analogies: epsilon=nan",
         lambda c: evaluation.google_analogies(emb(), method="3cosmul", epsilon=NAN),
         ValueError, r"epsilon"),
    Case("google_analogies: questions file not UTF-8",
         lambda c: evaluation.google_analogies(emb(), questions=analogy_file(
             c, b": s\nman king woman queen\nman king \xff\xfe queen\n")),
         ValueError, r"questions\.txt.*line 3"),
    Case("word_similarity: dataset file not UTF-8",
         lambda c: evaluation.word_similarity(
             emb(), dataset=analogy_file(c, b"king\tqueen\t8\n\xff\t\xfe\t1\n")),
         ValueError, r"questions\.txt.*line 2"),
    Case("google_analogies: missing questions file",
         lambda c: evaluation.google_analogies(emb(), questions=c.tmp / "nope.txt"),
         FileNotFoundError, r"nope\.txt"),
    Case("google_analogies: bad method", lambda c: evaluation.google_analogies(emb(), method="add"),
         ValueError, r"method"),
    # ---------------------------------------------------------------- co-occurrence and SVD
    Case("cooccurrence_matrix: window=10**9",
         lambda c: cooccurrence.cooccurrence_matrix(np.array([0, 1, 2, 0, 1]), 3, window=10 ** 9),
         check=window_capped),
    Case("cooccurrence_matrix: float ids",
         lambda c: cooccurrence.cooccurrence_matrix(np.array([0.5, 1.0]), 3), ValueError, r"ids"),
    Case("truncated_svd: rank 3, dim 10 (600 x 600)",
         lambda c: cooccurrence.truncated_svd(rank3(), 10), check=padded_svd),
    Case("truncated_svd: rank 3, dim 10 (60 x 60)",
         lambda c: cooccurrence.truncated_svd(rank3(60), 10),
         check=lambda r: padded_svd(r, 10, 60)),
    Case("truncated_svd: NaN entry",
         lambda c: cooccurrence.truncated_svd(np.where(np.eye(20) > 0, NAN, 1.0), 3),
         ValueError, r"matrix"),
    Case("truncated_svd: dim=0",
         lambda c: cooccurrence.truncated_svd(np.eye(5), 0), ValueError, r"dim"),
    Case("ppmi: negative counts", lambda c: cooccurrence.ppmi(-np.eye(3)), ValueError, r"counts"),
    # ---------------------------------------------------------------- geometry closed forms
    Case("gaussian_norm_sd(10**8)", lambda c: hd.gaussian_norm_sd(10 ** 8),
         check=close(chi_sd_reference(10 ** 8), 1e-9)),
    Case("gaussian_norm_sd(10**9)", lambda c: hd.gaussian_norm_sd(10 ** 9),
         check=close(chi_sd_reference(10 ** 9), 1e-9)),
    Case("gaussian_norm_mean(10**15)", lambda c: hd.gaussian_norm_mean(10 ** 15),
         check=close(chi_mean_reference(10 ** 15), 1e-12)),
    Case("sd_abs_cosine(10**9)", lambda c: hd.sd_abs_cosine(10 ** 9),
         check=close(math.sqrt((1 - 2 / math.pi) / 10 ** 9 * (1 + 1.5e-9)), 1e-7)),
    Case("cosine_density(0, 10**12)", lambda c: float(hd.cosine_density(0.0, 10 ** 12)),
         check=close(math.sqrt(10 ** 12 / (2 * math.pi)), 1e-9)),
    Case("mean_pairwise_cosine: zero rows", lambda c: hd.mean_pairwise_cosine(np.zeros((5, 4))),
         ValueError, r"X.*zero"),
    Case("mean_pairwise_cosine: NaN", lambda c: hd.mean_pairwise_cosine([[1, NAN], [1, 1]]),
         ValueError, r"X"),
    Case("gaussian_norm_sd(0)", lambda c: hd.gaussian_norm_sd(0), ValueError, r"\bd\b"),
    Case("pca_project: NaN",
         lambda c: pca.pca_project([[1, NAN], [1, 2], [0, 1]], 1), ValueError, r"X"),
    # ---------------------------------------------------------------- models
    Case("one_hot: id -1", lambda c: onehot.one_hot([-1], 5), ValueError, r"ids"),
    Case("dense_bytes: n_vectors=-1",
         lambda c: onehot.dense_bytes(5, -1), ValueError, r"n_vectors"),
    Case("sparse_bytes: n_vectors=-3", lambda c: onehot.sparse_bytes(-3), ValueError, r"n_vectors"),
    Case("memory_table: n_tokens=-5", lambda c: onehot.memory_table(10, n_tokens=-5),
         ValueError, r"n_tokens"),
    Case("noise_distribution: alpha=200",
         lambda c: skipgram.noise_distribution([1e6, 10.0, 1.0], alpha=200),
         check=lambda p: np.isclose(p.sum(), 1) and p[0] == pytest.approx(1.0)),
    Case("softmax_distribution: NaN centre",
         lambda c: skipgram.softmax_distribution([NAN, 1.0], np.eye(2)), ValueError, r"center_vec"),
    Case("softmax_distribution: shapes differ",
         lambda c: skipgram.softmax_distribution([1.0, 1.0, 1.0], np.eye(2)),
         ValueError, r"center_vec"),
    Case("attention.softmax: NaN", lambda c: attention.softmax([NAN, 1.0]), ValueError, r"scores"),
    Case("attention.softmax: inf", lambda c: attention.softmax([INF, 1.0]), ValueError, r"scores"),
    Case("self_attention: NaN in X", lambda c: attention.self_attention([[NAN, 1.0], [1.0, 0.0]]),
         ValueError, r"\bX\b"),
    Case("contextual_vectors: empty sentence", lambda c: attention.contextual_vectors(emb(), []),
         ValueError, r"sentence"),
    Case("neural_lm.loss_and_grads: id out of range",
         lambda c: neural_lm.loss_and_grads(
             neural_lm.init_params(5, context_size=2, embedding_dim=3, hidden_dim=4),
             [[0, 7]], [1]),
         ValueError, r"contexts"),
    Case("neural_lm.init_params: vocab_size=-1", lambda c: neural_lm.init_params(-1), ValueError,
         r"vocab_size"),
    Case("dynamic_window_counts: window=10**9",
         lambda c: skipgram.dynamic_window_counts(np.array([0, 1, 0, 2]), 3, 10 ** 9),
         check=lambda r: abs(
             r - _dynamic_window_expected(np.array([0, 1, 0, 2]), 3, 10 ** 9)).max() < 1e-12),
    Case("skipgram_pairs: window=-1", lambda c: softmax.skipgram_pairs([[0, 1, 2]], -1), ValueError,
         r"window"),
    Case("train_reference: dim=0",
         lambda c: reference.train_reference([np.array([0, 1])], [1, 1], dim=0),
         ValueError, r"\bdim\b"),
    Case("train_reference: id out of range",
         lambda c: reference.train_reference([np.array([0, 5])], [1, 1]), ValueError, r"sentences"),
    Case("train_reference: learning_rate=nan",
         lambda c: reference.train_reference([np.array([0, 1])], [1, 1], learning_rate=NAN),
         ValueError, r"learning_rate"),
    # ---------------------------------------------------------------- more geometry and search
    Case("expected_max_abs_cosine: d=0", lambda c: superposition.expected_max_abs_cosine(10, 0),
         ValueError, r"\bd\b"),
    Case("gaussian_max_approximation: d=0",
         lambda c: superposition.gaussian_max_approximation(10, 0),
         ValueError, r"\bd\b"),
    Case("welch_bound: d=0", lambda c: superposition.welch_bound(10, 0), ValueError, r"\bd\b"),
    Case("random_capacity: tolerance=0", lambda c: superposition.random_capacity(300, 0.0),
         ValueError, r"tolerance"),
    Case("max_abs_cosine: NaN",
         lambda c: superposition.max_abs_cosine(np.array([[1.0, NAN], [1, 1]])),
         ValueError, r"\bX\b"),
    Case("sample_features: batch=-1",
         lambda c: superposition.sample_features(-1, 5, 0.5, np.random.default_rng(0)),
         ValueError, r"batch"),
    Case("jl_min_dim: epsilon=nan",
         lambda c: projections.jl_min_dim(100, NAN), ValueError, r"epsilon"),
    Case("collision_probability: cosine=2",
         lambda c: lsh.collision_probability(2.0), ValueError, r"cosine"),
    Case("collision_probability: cosine=nan", lambda c: lsh.collision_probability(NAN),
         ValueError, r"cosine"),
    Case("collision_probability: n_bits=-1", lambda c: lsh.collision_probability(0.5, n_bits=-1),
         ValueError, r"n_bits"),
    Case("cosine_tail: t=nan", lambda c: hd.cosine_tail(NAN, 10), ValueError, r"\bt\b"),
    Case("shell_fraction: epsilon=nan",
         lambda c: hd.shell_fraction(NAN, 10), ValueError, r"epsilon"),
    Case("random_cosines: n_pairs=-1", lambda c: hd.random_cosines(-1, 5, np.random.default_rng(0)),
         ValueError, r"n_pairs"),
    Case("top_components_variance: equal rows",
         lambda c: hd.top_components_variance(np.ones((4, 3))),
         ValueError, r"\bX\b"),
    # ---------------------------------------------------------------- issue 25: saves
    Case("save through a symlink: the link stays, its target is written",
         lambda c: _save_through_symlink(c), check=lambda ok: ok is True),
    Case("save keeps the target's mode 0600",
         lambda c: _save_keeps_mode(c), check=lambda mode: mode == 0o600),
    Case("save to a FIFO (refused, nothing read from it)",
         lambda c: emb().save_word2vec_format(_fifo(c)), ValueError, r"fifo.*not a regular file"),
    Case("save to a folder", lambda c: emb().save_word2vec_format(c.tmp), IsADirectoryError,
         re.escape(str(Path(tempfile.gettempdir())))),
    Case("save where no file may be made: the error names the path given",
         lambda c: emb().save_word2vec_format("/proc/version"), OSError, r"'/proc/version'$"),
    Case("write_projector_tsv into a FIFO",
         lambda c: formats.write_projector_tsv(_fifo(c, "p_vectors.tsv").parent / "p", WORDS,
                                               VECTORS), ValueError, r"prefix.*not a regular"),
    Case("text8 cache file through a symlinked cache folder",
         lambda c: _text8_cache_through_symlink(c), check=lambda ok: ok is True),
    # ---------------------------------------------------------------- issue 25: silently wrong
    Case("ppmi: NaN counts", lambda c: cooccurrence.ppmi(np.where(np.eye(3) > 0, NAN, 1.0)),
         ValueError, r"counts"),
    Case("ppmi: inf counts", lambda c: cooccurrence.ppmi(np.where(np.eye(3) > 0, INF, 1.0)),
         ValueError, r"counts"),
    Case("ppmi: NaN in sparse counts",
         lambda c: cooccurrence.ppmi(_sparse(np.where(np.eye(3) > 0, NAN, 1.0))),
         ValueError, r"counts"),
    Case("ppmi: context_smoothing=nan",
         lambda c: cooccurrence.ppmi(np.ones((3, 3)), context_smoothing=NAN),
         ValueError, r"context_smoothing"),
    Case("ppmi: context_smoothing=inf",
         lambda c: cooccurrence.ppmi(np.ones((3, 3)), context_smoothing=INF),
         ValueError, r"context_smoothing"),
    Case("top_contexts: topn=-1",
         lambda c: cooccurrence.top_contexts(np.ones((3, 3)), list("abc"), "a", topn=-1),
         ValueError, r"topn"),
    Case("top_contexts: words a bare str",
         lambda c: cooccurrence.top_contexts(np.ones((3, 3)), "abc", "a"), TypeError, r"words"),
    Case("Embeddings: words a bare str",
         lambda c: Embeddings("abcde", VECTORS), TypeError, r"words"),
    # a bare str is one token stream split on whitespace (documented in iter_sentences)
    Case("train: corpus a bare str is split into words",
         lambda c: _train(" ".join(["the cat sat on the mat"] * 10)),
         check=lambda e: sorted(e.words) == ["cat", "mat", "on", "sat", "the"]),
    Case("train: corpus a bare str, subsample=0, is split into words",
         lambda c: _train(" ".join(["the cat sat on the mat"] * 10), subsample=0.0),
         check=lambda e: sorted(e.words) == ["cat", "mat", "on", "sat", "the"]),
    Case("Embeddings: 0 dimensions",
         lambda c: Embeddings(WORDS, np.zeros((5, 0), dtype=np.float32)), ValueError, r"vectors"),
    Case("Embeddings: vectors changed in place (refused, no stale cache)",
         lambda c: _change_in_place(), ValueError, r"read-only"),
    Case("Embeddings: the caller's array changed after (queries unchanged)",
         lambda c: _change_callers_array(), check=lambda same: same is True),
    Case("google_analogies: all-zero vectors",
         lambda c: evaluation.google_analogies(_zero_emb(), questions=_questions(c)),
         ValueError, r"emb.*zero"),
    Case("cosine_density: c=nan", lambda c: hd.cosine_density(NAN, 10), ValueError, r"\bc\b"),
    Case("cosine_density: c=[0, inf]",
         lambda c: hd.cosine_density([0.0, INF], 10), ValueError, r"\bc\b"),
    # ---------------------------------------------------------------- issue 25: NaN results
    Case("word_similarity: a constant model",
         lambda c: evaluation.word_similarity(_constant_emb(), dataset=_pairs(c)),
         ValueError, r"emb.*Spearman"),
    Case("word_similarity: constant ratings",
         lambda c: evaluation.word_similarity(emb(), dataset=_pairs(c, constant=True)),
         ValueError, r"rating.*Spearman"),
    Case("anisotropy_report: n_pairs=0",
         lambda c: hd.anisotropy_report(np.eye(4), 0, n_pairs=0), ValueError, r"n_pairs"),
    Case("anisotropy_report: 2 rows, every drawn pair the same row",
         lambda c: hd.anisotropy_report(np.eye(2), 0, n_pairs=1), ValueError, r"n_pairs"),
    Case("article_cosine_table: dims=(0,)",
         lambda c: hd.article_cosine_table(dims=(0,), n_pairs=3), ValueError, r"dims"),
    Case("article_cosine_table: n_pairs=0",
         lambda c: hd.article_cosine_table(dims=(2,), n_pairs=0), ValueError, r"n_pairs"),
    # ---------------------------------------------------------------- issue 25: raw errors
    Case("ppmi: shift='a'",
         lambda c: cooccurrence.ppmi(np.ones((3, 3)), shift="a"), TypeError, r"shift"),
    Case("truncated_svd: a list", lambda c: cooccurrence.truncated_svd([[1.0, 2.0], [3.0, 4.0]], 1),
         check=lambda r: np.allclose(r[1], np.linalg.svd([[1, 2], [3, 4]])[1][:1])),
    Case("truncated_svd: a str", lambda c: cooccurrence.truncated_svd("abc", 1), TypeError,
         r"matrix"),
    Case("top_contexts: unknown word",
         lambda c: cooccurrence.top_contexts(np.ones((3, 3)), ["a", "b", "c"], "zzz"),
         KeyError, r"zzz"),
    Case("row_neighbours: unknown word",
         lambda c: cooccurrence.row_neighbours(np.ones((3, 3)), ["a", "b", "c"], "zzz"),
         KeyError, r"zzz"),
    Case("row_neighbours: fewer words than rows",
         lambda c: cooccurrence.row_neighbours(np.ones((3, 3)), ["a", "b"], "a"),
         ValueError, r"words"),
    Case("Embeddings: words=None", lambda c: Embeddings(None, VECTORS), TypeError, r"words"),
    Case("most_similar(5)", lambda c: emb().most_similar(5), TypeError, r"positive"),
    Case("google_analogies({})", lambda c: evaluation.google_analogies({}), TypeError, r"emb"),
    Case("word_similarity(None)", lambda c: evaluation.word_similarity(None), TypeError, r"emb"),
    Case("cosine_matrix: dimensions differ",
         lambda c: linalg.cosine_matrix(np.ones((2, 3)), np.ones((2, 4))), ValueError, r"\bB\b"),
    Case("pairwise_distances: dimensions differ",
         lambda c: hd.pairwise_distances({"a": [1.0, 2.0], "b": [1.0, 2.0, 3.0]}),
         ValueError, r"vectors.*'b'"),
    Case("pairwise_distances: NaN",
         lambda c: hd.pairwise_distances({"a": [1.0, NAN], "b": [1.0, 2.0]}),
         ValueError, r"vectors.*'a'"),
    Case("pairwise_distances: a list", lambda c: hd.pairwise_distances([1, 2]), TypeError,
         r"vectors"),
    Case("random_unit_vectors: rng=None",
         lambda c: hd.random_unit_vectors(3, 4, None), check=lambda r: r.shape == (3, 4)),
    Case("random_unit_vectors: rng=3 is seed 3",
         lambda c: hd.random_unit_vectors(3, 4, 3),
         check=lambda r: np.array_equal(r, hd.random_unit_vectors(3, 4, np.random.default_rng(3)))),
    Case("anisotropy_report: an empty matrix",
         lambda c: hd.anisotropy_report(np.zeros((0, 3)), 0), ValueError, r"\bX\b"),
    Case("Vocabulary: a count of zero",
         lambda c: corpus.Vocabulary(("a", "b"), np.array([3, 0]), 3), ValueError, r"counts"),
    Case("Vocabulary: a negative count",
         lambda c: corpus.Vocabulary(("a", "b"), np.array([3, -1]), 3), ValueError, r"counts"),
    Case("Vocabulary: a NaN count",
         lambda c: corpus.Vocabulary(("a", "b"), np.array([3, NAN]), 3), ValueError, r"counts"),
    Case("train: a Vocabulary with a zero count",
         lambda c: _train(["a", "b", "a", "b"] * 5,
                          vocabulary=corpus.Vocabulary(("a", "b"), np.array([10, 0]), 10)),
         ValueError, r"counts"),
    Case("Vocabulary: total_words below the counts",
         lambda c: corpus.Vocabulary(("a", "b"), np.array([3, 2]), 4), ValueError,
         r"total_words"),
    Case("svd_embeddings: power=nan",
         lambda c: cooccurrence.svd_embeddings(np.eye(3), "abc", 2, power=NAN), ValueError,
         r"power"),
    Case("plots.with_takeaway: a number",
         lambda c: plots.with_takeaway(go.Figure(), 3), TypeError, r"takeaway"),
    Case("plots.takeaways: callable returns a number",
         lambda c: plots.takeaways(go.Figure(), takeaway=lambda f: 3), TypeError, r"takeaway"),
    Case("plots.takeaways: wrong count per step",
         lambda c: plots.takeaways(plots.slider([go.Figure(go.Scatter(y=[1]))] * 2, [1, 2]),
                                   takeaway=["a"]),
         ValueError, r"takeaway"),
    # silent answers the public-API sweep found (tests/test_public_api_sweep.py)
    Case("numerical_gradient: x with nan",
         lambda c: skipgram.numerical_gradient(lambda x: float(x @ x), np.array([NAN, 2.0])),
         ValueError, r"\bx\b"),
    Case("equalize: two rows of first for one of second",
         lambda c: bias.equalize(np.ones((2, 4)), -np.ones(4), np.eye(4)[0]), ValueError,
         r"first"),
    Case("cluster_recovery: labels as a (1, n) matrix",
         lambda c: bias.cluster_recovery(np.eye(6) + 0.1, [[0, 0, 0, 1, 1, 1]], n_init=2),
         ValueError, r"labels"),
    Case("factorisation_check: constant shifted PMI",
         lambda c: skipgram.factorisation_check(np.eye(3)[:, :2], np.eye(3)[:, :2],
                                                np.ones((3, 3)), np.full(3, 1 / 3), 2),
         ValueError, r"shifted PMI"),
]


def _fifo(ctx, name="fifo") -> Path:
    path = ctx.tmp / name
    os.mkfifo(path)
    return path


def _save_through_symlink(ctx) -> bool:
    (ctx.tmp / "run42.vec").write_bytes(b"old\n")
    (ctx.tmp / "latest.vec").symlink_to("run42.vec")
    emb().save_word2vec_format(ctx.tmp / "latest.vec")
    if not (ctx.tmp / "latest.vec").is_symlink():
        raise Destroyed("the symlink latest.vec was replaced by a plain file")
    return load(ctx.tmp / "run42.vec").words == WORDS


def _save_keeps_mode(ctx) -> int:
    path = ctx.tmp / "v.txt"
    path.write_bytes(b"old\n")
    path.chmod(0o600)
    emb().save_word2vec_format(path)
    return path.stat().st_mode & 0o7777


def _text8_cache_through_symlink(ctx) -> bool:
    """The cache folder is a symlink: the cut text8 file lands in the folder it names."""
    folder = data_folder(ctx, "text8", fake_text8(50))
    real = ctx.tmp / "real-cache"
    real.mkdir()
    (ctx.tmp / "cache").symlink_to(real)
    path = datasets.text8_file(max_words=10, data_dir=folder)
    return (path.read_bytes().split() == fake_text8(10).split()
            and path.resolve().parent == real.resolve() and (real / path.name).is_file())


def _sparse(dense):
    import scipy.sparse as sp
    return sp.csr_matrix(dense)


def _train(corpus_, **kwargs):
    from lessons.models.word2vec import train
    return train(corpus_, dim=4, epochs=1, min_count=1, workers=1, seed=0, **kwargs)


def _change_in_place():
    e = emb(VECTORS.copy())
    e.most_similar("king")  # the unit rows are cached
    e.vectors[0] = -e.vectors[0]
    return e.most_similar("king")


def _change_callers_array() -> bool:
    vectors = VECTORS.copy()
    e = emb(vectors)
    before = e.most_similar("king")
    vectors[:] = -vectors[::-1]
    return e.most_similar("king") == before and np.array_equal(e.vectors, VECTORS)


def _zero_emb() -> Embeddings:
    return Embeddings(["man", "king", "woman", "queen", "boy", "girl"],
                      np.zeros((6, 3), dtype=np.float32))


def _questions(ctx) -> Path:
    return analogy_file(ctx, b": s\nman king woman queen\nboy girl man woman\n")


def _constant_emb() -> Embeddings:
    return Embeddings(WORDS, np.ones((5, 3), dtype=np.float32))


def _pairs(ctx, constant=False) -> Path:
    ratings = (5, 5, 5) if constant else (8, 2, 5)
    return analogy_file(ctx, f"king\tqueen\t{ratings[0]}\nman\tapple\t{ratings[1]}\n"
                             f"woman\tqueen\t{ratings[2]}\n".encode())


def _dynamic_window_expected(ids, vocab_size, window):
    """sum over distances of P(distance used) x pairs at exactly that distance, written out."""
    total = 0
    previous = 0
    for distance in range(1, len(ids)):
        upto = cooccurrence.cooccurrence_matrix(ids, vocab_size, window=distance).toarray()
        total = total + (upto - previous) * ((window - distance + 1) / window)
        previous = upto
    return total


def _cut_last_number(ctx) -> Path:
    """A text file whose last value 0.25 was cut to 0.2 (and lost its newline)."""
    path = ctx.tmp / "v.txt"
    vectors = VECTORS.copy()
    vectors[-1, -1] = 0.25
    formats.write_word2vec(path, WORDS, vectors)
    return _cut(path, len(path.read_bytes()) - 2)


def _cut(path: Path, keep: int) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[:keep])
    return path


def _vocab():
    return corpus.Vocabulary.from_corpus([["a", "b", "c", "a"]])


def _zip_with(member: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


# ------------------------------------------------------------------ the tests

@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_a_clear_error_or_a_correct_answer(case, tmp_path, monkeypatch):
    outcome, shown = classify(case, Ctx(tmp_path, monkeypatch))
    expected = "clear" if case.error is not None else "correct"
    assert outcome == expected, f"{case.id}: {outcome}: {shown}"


def test_classify_can_fail():
    """The sorter itself: a raw error, a NaN, a silent answer and a hang are each seen as such."""
    ctx = Ctx(Path(tempfile.gettempdir()), None)
    assert classify(Case("raw", lambda c: 1 / 0, ValueError, "x"), ctx)[0] == "raw"
    assert classify(Case("nan", lambda c: np.array([NAN]), ValueError, "x"), ctx)[0] == "nan"
    assert classify(Case("wrong", lambda c: 3, ValueError, "x"), ctx)[0] == "wrong"
    assert classify(Case("unnamed", lambda c: int("q"), ValueError, "argument"), ctx)[0] == "raw"
    if hasattr(signal, "setitimer"):
        global DEADLINE_S
        saved, DEADLINE_S = DEADLINE_S, 0.2
        try:
            assert classify(Case("hang", lambda c: [None for _ in iter(int, 1)], ValueError, "x"),
                            ctx)[0] == "hang"
        finally:
            DEADLINE_S = saved


# ------------------------------------------------------------------ numerics, beyond the table

@pytest.mark.parametrize("d", [10 ** 6, 10 ** 8, 10 ** 9, 10 ** 12, 10 ** 15])
def test_chi_sd_and_mean_at_any_dimension(d):
    assert hd.gaussian_norm_sd(d) == pytest.approx(chi_sd_reference(d), rel=1e-9)
    assert hd.gaussian_norm_mean(d) == pytest.approx(chi_mean_reference(d), rel=1e-12)


def chi_sd_exact(d: int) -> float:
    """sd of the chi distribution for even ``d = 2n`` with exact factorials and an 80-digit π:
    ``Γ(n + 1/2) / Γ(n) = (2n)! √π / (4^n n! (n-1)!)``."""
    from decimal import Decimal, getcontext

    getcontext().prec = 80
    n = d // 2
    ratio = (Decimal(math.factorial(2 * n))
             / Decimal(4 ** n * math.factorial(n) * math.factorial(n - 1)))
    pi = Decimal("3.1415926535897932384626433832795028841971693993751058209749445923078164062862")
    return float((Decimal(d) - 2 * ratio * ratio * pi).sqrt())


@pytest.mark.parametrize("d", [1000, 5000, 20_000])
def test_series_reference_matches_exact_factorials(d):
    """The series reference is itself right (where exact factorials are still cheap)."""
    assert chi_sd_reference(d) == pytest.approx(chi_sd_exact(d), rel=1e-12)


def test_library_sd_matches_exact_factorials_above_the_series_threshold():
    assert hd.gaussian_norm_sd(20_000) == pytest.approx(chi_sd_exact(20_000), rel=1e-12)


def test_closed_forms_unchanged_for_ordinary_dimensions():
    """Bit-identical to the lgamma formulas the chapters print (d up to 10,000)."""
    from scipy import special

    for d in (2, 3, 10, 100, 300, 1000, 10_000):
        assert hd.gaussian_norm_mean(d) == math.sqrt(2) * math.exp(
            special.gammaln((d + 1) / 2) - special.gammaln(d / 2))
        assert hd.mean_abs_cosine(d) == math.exp(
            special.gammaln(d / 2) - special.gammaln((d + 1) / 2)) / math.sqrt(math.pi)


def test_cosines_keep_their_bits_for_ordinary_vectors():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((50, 8)).astype(np.float32)
    norms = np.linalg.norm(X, axis=-1, keepdims=True)
    np.testing.assert_array_equal(linalg.unit_rows(X), X / norms)
    e = Embeddings([f"w{i}" for i in range(50)], X)
    np.testing.assert_array_equal(e.normalized, X / norms)


def test_cosine_at_1e38_matches_moderate_scale():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((20, 6)).astype(np.float32)
    words = [f"w{i}" for i in range(20)]
    small, big = Embeddings(words, X), Embeddings(words, X * np.float32(1e38))
    np.testing.assert_allclose(big.normalized, small.normalized, rtol=1e-6, atol=1e-7)
    assert big.most_similar("w0", topn=5).words == small.most_similar("w0", topn=5).words


def test_truncated_svd_pads_a_low_rank_matrix():
    u, s, vt = cooccurrence.truncated_svd(rank3(), 10)
    assert s.tolist()[3:] == [0.0] * 7
    np.testing.assert_allclose(u.T @ u, np.eye(10), atol=1e-8)
    np.testing.assert_allclose(vt @ vt.T, np.eye(10), atol=1e-8)


def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    """A disk that fills up during the save (fsync fails): the previous file survives,
    no temp file."""
    path = tmp_path / "v.bin"
    emb().save_word2vec_format(path, binary=True)
    before = path.read_bytes()

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    bigger = Embeddings([f"w{i}" for i in range(50)], np.ones((50, 3), dtype=np.float32))
    with pytest.raises(OSError, match="No space left"):
        bigger.save_word2vec_format(path, binary=True)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["v.bin"]


# ------------------------------------------------------------------ before/after counts

def main() -> None:  # pragma: no cover - a report, run by hand
    counts: dict[str, int] = {}
    for case in CASES:
        with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
            outcome, shown = classify(case, Ctx(Path(folder), mp))
        counts[outcome] = counts.get(outcome, 0) + 1
        print(f"{outcome:8s} {case.id}: {shown[:160]}")
    print(f"\n{len(CASES)} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":  # pragma: no cover
    main()
