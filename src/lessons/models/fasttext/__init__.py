"""fastText: skip-gram whose input vector is built from character n-grams, trained end to end.

Chapter: *Subwords: fastText trained for real* (and *What came after word2vec*).

fastText (Bojanowski et al. 2017) keeps word2vec's skip-gram with negative sampling
but changes what a word's input vector is.  The word is wrapped in boundary marks,
``"<where>"``, and cut into its character n-grams of 3 to 6 characters
(``"<wh", "whe", "her", "ere", "re>", "<whe", ...``).  Each n-gram is hashed
(FNV-1a, :mod:`~lessons.models.fasttext.ngrams`) into one of ``buckets`` rows of an
n-gram table.  The input vector of a vocabulary word is the **mean** of its own row
(the paper's whole-word sequence ``<where>``) and its n-gram rows; training moves all
of those rows.  A word never seen in training still has n-grams, so it still gets a
vector: the mean of its n-gram rows.

The algorithm, step by step (steps 1 to 4 are word2vec's, :mod:`lessons.models.word2vec`):

1. **Vocabulary** with ``min_count``; the corpus becomes ``int32`` ids, cut into
   sentences of at most 10,000 tokens and chunks of about 10,000 tokens.
2. **Subwords.**  :func:`~.ngrams.subword_table` lists every word's rows of the
   ``(V + buckets, d)`` input matrix: its own row ``i``, then ``V + hash(g) % buckets``
   for each n-gram ``g``.
3. **Subsampling** (``t = subsample``, fastText's default ``1e-4``), **dynamic window**
   ``b`` uniform in ``1..window``, **negative sampling** from ``count ** noise_exponent``
   with the alias table, a **linear learning-rate decay** over all planned tokens, and
   word2vec.c's random generator with one stream per chunk, all as in word2vec.
4. **Update** for a centre word ``w`` with rows ``R(w)`` and each context word ``c``:
   ``h = mean_{r in R(w)} x_r``; ``g_t = lr * (y_t - sigmoid(u_t . h))`` for the context
   (``y = 1``) and the noise words (``y = 0``); ``u_t += g_t h``; and **every** row
   ``x_r, r in R(w)`` gets the whole step ``sum_t g_t u_t``, not divided by ``|R(w)|``
   (fastText's ``Model::update`` for skip-gram: the mean then moves by the step itself,
   as a word2vec vector would).  The kernel computes ``h`` once per centre and applies
   the window's steps at its end, which is the same arithmetic
   (:mod:`~lessons.models.fasttext.kernel`).
5. **Vectors**: a known word's is the mean of its rows; an unseen word's the mean of
   its n-gram rows (:class:`~.model.SubwordModel`).

Where we differ from fastText 0.9: noise words come from ``count ** 0.75`` (fastText:
``** 0.5``) so that the subword and the word-only model (``max_n=0``) differ in the
n-grams only; a noise word equal to the target is skipped (fastText redraws it); the
input rows start uniform in ``[-0.5, 0.5) / d`` (fastText: ``[-1, 1) / d``); no
end-of-sentence token; the learning rate is set per sentence of at most 10,000 tokens
(fastText: per line).  ``workers=1`` with a ``seed`` is bit-reproducible.

Modules
-------
* :mod:`~lessons.models.fasttext.ngrams`: n-grams, the hash, every word's rows;
* :mod:`~lessons.models.fasttext.kernel`: the numba chunk kernel;
* :mod:`~lessons.models.fasttext.trainer`: :func:`train_fasttext`;
* :mod:`~lessons.models.fasttext.model`: :class:`SubwordModel`, vectors for any word.

References
----------
* P. Bojanowski, E. Grave, A. Joulin, T. Mikolov, "Enriching Word Vectors with
  Subword Information", TACL 2017.
* fastText (https://github.com/facebookresearch/fastText): ``Dictionary::hash``,
  ``Dictionary::computeSubwords``, ``FastText::skipgram``, ``Model::update``.
* G. Fowler, L. C. Noll, K.-P. Vo, the FNV hash (FNV-1a, 32 bit).
"""
from __future__ import annotations

from .model import SubwordModel, compose, subword_vector
from .ngrams import char_ngrams, ngram_buckets, ngram_hash, ngram_hashes, subword_table
from .trainer import DEFAULT_BUCKETS, train_fasttext

__all__ = ["train_fasttext", "SubwordModel", "char_ngrams", "ngram_hash", "ngram_hashes",
           "ngram_buckets", "subword_table", "subword_vector", "compose", "DEFAULT_BUCKETS"]
