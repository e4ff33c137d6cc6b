"""The article's mini training loop: what it prints as published, why, and the fix."""
import os
import subprocess
import sys

import numpy as np
import pytest

from lessons.book.reproducible import PINNED

from lessons.data.corpus import article_corpus
from lessons.models.article_loop import ARTICLE_LOOP, THE_FIX, article_loop, run_verbatim

# What the article's code prints, run exactly as published with the arithmetic pinned the
# way the chapters run (lessons.book.reproducible). After the blow-up the dynamics amplify
# rounding, so the epoch-200 line depends on the dot product's code path; the first three do not.
PRINTED = """\
Epoch  50: sim(cat,dog)=0.961  sim(cat,king)=0.281  sim(king,queen)=0.516
Epoch 100: sim(cat,dog)=0.983  sim(cat,king)=0.378  sim(king,queen)=0.639
Epoch 150: sim(cat,dog)=0.995  sim(cat,king)=-0.864  sim(king,queen)=0.933
Epoch 200: sim(cat,dog)=-0.968  sim(cat,king)=0.994  sim(king,queen)=-0.922
"""


@pytest.fixture(scope="module")
def verbatim():
    return run_verbatim()


@pytest.fixture(scope="module")
def fixed():
    return run_verbatim(ARTICLE_LOOP.replace(*THE_FIX))


def test_the_verbatim_loop_prints_what_the_chapter_says_and_blows_up(verbatim):
    assert verbatim.printed.splitlines()[:3] == PRINTED.splitlines()[:3]
    last = verbatim.printed.splitlines()[-1]
    assert "sim(cat,dog)=-0.9" in last                               # cat and dog end up opposite
    assert np.linalg.norm(verbatim.W_out, axis=1).max() > 1000      # started near 0.3


def test_with_the_chapters_pinned_arithmetic_it_prints_exactly_this():
    code = ("from lessons.models.article_loop import run_verbatim; "
            "print(run_verbatim().printed, end='')")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **PINNED},
                         capture_output=True, text=True, check=True).stdout
    assert out == PRINTED


def test_the_fix_is_one_line_and_the_fixed_loop_stays_stable(fixed):
    assert ARTICLE_LOOP.count(THE_FIX[0]) == 1
    fixed_lines = ARTICLE_LOOP.replace(*THE_FIX).splitlines()
    changed = [a for a, b in zip(ARTICLE_LOOP.splitlines(), fixed_lines) if a != b]
    assert len(changed) == 1
    last = fixed.printed.splitlines()[-1]
    sims = dict(part.split("=") for part in last.split(": ")[1].split())
    assert float(sims["sim(cat,dog)"]) > 0.95
    assert float(sims["sim(cat,king)"]) < 0.5
    assert np.linalg.norm(fixed.W_out, axis=1).max() < 10


def test_the_reimplementation_is_bit_identical_to_the_printed_code(verbatim, fixed):
    sentences = article_corpus("training")
    run = article_loop(sentences)
    assert np.array_equal(run.W_in, verbatim.W_in) and np.array_equal(run.W_out, verbatim.W_out)
    run = article_loop(sentences, fixed=True)
    assert np.array_equal(run.W_in, fixed.W_in) and np.array_equal(run.W_out, fixed.W_out)


def test_applying_the_centre_gradient_once_is_the_fixed_loop_up_to_rounding():
    sentences = article_corpus("training")
    once = article_loop(sentences, epochs=20, accumulate=True)
    immediate = article_loop(sentences, epochs=20, fixed=True)
    buggy = article_loop(sentences, epochs=20)
    assert np.abs(once.W_in - immediate.W_in).max() < 1e-12
    assert np.abs(once.W_in - buggy.W_in).max() > 1e-3           # the view is what differs


def test_noise_words_equal_to_the_target_are_counted_and_can_be_skipped():
    sentences = article_corpus("training")
    kept = article_loop(sentences, epochs=5, fixed=True)
    skipped = article_loop(sentences, epochs=5, fixed=True, skip_noise_target=True)
    assert kept.noise_hits == skipped.noise_hits > 0                  # same draws, same hits
    assert not np.array_equal(kept.W_out, skipped.W_out)


def test_the_view_adds_g_squared_u():
    """The algebra the chapter shows: u <- u - g (v - g u) = (1 + g^2) u - g v."""
    rng = np.random.default_rng(1)
    v, u, g = rng.normal(size=4), rng.normal(size=4), 0.3
    W_in, W_out = v[None].copy(), u[None].copy()
    v_c = W_in[0]
    W_in[0] -= g * u
    W_out[0] -= g * v_c
    np.testing.assert_allclose(W_out[0], (1 + g**2) * u - g * v, rtol=1e-12)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="learning_rate"):
        article_loop(article_corpus("training"), learning_rate=0)
    with pytest.raises(ValueError, match="source"):
        run_verbatim("print(1)")


@pytest.mark.parametrize("kwargs, name", [(dict(dim=0), "dim"), (dict(negative=-1), "negative"),
                                          (dict(window=1.5), "window"), (dict(epochs=-1), "epochs"),
                                          (dict(learning_rate=float("nan")), "learning_rate")])
def test_each_bad_argument_is_named(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        article_loop(article_corpus("training"), **kwargs)
