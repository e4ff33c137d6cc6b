"""lessons.vectors.evaluation agrees with gensim's evaluate_word_analogies / evaluate_word_pairs."""
import numpy as np
import pytest
from gensim.test.utils import datapath

from lessons.vectors.embeddings import Embeddings
from lessons.vectors.evaluation import google_analogies, word_similarity

# gensim's most_similar_cosmul calls its own deprecated init_sims()
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated:DeprecationWarning")

QUESTIONS = datapath("questions-words.txt")
NEAR_TIE = 1e-5  # score gap below which float rounding may legitimately flip gensim's answer


def _read_sections(path):
    sections = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(": "):
                sections.append((line[2:].strip(), []))
            elif line.split():
                sections[-1][1].append(line.split())
    return sections


@pytest.fixture(scope="module")
def question_subset(tmp_path_factory):
    """The first 50 questions of every section (700 questions, 14 sections), plus a malformed
    line that gensim skips without counting."""
    path = tmp_path_factory.mktemp("analogies") / "questions-subset.txt"
    lines = []
    for name, questions in _read_sections(QUESTIONS):
        lines.append(f": {name}")
        lines.extend(" ".join(q) for q in questions[:50])
        lines.append("only three words")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def planted():
    """Vectors over the analogy and word-pair words with planted relations, so that some
    analogies are right and some wrong; case variants and filler words included, in shuffled
    order, so that restrict_vocab leaves some questions out of vocabulary."""
    rng = np.random.default_rng(1234)
    dim = 24
    sections = _read_sections(QUESTIONS)
    words = sorted({w.lower() for _, qs in sections for q in qs for w in q})
    for dataset in ("wordsim353.tsv", "simlex999.txt"):
        with open(datapath(dataset), encoding="utf-8") as handle:
            for line in handle:
                if not line.startswith("#"):
                    words.extend(w.lower() for w in line.split("\t")[:2])
    words = list(dict.fromkeys(words))
    vectors = {w: rng.standard_normal(dim) for w in words}
    for _, questions in sections:
        offset = rng.standard_normal(dim) * 1.5
        for q in questions[::3]:
            for first, second in ((q[0], q[1]), (q[2], q[3])):
                vectors[second.lower()] = (vectors[first.lower()] + offset
                                           + rng.standard_normal(dim) * 1.5)
    order = [str(w) for w in rng.permutation(words)]
    # Case variants: some right next to a word (so they compete as answers and must be skipped
    # when they are a question word), some before it (so they represent it, "first one wins").
    for w in order[::7]:
        vectors[w.capitalize()] = vectors[w] + rng.standard_normal(dim) * 0.05
    variants = [w.capitalize() for w in order[::7]]
    order = variants[: len(variants) // 2] + order + variants[len(variants) // 2:]
    order += [f"filler{i}" for i in range(300)]
    for w in order[-300:]:
        vectors[w] = rng.standard_normal(dim)
    return Embeddings(order, np.array([vectors[w] for w in order]))


def _gensim_analogies(kv, path, restrict_vocab, case_insensitive=True):
    score, sections = kv.evaluate_word_analogies(str(path), restrict_vocab=restrict_vocab,
                                                 case_insensitive=case_insensitive)
    return score, sections


def _assert_same_or_near_tie(ours, gensim_section, emb, restrict_vocab, case_insensitive):
    """Questions where our answer differs from gensim's must be float near-ties."""
    ours_correct = set(ours.correct)
    theirs_correct = set(map(tuple, gensim_section["correct"]))
    assert set(ours.correct) | set(ours.incorrect) == theirs_correct | set(
        map(tuple, gensim_section["incorrect"]))
    for a, b, c, _ in ours_correct ^ theirs_correct:
        words = {k: w for w in reversed(emb.words[:restrict_vocab])
                 for k in [w.upper() if case_insensitive else w]}
        scores = emb.most_similar(positive=[words[b], words[c]], negative=[words[a]],
                                  topn=None, restrict_vocab=restrict_vocab)
        top = np.sort(scores)[::-1][:8]
        assert np.min(np.abs(np.diff(top))) < NEAR_TIE, (a, b, c)


@pytest.mark.parametrize("case_insensitive", [True, False])
def test_analogies_agree_with_gensim(planted, question_subset, case_insensitive):
    restrict = int(len(planted) * 0.8)
    ours = google_analogies(planted, restrict_vocab=restrict, questions=question_subset,
                            case_insensitive=case_insensitive)
    score, theirs = _gensim_analogies(planted.to_keyedvectors(), question_subset, restrict,
                                      case_insensitive)
    assert [s.name for s in ours.sections] + [ours.total.name] == [s["section"] for s in theirs]
    assert ours.total.name == "Total accuracy"
    for section, gensim_section in zip(ours.sections + [ours.total], theirs):
        _assert_same_or_near_tie(section, gensim_section, planted, restrict, case_insensitive)
    assert 0.1 < ours.accuracy < 0.9  # the planted data really mixes right and wrong answers
    assert ours.accuracy == pytest.approx(score, abs=2 / ours.total.total)
    # OOV: well-formed questions minus answered ones; gensim logs it, we recount it by hand
    assert ours.questions == 14 * 50
    assert ours.oov == ours.questions - ours.total.total
    assert 0 < ours.oov < ours.questions


def test_analogy_case_variants_are_skipped_like_gensim(planted, question_subset):
    """With case-insensitive keys, an answer that is a case variant of a question word is
    skipped; the exact answers (not just accuracy) match gensim's top-5 filtering."""
    kv = planted.to_keyedvectors()
    restrict = len(planted)
    ours = google_analogies(planted, restrict_vocab=restrict, questions=question_subset)
    ok = {}
    for i, w in enumerate(planted.words):
        ok.setdefault(w.upper(), w)
    skipped_variant = 0
    assert len(ours.answers) == ours.total.total
    for a, b, c, expected, predicted in ours.answers:
        sims = kv.most_similar(positive=[ok[b], ok[c]], negative=[ok[a]], topn=5)
        first = next(w.upper() for w, _ in sims if w.upper() not in (a, b, c))
        skipped_variant += sims[0][0].upper() in (a, b, c)
        assert predicted == first or abs(sims[0][1] - sims[1][1]) < NEAR_TIE
    assert skipped_variant > 0  # the case-variant rule was exercised


def test_analogies_3cosmul_matches_gensim_cosmul(planted, question_subset):
    restrict = int(len(planted) * 0.8)
    ours = google_analogies(planted, restrict_vocab=restrict, questions=question_subset,
                            method="3cosmul", epsilon=1e-6)
    kv = Embeddings(planted.words[:restrict], planted.vectors[:restrict]).to_keyedvectors()
    ok = {}
    for w in planted.words[:restrict]:
        ok.setdefault(w.upper(), w)
    assert len(ours.answers) == ours.total.total > 0
    disagreements = 0
    for a, b, c, expected, predicted in ours.answers:
        sims = kv.most_similar_cosmul(positive=[ok[b], ok[c]], negative=[ok[a]], topn=5)
        reference = next(w.upper() for w, _ in sims if w.upper() not in (a, b, c))
        if predicted != reference:
            disagreements += 1
            assert abs(sims[0][1] - sims[1][1]) < NEAR_TIE * 10
    assert disagreements <= 1
    # 3CosMul is a different method: on these vectors it does not answer every question alike
    cosadd = google_analogies(planted, restrict_vocab=restrict, questions=question_subset)
    assert cosadd.answers != ours.answers


def test_full_google_set_structure(planted):
    result = google_analogies(planted, restrict_vocab=len(planted))
    assert result.questions == 19544
    assert len(result.sections) == 14
    assert result.sections[0].name == "capital-common-countries"
    assert result.sections[-1].name == "gram9-plural-verbs"
    assert sum(s.total for s in result.sections) == result.total.total
    assert result.semantic.total + result.syntactic.total == result.total.total
    assert result.oov == 0  # every question word is in the planted vocabulary
    assert "Total accuracy" in result.table()


def test_analogies_all_oov():
    emb = Embeddings(["foo", "bar"], np.eye(2))
    result = google_analogies(emb)
    assert result.oov == result.questions == 19544
    assert result.accuracy == 0.0 and result.total.total == 0


def test_analogies_bad_method(planted):
    with pytest.raises(ValueError, match="method"):
        google_analogies(planted, method="3cosmax")


@pytest.mark.parametrize("dataset,path", [("wordsim353", "wordsim353.tsv"),
                                          ("simlex999", "simlex999.txt")])
@pytest.mark.parametrize("restrict_fraction", [1.0, 0.5])
def test_word_similarity_agrees_with_gensim(planted, dataset, path, restrict_fraction):
    restrict = int(len(planted) * restrict_fraction)
    ours = word_similarity(planted, dataset, restrict_vocab=restrict)
    pearson, spearman, oov_ratio = planted.to_keyedvectors().evaluate_word_pairs(
        datapath(path), restrict_vocab=restrict)
    assert ours.spearman == pytest.approx(spearman[0], abs=1e-9)
    assert ours.spearman_pvalue == pytest.approx(spearman[1], rel=1e-6)
    assert ours.pearson == pytest.approx(pearson[0], abs=1e-6)
    assert ours.oov_ratio == pytest.approx(oov_ratio)
    if restrict_fraction < 1:
        assert ours.oov > 0
    else:
        assert ours.oov == 0
    assert ours.pairs == len(ours.human) == len(ours.model)


def test_word_similarity_counts_by_hand(planted):
    ours = word_similarity(planted, "wordsim353")
    with open(datapath("wordsim353.tsv"), encoding="utf-8") as handle:
        rows = [line.split("\t") for line in handle if not line.startswith("#")]
    assert ours.pairs == len(rows) == 353
    a, b, rating = rows[0]
    assert ours.human[0] == float(rating)
    assert ours.model[0] == pytest.approx(planted.similarity(a.lower(), b.lower()), abs=1e-6)


def test_word_similarity_all_oov():
    with pytest.raises(ValueError, match="no pair"):
        word_similarity(Embeddings(["foo"], np.ones((1, 2))), "simlex999")


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_direct_and_cached_scoring_agree(planted, question_subset, monkeypatch, method):
    """Precomputed cosines of the question words and plain matrix products (the fallback for
    very large vocabularies) give the same answers."""
    import lessons.vectors.evaluation as evaluation

    cached = google_analogies(planted, restrict_vocab=2000, questions=question_subset,
                              method=method)
    monkeypatch.setattr(evaluation, "_CACHE_ENTRIES", 0)
    monkeypatch.setattr(evaluation, "_BATCH_ENTRIES", 2000 * 64)  # several batches
    direct = google_analogies(planted, restrict_vocab=2000, questions=question_subset,
                              method=method)
    assert len(direct.answers) == len(cached.answers) > 0
    mismatches = sum(x != y for x, y in zip(direct.answers, cached.answers))
    assert mismatches <= 1  # float near-ties only
