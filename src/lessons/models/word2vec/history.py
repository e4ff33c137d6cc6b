"""The training history: one row of measurements per epoch; and the watch for divergence.

:class:`LossWatch` reads the same measurements as they come (the loss of every chunk,
the weights after every epoch) and stops a run that diverges with
:class:`TrainingDiverged`, which says in which epoch and which learning rate to try.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["TrainingHistory", "TrainingDiverged", "LossWatch", "SPIKE_FACTOR", "END_FACTOR",
           "WATCH_EXAMPLES", "MAX_ABS_WEIGHT"]


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


# --- divergence ---------------------------------------------------------------------------
# Calibrated on the book's toy corpus (every explorer slider at learning_rate 0.3 and 0.5,
# 40 random panel settings), on 200,000 words of text8 (learning rates 0.025 to 1) and on
# the training-loop chapter's grid.  A high learning rate can make the loss spike and then
# recover completely: at learning_rate=0.45 the explorer's toy language peaked at 6,300
# times the starting level, with weights up to 336, and still ended at 0.23 times it with
# every planted analogy right.  Runs that really diverge grow far beyond that (1e11 and up)
# or end far above the start (245 times it and up); healthy runs end below 0.9 times it.

#: Stop at once when the loss per example exceeds this many times its starting level.
SPIKE_FACTOR = 1e6
#: At the end, the last epoch's loss per example must not exceed this many times the start.
END_FACTOR = 2.0
#: The loss is judged over at least this many examples at a time (chunks are pooled until
#: they hold that many), so that a handful of unlucky examples cannot trip it.
WATCH_EXAMPLES = 1000
#: Stop when, after an epoch, a weight's magnitude exceeds this (healthy runs stay below
#: 400, even in a spike; the sigmoid is flat beyond scores of ±6).
MAX_ABS_WEIGHT = 1e5


class TrainingDiverged(ValueError):
    """Training blew up: the loss per example or the weights grew far beyond their start.

    Attributes
    ----------
    epoch : int
        The epoch (1-based) in which it was detected.
    learning_rate : float
        The starting learning rate of the run.
    suggested_learning_rate : float
        A quarter of it, the rate the message suggests trying.
    """

    def __init__(self, what: str, *, epoch: int, learning_rate: float):
        self.epoch = epoch
        self.learning_rate = learning_rate
        self.suggested_learning_rate = learning_rate / 4
        super().__init__(
            f"training diverged in epoch {epoch}: {what}; the learning rate is too high: try "
            f"learning_rate={self.suggested_learning_rate:.3g} (a quarter of {learning_rate:.3g})")


class LossWatch:
    """Watches the loss of every chunk, and the weights after every epoch, for divergence.

    At the start every output vector is zero, so every score ``u . v`` is 0 and an
    example's loss is ``(negative + 1) ln 2`` (each of its ``1 + negative`` terms is
    ``-log sigmoid(0)``): the loss of a model that knows nothing.  Training lowers it.
    :class:`TrainingDiverged` is raised

    * by :meth:`add_chunk`, at once, when a chunk's loss is not finite or the mean loss
      per example, pooled over at least :data:`WATCH_EXAMPLES` examples, exceeds
      :data:`SPIKE_FACTOR` times the starting level;
    * by :meth:`check_weights`, after an epoch, when a weight is not finite or exceeds
      :data:`MAX_ABS_WEIGHT` in magnitude;
    * by :meth:`check_end`, when the last epoch's loss per example is above
      :data:`END_FACTOR` times the starting level (worse than knowing nothing).

    It only reads the measurements, so the trained vectors are the same with or without it.
    """

    def __init__(self, negative: int, learning_rate: float):
        self.start_level = (negative + 1) * math.log(2)  # loss per example at the start
        self.learning_rate = learning_rate
        self.peak = 0.0  # highest pooled loss per example so far
        self._loss = 0.0  # pooled chunks not judged yet
        self._examples = 0

    def add_chunk(self, epoch: int, loss: float, examples: int) -> None:
        """Pool one chunk's ``(loss, examples)``; judge the pool once it is big enough."""
        if not math.isfinite(loss):
            self._diverged(epoch, f"the loss became {loss}")
        self._loss += loss
        self._examples += examples
        if self._examples >= WATCH_EXAMPLES:
            mean = self._loss / self._examples
            self._loss, self._examples = 0.0, 0
            self.peak = max(self.peak, mean)
            if mean > SPIKE_FACTOR * self.start_level:
                self._diverged(epoch, f"the loss per example rose to {self._times(mean)}")

    def check_weights(self, epoch: int, *matrices: np.ndarray) -> None:
        """Raise if a weight of ``matrices`` is not finite or is beyond :data:`MAX_ABS_WEIGHT`."""
        for m in matrices:
            largest = max(float(m.max()), -float(m.min())) if m.size else 0.0  # NaN stays NaN
            if not math.isfinite(largest):
                self._diverged(epoch, "the vectors became non-finite")
            if largest > MAX_ABS_WEIGHT:
                self._diverged(epoch, f"a weight reached {largest:.3g} (the limit is "
                                      f"{MAX_ABS_WEIGHT:g}; healthy training stays below 400)")

    def check_end(self, history: TrainingHistory) -> None:
        """Raise if the last epoch ended far above the starting loss (:data:`END_FACTOR`)."""
        if not history.epochs or not history.examples[-1]:
            return
        mean = float(history.mean_loss[-1])
        if mean > END_FACTOR * self.start_level:
            self._diverged(history.epochs - 1,
                           f"the last epoch's loss per example is {self._times(mean)}, worse "
                           f"than before training (it peaked at "
                           f"{self.peak / self.start_level:.3g} times that level)")

    def _times(self, mean: float) -> str:
        """``'45.4, 10.9 times its starting level (negative + 1) ln 2 = 4.16'``."""
        return (f"{mean:.3g}, {mean / self.start_level:.3g} times its starting level "
                f"(negative + 1) ln 2 = {self.start_level:.3g}")

    def _diverged(self, epoch: int, what: str):
        raise TrainingDiverged(what, epoch=epoch + 1, learning_rate=self.learning_rate)
