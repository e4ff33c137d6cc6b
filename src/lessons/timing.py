"""The one wall-clock timer behind every measured time in the library (bottom layer)."""
from __future__ import annotations

import time
from typing import Callable

from lessons import checks

__all__ = ["best_seconds"]


def best_seconds(run: Callable[[], object], repeats: int = 3) -> float:
    """The shortest wall time of ``repeats`` calls of ``run()``, in seconds.

    The minimum, not the mean: on a shared machine every other process can only add
    time, so the fastest run is the best estimate of the work itself.
    """
    if not callable(run):
        raise checks.ArgumentTypeError(f"run must be callable, got {checks.describe(run)}")
    checks.integer("repeats", repeats, 1)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best
