"""Input checks: the arguments of :func:`~lessons.models.word2vec.train`, and its corpus.

:func:`validate` turns the keyword arguments into a frozen :class:`Settings`, with the
``None`` defaults resolved.  Every check is a small ``_check_*`` helper whose message
names the argument, says what it must be and what it got, so the rest of the trainer
can trust its inputs.  A value of the wrong type raises :class:`ArgumentTypeError`,
which is both a ``TypeError`` (Python's convention) and a ``ValueError`` (what every
other bad argument raises, so one ``except ValueError`` catches them all).

:func:`check_corpus` checks the corpus's shape and token types before it is counted,
and says which sentence and position hold a bad token.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable

import numpy as np

from lessons.data.corpus import Vocabulary

from .tables import MAX_SENTENCE_LENGTH

__all__ = ["MODELS", "DEFAULT_LEARNING_RATE", "MAX_NEGATIVE", "MAX_EPOCHS", "MAX_WORKERS",
           "MAX_NOISE_EXPONENT", "MIN_SUBSAMPLE", "ArgumentTypeError", "Settings", "validate",
           "check_corpus"]

MODELS = ("skipgram", "cbow")
DEFAULT_LEARNING_RATE = {"skipgram": 0.025, "cbow": 0.05}  # word2vec.c's defaults
MAX_NEGATIVE = 10_000  # noise words per example; more is surely a mistake
MAX_EPOCHS = 100_000  # passes over the corpus; more is surely a mistake (and never ends)
MAX_WORKERS = 256  # threads; more than any machine this book runs on has cores
# |noise_exponent| <= 10 keeps every count ** exponent, and their sum, finite and nonzero
# in float64 whatever the corpus: counts are below 2**63, and 2**630 * 2**63 words < 2**1023.
MAX_NOISE_EXPONENT = 10.0
# Below this, 1 / subsample overflows in the keep-probability formula (it is ~2**-997).
MIN_SUBSAMPLE = 1e-300

_CORPUS_FORMS = ("a list of sentences (lists of str tokens) or one token stream "
                 "(a list of str, like text8)")


class ArgumentTypeError(TypeError, ValueError):
    """An argument or a corpus token of the wrong type (a ``TypeError`` and a ``ValueError``)."""


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
        Naming the first bad argument (:class:`ArgumentTypeError`, also a
        ``TypeError``, when its type is wrong).
    """
    model = _check_choice("model", model, MODELS)
    if learning_rate is None:
        learning_rate = DEFAULT_LEARNING_RATE[model]
    learning_rate = _check_number("learning_rate", learning_rate, 0, strict=True)
    if min_learning_rate is None:
        min_learning_rate = learning_rate * 1e-4
    min_learning_rate = _check_number("min_learning_rate", min_learning_rate, 0)
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
        noise_exponent=_check_noise_exponent(noise_exponent),
        subsample=_check_subsample(subsample),
        min_count=_check_int("min_count", min_count, 1),
        max_vocab=None if max_vocab is None else _check_int("max_vocab", max_vocab, 1),
        epochs=_check_int("epochs", epochs, 1, MAX_EPOCHS),
        learning_rate=learning_rate,
        min_learning_rate=min_learning_rate,
        workers=_check_int("workers", workers, 1, MAX_WORKERS),
        seed=_check_int("seed", seed, 0),
        progress=_check_flag("progress", progress),
        vocabulary=_check_instance("vocabulary", vocabulary, Vocabulary),
        on_epoch_end=_check_callable("on_epoch_end", on_epoch_end),
    )


def _got(value) -> str:
    """``'2.5' (a str)``: the value, cut short, and its type."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} (of type {type(value).__name__})"


def _check_choice(name, value, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, "
                         f"got {_got(value)}")
    return value


def _check_int(name, value, minimum, maximum=None, *, why_low="", why_high=""):
    """An integer (not a bool) in ``minimum..maximum``, returned as a Python int."""
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise ArgumentTypeError(f"{name} must be an integer >= {minimum}, got {_got(value)}"
                                f"{why_low}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}{why_low}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}{why_high}, got {value:,}")
    return int(value)


def _check_number(name, value, minimum=None, *, strict=False):
    """A finite real number (not a bool), ``>= minimum`` (``>`` if ``strict``), as a float."""
    bound = "" if minimum is None else f" {'>' if strict else '>='} {minimum}"
    if not isinstance(value, (int, float, np.integer, np.floating)) or isinstance(value, bool):
        raise ArgumentTypeError(f"{name} must be a finite number{bound}, got {_got(value)}")
    try:
        value = float(value)
    except OverflowError:  # an int beyond 1.8e308
        value = math.inf
    ok = math.isfinite(value)
    if minimum is not None:
        ok = ok and (value > minimum if strict else value >= minimum)
    if not ok:
        raise ValueError(f"{name} must be a finite number{bound}, got {value!r}")
    return value


def _check_noise_exponent(value):
    """The noise distribution's exponent, in ``[-MAX_NOISE_EXPONENT, MAX_NOISE_EXPONENT]``."""
    value = _check_number("noise_exponent", value)
    if abs(value) > MAX_NOISE_EXPONENT:
        raise ValueError(
            f"noise_exponent must be between -{MAX_NOISE_EXPONENT:g} and {MAX_NOISE_EXPONENT:g} "
            f"(word2vec uses 0.75; 0 is the uniform distribution, 1 the word frequencies; beyond "
            f"±{MAX_NOISE_EXPONENT:g} count ** noise_exponent overflows), got {value!r}")
    return value


def _check_subsample(value):
    """The subsampling threshold: 0 (off) or in ``[MIN_SUBSAMPLE, 1]``."""
    value = _check_number("subsample", value, 0)
    if value != 0 and not MIN_SUBSAMPLE <= value <= 1:
        raise ValueError(
            f"subsample must be 0 (no subsampling) or a frequency threshold between "
            f"{MIN_SUBSAMPLE:g} and 1 (word2vec uses 1e-3 to 1e-5; words more frequent than "
            f"it are dropped at random), got {value!r}")
    return value


def _check_not_above(name, value, other_name, other):
    if value > other:
        raise ValueError(f"{name} ({value}) must not exceed {other_name} ({other})")


def _check_flag(name, value):
    """A bool (or 0 / 1), returned as a bool; ``"no"`` would otherwise count as true."""
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, (int, np.integer))
                                                and value in (0, 1)):
        return bool(value)
    raise ArgumentTypeError(f"{name} must be True or False, got {_got(value)}")


def _check_instance(name, value, cls):
    """``None`` or an instance of ``cls``."""
    if value is not None and not isinstance(value, cls):
        raise ArgumentTypeError(f"{name} must be a {cls.__module__}.{cls.__qualname__} or None, "
                                f"got {_got(value)}")
    return value


def _check_callable(name, value):
    """``None`` or a callable."""
    if value is not None and not callable(value):
        raise ArgumentTypeError(f"{name} must be callable or None, got {_got(value)}")
    return value


# --- the corpus ---------------------------------------------------------------------------

_STREAM_PIECE = 1 << 16  # tokens joined at a time when checking a token stream


def check_corpus(corpus):
    """Check that ``corpus`` is sentences of str tokens (or one token stream); make it re-readable.

    The trainer reads the corpus twice (to count the words, then to encode them), so a
    one-shot iterator, of sentences or of one sentence's tokens, is read into a list
    here.  The token types are checked with ``str.join``, which tests every item in C
    (about 5 % of the time the two passes take); only when it fails are the tokens
    walked in Python to say where the bad one is.

    Parameters
    ----------
    corpus : list of sentences (each a list, tuple, array or iterable of str), or one
        token stream (a list or array of str, or a str split on whitespace)

    Returns
    -------
    The corpus, as given unless something in it could only be read once.

    Raises
    ------
    ValueError
        ``corpus`` is None or holds no token; :class:`ArgumentTypeError` (also a
        ``TypeError``) when ``corpus`` or a sentence is not iterable or a token is not a
        str (the message gives the sentence and the position).
    """
    if corpus is None:
        raise ValueError(f"corpus is None: pass {_CORPUS_FORMS}")
    try:
        iter(corpus)
    except TypeError:
        raise ArgumentTypeError(f"corpus must be {_CORPUS_FORMS}, got {_got(corpus)}") from None
    if iter(corpus) is corpus:  # a one-shot iterator (a generator, a file): read it once
        corpus = list(corpus)
    if _is_token_stream(corpus):
        tokens = corpus.split() if isinstance(corpus, str) else corpus
        for start in range(0, len(tokens), _STREAM_PIECE):
            _check_tokens(tokens[start:start + _STREAM_PIECE], "corpus (one token stream)", start)
        n_tokens = len(tokens)
    else:
        corpus = _readable_sentences(corpus)
        n_tokens = 0
        for s, sentence in enumerate(corpus):
            _check_tokens(sentence, f"corpus sentence {s}", 0)
            n_tokens += len(sentence)
    if n_tokens == 0:
        raise ValueError(f"corpus is empty: it holds no tokens; pass {_CORPUS_FORMS}")
    return corpus


def _is_token_stream(corpus) -> bool:
    """One token stream, as :func:`lessons.data.corpus.iter_sentences` reads it."""
    if isinstance(corpus, str):
        return True
    if isinstance(corpus, np.ndarray):
        if corpus.dtype.kind in "US" and corpus.ndim != 1:
            raise ValueError(f"corpus is a {corpus.ndim}-D array of strings: pass one token "
                             "stream as a 1-D array, or sentences as a list of 1-D arrays")
        return corpus.dtype.kind in "US"
    return isinstance(corpus, Sequence) and len(corpus) > 0 and isinstance(corpus[0], str)


def _readable_sentences(corpus):
    """``corpus`` with every sentence readable twice and sized; checks each is iterable."""
    one_shot = []  # indices of sentences to read into lists
    for s, sentence in enumerate(corpus):
        if isinstance(sentence, str):
            raise ValueError(
                f"corpus mixes strings and sentences: sentence {s} is the str {_got(sentence)}; "
                f"pass {_CORPUS_FORMS}, not a mix")
        if isinstance(sentence, (bytes, bytearray)):
            raise ArgumentTypeError(
                f"corpus sentence {s} is {_got(sentence)}: decode it and split it into str "
                "tokens")
        try:
            if iter(sentence) is sentence or not hasattr(sentence, "__len__"):
                one_shot.append(s)
        except TypeError:
            raise ArgumentTypeError(
                f"corpus sentence {s} is {_got(sentence)}, not a sentence: every sentence must "
                "be a list (or other iterable) of str tokens") from None
    if not one_shot:
        return corpus
    corpus = list(corpus)
    for s in one_shot:
        corpus[s] = list(corpus[s])
    return corpus


def _check_tokens(tokens, where: str, offset: int) -> None:
    """Raise, naming ``where`` and the position, if an item of ``tokens`` is not a str."""
    try:
        "".join(tokens)  # checks every item is a str, in C
        return
    except TypeError:
        pass
    for p, token in enumerate(tokens):
        if not isinstance(token, str):
            raise ArgumentTypeError(
                f"{where}, position {offset + p} holds {_got(token)}, not a str token: every "
                "token must be a str (drop or convert the others)")
