import pytest

from lessons.book import measurements


def test_full_corpus_measurement_is_shipped_and_complete():
    full = measurements.load("full_corpus")
    assert full["words"] > 10_000_000 and full["vocabulary"] > 10_000
    assert 0 < full["google_analogies"] < 1 and -1 <= full["wordsim353"] <= 1
    assert {"dim", "window", "negative", "epochs"} <= set(full["settings"])


def test_unknown_measurement_is_a_clear_error():
    with pytest.raises(ValueError, match="no measurement named 'nope'"):
        measurements.load("nope")
