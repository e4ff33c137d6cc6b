"""How good are the vectors? The Google analogy test and word-similarity correlations.

Chapters: *Word2vec on real text* and *Why vectors?* (analogy accuracy and human similarity
judgements).

- :func:`google_analogies` is word2vec.c's ``compute-accuracy`` and gensim's
  ``KeyedVectors.evaluate_word_analogies``: 19,544 questions "a : b :: c : d" in 14 sections
  (5 semantic, 9 syntactic), answered with 3CosAdd (or 3CosMul) among the ``restrict_vocab``
  most frequent words. Questions using a word outside those words are skipped and counted as
  out-of-vocabulary (OOV), exactly as gensim does.
- :func:`word_similarity` is gensim's ``KeyedVectors.evaluate_word_pairs``: the Spearman rank
  correlation between the model's cosine similarities and human ratings (WordSim-353,
  SimLex-999), on the pairs whose two words are both in the vocabulary.

The data files ship inside gensim (``gensim.test.utils.datapath``). All questions of a batch are
answered with one matrix product, so the full analogy test takes seconds, not minutes.

References
----------
- T. Mikolov, K. Chen, G. Corrado, J. Dean (2013). Efficient Estimation of Word Representations
  in Vector Space. (the Google analogy set, ``questions-words.txt``)
- O. Levy, Y. Goldberg (2014). Linguistic Regularities in Sparse and Explicit Word
  Representations. CoNLL. (3CosMul)
- L. Finkelstein et al. (2002). Placing Search in Context: The Concept Revisited. (WordSim-353)
- F. Hill, R. Reichart, A. Korhonen (2015). SimLex-999. Computational Linguistics.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lessons import checks
from lessons.vectors.analogy import METHODS, analogy_scores, exclude_question_words
from lessons.vectors.embeddings import Embeddings

__all__ = ["AnalogySection", "AnalogyResult", "WordSimilarityResult", "google_analogies",
           "word_similarity", "dataset_path", "word_rows"]

DATASETS = {
    "questions-words": "questions-words.txt",
    "google": "questions-words.txt",
    "wordsim353": "wordsim353.tsv",
    "simlex999": "simlex999.txt",
}

# gensim's evaluate_word_analogies looks at the 5 best answers (after removing the question's
# own words) and takes the first one that is not a case variant of a question word.
_CANDIDATES = 5
# Analogy questions are answered in batches whose (batch, R) score matrix has about this many
# float32 entries (64 MiB), to bound memory.
_BATCH_ENTRIES = 1 << 24
# Cosines of the distinct question words with all candidates are precomputed when they fit in
# this many float32 entries (256 MiB); otherwise each batch uses matrix products.
_CACHE_ENTRIES = 1 << 26
# What a restrict_vocab below 1 is told.
_KNOWN = " (how many of the most frequent words count as known)"


def dataset_path(name) -> str:
    """Path of a dataset that ships with gensim ("questions-words", "wordsim353", "simlex999"),
    or ``name`` itself if it is not one of those (so a path to your own file also works)."""
    name = str(checks.path("dataset", name, must_exist=False))  # a name or a path
    if name in DATASETS:
        from gensim.test.utils import datapath

        return datapath(DATASETS[name])
    return name


def _lines(path):
    """``(line number, text)`` of a UTF-8 file; a line that is not UTF-8 is an error naming it."""
    with open(path, "rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            try:
                yield line_no, raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise ValueError(f"{path}: line {line_no}: not valid UTF-8 (byte {err.start}): "
                                 f"save the file as UTF-8") from None


def _check_embeddings(emb) -> None:
    if not isinstance(emb, Embeddings):
        raise checks.ArgumentTypeError(f"emb must be a lessons Embeddings (for gensim vectors: "
                                       f"Embeddings.from_keyedvectors(kv)), got "
                                       f"{checks.describe(emb)}")


def word_rows(emb, restrict_vocab, case_insensitive) -> dict:
    """Key -> row over the first ``restrict_vocab`` words; the first (most frequent) case variant
    wins, as in gensim."""
    _check_embeddings(emb)
    restrict_vocab = checks.integer("restrict_vocab", restrict_vocab, 0)
    ok = {}
    for i, word in enumerate(emb.words[:restrict_vocab]):
        key = word.upper() if case_insensitive else word
        ok.setdefault(key, i)
    return ok


# --------------------------------------------------------------------------- analogies

@dataclass
class AnalogySection:
    """One section of the analogy test (or the total).

    ``correct`` and ``incorrect`` hold the ``(a, b, c, expected)`` questions (upper-cased when
    the evaluation is case-insensitive, as gensim stores them); OOV questions are in neither.
    """

    name: str
    correct: list = field(default_factory=list)
    incorrect: list = field(default_factory=list)

    @property
    def n_correct(self) -> int:
        return len(self.correct)

    @property
    def total(self) -> int:
        """Questions answered (OOV questions excluded)."""
        return len(self.correct) + len(self.incorrect)

    @property
    def accuracy(self) -> float:
        """Fraction correct; 0.0 for a section with no answerable question (as gensim)."""
        return self.n_correct / self.total if self.total else 0.0


@dataclass
class AnalogyResult:
    """Result of :func:`google_analogies`.

    Attributes
    ----------
    sections : list of AnalogySection
        One per section, in file order.
    total : AnalogySection
        All sections together, named "Total accuracy" as in gensim.
    oov : int
        Questions skipped because a word is not among the ``restrict_vocab`` first words.
    questions : int
        All well-formed questions in the file (answered + OOV).
    answers : list of (a, b, c, expected, predicted)
        Every answered question with the answer given, in file order (words upper-cased when
        the evaluation is case-insensitive; ``predicted`` is None only for a tiny vocabulary).
    """

    sections: list
    total: AnalogySection
    oov: int
    questions: int
    method: str
    restrict_vocab: int
    answers: list = field(default_factory=list, repr=False)

    @property
    def accuracy(self) -> float:
        """Overall accuracy over answered questions."""
        return self.total.accuracy

    @property
    def semantic(self) -> AnalogySection:
        """The 5 semantic sections of the Google set together (names not starting "gram")."""
        return _merge("semantic", [s for s in self.sections if not s.name.startswith("gram")])

    @property
    def syntactic(self) -> AnalogySection:
        """The 9 syntactic sections of the Google set together (names starting "gram")."""
        return _merge("syntactic", [s for s in self.sections if s.name.startswith("gram")])

    def table(self) -> str:
        """Plain-text table: section, correct / answered, accuracy."""
        width = max(len(s.name) for s in self.sections + [self.total])
        lines = [f"{'section':<{width}}  {'correct':>13}  accuracy"]
        for s in self.sections + [self.total]:
            lines.append(f"{s.name:<{width}}  {s.n_correct:>6}/{s.total:<6}  "
                         f"{100 * s.accuracy:6.1f}%")
        lines.append(f"{self.oov} of {self.questions} questions skipped (a word outside the first "
                     f"{self.restrict_vocab:,} words); method {self.method}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


def _merge(name, sections) -> AnalogySection:
    return AnalogySection(name, [q for s in sections for q in s.correct],
                          [q for s in sections for q in s.incorrect])


def _read_questions(path, case_insensitive):
    """gensim's parsing: ': name' starts a section; other lines must have 4 words (else skipped)."""
    sections, questions = [], []  # questions: (section index, a, b, c, expected)
    for line_no, line in _lines(path):
        if line.startswith(": "):
            sections.append(line.lstrip(": ").strip())
            continue
        if not sections:
            raise ValueError(f"{path}: line {line_no}: missing section header (': name') before it")
        words = line.split()
        if len(words) != 4:
            continue  # gensim skips invalid lines (e.g. blank ones) without counting them
        if case_insensitive:
            words = [w.upper() for w in words]
        questions.append((len(sections) - 1, *words))
    return sections, questions


def google_analogies(emb, restrict_vocab=30000, method="3cosadd", case_insensitive=True,
                     questions=None, epsilon=1e-3) -> AnalogyResult:
    """Accuracy on the Google analogy test, by section and overall.

    Same questions, skips and answers as gensim's ``evaluate_word_analogies`` (with
    ``dummy4unknown=False``), but vectorised over questions.

    Parameters
    ----------
    emb : Embeddings
        Rows should be sorted by descending frequency, so that ``restrict_vocab`` keeps the most
        frequent words.
    restrict_vocab : int
        Only the first ``restrict_vocab`` words count as known (both for the question words and
        the candidate answers). 30,000 is word2vec.c's ``compute-accuracy`` default; gensim's is
        300,000.
    method : {"3cosadd", "3cosmul"}
        How each question "a : b :: c : ?" is answered (see :meth:`Embeddings.analogy`).
        gensim's evaluation always uses 3CosAdd.
    case_insensitive : bool
        Compare words upper-cased; the first (most frequent) case variant of a word represents it.
    questions : str or path or None
        Another file in the same format; default gensim's ``questions-words.txt``.
    epsilon : float
        3CosMul's denominator guard (Levy & Goldberg: 0.001; gensim's cosmul: 1e-6).

    Returns
    -------
    AnalogyResult
        ``.accuracy``, ``.sections``, ``.total``, ``.oov``, ``.questions``; ``print(result)``
        shows a table.

    Raises
    ------
    ValueError
        If a word of a known question has an all-zero vector: it has no direction, every
        cosine with it is 0, and the answer would be a tie settled by row order (all-zero
        vectors "scored" 44 % that way), so it is refused rather than scored.
    """
    _check_embeddings(emb)
    checks.choice("method", method, METHODS)
    checks.number("epsilon", epsilon, 0, strict=True)
    rows = min(checks.integer("restrict_vocab", restrict_vocab, 1, why_low=_KNOWN), len(emb))
    if rows == 0:
        raise ValueError("emb has no words: evaluate embeddings that hold a vocabulary")
    path = dataset_path("questions-words" if questions is None else questions)
    section_names, all_questions = _read_questions(path, case_insensitive)
    ok = word_rows(emb, rows, case_insensitive)

    known = [q for q in all_questions if all(w in ok for w in q[1:])]
    sections = [AnalogySection(name) for name in section_names]
    result = AnalogyResult(sections, None, oov=len(all_questions) - len(known),
                           questions=len(all_questions), method=method, restrict_vocab=rows)
    unit = emb.normalized  # (V, d) float32; the first `rows` are the candidates
    zero = [r for r in {r for q in known for r in (ok[w] for w in q[1:])}
            if not unit[r].any()]
    if zero:  # its cosine with every word is 0: the answer would be a tie, decided by row order
        raise ValueError(f"emb: the vector of {emb.words[min(zero)]!r} is all zeros, so it has "
                         f"no direction and an analogy that uses it has no answer ("
                         f"{len(zero)} question word(s) are zero vectors); drop those words")
    display = [w.upper() if case_insensitive else w for w in emb.words[:rows]]  # (R,) keys
    question_rows = np.array([[ok[w] for w in q[1:4]] for q in known],
                             dtype=np.int64).reshape(-1, 3)  # (Q, 3) rows of a, b, c
    # The Google set has ~900 distinct words for ~20,000 questions: their cosines with every
    # candidate, computed once, replace a (Q, d) x (d, R) product by a (900, d) x (d, R) one.
    distinct, local = np.unique(question_rows, return_inverse=True)
    local = local.reshape(-1, 3)  # (Q, 3) rows of a, b, c in `distinct`
    cosines = unit[distinct] @ unit[:rows].T if len(distinct) * rows <= _CACHE_ENTRIES else None
    batch = max(1, _BATCH_ENTRIES // rows)
    # Reused buffers: fresh 64 MiB arrays per batch cost more in page faults than the arithmetic.
    buffers = np.empty((2, min(batch, max(len(known), 1)), rows), dtype=np.float32)
    for start in range(0, len(known), batch):
        chunk = known[start:start + batch]
        a, b, c = question_rows[start:start + batch].T  # (B,) each
        scores, work = buffers[:, :len(chunk)]  # (B, R) each
        shortcut = None if cosines is None else (cosines, local[start:start + batch].T)
        analogy_scores(unit, a, b, c, method=method, epsilon=epsilon, candidates=rows,
                       cosines=shortcut, out=scores, work=work)
        exclude_question_words(scores, a, b, c)  # the question's own words are never answers
        predicted = _answers(scores, display, chunk)
        for question, answer in zip(chunk, predicted):
            section = sections[question[0]]
            (section.correct if answer == question[4] else section.incorrect).append(question[1:])
            result.answers.append((*question[1:], answer))
    result.total = _merge("Total accuracy", sections)
    return result


def _answers(scores, display, chunk) -> list:
    """gensim's choice among the best candidates, one ``argmax`` at a time.

    gensim walks the ``_CANDIDATES`` best words (question words already removed) and answers
    with the first that is not a case variant of a question word, or with the last one if all
    are. Taking the argmax, and removing it only for the rare questions where it is such a
    variant, gives the same answers without sorting (B, R) scores.
    """
    answers = [None] * len(chunk)
    pending = np.arange(len(chunk))  # questions whose answer is not settled yet
    for attempt in range(_CANDIDATES):
        # (P,) best remaining row; no fancy-indexed copy of all of `scores` on the first pass
        best = scores.argmax(axis=1) if attempt == 0 else scores[pending].argmax(axis=1)
        still_pending = []
        for question_id, row in zip(pending, best):
            if scores[question_id, row] == -np.inf:
                continue  # fewer real candidates than _CANDIDATES (tiny vocabulary)
            answer = answers[question_id] = display[row]
            if answer in chunk[question_id][1:4]:  # a case variant of a question word
                scores[question_id, row] = -np.inf
                still_pending.append(question_id)
        if not still_pending:
            break
        pending = np.array(still_pending)
    return answers


# --------------------------------------------------------------------------- word pairs

@dataclass
class WordSimilarityResult:
    """Result of :func:`word_similarity`.

    Attributes
    ----------
    spearman, spearman_pvalue : float
        Spearman rank correlation between human ratings and cosine similarities.
    pearson, pearson_pvalue : float
    pairs : int
        Pairs used (both words known).
    oov : int
        Pairs skipped because a word is unknown.
    human, model : (pairs,) float64 arrays
        The ratings and the cosines, for plotting.
    word_pairs : list of (str, str)
    """

    dataset: str
    spearman: float
    spearman_pvalue: float
    pearson: float
    pearson_pvalue: float
    pairs: int
    oov: int
    human: np.ndarray = field(repr=False)
    model: np.ndarray = field(repr=False)
    word_pairs: list = field(repr=False)

    @property
    def oov_ratio(self) -> float:
        """Percentage of pairs skipped, as gensim reports it."""
        return 100.0 * self.oov / (self.pairs + self.oov)

    def __str__(self) -> str:
        return (f"{self.dataset}: Spearman rho = {self.spearman:.3f} on {self.pairs} pairs "
                f"({self.oov} pairs skipped: unknown words)")


def word_similarity(emb, dataset="wordsim353", restrict_vocab=300000, case_insensitive=True,
                    delimiter="\t") -> WordSimilarityResult:
    """Spearman correlation of cosine similarity with human similarity ratings.

    Same pairs, skips and numbers as gensim's ``evaluate_word_pairs`` (``dummy4unknown=False``).

    Parameters
    ----------
    emb : Embeddings
    dataset : {"wordsim353", "simlex999"} or path
        A file of ``word1<TAB>word2<TAB>rating`` lines; lines starting with "#" are comments.
        WordSim-353 rates relatedness (cup-coffee is high); SimLex-999 rates similarity only
        (cup-coffee is low), which co-occurrence-based vectors find harder.
    restrict_vocab : int
        Only the first ``restrict_vocab`` words count as known (gensim's default 300,000).
    case_insensitive : bool
    delimiter : str

    Returns
    -------
    WordSimilarityResult

    Raises
    ------
    ValueError
        If every known pair gets the same cosine (a constant model) or the same rating: a
        rank correlation with a constant is undefined, so no (NaN) Spearman is returned.
    """
    _check_embeddings(emb)
    restrict_vocab = checks.integer("restrict_vocab", restrict_vocab, 1, why_low=_KNOWN)
    path = dataset_path(dataset)
    ok = word_rows(emb, min(restrict_vocab, len(emb)), case_insensitive)
    first, second, human, word_pairs = [], [], [], []
    oov = 0
    for _, line in _lines(path):
        if not line or line.startswith("#"):
            continue
        try:
            a, b, rating = [w.upper() if case_insensitive else w for w in line.split(delimiter)]
            rating = float(rating)
        except ValueError:
            continue  # gensim skips malformed lines without counting them
        if a not in ok or b not in ok:
            oov += 1
            continue
        first.append(ok[a])
        second.append(ok[b])
        human.append(rating)
        word_pairs.append((a, b))
    if not human:
        raise ValueError(f"no pair of {path} has both words in the vocabulary")
    unit = emb.normalized
    model = np.einsum("ij,ij->i", unit[first], unit[second]).astype(np.float64)  # (pairs,) cosines
    human = np.array(human, dtype=np.float64)
    for values, what in ((model, "emb: every pair has the same cosine"),
                         (human, f"the ratings of {path}: every pair has the same rating")):
        if np.all(values == values[0]):  # a rank correlation with a constant is undefined
            raise ValueError(f"{what} ({values[0]:.6g} on {len(values)} pairs), so the "
                             "Spearman correlation is undefined (not a number)")
    from scipy import stats  # imported here: it costs ~0.5 s, and only this function needs it

    spearman = stats.spearmanr(human, model)
    pearson = stats.pearsonr(human, model)
    name = dataset if str(dataset) in DATASETS else str(path)
    return WordSimilarityResult(name, float(spearman[0]), float(spearman[1]), float(pearson[0]),
                                float(pearson[1]), len(human), oov, human, model, word_pairs)
