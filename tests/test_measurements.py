import pytest

from lessons.book import measurements


def test_corpus_size_measurement_changes_one_thing_at_a_time():
    stored = measurements.load("corpus_size")
    runs = stored["runs"]
    assert ({"dim", "window", "negative", "epochs", "min_count", "subsample", "seed"}
            <= set(stored["settings"]))
    for run in runs:
        assert 0 <= run["google"] < 1 and -1 <= run["wordsim353"] <= 1
        assert run["queen_rank"] is None or run["queen_rank"] >= 1
    # on each corpus, every run differs from the chapter's setting (2 M words, its d)
    # in one thing at most
    for run in runs:
        assert (run["words"] != 2_000_000) + (run["dim"] != stored["settings"]["dim"]) <= 1, run
    assert {r["corpus"] for r in runs} == {"text8", "gutenberg8"}
    assert max(r["words"] for r in runs if r["corpus"] == "gutenberg8") > 10_000_000


def test_unknown_measurement_is_a_clear_error():
    with pytest.raises(ValueError, match="no measurement named 'nope'"):
        measurements.load("nope")


def test_find_run_returns_exactly_one_run_or_says_why():
    run = measurements.find_run("corpus_size", corpus="text8", words=2_000_000, dim=50)
    assert run["corpus"] == "text8" and run["dim"] == 50
    with pytest.raises(ValueError, match="0 runs"):
        measurements.find_run("corpus_size", corpus="wikipedia")
    with pytest.raises(ValueError, match="runs of 'corpus_size' match"):
        measurements.find_run("corpus_size", corpus="text8")          # several sizes and dims


def test_save_writes_the_json_atomically_beside_the_module(tmp_path, monkeypatch):
    import json

    monkeypatch.setattr(measurements, "__file__", str(tmp_path / "__init__.py"))
    path = measurements.save("demo", {"a": 1, "b": [0.5]})
    assert path == tmp_path / "demo.json"
    assert json.loads(path.read_text()) == {"a": 1, "b": [0.5]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.json"]  # no temporary left
    with pytest.raises(ValueError, match="reads back differently"):
        measurements.save("demo", {"a": 1}, text='{"a": 2}')
    with pytest.raises(ValueError):
        measurements.save("demo", {"a": float("nan")})  # JSON has no NaN
    assert json.loads(path.read_text()) == {"a": 1, "b": [0.5]}  # a refused save changes nothing
