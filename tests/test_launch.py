"""Launch to the hub: a chapter's launch button opens that notebook on the circle's hub through
nbgitpuller, in one click, and following it again never overwrites the learner's own edits.

The settings and the link are checked on their own first; then a real JupyterHub with its real
proxy, a git repository in a local folder, the book built from it, and a real Chromium that
follows the button's link as a learner would.
"""

from __future__ import annotations

import html
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
import yaml
from browser import block_outside, chromium
from conftest import REPO, make_kit
from hubtools import start_test_hub
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from circlekit.book import build_book
from circlekit.errors import CircleKitError
from circlekit.launch import HubLaunch, hub_launch, read_config, theme_overrides

CHAPTER = "notebooks/mini/01-counting.ipynb"
BRANCH = "circle"  # not the repository's default branch: the link must name it


def real_config(**changes: dict) -> dict:
    """The kit's real _config.yml with some sections changed."""
    config = read_config(REPO)
    for section, values in changes.items():
        config[section] = {**(config.get(section) or {}), **values}
    return config


# -- the settings and the link ------------------------------------------------------------------

def test_no_hub_address_means_no_hub_launch() -> None:
    assert hub_launch(read_config(REPO)) is None


def test_the_link_opens_the_chapter_in_jupyterlab_in_the_clone() -> None:
    launch = hub_launch(real_config(launch_buttons={"jupyterhub_url": "https://hub.example.org/"}))
    assert launch == HubLaunch("https://hub.example.org/", "https://github.com/circlekit/circlekit",
                               "main", "", "jupyterlab")
    assert launch.link(CHAPTER) == (
        "https://hub.example.org/hub/user-redirect/git-pull?"
        "repo=https%3A//github.com/circlekit/circlekit"
        "&urlpath=lab/tree/circlekit/notebooks/mini/01-counting.ipynb&branch=main")
    # A repository address ending in .git or / clones into the folder nbgitpuller names.
    assert HubLaunch("https://h", "file:///srv/kits/kit.git/", "b").folder == "kit.git"
    # A book kept in a sub-folder of its repository.
    inner = HubLaunch("https://h", "https://gitlab.com/o/r", "b", "/book/", "classic")
    assert "urlpath=tree/r/book/n.ipynb" in inner.link("n.ipynb")


@pytest.mark.parametrize(("changes", "field"), [
    ({"launch_buttons": {"jupyterhub_url": "hub.example.org"}}, "launch_buttons.jupyterhub_url"),
    ({"launch_buttons": {"jupyterhub_url": "https://h"}, "repository": {"url": ""}},
     "repository.url"),
    ({"launch_buttons": {"jupyterhub_url": "https://h"}, "repository": {"url": "/srv/kit"}},
     "repository.url"),
    ({"launch_buttons": {"jupyterhub_url": "https://h", "notebook_interface": "vscode"}},
     "launch_buttons.notebook_interface"),
    ({"launch_buttons": {"jupyterhub_url": 8000}}, "launch_buttons.jupyterhub_url"),
])
def test_bad_launch_settings_name_the_field(changes: dict, field: str) -> None:
    with pytest.raises(CircleKitError, match=re.escape(f"_config.yml: {field}:")):
        hub_launch(real_config(**changes))


def test_the_theme_is_told_a_provider_only_for_hosts_it_does_not_know() -> None:
    assert theme_overrides(read_config(REPO)) == {}
    local = real_config(repository={"url": "file:///srv/courses/kit"})
    assert theme_overrides(local) == {"html_theme_options": {"repository_provider": "gitlab"}}
    assert theme_overrides(real_config(repository={"url": ""})) == {}


def test_the_book_build_refuses_bad_launch_settings(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "kit")
    set_config(kit, launch_buttons={"jupyterhub_url": "https://h"}, repository={"url": ""})
    with pytest.raises(CircleKitError, match="repository.url"):
        build_book(kit)


# -- the real thing: a hub, a repository in a folder, the book, a browser -------------------------

def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Course Author", "-c", "user.email=author@example.org",
         "-c", "init.defaultBranch=main", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, f"git {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout.strip()


def set_config(kit: Path, **changes: dict) -> None:
    config = read_config(kit)
    for section, values in changes.items():
        config[section] = {**(config.get(section) or {}), **values}
    (kit / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def edit_cell(path: Path, old: str, new: str) -> None:
    """Change one cell's text and save the notebook the way Jupyter saves it."""
    nb = nbformat.read(path, as_version=4)
    [cell] = [c for c in nb.cells if old in c.source]
    cell.source = cell.source.replace(old, new)
    nbformat.write(nb, path)


def launch_links(page_html: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'href="([^"]*/git-pull\?[^"]*)"', page_html)]


def open_link(context: object, link: str, hub: object, login: bool, shows: str) -> None:
    """Follow `link` in a new tab, as a learner clicking the button, and see the notebook open
    in JupyterLab with a cell that `shows` this text."""
    page = context.new_page()  # type: ignore[attr-defined]
    block_outside(page)
    page.goto(link)
    if login:
        page.locator("#username_input").wait_for(timeout=30_000)
        hub.browser_login(page, "ana")  # type: ignore[attr-defined]
    # Login, (start the server,) pull, and land in JupyterLab on the chapter's notebook.
    try:
        page.wait_for_url(
            re.compile(r"/user/ana/lab/tree/kit/notebooks/mini/01-counting\.ipynb"),
            timeout=180_000)
    except PlaywrightTimeout:
        raise AssertionError(
            f"the launch link did not end in JupyterLab on the chapter; the tab shows "
            f"{page.url}:\n{page.locator('body').inner_text()[:1500]}\n"
            f"hub log:\n{hub.hub.log()[-3000:]}") from None  # type: ignore[attr-defined]
    tab = page.locator(".lm-TabBar-tab.lm-mod-current", has_text="01-counting.ipynb")
    tab.first.wait_for(timeout=90_000)
    page.locator(".jp-NotebookPanel .jp-Cell", has_text=shows).first.wait_for(timeout=90_000)
    page.close()


def test_following_a_chapters_launch_link_opens_it_on_the_hub_and_keeps_edits(
        tmp_path: Path) -> None:
    started = time.monotonic()
    hub = start_test_hub(tmp_path / "hub", learners=("ana",))
    try:
        # The course repository, served from a local folder; the book names it and the hub.
        kit = make_kit(tmp_path / "kit")
        set_config(kit, launch_buttons={"jupyterhub_url": hub.url},
                   repository={"url": kit.as_uri(), "branch": BRANCH, "path_to_book": ""})
        (kit / ".gitignore").write_text("_build/\n", encoding="utf-8")  # as the kit's own
        git(kit, "init", "-q")
        git(kit, "add", "-A")
        git(kit, "commit", "-q", "-m", "the course")
        git(kit, "checkout", "-q", "-b", BRANCH)
        (kit / "ON-THE-CIRCLE-BRANCH.txt").write_text("the circle's branch\n", encoding="utf-8")
        git(kit, "add", "-A")
        git(kit, "commit", "-q", "-m", "the circle's branch")
        git(kit, "checkout", "-q", "main")  # a clone without the link's branch gets main

        build_book(kit, skip_execution=["**/*.ipynb"])
        built = kit / "_build" / "html"
        [link] = launch_links((built / "notebooks/mini/01-counting.html").read_text("utf-8"))
        assert launch_links((built / "book/about.html").read_text("utf-8")) == []

        # How the button's link looks: the hub's nbgitpuller, this repository and branch, and
        # JupyterLab opening the chapter inside the clone (the repository folder's name).
        parts = urlsplit(link)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
            f"{hub.url}/hub/user-redirect/git-pull")
        assert parse_qs(parts.query) == {
            "repo": [kit.as_uri()], "branch": [BRANCH],
            "urlpath": [f"lab/tree/kit/{CHAPTER}"],
        }
        assert link == hub_launch(read_config(kit)).link(CHAPTER)

        home = hub.home("ana")
        notebook = home / "kit" / CHAPTER
        assert not (home / "kit").exists()  # the hub copies no courses: only the link can
        with chromium() as browser:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            open_link(context, link, hub, login=True, shows="Week 1: Counting")

            # The notebook is in the learner's home, in a clone of the link's branch.
            assert notebook.is_file()
            assert nbformat.read(notebook, as_version=4) == nbformat.read(kit / CHAPTER, 4)
            assert (home / "kit" / "ON-THE-CIRCLE-BRANCH.txt").is_file()
            assert git(home / "kit", "rev-parse", "--abbrev-ref", "HEAD") == BRANCH

            # The learner writes in the notebook; the author then changes the same line, another
            # line, and adds a file, on the circle's branch.
            edit_cell(notebook, "## Talk it over", "## Talk it over\n\nAna: the bars grow by one.")
            git(kit, "checkout", "-q", BRANCH)
            edit_cell(kit / CHAPTER, "## Talk it over", "## Talk it over together")
            edit_cell(kit / CHAPTER, "**Time:** 90 minutes.", "**Time:** 80 minutes.")
            (kit / "notebooks/mini/NEWS.md").write_text("Week 3 is coming.\n", encoding="utf-8")
            git(kit, "add", "-A")
            git(kit, "commit", "-q", "-m", "news for the circle")
            git(kit, "checkout", "-q", "main")

            # The same button again, already signed in: the learner's words win where the
            # author changed the same line; the author's other news still arrives.
            open_link(context, link, hub, login=False, shows="Ana: the bars grow by one.")
        text = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells)
        assert "Ana: the bars grow by one." in text
        assert "Talk it over together" not in text
        assert "**Time:** 80 minutes." in text
        assert (home / "kit/notebooks/mini/NEWS.md").is_file()
    finally:
        hub.hub.stop()
    print(f"launch test took {time.monotonic() - started:.0f} s")
