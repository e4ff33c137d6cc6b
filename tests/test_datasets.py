import gzip
import hashlib
import io
import zipfile

import pytest

from lessons.data import datasets
from tests.conftest import write_gz


def test_read_text8_format_reads_only_what_it_needs():
    text = b" " + b" ".join(b"word%d" % i for i in range(300_000))
    stream = io.BytesIO(text)
    words = datasets.read_text8_format(stream, max_words=10)
    assert words == [f"word{i}" for i in range(10)]
    assert stream.tell() <= 2 * datasets._CHUNK  # did not read the whole stream
    assert len(datasets.read_text8_format(io.BytesIO(text))) == 300_000


def test_word_split_across_chunk_boundaries_is_kept_whole():
    words = [("x" * (i % 13 + 1)) for i in range(250_000)]
    text = (" " + " ".join(words)).encode()
    assert datasets.read_text8_format(io.BytesIO(text)) == words


def test_text8_from_data_dir_argument(isolated_env, tiny_text8):
    words = datasets.text8(max_words=100, data_dir=tiny_text8.parent)
    assert words[:3] == ["w0", "w1", "w2"] and len(words) == 100
    assert datasets.text8(max_words=5, data_dir=tiny_text8) == ["w0", "w1", "w2", "w3", "w4"]


def test_text8_from_environment_variable_and_prefix(isolated_env, monkeypatch):
    folder = isolated_env / "data"
    folder.mkdir()
    write_gz(folder / "text8-prefix.gz", " alpha beta gamma")
    monkeypatch.setenv("LESSONS_DATA_DIR", str(folder))
    assert datasets.text8() == ["alpha", "beta", "gamma"]


def test_full_copy_preferred_over_prefix(isolated_env, monkeypatch, tiny_text8):
    write_gz(isolated_env / "text8-prefix.gz", " prefix words")
    monkeypatch.setenv("LESSONS_DATA_DIR", str(isolated_env))
    (isolated_env / "cache").mkdir()
    tiny_text8.rename(isolated_env / "cache" / "text8")
    assert datasets.text8(max_words=1) == ["w0"]


def test_asking_more_than_the_prefix_holds_says_what_to_do(isolated_env):
    write_gz(isolated_env / "text8-prefix.gz", " a b c")
    with pytest.raises(ValueError, match="holds only 2,139,748 words.*download_text8"):
        datasets.text8(max_words=3_000_000, data_dir=isolated_env)


@pytest.mark.parametrize("bad", [0, -5, 2.5, True])
def test_bad_max_words(bad, isolated_env, tiny_text8):
    with pytest.raises(ValueError, match="max_words"):
        datasets.text8(max_words=bad, data_dir=tiny_text8)


def test_missing_data_dir_is_a_clear_error(isolated_env):
    with pytest.raises(FileNotFoundError, match="data_dir"):
        datasets.text8(data_dir=isolated_env / "nope")


def test_nothing_found_and_no_download(isolated_env):
    with pytest.raises(FileNotFoundError, match="no copy of text8"):
        datasets.find_text8(download=False)


def _fake_zip(path, text: bytes):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("text8", text)


def test_verify_rejects_wrong_size_and_corrupt_files(tmp_path):
    small = tmp_path / "text8.zip"
    _fake_zip(small, b" a b c")
    with pytest.raises(ValueError, match="expected 31,344,016"):
        datasets.verify_text8_zip(small)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"\0" * datasets.TEXT8_ZIP_BYTES)
    with pytest.raises(ValueError, match="not a valid text8.zip"):
        datasets.verify_text8_zip(junk)


def test_partial_download_is_never_kept(isolated_env, monkeypatch):
    """A download that fails verification leaves no text8.zip and no .part file behind."""

    class FakeResponse(io.BytesIO):
        headers = {"Content-Length": "6"}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(datasets.urllib.request, "urlopen",
                        lambda url, timeout: FakeResponse(b"abcdef"))
    target = isolated_env / "dl"
    with pytest.raises(ValueError, match="incomplete or wrong file"):
        datasets.download_text8(target, progress=False)
    assert list(target.iterdir()) == []


def test_real_prefix_matches_its_checksum(real_data_dir):
    with gzip.open(real_data_dir / "text8-prefix.gz", "rb") as f:
        data = f.read()
    assert len(data) == datasets.TEXT8_PREFIX_BYTES
    assert hashlib.sha256(data).hexdigest() == datasets.TEXT8_PREFIX_SHA256
    words = datasets.text8(max_words=2_000_000, data_dir=real_data_dir)
    assert len(words) == 2_000_000
    assert words[:6] == ["anarchism", "originated", "as", "a", "term", "of"]


def test_gutenberg8_reads_from_the_data_dir(isolated_env):
    write_gz(isolated_env / "gutenberg8.gz", " it was the best of times")
    assert datasets.gutenberg8(max_words=3, data_dir=isolated_env) == ["it", "was", "the"]
    with pytest.raises(FileNotFoundError, match="LESSONS_DATA_DIR"):
        datasets.gutenberg8(data_dir=isolated_env / "elsewhere")
