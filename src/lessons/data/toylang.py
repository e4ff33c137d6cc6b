"""A planted toy language: a synthetic corpus whose right answers are known.

Chapters: *The neural language model*, *Skip-gram*, *The parameter explorer* (whose
live panel retrains on it in about a second) and *What came after word2vec*.

Every *topic word* of the language is a bundle of attributes, and every attribute
value has its own little set of *cue words*.  A sentence names one topic word
together with one cue word for each of its attributes, in random order:

    queen  = person(gender=female, rank=royal, age=adult)
    "her crown queen grown"      "palace the queen she adult"

Because a word's contexts are the union of its attributes' cues, the co-occurrence
statistics of ``queen`` are those of ``king`` with the male cues swapped for female
ones -- exactly the same swap that turns ``man`` into ``woman``.  So
``king - man + woman`` lands on ``queen``: the analogies are *planted*.  Four
families are planted:

* people: gender x rank x age (man, woman, boy, girl, king, queen, prince, princess);
* places: country x kind (france/paris, italy/rome, ...);
* nouns: animal x number (cat/cats, mouse/mice, ...);
* verbs: action x tense (walk/walked, run/ran, ...).

:func:`planted_analogies` lists every ``a : b :: c : d`` quadruple (``b - a`` and
``d - c`` change the same attribute the same way), and :func:`planted_relations`
lists the word pairs of each relation, for drawing arrows.
"""
from __future__ import annotations

import itertools

from lessons import checks

__all__ = [
    "TOPIC_WORDS",
    "TOY_TRAINING",
    "toy_sentences",
    "planted_analogies",
    "planted_relations",
    "word_family",
]

#: Settings under which :func:`lessons.models.word2vec.train` recovers every planted analogy
#: from ``toy_sentences(4000)`` in about 0.1 s (skip-gram or CBOW).  Subsampling is
#: off: in a corpus of ~14,000 tokens and ~100 words every word is "frequent".
TOY_TRAINING = dict(dim=30, window=5, epochs=10, min_count=1, subsample=0.0)

# Each family: attribute names, the cue words of every attribute value, and the
# topic word of every combination of values.
_FAMILIES = {
    "people": {
        "attributes": ("gender", "rank", "age"),
        "cues": {
            "gender": {"male": ("he", "his", "him"), "female": ("she", "her", "hers")},
            "rank": {"common": ("farm", "village", "market"),
                     "royal": ("crown", "throne", "palace")},
            "age": {"adult": ("grown", "adult", "work"), "young": ("little", "school", "toys")},
        },
        "words": {
            ("male", "common", "adult"): "man", ("female", "common", "adult"): "woman",
            ("male", "common", "young"): "boy", ("female", "common", "young"): "girl",
            ("male", "royal", "adult"): "king", ("female", "royal", "adult"): "queen",
            ("male", "royal", "young"): "prince", ("female", "royal", "young"): "princess",
        },
    },
    "places": {
        "attributes": ("country", "kind"),
        "cues": {
            "country": {
                "france": ("french", "wine"), "italy": ("italian", "pasta"),
                "spain": ("spanish", "flamenco"), "germany": ("german", "beer"),
                "japan": ("japanese", "sushi"), "egypt": ("egyptian", "nile"),
            },
            "kind": {"country": ("nation", "border", "people"),
                     "capital": ("city", "mayor", "streets")},
        },
        "words": {
            ("france", "country"): "france", ("france", "capital"): "paris",
            ("italy", "country"): "italy", ("italy", "capital"): "rome",
            ("spain", "country"): "spain", ("spain", "capital"): "madrid",
            ("germany", "country"): "germany", ("germany", "capital"): "berlin",
            ("japan", "country"): "japan", ("japan", "capital"): "tokyo",
            ("egypt", "country"): "egypt", ("egypt", "capital"): "cairo",
        },
    },
    "nouns": {
        "attributes": ("animal", "number"),
        "cues": {
            "animal": {
                "cat": ("meows", "whiskers"), "dog": ("barks", "bone"),
                "horse": ("gallops", "saddle"), "bird": ("wings", "nest"),
                "cow": ("moo", "milk"), "mouse": ("squeaks", "cheese"),
            },
            "number": {"one": ("a", "one", "single"), "many": ("many", "two", "several")},
        },
        "words": {
            ("cat", "one"): "cat", ("cat", "many"): "cats",
            ("dog", "one"): "dog", ("dog", "many"): "dogs",
            ("horse", "one"): "horse", ("horse", "many"): "horses",
            ("bird", "one"): "bird", ("bird", "many"): "birds",
            ("cow", "one"): "cow", ("cow", "many"): "cows",
            ("mouse", "one"): "mouse", ("mouse", "many"): "mice",
        },
    },
    "verbs": {
        "attributes": ("action", "tense"),
        "cues": {
            "action": {
                "walk": ("path", "slowly"), "run": ("fast", "race"),
                "eat": ("food", "hungry"), "sing": ("song", "voice"),
                "write": ("letter", "pen"), "swim": ("water", "lake"),
            },
            "tense": {"present": ("today", "now", "often"),
                      "past": ("yesterday", "ago", "once")},
        },
        "words": {
            ("walk", "present"): "walk", ("walk", "past"): "walked",
            ("run", "present"): "run", ("run", "past"): "ran",
            ("eat", "present"): "eat", ("eat", "past"): "ate",
            ("sing", "present"): "sing", ("sing", "past"): "sang",
            ("write", "present"): "write", ("write", "past"): "wrote",
            ("swim", "present"): "swim", ("swim", "past"): "swam",
        },
    },
}

#: Every topic word, family by family.
TOPIC_WORDS: tuple[str, ...] = tuple(
    w for family in _FAMILIES.values() for w in family["words"].values())

# Flat lists for fast sampling: (word, cue tuples of its attributes).
_TOPICS = [
    (word, tuple(family["cues"][attr][value] for attr, value in zip(family["attributes"], values)))
    for family in _FAMILIES.values()
    for values, word in family["words"].items()
]


def toy_sentences(n_sentences: int = 3000, *, seed=0, filler: float = 0.3) -> list[list[str]]:
    """Generate ``n_sentences`` sentences of the toy language, deterministically from ``seed``.

    Each sentence holds one topic word (uniformly chosen), one cue word for each of
    its attributes, and with probability ``filler`` the word ``"the"``, shuffled.

    Parameters
    ----------
    n_sentences : int >= 1
    seed : int or numpy.random.Generator
    filler : float in [0, 1]
        Probability of adding the meaningless word ``"the"`` (a frequent word for
        subsampling to act on).

    Returns
    -------
    list of list of str (3 to 5 tokens each)
    """
    n_sentences = checks.integer("n_sentences", n_sentences, 1)
    filler = checks.number("filler", filler, 0, 1)
    rng = checks.random_state("seed", seed)
    topic_ids = rng.integers(len(_TOPICS), size=n_sentences)
    sentences = []
    for t in topic_ids.tolist():
        word, cue_sets = _TOPICS[t]
        sentence = [word] + [cues[rng.integers(len(cues))] for cues in cue_sets]
        if rng.random() < filler:
            sentence.append("the")
        rng.shuffle(sentence)
        sentences.append(sentence)
    return sentences


def planted_relations() -> dict[str, list[tuple[str, str]]]:
    """Word pairs ``(a, b)`` of every planted relation, e.g. ``"gender": [("man", "woman"), ...]``.

    A relation changes one attribute from one value to another with the others
    fixed; its pairs should be parallel arrows in a good embedding.
    """
    relations: dict[str, list[tuple[str, str]]] = {}
    for family in _FAMILIES.values():
        attrs = family["attributes"]
        for a_index, attr in enumerate(attrs):
            values = list(family["cues"][attr])
            if len(values) != 2:  # country/animal/action: identities, not relations
                continue
            name = {"gender": "gender", "rank": "royalty", "age": "age", "kind": "capital",
                    "number": "plural", "tense": "past tense"}[attr]
            pairs = []
            for combo, word in family["words"].items():
                if combo[a_index] == values[0]:
                    other = combo[:a_index] + (values[1],) + combo[a_index + 1:]
                    pairs.append((word, family["words"][other]))
            relations[name] = pairs
    return relations


def planted_analogies() -> list[tuple[str, str, str, str]]:
    """Every planted analogy ``(a, b, c, d)`` meaning ``a : b :: c : d``.

    For each relation and each ordered pair of its distinct word pairs, both
    directions: ``man : woman :: king : queen`` and ``woman : man :: queen : king``.
    """
    out = []
    for pairs in planted_relations().values():
        for (a, b), (c, d) in itertools.permutations(pairs, 2):
            out.append((a, b, c, d))
            out.append((b, a, d, c))
    return out


def word_family(word: str) -> str:
    """The family of a word ("people", "places", "nouns", "verbs", "cue" or "filler")."""
    for name, family in _FAMILIES.items():
        if word in family["words"].values():
            return name
    if word == "the":
        return "filler"
    for family in _FAMILIES.values():
        for per_value in family["cues"].values():
            if any(word in cues for cues in per_value.values()):
                return "cue"
    raise ValueError(f"word {word!r} is not in the toy language")
