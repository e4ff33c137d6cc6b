"""Real text for the real-text chapters: text8, and gutenberg8 for benchmarks.

Chapters: every chapter that reads real text (*One-hot vectors*, *Counting
co-occurrences*, *Skip-gram*, *Word2vec on real text*, *What came after word2vec*, and the
geometry chapters through :mod:`lessons.book.text8_vectors`).  They use the first
2,000,000 words of text8, so every reader sees the same numbers.

Where the words come from, in order:

1. the ``data_dir`` argument (a folder, or a path to one of the files below);
2. the environment variable ``LESSONS_DATA_DIR``;
3. the per-user cache ``$LESSONS_CACHE_DIR`` (default ``~/.cache/lessons``);
4. otherwise text8 is downloaded from its canonical source into the cache, with
   a progress bar, and verified before it is used.

A ``data_dir`` that holds no copy, or a ``LESSONS_DATA_DIR`` that does not exist, is an
error naming it (a misspelt path never ends in a silent download), and so is a download that
fails (the message says what to do offline).  Every copy is checked as it is read: blocks of
text against checksums of text8's first 12,549,837 bytes, and the number of words asked for.

Each folder may hold ``text8`` (the raw 100,000,000-byte file), ``text8.zip``
(the canonical 31,344,016-byte archive) or ``text8-prefix.gz`` (the first
12,549,837 bytes of text8, gzip-compressed).  A full copy is preferred to the
prefix.

References
----------
* M. Mahoney, "About the Test Data" (text8 is the first 10^8 bytes of a cleaned
  English Wikipedia dump, lowercase a–z and single spaces).
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
import urllib.error
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lessons import checks

__all__ = ["text8", "text8_file", "gutenberg8", "find_text8", "download_text8", "verify_text8_zip",
           "read_text8_format", "cache_dir", "TEXT8_URL", "TEXT8_WORDS"]

TEXT8_URL = "http://mattmahoney.net/dc/text8.zip"
TEXT8_ZIP_BYTES = 31_344_016
TEXT8_BYTES = 100_000_000
TEXT8_WORDS = 17_005_207
# sha256 of the first 12,549,837 bytes of text8 (== text8-prefix uncompressed).
TEXT8_PREFIX_BYTES = 12_549_837
TEXT8_PREFIX_WORDS = 2_139_748
TEXT8_PREFIX_SHA256 = "41e50c6af8fea8a544864ab290f2d07349c212ac0187b41e21a4249a2aa0103d"

_CHUNK = 1 << 20  # bytes read at a time
# The first 128 bits of the sha256 of each 1 MiB block of text8's first 12,549,837 bytes (the
# last block is 1,015,501 bytes): whatever a reader reads of a local copy is checked against them.
_BLOCK = 1 << 20
TEXT8_BLOCK_SHA256 = (
    "f9635e4ae4e252df008db14870d2fef6", "91791ab0135a9615c99500f73b1a999e",
    "907ec1654d05779e9eebfe6581b6ae31", "1b595c4591674384f1212e851bdba2b4",
    "94860462e936947e453b57f465328cf1", "2e5ba2cd1a0aec1faed15da8219ad64d",
    "2fff06d59a60931b9a86ef55f227f311", "59471f468fb85c97bb192fde8c2f4ee9",
    "c759c9b7f4f563add3997d33e5af2254", "fe251ad1f49f51cd26ff00aa6f1a658d",
    "ed8984f972ef1f9fea36bfb0fd82622e", "afae30e5faca94a467dbd6565f819b7c",
)
_REFETCH = ("delete it and call lessons.data.datasets.download_text8(), or put a good copy "
            "(text8, text8.zip or text8-prefix.gz) in a folder named by LESSONS_DATA_DIR")


@dataclass(frozen=True)
class _Source:
    """A local copy of text8 (or of its prefix)."""

    path: Path
    kind: str  # "raw", "zip" or "prefix"

    @property
    def words(self) -> int:
        return TEXT8_PREFIX_WORDS if self.kind == "prefix" else TEXT8_WORDS

    def open(self):
        """Return a binary file object over the uncompressed text, checked as it is read.

        Every complete 1 MiB block read within text8's first 12,549,837 bytes must match
        :data:`TEXT8_BLOCK_SHA256`, and a copy read to its end must have text8's length (or
        its prefix's); copies smaller than one block (tests' tiny files) are not checksummed.
        A damaged archive is a ``ValueError`` naming the file.
        """
        if self.kind == "raw":
            return _VerifiedStream(open(self.path, "rb"), self.path)
        if self.kind == "prefix":
            return _VerifiedStream(gzip.open(self.path, "rb"), self.path)
        try:
            archive = zipfile.ZipFile(self.path)
            return _VerifiedStream(archive.open("text8"), self.path, archive)
        except (zipfile.BadZipFile, KeyError, EOFError) as err:
            raise ValueError(f"{self.path} is not a valid text8.zip ({err}): {_REFETCH}") from None


class _VerifiedStream(io.RawIOBase):
    """A read-only stream over a copy of text8 that checks each block it passes on."""

    def __init__(self, stream, path: Path, archive=None):
        self._stream, self._path, self._archive = stream, path, archive
        self._offset = 0  # bytes passed on so far
        self._block = hashlib.sha256()  # of the current, incomplete block

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._stream.read(len(buffer))
        except (EOFError, OSError, zlib.error, zipfile.BadZipFile) as err:
            raise ValueError(f"{self._path}: the compressed data is truncated or damaged after "
                             f"{self._offset:,} bytes of text ({type(err).__name__}: {err}): "
                             f"{_REFETCH}") from None
        if not data:
            self._verify_length()
            return 0
        self._check(data)
        buffer[:len(data)] = data
        return len(data)

    def _check(self, data: bytes) -> None:
        while data:
            room = _BLOCK - self._offset % _BLOCK
            piece, data = data[:room], data[room:]
            self._block.update(piece)
            self._offset += len(piece)
            if self._offset % _BLOCK == 0:
                self._compare_block(self._offset // _BLOCK - 1)

    def _compare_block(self, index: int) -> None:
        if index < len(TEXT8_BLOCK_SHA256) and \
                self._block.hexdigest()[:32] != TEXT8_BLOCK_SHA256[index]:
            raise ValueError(f"{self._path}: bytes {index * _BLOCK:,} to {self._offset:,} of its "
                             f"text do not match the canonical text8 (checksum differs): the copy "
                             f"is damaged or not text8; {_REFETCH}")
        self._block = hashlib.sha256()

    def _verify_length(self) -> None:
        if self._offset < _BLOCK:
            return  # a tiny file: too small to be a copy of text8, not checksummed
        if self._offset == TEXT8_PREFIX_BYTES:
            self._compare_block(self._offset // _BLOCK)  # the last, partial block
        elif self._offset != TEXT8_BYTES:
            raise ValueError(f"{self._path} holds {self._offset:,} bytes of text, but text8 has "
                             f"{TEXT8_BYTES:,} and its prefix {TEXT8_PREFIX_BYTES:,}: the copy is "
                             f"truncated or not text8; {_REFETCH}")

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
            if self._archive is not None:
                self._archive.close()
        super().close()


def _candidates(location: Path) -> list[_Source]:
    """The text8 copies at ``location`` (a folder or a file), full ones first."""
    names = {"text8": "raw", "text8.zip": "zip", "text8-prefix.gz": "prefix"}
    if location.is_file():
        kind = names.get(location.name)
        if kind is None:
            kind = {".zip": "zip", ".gz": "prefix"}.get(location.suffix, "raw")
        return [_Source(location, kind)]
    return [_Source(location / n, k) for n, k in names.items() if (location / n).is_file()]


def cache_dir() -> Path:
    """The per-user cache folder (``$LESSONS_CACHE_DIR`` or ``~/.cache/lessons``)."""
    return Path(os.environ.get("LESSONS_CACHE_DIR") or Path.home() / ".cache" / "lessons")


def find_text8(data_dir: str | os.PathLike | None = None, *, download: bool = True) -> _Source:
    """Locate (or download) a copy of text8 and say which.

    Parameters
    ----------
    data_dir : path or None
        A folder holding ``text8``, ``text8.zip`` or ``text8-prefix.gz``, or
        the path of one of those files.  Searched before anything else.
    download : bool
        Download the canonical archive into the cache when no copy is found.
    """
    places = _given_places(data_dir, "text8",
                           f"; or unset LESSONS_DATA_DIR to use the cache {str(cache_dir())!r}")
    if places and places[0][0] == "data_dir" and not _candidates(places[0][1]):
        raise FileNotFoundError(f"data_dir={str(data_dir)!r} holds no text8, text8.zip or "
                                f"text8-prefix.gz: pass the folder that holds one")
    places.append(("cache", cache_dir()))
    found: list[_Source] = []
    for _, place in places:
        if place.exists():
            found.extend(_candidates(place))
    full = [s for s in found if s.kind != "prefix"]
    if full or found:
        return (full or found)[0]
    if not download:
        searched = ", ".join(f"{label}={str(p)!r}" for label, p in places)
        raise FileNotFoundError(f"no copy of text8 found (searched {searched})")
    return _Source(download_text8(cache_dir()), "zip")


def _given_places(data_dir, what: str, otherwise: str = "") -> list[tuple[str, Path]]:
    """``(label, path)`` of ``data_dir`` and of ``$LESSONS_DATA_DIR``, those that are set.

    One that does not exist is an error naming it (a misspelt path must not end in a silent
    download); ``otherwise`` says what else the reader can do.
    """
    places = [(label, checks.path(label, value, must_exist=False)) for label, value in
              (("data_dir", data_dir), ("LESSONS_DATA_DIR", os.environ.get("LESSONS_DATA_DIR")))
              if value is not None and value != ""]
    for label, place in places:
        if not place.exists():
            raise FileNotFoundError(f"{label}={str(place)!r} does not exist: correct it (data_dir= "
                                    f"or LESSONS_DATA_DIR must name the folder that holds "
                                    f"{what}){otherwise}")
    return places


def download_text8(folder: Path | None = None, *, url: str = TEXT8_URL,
                   progress: bool = True) -> Path:
    """Download ``text8.zip`` into ``folder`` (default: the cache), verify it and return its path.

    The file is written under a temporary name and renamed only after its size,
    the zip's CRC and the sha256 of its first 12,549,837 bytes have been checked,
    so a partial or corrupt download is never used.
    """
    from tqdm.auto import tqdm

    if not isinstance(url, str) or not url:
        raise checks.ArgumentTypeError(f"url must be a URL (a non-empty str), got "
                                       f"{checks.describe(url)}")
    folder = cache_dir() if folder is None else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "text8.zip"
    # verified before it is renamed into place
    with checks.atomic_file("folder", target, verify=verify_text8_zip) as out, \
            _urlopen(url) as response:
        total = int(response.headers.get("Content-Length") or TEXT8_ZIP_BYTES)
        with tqdm(total=total, unit="B", unit_scale=True, desc="text8.zip",
                  disable=not progress) as bar:
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                bar.update(len(chunk))
    return target


def _urlopen(url: str):
    """``urllib.request.urlopen`` whose network errors name the URL and say what to do offline."""
    try:
        return urllib.request.urlopen(url, timeout=60)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
        raise ConnectionError(
            f"could not download {url} ({err}). Offline? Put text8.zip, text8 or text8-prefix.gz "
            f"in a folder and set LESSONS_DATA_DIR to it (or pass data_dir=), or copy text8.zip "
            f"into the cache {str(cache_dir())!r}") from err


def verify_text8_zip(path: Path) -> None:
    """Raise ``ValueError`` unless ``path`` is an intact canonical ``text8.zip``."""
    path = checks.path("path", path)
    size = path.stat().st_size
    if size != TEXT8_ZIP_BYTES:
        raise ValueError(f"{path} has {size:,} bytes, expected {TEXT8_ZIP_BYTES:,}: incomplete or "
                         f"wrong file")
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("text8")
            if info.file_size != TEXT8_BYTES:
                raise ValueError(f"{path}: member text8 has {info.file_size:,} bytes, expected "
                                 f"{TEXT8_BYTES:,}")
            digest = hashlib.sha256()
            with archive.open(info) as member:  # reading to the end checks the CRC
                head = member.read(TEXT8_PREFIX_BYTES)
                digest.update(head)
                while member.read(_CHUNK):
                    pass
    except (zipfile.BadZipFile, KeyError) as err:
        raise ValueError(f"{path} is not a valid text8.zip: {err}") from None
    if digest.hexdigest() != TEXT8_PREFIX_SHA256:
        raise ValueError(f"{path}: its text does not match the canonical text8 (checksum differs)")


def read_text8_format(stream: io.BufferedIOBase, max_words: int | None = None) -> list[str]:
    """Read whitespace-separated words from a binary stream, at most ``max_words``.

    Only as many bytes as needed are read, so the first two million words of
    text8 cost about 12 MB of reading, not 100 MB.
    """
    if max_words is not None:
        max_words = checks.integer("max_words", max_words, 0)
    if not callable(getattr(stream, "read", None)):
        raise checks.ArgumentTypeError(f"stream must be a binary stream (open(path, 'rb')), got "
                                       f"{checks.describe(stream)}")
    words: list[str] = []
    carry = b""
    while max_words is None or len(words) < max_words:
        chunk = stream.read(_CHUNK)
        if not chunk:
            words.extend(carry.decode("ascii", "replace").split())
            break
        chunk = carry + chunk
        cut = max(chunk.rfind(b" "), chunk.rfind(b"\n"))
        if cut < 0:
            carry = chunk
            continue
        words.extend(chunk[:cut].decode("ascii", "replace").split())
        carry = chunk[cut + 1:]
    return words if max_words is None else words[:max_words]


def _source_of(max_words, data_dir) -> _Source:
    """The copy of text8 that :func:`text8` and :func:`text8_file` read; an error if it holds
    fewer than ``max_words`` words (None or an integer >= 1)."""
    if max_words is not None:
        checks.integer("max_words", max_words, 1)
    source = find_text8(data_dir)
    if max_words is not None and max_words > source.words:
        raise ValueError(
            f"max_words={max_words:,} but the copy of text8 at {str(source.path)!r} holds only "
            f"{source.words:,} words. Put the full text8.zip ({TEXT8_URL}) in a folder and pass it "
            f"as data_dir= or set LESSONS_DATA_DIR, or fetch it into the cache with "
            f"lessons.data.datasets.download_text8(); or ask for at most {source.words:,} words."
        )
    return source


def text8(max_words: int | None = None, data_dir: str | os.PathLike | None = None) -> list[str]:
    """The words of text8, optionally only the first ``max_words``.

    Parameters
    ----------
    max_words : int or None
        How many words from the start; ``None`` for all that the copy holds.
    data_dir : path or None
        Where to look first (see the module docstring for the search order).

    Returns
    -------
    list of str
        The words in corpus order (text8 is one long stream, no sentences).

    Raises
    ------
    ValueError
        If more words are asked for than the local copy holds (e.g. only
        ``text8-prefix.gz`` is present); the message says how to get the rest.
    """
    source = _source_of(max_words, data_dir)
    with source.open() as stream:
        words = read_text8_format(stream, max_words)
    if max_words is not None and len(words) < max_words:
        raise ValueError(
            f"max_words={max_words:,} but the copy of text8 at {str(source.path)!r} holds only "
            f"{len(words):,} words, fewer than a canonical copy: it is truncated or not text8; "
            f"{_REFETCH}")
    return words


def gutenberg8(max_words: int | None = None,
               data_dir: str | os.PathLike | None = None) -> list[str]:
    """The words of ``gutenberg8.gz`` (a text8-sized benchmark corpus; never downloaded).

    Looked for in ``data_dir``, then ``LESSONS_DATA_DIR``.
    """
    if max_words is not None:
        checks.integer("max_words", max_words, 1)
    places = _given_places(data_dir, "gutenberg8.gz")
    for label, place in places:
        path = place if place.is_file() else place / "gutenberg8.gz"
        if path.is_file():
            try:
                with gzip.open(path, "rb") as stream:
                    return read_text8_format(stream, max_words)
            except (EOFError, OSError, zlib.error) as err:
                raise ValueError(f"{path}: the gzip data is truncated or damaged "
                                 f"({type(err).__name__}: {err}); get a fresh copy") from None
    searched = ", ".join(f"{label}={str(place)!r}" for label, place in places) or "nowhere"
    raise FileNotFoundError(
        f"gutenberg8.gz not found (searched {searched}): pass data_dir= or set LESSONS_DATA_DIR "
        f"to the folder that holds it"
    )


def text8_file(max_words: int | None = None, data_dir: str | os.PathLike | None = None) -> Path:
    """The first ``max_words`` words of text8 as a plain text file, for ``train(corpus_file=...)``.

    The file holds exactly the words of ``text8(max_words, data_dir)`` (text8's own bytes up to
    the end of the last word, one line), read through the same checked stream, so training on
    it gives the same vectors as training on that list, without a Python string per word.
    It is written once into the cache folder (``text8-first-N-words-KEY.txt``, ``KEY`` naming
    the copy it came from; atomically: under a temporary name, then renamed) and reused.

    Parameters
    ----------
    max_words : int or None
        How many words from the start; ``None`` for all that the copy holds.
    data_dir : path or None
        Where to look first (see the module docstring for the search order).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        If more words are asked for than the local copy holds, as :func:`text8`.
    """
    import numpy as np

    source = _source_of(max_words, data_dir)
    wanted = float("inf") if max_words is None else max_words
    stat = source.path.stat()  # the name says which copy it came from: a new copy, a new file
    key = hashlib.sha256(f"{source.path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    folder = cache_dir()
    target = folder / f"text8-{'all' if max_words is None else f'first-{max_words}'}-words-" \
                      f"{key.hexdigest()[:12]}.txt"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    space = np.zeros(256, dtype=bool)
    space[list(b" \t\n\r\x0b\x0c")] = True  # bytes.split()'s whitespace
    words, after_space = 0, True
    with checks.atomic_file("the text8 cache (LESSONS_CACHE_DIR)", target) as out, \
            source.open() as stream:
        # go on while the last wanted word may continue in the next block
        while (words < wanted or not after_space) and (block := stream.read(_CHUNK)):
            is_space = space[np.frombuffer(block, dtype=np.uint8)]  # (len(block),) bool
            previous = np.concatenate(([after_space], is_space[:-1]))
            starts = np.flatnonzero(~is_space & previous)  # where words begin
            after_space = bool(is_space[-1])
            if words + len(starts) > wanted:  # cut before the first word not wanted
                out.write(block[:int(starts[wanted - words])].rstrip())
                words = wanted
                break
            out.write(block)
            words += len(starts)
        if max_words is not None and words < max_words:  # (inside: the file is not kept)
            raise ValueError(f"the copy of text8 at {str(source.path)!r} holds only {words:,} "
                             f"words, fewer than {wanted:,}: it is truncated or not text8; "
                             f"{_REFETCH}")
    return target
