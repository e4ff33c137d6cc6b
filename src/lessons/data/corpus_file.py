"""A corpus in a text file, read as bytes: vocabulary counts and int32 ids without Python strings.

Chapter: *Word2vec on real text* (training on a corpus file).

The file is either text8-style (one huge line of words) or one sentence per line; a
``.gz`` file is decompressed on the fly.  Words are the runs of bytes between ASCII
whitespace (``bytes.split()``'s definition: space, ``\\t``, ``\\n``, ``\\r``, ``\\v``,
``\\f``) and a sentence ends at every ``\\n``.  The file then means exactly the list
corpus ``[line.split() for line in file]`` (each word decoded from UTF-8), and
:func:`scan_corpus_file` gives the same vocabulary (same order, same counts) and the
same ids as :class:`~lessons.data.corpus.Vocabulary` and the list path of
:func:`lessons.models.word2vec.train`.

How (one pass over the file, in blocks of a few MB):

1. A numba kernel walks the bytes of a block, hashes every word (8 bytes at a time) into an
   open-addressing table of the distinct words seen so far, counts it, and appends its
   *first-seen index* (an int32) to a raw stream; a ``\\n`` appends the marker ``-1``.
   Only the distinct words' bytes are stored (in one byte arena).
2. The vocabulary is chosen by :func:`~lessons.data.corpus.choose_words`, as
   ``Vocabulary``'s (``count >= min_count``, sorted by ``(-count, word)``: UTF-8 byte
   order is code-point order, so the sort is the same), and only the kept words become
   Python strings.
3. A second numba kernel rewrites the raw stream *in place* as vocabulary ids: it drops
   out-of-vocabulary words and markers and cuts sentences at ``\\n`` and every
   ``max_sentence_length`` kept tokens (it never writes ahead of where it reads).

With ``workers > 1`` a plain (not gzip) file is cut at whitespace into ``workers`` byte
ranges that threads scan at once, each into its own table; the tables are then merged in
file order (the second range's words looked up in the first's table in their first-seen
order, and so on), which gives every word the first-seen index a one-thread scan gives it:
the vocabulary, ids and sentences are the same for any number of workers.

Memory: one int32 per word and newline of the file (the raw stream, whose start becomes
the ``(n,) int32`` ids), plus the table of distinct words; no per-token Python object.
The array is sized from the file's length but only the entries written take memory;
when the ids would not fit in memory it is a memory-mapped file in the cache folder.
"""
from __future__ import annotations

import contextlib
import ctypes
import gzip
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numba import njit

from lessons import checks

from .corpus import Vocabulary, choose_words

__all__ = ["CorpusFileError", "ScannedCorpusFile", "scan_corpus_file",
           "count_words", "BYTE_CLASS"]

_BLOCK_BYTES = 8 << 20  # bytes read at a time
_MIN_PART_BYTES = 1 << 20  # the least text a scanning thread gets (smaller files: one thread)
_MIX_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio (Fibonacci hashing)
_MIX_SHIFT = np.uint64(29)


def _byte_classes() -> np.ndarray:
    """(256,) uint8: 0 for a word byte, 1 for ASCII whitespace, 2 for ``\\n``."""
    classes = np.zeros(256, dtype=np.uint8)
    classes[list(b" \t\r\x0b\x0c")] = 1
    classes[ord("\n")] = 2
    classes.flags.writeable = False
    return classes


#: (256,) uint8 class of every byte: 0 word, 1 whitespace, 2 newline (ends a sentence).
BYTE_CLASS = _byte_classes()


class CorpusFileError(ValueError):
    """A corpus file that cannot be trained on (empty, no word kept, not UTF-8); names the file."""


# --- the table of distinct words -----------------------------------------------------------


class _WordTable:
    """Distinct words in first-seen order, with counts, and the hash table that finds them.

    ``entries`` is a ``(T, 4) uint64`` open-addressing table (``T`` a power of two, kept
    at most half full), one row per slot, so that a lookup touches one cache line:
    ``[hash, packed, index + 1, count]``.  ``packed`` holds the bytes of a word shorter than
    8 bytes (0 for a longer word), ``index`` is the word's first-seen index (0 in column 2
    marks an empty slot).  ``offsets`` (cap,) int64 and ``lengths`` (cap,) int64 locate
    each word's bytes in ``arena`` (uint8), by first-seen index.
    """

    def __init__(self, table_size: int = 1 << 17, arena_bytes: int = 1 << 20):
        self.size = 0
        self.arena_used = 0
        self.entries = np.zeros((table_size, 4), dtype=np.uint64)
        self.offsets = np.zeros(table_size // 2, dtype=np.int64)
        self.lengths = np.zeros(table_size // 2, dtype=np.int64)
        self.arena = np.zeros(arena_bytes, dtype=np.uint8)

    def grow(self, need_arena: int) -> None:
        """Double the table (rehashing) if half full; make room for ``need_arena`` more bytes."""
        if 2 * (self.size + 1) > len(self.entries):
            self.entries = _rehash(self.entries, 2 * len(self.entries))
            for name in ("offsets", "lengths"):
                old = getattr(self, name)
                new = np.zeros(len(self.entries) // 2, dtype=old.dtype)
                new[:self.size] = old[:self.size]
                setattr(self, name, new)
        if self.arena_used + need_arena > len(self.arena):
            arena = np.zeros(max(2 * len(self.arena), self.arena_used + need_arena), dtype=np.uint8)
            arena[:self.arena_used] = self.arena[:self.arena_used]
            self.arena = arena

    @property
    def counts(self) -> np.ndarray:
        """(U,) int64, the count of every distinct word, by first-seen index."""
        used = self.entries[:, 2] > 0
        counts = np.zeros(self.size, dtype=np.int64)
        counts[(self.entries[used, 2] - 1).astype(np.int64)] = self.entries[used, 3]
        return counts

    def word(self, i: int) -> bytes:
        start = int(self.offsets[i])
        return self.arena[start:start + int(self.lengths[i])].tobytes()


@njit(cache=True)
def _rehash(entries, table_size):
    """The rows of ``entries`` in a fresh ``(table_size, 4)`` table."""
    new = np.zeros((table_size, 4), dtype=np.uint64)
    mask = np.uint64(table_size - 1)
    for r in range(entries.shape[0]):
        if entries[r, 2] == 0:
            continue
        s = entries[r, 0] & mask
        while new[s, 2] != 0:
            s = (s + np.uint64(1)) & mask
        new[s, :] = entries[r, :]
    return new


@njit(nogil=True, cache=True, inline="always")
def _mix(h):
    """A 64-bit multiply-xorshift step (the high bits folded down: the table uses the low)."""
    h = h * _MIX_MULTIPLIER
    return h ^ (h >> _MIX_SHIFT)


@njit(nogil=True, cache=True, inline="always")
def _same_bytes(arena, offsets, lengths, i, data, p, q):
    """Whether word ``i``'s bytes in the arena equal ``data[p:q]``."""
    if lengths[i] != q - p:
        return False
    o = offsets[i]
    for k in range(q - p):
        if arena[o + k] != data[p + k]:
            return False
    return True


@njit(nogil=True, cache=True)
def _scan_block(data, start, stop, classes, entries, offsets, lengths, arena, size, arena_used,
                raw, n_raw):
    """Count the words of ``data[start:stop]`` and append their indices to ``raw``.

    ``data[start:stop]`` must end at a word boundary (the caller carries a cut word over
    to the next block).  Every word's first-seen index goes to ``raw[n_raw]`` (if
    ``raw`` is not empty) and its count goes up by one; a ``\\n`` writes ``-1``.

    A word's bytes are packed 8 at a time into a uint64 and hashed per 8 bytes; a word
    shorter than 8 bytes is identified by its hash and packed bytes (and length, in the
    hash), a longer one by comparing its bytes with the arena.  Stops early, at a word
    boundary, when the table needs to grow (half full, or the arena too small).

    Returns
    -------
    position : int, where it stopped (``stop`` when done)
    size, arena_used, n_raw : the updated fill levels
    """
    mask = np.uint64(entries.shape[0] - 1)
    keep_raw = raw.shape[0] > 0
    one = np.uint64(1)
    p = start
    while p < stop:
        c = classes[data[p]]
        if c != 0:
            if c == 2 and keep_raw:
                raw[n_raw] = -1
                n_raw += 1
            p += 1
            continue
        q = p
        packed = np.uint64(0)
        h = np.uint64(0)
        while q < stop:
            b = data[q]
            if classes[b] != 0:
                break
            packed = (packed << np.uint64(8)) | np.uint64(b)
            q += 1
            if (q - p) & 7 == 0:  # 8 bytes packed
                h = _mix(h ^ packed)
                packed = np.uint64(0)
        length = q - p
        h = _mix(h ^ packed ^ (np.uint64(length) << np.uint64(56)))
        key = packed if length < 8 else np.uint64(0)
        s = h & mask
        while True:  # linear probing
            index = entries[s, 2]  # first-seen index + 1, 0 if the slot is empty
            if index == 0:
                break
            if entries[s, 0] == h and entries[s, 1] == key and (
                    length < 8 or _same_bytes(arena, offsets, lengths, index - one, data, p, q)):
                break
            s = (s + one) & mask
        if index == 0:
            if 2 * (size + 1) > entries.shape[0] or arena_used + length > arena.shape[0]:
                return p, size, arena_used, n_raw  # grow, then come back to this word
            size += 1
            index = np.uint64(size)
            entries[s, 0] = h
            entries[s, 1] = key
            entries[s, 2] = index
            offsets[size - 1] = arena_used
            lengths[size - 1] = length
            arena[arena_used:arena_used + length] = data[p:q]
            arena_used += length
        entries[s, 3] += one
        if keep_raw:
            raw[n_raw] = np.int32(index - one)
            n_raw += 1
        p = q
    return p, size, arena_used, n_raw


@njit(nogil=True, cache=True)
def _compact(raw, n_raw, id_of, out, n_out, starts, n_starts, run, max_length):
    """Map raw indices to ids, drop the unknown ones, and cut sentences.

    A sentence ends at a ``-1`` marker (if it holds a kept token) and after every
    ``max_length`` kept tokens (``run`` counts the kept tokens of the open sentence).
    Each end appends the current length of ``out`` to ``starts``.

    Returns
    -------
    n_out, n_starts, run : the updated fill levels and the open sentence's length
    """
    for r in range(n_raw):
        i = raw[r]
        if i < 0:
            if run > 0:
                starts[n_starts] = n_out
                n_starts += 1
                run = 0
            continue
        w = id_of[i]
        if w < 0:
            continue
        out[n_out] = w
        n_out += 1
        run += 1
        if run == max_length:
            starts[n_starts] = n_out
            n_starts += 1
            run = 0
    return n_out, n_starts, run


# --- reading the file in blocks -------------------------------------------------------------


def _open(path: Path):
    """Binary file object over the (decompressed) text, and the raw file for progress."""
    raw_file = open(path, "rb")
    if path.suffix == ".gz":
        return gzip.GzipFile(fileobj=raw_file, mode="rb"), raw_file
    return raw_file, raw_file


def _blocks(path: Path, block_bytes: int, bar=None, start: int = 0, stop: int | None = None):
    """Yield ``(data, stop)``: ``data[:stop]`` is the next piece of text, cut at a word end.

    ``data`` is one reused ``uint8`` buffer; a word cut by the block edge is carried over
    to the next block (the buffer grows for a word longer than a block).  ``start`` and
    ``stop`` (plain files only) read the bytes ``start..stop-1`` alone.
    """
    stream, raw_file = _open(path)
    with stream, raw_file:
        if start:
            stream.seek(start)
        left = None if stop is None else stop - start  # bytes of the range not read yet
        read = raw_file.tell()  # for the bar: file bytes read so far (compressed for .gz)
        buffer = bytearray(block_bytes)
        data = np.frombuffer(buffer, dtype=np.uint8)
        carry = 0
        while True:
            room = memoryview(buffer)[carry:]
            got = stream.readinto(room if left is None else room[:left])
            if left is not None:
                left -= got
            if bar is not None:
                bar.update(raw_file.tell() - read)
                read = raw_file.tell()
            end = carry + got
            if got == 0:  # end of file: the carried word ends here
                if carry:
                    yield data, carry
                return
            cut = _last_boundary(data, end)
            if cut == 0:  # no whitespace at all: a word longer than the buffer
                if end == len(buffer):
                    bigger = bytearray(2 * len(buffer))
                    bigger[:end] = buffer
                    buffer = bigger
                    data = np.frombuffer(buffer, dtype=np.uint8)
                carry = end
                continue
            yield data, cut
            carry = end - cut
            buffer[:carry] = buffer[cut:end]


def _last_boundary(data: np.ndarray, end: int) -> int:
    """Position just after the last whitespace byte in ``data[:end]`` (0 if none)."""
    tail = data[max(0, end - 4096):end]
    spaces = np.flatnonzero(BYTE_CLASS[tail] != 0)
    if len(spaces):
        return end - len(tail) + int(spaces[-1]) + 1
    spaces = np.flatnonzero(BYTE_CLASS[data[:end]] != 0)
    return int(spaces[-1]) + 1 if len(spaces) else 0


def _scan(path: Path, table: _WordTable, store=None, *, block_bytes: int, bar=None):
    """Run :func:`_scan_block` over the whole file, counting into ``table``.

    With a :class:`_RawStore`, every word's first-seen index (and ``-1`` per newline) is
    appended to it.
    """
    raw = np.empty(0, dtype=np.int32) if store is None else store.array
    n_raw = 0
    for data, stop in _blocks(path, block_bytes, bar):
        if store is not None and n_raw + stop > len(raw):  # the size hint was short
            raw = store.grow(n_raw, n_raw + stop)
        n_raw = _scan_data(table, data, stop, raw, n_raw)
    return n_raw


def _scan_data(table: _WordTable, data: np.ndarray, stop: int, raw: np.ndarray,
               n_raw: int) -> int:
    """Count the words of ``data[:stop]`` into ``table`` (growing it as needed), appending
    their first-seen indices to ``raw`` from ``raw[n_raw]`` on; returns the new ``n_raw``."""
    position = 0
    while position < stop:
        position, table.size, table.arena_used, n_raw = _scan_block(
            data, position, stop, BYTE_CLASS, table.entries, table.offsets, table.lengths,
            table.arena, table.size, table.arena_used, raw, n_raw)
        if position < stop:
            table.grow(need_arena=stop - position)
    return n_raw


def _part_bounds(path: Path, size: int, parts: int) -> list[int]:
    """Byte offsets ``0 = b_0 < b_1 < ... = size`` cutting a plain file into at most
    ``parts`` ranges, every cut just after a whitespace byte (so no word is split).

    A cut is searched forward from ``i * size / parts``; where no whitespace follows within
    the next :data:`_MIN_PART_BYTES`, there is no cut (fewer, longer ranges).
    """
    bounds = [0]
    with open(path, "rb") as f:
        for i in range(1, parts):
            target = max(size * i // parts, bounds[-1] + 1)
            if target >= size:
                break
            f.seek(target)
            ahead = np.frombuffer(f.read(_MIN_PART_BYTES), dtype=np.uint8)
            spaces = np.flatnonzero(BYTE_CLASS[ahead] != 0)
            if len(spaces) and target + int(spaces[0]) + 1 < size:
                bounds.append(target + int(spaces[0]) + 1)
    return bounds + [size]


def _scan_parts(path: Path, table: _WordTable, store, bounds: list[int], *,
                block_bytes: int, bar=None) -> list[tuple[int, int, np.ndarray | None]]:
    """Scan the byte ranges ``bounds[i]..bounds[i+1]-1`` of a plain file on one thread each.

    Range ``i`` writes its raw stream into ``store.array`` from entry ``bounds[i]`` on (a
    range of ``m`` bytes holds at most ``m`` words and newlines), counting into a table of
    its own; the tables are then merged into ``table`` in file order.

    Returns
    -------
    list of (offset, n_raw, remap) per range: its raw stream is ``store.array[offset:
    offset + n_raw]``, in the indices of its own table; ``remap`` (U_i,) int32 maps them
    to ``table``'s (None for the first range, whose table is ``table``)
    """
    raw = store.array
    tables = [table] + [_WordTable() for _ in bounds[2:]]
    bar = None if bar is None else _LockedBar(bar)  # tqdm's counter is not thread-safe

    def scan(i: int) -> int:
        n_raw = bounds[i]
        for data, stop in _blocks(path, block_bytes, bar, bounds[i], bounds[i + 1]):
            n_raw = _scan_data(tables[i], data, stop, raw, n_raw)
        return n_raw - bounds[i]

    with ThreadPoolExecutor(max_workers=len(tables), thread_name_prefix="scan") as pool:
        counted = list(pool.map(scan, range(len(tables))))
    parts = [(bounds[0], counted[0], None)]
    for i in range(1, len(tables)):
        parts.append((bounds[i], counted[i], _merge_table(table, tables[i])))
    return parts


class _LockedBar:
    """A progress bar that several threads move: ``update`` under a lock."""

    def __init__(self, bar):
        self.bar, self.lock = bar, threading.Lock()

    def update(self, n: int) -> None:
        with self.lock:
            self.bar.update(n)


def _merge_table(table: _WordTable, other: _WordTable) -> np.ndarray:
    """Add ``other``'s words and counts to ``table``; returns ``(U_other,) int32``, the index
    in ``table`` of each of ``other``'s words.

    ``other``'s words go through the same scan in their first-seen order (its arena holds
    them back to back in that order; a space between them), so a word new to ``table`` gets
    the next first-seen index, as if the two ranges had been scanned one after the other;
    then each word's count is topped up to its count in ``other``.
    """
    n = other.size
    if n == 0:
        return np.empty(0, dtype=np.int32)
    lengths = other.lengths[:n]
    used = other.arena_used
    text = np.full(used + n, ord(" "), dtype=np.uint8)  # the words, one space after each
    text[np.arange(used) + np.repeat(np.arange(n), lengths)] = other.arena[:used]
    remap = np.empty(n, dtype=np.int32)
    _scan_data(table, text, len(text), remap, 0)
    in_table = table.entries[:, 2] > 0
    slot_of = np.empty(table.size, dtype=np.int64)  # (U,) the table slot of each index
    slot_of[(table.entries[in_table, 2] - 1).astype(np.int64)] = np.flatnonzero(in_table)
    counts = other.counts  # (n,) int64, each at least 1 (the scan above added 1 already)
    table.entries[slot_of[remap], 3] += (counts - 1).astype(np.uint64)
    return remap


class _RawStore:
    """The raw stream, then (compacted in place) the ids: one int32 array.

    Sized from the length of the text (a file of ``m`` bytes holds at most ``m`` words
    and newlines); only the entries written take memory (untouched pages of a fresh
    ``np.empty`` or of a sparse file are never allocated).  In memory, or, above
    ``memory_limit`` bytes of expected ids, a memory-mapped file in the cache folder
    (deleted at once: the mapping keeps it alive until the array is freed).
    """

    def __init__(self, capacity: int, path: Path, memory_limit: int | None):
        expected = 4 * capacity // 5  # ~5 bytes per word and space
        self.mapped = memory_limit is not None and expected > memory_limit
        self.name = path.name
        self.array = self._new(max(capacity, 1))

    def _new(self, capacity: int) -> np.ndarray:
        if not self.mapped:
            return np.empty(capacity, dtype=np.int32)
        from .datasets import cache_dir
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f"{self.name}.", suffix=".int32", dir=folder)
        os.close(fd)
        try:
            return np.asarray(np.memmap(name, dtype=np.int32, mode="w+", shape=(capacity,)))
        finally:
            os.unlink(name)

    def grow(self, used: int, needed: int) -> np.ndarray:
        """A bigger array holding the first ``used`` entries (a ``.gz`` size hint was short)."""
        bigger = self._new(max(needed, 2 * len(self.array)))
        bigger[:used] = self.array[:used]
        self.array = bigger
        return bigger


@njit(nogil=True, cache=True)
def _count_negative(raw, n_raw):
    """How many of ``raw[:n_raw]`` are ``-1`` (newlines)."""
    count = 0
    for r in range(n_raw):
        count += raw[r] < 0
    return count


# --- the public functions ------------------------------------------------------------------


@dataclass(frozen=True)
class ScannedCorpusFile:
    """A corpus file as int32 ids.

    Attributes
    ----------
    path : pathlib.Path
    vocabulary : Vocabulary, counted from the file (or the one given)
    tokens : (n,) int32, every id in ``[0, V)`` (an in-memory array, or a view of a
        memory-mapped file in the cache folder)
    sentence_starts : (S + 1,) int64, sentence ``s`` is ``tokens[starts[s]:starts[s+1]]``
    total_words : int, every word of the file, out-of-vocabulary ones included
    """

    path: Path
    vocabulary: Vocabulary
    tokens: np.ndarray
    sentence_starts: np.ndarray
    total_words: int


def _corpus_path(path) -> Path:
    """:func:`lessons.checks.path`, a folder being a :class:`CorpusFileError`."""
    try:
        return checks.path("corpus_file", os.fsdecode(path) if isinstance(path, bytes) else path)
    except IsADirectoryError as err:
        raise CorpusFileError(str(err)) from None


def _count(path: Path, progress: bool, block_bytes: int = _BLOCK_BYTES) -> _WordTable:
    table = _WordTable()
    with _progress(path, progress) as bar:
        _scan(path, table, block_bytes=block_bytes, bar=bar)
    return table


def count_words(path, *, block_bytes: int = _BLOCK_BYTES,
                progress: bool = False) -> dict[bytes, int]:
    """Every distinct word of a file (as bytes) and its count, in first-seen order."""
    block_bytes = checks.integer("block_bytes", block_bytes, 1)
    table = _count(_corpus_path(path), progress, block_bytes)
    counts = table.counts
    return {table.word(i): int(counts[i]) for i in range(table.size)}


def _decode(word: bytes, path: Path) -> str:
    try:
        return word.decode("utf-8")
    except UnicodeDecodeError:
        raise CorpusFileError(f"corpus_file {str(path)!r}: the word {word!r} is not valid UTF-8; "
                              "re-encode the file as UTF-8") from None


def _spellings(table: _WordTable, candidates: np.ndarray) -> np.ndarray:
    """The bytes of the words ``candidates`` (first-seen indices), to sort them as ``Vocabulary``.

    UTF-8 byte order is code-point order.  A fixed-width ``S`` array (sorted bytewise in
    numpy; words hold no NUL byte there) when the words are short, else Python bytes.
    """
    lengths = table.lengths[candidates]
    longest = int(lengths.max())
    arena = table.arena[:table.arena_used]
    if longest <= 64 and not (arena == 0).any():
        padded = np.zeros((len(candidates), longest), dtype=np.uint8)  # (k, longest)
        columns = np.arange(longest)
        inside = columns[None, :] < lengths[:, None]
        padded[inside] = arena[(table.offsets[candidates][:, None] + columns[None, :])[inside]]
        return padded.view(f"S{longest}").ravel()  # (k,) fixed-width bytes
    spelled = np.empty(len(candidates), dtype=object)  # (k,) bytes
    spelled[:] = [table.word(i) for i in candidates]
    return spelled


def _choose_vocabulary(table: _WordTable, path: Path, min_count: int, max_size: int | None,
                       vocabulary: Vocabulary | None) -> tuple[Vocabulary, np.ndarray]:
    """The vocabulary and ``id_of``, the ``(U,) int32`` id of every distinct word (-1: dropped)."""
    counts = table.counts  # (U,) int64
    total = int(counts.sum())
    if total == 0:
        raise CorpusFileError(f"corpus_file {str(path)!r} is empty: it holds no word")
    id_of = np.full(table.size, -1, dtype=np.int32)
    if vocabulary is not None:
        for i in range(table.size):
            w = vocabulary.index.get(table.word(i).decode("utf-8", "surrogateescape"))
            if w is not None:
                id_of[i] = w
        return vocabulary, id_of
    try:  # (V,) first-seen indices
        kept = choose_words(counts, lambda candidates: _spellings(table, candidates),
                            min_count=min_count, max_size=max_size)
    except ValueError as err:
        raise CorpusFileError(f"corpus_file {str(path)!r}: {err}; lower min_count") from None
    arena = table.arena[:table.arena_used].tobytes()
    words = tuple(_decode(arena[o:o + n], path)
                  for o, n in zip(table.offsets[kept].tolist(), table.lengths[kept].tolist()))
    id_of[kept] = np.arange(len(kept), dtype=np.int32)
    return Vocabulary(words=words, counts=counts[kept], total_words=total), id_of


def scan_corpus_file(path, *, min_count: int = 1, max_size: int | None = None,
                     vocabulary: Vocabulary | None = None, max_sentence_length: int = 10_000,
                     progress: bool = False, memory_limit: int | None = None,
                     block_bytes: int = _BLOCK_BYTES, workers: int = 1) -> ScannedCorpusFile:
    """Count the words of a corpus file, choose the vocabulary and encode the file as ids.

    Parameters
    ----------
    path : str or os.PathLike
        A text file (``.gz``: gzip-compressed): text8 format (one line of words) or one
        sentence per line, UTF-8, words separated by ASCII whitespace.
    min_count, max_size : int
        Vocabulary filter, as :meth:`Vocabulary.from_corpus` (ignored with ``vocabulary``).
    vocabulary : Vocabulary or None
        Use this vocabulary (ids and counts) instead of counting one.
    max_sentence_length : int
        Sentences are cut into pieces of at most this many kept tokens.
    progress : bool
        A tqdm bar over the bytes of the file.
    memory_limit : int or None
        Bytes the ids may take in memory; beyond it they go to a memory-mapped file in
        the cache folder.  None: always in memory.
    block_bytes : int
        Bytes read at a time.
    workers : int
        Threads that scan a plain file at once, each a byte range of at least 1 MB (a
        ``.gz`` file is read by one); the result is the same for any number.

    Returns
    -------
    ScannedCorpusFile

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    CorpusFileError (a ValueError)
        If it is not a file, holds no word, no word reaches ``min_count``, no word is in
        the given vocabulary, or a kept word is not UTF-8; the message names the file.
    """
    path = _corpus_path(path)
    workers = checks.integer("workers", workers, 1)
    table = _WordTable()
    size = _text_bytes(path)
    store = _RawStore(size + 1, path, memory_limit)
    parts = 1 if path.suffix == ".gz" else min(workers, size // _MIN_PART_BYTES)
    with _progress(path, progress) as bar:
        if parts > 1:
            ranges = _scan_parts(path, table, store, _part_bounds(path, size, parts),
                                 block_bytes=block_bytes, bar=bar)
        else:
            ranges = [(0, _scan(path, table, store, block_bytes=block_bytes, bar=bar), None)]
    vocabulary, id_of = _choose_vocabulary(table, path, min_count, max_size, vocabulary)
    raw = store.array
    n_raw = sum(n for _, n, _ in ranges)
    newlines = sum(_count_negative(raw[o:o + n], n) for o, n, _ in ranges)
    starts = np.zeros(newlines + n_raw // max_sentence_length + 2,
                      dtype=np.int64)  # sentence ends: at most one per newline and per cut
    # compact in place, range by range: ids overwrite the raw stream from its start (never
    # ahead of reading: range i's raw stream starts at its byte offset, past every id before)
    n_out, n_starts, run = 0, 1, 0
    for offset, n, remap in ranges:
        ids = id_of if remap is None else id_of[remap]  # (U_i,) int32, this range's indices
        n_out, n_starts, run = _compact(raw[offset:offset + n], n, ids, raw, n_out, starts,
                                        n_starts, run, max_sentence_length)
    if run > 0:
        starts[n_starts] = n_out
        n_starts += 1
    if n_out == 0:
        raise CorpusFileError(f"corpus_file {str(path)!r} has no word in the vocabulary: "
                              "nothing to train on")
    total_words = int(table.counts.sum())
    del table
    _return_free_memory()
    return ScannedCorpusFile(path, vocabulary, raw[:n_out], starts[:n_starts].copy(), total_words)


def _return_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim``; else nothing).

    The growing table and the read buffer leave ~25 MB of freed but still resident heap
    on gutenberg8 (glibc raises its mmap threshold after the first big free, so later
    buffers come from the heap); training then starts that much smaller.
    """
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _text_bytes(path: Path) -> int:
    """Size of the text: the file's, or for ``.gz`` the size in its trailer (mod 2**32)."""
    size = path.stat().st_size
    if path.suffix != ".gz" or size < 18:
        return size
    with open(path, "rb") as f:
        f.seek(-4, os.SEEK_END)
        return int.from_bytes(f.read(4), "little")


def _progress(path: Path, progress: bool):
    """A tqdm bar over the file's bytes (compressed bytes for ``.gz``), or a no-op."""
    if not progress:
        return contextlib.nullcontext()
    from tqdm.auto import tqdm
    return tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc=f"reading {path.name}")
