"""show_figure: a plot shown as an image with its text alternative."""

from __future__ import annotations

import html

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

from widgets.figure import figure_html, show_figure  # noqa: E402


def test_the_image_carries_its_words_escaped() -> None:
    fig, ax = plt.subplots()
    ax.bar([1, 2], [3, 4])
    markup = figure_html(fig, 'Two bars: "3" & <4>')
    plt.close(fig)
    img = BeautifulSoup(markup, "html.parser").img
    assert img["alt"] == 'Two bars: "3" & <4>'
    assert img["src"].startswith("data:image/png;base64,") and len(img["src"]) > 1000
    assert html.escape("<4>") in markup


def test_a_figure_without_words_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    plt.plot([1, 2])
    with pytest.raises(ValueError, match="describe the figure in words"):
        show_figure("  ")
    plt.close("all")
