"""Argument checks, written once for the whole library (the bottom layer: imports only numpy).

Every public function of ``lessons`` checks its inputs with these helpers, so a bad
argument always ends in the same kind of message: it names the argument, says what it
must be and what it got.  They return the value converted (a Python ``int``, a
``float``, a float64 array), so the caller goes on with a clean value:

>>> dim = integer("dim", 100, minimum=1)
>>> X = matrix("vectors", [[1.0, 2.0]])          # (1, 2) float64, finite
>>> rng = random_state("rng", 3)                 # a seed or a Generator

A value of the wrong type raises :class:`ArgumentTypeError`, which is both a
``TypeError`` (Python's convention) and a ``ValueError`` (what every other bad argument
raises), so one ``except ValueError`` catches every bad argument.  The style follows
scikit-learn's ``check_array`` and ``check_random_state``.
"""
from __future__ import annotations

import math
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

__all__ = ["ArgumentTypeError", "describe", "integer", "number", "choice", "flag", "optional",
           "function", "array", "matrix", "words", "path", "output_path", "atomic_file",
           "available_memory_bytes", "memory", "random_state"]


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type (a ``TypeError`` and a ``ValueError``)."""


def describe(value) -> str:
    """``'2.5' (of type str)``: the value, cut to 40 characters, and its type."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} (of type {type(value).__name__})"


def _bounds(minimum, maximum, strict: bool = False, strict_max: bool = False) -> str:
    """`` >= 1``, `` in [0, 1)``: the range a message quotes (``strict``: the bound is excluded)."""
    if minimum is not None and maximum is not None:
        return f" in {'(' if strict else '['}{minimum}, {maximum}{')' if strict_max else ']'}"
    if minimum is not None:
        return f" {'>' if strict else '>='} {minimum}"
    return "" if maximum is None else f" {'<' if strict_max else '<='} {maximum}"


def _within(values, minimum, maximum, strict: bool, strict_max: bool) -> bool:
    """Whether every value lies between the bounds (each may be None: no bound)."""
    ok = True
    if minimum is not None:
        ok = np.all(values > minimum) if strict else np.all(values >= minimum)
    if maximum is not None:
        ok = ok and (np.all(values < maximum) if strict_max else np.all(values <= maximum))
    return bool(ok)


def integer(name: str, value, minimum=None, maximum=None, *, why_low: str = "",
            why_high: str = "") -> int:
    """An integer (not a bool) in ``minimum..maximum`` (either may be None), as a Python int.

    ``why_low`` / ``why_high`` are appended to the message when ``value`` is below
    ``minimum`` / above ``maximum``, to say why the bound is there.
    """
    if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)):
        raise ArgumentTypeError(f"{name} must be an integer{_bounds(minimum, None)}, "
                                f"got {describe(value)}{why_low}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}{why_low}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}{why_high}, got {value:,}")
    return int(value)


def number(name: str, value, minimum=None, maximum=None, *, strict: bool = False,
           strict_max: bool = False, why: str = "") -> float:
    """A finite real number (not a bool) in ``[minimum, maximum]``, as a float.

    ``strict=True`` excludes ``minimum`` itself (``> minimum``), ``strict_max=True``
    excludes ``maximum``.  ``why`` is appended to the message of a value out of range.
    """
    bound = _bounds(minimum, maximum, strict, strict_max)
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(
            value, (bool, np.bool_)):
        raise ArgumentTypeError(f"{name} must be a finite number{bound}, got {describe(value)}")
    try:
        value = float(value)
    except OverflowError:  # an int beyond 1.8e308
        value = math.inf
    if not (math.isfinite(value) and _within(value, minimum, maximum, strict, strict_max)):
        raise ValueError(f"{name} must be a finite number{bound}, got {value!r}{why}")
    return value


def choice(name: str, value, choices):
    """One of ``choices`` (compared with ``==``, of the same type)."""
    if not any(type(value) is type(c) and value == c for c in choices):
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, "
                         f"got {describe(value)}")
    return value


def flag(name: str, value) -> bool:
    """A bool (or 0 / 1), as a bool; ``"no"`` would otherwise count as true."""
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, (int, np.integer))
                                                and value in (0, 1)):
        return bool(value)
    raise ArgumentTypeError(f"{name} must be True or False, got {describe(value)}")


def optional(name: str, value, cls):
    """``None`` or an instance of ``cls``."""
    if value is not None and not isinstance(value, cls):
        raise ArgumentTypeError(f"{name} must be a {cls.__module__}.{cls.__qualname__} or None, "
                                f"got {describe(value)}")
    return value


def function(name: str, value):
    """``None`` or a callable."""
    if value is not None and not callable(value):
        raise ArgumentTypeError(f"{name} must be callable or None, got {describe(value)}")
    return value


def array(name: str, value, *, ndim: int | None = None, dtype=np.float64, finite: bool = True,
          min_rows: int = 0, columns: int | None = None, minimum=None, maximum=None,
          strict: bool = False, strict_max: bool = False, what: str = "") -> np.ndarray:
    """``value`` as an array of ``dtype``: its dimensions, size and values checked.

    Parameters
    ----------
    ndim : the number of dimensions it must have (None: any).
    dtype : what it is converted to (None: kept; a non-numeric array is refused).
    finite : refuse nan and inf.
    min_rows : the least length of the first axis.
    columns : the length the last axis must have (None: any).
    minimum, maximum, strict, strict_max : bounds every value must respect, as in
        :func:`number`.
    what : what the array is, for the message (``"an (n, d) matrix"``).
    """
    what = what or (f"a {ndim}-d array" if ndim else "an array")
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise ArgumentTypeError(f"{name} must be {what} of numbers, got {describe(value)}")
    try:
        out = np.asarray(value) if dtype is None else np.asarray(value, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as err:
        raise ArgumentTypeError(f"{name} must be {what} of numbers, got {describe(value)} "
                                f"({err})") from None
    if out.dtype.kind not in "biuf":
        raise ArgumentTypeError(f"{name} must be {what} of numbers, got an array of "
                                f"dtype {out.dtype}")
    if ndim is not None and out.ndim != ndim:
        raise ValueError(f"{name} must be {what}, got an array of shape {out.shape}")
    if min_rows and (out.ndim == 0 or out.shape[0] < min_rows):
        rows = "rows" if out.ndim >= 2 else "entries"
        raise ValueError(f"{name} must be {what} with at least {min_rows} {rows}, got shape "
                         f"{out.shape}")
    if columns is not None and (out.ndim == 0 or out.shape[-1] != columns):
        raise ValueError(f"{name} must have {columns} columns (the dimension), got shape "
                         f"{out.shape}")
    if finite and out.dtype.kind == "f" and not np.isfinite(out).all():
        if out.ndim == 0:
            raise ValueError(f"{name} is {out}: it must be a finite number")
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])
        raise ValueError(f"{name} holds {out[where]} at index {where}: it must hold finite "
                         "numbers")
    if not _within(out, minimum, maximum, strict, strict_max):
        values = "be a number" if out.ndim == 0 else "hold numbers"
        raise ValueError(f"{name} must {values}{_bounds(minimum, maximum, strict, strict_max)}, "
                         f"got {out.tolist() if out.size <= 8 else out}")
    return out


def matrix(name: str, value, **kwargs) -> np.ndarray:
    """:func:`array` with ``ndim=2``: an ``(n, d)`` matrix."""
    kwargs.setdefault("what", "an (n, d) matrix")
    return array(name, value, ndim=2, **kwargs)


def words(name: str, value) -> list[str]:
    """A list of str (a sequence, not a bare str, which would be read letter by letter)."""
    if value is None or isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ArgumentTypeError(f"{name} must be a list of str words, got {describe(value)}")
    out = list(value)
    for i, word in enumerate(out):
        if not isinstance(word, str):
            raise ArgumentTypeError(f"{name}[{i}] is {describe(word)}, not a str word")
    return out


def path(name: str, value, *, must_exist: bool = True) -> Path:
    """A file path (str or os.PathLike), expanded (``~``); with ``must_exist``, a readable file."""
    if not isinstance(value, (str, os.PathLike)) or isinstance(value, bytes) or value == "":
        raise ArgumentTypeError(f"{name} must be a file path (str or pathlib.Path), "
                                f"got {describe(value)}")
    out = Path(value).expanduser()
    if must_exist and not out.exists():
        raise FileNotFoundError(f"{name}: no such file: {str(out)!r}")
    if must_exist and out.is_dir():
        raise IsADirectoryError(f"{name}: {str(out)!r} is a folder, not a file")
    return out


def output_path(name: str, value) -> Path:
    """A file to write: ``value`` (str or os.PathLike) expanded and its symlinks resolved.

    The path returned is the file a write must replace: a symlink is followed (its target
    is written, the link stays).  An existing path that is not a regular file (a folder, a
    FIFO, a device) is refused, as is a path whose folder does not exist.
    """
    if not isinstance(value, (str, os.PathLike)) or isinstance(value, bytes) or value == "":
        raise ArgumentTypeError(f"{name} must be a file path (str or pathlib.Path), "
                                f"got {describe(value)}")
    given = Path(value).expanduser()
    target = Path(os.path.realpath(given))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise FileNotFoundError(f"{name}: cannot write {str(given)!r}: the folder "
                                    f"{str(target.parent)!r} does not exist") from None
        return target
    except OSError as err:
        raise OSError(err.errno, f"{name}: cannot write {str(given)!r}: {err.strerror}",
                      str(given)) from None
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(f"{name}: {str(given)!r} is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise ValueError(f"{name}: {str(given)!r} exists and is not a regular file (a FIFO, "
                         f"a socket or a device): it is not replaced")
    return target


@contextmanager
def atomic_file(name: str, value, *, verify=None):
    """Write the file ``value`` all at once: ``with atomic_file("path", p) as out: out.write(b)``.

    The binary handle ``out`` is a temporary file beside the target (:func:`output_path`:
    symlinks resolved, so a link keeps pointing at the file it names, now updated).  When
    the block ends, the file is flushed and fsynced, ``verify(temporary_path)`` runs (if
    given; it raises to refuse the file), the target's permission bits are copied (a new
    file gets ``0o666`` less the umask, as ``open`` gives) and the file is renamed over the
    target.  If anything fails, the target is untouched and the temporary file removed; an
    ``OSError`` names the path given (``value``), never the temporary file.
    """
    target = output_path(name, value)
    given = str(Path(value).expanduser())
    tmp_name, in_block = None, False
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        with os.fdopen(fd, "wb") as out:
            in_block = True
            yield out
            in_block = False
            out.flush()
            os.fsync(out.fileno())
        if verify is not None:
            in_block = True  # its errors are its own
            verify(Path(tmp_name))
            in_block = False
        os.chmod(tmp_name, _mode_for(target))
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as err:
        # the block's own errors pass, unless one is about the handle (a full disk)
        if in_block and (err.errno is None or err.filename is not None):
            raise
        raise OSError(err.errno, f"{err.strerror} (writing {name})", given) from None
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def _mode_for(target: Path) -> int:
    """The permission bits ``open(target, "w")`` leaves: the file's own, or 0o666 less the
    umask for a new one."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def available_memory_bytes() -> int:
    """Physical memory available now (``os.sysconf``), or a very large number if unknown."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 1 << 62


def memory(needed_bytes: int, what: str, remedy: str) -> None:
    """Refuse to allocate ``needed_bytes`` when that is over 80 % of the memory available.

    The message reads ``"{what} needs X GiB ... but only Y GiB of memory is available:
    {remedy}"``.
    """
    needed_bytes = integer("needed_bytes", needed_bytes, 0)
    available = available_memory_bytes()
    if needed_bytes > 0.8 * available:
        raise ValueError(f"{what} needs {needed_bytes / 2**30:.1f} GiB but only "
                         f"{available / 2**30:.1f} GiB of memory is available: {remedy}")


def random_state(name: str, value) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a Generator, a seed (int >= 0) or None (fresh entropy).

    As scikit-learn's ``check_random_state``: a Generator is used as it is (its stream
    goes on), a seed makes a new one, None an unseeded one.
    """
    if isinstance(value, np.random.Generator):
        return value
    if value is None:
        return np.random.default_rng()
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return np.random.default_rng(integer(name, value, 0))
    raise ArgumentTypeError(f"{name} must be a numpy.random.Generator, a seed (an integer "
                            f">= 0) or None, got {describe(value)}")
