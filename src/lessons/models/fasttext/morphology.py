"""Measuring subword vectors on held-out word forms.

Chapter: *Subwords: fastText trained for real*.

The test: take morphological variants of frequent words (*violinists* of
*violinist*, *unfriendly* of *friendly*), remove every occurrence of the variants
from the training text, train, and ask where the base word ranks among the
neighbours of the variant's vector.  A word-only model has no vector for a word it
never saw (a miss); a subword model builds one from the n-grams.

Two controls keep the measurement honest:

* :func:`spelling_ranks`: the rank of the base by spelling alone (the Jaccard overlap
  of the two words' n-gram sets, no training at all).  If spelling alone finds the
  base, finding it says little about meaning.
* :func:`neighbour_kinds`: what the other neighbours are: the same stem, related in
  meaning (among the base's nearest neighbours in a model that never sees spelling),
  or sharing only the ending (*violinists* next to *awarding*).
"""
from __future__ import annotations

import numpy as np

from lessons import checks
from lessons.vectors.linalg import unit_rows

from .ngrams import char_ngrams, ngram_hashes

__all__ = ["AFFIXES", "apply_affix", "variant_pairs", "choose_heldout", "remove_words",
           "cosine_ranks", "spelling_ranks", "neighbour_kinds", "KINDS"]

#: The affixes tried: "-s" appends, "un-" prepends.
AFFIXES = ("-s", "-ly", "-ing", "-ed", "-er", "-ness", "un-")

#: What a neighbour of a variant can be, in the order :func:`neighbour_kinds` tests.
KINDS = ("base", "same stem", "related", "same ending", "other")


def apply_affix(base: str, affix: str) -> str:
    """``apply_affix("play", "-ing") == "playing"``, ``apply_affix("kind", "un-") == "unkind"``."""
    for name, value in (("base", base), ("affix", affix)):
        if not isinstance(value, str) or not value:
            raise checks.ArgumentTypeError(f"{name} must be a non-empty str, got "
                                           f"{checks.describe(value)}")
    if affix.strip("-") == "" or "-" in affix[1:-1]:
        raise ValueError(f"affix must be letters with one '-' at the start or the end, got "
                         f"{affix!r}")
    if affix.startswith("-"):
        return base + affix[1:]
    if affix.endswith("-"):
        return affix[:-1] + base
    raise ValueError(f"affix must start or end with '-', got {affix!r}")


def variant_pairs(words, counts, *, affixes=AFFIXES, min_base_count: int = 50,
                  min_variant_count: int = 5, max_variant_count: int = 200,
                  min_base_length: int = 4) -> list[tuple[str, str, str]]:
    """Every ``(variant, base, affix)`` of the vocabulary: ``variant = apply_affix(base, affix)``.

    The rule is purely orthographic (no stemmer), so a few pairs are accidents of
    spelling; the frequency limits keep bases well trained and variants rare enough to
    remove from the text without mangling it.

    Parameters
    ----------
    words : sequence of str; counts : (V,) their corpus counts

    Returns
    -------
    list of (variant, base, affix), sorted by affix (in ``affixes`` order), then variant.
    """
    words = checks.words("words", words)
    counts = checks.array("counts", counts, ndim=1, dtype=None, minimum=0,
                          what="a (V,) array of counts")
    if len(counts) != len(words):
        raise ValueError(f"counts must hold one count per word of words ({len(words)}), got "
                         f"{len(counts)}")
    count = {w: int(c) for w, c in zip(words, counts)}
    pairs = []
    for affix in affixes:
        for base, c in count.items():
            if c < min_base_count or len(base) < min_base_length:
                continue
            variant = apply_affix(base, affix)
            if min_variant_count <= count.get(variant, 0) <= max_variant_count:
                pairs.append((variant, base, affix))
    order = {a: i for i, a in enumerate(affixes)}
    return sorted(pairs, key=lambda p: (order[p[2]], p[0]))


def choose_heldout(pairs, *, per_affix: int, seed: int) -> list[tuple[str, str, str]]:
    """Up to ``per_affix`` pairs of each affix, drawn at random (``seed``), none of whose
    variants is another chosen pair's base; the order of ``pairs`` is kept."""
    per_affix = checks.integer("per_affix", per_affix, 1)
    rng = checks.random_state("seed", seed)
    if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__iter__"):
        raise checks.ArgumentTypeError(f"pairs must be a list of (variant, base, affix) "
                                       f"triples, got {checks.describe(pairs)}")
    pairs = list(pairs)
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 3
                and all(isinstance(w, str) for w in pair)):
            raise ValueError(f"pairs[{i}] must be a (variant, base, affix) triple of str, got "
                             f"{checks.describe(pair)}")
    bases = {base for _, base, _ in pairs}
    usable = [p for p in pairs if p[0] not in bases]  # a held-out word must not be a base
    chosen = set()
    for affix in dict.fromkeys(a for _, _, a in usable):
        of_affix = [i for i, p in enumerate(usable) if p[2] == affix]
        take = rng.permutation(len(of_affix))[:per_affix]
        chosen.update(of_affix[i] for i in take)
    return [p for i, p in enumerate(usable) if i in chosen]


def remove_words(tokens, removed) -> list[str]:
    """The token stream without any occurrence of the words in ``removed``."""
    if not isinstance(tokens, (list, tuple)):
        tokens = checks.words("tokens", tokens)  # also refuses a bare str
    try:  # every token a str, tested in C: a Python loop would double the time on text8
        for start in range(0, len(tokens), 1 << 16):
            "".join(tokens[start:start + (1 << 16)])
    except TypeError:
        checks.words("tokens", tokens)  # names the first token that is not a str
    removed = set(checks.words("removed", removed))
    return [t for t in tokens if t not in removed]


def cosine_ranks(vectors, queries, targets, *, exclude_rows=None) -> np.ndarray:
    """Rank of each target among all rows by cosine with its query (1 = nearest).

    Parameters
    ----------
    vectors : (V, d) the vocabulary's vectors
    queries : (m, d) one query vector per measurement
    targets : (m,) int, the row of the word whose rank is measured
    exclude_rows : (m,) int or None, a row left out of each ranking (the query word
        itself when it is in the vocabulary); -1 for none

    Returns
    -------
    (m,) int64: ``1 + `` the number of other rows strictly closer than the target.
    """
    vectors = checks.matrix("vectors", vectors, min_rows=1, what="a (V, d) matrix")
    queries = checks.matrix("queries", queries, columns=vectors.shape[1], what="an (m, d) matrix")
    for name, ids, low in (("targets", targets, 0), ("exclude_rows", exclude_rows, -1)):
        if ids is None:
            continue
        ids = checks.array(name, ids, ndim=1, dtype=None, what="an (m,) array of rows")
        if len(ids) != len(queries):
            raise ValueError(f"{name} must hold one row per query ({len(queries)}), got "
                             f"{len(ids)}")
        if ids.size and (ids.dtype.kind not in "iu" or ids.min() < low
                         or ids.max() >= len(vectors)):
            raise ValueError(f"{name} must be integer rows in {low}..{len(vectors) - 1}, got "
                             f"dtype {ids.dtype} and values in {ids.min()}..{ids.max()}")
    unit = unit_rows(vectors)  # (V, d)
    q = unit_rows(queries)  # (m, d)
    scores = q @ unit.T  # (m, V)
    targets = np.asarray(targets, dtype=np.int64)
    if exclude_rows is not None:
        exclude_rows = np.asarray(exclude_rows, dtype=np.int64)
        has = exclude_rows >= 0
        scores[np.flatnonzero(has), exclude_rows[has]] = -np.inf
    own = scores[np.arange(len(targets)), targets]  # (m,)
    return 1 + (scores > own[:, None]).sum(axis=1)


def _gram_sets(words, min_n, max_n):
    """Sparse (len(words), G) 0/1 matrix of each word's distinct n-grams, and the column map."""
    from scipy import sparse

    grams = [sorted(set(char_ngrams(w, min_n, max_n))) for w in words]
    hashes = ngram_hashes([g for gs in grams for g in gs]).astype(np.int64)
    columns, inverse = np.unique(hashes, return_inverse=True)
    rows = np.repeat(np.arange(len(words)), [len(gs) for gs in grams])
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, inverse)),
                               shape=(len(words), len(columns)))
    return matrix, columns


def spelling_ranks(words, queries, targets, *, min_n: int = 3, max_n: int = 6) -> np.ndarray:
    """Rank of each target word among ``words`` by spelling alone (1 = most similar).

    The score of a vocabulary word ``w`` for a query ``q`` is the Jaccard overlap
    ``|G(q) & G(w)| / |G(q) | G(w)|`` of their sets of character n-grams (the hashes
    stand for the n-grams), no training involved.  Ties are frequent, and the rank is
    optimistic: ``1 + `` the number of words strictly more similar; the query word
    itself is left out.

    Parameters
    ----------
    words : sequence of str, the vocabulary
    queries, targets : sequences of str of equal length

    Returns
    -------
    (m,) int64
    """
    words = checks.words("words", words)
    if not words:
        raise ValueError("words must hold at least one word (the vocabulary), got none")
    queries, targets = checks.words("queries", queries), checks.words("targets", targets)
    if len(queries) != len(targets):
        raise ValueError(f"queries and targets must have the same length, got {len(queries)} "
                         f"and {len(targets)}")
    index = {w: i for i, w in enumerate(words)}
    lost = [t for t in targets if t not in index]
    if lost:
        raise ValueError(f"targets must be words of words: {lost[0]!r} is not")
    vocab_sets, columns = _gram_sets(words, min_n, max_n)  # (V, G)
    sizes = np.asarray(vocab_sets.sum(axis=1)).ravel()  # (V,)
    ranks = np.empty(len(queries), dtype=np.int64)
    for m, (query, target) in enumerate(zip(queries, targets)):
        hashes = ngram_hashes(sorted(set(char_ngrams(query, min_n, max_n)))).astype(np.int64)
        known = np.searchsorted(columns, hashes)
        known = known[(known < len(columns)) & (columns[np.minimum(known, len(columns) - 1)]
                                                 == hashes)]  # columns of the query's n-grams
        shared = np.asarray(vocab_sets[:, known].sum(axis=1)).ravel()  # (V,) |G(q) & G(w)|
        jaccard = shared / (sizes + len(hashes) - shared)
        if query in index:
            jaccard[index[query]] = -np.inf
        ranks[m] = 1 + int((jaccard > jaccard[index[target]]).sum())
    return ranks


def neighbour_kinds(neighbours, variant: str, base: str, related, *,
                    stem_length: int = 5, ending_length: int = 3) -> list[str]:
    """What each neighbour of ``variant`` is, one of :data:`KINDS`, tested in that order.

    * ``"base"``: the base word itself;
    * ``"same stem"``: it begins with the base's first ``stem_length`` letters (the whole
      base if shorter): another form of the same word (*violins* for *violinists*);
    * ``"related"``: it is in ``related``, the base's nearest neighbours in a model that
      never sees spelling (a word-only model): related in meaning by that model's judgment;
    * ``"same ending"``: it ends with the variant's last ``ending_length`` letters and is
      none of the above: the suffix-only neighbours (*violinists*, *awarding*);
    * ``"other"``.
    """
    neighbours = checks.words("neighbours", neighbours)
    related = set(checks.words("related", related))
    for name, value in (("variant", variant), ("base", base)):
        if not isinstance(value, str) or not value:
            raise checks.ArgumentTypeError(f"{name} must be a non-empty str, got "
                                           f"{checks.describe(value)}")
    stem_length = checks.integer("stem_length", stem_length, 1)
    ending_length = checks.integer("ending_length", ending_length, 1)
    stem = base[:stem_length]
    ending = variant[-ending_length:]
    kinds = []
    for word in neighbours:
        if word == base:
            kinds.append("base")
        elif word.startswith(stem):
            kinds.append("same stem")
        elif word in related:
            kinds.append("related")
        elif word.endswith(ending):
            kinds.append("same ending")
        else:
            kinds.append("other")
    return kinds
