"""The training history: one row of measurements per epoch."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["TrainingHistory"]


@dataclass
class TrainingHistory:
    """What happened in each epoch of :func:`~lessons.models.word2vec.train`.

    Attributes (one entry per epoch)
    --------------------------------
    loss : list of float
        Summed negative-sampling loss of the epoch (float64).
    examples : list of int
        Training examples (skip-gram: centre-context pairs; CBOW: centre words).
    words : list of int
        Corpus tokens read (in-vocabulary, before subsampling).
    words_per_s : list of float
        ``words / elapsed`` for the epoch.
    learning_rate : list of float
        Learning rate at the end of the epoch.
    elapsed_s : list of float
        Wall time of the epoch, seconds.
    """

    loss: list = field(default_factory=list)
    examples: list = field(default_factory=list)
    words: list = field(default_factory=list)
    words_per_s: list = field(default_factory=list)
    learning_rate: list = field(default_factory=list)
    elapsed_s: list = field(default_factory=list)

    def record(self, *, loss: float, examples: int, words: int, learning_rate: float,
               elapsed_s: float) -> None:
        """Append the measurements of one more epoch."""
        self.loss.append(float(loss))
        self.examples.append(int(examples))
        self.words.append(int(words))
        self.words_per_s.append(words / max(elapsed_s, 1e-12))
        self.learning_rate.append(float(learning_rate))
        self.elapsed_s.append(float(elapsed_s))

    @property
    def mean_loss(self) -> np.ndarray:
        """(epochs,) float64: loss per training example."""
        return np.asarray(self.loss) / np.maximum(np.asarray(self.examples), 1)

    @property
    def epochs(self) -> int:
        """Number of epochs recorded."""
        return len(self.loss)

    def to_dict(self) -> dict:
        """Plain lists, ready for ``json.dumps`` or a DataFrame."""
        return {
            "epoch": list(range(1, self.epochs + 1)),
            "loss": [float(x) for x in self.loss],
            "mean_loss": [float(x) for x in self.mean_loss],
            "examples": [int(x) for x in self.examples],
            "words": [int(x) for x in self.words],
            "words_per_s": [float(x) for x in self.words_per_s],
            "learning_rate": [float(x) for x in self.learning_rate],
            "elapsed_s": [float(x) for x in self.elapsed_s],
        }
