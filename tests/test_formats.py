"""word2vec text/binary files: round trips through gensim both ways, malformed files, TSV export."""
import pickle
import struct

import numpy as np
import pytest
from gensim.models import KeyedVectors

from lessons.vectors.embeddings import Embeddings
from lessons.vectors.formats import FormatError, read_word2vec, write_projector_tsv, write_word2vec

WORDS = ["the", "king", "queen", "café", "naïve", "東京", "x-ray", "don't"]


@pytest.fixture
def emb():
    rng = np.random.default_rng(11)
    vectors = rng.standard_normal((len(WORDS), 5)).astype(np.float32)
    vectors[1, 2] = 1e-30  # tiny and extreme values must survive the text format
    vectors[2, 0] = -3.4e38
    return Embeddings(WORDS, vectors)


def assert_same(emb, words, vectors):
    assert list(words) == emb.words
    np.testing.assert_array_equal(vectors, emb.vectors)  # bit-exact, text format included


# ----------------------------------------------------------------- round trips

@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("suffix", [".txt", ".txt.gz"])
def test_round_trip_ours(emb, tmp_path, binary, suffix):
    path = tmp_path / f"vectors{suffix}"
    emb.save_word2vec_format(path, binary=binary)
    back = Embeddings.load_word2vec_format(path, binary=binary)
    assert_same(emb, back.words, back.vectors)


@pytest.mark.parametrize("binary", [False, True])
def test_gensim_reads_ours(emb, tmp_path, binary):
    path = tmp_path / "ours.bin"
    emb.save_word2vec_format(path, binary=binary)
    kv = KeyedVectors.load_word2vec_format(str(path), binary=binary)
    assert_same(emb, kv.index_to_key, kv.vectors)


@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_we_read_gensim(emb, tmp_path, binary, suffix):
    path = tmp_path / f"gensim.w2v{suffix}"
    emb.to_keyedvectors().save_word2vec_format(str(path), binary=binary)
    back = Embeddings.load_word2vec_format(path, binary=binary)
    assert_same(emb, back.words, back.vectors)


def test_binary_layout_is_word2vec_c(emb, tmp_path):
    """Header "V d\\n", then word, space, d little-endian float32, newline."""
    path = tmp_path / "v.bin"
    emb.save_word2vec_format(path, binary=True)
    data = path.read_bytes()
    assert data.startswith(b"8 5\nthe ")
    first = struct.unpack("<5f", data[8:28])
    np.testing.assert_array_equal(first, emb.vectors[0])
    assert data[28:33] == b"\nking"


def test_text_written_by_word2vec_c_style(tmp_path):
    """word2vec.c writes "%lf " per value: a trailing space before each newline; CRLF too."""
    path = tmp_path / "c.txt"
    path.write_bytes(b"2 3\r\nfoo 0.500000 -1.000000 2.000000 \r\nbar 1 2 3 \n\n")
    words, vectors = read_word2vec(path)
    assert words == ["foo", "bar"]
    np.testing.assert_array_equal(vectors, [[0.5, -1, 2], [1, 2, 3]])


def test_empty_vocabulary(tmp_path):
    path = tmp_path / "empty.txt"
    write_word2vec(path, [], np.zeros((0, 4)))
    words, vectors = read_word2vec(path)
    assert words == [] and vectors.shape == (0, 4)


# ----------------------------------------------------------------- malformed text files

TEXT_CASES = [
    # (file bytes, line number in the error, message fragment)
    (b"2 three\na 1 2\n", 1, "header"),
    (b"2\na 1 2\n", 1, "header"),
    (b"-1 2\n", 1, "header"),
    (b"2 2 2\na 1 2\nb 3 4\n", 1, "header"),
    (b"3 2\na 1 2\nb 3 4\n", 4, "ends after 2 of the 3 rows"),
    (b"1 2\na 1 2\nb 3 4\n", 3, "more rows"),
    (b"2 2\na 1 2\nb 3\n", 3, "expected 2 numbers after the word 'b', found 1"),
    (b"2 2\na 1 2 3\nb 3 4\n", 2, "found 3"),
    (b"2 2\na 1 2\n\nb 3 4\n", 3, "does not start with a word"),
    (b"2 2\na 1 2\nb 3 4,5\n", 3, "'4,5' is not a number"),
    (b"2 2\na 1 2\nb nan 1\n", 3, "inf or nan"),
    (b"2 2\na 1 2\n\xff\xfe 3 4\n", 3, "UTF-8"),
    (b"2 2\ncaf\xc3 1 2\nb 3 4\n", 2, "UTF-8"),
    (b"2 2\na 1 2\na 3 4\n", 3, "already appeared on line 2"),
]


@pytest.mark.parametrize("content,line,fragment", TEXT_CASES)
def test_malformed_text(tmp_path, content, line, fragment):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(FormatError, match=fragment) as info:
        read_word2vec(path)
    assert info.value.line == line
    assert f"line {line}" in str(info.value)
    assert isinstance(info.value, ValueError)


# ----------------------------------------------------------------- malformed binary files

def _record(word, values):
    return word + b" " + np.asarray(values, dtype="<f4").tobytes() + b"\n"


GOOD = _record(b"a", [1, 2]) + _record(b"b", [3, 4])

BINARY_CASES = [
    # (file bytes, byte offset in the error, message fragment)
    (b"2 x\n" + GOOD, 0, "header"),
    (b"2 2", 0, "header"),
    (b"3 2\n" + GOOD, 4 + len(GOOD), "ends after 2 of the 3 vectors"),
    (b"1 2\n" + GOOD, 4 + len(_record(b"a", [1, 2])) - 1, "more data"),
    (b"2 2\n" + GOOD[:-5], 4 + len(_record(b"a", [1, 2])) + 2,
     "needs 8 bytes but only 4 remain"),
    (b"2 2\n" + _record(b"a", [1, 2]) + _record(b"\xe9t\xe9", [3, 4]),
     4 + len(_record(b"a", [1, 2])), "not valid UTF-8"),
    (b"2 2\n" + _record(b"a", [1, 2]) + _record(b"a", [3, 4]),
     4 + len(_record(b"a", [1, 2])), "already appeared at byte offset 4"),
    (b"2 2\n" + _record(b"a", [1, np.inf]) + _record(b"b", [3, 4]), 6, "inf or nan"),
    (b"2 2\na 0.5 -1.25\nb 3 4\n", 14, "contains a newline"),  # a text file read as binary
]


@pytest.mark.parametrize("content,offset,fragment", BINARY_CASES)
def test_malformed_binary(tmp_path, content, offset, fragment):
    path = tmp_path / "bad.bin"
    path.write_bytes(content)
    with pytest.raises(FormatError, match=fragment) as info:
        read_word2vec(path, binary=True)
    assert info.value.offset == offset
    assert f"byte offset {offset}" in str(info.value)


def test_binary_truncated_everywhere_is_an_error(emb, tmp_path):
    """Cutting a valid binary file at any byte (but a trailing newline) is always reported."""
    full = tmp_path / "full.bin"
    emb.save_word2vec_format(full, binary=True)
    data = full.read_bytes()
    cut = tmp_path / "cut.bin"
    for end in range(len(data) - 1):
        cut.write_bytes(data[:end])
        with pytest.raises(FormatError):
            read_word2vec(cut, binary=True)


def test_pickle_is_not_unpickled(tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"vectors": [1, 2, 3]}))
    for binary in (False, True):
        with pytest.raises(FormatError, match="header"):
            read_word2vec(path, binary=binary)


def test_unwritable_words(tmp_path):
    for words in (["two words", "b"], ["", "b"], ["tab\tword", "b"]):
        with pytest.raises(ValueError, match="cannot be written"):
            write_word2vec(tmp_path / "x.txt", words, np.ones((2, 2)))


# ----------------------------------------------------------------- projector TSV

def test_projector_tsv_directory_and_prefix(emb, tmp_path):
    vectors_path, metadata_path = emb.save_projector_tsv(tmp_path)
    assert (vectors_path.name, metadata_path.name) == ("vectors.tsv", "metadata.tsv")
    rows = vectors_path.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(WORDS)
    np.testing.assert_array_equal(np.array([r.split("\t") for r in rows], dtype=np.float32),
                                  emb.vectors)
    assert metadata_path.read_text(encoding="utf-8").splitlines() == WORDS

    vectors_path, metadata_path = emb.save_projector_tsv(tmp_path / "run1")
    assert vectors_path == tmp_path / "run1_vectors.tsv"
    assert metadata_path == tmp_path / "run1_metadata.tsv"
    assert metadata_path.exists()

    vectors_path, _ = emb.save_projector_tsv(str(tmp_path / "new_dir") + "/")
    assert vectors_path == tmp_path / "new_dir" / "vectors.tsv"

    with pytest.raises(ValueError, match="cannot be written"):
        write_projector_tsv(tmp_path, ["a\tb"], np.ones((1, 2)))
