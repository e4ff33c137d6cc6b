"""The summary chapter: the answer to its self-check exercise.

Chapter: *Summary*.
"""
from __future__ import annotations

__all__ = ["expected_inner_fraction"]


def expected_inner_fraction() -> float:
    """Answer to the self-check: the share of a 300-d ball's volume within radius 0.9."""
    return 0.9 ** 300
