"""Launch links: from a chapter of the book to that notebook, running on the circle's hub.

A launch link is an nbgitpuller link on the hub named in `_config.yml`
(`launch_buttons.jupyterhub_url`). Following it logs the learner in, starts their server, clones
the repository named by `repository.url` (or merges its news into the clone they already have,
their own edits winning) and opens the chapter's notebook in JupyterLab.

sphinx-book-theme draws the button from the same settings. It builds the link exactly as
`HubLaunch.link` below does, but it refuses, with a Sphinx error, a repository whose address does
not name GitHub, GitLab or Bitbucket (a circle's own git server, or a folder on the hub's machine)
unless it is told a provider; `theme_overrides` tells it one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

from circlekit.errors import CircleKitError

CONFIG_FILE = "_config.yml"
# What each interface calls "open this file", as in sphinx-book-theme and nbgitpuller.
INTERFACES = {"jupyterlab": "lab/tree", "classic": "tree"}
# The hosts sphinx-book-theme recognises by name in a repository address.
KNOWN_HOSTS = ("github", "gitlab", "bitbucket")


@dataclass(frozen=True)
class HubLaunch:
    """Where the launch buttons send a learner, as `_config.yml` says."""

    hub_url: str
    repo_url: str
    branch: str
    path_to_book: str = ""
    interface: str = "jupyterlab"

    @property
    def folder(self) -> str:
        """The folder in the learner's home the repository is cloned into.

        nbgitpuller's own default (the address's last part), which is also the folder
        sphinx-book-theme's link opens; so the two cannot disagree.
        """
        return self.repo_url.rstrip("/").split("/")[-1]

    def link(self, path: str) -> str:
        """The launch link for `path`, a notebook's path relative to the book's root."""
        book = self.path_to_book.strip("/")
        in_repo = f"{book}/{path}" if book else path
        query = urlencode(
            {"repo": self.repo_url.rstrip("/"),
             "urlpath": f"{INTERFACES[self.interface]}/{self.folder}/{in_repo}",
             "branch": self.branch},
            safe="/",
        )
        return f"{self.hub_url.strip('/')}/hub/user-redirect/git-pull?{query}"


def read_config(root: Path) -> dict[str, Any]:
    path = Path(root) / CONFIG_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CircleKitError(f"{path}: cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise CircleKitError(f"{path}: expected a mapping of settings")
    return data


def _text(config: dict[str, Any], section: str, key: str) -> str:
    value = (config.get(section) or {}).get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CircleKitError(f"{CONFIG_FILE}: {section}.{key}: expected text, got {value!r}")
    return value.strip()


def hub_launch(config: dict[str, Any]) -> HubLaunch | None:
    """The hub launch settings, or None when no hub is named; bad settings are a CircleKitError."""
    hub = _text(config, "launch_buttons", "jupyterhub_url")
    if not hub:
        return None
    if not hub.startswith(("http://", "https://")):
        raise CircleKitError(f"{CONFIG_FILE}: launch_buttons.jupyterhub_url: expected the hub's "
                       f"address, like https://hub.example.org, got {hub!r}")
    repo = _text(config, "repository", "url")
    if not repo:
        raise CircleKitError(
            f"{CONFIG_FILE}: repository.url: the launch buttons need the address of "
            "the git repository the hub pulls the notebooks from"
        )
    _check_repository(repo)
    interface = _text(config, "launch_buttons", "notebook_interface") or "classic"
    if interface not in INTERFACES:
        raise CircleKitError(f"{CONFIG_FILE}: launch_buttons.notebook_interface: expected one of "
                       f"{', '.join(INTERFACES)}, got {interface!r}")
    return HubLaunch(
        hub_url=hub, repo_url=repo,
        # Jupyter Book's own default, so a link without a branch means what the theme means.
        branch=_text(config, "repository", "branch") or "master",
        path_to_book=_text(config, "repository", "path_to_book"), interface=interface,
    )


def _check_repository(repo: str) -> None:
    # The theme splits the address into host, owner and name (with fewer parts it crashes)
    # and drops a leading "/", so a bare folder path would become a relative one.
    if ("://" not in repo or len(repo.strip("/").rsplit("/", 2)) < 3
            or not repo.rstrip("/").split("/")[-1]):
        raise CircleKitError(f"{CONFIG_FILE}: repository.url: expected a git repository's address "
                       "like https://github.com/owner/name or file:///srv/courses/name, "
                       f"got {repo!r}")


def theme_overrides(config: dict[str, Any]) -> dict[str, Any]:
    """Sphinx settings that let sphinx-book-theme accept the kit's repository address.

    For an address on a host it does not know, the theme is told "gitlab": that label changes
    nothing in the JupyterHub link; a Binder link then uses Binder's generic git form, which
    is right for any git server, and Colab and Deepnote, which only know GitHub, are skipped
    with a warning instead of getting a wrong link.
    """
    repo = _text(config, "repository", "url")
    if not repo:
        return {}
    _check_repository(repo)
    host = repo.strip("/").rsplit("/", 2)[0].lower()
    if any(name in host for name in KNOWN_HOSTS):
        return {}
    return {"html_theme_options": {"repository_provider": "gitlab"}}


def clone_folder(root: Path) -> str | None:
    """The folder of a learner's home that holds the kit at `root` on its hub, when the kit's
    book launches to a hub (the clone its links make); None when the hub copies the courses.

    The hub clones into the same folder before a learner's server starts, so a learner who
    arrives through the hub's front page and one who follows a launch link edit one copy.
    """
    launch = hub_launch(read_config(root)) if (Path(root) / CONFIG_FILE).is_file() else None
    return None if launch is None else launch.folder
