"""lessons.models.word2vec.snapshots: the snapshots are the trainer's own vectors."""
import numpy as np
import pytest

from lessons.data.corpus import Vocabulary, article_corpus
from lessons.models.word2vec import initial_vectors, train
from lessons.models.word2vec.snapshots import similarity_traces, train_with_snapshots


def test_snapshots_are_the_trainers_vectors():
    corpus = article_corpus("training")
    kwargs = dict(dim=6, window=2, negative=3, subsample=0, epochs=5, min_count=1, seed=3)
    emb, snaps = train_with_snapshots(corpus, keep=[0, 2, 5], **kwargs)
    assert sorted(snaps) == [0, 2, 5]
    np.testing.assert_array_equal(snaps[5].vectors, emb.vectors)
    np.testing.assert_array_equal(snaps[5].vectors, train(corpus, **kwargs).vectors)
    vocab = Vocabulary.from_corpus(corpus)
    np.testing.assert_array_equal(snaps[0].vectors, initial_vectors(len(vocab), 6, 3)[0])
    # epoch 2 of a 5-epoch run is not the end of a 2-epoch run (the learning rate decays
    # over all planned epochs), but it is an intermediate state
    assert not np.array_equal(snaps[2].vectors, snaps[5].vectors)
    traces = similarity_traces(snaps, [("cat", "dog")])
    assert list(traces) == ["sim(cat, dog)"]
    assert traces["sim(cat, dog)"][-1] == pytest.approx(emb.similarity("cat", "dog"))
    with pytest.raises(ValueError, match="on_epoch_end"):
        train_with_snapshots(corpus, on_epoch_end=print, **kwargs)
