"""One copy of the courses in each home on a hub, whichever way a learner arrives (issue 16 #4).

`circlekit hub` (its spawner hook) and a Kubernetes deployment (each server's postStart in
hub/helm/values.yaml) both fill a home through `circlekit.homes.place_courses`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hubtools import git, launching_kit

from circlekit.errors import CircleKitError
from circlekit.homes import place_courses

REPO = Path(__file__).resolve().parents[1]
VALUES = REPO / "hub" / "helm" / "values.yaml"
NOTEBOOK = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def small_kit(root: Path) -> Path:
    """A kit with one course (sources and learner release) and one facilitator guide."""
    course = root / "notebooks" / "demo"
    (course / "lab").mkdir(parents=True)
    (course / "course.yml").write_text("title: Demo\n", encoding="utf-8")
    (course / "01-start.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    (course / "lab" / "__init__.py").write_text("", encoding="utf-8")
    (course / "__pycache__").mkdir()
    (course / "__pycache__" / "x.pyc").write_bytes(b"\0")
    release = root / "_build" / "release" / "demo"
    release.mkdir(parents=True)
    (release / "01-start.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    (root / "facilitator" / "demo").mkdir(parents=True)
    (root / "facilitator" / "demo" / "01-guide.ipynb").write_text(json.dumps(NOTEBOOK),
                                                                  encoding="utf-8")
    (root / "_config.yml").write_text("title: Demo kit\n", encoding="utf-8")
    return root


def test_without_launch_links_the_learner_release_is_copied_and_edits_are_kept(tmp_path):
    kit, home = small_kit(tmp_path / "kit"), tmp_path / "home"
    placed = place_courses(kit, home)
    assert placed.how == "copy"
    assert (home / "demo" / "01-start.ipynb").is_file()
    assert (home / "demo" / "course.yml").is_file()
    # The release, not the sources: the source-only helper folder is not handed out.
    assert not (home / "demo" / "lab").exists()
    assert not (home / "facilitator").exists(), "a learner was given the facilitator guides"

    (home / "demo" / "01-start.ipynb").write_text("my own work", encoding="utf-8")
    again = place_courses(kit, home)
    assert again.copied == 0
    assert (home / "demo" / "01-start.ipynb").read_text(encoding="utf-8") == "my own work"


def test_a_facilitator_also_gets_the_guides(tmp_path):
    kit, home = small_kit(tmp_path / "kit"), tmp_path / "home"
    place_courses(kit, home, leads=True)
    assert (home / "facilitator" / "demo" / "01-guide.ipynb").is_file()


def test_with_launch_links_the_home_holds_only_the_clone_the_links_use(tmp_path):
    kit = launching_kit(small_kit(tmp_path / "kit"), "http://127.0.0.1:9/")
    home = tmp_path / "home"
    placed = place_courses(kit, home, leads=True)
    clone = home / "kit"
    assert placed.how == "clone" and placed.where == (clone,)
    assert (clone / "notebooks" / "demo" / "01-start.ipynb").is_file()
    assert sorted(p.name for p in home.iterdir()) == ["kit"], "a second copy was made"

    # The learner edits; the course author publishes a fix: both survive the next start.
    mine = clone / "notebooks" / "demo" / "01-start.ipynb"
    mine.write_text("my own work", encoding="utf-8")
    (kit / "notebooks" / "demo" / "02-next.ipynb").write_text(json.dumps(NOTEBOOK),
                                                               encoding="utf-8")
    git(kit, "add", "-A")
    git(kit, "commit", "-q", "-m", "week 2")
    place_courses(kit, home)
    assert mine.read_text(encoding="utf-8") == "my own work"
    assert (clone / "notebooks" / "demo" / "02-next.ipynb").is_file()


def test_broken_launch_settings_are_named_not_worked_around(tmp_path):
    kit = small_kit(tmp_path / "kit")
    (kit / "_config.yml").write_text(yaml.safe_dump(
        {"launch_buttons": {"jupyterhub_url": "hub.example.org"}}), encoding="utf-8")
    with pytest.raises(CircleKitError, match="launch_buttons.jupyterhub_url"):
        place_courses(kit, tmp_path / "home")
    assert not (tmp_path / "home").exists()


def _post_start(kit: Path, home: Path, facilitates: bool) -> None:
    """Run the Helm values' postStart hook as a learner's server would, on this machine."""
    values = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    single = values["singleuser"]
    command = single["lifecycleHooks"]["postStart"]["exec"]["command"]
    # The values point the kit at the image's folder; here that folder is `kit`.
    assert single["extraEnv"]["CIRCLEKIT_KIT_ROOT"] == "/srv/circlekit"
    env = {"HOME": str(home), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "CIRCLEKIT_KIT_ROOT": str(kit), "CIRCLEKIT_FACILITATES": "1" if facilitates else "0"}
    home.mkdir()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_kubernetes_server_start_makes_one_copy_too(tmp_path):
    kit = launching_kit(small_kit(tmp_path / "kit"), "https://hub.example.org/")
    learner, lead = tmp_path / "ana", tmp_path / "lee"
    _post_start(kit, learner, facilitates=False)
    assert (learner / "kit" / "notebooks" / "demo" / "01-start.ipynb").is_file()
    assert not (learner / "demo").exists(), "the hook copied the courses beside the clone"

    plain = small_kit(tmp_path / "plain")
    _post_start(plain, lead, facilitates=True)
    assert (lead / "demo" / "01-start.ipynb").is_file()
    assert (lead / "facilitator" / "demo" / "01-guide.ipynb").is_file()
    log = (lead / ".circlekit-courses.log").read_text(encoding="utf-8")
    assert "copied into" in log
