"""The real trainer: word2vec (skip-gram and CBOW with negative sampling) in numba.

Chapters: *The training loop*, *Skip-gram: the softmax and negative sampling*, *The
parameter explorer*, *Word2vec on real text*, and every chapter (and live panel) that
trains vectors.

The algorithm is word2vec.c's (Mikolov et al. 2013), step by step:

1. **Vocabulary.**  Words seen fewer than ``min_count`` times are dropped (and at most
   ``max_vocab`` of the most frequent are kept); the corpus becomes ``int32`` ids.
   Sentences longer than 10,000 tokens (text8 is one 17-million-token sentence) are
   cut into consecutive pieces of at most 10,000 tokens.  10,000 is gensim's
   ``MAX_WORDS_IN_BATCH`` (word2vec.c cuts at 1,000 words, its ``MAX_SENTENCE_LENGTH``).
2. **Subsampling** of frequent words.  A token of word ``w`` with corpus count
   ``c_w`` is kept with probability ``keep(w) = (sqrt(c_w / (t N)) + 1) * t N / c_w``
   (capped at 1), where ``t = subsample`` and ``N`` is the number of in-vocabulary
   tokens.  This is word2vec.c's formula; the paper writes the *discard* probability
   ``1 - sqrt(t / f_w)`` with ``f_w = c_w / N``.  The two agree for very frequent
   words (``keep ~ sqrt(t / f_w)``), but word2vec.c's keeps more of the mid-frequency
   words (it keeps every word with ``f_w <= 2.618 t`` instead of ``f_w <= t``).
   Subsampling happens per sentence, before the windows are drawn, so a context
   window spans kept tokens only.
3. **Dynamic window.**  For every kept centre token the effective window ``b`` is
   drawn uniformly in ``1..window``; the contexts are the kept tokens at distance
   ``<= b``.  Nearer words are thus seen more often.
4. **Negative sampling.**  Every positive (word, context) example is paired with
   ``negative`` noise words drawn from the unigram distribution raised to
   ``noise_exponent`` (0.75), sampled in O(1) with Walker's alias method (word2vec.c
   uses a 10^8-entry table; the alias table gives the same distribution in two
   ``V``-sized arrays).  A noise word equal to the true target word is *skipped*
   (not redrawn), exactly as word2vec.c does, so that example simply has one negative
   fewer.
5. **Updates.**  With ``v`` the input vector of the centre word (skip-gram) or the
   mean of the context words' input vectors (CBOW, word2vec.c's ``cbow_mean=1``),
   and ``u_t`` the output ("context") vector of target ``t`` with label ``y_t``
   (1 for the true word, 0 for noise words):
   ``g_t = lr * (y_t - sigmoid(u_t . v))``, ``u_t += g_t v`` and the input vector(s)
   get ``sum_t g_t u_t`` (CBOW adds this same sum to every context word's vector,
   as word2vec.c does).  ``sigmoid`` is read from a 1000-entry table on
   ``[-6, 6]`` (word2vec.c's ``EXP_TABLE``; outside it, 0 or 1).  The loss
   ``-log sigmoid(u_o . v) - sum_k log sigmoid(-u_k . v)`` is accumulated in
   float64 with the same table (outside ``[-6, 6]`` by its linear asymptote), so
   it is the loss of the very model the gradient sees (gensim accumulates it in
   float32, which saturates on big corpora).
6. **Skip-gram orientation.**  The centre word's input vector predicts each
   context word (the textbook orientation; word2vec.c swaps the roles, which is
   the same set of pairs).
7. **Learning rate.**  It decays linearly from ``learning_rate`` to
   ``min_learning_rate`` over all ``epochs * N`` planned tokens; it is set at the
   start of every sentence from the number of tokens before it.
8. **Initialisation.**  Input vectors uniform in ``[-0.5, 0.5) / dim``, output
   vectors zero (word2vec.c).

Parallelism and determinism
---------------------------
The tokens are cut into chunks of about 10,000 words.  Every chunk draws its random
numbers (subsampling, windows, noise words) from its own word2vec.c linear
congruential generator, seeded from ``(seed, epoch, chunk)``, and its learning rate
depends only on its position in the corpus.  A pool of ``workers`` Python threads
takes chunks in turn and calls a numba ``nogil`` kernel that updates the shared weight
matrices without locks ("Hogwild", as word2vec.c and gensim do).  With ``workers=1`` the
result depends only on ``seed``: two runs are bit-identical, on any x86-64 CPU,
because the kernels use no fast-math reassociation (the dot product is eight partial
sums combined in a fixed order, written as explicit 8-lane float32 vector multiplies
and adds without fused multiply-add, which round every lane identically with SSE, AVX2
or AVX-512) and no transcendental function.  For speed the noise words of an example
are drawn before its updates (the same draws in the same order) so that their rows
can be prefetched; a prefetch is a hint and changes nothing computed.  With more
workers the updates interleave in timing order, so vectors differ run to run
(equally good).  The output rows of the most frequent words are among the noise words
of almost every example (and their input rows in most windows), so with several
workers each thread trains its own copy of the ``runner.HOT_ROWS`` most frequent words'
input and output rows and adds its changes to the shared rows every
``runner.HOT_MERGE_CHUNKS`` chunks it trains and at the end of each epoch: otherwise
the two cores pass those rows' cache lines back and forth on nearly every example
(``benchmarks/results/scaling_experiments.md``).  One worker never does this.

Modules, in reading order
-------------------------
* :mod:`~lessons.models.word2vec.trainer`: :func:`train`, in named steps;
* :mod:`~lessons.models.word2vec.settings`: the settings, declared once
  (:class:`~.settings.Settings`) and checked (:func:`~.settings.validate`);
* :mod:`~lessons.models.word2vec.encoding`: corpus to int32 arrays, and chunks;
* :mod:`~lessons.models.word2vec.runner`: the epochs, on a thread pool;
* :mod:`~lessons.models.word2vec.kernels`: the numba kernels (steps 2 to 7), made of
  :mod:`~lessons.models.word2vec.kernel_steps` (shared with fastText's kernel);
* :mod:`~lessons.models.word2vec.tables`: constants, sigmoid tables, random streams,
  the learning-rate schedule;
* :mod:`~lessons.models.word2vec.simd`: the 8-lane dot product;
* :mod:`~lessons.models.word2vec.history`: :class:`TrainingHistory`, and the watch that
  stops a diverging run (:class:`TrainingDiverged`);
* :mod:`~lessons.models.word2vec.snapshots`: copies of the vectors after chosen epochs.

References
----------
* T. Mikolov, K. Chen, G. Corrado, J. Dean, "Efficient Estimation of Word
  Representations in Vector Space", 2013.
* T. Mikolov, I. Sutskever, K. Chen, G. Corrado, J. Dean, "Distributed
  Representations of Words and Phrases and their Compositionality", NeurIPS 2013.
* word2vec.c (https://code.google.com/archive/p/word2vec/) and gensim's
  ``word2vec_inner.pyx``.
* B. Recht, C. Re, S. Wright, F. Niu, "Hogwild!", NeurIPS 2011.
* A. J. Walker, "An efficient method for generating discrete random variables with
  general distributions", ACM TOMS 1977 (alias method).
"""
from __future__ import annotations

from . import tables
from .encoding import prepare_corpus
from .history import TrainingDiverged, TrainingHistory
from .tables import *  # noqa: F403 - the algorithm's constants and tables (tables.__all__)
from .trainer import train

__all__ = ["train", "TrainingHistory", "TrainingDiverged", "prepare_corpus", *tables.__all__]
