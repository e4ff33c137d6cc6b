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
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["text8", "gutenberg8", "find_text8", "download_text8", "verify_text8_zip", "read_text8_format",
           "cache_dir", "TEXT8_URL", "TEXT8_WORDS"]

TEXT8_URL = "http://mattmahoney.net/dc/text8.zip"
TEXT8_ZIP_BYTES = 31_344_016
TEXT8_BYTES = 100_000_000
TEXT8_WORDS = 17_005_207
# sha256 of the first 12,549,837 bytes of text8 (== text8-prefix uncompressed).
TEXT8_PREFIX_BYTES = 12_549_837
TEXT8_PREFIX_WORDS = 2_139_748
TEXT8_PREFIX_SHA256 = "41e50c6af8fea8a544864ab290f2d07349c212ac0187b41e21a4249a2aa0103d"

_CHUNK = 1 << 20  # bytes read at a time


@dataclass(frozen=True)
class _Source:
    """A local copy of text8 (or of its prefix)."""

    path: Path
    kind: str  # "raw", "zip" or "prefix"

    @property
    def words(self) -> int:
        return TEXT8_PREFIX_WORDS if self.kind == "prefix" else TEXT8_WORDS

    def open(self):
        """Return a binary file object over the uncompressed text."""
        if self.kind == "raw":
            return open(self.path, "rb")
        if self.kind == "prefix":
            return gzip.open(self.path, "rb")
        archive = zipfile.ZipFile(self.path)
        return archive.open("text8")


def _candidates(location: Path) -> list[_Source]:
    """The text8 copies at ``location`` (a folder or a file), full ones first."""
    names = {"text8": "raw", "text8.zip": "zip", "text8-prefix.gz": "prefix"}
    if location.is_file():
        kind = names.get(location.name)
        if kind is None:
            kind = "zip" if location.suffix == ".zip" else "prefix" if location.suffix == ".gz" else "raw"
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
    places: list[tuple[str, Path]] = []
    if data_dir is not None:
        path = Path(data_dir).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"data_dir={str(data_dir)!r} does not exist")
        places.append(("data_dir", path))
    if os.environ.get("LESSONS_DATA_DIR"):
        places.append(("LESSONS_DATA_DIR", Path(os.environ["LESSONS_DATA_DIR"]).expanduser()))
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


def download_text8(folder: Path | None = None, *, url: str = TEXT8_URL, progress: bool = True) -> Path:
    """Download ``text8.zip`` into ``folder`` (default: the cache), verify it and return its path.

    The file is written under a temporary name and renamed only after its size,
    the zip's CRC and the sha256 of its first 12,549,837 bytes have been checked,
    so a partial or corrupt download is never used.
    """
    from tqdm.auto import tqdm

    folder = cache_dir() if folder is None else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "text8.zip"
    fd, tmp_name = tempfile.mkstemp(prefix="text8.zip.", suffix=".part", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=60) as response:
            total = int(response.headers.get("Content-Length") or TEXT8_ZIP_BYTES)
            with tqdm(total=total, unit="B", unit_scale=True, desc="text8.zip",
                      disable=not progress) as bar:
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
                    bar.update(len(chunk))
        verify_text8_zip(tmp)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def verify_text8_zip(path: Path) -> None:
    """Raise ``ValueError`` unless ``path`` is an intact canonical ``text8.zip``."""
    size = path.stat().st_size
    if size != TEXT8_ZIP_BYTES:
        raise ValueError(f"{path} has {size:,} bytes, expected {TEXT8_ZIP_BYTES:,}: incomplete or wrong file")
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("text8")
            if info.file_size != TEXT8_BYTES:
                raise ValueError(f"{path}: member text8 has {info.file_size:,} bytes, expected {TEXT8_BYTES:,}")
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


def _check_max_words(max_words) -> None:
    if max_words is not None and (not isinstance(max_words, int) or isinstance(max_words, bool)
                                  or max_words < 1):
        raise ValueError(f"max_words must be None or a positive integer, got {max_words!r}")


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
    _check_max_words(max_words)
    source = find_text8(data_dir)
    if max_words is not None and max_words > source.words:
        raise ValueError(
            f"max_words={max_words:,} but the copy of text8 at {str(source.path)!r} holds only "
            f"{source.words:,} words. Put the full text8.zip ({TEXT8_URL}) in a folder and pass it as "
            f"data_dir= or set LESSONS_DATA_DIR, or fetch it into the cache with "
            f"lessons.data.datasets.download_text8(); or ask for at most {source.words:,} words."
        )
    with source.open() as stream:
        return read_text8_format(stream, max_words)


def gutenberg8(max_words: int | None = None, data_dir: str | os.PathLike | None = None) -> list[str]:
    """The words of ``gutenberg8.gz`` (a text8-sized benchmark corpus; never downloaded).

    Looked for in ``data_dir``, then ``LESSONS_DATA_DIR``.
    """
    _check_max_words(max_words)
    places = [p for p in (data_dir, os.environ.get("LESSONS_DATA_DIR")) if p]
    for place in places:
        path = Path(place).expanduser()
        path = path if path.is_file() else path / "gutenberg8.gz"
        if path.is_file():
            with gzip.open(path, "rb") as stream:
                return read_text8_format(stream, max_words)
    raise FileNotFoundError(
        "gutenberg8.gz not found: pass data_dir= or set LESSONS_DATA_DIR to the folder that holds it"
    )

