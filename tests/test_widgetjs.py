import pytest

from circlekit import widgetjs
from circlekit.errors import CircleKitError


def test_renderer_is_copied_from_node_modules_with_licences(tmp_path):
    target = widgetjs.ensure_widget_js(tmp_path)
    names = {p.name for p in target.iterdir()}
    assert {"require.js", "embed-amd.js", "LICENSE-html-manager.txt", "SOURCE.txt"} <= names
    assert any(n.endswith(".woff2") for n in names)
    assert any(n.endswith(".ttf") for n in names)  # the renderer asks for it too
    size = sum(p.stat().st_size for p in target.iterdir())
    assert size < 8_000_000  # only the files a page needs, not the 200 MB npm install


def test_missing_node_modules_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setattr(widgetjs, "_sources", lambda root: None)
    with pytest.raises(CircleKitError, match="make book"):
        widgetjs.ensure_widget_js(tmp_path)
