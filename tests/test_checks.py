"""lessons.checks, the one place arguments are checked, and lessons.timing, the one timer."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from lessons import checks, timing
from lessons.checks import ArgumentTypeError


def test_a_wrong_type_is_both_a_type_error_and_a_value_error():
    assert issubclass(ArgumentTypeError, TypeError) and issubclass(ArgumentTypeError, ValueError)


def test_describe_cuts_long_values_and_names_the_type():
    assert checks.describe("2.5") == "'2.5' (of type str)"
    long = checks.describe(list(range(100)))
    assert long.startswith("[0, 1, 2") and "..." in long and long.endswith("(of type list)")


@pytest.mark.parametrize("value", [3, np.int64(3), np.uint8(3)])
def test_integer_accepts_python_and_numpy_integers_and_returns_int(value):
    out = checks.integer("dim", value, 1, 10)
    assert out == 3 and type(out) is int


@pytest.mark.parametrize("value, error, message", [
    (True, ArgumentTypeError, r"dim must be an integer >= 1, got True \(of type bool\)"),
    (np.bool_(True), ArgumentTypeError, "dim must be an integer"),
    (2.0, ArgumentTypeError, r"got 2\.0 \(of type float\)"),
    ("3", ArgumentTypeError, "of type str"),
    (0, ValueError, "dim must be an integer >= 1, got 0: why"),
    (11, ValueError, "dim must be at most 10 .the top., got 11"),
])
def test_integer_refuses_with_the_name_the_bound_and_the_value(value, error, message):
    with pytest.raises(error, match=message):
        checks.integer("dim", value, 1, 10, why_low=": why", why_high=" (the top)")


def test_integer_without_bounds_takes_any_integer():
    assert checks.integer("n", -(10 ** 30)) == -(10 ** 30)


def test_number_accepts_reals_and_returns_float():
    assert checks.number("rate", 1) == 1.0 and type(checks.number("rate", 1)) is float
    assert checks.number("rate", np.float32(0.5), 0, 1) == 0.5
    assert checks.number("rate", 0, 0) == 0.0  # the minimum itself, unless strict


@pytest.mark.parametrize("value, kwargs, error, message", [
    (math.nan, {}, ValueError, "rate must be a finite number, got nan"),
    (math.inf, {"minimum": 0}, ValueError, "rate must be a finite number >= 0, got inf"),
    (10 ** 400, {}, ValueError, "got inf"),  # an int beyond float range
    (0, {"minimum": 0, "strict": True}, ValueError, "rate must be a finite number > 0, got 0.0"),
    (2, {"minimum": 0, "maximum": 1}, ValueError, r"in \[0, 1\], got 2\.0; why"),
    (True, {}, ArgumentTypeError, "of type bool"),
    ("0.1", {}, ArgumentTypeError, "of type str"),
    (None, {}, ArgumentTypeError, "of type NoneType"),
])
def test_number_refuses_with_the_name_and_the_range(value, kwargs, error, message):
    with pytest.raises(error, match=message):
        checks.number("rate", value, why="; why", **kwargs)


def test_choice_compares_value_and_type():
    assert checks.choice("model", "cbow", ("skipgram", "cbow")) == "cbow"
    with pytest.raises(ValueError, match="model must be one of 'skipgram', 'cbow', got 'CBOW'"):
        checks.choice("model", "CBOW", ("skipgram", "cbow"))
    with pytest.raises(ValueError, match="of type bool"):
        checks.choice("k", True, (1, 2))  # True == 1, but it is not one of the choices


def test_flag_takes_bools_and_0_1_only():
    assert checks.flag("progress", 1) is True and checks.flag("progress", np.bool_(False)) is False
    for bad in ("no", 2, None):
        with pytest.raises(ArgumentTypeError, match="progress must be True or False"):
            checks.flag("progress", bad)


def test_optional_and_function():
    assert checks.optional("p", None, Path) is None
    assert checks.optional("p", Path("x"), Path) == Path("x")
    with pytest.raises(ArgumentTypeError, match=r"p must be a pathlib\.Path or None"):
        checks.optional("p", "x", Path)
    assert checks.function("f", len) is len and checks.function("f", None) is None
    with pytest.raises(ArgumentTypeError, match="f must be callable or None"):
        checks.function("f", 3)


def test_array_converts_and_keeps_or_sets_the_dtype():
    out = checks.array("x", [1, 2])
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0]
    kept = np.zeros(3, dtype=np.float32)
    assert checks.array("x", kept, dtype=None) is kept


@pytest.mark.parametrize("value, kwargs, error, message", [
    ("abc", {}, ArgumentTypeError, "x must be an array of numbers, got 'abc'"),
    ({"a": 1}, {}, ArgumentTypeError, "x must be an array of numbers"),
    ([[1, 2], [3]], {}, ArgumentTypeError, "x must be an array of numbers"),  # ragged
    (["a", "b"], {"dtype": None}, ArgumentTypeError, "dtype <U1"),
    ([1, 2], {"ndim": 2}, ValueError, r"x must be a 2-d array, got an array of shape \(2,\)"),
    (np.zeros((0, 3)), {"min_rows": 1}, ValueError, r"at least 1 rows, got shape \(0, 3\)"),
    (np.zeros((2, 3)), {"columns": 4}, ValueError, r"x must have 4 columns .*shape \(2, 3\)"),
    ([[1, 2], [3, math.nan]], {}, ValueError, r"x holds nan at index \(1, 1\)"),
    (math.inf, {}, ValueError, "x is inf: it must be a finite number"),
])
def test_array_refuses_with_the_name_and_what_is_wrong(value, kwargs, error, message):
    with pytest.raises(error, match=message):
        checks.array("x", value, **kwargs)


def test_array_can_let_non_finite_values_through():
    assert np.isnan(checks.array("x", [math.nan], finite=False)[0])


def test_matrix_is_a_two_dimensional_array():
    assert checks.matrix("X", [[1, 2]]).shape == (1, 2)
    with pytest.raises(ValueError, match=r"X must be an \(n, d\) matrix, got an array of shape"):
        checks.matrix("X", [1, 2])


def test_words_refuses_a_bare_string_and_non_str_items():
    assert checks.words("words", ("a", "b")) == ["a", "b"]
    with pytest.raises(ArgumentTypeError, match="words must be a list of str words, got 'abc'"):
        checks.words("words", "abc")
    with pytest.raises(ArgumentTypeError, match=r"words\[1\] is 3 \(of type int\)"):
        checks.words("words", ["a", 3])


def test_path_expands_and_checks_the_file(tmp_path):
    file = tmp_path / "f.txt"
    file.write_text("x")
    assert checks.path("corpus_file", str(file)) == file
    assert checks.path("out", tmp_path / "new.txt", must_exist=False) == tmp_path / "new.txt"
    assert checks.path("out", "~/x", must_exist=False) == Path.home() / "x"
    with pytest.raises(FileNotFoundError, match="corpus_file: no such file"):
        checks.path("corpus_file", tmp_path / "missing")
    with pytest.raises(IsADirectoryError, match="is a folder, not a file"):
        checks.path("corpus_file", tmp_path)
    for bad in (None, b"f.txt", "", 3):
        with pytest.raises(ArgumentTypeError, match="corpus_file must be a file path"):
            checks.path("corpus_file", bad)


def test_memory_refuses_what_would_not_fit(monkeypatch):
    monkeypatch.setattr(checks, "available_memory_bytes", lambda: 10 * 2 ** 30)
    checks.memory(8 * 2 ** 30, "the matrix", "lower dim")  # 80 %: allowed
    with pytest.raises(ValueError, match=r"the matrix needs 9\.0 GiB but only 10\.0 GiB .*: "
                                         "lower dim"):
        checks.memory(9 * 2 ** 30, "the matrix", "lower dim")


def test_available_memory_is_a_positive_number_of_bytes():
    assert checks.available_memory_bytes() > 0


def test_random_state_takes_a_seed_a_generator_or_none():
    rng = np.random.default_rng(1)
    assert checks.random_state("rng", rng) is rng
    assert checks.random_state("rng", 3).random() == np.random.default_rng(3).random()
    assert checks.random_state("rng", np.int64(3)).random() == np.random.default_rng(3).random()
    assert isinstance(checks.random_state("rng", None), np.random.Generator)
    for bad in ("3", 1.5, True, np.random.RandomState(0)):
        with pytest.raises(ArgumentTypeError, match="rng must be a numpy.random.Generator, a seed"):
            checks.random_state("rng", bad)
    with pytest.raises(ValueError, match="rng must be an integer >= 0, got -1"):
        checks.random_state("rng", -1)


def test_best_seconds_is_the_minimum_of_the_runs(monkeypatch):
    clock = iter([0.0, 5.0, 10.0, 12.0, 20.0, 23.0])  # runs of 5, 2 and 3 s
    monkeypatch.setattr(timing.time, "perf_counter", lambda: next(clock))
    calls = []
    assert timing.best_seconds(lambda: calls.append(1), repeats=3) == 2.0
    assert len(calls) == 3


def test_best_seconds_checks_repeats():
    with pytest.raises(ValueError, match="repeats must be an integer >= 1, got 0"):
        timing.best_seconds(lambda: None, repeats=0)


# ------------------------------------------------------------------ output_path, atomic_file

def _write(path, data=b"new\n", **kwargs):
    with checks.atomic_file("path", path, **kwargs) as out:
        out.write(data)


def test_atomic_file_writes_a_symlinks_target_and_keeps_the_link(tmp_path):
    (tmp_path / "run42.vec").write_bytes(b"old\n")
    (tmp_path / "latest.vec").symlink_to("run42.vec")
    _write(tmp_path / "latest.vec")
    assert (tmp_path / "latest.vec").is_symlink()
    assert (tmp_path / "run42.vec").read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.vec", "run42.vec"]


def test_atomic_file_follows_a_dangling_link_as_open_does(tmp_path):
    (tmp_path / "link").symlink_to("made.vec")
    _write(tmp_path / "link")
    assert (tmp_path / "link").is_symlink() and (tmp_path / "made.vec").read_bytes() == b"new\n"


def test_atomic_file_keeps_the_permission_bits(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes(b"old\n")
    path.chmod(0o600)
    _write(path)
    assert path.read_bytes() == b"new\n" and (path.stat().st_mode & 0o7777) == 0o600


def test_atomic_file_gives_a_new_file_the_umask_mode(tmp_path):
    import os
    old = os.umask(0o027)
    try:
        _write(tmp_path / "v.txt")
    finally:
        os.umask(old)
    assert ((tmp_path / "v.txt").stat().st_mode & 0o7777) == 0o640


def test_atomic_file_refuses_a_fifo_and_a_folder(tmp_path):
    import os
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(ValueError, match=r"path: .*fifo.* not a regular file"):
        _write(tmp_path / "fifo")
    with pytest.raises(IsADirectoryError, match=r"path: .* is a folder"):
        _write(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"path: .*nope.* does not exist"):
        _write(tmp_path / "nope" / "v.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def test_atomic_file_errors_name_the_given_path_not_the_temporary_file(tmp_path):
    import os
    given = "/proc/version"  # a folder nobody may create files in, even root
    with pytest.raises(OSError) as caught:
        _write(given)
    assert caught.value.filename == given and ".tmp" not in str(caught.value)
    if os.geteuid() != 0:  # root writes into a read-only folder anyway
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        with pytest.raises(PermissionError) as caught:
            _write(folder / "v.txt")
        assert caught.value.filename == str(folder / "v.txt")


def test_atomic_file_failure_keeps_the_old_file_and_leaves_nothing(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes(b"old\n")
    with pytest.raises(RuntimeError, match="half-way"):
        with checks.atomic_file("path", path) as out:
            out.write(b"partial")
            raise RuntimeError("half-way")

    def refuse(tmp):
        assert tmp.read_bytes() == b"checked"
        raise ValueError("bad download")

    with pytest.raises(ValueError, match="bad download"):
        _write(path, b"checked", verify=refuse)
    assert path.read_bytes() == b"old\n" and [p.name for p in tmp_path.iterdir()] == ["v.txt"]


@pytest.mark.parametrize("value", [None, 3, b"v.txt", ""])
def test_output_path_refuses_what_is_not_a_path(value):
    with pytest.raises(ArgumentTypeError, match="out must be a file path"):
        checks.output_path("out", value)
