"""Self-checking exercises: ``check(answer, expected)``.

Chapter: every chapter's "changes code and checks its own answer" exercise.

The shipped notebook leaves the answer as ``...``, so the check fails with a
friendly message (the cell is tagged ``raises-exception``, which nbval and the
book accept); the solution, in a dropdown, shows the filled-in cell passing.
"""
from __future__ import annotations

import numpy as np

__all__ = ["check"]


def check(answer, expected, *, rel: float = 1e-3, abs_tol: float = 0.0) -> None:
    """Assert that ``answer`` matches ``expected`` and say so.

    Numbers and arrays are compared with a relative tolerance ``rel`` (and an
    absolute one, ``abs_tol``); anything else must be equal.

    Raises
    ------
    AssertionError
        With a hint: "not answered yet" while the answer is still ``...``.
    """
    if answer is Ellipsis:
        raise AssertionError("not answered yet: replace the ... with your answer and run the cell again")
    try:
        ok = bool(np.allclose(np.asarray(answer, dtype=float), np.asarray(expected, dtype=float),
                              rtol=rel, atol=abs_tol))
    except (TypeError, ValueError):
        ok = answer == expected
    if not ok:
        raise AssertionError(f"not quite: your answer is {answer!r}; check your reasoning and try again")
    print("✓ correct")
