"""Analogies "a : b :: c : ?": the one scorer behind every analogy in the book.

Chapters: *Skip-gram*, *The parameter explorer*, *Word2vec on real text*, *What came after*.

For unit word vectors ``x`` (rows of ``unit``) and a question ``a : b :: c : ?``:

* **3CosAdd** (Mikolov et al. 2013) scores a candidate ``x`` by ``cos(x, b - a + c)``;
* **3CosMul** (Levy & Goldberg 2014) by ``s(x, b) s(x, c) / (s(x, a) + epsilon)`` with
  cosines shifted to ``[0, 1]``, ``s = (cos + 1) / 2``.

The answer is the best-scoring candidate other than ``a``, ``b`` and ``c`` themselves
(word2vec.c and gensim leave them out: ``b - a + c`` is usually still closest to ``b``).

:func:`analogy_scores` answers a batch of questions with matrix products.  It is used
by :meth:`lessons.vectors.embeddings.Embeddings.analogy` (one question), by
:func:`accuracy` (a list of questions, e.g. the toy language's planted analogies) and
by :func:`lessons.vectors.evaluation.google_analogies` (19,544 questions, which also
passes precomputed cosines of the question words: the same numbers, far fewer products).
"""
from __future__ import annotations

import numpy as np

from lessons import checks
from lessons.vectors.linalg import row_norms, unit_rows

__all__ = ["METHODS", "analogy_scores", "exclude_question_words", "accuracy", "check_questions"]

METHODS = ("3cosadd", "3cosmul")


def _shift(cosines):
    """In place: cos -> (cos + 1) / 2, in [0, 1] (3CosMul)."""
    cosines += 1
    cosines *= 0.5
    return cosines


def analogy_scores(unit, a, b, c, *, method: str = "3cosadd", epsilon: float = 1e-3,
                   candidates: int | None = None, cosines=None, out=None, work=None) -> np.ndarray:
    """Scores of every candidate answer for ``B`` questions ``a : b :: c : ?``.

    Parameters
    ----------
    unit : (V, d) float32 unit rows (``Embeddings.normalized``)
    a, b, c : (B,) int row indices of the question words
    method : {"3cosadd", "3cosmul"}
    epsilon : float
        3CosMul's denominator guard (Levy & Goldberg: 0.001; gensim's cosmul: 1e-6).
    candidates : int or None
        The first ``candidates`` rows are the possible answers (default: all ``V``).
    cosines : ``(C, local)`` or None
        Optional shortcut: ``C`` (U, R) cosines of the distinct question words with the
        candidates, and ``local`` (3, B) the positions of ``a``, ``b``, ``c`` in ``C``.
        ``cos(x, b - a + c)`` is then ``(C[b] + C[c] - C[a]) / |b - a + c|``.
    out, work : (B, R) float32 or None
        Buffers to reuse (the result is written to ``out``).

    Returns
    -------
    (B, R) float32 scores; the question words are *not* excluded (see
    :func:`exclude_question_words`).
    """
    checks.choice("method", method, METHODS)
    # unit is Embeddings.normalized (finite by construction): not scanned again per batch
    unit = checks.matrix("unit", unit, dtype=None, finite=False, min_rows=1)
    a, b, c = (checks.array(name, np.atleast_1d(x), ndim=1, dtype=None, minimum=0,
                            maximum=len(unit) - 1, what="a 1-d array of row ids")
               for name, x in (("a", a), ("b", b), ("c", c)))
    if not all(x.dtype.kind in "iu" for x in (a, b, c)) or not len(a) == len(b) == len(c):
        raise ValueError(f"a, b and c must be integer row ids of the same length, got "
                         f"{a.dtype}, {b.dtype}, {c.dtype} of lengths {len(a)}, {len(b)}, "
                         f"{len(c)}")
    a, b, c = (x.astype(np.int64, copy=False) for x in (a, b, c))
    rows = len(unit) if candidates is None else checks.integer("candidates", candidates, 1,
                                                                len(unit))
    shape = (len(a), rows)
    out = np.empty(shape, dtype=np.float32) if out is None else out
    work = np.empty(shape, dtype=np.float32) if work is None else work
    pool = unit[:rows].T  # (d, R)
    question = (a, b, c)

    def gather(k, buffer):  # buffer (B, R) <- cosines of question word k (0: a, 1: b, 2: c)
        if cosines is None:
            return np.matmul(unit[question[k]], pool, out=buffer)
        table, local = cosines
        return np.take(table, local[k], axis=0, out=buffer, mode="clip")

    if method == "3cosadd":
        target = unit[b] + unit[c] - unit[a]  # (B, d)
        if cosines is None:  # (B, R) cos with the unit b - a + c (0 where it is zero)
            return np.matmul(unit_rows(target), pool, out=out)
        gather(1, out)
        out += gather(2, work)
        out -= gather(0, work)
        norms = row_norms(target)[:, None]  # (B, 1) |b - a + c|
        out /= np.where(norms > 0, norms, 1)
        return out
    _shift(gather(1, out))
    out *= _shift(gather(2, work))
    _shift(gather(0, work))
    work += np.float32(epsilon)
    out /= work  # s(x, b) s(x, c) / (s(x, a) + epsilon)
    return out


def exclude_question_words(scores: np.ndarray, a, b, c) -> np.ndarray:
    """In place: ``-inf`` for each question's own words (those inside the candidates)."""
    scores = checks.matrix("scores", scores, dtype=None, finite=False,
                           what="a (B, R) matrix of scores")  # -inf is a score here
    if np.isnan(scores).any():
        raise ValueError("scores holds nan: scores must be numbers (or -inf)")
    for name, rows_of_word in (("a", a), ("b", b), ("c", c)):
        rows_of_word = checks.array(name, np.atleast_1d(rows_of_word), ndim=1, dtype=None,
                                    minimum=0, what="a 1-d array of row ids")
        if len(rows_of_word) != len(scores) or rows_of_word.dtype.kind not in "iu":
            raise ValueError(f"{name} must hold one integer row id per row of scores "
                             f"({len(scores)}), got {rows_of_word.dtype} of length "
                             f"{len(rows_of_word)}")
    question_ids = np.arange(len(scores))
    for rows_of_word in (a, b, c):
        rows_of_word = np.atleast_1d(rows_of_word)
        inside = rows_of_word < scores.shape[1]
        scores[question_ids[inside], rows_of_word[inside]] = -np.inf
    return scores


def check_questions(questions) -> list:
    """``questions`` as a non-empty list of ``(a, b, c, d)`` word tuples (extra fields kept),
    or an error naming the first one that is not."""
    if questions is None or isinstance(questions, (str, bytes)) or not hasattr(
            questions, "__iter__"):
        raise checks.ArgumentTypeError(f"questions must be a list of (a, b, c, d) word tuples, "
                                       f"got {checks.describe(questions)}")
    questions = list(questions)
    if not questions:
        raise ValueError("questions must not be empty")
    for i, q in enumerate(questions):
        if isinstance(q, str) or not hasattr(q, "__len__") or len(q) < 4 or not all(
                isinstance(w, str) for w in q[:4]):
            raise ValueError(f"questions[{i}] must be a tuple of four words (a, b, c, d), got "
                             f"{checks.describe(q)}")
    return questions


def accuracy(emb, questions, *, method: str = "3cosadd", epsilon: float = 1e-3) -> float:
    """Fraction of questions ``(a, b, c, d)`` whose best answer (top 1, question words
    excluded, every word a candidate) is ``d``.  ``emb`` is an :class:`Embeddings`.

    E.g. ``accuracy(emb, planted_analogies())`` for the toy language.
    """
    checks.choice("method", method, METHODS)
    checks.number("epsilon", epsilon, 0, strict=True)
    if not (hasattr(emb, "normalized") and hasattr(emb, "index_of")):  # (no import: a cycle)
        raise checks.ArgumentTypeError(f"emb must be a lessons Embeddings, got "
                                       f"{checks.describe(emb)}")
    questions = check_questions(questions)
    ids = np.array([[emb.index_of(w) for w in q] for q in questions])  # (m, 4)
    a, b, c, d = ids.T
    scores = analogy_scores(emb.normalized, a, b, c, method=method, epsilon=epsilon)  # (m, V)
    exclude_question_words(scores, a, b, c)
    return float(np.mean(scores.argmax(axis=1) == d))
