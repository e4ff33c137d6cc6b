"""Word vectors you can query: the :class:`Embeddings` object.

Chapter: *Why vectors* (and every chapter that shows similarities or analogies).

An :class:`Embeddings` holds a vocabulary (``words``, length V) and a (V, d) float32 matrix of
vectors. It can come from our trainer, from a word2vec file
(:meth:`Embeddings.load_word2vec_format`),
from gensim (:meth:`Embeddings.from_keyedvectors`) or from any ``(words, matrix)`` pair.

Every query works on *cosine similarity*, the dot product of unit-length vectors. The unit vectors
are computed once (:attr:`Embeddings.normalized`) and cached, so a nearest-neighbour query over the
whole vocabulary is a single matrix-vector product plus a partial sort (``np.argpartition``).

The query names and their semantics follow gensim's ``KeyedVectors`` so that results can be
compared side by side (``most_similar``, ``most_similar_cosmul``, ``doesnt_match``, ``similarity``).

References
----------
- T. Mikolov, W. Yih, G. Zweig (2013). Linguistic Regularities in Continuous Space Word
  Representations. NAACL. (the vector-offset method, "3CosAdd")
- O. Levy, Y. Goldberg (2014). Linguistic Regularities in Sparse and Explicit Word
  Representations. CoNLL. (3CosAdd vs 3CosMul, equations (3) and (4))
- gensim ``KeyedVectors`` (R. Řehůřek), whose names and conventions we follow.
"""
from __future__ import annotations

import difflib
from typing import Sequence

import numpy as np

from lessons import checks
from lessons.vectors import formats
from lessons.vectors.analogy import METHODS, analogy_scores
from lessons.vectors.linalg import row_norms, unit_rows
from lessons.vectors.neighbors import SUGGESTION_CANDIDATES, Neighbors, UnknownWordError

__all__ = ["Embeddings"]

class Embeddings:
    """Words and their vectors, with similarity queries.

    Parameters
    ----------
    words : sequence of str, length V
        The vocabulary, in row order (most frequent first, if you want ``restrict_vocab`` to
        mean "the most frequent words").
    vectors : (V, d) array
        The input ("word") vectors, stored as float32.
    context_vectors : (V, d) array or None
        The output ("context") vectors, when the model has them.
    counts : (V,) int or None
        Corpus frequency of each word.
    history : object or None
        The training history, when the vectors come from a trainer.

    Notes
    -----
    ``vectors`` (and ``context_vectors``, ``norms``, ``normalized``) are read-only arrays the
    object owns: an array passed in is copied when the caller could still change it, so a
    query never uses stale cached unit vectors.  To change the vectors, assign a new matrix:
    ``v = emb.vectors.copy(); v[0] = ...; emb.vectors = v`` (the cache is dropped).

    Examples
    --------
    >>> import numpy as np
    >>> emb = Embeddings(["king", "queen", "man", "woman", "apple"],
    ...                  np.array([[1, 1, 0.1], [1, -1, 0.1], [0.1, 1, 0], [0.1, -1, 0],
    ...                            [0, 0.1, 1]]))
    >>> emb.most_similar("king", topn=2)
    [('man', 0.7720),
     ('apple', 0.1404)]
    >>> emb.analogy("man", "king", "woman")      # man : king :: woman : ?
    [('queen', 0.9600)]
    """

    def __init__(self, words: Sequence[str], vectors, *, context_vectors=None, counts=None,
                 history=None):
        words = checks.words("words", words)
        index = {w: i for i, w in enumerate(words)}
        if len(index) != len(words):
            seen = set()
            duplicate = next(w for w in words if w in seen or seen.add(w))
            raise ValueError(f"words must be unique; {duplicate!r} appears more than once")
        self.words = words
        self.index = index
        self.vectors = vectors  # property: validates the shape and drops the cached unit vectors
        if context_vectors is not None:
            context_vectors = _owned(formats.word_vectors(
                words, context_vectors, name="context_vectors", dim=self.dim), context_vectors)
        self.context_vectors = context_vectors
        if counts is not None:
            counts = np.asarray(counts, dtype=np.int64)
            if counts.shape != (len(words),):
                raise ValueError(f"counts must have shape (V,) = ({len(words)},), "
                                 f"got {counts.shape}")
            if counts.size and counts.min() < 0:
                i = int(np.argmax(counts < 0))
                raise ValueError(f"counts must be >= 0; counts[{i}] ({words[i]!r}) is {counts[i]}")
        self.counts = counts
        self.history = history

    # ------------------------------------------------------------------ storage and lookup

    @property
    def vectors(self) -> np.ndarray:
        """(V, d) float32 word vectors, as trained (not normalised)."""
        return self._vectors

    @vectors.setter
    def vectors(self, vectors) -> None:
        self._vectors = _owned(formats.word_vectors(self.words, vectors), vectors)
        self._norms = None       # (V,) float32, computed on first use
        self._normalized = None  # (V, d) float32, computed on first use

    @property
    def norms(self) -> np.ndarray:
        """(V,) float32 Euclidean length of each word vector (cached)."""
        if self._norms is None:
            self._norms = row_norms(self._vectors)  # (V,) float32
            self._norms.flags.writeable = False
        return self._norms

    @property
    def normalized(self) -> np.ndarray:
        """(V, d) float32 unit-length rows, computed once and cached.

        A row whose vector is all zeros stays all zeros (its cosine with anything is 0, not NaN).
        Rows are divided exactly as gensim does (``vectors[i] / norms[i]`` in float32), so cosine
        values agree with gensim's bit for bit on the same machine.
        """
        if self._normalized is None:
            self._normalized = unit_rows(self._vectors)  # (V, d) float32
            self._normalized.flags.writeable = False
        return self._normalized

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word) -> bool:
        return word in self.index

    def __iter__(self):
        return iter(self.words)

    def __getitem__(self, word: str) -> np.ndarray:
        return self._vectors[self.index_of(word)]

    def __repr__(self) -> str:
        head = ", ".join(repr(w) for w in self.words[:5])
        more = ", ..." if len(self.words) > 5 else ""
        return f"Embeddings({len(self):,} words x {self.dim} dims: {head}{more})"

    @property
    def dim(self) -> int:
        """d, the number of dimensions."""
        return self._vectors.shape[1]

    def index_of(self, word: str) -> int:
        """Row of ``word``; :class:`UnknownWordError` (a ``KeyError``) naming it if absent."""
        try:
            return self.index[word]
        except KeyError:
            raise UnknownWordError(word, self._suggest(word)) from None

    def _suggest(self, word) -> list:
        if not isinstance(word, str):
            return []
        candidates = self.words[:SUGGESTION_CANDIDATES]
        suggestions = difflib.get_close_matches(word, candidates, n=3, cutoff=0.75)
        if not suggestions and word.lower() != word and word.lower() in self.index:
            suggestions = [word.lower()]
        return suggestions

    def get_vector(self, word: str, norm: bool = False) -> np.ndarray:
        """(d,) float32 vector of ``word``; unit length if ``norm`` (gensim's name)."""
        i = self.index_of(word)
        return self.normalized[i] if norm else self._vectors[i]

    # ------------------------------------------------------------------ queries

    def similarity(self, a, b) -> float:
        """Cosine similarity of two words (or vectors), in [-1, 1].

        Parameters
        ----------
        a, b : str or (d,) array

        Returns
        -------
        float
            0.0 when either vector is all zeros.
        """
        return float(np.dot(self._unit(a, "a"), self._unit(b, "b")))

    def most_similar(self, positive=None, negative=None, topn=10, restrict_vocab=None):
        """Words closest in cosine to the mean of ``positive`` minus ``negative``.

        Same semantics as gensim's ``KeyedVectors.most_similar``: each word is replaced by its unit
        vector, vectors are used as given, the weighted mean is normalised, and the input *words*
        are left out of the answer.

        Parameters
        ----------
        positive : str, (d,) array, or list of them (or of ``(item, weight)`` tuples)
            Items that pull the query towards them (default weight +1).
        negative : same as ``positive``, optional
            Items that push the query away (default weight -1).
        topn : int or None
            How many neighbours to return. ``None`` returns the (R,) float32 array of cosine
            similarities with every word instead.
        restrict_vocab : int or None
            Only search the first ``restrict_vocab`` words (the most frequent ones when the
            vocabulary is sorted by frequency).

        Returns
        -------
        Neighbors
            A list of ``(word, cosine)`` tuples, most similar first.

        Examples
        --------
        ``emb.most_similar("king")``, ``emb.most_similar(positive=["king", "woman"],
        negative=["man"])``, ``emb.most_similar([emb["paris"] - emb["france"]])``.
        """
        if topn is not None and checks.integer("topn", topn, 0) == 0:
            return Neighbors()  # gensim's convention: topn=0 asks for no answer
        query, input_rows = self._weighted_mean(positive, negative)  # (d,) unit, set of rows
        rows = self._restricted_rows(restrict_vocab)
        scores = self.normalized[:rows] @ query  # (R,) float32 cosines
        return self._best(scores, topn, exclude=input_rows)

    def most_similar_cosmul(self, positive=None, negative=None, topn=10, restrict_vocab=None,
                            epsilon=1e-3):
        """Multiplicative combination (3CosMul, Levy & Goldberg 2014, equation (4)).

        The score of a candidate word x is::

            prod_{p in positive} s(x, p) / (prod_{n in negative} s(x, n) + epsilon)

        with cosines shifted to [0, 1], ``s = (cos + 1) / 2``, so no single large similarity can
        dominate the sum the way it can in 3CosAdd. Input words are left out of the answer.

        Parameters
        ----------
        positive, negative : str, (d,) array, or list of them
            Words are replaced by their unit vectors; vectors are used as given.
        topn : int or None
            ``None`` returns the (R,) float32 array of scores.
        restrict_vocab : int or None
            Only search the first ``restrict_vocab`` words.
        epsilon : float
            Keeps the denominator away from zero. Levy & Goldberg use 0.001 (our default);
            gensim's ``most_similar_cosmul`` uses 1e-6 (pass ``epsilon=1e-6`` to match it).

        Returns
        -------
        Neighbors
            ``(word, score)`` tuples, best first.
        """
        if topn is not None and checks.integer("topn", topn, 0) == 0:
            return Neighbors()
        checks.number("epsilon", epsilon, 0, strict=True)
        positive, negative = _as_list(positive, "positive"), _as_list(negative, "negative")
        if not positive:
            raise ValueError("positive must name at least one word or vector")
        input_rows = {self.index_of(item) for item in positive + negative if isinstance(item, str)}
        rows = self._restricted_rows(restrict_vocab)
        unit = self.normalized[:rows]  # (R, d) float32

        def product(items, name):  # (R,) float32: the product of the shifted cosines (cos + 1) / 2
            out = np.ones(rows, dtype=np.float32)
            for item in items:
                out *= (unit @ self._vector_of(item, norm=True, name=name) + 1) / 2
            return out

        scores = product(positive, "positive")
        if negative:
            scores /= product(negative, "negative") + np.float32(epsilon)
        if not np.isfinite(scores).all():  # vectors are used as given: a huge one overflows
            raise ValueError("positive and negative: the 3CosMul scores overflow float32 for these "
                             "query vectors (they are used as given); pass unit-length vectors")
        return self._best(scores, topn, exclude=input_rows)

    def analogy(self, a, b, c, method="3cosadd", topn=1, exclude_inputs=True, restrict_vocab=None,
                epsilon=1e-3):
        """Solve "``a`` is to ``b`` as ``c`` is to ?".

        "man is to king as woman is to ?" is ``analogy("man", "king", "woman")`` and the hoped-for
        answer is "queen": the word x that is to "woman" what "king" is to "man".

        Parameters
        ----------
        a, b, c : str
            The analogy a : b :: c : ?.
        method : {"3cosadd", "3cosmul"}
            ``"3cosadd"`` (Mikolov et al. 2013) ranks words by cos(x, b - a + c) on unit vectors,
            i.e. ``most_similar(positive=[b, c], negative=[a])``; the score is that cosine.
            ``"3cosmul"`` (Levy & Goldberg 2014) ranks by s(x, b) s(x, c) / (s(x, a) + epsilon)
            with s = (cos + 1) / 2, i.e. ``most_similar_cosmul(positive=[b, c], negative=[a])``.
        topn : int
            How many answers to return.
        exclude_inputs : bool
            Leave a, b and c out of the answers (the default, as in word2vec.c and gensim).
            Why it matters: b - a + c is usually still closest to b itself, because the offset
            c - a is small next to b. Without the exclusion "king - man + woman" very often
            answers "king", and the analogy test would mostly measure how often b is the nearest
            word to b - a + c rather than whether the offset points to "queen".
        restrict_vocab : int or None
            Only consider the first ``restrict_vocab`` words as answers.
        epsilon : float
            3CosMul only; see :meth:`most_similar_cosmul`.

        Returns
        -------
        Neighbors
            ``topn`` ``(word, score)`` tuples, best first: ``emb.analogy("man", "king",
            "woman")[0][0]`` is the answer.
        """
        checks.choice("method", method, METHODS)
        checks.number("epsilon", epsilon, 0, strict=True)
        for name, word in (("a", a), ("b", b), ("c", c)):
            if not isinstance(word, str):
                raise TypeError(f"{name} must be a word (str), got {type(word).__name__}")
        rows = [[self.index_of(w)] for w in (a, b, c)]  # (1,) row of a, of b, of c
        scores = analogy_scores(self.normalized, *rows, method=method, epsilon=epsilon,
                                candidates=self._restricted_rows(restrict_vocab))[0]  # (R,)
        exclude = {r[0] for r in rows} if exclude_inputs else ()
        return self._best(scores, topn, exclude=exclude)

    def doesnt_match(self, words) -> str:
        """The word furthest (in cosine) from the mean of the unit vectors of ``words``.

        Same as gensim's ``doesnt_match``, except that an unknown word is an error rather than
        silently ignored. ``emb.doesnt_match(["breakfast", "cereal", "dinner", "lunch"])``.
        """
        words = checks.words("words", words)
        if len(words) < 2:
            raise ValueError(f"words must be a list of at least two words, got {words!r}")
        unit = self.normalized[[self.index_of(w) for w in words]]  # (n, d) float32
        mean = unit_rows(unit.mean(axis=0))  # (d,)
        return words[int(np.argmin(unit @ mean))]

    def nearest(self, vector, topn=10, restrict_vocab=None, exclude=()):
        """Words whose vectors are closest in cosine to ``vector``.

        Parameters
        ----------
        vector : (d,) array
            Any vector, e.g. ``emb["paris"] - emb["france"] + emb["italy"]``.
        topn : int
        restrict_vocab : int or None
            Only search the first ``restrict_vocab`` words.
        exclude : iterable of str
            Words to leave out of the answer (unlike :meth:`most_similar`, nothing is excluded
            by default: a vector has no "input words").

        Returns
        -------
        Neighbors
            ``(word, cosine)`` tuples, best first.
        """
        query = self._unit(vector, "vector")
        rows = self._restricted_rows(restrict_vocab)
        scores = self.normalized[:rows] @ query  # (R,) float32
        return self._best(scores, topn, exclude={self.index_of(w) for w in exclude})

    # ------------------------------------------------------------------ gensim and files

    @classmethod
    def from_keyedvectors(cls, kv) -> "Embeddings":
        """Copy a gensim ``KeyedVectors`` (or a model with a ``.wv``, e.g. ``Word2Vec``).

        Counts come along when gensim has them; a ``Word2Vec`` model trained with negative
        sampling also gives its output vectors (``syn1neg``) as ``context_vectors``.
        """
        model = kv
        kv = getattr(model, "wv", model)
        counts = None
        if "count" in getattr(kv, "expandos", {}):
            counts = np.asarray(kv.expandos["count"], dtype=np.int64)
        context = getattr(model, "syn1neg", None)
        if context is not None and np.shape(context) != np.shape(kv.vectors):
            context = None
        return cls(list(kv.index_to_key), np.array(kv.vectors, dtype=np.float32),
                   context_vectors=context, counts=counts)

    def to_keyedvectors(self):
        """A gensim ``KeyedVectors`` with the same words (same order), vectors and counts."""
        from gensim.models import KeyedVectors

        kv = KeyedVectors(vector_size=self.dim, count=0, dtype=np.float32)
        kv.add_vectors(self.words, self._vectors.copy())
        if self.counts is not None:
            kv.allocate_vecattrs(attrs=["count"], types=[np.int64])
            kv.expandos["count"][:] = self.counts
        return kv

    @classmethod
    def load_word2vec_format(cls, path, binary=False) -> "Embeddings":
        """Read a word2vec text or binary file (``.gz`` is decompressed on the fly).

        Raises :class:`lessons.vectors.formats.FormatError` (a ``ValueError``) naming the line
        (text) or byte offset (binary) of anything malformed. Nothing is unpickled.
        """
        return cls(*formats.read_word2vec(path, binary=binary))

    def save_word2vec_format(self, path, binary=False) -> None:
        """Write the word2vec text or binary format that word2vec.c and gensim read."""
        formats.write_word2vec(path, self.words, self._vectors, binary=binary)

    def save_projector_tsv(self, prefix):
        """Write TensorFlow Embedding Projector files (projector.tensorflow.org, "Load").

        Parameters
        ----------
        prefix : str or path
            A directory (existing, or ending in "/") gets ``vectors.tsv`` and ``metadata.tsv``;
            anything else is a file prefix: ``{prefix}_vectors.tsv``, ``{prefix}_metadata.tsv``.

        Returns
        -------
        (vectors_path, metadata_path)
        """
        return formats.write_projector_tsv(prefix, self.words, self._vectors)

    # ------------------------------------------------------------------ helpers

    def _restricted_rows(self, restrict_vocab) -> int:
        if restrict_vocab is None:
            return len(self.words)
        return min(checks.integer("restrict_vocab", restrict_vocab, 1), len(self.words))

    def _vector_of(self, item, norm: bool, name: str = "vector") -> np.ndarray:
        """(d,) float32: a word's (unit) vector, or a given vector as is (``name``: argument)."""
        if isinstance(item, str):
            return self.get_vector(item, norm=norm)
        # float32, as the vectors: numbers beyond float32's 3.4e38 become inf and are refused
        return checks.array(name, item, ndim=1, columns=self.dim, dtype=np.float32,
                            what=f"a word (str) or a ({self.dim},) vector")

    def _unit(self, item, name: str = "vector") -> np.ndarray:
        """(d,) float32 unit vector of a word or vector (zeros stay zeros)."""
        if isinstance(item, str):
            return self.get_vector(item, norm=True)
        return unit_rows(self._vector_of(item, norm=False, name=name))

    def _weighted_mean(self, positive, negative):
        """gensim's query vector: normalised weighted mean of the items. Returns ((d,), rows)."""
        positive, negative = _as_list(positive, "positive"), _as_list(negative, "negative")
        if not positive and not negative:
            raise ValueError("most_similar needs at least one positive or negative word or vector")
        total = np.zeros(self.dim, dtype=np.float32)  # (d,)
        total_weight = 0.0
        input_rows = set()
        items = [(p, 1.0, "positive") for p in positive] + [(n, -1.0, "negative") for n in negative]
        for item, default_weight, name in items:
            weight = default_weight
            if isinstance(item, tuple):
                item, weight = item
                checks.number(f"{name}: the weight of {item!r}", weight)
            if isinstance(item, str):
                input_rows.add(self.index_of(item))
            total += np.float32(weight) * self._vector_of(item, norm=True, name=name)
            total_weight += abs(weight)
        if not total_weight > 0:
            raise ValueError(f"the weights of positive and negative sum to {total_weight} in "
                             f"absolute value: give at least one item a non-zero weight")
        if not np.isfinite(total).all():
            raise ValueError("positive and negative: the weighted sum of the query vectors "
                             "overflows float32; scale the vectors (or weights) down")
        return unit_rows(total / np.float32(total_weight)), input_rows

    def _best(self, scores, topn, exclude=()) -> Neighbors:
        """Top ``topn`` rows of ``scores`` (R,), leaving out rows in ``exclude``, best first
        (``topn=None``: ``scores`` itself, gensim's convention).

        ``np.argpartition`` finds the top k in O(R); only those k are then sorted (by score,
        ties by row so the order does not depend on the partition algorithm).
        """
        if topn is None:
            return scores
        topn = checks.integer("topn", topn, 0)
        excluded = [r for r in exclude if r < len(scores)]
        if excluded:
            scores = scores.copy()
            scores[excluded] = -np.inf
        k = min(topn, len(scores) - len(excluded))
        if k <= 0:
            return Neighbors()
        top = np.argpartition(scores, len(scores) - k)[len(scores) - k:]  # (k,) unordered
        top = top[np.lexsort((top, -scores[top]))]  # (k,) best first
        return Neighbors((self.words[i], float(scores[i])) for i in top)


def _as_list(items, name: str) -> list:
    """gensim's convention: a single word or vector is a list of one (``name``: the argument)."""
    if items is None:
        return []
    if isinstance(items, (str, np.ndarray)) or (isinstance(items, tuple) and len(items) == 2
                                                and not isinstance(items[1], str)):
        return [items]
    if not hasattr(items, "__iter__") or isinstance(items, (bytes, dict, set)):
        raise checks.ArgumentTypeError(f"{name} must be a word (str), a vector, or a list of "
                                       f"them, got {checks.describe(items)}")
    return list(items)


def _owned(array: np.ndarray, given) -> np.ndarray:
    """``array`` (checked from ``given``) as a read-only array no one else can change: copied
    when it is ``given`` itself or shares its memory (the caller could write to it later)."""
    if isinstance(given, np.ndarray) and np.may_share_memory(array, given):
        array = array.copy()
    array.flags.writeable = False
    return array
