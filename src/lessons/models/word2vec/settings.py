"""Settings validation: the arguments of :func:`~lessons.models.word2vec.train`, checked once.

:func:`validate` turns the keyword arguments into a frozen :class:`Settings`, with the
``None`` defaults resolved.  Every check is a small ``_check_*`` helper that raises
``ValueError`` naming the argument, so the rest of the trainer can trust its inputs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from lessons.data.corpus import Vocabulary

from .tables import MAX_SENTENCE_LENGTH

__all__ = ["MODELS", "DEFAULT_LEARNING_RATE", "MAX_NEGATIVE", "Settings", "validate"]

MODELS = ("skipgram", "cbow")
DEFAULT_LEARNING_RATE = {"skipgram": 0.025, "cbow": 0.05}  # word2vec.c's defaults
MAX_NEGATIVE = 10_000  # noise words per example; more is surely a mistake


@dataclass(frozen=True)
class Settings:
    """Everything :func:`~lessons.models.word2vec.train` was asked to do, except the corpus.

    Same names and meanings as the arguments of ``train``; numbers are plain Python
    ``int`` / ``float`` and ``learning_rate``, ``min_learning_rate`` are resolved.
    """

    model: str
    dim: int
    window: int
    negative: int
    noise_exponent: float
    subsample: float
    min_count: int
    max_vocab: int | None
    epochs: int
    learning_rate: float
    min_learning_rate: float
    workers: int
    seed: int
    progress: bool
    vocabulary: Vocabulary | None
    on_epoch_end: Callable | None


def validate(*, model, dim, window, negative, noise_exponent, subsample, min_count, max_vocab,
             epochs, learning_rate, min_learning_rate, workers, seed, progress, vocabulary,
             on_epoch_end) -> Settings:
    """Check the arguments of ``train`` and resolve their defaults.

    Returns
    -------
    Settings

    Raises
    ------
    ValueError
        Naming the first bad argument.
    """
    model = _check_choice("model", model, MODELS)
    if learning_rate is None:
        learning_rate = DEFAULT_LEARNING_RATE[model]
    learning_rate = _check_number("learning_rate", learning_rate, 0, strict=True)
    if min_learning_rate is None:
        min_learning_rate = learning_rate * 1e-4
    min_learning_rate = _check_number("min_learning_rate", min_learning_rate, 0, strict=True)
    _check_not_above("min_learning_rate", min_learning_rate, "learning_rate", learning_rate)
    return Settings(
        model=model,
        dim=_check_int("dim", dim, 1),
        window=_check_int("window", window, 1, MAX_SENTENCE_LENGTH,
                          why_high=" (the longest sentence)"),
        negative=_check_int(
            "negative", negative, 1, MAX_NEGATIVE,
            why_low=": this trainer uses negative sampling only (no hierarchical softmax), so "
                    "negative=0 would leave only positive examples; for the full softmax use "
                    "lessons.models.softmax.train_softmax"),
        noise_exponent=_check_number("noise_exponent", noise_exponent),
        subsample=_check_number("subsample", subsample, 0),
        min_count=_check_int("min_count", min_count, 1),
        max_vocab=None if max_vocab is None else _check_int("max_vocab", max_vocab, 1),
        epochs=_check_int("epochs", epochs, 1),
        learning_rate=learning_rate,
        min_learning_rate=min_learning_rate,
        workers=_check_int("workers", workers, 1),
        seed=_check_int("seed", seed, 0),
        progress=bool(progress),
        vocabulary=_check_instance("vocabulary", vocabulary, Vocabulary),
        on_epoch_end=_check_callable("on_epoch_end", on_epoch_end),
    )


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def _check_int(name, value, minimum, maximum=None, *, why_low="", why_high=""):
    """An integer (not a bool) in ``minimum..maximum``, returned as a Python int."""
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}{why_low}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}{why_high}, got {value}")
    return int(value)


def _check_number(name, value, minimum=None, *, strict=False):
    """A finite real number (not a bool), ``>= minimum`` (``>`` if ``strict``), as a float."""
    ok = (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
          and math.isfinite(value))
    bound = ""
    if minimum is not None:
        bound = f" {'>' if strict else '>='} {minimum}"
        ok = ok and (value > minimum if strict else value >= minimum)
    if not ok:
        raise ValueError(f"{name} must be a finite number{bound}, got {value!r}")
    return float(value)


def _check_not_above(name, value, other_name, other):
    if value > other:
        raise ValueError(f"{name} ({value}) must not exceed {other_name} ({other})")


def _check_instance(name, value, cls):
    """``None`` or an instance of ``cls``."""
    if value is not None and not isinstance(value, cls):
        raise ValueError(f"{name} must be a {cls.__module__}.{cls.__qualname__} or None, "
                         f"got {type(value).__name__}")
    return value


def _check_callable(name, value):
    """``None`` or a callable."""
    if value is not None and not callable(value):
        raise ValueError(f"{name} must be callable or None, got {type(value).__name__}")
    return value
