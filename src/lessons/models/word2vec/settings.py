"""The arguments of :func:`~lessons.models.word2vec.train`, declared once and checked.

:class:`Settings` is the one declaration of the trainer's settings: every field has its
default, its type and its meaning.  The parameters of ``train``'s docstring are made from
them (:func:`parameters_doc`); its signature writes them out for editors and static tools,
and a test checks that the two agree.
:func:`validate` turns keyword arguments into a frozen :class:`Settings`, with the
``None`` defaults resolved, checking each with :mod:`lessons.checks` (a message names
the argument, says what it must be and what it got).  A value of the wrong type raises
:class:`ArgumentTypeError`, both a ``TypeError`` and a ``ValueError``.

The corpus is checked by :func:`lessons.data.corpus.check_corpus`.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field, fields
from typing import Callable

from lessons import checks
from lessons.checks import ArgumentTypeError
from lessons.data.corpus import Vocabulary

from .tables import MAX_SENTENCE_LENGTH

__all__ = ["MODELS", "DEFAULT_LEARNING_RATE", "MAX_NEGATIVE", "MAX_EPOCHS", "MAX_WORKERS",
           "MAX_NOISE_EXPONENT", "MIN_SUBSAMPLE", "ArgumentTypeError", "Settings", "DEFAULTS",
           "validate", "parameters_doc"]

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


def _option(default, kind: str, doc: str = ""):
    """A field of :class:`Settings`: its default, and its type and meaning for ``train``'s docs."""
    return field(default=default, metadata={"kind": kind, "doc": doc})


@dataclass(frozen=True)
class Settings:
    """Everything :func:`~lessons.models.word2vec.train` was asked to do, except the corpus.

    The one declaration of ``train``'s settings: same names, defaults and meanings as its
    keyword arguments.  Made by :func:`validate`, numbers are plain Python ``int`` /
    ``float`` and ``learning_rate``, ``min_learning_rate`` are resolved.
    """

    model: str = _option("skipgram", '{"skipgram", "cbow"}', "Skip-gram (the centre word "
                         "predicts each context word) or CBOW (the mean of the context words "
                         "predicts the centre word).")
    dim: int = _option(100, "int", "Vector dimension ``d``.")
    window: int = _option(5, "int", "Maximum distance between a word and its contexts (the "
                          "effective window is drawn uniformly in ``1..window`` for every word).")
    negative: int = _option(5, "int >= 1", "Noise words per positive example.")
    noise_exponent: float = _option(0.75, "float",
                                    "Noise distribution ``P(w) ~ count(w) ** noise_exponent``.")
    subsample: float = _option(1e-3, "float >= 0",
                               "Frequent-word subsampling threshold ``t`` (0 disables it).")
    min_count: int = _option(5, "int", "Vocabulary filter: words seen fewer times are dropped "
                             "(ignored when ``vocabulary`` is given).")
    max_vocab: int | None = _option(None, "int or None", "Vocabulary filter: keep at most this "
                                    "many of the most frequent words (ignored when "
                                    "``vocabulary`` is given).")
    epochs: int = _option(5, "int", "Passes over the corpus.")
    learning_rate: float | None = _option(
        None, "float or None", "Starting learning rate; None means the model's default, 0.025 "
        "for skip-gram and 0.05 for CBOW (word2vec.c's defaults; gensim uses 0.025 for both).")
    min_learning_rate: float | None = _option(
        None, "float or None", "Floor of the linear decay; None means ``learning_rate * 1e-4``.")
    workers: int = _option(1, "int", "Threads (Hogwild).  Only ``workers=1`` is "
                           "bit-reproducible.  They also scan a plain ``corpus_file`` "
                           "(the vocabulary and ids are the same for any number).")
    seed: int = _option(0, "int", "Seeds the initial vectors and every chunk's random stream.")
    progress: bool = _option(False, "bool", "Show tqdm progress bars: the bytes read from "
                             "``corpus_file``, then the words trained (words/s and time left).")
    vocabulary: Vocabulary | None = _option(
        None, "lessons.data.corpus.Vocabulary or None",
        "Reuse this vocabulary (its order, counts and noise distribution).")
    on_epoch_end: Callable | None = _option(
        None, "callable ``(epoch, embeddings) -> None`` or None",
        "Called after each epoch (1-based) with a snapshot (copied vectors).")


#: ``{name: default}`` of every setting, in declaration order.
DEFAULTS = {f.name: f.default for f in fields(Settings)}


def validate(**arguments) -> Settings:
    """Check ``train``'s keyword arguments (any subset of :data:`DEFAULTS`), resolve defaults.

    Returns
    -------
    Settings

    Raises
    ------
    TypeError
        For a keyword that is not a setting.
    ValueError
        Naming the first bad argument (:class:`ArgumentTypeError`, also a
        ``TypeError``, when its type is wrong).
    """
    unknown = [name for name in arguments if name not in DEFAULTS]
    if unknown:
        raise TypeError(f"train() got an unexpected keyword argument {unknown[0]!r}")
    a = {**DEFAULTS, **arguments}
    model = checks.choice("model", a["model"], MODELS)
    learning_rate = checks.number("learning_rate", a["learning_rate"] if a["learning_rate"]
                                  is not None else DEFAULT_LEARNING_RATE[model], 0, strict=True)
    min_learning_rate = a["min_learning_rate"]
    min_learning_rate = checks.number(
        "min_learning_rate", learning_rate * 1e-4 if min_learning_rate is None
        else min_learning_rate, 0, learning_rate, why=" (it must not exceed learning_rate)")
    subsample = checks.number("subsample", a["subsample"], 0)
    if subsample != 0 and not MIN_SUBSAMPLE <= subsample <= 1:
        raise ValueError(
            f"subsample must be 0 (no subsampling) or a frequency threshold between "
            f"{MIN_SUBSAMPLE:g} and 1 (word2vec uses 1e-3 to 1e-5; words more frequent than "
            f"it are dropped at random), got {subsample!r}")
    return Settings(
        model=model,
        dim=checks.integer("dim", a["dim"], 1),
        window=checks.integer("window", a["window"], 1, MAX_SENTENCE_LENGTH,
                              why_high=" (the longest sentence)"),
        negative=checks.integer(
            "negative", a["negative"], 1, MAX_NEGATIVE,
            why_low=": this trainer uses negative sampling only (no hierarchical softmax), so "
                    "negative=0 would leave only positive examples; for the full softmax use "
                    "lessons.models.softmax.train_softmax"),
        noise_exponent=checks.number(
            "noise_exponent", a["noise_exponent"], -MAX_NOISE_EXPONENT, MAX_NOISE_EXPONENT,
            why=f" (word2vec uses 0.75; 0 is the uniform distribution, 1 the word frequencies; "
                f"beyond ±{MAX_NOISE_EXPONENT:g} count ** noise_exponent overflows)"),
        subsample=subsample,
        min_count=checks.integer("min_count", a["min_count"], 1),
        max_vocab=None if a["max_vocab"] is None else checks.integer("max_vocab",
                                                                     a["max_vocab"], 1),
        epochs=checks.integer("epochs", a["epochs"], 1, MAX_EPOCHS),
        learning_rate=learning_rate,
        min_learning_rate=min_learning_rate,
        workers=checks.integer("workers", a["workers"], 1, MAX_WORKERS),
        seed=checks.integer("seed", a["seed"], 0),
        progress=checks.flag("progress", a["progress"]),
        vocabulary=checks.optional("vocabulary", a["vocabulary"], Vocabulary),
        on_epoch_end=checks.function("on_epoch_end", a["on_epoch_end"]),
    )


def parameters_doc(indent: str = "    ") -> str:
    """The settings as the numpydoc ``Parameters`` entries of ``train``'s docstring."""
    lines = []
    for f in fields(Settings):
        lines.append(f"{indent}{f.name} : {f.metadata['kind']}")
        lines += textwrap.wrap(f.metadata["doc"], 88 - 2 * len(indent),
                               initial_indent=2 * indent, subsequent_indent=2 * indent,
                               break_on_hyphens=False)
    return "\n".join(lines)
