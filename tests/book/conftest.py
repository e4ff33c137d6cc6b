"""Fixtures for the tests of the chapters' figures and live panels (lessons.book.chapters)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure


@pytest.fixture
def drawn_figures(monkeypatch) -> list[Figure]:
    """Every matplotlib figure a live panel draws, in order, kept for inspection.

    A panel (:func:`lessons.book.widgets.panel`) saves each figure its update draws as
    a PNG and closes it; this keeps the closed figures, so a test can read their
    titles, texts and data after moving a control.
    """
    figures: list[Figure] = []
    close = plt.close

    def keep_and_close(fig=None):
        if isinstance(fig, Figure):
            figures.append(fig)
        close(fig)

    monkeypatch.setattr(plt, "close", keep_and_close)
    return figures

