"""The Zero to JupyterHub values (hub/helm/values.yaml) and the book page on deploying a hub.

No cluster runs here: these tests read the values the way the chart does, compile and run the
Python snippets the chart would run in the hub against a stand-in configuration, and check that
the book's advice and the values say the same thing.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
HELM = ROOT / "hub" / "helm"
VALUES = HELM / "values.yaml"
PAGE = ROOT / "book" / "deploying.md"
SCOPE = "access:services!service=circle"
# Where the page may send a reader: documentation sites only.
DOC_HOSTS = {
    "tljh.jupyter.org", "z2jh.jupyter.org", "jupyterhub.readthedocs.io", "kubernetes.io",
    "helm.sh",
}
LOOPBACK = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def prose(page) -> str:
    """The page with its line breaks folded, so a phrase split over two lines still matches."""
    return re.sub(r"\s+", " ", page)


def _port(url: str) -> int:
    return urlparse(url).port


def _bytes(quantity: str) -> int:
    """A KubeSpawner/TLJH memory size such as 320M or 1G (powers of 1024, as they read it)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT])", str(quantity))
    assert match, f"not a memory size: {quantity!r}"
    return int(float(match[1]) * 1024 ** ("KMGT".index(match[2]) + 1))


def _walk(node, path=()):
    """Every (path, key, value) in a YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _strings(node):
    for _path, _key, value in _walk(node):
        if isinstance(value, str):
            yield value


def chart_config(values: dict) -> Config:
    """The hub's configuration as the chart's jupyterhub_config.py builds it from the values."""
    c = Config()
    c.JupyterHub.services = []
    c.JupyterHub.load_roles = []
    hub = copy.deepcopy(values["hub"])
    for key, service in hub.get("services", {}).items():
        service.setdefault("name", key)
        c.JupyterHub.services.append(service)
    for key, role in hub.get("loadRoles", {}).items():
        role.setdefault("name", key)
        c.JupyterHub.load_roles.append(role)
    for app, settings in hub.get("config", {}).items():
        c[app].update(settings)
    for name, snippet in sorted(hub.get("extraConfig", {}).items()):
        exec(compile(snippet, name, "exec"), {"c": c})
    return c


def fake_spawner(name, groups, admin=False):
    user = SimpleNamespace(
        name=name, admin=admin,
        groups=[SimpleNamespace(name=g, properties=props) for g, props in groups.items()],
    )
    return SimpleNamespace(user=user, environment={"CIRCLEKIT_SERVICE_URL": "kept"})


# -- the circle service ---------------------------------------------------------------------


def test_the_circle_service_is_started_by_the_hub(values):
    service = values["hub"]["services"]["circle"]
    command = service["command"]
    assert command[-2:] == ["-m", "circlekit.service"]
    port = _port(service["url"])
    assert port
    # The hub's Kubernetes Service name cannot be bound inside the pod: listen on all of the
    # pod's addresses, on the same port.
    assert f"JUPYTERHUB_SERVICE_URL=http://0.0.0.0:{port}" in command
    # The chart makes the service's API token; one written here would be a secret in the repo.
    assert "api_token" not in service and "apiToken" not in service


def test_the_service_port_is_open_to_the_proxy_and_the_servers(values):
    port = _port(values["hub"]["services"]["circle"]["url"])
    assert port in [p["port"] for p in values["hub"]["service"]["extraPorts"]]
    hub_ingress = [p["port"] for rule in values["hub"]["networkPolicy"]["ingress"]
                   for p in rule["ports"]]
    assert port in hub_ingress
    for egress in (values["singleuser"]["networkPolicy"]["egress"],
                   values["proxy"]["chp"]["networkPolicy"]["egress"]):
        assert port in [p["port"] for rule in egress for p in rule["ports"]]


def test_the_service_may_read_groups(values):
    role = values["hub"]["loadRoles"]["circle-service"]
    assert role["services"] == ["circle"]
    assert {"read:groups", "list:groups", "read:users"} <= set(role["scopes"])


# -- scopes ---------------------------------------------------------------------------------


def test_every_user_may_call_the_service(values):
    # JupyterHub 5 (the chart's 4.x line) has no extra_user_scopes: the `user` role is widened.
    scopes = values["hub"]["loadRoles"]["user"]["scopes"]
    assert "self" in scopes and SCOPE in scopes


def test_extra_config_snippets_are_valid_python(values):
    snippets = values["hub"]["extraConfig"]
    assert snippets
    for name, snippet in snippets.items():
        compile(snippet, name, "exec")


def test_a_kernels_token_may_call_the_service(values, monkeypatch):
    monkeypatch.delenv("CIRCLEKIT_DATABASE_URL", raising=False)
    c = chart_config(values)
    assert SCOPE in c.Spawner.server_token_scopes
    # JupyterHub's defaults for a server's token are kept.
    assert {"users:activity!user", "access:servers!server"} <= set(c.Spawner.server_token_scopes)


# -- what the snippets do in the hub --------------------------------------------------------


def test_the_database_url_reaches_the_service_from_the_hub_environment(values, monkeypatch):
    monkeypatch.setenv("CIRCLEKIT_DATABASE_URL", "postgresql+psycopg://from-the-secret/db")
    c = chart_config(values)
    (service,) = [s for s in c.JupyterHub.services if s["name"] == "circle"]
    assert service["environment"]["CIRCLEKIT_DATABASE_URL"] == (
        "postgresql+psycopg://from-the-secret/db"
    )
    # The command is shown by the hub's API; the address must not be in it.
    assert not any("postgres" in part for part in service["command"])

    monkeypatch.delenv("CIRCLEKIT_DATABASE_URL")
    c = chart_config(values)
    (service,) = [s for s in c.JupyterHub.services if s["name"] == "circle"]
    assert "CIRCLEKIT_DATABASE_URL" not in service["environment"]


def test_servers_learn_their_circle_and_whether_their_user_leads_it(values, monkeypatch):
    c = chart_config(values)
    hook = c.Spawner.pre_spawn_hook
    learner = fake_spawner("ana", {"circle-tuesday": {"facilitators": ["maria"]}, "staff": {}})
    hook(learner)
    assert learner.environment == {
        "CIRCLEKIT_SERVICE_URL": "kept", "CIRCLEKIT_CIRCLE": "tuesday",
        "CIRCLEKIT_FACILITATES": "0",
    }
    lead = fake_spawner("maria", {"circle-tuesday": {"facilitators": ["maria"]}})
    hook(lead)
    assert lead.environment["CIRCLEKIT_FACILITATES"] == "1"
    admin = fake_spawner("hubadmin", {}, admin=True)
    hook(admin)
    assert admin.environment["CIRCLEKIT_FACILITATES"] == "1"
    assert "CIRCLEKIT_CIRCLE" not in admin.environment


def test_each_person_has_their_own_login(values):
    c = chart_config(values)
    # Not one shared password: any learner could sign in as the facilitator with it.
    assert c.JupyterHub.authenticator_class == "native"
    assert "SharedPasswordAuthenticator" not in c
    assert c.NativeAuthenticator.open_signup is False  # an admin approves each sign-up
    assert c.NativeAuthenticator.minimum_password_length >= 8
    groups = values["hub"]["config"]["JupyterHub"]["load_groups"]
    members = {name for group in groups.values() for name in group["users"]}
    admins = set(values["hub"]["config"]["Authenticator"]["admin_users"])
    assert c.Authenticator.allowed_users == members | admins
    assert not {k for k in values["hub"].get("extraEnv", {}) if "PASSWORD" in k}


# -- learners' servers ----------------------------------------------------------------------


def test_servers_are_told_where_the_service_is(values):
    env = values["singleuser"]["extraEnv"]
    port = _port(values["hub"]["services"]["circle"]["url"])
    assert env["CIRCLEKIT_SERVICE_URL"] == f"http://hub:{port}/services/circle/"
    assert env["CIRCLEKIT_HOME"].startswith("/home/jovyan/")


def test_circles_are_groups_with_their_facilitators(values):
    groups = values["hub"]["config"]["JupyterHub"]["load_groups"]
    assert groups
    for name, group in groups.items():
        assert name.startswith("circle-")
        facilitators = group["properties"]["facilitators"]
        assert facilitators and set(facilitators) <= set(group["users"])


def test_idle_servers_are_stopped_but_not_during_a_meeting(values, prose):
    cull = values["cull"]
    assert cull["enabled"] is True
    assert cull["users"] is False
    assert cull["timeout"] >= 90 * 60
    assert f"{cull['timeout'] // 60} minutes" in prose


# -- secrets --------------------------------------------------------------------------------


def test_the_database_url_comes_from_a_secret(values):
    ref = values["hub"]["extraEnv"]["CIRCLEKIT_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
    assert ref["name"] and ref["key"]
    assert "value" not in values["hub"]["extraEnv"]["CIRCLEKIT_DATABASE_URL"]
    # No database address written anywhere in the values.
    for text in _strings(values):
        assert not re.match(r"(postgres(ql)?|mysql)(\+\w+)?://", text), text


SECRETISH = re.compile(r"pass(word|wd)?|secret|token|api_?key|cookie", re.IGNORECASE)


def test_no_secret_is_written_in_the_values(values):
    for path, key, value in _walk(values):
        if isinstance(key, str) and SECRETISH.search(key) and key != "secretKeyRef":
            # Allowed: nothing, or a reference to a Kubernetes Secret.
            ok = value in (None, "") or (
                isinstance(value, dict) and "secretKeyRef" in value.get("valueFrom", {})
            )
            assert ok, f"{'.'.join(map(str, (*path, key)))} holds a value"
    for text in _strings(values):
        # No credentials inside a URL, no long random-looking strings.
        assert not re.search(r"\w+://[^\s/@:]+:[^\s/@]+@", text), text
        for run in re.findall(r"[A-Za-z0-9+/=_-]{24,}", text):
            assert not (re.search(r"\d", run) and re.search(r"[A-Za-z]", run)), run
    for name, snippet in values["hub"]["extraConfig"].items():
        # Passwords in the snippets are read from the environment, never assigned as text.
        assert not re.search(r"(password|secret|token)\s*=\s*['\"]", snippet, re.I), name


def test_the_raw_file_holds_no_credentials_even_in_comments():
    text = VALUES.read_text(encoding="utf-8")
    assert not re.search(r"\w+://[^\s/@:]+:[^\s/@]+@", text)
    assert not re.search(r"-----BEGIN [A-Z ]*PRIVATE KEY-----", text)


# -- sizes: the values and the book agree ---------------------------------------------------


def test_memory_sizes_match_the_book(values, prose):
    memory = values["singleuser"]["memory"]
    guarantee, limit = memory["guarantee"], memory["limit"]
    assert _bytes(guarantee) < _bytes(limit)
    # The book's per-person figure (server + kernel peak, with 30% headroom) fits the guarantee.
    each = int(re.search(r"makes about (\d+) MB each", prose)[1])
    assert _bytes(guarantee) >= each * 10**6
    assert f"guarantee of {guarantee}" in prose and f"limit of {limit}" in prose
    # TLJH gets the same limit.
    assert f"tljh-config set limits.memory {limit}" in prose
    assert f"tljh-config set limits.cpu {values['singleuser']['cpu']['limit']}" in prose


def test_the_book_shows_its_sums(page, prose):
    server = int(re.search(r"(\d+) MB \| started JupyterLab", page)[1])
    kernel = int(re.search(r"\| \d+ to (\d+) MB at its peak", page)[1])
    service = int(re.search(r"(\d+) MB \| started `python -m circlekit.service`", page)[1])
    assert f"{server} + {kernel} = {server + kernel} MB" in prose
    each = round((server + kernel) * 1.3, -1)
    assert f"about {each:.0f} MB each" in prose
    overhead = 500 + service  # hub and proxy (JupyterHub's capacity planning) + the service
    assert f"about {round(overhead, -1):.0f} MB once" in prose
    rows = re.findall(r"^\| (\d+) \| about ([\d.]+) GB \|", page, re.M)
    assert [int(n) for n, _ in rows] == [8, 12, 30]
    for people, gigabytes in rows:
        assert abs((overhead + int(people) * each) / 1000 - float(gigabytes)) < 0.1


# -- the book page --------------------------------------------------------------------------


def test_the_page_covers_both_kinds_of_hub(page):
    assert "The Littlest JupyterHub" in page and "TLJH" in page
    assert "Zero to JupyterHub" in page
    assert "facilitators" in page and "circle-" in page
    assert "2026-11-25" in page


def test_the_page_links_only_to_documentation(page):
    links = re.findall(r"\]\(([^)\s]+)\)", page)
    assert links
    for target in links:
        parsed = urlparse(target)
        assert parsed.scheme == "https" and parsed.hostname in DOC_HOSTS, target
    for url in re.findall(r"[a-z][a-z0-9+.-]*://[^\s)`\"']+", page):
        host = urlparse(url).hostname
        assert host in DOC_HOSTS | LOOPBACK, url


def test_the_pages_tljh_settings_work(page):
    (block,) = re.findall(r"```python\n(.*?)```", page, re.S)
    code = compile(block, "circlekit.py", "exec")
    c = Config()
    exec(code, {"c": c})
    # TLJH may or may not have set these lists already; the file only ever adds to them.
    (service,) = c.JupyterHub.services.get_value([])
    assert service["name"] == "circle" and service["command"][-2:] == ["-m", "circlekit.service"]
    assert {"name": "user", "scopes": ["self", SCOPE]} in c.JupyterHub.load_roles.get_value([])
    assert c.Spawner.environment.get_value({})["CIRCLEKIT_SERVICE_URL"].endswith(
        "/services/circle/"
    )
    assert SCOPE in c.Spawner.server_token_scopes
    spawner = fake_spawner("ana", {"circle-tuesday-evening": {}})
    c.Spawner.pre_spawn_hook(spawner)
    assert spawner.environment["CIRCLEKIT_CIRCLE"] == "tuesday-evening"
    for group in c.JupyterHub.load_groups.values():
        assert group["properties"]["facilitators"]


def test_the_images_contain_the_kit():
    user = (HELM / "Dockerfile").read_text(encoding="utf-8")
    hub = (HELM / "Dockerfile.hub").read_text(encoding="utf-8")
    assert "quay.io/jupyter/" in user and "pip install" in user and "/tmp/circlekit" in user
    assert "quay.io/jupyterhub/k8s-hub" in hub and "/tmp/circlekit" in hub
    assert "psycopg" in hub
