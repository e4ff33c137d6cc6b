"""Word-vector files: the word2vec text and binary formats, and Embedding Projector TSV.

Chapters: the geometry chapters, whose shared text8 vectors are cached in the binary format
(:mod:`lessons.book.text8_vectors`), and any reader who exchanges vectors with gensim or
word2vec.c.

word2vec text format (``word2vec -binary 0``)::

    V d\\n
    word f_1 f_2 ... f_d\\n          (V lines; numbers separated by spaces)

word2vec binary format (``word2vec -binary 1``)::

    V d\\n                            (ASCII header)
    word<space><d little-endian float32>\\n   (V records; word2vec.c writes the trailing newline,
                                               gensim does not; both readers accept either)

Both are plain data: reading them never unpickles anything. Malformed files raise
:class:`FormatError`, a ``ValueError`` that names the line (text) or byte offset (binary) of the
problem. Paths ending in ``.gz`` are (de)compressed on the fly; offsets then count bytes of the
decompressed stream.

The TensorFlow Embedding Projector (https://projector.tensorflow.org) loads two TSV files:
``vectors.tsv`` (one row of d tab-separated numbers per word) and ``metadata.tsv`` (one word per
line, same order, no header when there is a single column).

References
----------
- T. Mikolov et al., word2vec.c (2013): ``word2vec.c`` writes, ``distance.c`` reads these files.
- gensim ``KeyedVectors.save_word2vec_format`` / ``load_word2vec_format``.
"""
from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from lessons import checks

__all__ = ["FormatError", "read_word2vec", "write_word2vec", "write_projector_tsv", "word_vectors"]

_WHITESPACE = b" \t\r\n"


class FormatError(ValueError):
    """A malformed word-vector file.

    Attributes
    ----------
    path : str
    line : int or None
        1-based line number (text format).
    offset : int or None
        0-based byte offset (binary format).
    """

    def __init__(self, path, message, *, line=None, offset=None):
        self.path, self.line, self.offset = str(path), line, offset
        where = f"line {line}" if line is not None else f"byte offset {offset}"
        super().__init__(f"{self.path}: {where}: {message}")


def _open(path, mode):
    """Open ``path`` in binary ``mode``, through gzip when it ends in ``.gz``."""
    return gzip.open(path, mode) if str(path).endswith(".gz") else open(path, mode)


# What a damaged or truncated .gz raises while it is read (gzip, zlib, or EOF mid-stream).
_DECOMPRESSION_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def _decompression_error(path, error, **where) -> FormatError:
    """A FormatError for a .gz that cannot be decompressed (not gzip, truncated, or damaged)."""
    return FormatError(path, f"the gzip data is truncated, damaged or not gzip at all "
                             f"({type(error).__name__}: {error}); get a fresh copy of the file "
                             f"(or rename it if it is not compressed)", **where)


def _parse_header(path, raw: bytes, *, line=None, offset=None):
    """``b"V d"`` -> (V, d); V >= 0, d >= 1."""
    try:
        parts = raw.decode("ascii").split()
        vocab_size, dim = (int(p) for p in parts) if len(parts) == 2 else (None, None)
    except (UnicodeDecodeError, ValueError):
        vocab_size = dim = None
    if vocab_size is None or vocab_size < 0 or dim < 1:
        shown = raw[:60].decode("utf-8", "replace")
        raise FormatError(path, f"the header must be 'V d' (number of words, number of "
                                f"dimensions), got {shown!r}", line=line, offset=offset)
    return vocab_size, dim


# --------------------------------------------------------------------------- reading

def read_word2vec(path, binary=False):
    """Read a word2vec text or binary file.

    Parameters
    ----------
    path : str or path
        ``.gz`` files are decompressed on the fly.
    binary : bool
        True for the binary format, False for the text format.

    Returns
    -------
    words : list of str, length V
    vectors : (V, d) float32 array

    Raises
    ------
    FormatError
        Bad header, fewer or more rows than the header promises, a row with the wrong number of
        values, a value that is not a finite number, a word that is not UTF-8, a repeated word,
        a truncated binary record, a text file read as binary, or a truncated or corrupt ``.gz``.
        Memory is only allocated for rows the file really holds, so a header that promises
        10^9 x 10^9 numbers is an error naming the file, not a MemoryError.
    """
    path = checks.path("path", path)
    with _open(path, "rb") as handle:
        if binary:
            return _read_binary(path, _read_all(path, handle))
        return _read_text(path, handle)


def _read_all(path, handle) -> bytes:
    """All (decompressed) bytes; a damaged .gz is a FormatError at the offset where it broke."""
    chunks, size = [], 0
    while True:
        try:
            chunk = handle.read(1 << 16)  # small reads: a damaged .gz is located to 64 KiB
        except _DECOMPRESSION_ERRORS as error:
            raise _decompression_error(path, error, offset=size) from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)


def _numbered_lines(path, handle, start: int):
    """``(line number, raw line)`` from ``start``; a damaged .gz: a FormatError naming the line."""
    line_no = start
    while True:
        try:
            raw = handle.readline()
        except _DECOMPRESSION_ERRORS as error:
            raise _decompression_error(path, error, line=line_no) from None
        if not raw:
            return
        yield line_no, raw
        line_no += 1


class _Rows:
    """A (rows, d) float32 buffer that grows with the rows actually read (never with the header)."""

    def __init__(self, promised: int, dim: int):
        self.promised, self.dim = promised, dim
        self.array = np.empty((0, dim), dtype=np.float32)  # (capacity, d)

    def slot(self, row: int) -> np.ndarray:
        if row >= len(self.array):  # double, up to what the header promises
            first = max(1, (1 << 24) // max(1, 4 * self.dim))  # about 16 MiB to start
            capacity = min(self.promised, max(first, 2 * len(self.array)))
            grown = np.empty((capacity, self.dim), dtype=np.float32)
            grown[:row] = self.array[:row]
            self.array = grown
        return self.array[row]


def _read_text(path, handle):
    lines = _numbered_lines(path, handle, start=1)
    vocab_size, dim = _parse_header(path, next(lines, (1, b""))[1], line=1)
    words = []
    first_seen = {}  # word -> where it was first read, to report repeats
    rows = _Rows(vocab_size, dim)  # (V, d) once every row is read
    line_no = 1
    for line_no, raw in lines:
        row = line_no - 2
        if row >= vocab_size:
            if raw.strip(_WHITESPACE):
                raise FormatError(path, f"more rows than the {vocab_size} the header promises",
                                  line=line_no)
            continue  # trailing blank lines are harmless
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FormatError(path, f"not valid UTF-8 (byte {error.start} of the line)",
                              line=line_no) from None
        # word2vec.c ends each row with " \n"; words never contain spaces.
        word, _, numbers = text.rstrip("\r\n").partition(" ")
        values = numbers.split()
        if not word:
            raise FormatError(path, "the row does not start with a word", line=line_no)
        if len(values) != dim:
            hint = " (is the header's d wrong?)" if row == 0 else ""
            raise FormatError(path, f"expected {dim} numbers after the word {word!r}, "
                                    f"found {len(values)}{hint}", line=line_no)
        vector = rows.slot(row)
        try:
            vector[:] = values  # numpy parses the strings
        except ValueError:
            bad = next((v for v in values if not _is_float(v)), values[0] if values else "")
            raise FormatError(path, f"{bad!r} is not a number (word {word!r})",
                              line=line_no) from None
        if row == vocab_size - 1 and not raw.endswith(b"\n"):
            # the last number may have been cut short ("0.25" -> "0.2"): refuse rather than guess
            raise FormatError(path, "the last row does not end with a newline: the file may be "
                                    "truncated (if it is complete, add a final newline)",
                              line=line_no)
        _add_row(path, words, first_seen, word, vector, where=dict(line=line_no),
                 place=f"on line {line_no}")
    if len(words) < vocab_size:
        raise FormatError(path, f"the file ends after {len(words)} of the {vocab_size} rows the "
                                f"header promises (truncated file or wrong header?)",
                          line=line_no + 1)
    return words, rows.array[:vocab_size]


def _add_row(path, words, first_seen, word, vector, *, where, place, vector_where=None) -> None:
    """Accept one parsed row: its vector must be finite and its word new.

    ``where`` locates the row for an error (``line=`` or ``offset=``), ``vector_where`` its
    numbers (default ``where``); ``place`` is how a later repeat refers back to this row.
    """
    if not np.isfinite(vector).all():
        raise FormatError(path, f"the vector of {word!r} contains inf or nan",
                          **(vector_where or where))
    if word in first_seen:
        raise FormatError(path, f"the word {word!r} already appeared {first_seen[word]}", **where)
    first_seen[word] = place
    words.append(word)


def _is_float(text) -> bool:
    """Whether numpy reads ``text`` as a float32 (as it does when a row is parsed)."""
    try:
        np.float32(text)
        return True
    except (ValueError, OverflowError):
        return False


def _read_binary(path, data: bytes):
    end_of_header = data.find(b"\n")
    if end_of_header < 0:
        raise FormatError(path, "no header line ('V d' followed by a newline)", offset=0)
    vocab_size, dim = _parse_header(path, data[:end_of_header], offset=0)
    record_bytes = 4 * dim
    words = []
    first_seen = {}  # word -> where it was first read, to report repeats
    size = len(data)
    # A record is at least a 1-byte word, a space and 4d bytes: no more rows than that can fit
    # are allocated, whatever the header promises.
    fit = (size - end_of_header - 1) // (record_bytes + 2)
    vectors = np.empty((min(vocab_size, fit), dim), dtype=np.float32)  # (V, d) when complete
    position = end_of_header + 1
    for row in range(vocab_size):
        # word2vec.c writes "\n" after each vector and skips whitespace before a word when reading.
        while position < size and data[position] in _WHITESPACE:
            position += 1
        space = data.find(b" ", position)
        if position >= size or space < 0:
            raise FormatError(path, f"the file ends after {row} of the {vocab_size} vectors the "
                                    f"header promises (truncated file or wrong header?)",
                              offset=position)
        raw_word = data[position:space]
        if b"\n" in raw_word:
            raise FormatError(path, "a word contains a newline: is this a text-format file, or "
                                    "is the header's dimension wrong?", offset=position)
        try:
            word = raw_word.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FormatError(path, f"the word is not valid UTF-8 (bad byte at offset "
                                    f"{position + error.start})", offset=position) from None
        start = space + 1
        if start + record_bytes > size or row >= len(vectors):
            raise FormatError(path, f"the vector of {word!r} needs {record_bytes} bytes but only "
                                    f"{size - start} remain (truncated file?)", offset=start)
        vectors[row] = np.frombuffer(data, dtype="<f4", count=dim, offset=start)
        _add_row(path, words, first_seen, word, vectors[row], where=dict(offset=position),
                 vector_where=dict(offset=start), place=f"at byte offset {position}")
        position = start + record_bytes
    if data[position:].strip(_WHITESPACE):
        raise FormatError(path, f"more data after the {vocab_size} vectors the header promises",
                          offset=position)
    if vocab_size and _is_text_row(data[end_of_header + 1:], dim):
        raise FormatError(path, "this is a text-format word2vec file (its first row is a word and "
                                f"{dim} numbers in text): load it with binary=False",
                          offset=end_of_header + 1)
    return words, vectors


def _is_text_row(body: bytes, dim: int) -> bool:
    """Whether the first line of ``body`` is a text-format row: a word and ``dim`` numbers."""
    line = body[:body.find(b"\n")] if b"\n" in body else body
    try:
        fields = line.decode("ascii").split()
    except UnicodeDecodeError:
        return False
    return len(fields) == dim + 1 and all(_is_float(f) for f in fields[1:])


# --------------------------------------------------------------------------- writing

def word_vectors(words: list, vectors, *, name: str = "vectors", dim: int | None = None,
                 remedy: str = "fix or drop that row") -> np.ndarray:
    """``vectors`` as a (V, d) float32 matrix of finite rows, one per word of ``words``.

    Shared by :class:`~lessons.vectors.embeddings.Embeddings` and the writers: an error
    names the first bad row and its word, then says what to do (``remedy``).  ``dim``,
    when given, is the d the matrix must have.
    """
    vectors = np.ascontiguousarray(checks.matrix(name, vectors, dtype=np.float32, finite=False,
                                                 columns=dim))
    if vectors.shape[0] != len(words):
        raise ValueError(f"{name} must have shape (len(words), d) = ({len(words)}, d), "
                         f"got {vectors.shape}")
    if vectors.shape[1] == 0:
        raise ValueError(f"{name} has 0 dimensions (shape {vectors.shape}): a word vector needs "
                         "at least one number, or every cosine would be 0")
    finite = np.isfinite(vectors).all(axis=1)  # (V,)
    if not finite.all():
        row = int(np.argmin(finite))
        raise ValueError(f"{name} must be finite: row {row} ({words[row]!r}) holds nan or inf "
                         f"(numbers beyond float32's 3.4e38 become inf); {remedy}")
    return vectors


def _writable(words, vectors, separators) -> tuple[list, np.ndarray]:
    """Everything that could make a save fail half-way, checked before a byte is written."""
    words = checks.words("words", words)
    vectors = word_vectors(words, vectors, remedy="the formats cannot hold it; nothing was written")
    for i, word in enumerate(words):
        if not word or any(ch in word for ch in separators):
            raise ValueError(f"the word {word!r} cannot be written in this format "
                             f"(empty, or contains one of {separators!r})")
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"the word {word!r} (words[{i}]) cannot be written: it is not valid "
                             f"Unicode (a lone surrogate); nothing was written") from None
    return words, vectors


def _atomic_write(path, write, *, compress: bool, name: str = "path") -> None:
    """Write ``path`` all at once with :func:`lessons.checks.atomic_file` (a symlink's target
    is written, the permission bits kept; a failure leaves the previous file untouched):
    ``write(handle)`` fills the file, gzip-compressed when ``compress``."""
    with checks.atomic_file(name, path) as raw:
        if compress:
            with gzip.GzipFile(filename=Path(path).name[:-3], mode="wb", fileobj=raw) as out:
                write(out)
        else:
            write(raw)


def write_word2vec(path, words, vectors, binary=False) -> None:
    """Write words and vectors in the word2vec text or binary format.

    Text values are the shortest decimal strings that read back to the same float32 (as gensim
    writes them), so a text round trip is exact. Binary records end with ``"\\n"`` as word2vec.c
    writes them.  The save is atomic: every input is checked first (finite vectors, writable
    words), and the file is written under a temporary name and renamed, so a failure never
    leaves a half-written file or destroys the previous one.

    Parameters
    ----------
    path : str or path
        ``.gz`` is compressed on the fly.
    words : sequence of str, length V
        No word may be empty or contain whitespace (the formats separate fields by spaces).
    vectors : (V, d) array
        Finite numbers only.
    binary : bool
    """
    words, vectors = _writable(words, vectors, " \t\n\r")
    vocab_size, dim = vectors.shape

    def write(out):
        out.write(f"{vocab_size} {dim}\n".encode("ascii"))
        if binary:
            little_endian = vectors.astype("<f4", copy=False)
            for word, vector in zip(words, little_endian):
                out.write(word.encode("utf-8") + b" " + vector.tobytes() + b"\n")
        else:
            for word, vector in zip(words, vectors):
                # str(np.float32) is the shortest string that round-trips the float32 value.
                out.write(f"{word} {' '.join(map(str, vector))}\n".encode("utf-8"))

    _atomic_write(path, write, compress=str(path).endswith(".gz"))


def write_projector_tsv(prefix, words, vectors):
    """Write ``vectors.tsv`` and ``metadata.tsv`` for the TensorFlow Embedding Projector.

    Parameters
    ----------
    prefix : str or path
        An existing directory, or a path ending in a separator, receives ``vectors.tsv`` and
        ``metadata.tsv``; otherwise the files are ``{prefix}_vectors.tsv`` and
        ``{prefix}_metadata.tsv``.
    words : sequence of str, length V
        One per line in ``metadata.tsv`` (single column, hence no header line).
    vectors : (V, d) array

    Returns
    -------
    (vectors_path, metadata_path) : tuple of Path
    """
    words, vectors = _writable(words, vectors, "\t\n\r")
    prefix_text = str(prefix)
    if os.path.isdir(prefix_text) or prefix_text.endswith(("/", os.sep)):
        directory = Path(prefix_text)
        directory.mkdir(parents=True, exist_ok=True)
        vectors_path, metadata_path = directory / "vectors.tsv", directory / "metadata.tsv"
    else:
        vectors_path = Path(prefix_text + "_vectors.tsv")
        metadata_path = Path(prefix_text + "_metadata.tsv")
    _atomic_write(vectors_path, lambda out: out.writelines(
        ("\t".join(map(str, vector)) + "\n").encode("utf-8") for vector in vectors),
        compress=False, name="prefix")
    _atomic_write(metadata_path, lambda out: out.writelines(
        (word + "\n").encode("utf-8") for word in words), compress=False, name="prefix")
    return vectors_path, metadata_path
