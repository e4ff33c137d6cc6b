"""Property-based fuzz of ``train``'s arguments and corpus (hypothesis).

Every call on a small corpus, with any mix of good and bad arguments, must either
train to finite vectors from at least one example, or raise the library's own
``ValueError`` / ``TypeError`` naming an argument: never another exception, a raw error
from Python or numpy, NaN, or a hang.  Derandomized (the same examples on every run)
and bounded to about 20 seconds.
"""
from __future__ import annotations

import math
import re
import traceback
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import lessons
from lessons.data.corpus import Vocabulary
from lessons.models.word2vec import train

LIBRARY = str(Path(lessons.__file__).parent)
ARGUMENTS = re.compile(r"\b(corpus|model|dim|window|negative|noise_exponent|subsample|min_count|"
                       r"max_vocab|epochs|learning_rate|min_learning_rate|workers|seed|progress|"
                       r"vocabulary|on_epoch_end)\b")
WORDS = ["a", "b", "c", "d", "e"]

junk = st.one_of(st.none(), st.text(max_size=3), st.booleans(), st.just([1]),
                 st.floats(allow_nan=True, allow_infinity=True), st.complex_numbers())
token = st.one_of(st.text(max_size=2), st.none(), st.integers(), st.binary(max_size=2),
                  st.floats(), st.just(["x"]))
sentence = st.one_of(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
                     st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)))
good_corpus = st.one_of(
    st.lists(sentence, min_size=1, max_size=10),  # sentences
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=40),  # one token stream
    st.text(alphabet="ab ", min_size=1, max_size=30))  # one stream, split on whitespace
bad_corpus = st.one_of(
    st.lists(st.lists(st.one_of(st.sampled_from(WORDS), token), max_size=6), max_size=5),
    st.lists(st.one_of(st.sampled_from(WORDS), token), max_size=20),
    st.lists(st.one_of(sentence, st.none(), st.integers(), st.text(max_size=3)), max_size=5),
    junk, st.integers())
corpus = st.integers(0, 3).flatmap(lambda k: bad_corpus if k == 3 else good_corpus)  # 1 in 4 bad


def ints(low, high, *more):
    """Ints in ``low..high``, or one of ``more``."""
    values = st.integers(low, high)
    return st.one_of(values, st.sampled_from(more)) if more else values


# Valid values, kept small so that every call is fast ...
GOOD = {
    "model": st.sampled_from(["skipgram", "cbow"]),
    "dim": ints(1, 12),
    "window": ints(1, 12, 10_000),
    "negative": ints(1, 12, 10_000),
    "noise_exponent": st.floats(-10, 10),
    "subsample": st.one_of(st.just(0.0), st.floats(1e-300, 1), st.sampled_from([1e-3, 1e-5])),
    "min_count": ints(1, 4),
    "max_vocab": st.one_of(st.none(), ints(1, 6, 10**30)),
    "epochs": ints(1, 4),
    "learning_rate": st.one_of(st.none(), st.floats(1e-6, 1),
                               st.sampled_from([1e-300, 0.025, 5.0, 1e30])),
    "min_learning_rate": st.one_of(st.none(), st.floats(0, 1e-3)),
    "workers": ints(1, 3),
    "seed": ints(0, 2**70),
    "progress": st.sampled_from([False, 0]),
    "vocabulary": st.sampled_from([None, Vocabulary.from_corpus([["a", "b"]])]),
    "on_epoch_end": st.sampled_from([None, lambda epoch, emb: None]),
}
# ... and bad ones: out of range, of the wrong type, or junk.
BAD = {
    "model": st.one_of(st.sampled_from(["glove", "", "SKIPGRAM"]), junk),
    "dim": st.one_of(ints(-3, 0, 2**40, 10**30), junk),
    "window": st.one_of(ints(-3, 0, 10_001, 10**30), junk),
    "negative": st.one_of(ints(-3, 0, 10_001), junk),
    "noise_exponent": st.one_of(st.floats(10.001, 1e308), st.floats(-1e308, -10.001),
                                st.sampled_from([10**400, math.nan]), junk),
    "subsample": st.one_of(st.floats(-1e308, -1e-300), st.floats(1.001, 1e308),
                           st.floats(0, 1e-301, exclude_min=True), junk),
    "min_count": st.one_of(ints(-3, 0, 10**30), junk),
    "max_vocab": st.one_of(ints(-3, 0), junk),
    "epochs": st.one_of(ints(-3, 0, 100_001, 10**12), junk),
    "learning_rate": st.one_of(st.floats(-1e308, 0), st.sampled_from([math.inf, 10**400]), junk),
    "min_learning_rate": st.one_of(st.floats(-1e308, -1e-300), st.floats(1.001, 1e300), junk),
    "workers": st.one_of(ints(-3, 0, 257, 10**9), junk),
    "seed": st.one_of(ints(-(2**70), -1), junk),
    "progress": st.sampled_from(["no", 2, None, 0.5]),
    "vocabulary": st.sampled_from(["abc", ["a"], Vocabulary.from_corpus([["x"]])]),
    "on_epoch_end": st.sampled_from([3, "f"]),
}
# min_count and subsample are always given: their defaults (5 and 1e-3) leave nothing to
# train on in a corpus this small.
arguments = st.fixed_dictionaries(
    {"min_count": ints(1, 2), "subsample": st.one_of(st.just(0.0), GOOD["subsample"])},
    optional={k: v for k, v in GOOD.items() if k not in ("min_count", "subsample")})
bad_names = st.integers(0, 3).flatmap(  # half the calls get one or two bad arguments
    lambda k: st.lists(st.sampled_from(sorted(BAD)), min_size=1, max_size=2, unique=True)
    if k >= 2 else st.just(()))


@pytest.fixture(scope="module", autouse=True)
def compiled_kernels():
    """Load the numba kernels once, before the deadline clock runs: both models, with one
    worker and with several (their threads' own hot rows are another specialisation)."""
    for model in ("skipgram", "cbow"):
        for workers in (1, 2):
            train([WORDS], model=model, dim=4, epochs=1, min_count=1, subsample=0,
                  workers=workers)


def _raised_by_the_library(err: BaseException) -> bool:
    """The innermost frame of the error is in ``lessons`` (not numpy's, not Python's)."""
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and frames[-1].filename.startswith(LIBRARY)


@settings(max_examples=600, deadline=timedelta(seconds=5), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(corpus=corpus, kwargs=arguments, bad=bad_names, data=st.data())
def test_train_trains_or_raises_a_clear_error(corpus, kwargs, bad, data):
    for name in bad:  # zero, one or two bad arguments among good ones
        kwargs[name] = data.draw(BAD[name], label=name)
    try:
        emb = train(corpus, **kwargs)
    except (ValueError, TypeError) as err:
        assert _raised_by_the_library(err), f"raw error: {err!r}"
        assert ARGUMENTS.search(str(err)), f"names no argument: {err}"
        event(f"raised {type(err).__name__}")
        return
    event("trained")
    assert np.isfinite(emb.vectors).all() and np.isfinite(emb.context_vectors).all()
    assert sum(emb.history.examples) > 0
    assert all(math.isfinite(x) for x in emb.history.loss)
    assert emb.vectors.shape == emb.context_vectors.shape == (len(emb.words), emb.vectors.shape[1])
