"""The status line says when a learner's answer reached the circle, whether the circle service
took it at once or only later (a real hub, its service, and the hub store a kernel uses)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hubtools import start_test_hub

from circlekit.answers.remote import HubStore
from widgets import Discussion, configure

SHARED = "Saved and shared with your circle."


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    th = start_test_hub(tmp_path_factory.mktemp("sharing") / "state")
    try:
        th.group("circle-a", ["alice"])
        yield th
    finally:
        th.hub.stop()


def discussion(store: HubStore) -> Discussion:
    configure(store=store, author="alice", circle="a", course="we-are-ai", lang="en",
              notebook="01-what-is-ai.ipynb")
    return Discussion("wai-1-who-decides", "Who should decide?")


def wait_for(check, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_an_answer_the_service_takes_at_once_is_said_to_be_shared(hub, tmp_path: Path) -> None:
    store = HubStore(hub.hub.service_url, hub.token("alice"), user="alice", home=tmp_path,
                     wait=30)
    try:
        w = discussion(store)
        w.value = "Everyone who eats there."
        assert w.save()
        assert w.status.text == SHARED, w.status.text
    finally:
        configure(store=None, author=None, circle=None, course=None, lang=None, notebook=None)
        store.close()


def test_an_answer_shared_later_is_said_to_be_shared_when_it_is(hub, tmp_path: Path) -> None:
    # No waiting at Save: the answer goes out from the sender thread afterwards.
    store = HubStore(hub.hub.service_url, hub.token("alice"), user="alice", home=tmp_path,
                     wait=0)
    try:
        w = discussion(store)
        w.value = "The cooks and the children."
        assert w.save()
        assert wait_for(lambda: w.status.text == SHARED), w.status.text
    finally:
        configure(store=None, author=None, circle=None, course=None, lang=None, notebook=None)
        store.close()
