"""What every widget shares: strings, ids, the card, the status line, guarded callbacks and
the live refresh of circle panels."""

from __future__ import annotations

import json
from importlib import resources

import ipywidgets as W
import pytest

from widgets import Discussion
from widgets.base import (
    StatusLine,
    Strings,
    card,
    catalogue,
    check_id,
    esc_lines,
    guarded,
)

XSS = "<img src=x onerror=alert(1)>"


# Every test here gets a fresh store and a known learner (see conftest.answers_store).
pytestmark = pytest.mark.usefixtures("answers_store")


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    folder = resources.files("widgets") / "strings"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))
    assert names == ["en.json", "es.json"]
    en, es = catalogue("en"), catalogue("es")
    assert set(en) == set(es)
    for key in en:
        assert en[key] and es[key], key
        # The same {fields} in both, or .format() fails in one language only.
        assert sorted(_fields(en[key])) == sorted(_fields(es[key])), key


def _fields(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_circlekit_lang_changes_a_button_label(monkeypatch: pytest.MonkeyPatch) -> None:
    english = Discussion("t-1", "Q?")
    _ = english.view
    assert english.save_button.description == "Save"
    monkeypatch.setenv("CIRCLEKIT_LANG", "es")
    spanish = Discussion("t-1", "Q?")
    _ = spanish.view
    assert spanish.save_button.description == "Guardar"
    assert "responder" in spanish.card_html()


def test_missing_translation_falls_back_to_english() -> None:
    strings = Strings("xx")
    assert strings.lang == "en" and strings("save") == "Save"
    assert Strings("es")("poll_votes", count=2, total=3) == "2 de 3 votos"


def test_ids_are_checked() -> None:
    assert check_id("wai-1-first-thoughts") == "wai-1-first-thoughts"
    for bad in ("Has Spaces", "", None, 3, "wai_1"):
        with pytest.raises(ValueError, match="lower-case letters"):
            check_id(bad)
    with pytest.raises(ValueError):
        Discussion("Bad Id", "Q?")


def test_card_escapes_what_it_is_given() -> None:
    html = card("discussion", "<b>Label</b>", "<p>body</p>", XSS)
    assert 'class="circlekit-card circlekit-card-discussion"' in html
    assert "<b>Label</b>" not in html and "&lt;b&gt;Label&lt;/b&gt;" in html
    assert "<img" not in html
    assert esc_lines("a\n<b>") == "a<br>&lt;b&gt;"


def test_status_line_escapes() -> None:
    status = StatusLine()
    status.say(XSS, "error")
    assert status.text == XSS
    assert "<img" not in status.widget.value and "&lt;img" in status.widget.value
    assert 'role="status"' in status.widget.value


def test_guarded_callbacks_turn_errors_into_words() -> None:
    status = StatusLine()

    @guarded(status, Strings("en"))
    def explode(_button: object) -> None:
        raise KeyError("boom")

    button = W.Button(description="x")
    button.on_click(explode)
    button.click()  # must not raise
    assert "Something went wrong" in status.text and "KeyError" in status.text


def test_mimebundle_has_the_widget_and_the_card() -> None:
    bundle = Discussion("t-2", "What now?")._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert "What now?" in bundle["text/html"]
    assert "open this page on your circle" in bundle["text/html"].lower()
    assert bundle["text/plain"]


def test_json_catalogues_are_valid_utf8_json() -> None:
    folder = resources.files("widgets") / "strings"
    for name in ("en.json", "es.json"):
        json.loads((folder / name).read_text(encoding="utf-8"))
