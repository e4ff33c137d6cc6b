"""train(corpus_file=...): byte-level counting and encoding against the list path."""
from __future__ import annotations

import gzip
from collections import Counter

import numpy as np
import pytest

from lessons.data import corpus_file as cf
from lessons.data.corpus import Vocabulary
from lessons.data.datasets import text8, text8_file
from lessons.models.word2vec import train
from lessons.models.word2vec.encoding import prepare_corpus

FAST = dict(dim=16, epochs=2, min_count=2, subsample=1e-3, window=3)


def _messy_text(seed: int = 0) -> bytes:
    """Lines of words of every length class (1, 7, 8, 9, 20 bytes, UTF-8), odd whitespace,
    empty lines and one long line; many words occur once (dropped at min_count 2)."""
    rng = np.random.default_rng(seed)
    words = ["a", "bb", "sevenxx", "eightxxx", "ninexxxxx", "twenty-bytes-word-xx", "déjà", "naïve",
             "x" * 70] + [f"w{i}" for i in range(300)] + [f"rare{i}" for i in range(200)]
    weights = 1.0 / np.arange(1, len(words) + 1)
    weights /= weights.sum()
    gaps = [b" ", b"  ", b"\t", b" \r"]
    lines = []
    for _ in range(120):
        n = int(rng.integers(0, 30))
        chosen = rng.choice(len(words), n, p=weights)
        line = b""
        for i in chosen:
            line += words[i].encode() + gaps[int(rng.integers(len(gaps)))]
        lines.append(line)
    lines.append(b" ".join(words[i].encode() for i in rng.choice(len(words), 2500, p=weights)))
    return b"\n".join(lines) + b"\n\n"


def _as_lists(data: bytes) -> list[list[str]]:
    """The list corpus a file means: one sentence per line, bytes.split() words."""
    return [[w.decode("utf-8") for w in line.split()] for line in data.split(b"\n")]


@pytest.fixture
def messy(tmp_path):
    data = _messy_text()
    path = tmp_path / "messy.txt"
    path.write_bytes(data)
    return path, data


# --- counting, against plain Python ---------------------------------------------------------


@pytest.mark.parametrize("block_bytes", [16, 1000, 1 << 20])
def test_count_words_matches_python_counter(messy, block_bytes, monkeypatch):
    path, data = messy
    # a tiny starting table and arena: the scan must grow both, many times, mid-block
    monkeypatch.setattr(cf._WordTable.__init__, "__defaults__", (4, 8))
    expected = Counter(data.split())  # first-seen order, like the table
    got = cf.count_words(path, block_bytes=block_bytes)
    assert list(got.items()) == list(expected.items())


def test_count_words_word_longer_than_a_block(tmp_path):
    path = tmp_path / "long.txt"
    path.write_bytes(b"ab " + b"z" * 5000 + b" ab\n" + b"y" * 300)
    assert cf.count_words(path, block_bytes=64) == {b"ab": 2, b"z" * 5000: 1, b"y" * 300: 1}


def test_byte_classes_are_bytes_split_whitespace():
    for b in range(256):
        assert (cf.BYTE_CLASS[b] != 0) == (bytes([b]).split() == []), b
    assert cf.BYTE_CLASS[ord("\n")] == 2


# --- the same vocabulary, ids and sentences as the list path --------------------------------


@pytest.mark.parametrize("min_count,max_size", [(1, None), (2, None), (3, 40)])
@pytest.mark.parametrize("memory_limit", [None, 0])  # in memory / memory-mapped in the cache
def test_scan_matches_vocabulary_and_prepare_corpus(messy, min_count, max_size, memory_limit,
                                                    tmp_path, monkeypatch):
    monkeypatch.setenv("LESSONS_CACHE_DIR", str(tmp_path / "cache"))
    path, data = messy
    corpus = _as_lists(data)
    vocabulary = Vocabulary.from_corpus(corpus, min_count=min_count, max_size=max_size)
    tokens, starts = prepare_corpus(corpus, vocabulary, max_sentence_length=7)
    scanned = cf.scan_corpus_file(path, min_count=min_count, max_size=max_size,
                                  max_sentence_length=7, memory_limit=memory_limit, block_bytes=50)
    assert scanned.vocabulary.words == vocabulary.words
    np.testing.assert_array_equal(scanned.vocabulary.counts, vocabulary.counts)
    assert scanned.vocabulary.total_words == scanned.total_words == vocabulary.total_words
    assert scanned.tokens.dtype == np.int32
    np.testing.assert_array_equal(scanned.tokens, tokens)
    np.testing.assert_array_equal(scanned.sentence_starts, starts)


def test_scan_with_a_given_vocabulary(messy):
    path, data = messy
    vocabulary = Vocabulary.from_corpus([["w1", "a", "w3", "unseen"]])
    tokens, starts = prepare_corpus(_as_lists(data), vocabulary)
    scanned = cf.scan_corpus_file(path, vocabulary=vocabulary)
    assert scanned.vocabulary is vocabulary
    np.testing.assert_array_equal(scanned.tokens, tokens)
    np.testing.assert_array_equal(scanned.sentence_starts, starts)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_train_corpus_file_is_bit_identical_to_the_list_path(messy, model):
    path, data = messy
    a = train(_as_lists(data), model=model, seed=5, **FAST)
    b = train(corpus_file=path, model=model, seed=5, **FAST)
    assert a.words == b.words
    np.testing.assert_array_equal(a.counts, b.counts)
    assert a.vectors.tobytes() == b.vectors.tobytes()
    assert a.context_vectors.tobytes() == b.context_vectors.tobytes()
    assert a.history.loss == b.history.loss


def test_text8_format_file_is_cut_like_the_list_path(tmp_path):
    """One 25,000-word line (text8 format) is cut into 10,000-token sentences, as a list is."""
    rng = np.random.default_rng(1)
    words = [f"t{int(i)}" for i in rng.zipf(1.3, 25_000) % 500]
    path = tmp_path / "text8like"
    path.write_bytes((" " + " ".join(words)).encode())
    scanned = cf.scan_corpus_file(path, min_count=2)
    vocabulary = Vocabulary.from_corpus(words, min_count=2)
    tokens, starts = prepare_corpus(words, vocabulary)
    np.testing.assert_array_equal(scanned.tokens, tokens)
    np.testing.assert_array_equal(scanned.sentence_starts, starts)
    assert len(starts) - 1 == 3  # 10,000 + 10,000 + the rest
    a = train(words, seed=2, **FAST)
    b = train(corpus_file=path, seed=2, **FAST)
    assert a.vectors.tobytes() == b.vectors.tobytes()


def test_gz_file_is_read_like_the_plain_file(messy, tmp_path):
    path, data = messy
    zipped = tmp_path / "messy.txt.gz"
    with gzip.open(zipped, "wb") as f:
        f.write(data)
    a = train(corpus_file=path, seed=1, **FAST)
    b = train(corpus_file=zipped, seed=1, **FAST)
    assert a.words == b.words and a.vectors.tobytes() == b.vectors.tobytes()


def test_text8_file_holds_the_words_of_text8(tmp_path, monkeypatch, tiny_text8):
    monkeypatch.setenv("LESSONS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LESSONS_DATA_DIR", raising=False)
    for n in (1, 999, None):
        path = text8_file(n, data_dir=tiny_text8)
        assert path.parent == tmp_path / "cache"
        assert [w.decode() for w in path.read_bytes().split()] == text8(n, data_dir=tiny_text8)
        assert text8_file(n, data_dir=tiny_text8) == path  # cached
    a = train(text8(3000, data_dir=tiny_text8), seed=0, **FAST)
    b = train(corpus_file=text8_file(3000, data_dir=tiny_text8), seed=0, **FAST)
    assert a.vectors.tobytes() == b.vectors.tobytes()
    with pytest.raises(ValueError, match="max_words"):
        text8_file(10**9, data_dir=tiny_text8)


def test_progress_bar_runs(messy, capsys):
    path, _ = messy
    train(corpus_file=path, progress=True, **FAST)
    err = capsys.readouterr().err
    assert "reading messy.txt" in err and "word" in err


# --- bad input: a clear error naming the file ----------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.txt"):
        train(corpus_file=tmp_path / "nowhere.txt")


@pytest.mark.parametrize("content", [b"", b" \n\t\n  "])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="empty.txt.*empty"):
        train(corpus_file=path)


def test_no_word_reaches_min_count(tmp_path):
    path = tmp_path / "rare.txt"
    path.write_bytes(b"every word here is different\n")
    with pytest.raises(ValueError, match="rare.txt.*min_count=5"):
        train(corpus_file=path, min_count=5)


def test_no_word_in_the_given_vocabulary(tmp_path):
    path = tmp_path / "other.txt"
    path.write_bytes(b"cat dog cat dog\n")
    vocabulary = Vocabulary.from_corpus([["king", "queen"]])
    with pytest.raises(ValueError, match="other.txt.*no word in the vocabulary"):
        train(corpus_file=path, vocabulary=vocabulary)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("caf\xe9 caf\xe9 tea\n".encode("latin-1"))
    with pytest.raises(ValueError, match="latin1.txt.*UTF-8"):
        train(corpus_file=path, min_count=1)


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(ValueError, match="not a file"):
        train(corpus_file=tmp_path)


def test_corpus_and_corpus_file_exclude_each_other(messy):
    path, data = messy
    with pytest.raises(ValueError, match="exactly one of corpus"):
        train(_as_lists(data), corpus_file=path)
    with pytest.raises(ValueError, match="exactly one of corpus"):
        train()


# --- several scanning threads: the same result as one ------------------------------------


def _scan_both(path, monkeypatch, workers, **kwargs):
    monkeypatch.setattr(cf, "_MIN_PART_BYTES", 1)  # cut even a tiny file into ranges
    one = cf.scan_corpus_file(path, **kwargs)
    many = cf.scan_corpus_file(path, workers=workers, **kwargs)
    assert many.vocabulary.words == one.vocabulary.words
    np.testing.assert_array_equal(many.vocabulary.counts, one.vocabulary.counts)
    assert many.total_words == one.total_words
    np.testing.assert_array_equal(many.tokens, one.tokens)
    np.testing.assert_array_equal(many.sentence_starts, one.sentence_starts)
    return one


@pytest.mark.parametrize("workers", [2, 3, 7, 64])
@pytest.mark.parametrize("min_count,max_length", [(1, 10_000), (2, 7)])
def test_threads_scan_like_one(messy, workers, min_count, max_length, monkeypatch):
    """Ranges cut mid-line, on a newline, inside the long line; a table merged into one
    that has to grow (tiny starting tables); more threads than words per range."""
    path, data = messy
    monkeypatch.setattr(cf._WordTable.__init__, "__defaults__", (4, 8))
    one = _scan_both(path, monkeypatch, workers, min_count=min_count,
                     max_sentence_length=max_length, block_bytes=64)
    vocabulary = Vocabulary.from_corpus(_as_lists(data), min_count=min_count)
    assert one.vocabulary.words == vocabulary.words


@pytest.mark.parametrize("text", [
    b"a b c d e f g h i j k l m n o p q r s t u v w x y z " * 3,  # every range short
    b"x" * 500 + b" y\n" + b"z" * 400,  # ranges that cannot be cut: fewer of them
    b"\n\n\n a \n\n b\n",  # ranges of nothing but newlines
    b"same same same same same same same same same same\n" * 20,
    "déjà vu naïve café déjà\n".encode() * 30,
])
def test_threads_scan_edge_cases(tmp_path, text, monkeypatch):
    path = tmp_path / "edge.txt"
    path.write_bytes(text)
    _scan_both(path, monkeypatch, 5, min_count=1, max_sentence_length=4, block_bytes=16)


def test_threads_scan_with_a_given_vocabulary(messy, monkeypatch):
    path, _ = messy
    vocabulary = Vocabulary.from_corpus([["w1", "a", "w3", "unseen"]])
    _scan_both(path, monkeypatch, 4, vocabulary=vocabulary)


def test_part_bounds_cut_after_whitespace(messy, monkeypatch):
    path, data = messy
    monkeypatch.setattr(cf, "_MIN_PART_BYTES", 1 << 20)
    bounds = cf._part_bounds(path, len(data), 6)
    assert bounds[0] == 0 and bounds[-1] == len(data) and bounds == sorted(set(bounds))
    assert len(bounds) == 7
    for b in bounds[1:-1]:
        assert data[b - 1:b].isspace() and b > 0


def test_a_gz_file_is_scanned_by_one_thread(messy, tmp_path, monkeypatch):
    path, data = messy
    gz = tmp_path / "messy.txt.gz"
    gz.write_bytes(gzip.compress(data))
    monkeypatch.setattr(cf, "_MIN_PART_BYTES", 1)
    monkeypatch.setattr(cf, "_scan_parts", None)  # would raise if called
    scanned = cf.scan_corpus_file(gz, workers=4)
    assert scanned.total_words == len(data.split())


def test_train_corpus_file_with_threads_counts_like_one(messy, monkeypatch):
    """train(workers=2) scans with two threads; the vocabulary and counts are the same."""
    path, _ = messy
    monkeypatch.setattr(cf, "_MIN_PART_BYTES", 1)
    calls = []
    original = cf._scan_parts
    monkeypatch.setattr(cf, "_scan_parts", lambda *a, **k: calls.append(1) or original(*a, **k))
    a = train(corpus_file=path, workers=1, seed=5, **FAST)
    b = train(corpus_file=path, workers=2, seed=5, **FAST)
    assert calls == [1]
    assert a.words == b.words
    np.testing.assert_array_equal(a.counts, b.counts)


def test_threads_move_one_progress_bar_to_the_file_size(messy, monkeypatch):
    path, _ = messy
    monkeypatch.setattr(cf, "_MIN_PART_BYTES", 1)
    moved = []

    class Bar:
        def __init__(self, **kwargs):
            self.total = kwargs["total"]

        def update(self, n):
            moved.append(n)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False
    import tqdm.auto
    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    cf.scan_corpus_file(path, workers=3, progress=True, block_bytes=64)
    assert sum(moved) == path.stat().st_size and len(moved) > 3
