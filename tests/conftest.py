"""Shared fixtures: a small text8-format corpus the tests build themselves, and the
real text8 prefix when LESSONS_DATA_DIR points at it."""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest


@pytest.fixture
def isolated_env(tmp_path, monkeypatch):
    """No data dir, an empty cache: the loader must find only what the test provides."""
    monkeypatch.delenv("LESSONS_DATA_DIR", raising=False)
    monkeypatch.setenv("LESSONS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def tiny_text8(tmp_path) -> Path:
    """A text8-format file (lowercase words, single spaces, leading space) of 5,000 words."""
    words = [f"w{i % 97}" for i in range(5000)]
    path = tmp_path / "text8"
    path.write_bytes((" " + " ".join(words)).encode("ascii"))
    return path


@pytest.fixture
def real_data_dir() -> Path:
    folder = os.environ.get("LESSONS_DATA_DIR")
    if not folder or not (Path(folder) / "text8-prefix.gz").is_file():
        pytest.skip("LESSONS_DATA_DIR does not hold text8-prefix.gz")
    return Path(folder)


def write_gz(path: Path, text: str) -> Path:
    with gzip.open(path, "wb") as f:
        f.write(text.encode("ascii"))
    return path
