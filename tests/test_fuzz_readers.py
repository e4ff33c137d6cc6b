"""Property-based fuzz of the word2vec readers (text, binary, and either gzip-compressed).

Every input — random bytes, a valid file with bytes flipped, inserted or deleted, a valid file
cut short, a damaged .gz — must either load correctly or raise :class:`FormatError` naming the
file.  Never another exception type, never NaN or inf in the vectors, never a hang (each read
runs under a 5 s alarm), and a file cut short never loads as something else.

The runs are deterministic (``derandomize=True``, no example database) and small (a fixed
``max_examples``), so the whole module takes a few seconds.
"""
from __future__ import annotations

import gzip
import io

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessons.vectors.embeddings import Embeddings
from lessons.vectors.formats import FormatError, read_word2vec, write_word2vec
from tests.test_bad_inputs import deadline

FUZZ = settings(max_examples=100, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
READ_LIMIT_S = 5.0


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def read_or_clear_error(path, binary):
    """Read ``path``: the result (checked) or None after a FormatError naming the file."""
    try:
        with deadline(READ_LIMIT_S):
            words, vectors = read_word2vec(path, binary=binary)
    except FormatError as err:
        assert str(path) in str(err), f"FormatError does not name the file: {err}"
        assert err.line is not None or err.offset is not None
        return None
    assert isinstance(words, list) and all(isinstance(w, str) and w for w in words)
    assert len(set(words)) == len(words)
    assert vectors.dtype == np.float32 and vectors.ndim == 2 and len(vectors) == len(words)
    assert np.isfinite(vectors).all()
    Embeddings(words, vectors)  # whatever loads is accepted by Embeddings too
    return words, vectors


def gz(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as out:
        out.write(data)
    return buffer.getvalue()


# ------------------------------------------------------------------ valid files to start from

WORD = st.text(alphabet=st.sampled_from("abcxyzé東0-'"), min_size=1, max_size=6)
FINITE = st.floats(width=32, allow_nan=False, allow_infinity=False)


@st.composite
def embeddings(draw):
    """(words, (V, d) float32 vectors) that a file can hold."""
    dim = draw(st.integers(1, 4))
    words = draw(st.lists(WORD, min_size=0, max_size=5, unique=True))
    values = draw(st.lists(FINITE, min_size=len(words) * dim, max_size=len(words) * dim))
    return words, np.array(values, dtype=np.float32).reshape(len(words), dim)


def valid_bytes(folder, words, vectors, binary) -> bytes:
    path = folder / "valid"
    write_word2vec(path, words, vectors, binary=binary)
    return path.read_bytes()


@st.composite
def mutations(draw, data: bytes) -> bytes:
    """``data`` with 1-4 bytes flipped, inserted or deleted."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        byte = draw(st.sampled_from([0, 9, 10, 13, 32, 45, 46, 48, 57, 101, 0x80, 0xC3, 0xFF]))
        if kind == "flip" and data:
            data[at] = byte
        elif kind == "insert":
            data.insert(at, byte)
        elif data:
            del data[at]
    return bytes(data)


# ------------------------------------------------------------------ the properties

@FUZZ
@given(data=st.binary(max_size=200), binary=st.booleans(), compressed=st.booleans())
def test_random_bytes(folder, data, binary, compressed):
    path = folder / ("random.gz" if compressed else "random")
    path.write_bytes(data)
    read_or_clear_error(path, binary)


@FUZZ
@given(vocab=st.integers(0, 10 ** 12), dim=st.integers(0, 10 ** 12), rest=st.binary(max_size=120),
       binary=st.booleans())
def test_headers_promising_anything(folder, vocab, dim, rest, binary):
    """A header may promise any size: memory follows the data, not the header."""
    path = folder / "header"
    path.write_bytes(b"%d %d\n" % (vocab, dim) + rest)
    read_or_clear_error(path, binary)


@FUZZ
@given(emb=embeddings(), binary=st.booleans(), compressed=st.booleans(), data=st.data())
def test_mutated_valid_files(folder, emb, binary, compressed, data):
    words, vectors = emb
    mutated = data.draw(mutations(valid_bytes(folder, words, vectors, binary)))
    path = folder / ("mutated.gz" if compressed else "mutated")
    path.write_bytes(gz(mutated) if compressed else mutated)
    read_or_clear_error(path, binary)


@FUZZ
@given(emb=embeddings(), binary=st.booleans(), data=st.data())
def test_truncated_files_never_load_as_something_else(folder, emb, binary, data):
    words, vectors = emb
    full = valid_bytes(folder, words, vectors, binary)
    cut = data.draw(st.integers(0, len(full)))
    path = folder / "cut"
    path.write_bytes(full[:cut])
    loaded = read_or_clear_error(path, binary)
    if loaded is not None:  # only a cut of trailing whitespace may load, and then as the original
        assert not full[cut:].strip(b" \t\r\n") or (not binary and full[cut:] == b"")
        assert loaded[0] == words
        np.testing.assert_array_equal(loaded[1], vectors)


@FUZZ
@given(emb=embeddings(), binary=st.booleans(), data=st.data())
def test_damaged_gzip(folder, emb, binary, data):
    """A .gz cut short or with a byte changed: an error naming the file, or the original."""
    words, vectors = emb
    packed = bytearray(gz(valid_bytes(folder, words, vectors, binary)))
    if data.draw(st.booleans()):
        packed = packed[:data.draw(st.integers(0, len(packed) - 1))]
    else:
        at = data.draw(st.integers(0, len(packed) - 1))
        packed[at] ^= data.draw(st.integers(1, 255))
    path = folder / "damaged.gz"
    path.write_bytes(bytes(packed))
    loaded = read_or_clear_error(path, binary)
    if loaded is not None:  # a change gzip does not notice (header flags, mtime): same content
        assert loaded[0] == words
        np.testing.assert_array_equal(loaded[1], vectors)


def test_round_trip_of_every_generated_embedding(folder):
    """The generator itself: valid files load back exactly (so the properties can fail)."""
    @settings(max_examples=40, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(emb=embeddings(), binary=st.booleans())
    def round_trip(emb, binary):
        words, vectors = emb
        path = folder / "round.gz"
        write_word2vec(path, words, vectors, binary=binary)
        loaded = read_or_clear_error(path, binary)
        assert loaded is not None and loaded[0] == words
        np.testing.assert_array_equal(loaded[1], vectors)

    round_trip()
