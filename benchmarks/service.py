"""Circle service load, its ceiling on this machine, a library-scale run, and revocation.

Starts a real JupyterHub (its proxy and the circle service, as `circlekit hub` does) on free
loopback ports in a temporary folder.

Throughput (the default): `--clients` learners in circles of 10 with a hub token each; every
learner saves `--writes` answers one after another, all learners at once. Each save is a new
answer (a quiz attempt), so every acknowledged save must be a row in the service's database
afterwards; `lost` counts acknowledged saves that are not there, plus saves that failed. By
default the requests go straight to the service's port; `--via-proxy` sends them through
configurable-http-proxy as a kernel would. The per-person rate limit is lifted for this run
(one simulated learner here sends 100 saves back to back, which the limit exists to stop).

The ceiling, measured in the same run with the same client: a bare tornado handler in a
process of its own that parses the JSON body and does one SQLite (WAL) insert per request.
Absolute figures differ several-fold between machines of this kind; the ratio does not. The
two are measured in `--rounds` rounds of (service, ceiling) back to back, and the median round
(by ratio) is reported, so a shared machine's drifting load does not decide the ratio. Before
the rounds, each learner sends `--warmup` untimed saves to both: a proxy just started runs
its JavaScript cold, and a hub's proxy in use has not. With `--via-proxy` each round also
measures the ceiling through the same proxy (a route added with the proxy's API): what the
proxy alone costs the plain tools, beside what it costs the service. The ratio on the last
line stays the service through the proxy against the ceiling straight.

Library scale (`--circles 50 --learners 12`): that many circles, each with its learners and a
facilitator (650 hub users and 50 groups made through the hub's API), every learner saving
`--answers` answers through the proxy while every facilitator's dashboard refreshes (new
answers since the last refresh, every 2 s). Reports set-up time, writes/s, p50/p95/p99,
lost, and answers seen in a wrong circle.

Revocation (`--revocation`): seconds until a learner removed from a circle is refused, and
until a deleted token (a stopped server's token is deleted by the hub the same way) is.

    .venv/bin/python benchmarks/service.py [--clients 100] [--writes 100] [--via-proxy]
    .venv/bin/python benchmarks/service.py --circles 50 --learners 12 [--answers 5]
    .venv/bin/python benchmarks/service.py --revocation

The throughput run's last line is
`writes/s=<n> p50_ms=<n> p95_ms=<n> p99_ms=<n> lost=<n> ceiling=<writes/s> ratio=<service/ceiling>`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from circlekit.answers.remote import new_client_id  # noqa: E402
from circlekit.hub import HubSettings, free_ports, start_hub  # noqa: E402
from circlekit.service.database import Database  # noqa: E402

CIRCLE_SIZE = 10


def setup(hub_url: str, admin_token: str, clients: int) -> list[tuple[str, str, str]]:
    """(name, circle, token) for each learner, in circles of CIRCLE_SIZE."""
    s = requests.Session()
    s.headers["Authorization"] = f"token {admin_token}"
    api = f"{hub_url}/hub/api"
    names = [f"bench{i:03d}" for i in range(clients)]
    r = s.post(f"{api}/users", json={"usernames": names}, timeout=60)
    r.raise_for_status()
    people = []
    for start in range(0, clients, CIRCLE_SIZE):
        circle = f"c{start // CIRCLE_SIZE}"
        members = names[start:start + CIRCLE_SIZE]
        s.post(f"{api}/groups/circle-{circle}", timeout=30).raise_for_status()
        s.post(f"{api}/groups/circle-{circle}/users", json={"users": members},
               timeout=30).raise_for_status()
        for name in members:
            token = s.post(f"{api}/users/{name}/tokens", json={"note": "bench"},
                           timeout=30).json()["token"]
            people.append((name, circle, token))
    return people


async def learner(base: str, name: str, circle: str, token: str, writes: int,
                  latencies: list[float], failures: list[str]) -> int:
    """One learner's kernel: one kept-alive connection, saves one after another."""
    acknowledged = 0
    headers = {"Authorization": f"token {token}"}
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(headers=headers, timeout=timeout) as session:
        async with session.get(f"{base}me") as warm:
            # Warm-up: the service checks a token with the hub once, then caches it (a
            # kernel keeps its token for hours), so that check is not what is measured.
            await warm.read()
        await ready.wait()
        for n in range(writes):
            body = {
                "course": "bench", "notebook": "bench.ipynb", "widget_id": "bench-quiz",
                "kind": "quiz", "visibility": "circle", "value": f"{name} answer {n}",
                "client_id": new_client_id(),  # as the hub store makes them
            }
            started = time.perf_counter()
            try:
                async with session.post(f"{base}circles/{circle}/answers", json=body) as r:
                    await r.read()
                    status = r.status
            except (aiohttp.ClientError, TimeoutError) as error:
                failures.append(f"{name}#{n}: {error!r}")
                continue
            latencies.append(time.perf_counter() - started)
            if status in (200, 201):
                acknowledged += 1
            else:
                failures.append(f"{name}#{n}: HTTP {status}")
    return acknowledged


ready: asyncio.Event


async def load(base: str, people: list[tuple[str, str, str]], writes: int
               ) -> tuple[float, list[float], list[str], int]:
    global ready
    ready = asyncio.Event()
    latencies: list[float] = []
    failures: list[str] = []
    tasks = [asyncio.ensure_future(learner(base, name, circle, token, writes, latencies,
                                           failures)) for name, circle, token in people]
    await asyncio.sleep(3)  # every learner connected and warmed up
    started = time.perf_counter()
    ready.set()
    acks = await asyncio.gather(*tasks)
    return time.perf_counter() - started, latencies, failures, sum(acks)


CEILING = r"""
import json, sqlite3, sys
from tornado.ioloop import IOLoop
from tornado.web import Application, RequestHandler

db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = NORMAL")
db.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, circle TEXT, author TEXT, "
           "value TEXT)")


class Save(RequestHandler):
    def post(self, circle):
        data = json.loads(self.request.body)
        db.execute("INSERT INTO answers (circle, author, value) VALUES (?, ?, ?)",
                   (circle, self.request.headers.get("Authorization", ""),
                    json.dumps(data["value"])))
        self.set_status(201)
        self.finish(b'{"applied": true}')


class Me(RequestHandler):
    def get(self):
        self.finish(b"{}")


# Straight, or through the proxy under a prefix of its own (the proxy keeps the prefix).
api = r"(?:/ceiling)?/services/circle/api/v1/"
app = Application([(api + r"circles/([^/]+)/answers", Save), (api + r"me", Me)])
app.listen(int(sys.argv[1]), "127.0.0.1")
print("ready", flush=True)
IOLoop.current().start()
"""


def start_ceiling(folder: Path) -> tuple[subprocess.Popen[str], str]:
    """The bare tornado handler doing one SQLite (WAL) insert per save; (process, API base)."""
    port = free_ports(1)[0]
    proc = subprocess.Popen([sys.executable, "-c", CEILING, str(port),
                             str(folder / "ceiling.sqlite3")], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc, f"http://127.0.0.1:{port}/services/circle/api/v1/"


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds a process has used so far (0 when it is gone)."""
    import psutil

    try:
        times = psutil.Process(pid).cpu_times() if pid else None
    except psutil.Error:
        return 0.0
    return 0.0 if times is None else times.user + times.system


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def figures(label: str, elapsed: float, latencies: list[float], acked: int) -> str:
    return (f"{label}writes/s={acked / elapsed:.0f} p50_ms={percentile(latencies, 50) * 1000:.1f} "
            f"p95_ms={percentile(latencies, 95) * 1000:.1f} "
            f"p99_ms={percentile(latencies, 99) * 1000:.1f}")


def new_hub(tmp: str, **env: str):
    settings = HubSettings(state=Path(tmp) / "hub", password=secrets.token_urlsafe(12),
                           api_token=secrets.token_hex(24), kit_root=REPO,
                           copy_courses=False, extra_env=dict(env))
    print(f"starting a hub in {tmp} ...", flush=True)
    return settings, start_hub(settings)


@dataclass
class Run:
    """One load against one server."""

    elapsed: float
    latencies: list[float]
    failures: list[str]
    acked: int
    cpu: float
    others: dict[str, float]  # CPU seconds of the client and the proxy meanwhile

    @property
    def rate(self) -> float:
        return self.acked / self.elapsed

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)


def measure(base: str, people: list[tuple[str, str, str]], writes: int,
            pid: int | None, proxy: int | None = None) -> Run:
    """One load; CPU seconds of the server (`pid`), and of this client and the proxy."""
    watched = {"server": pid, "client": os.getpid(), "proxy": proxy}
    before = {name: cpu_seconds(p) for name, p in watched.items()}
    elapsed, latencies, failures, acked = asyncio.run(load(base, people, writes))
    used = {name: cpu_seconds(p) - before[name] for name, p in watched.items()}
    return Run(elapsed, latencies, failures, acked, used.pop("server"), used)


def route_through_proxy(settings, token: str, c_base: str) -> str:
    """Add a route to the ceiling on the hub's proxy; the ceiling's API base through it."""
    target = c_base.split("/services/")[0]
    requests.post(f"http://127.0.0.1:{settings.proxy_api_port}/api/routes/ceiling",
                  json={"target": target}, headers={"Authorization": f"token {token}"},
                  timeout=10).raise_for_status()
    return f"http://127.0.0.1:{settings.port}/ceiling/services/circle/api/v1/"


def proxy_pid(hub) -> int | None:
    """The hub's configurable-http-proxy process."""
    import psutil

    for kid in psutil.Process(hub.process.pid).children(recursive=True):
        try:
            if "configurable-http-proxy" in " ".join(kid.cmdline()):
                return kid.pid
        except psutil.Error:
            continue
    return None


def throughput(args: argparse.Namespace) -> int:
    """Rounds of (service, ceiling), one right after the other: the machine's load drifts
    over a minute far more than between the two halves of a round, so each round's ratio
    compares like with like, and the median round is reported."""
    with tempfile.TemporaryDirectory(prefix="circlekit-bench-") as tmp:
        # The proxy's API token is set here, so the ceiling can be given a route on it.
        proxy_token = secrets.token_hex(24)
        settings, hub = new_hub(tmp, CIRCLEKIT_SAVES_PER_SECOND="100000",
                                CIRCLEKIT_SAVES_BURST="100000",
                                CONFIGPROXY_AUTH_TOKEN=proxy_token)
        proc, proxied = None, []
        try:
            people = setup(hub.url, settings.api_token, args.clients)
            if args.via_proxy:
                base = f"{hub.service_url}api/v1/"
            else:
                base = f"http://127.0.0.1:{settings.service_port}/services/circle/api/v1/"
            route = "through the proxy" if args.via_proxy else "straight to the service"
            print(f"{len(people)} learners in {len(people) // CIRCLE_SIZE} circles, "
                  f"{args.writes} saves each, {route}; {args.rounds} rounds of service then "
                  "ceiling", flush=True)
            proc, c_base = start_ceiling(Path(tmp))
            p_base = route_through_proxy(settings, proxy_token, c_base) if args.via_proxy else ""
            service, rounds = hub.service_pid(), []
            # Untimed, to each: a proxy that has just started runs its JavaScript cold (its
            # first round was the slowest in every run), and a hub's proxy has not.
            warm = measure(base, people, args.warmup, None).acked
            for other in filter(None, (c_base, p_base)):
                measure(other, people, args.warmup, None)
            for r in range(args.rounds):
                ours = measure(base, people, args.writes, service,
                               proxy_pid(hub) if args.via_proxy else None)
                bare = measure(c_base, people, args.writes, proc.pid)
                rounds.append((ours, bare))
                line = (f"round {r + 1}: service {ours.rate:.0f}/s p99 {ours.p(99) * 1000:.0f} ms; "
                        f"ceiling {bare.rate:.0f}/s p99 {bare.p(99) * 1000:.0f} ms; "
                        f"ratio {ours.rate / bare.rate:.2f}")
                if p_base:
                    proxied.append(measure(p_base, people, args.writes, proc.pid))
                    line += (f"; ceiling through the proxy {proxied[-1].rate:.0f}/s "
                             f"({proxied[-1].rate / bare.rate:.2f} of straight)")
                print(line, flush=True)
            db = Database(f"sqlite:///{settings.state / 'service' / 'circle-service.sqlite3'}")
            stored = db.count() - warm
            db.close()
        finally:
            hub.stop()
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(30)
    total = args.clients * args.writes * args.rounds
    acked = sum(o.acked for o, _ in rounds)
    failures = [f for o, _ in rounds for f in o.failures]
    lost = (acked - stored if stored < acked else 0) + len(failures)
    for line in failures[:5]:
        print(f"failed: {line}")
    # The median round by ratio stands for the run.
    ours, bare = sorted(rounds, key=lambda pair: pair[0].rate / pair[1].rate)[len(rounds) // 2]
    print(f"saves sent={total} acknowledged={acked} stored={stored} failed={len(failures)} "
          f"median round: seconds={ours.elapsed:.2f} "
          f"mean_ms={statistics.fmean(ours.latencies) * 1000:.1f}")
    print(figures("ceiling: ", bare.elapsed, bare.latencies, bare.acked)
          + f" failed={sum(len(b.failures) for _, b in rounds)}")
    print(f"p99 ratio={ours.p(99) / bare.p(99):.2f} (median over rounds "
          f"{statistics.median(o.p(99) / b.p(99) for o, b in rounds):.2f})")
    # CPU time per save is steadier than writes/s on a shared machine; over all rounds
    # steadier still than the median round's.
    print(f"cpu_us_per_save service={ours.cpu / ours.acked * 1e6:.0f} "
          f"ceiling={bare.cpu / bare.acked * 1e6:.0f} ratio={ours.cpu / bare.cpu:.2f}")
    ours_cpu, bare_cpu = sum(o.cpu for o, _ in rounds), sum(b.cpu for _, b in rounds)
    ours_acked, bare_acked = sum(o.acked for o, _ in rounds), sum(b.acked for _, b in rounds)
    print(f"cpu_us_per_save all rounds: service={ours_cpu / ours_acked * 1e6:.0f} "
          f"ceiling={bare_cpu / bare_acked * 1e6:.0f} "
          f"ratio={ours_cpu / ours_acked / (bare_cpu / bare_acked):.2f}")
    # Where the machine's CPU went per save while the service was measured: on two cores,
    # the client and (through it) the proxy share them with the service.
    print("cpu_us_per_save of the others, service rounds: " + " ".join(
        f"{name}={sum(o.others[name] for o, _ in rounds) / ours_acked * 1e6:.0f}"
        for name in ("client", "proxy") if any(o.others[name] for o, _ in rounds)))
    if proxied:
        # The proxy's own share: the plain tools through it, against the same rounds.
        pairs = [(p.rate / b.rate, o.rate / p.rate)
                 for (o, b), p in zip(rounds, proxied, strict=True)]
        print("ceiling through the proxy, median over rounds: "
              f"{statistics.median(a for a, _ in pairs):.2f}x the ceiling straight; the "
              f"service through the proxy {statistics.median(b for _, b in pairs):.2f}x it")
    print(figures("", ours.elapsed, ours.latencies, ours.acked) + f" lost={lost} "
          f"ceiling={bare.rate:.0f} ratio={ours.rate / bare.rate:.2f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--writes", type=int, default=100, help="saves per learner")
    parser.add_argument("--via-proxy", action="store_true")
    parser.add_argument("--warmup", type=int, default=30,
                        help="untimed saves per learner first, to the service and the ceiling")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of service then ceiling (the median is reported)")
    parser.add_argument("--circles", type=int, default=0, help="library scale: circles")
    parser.add_argument("--learners", type=int, default=12, help="learners per circle")
    parser.add_argument("--answers", type=int, default=5, help="saves per learner")
    parser.add_argument("--revocation", action="store_true")
    args = parser.parse_args()
    if args.revocation:
        return revocation()
    if args.circles:
        return library(args)
    return throughput(args)


# -- library scale -------------------------------------------------------------------------------


def library_setup(hub_url: str, admin_token: str, circles: int, learners: int
                  ) -> tuple[dict[str, list[tuple[str, str]]], dict[str, tuple[str, str]]]:
    """Circles made through the hub's API: {circle: [(learner, token)]}, {circle: facilitator}."""
    s = requests.Session()
    s.headers["Authorization"] = f"token {admin_token}"
    api = f"{hub_url}/hub/api"
    members: dict[str, list[tuple[str, str]]] = {}
    leads: dict[str, tuple[str, str]] = {}

    def token(name: str) -> str:
        return s.post(f"{api}/users/{name}/tokens", json={"note": "bench"},
                      timeout=60).json()["token"]

    for c in range(circles):
        circle = f"lib{c:02d}"
        names = [f"{circle}l{i:02d}" for i in range(learners)]
        lead = f"{circle}f"
        s.post(f"{api}/users", json={"usernames": [*names, lead]}, timeout=120
               ).raise_for_status()
        s.post(f"{api}/groups/circle-{circle}", timeout=60).raise_for_status()
        s.post(f"{api}/groups/circle-{circle}/users", json={"users": [*names, lead]},
               timeout=60).raise_for_status()
        s.put(f"{api}/groups/circle-{circle}/properties", json={"facilitators": [lead]},
              timeout=60).raise_for_status()
        members[circle] = [(n, token(n)) for n in names]
        leads[circle] = (lead, token(lead))
    return members, leads


RETRIED: Counter[str] = Counter()


async def warm_up(session: aiohttp.ClientSession, url: str, gate: asyncio.Semaphore) -> None:
    """The kernel's first call: the service checks the token with the hub once, then keeps
    it. 650 of these at once would measure the hub's token check, not saving, so they go a
    few at a time and retry."""
    async with gate:
        for _ in range(30):
            try:
                async with session.get(url) as r:
                    await r.read()
                    if r.status == 200:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(1)
    raise RuntimeError(f"could not warm up {url}")


async def library_learner(base: str, circle: str, name: str, token: str, answers: int,
                          go: asyncio.Event, latencies: list[float], failures: list[str],
                          gate: asyncio.Semaphore, warmed: list[int]) -> int:
    """A learner's kernel, as the hub store behaves: retries what is "not now" (429, 503, no
    reply, a proxy's page), honouring Retry-After; each save's time includes its retries."""
    import random

    headers = {"Authorization": f"token {token}"}
    acked = 0
    async with aiohttp.ClientSession(headers=headers,
                                     timeout=aiohttp.ClientTimeout(total=30)) as session:
        await warm_up(session, f"{base}me", gate)
        warmed.append(1)
        await go.wait()
        await asyncio.sleep(random.random() * 5)  # people press Save over a few seconds
        for n in range(answers):
            body = {"course": "bench", "notebook": "bench.ipynb", "widget_id": f"lib-q{n}",
                    "kind": "discussion", "visibility": "circle",
                    "value": f"{name} thinks {n} " + "w" * 300, "client_id": new_client_id()}
            started = time.perf_counter()
            for attempt in range(20):
                try:
                    async with session.post(f"{base}circles/{circle}/answers", json=body) as r:
                        await r.read()
                        status, mine = r.status, "X-Circlekit-Service" in r.headers
                        wait = float(r.headers.get("Retry-After", "0") or 0)
                except (aiohttp.ClientError, TimeoutError):
                    status, mine, wait = 0, False, 0.0
                if mine and status in (200, 201):
                    acked += 1
                    latencies.append(time.perf_counter() - started)
                    break
                if mine and status not in (429, 503) and status < 500:
                    failures.append(f"{name}#{n}: HTTP {status}")
                    break
                RETRIED[f"{status}{'' if mine else ' (not the service)'}"] += 1
                await asyncio.sleep(max(wait, min(0.5 * 2 ** attempt, 5)))
            else:
                failures.append(f"{name}#{n}: gave up")
    return acked


async def dashboard(base: str, circle: str, token: str, members: set[str],
                    done: asyncio.Event, wrong: list[str], seen: dict[str, int]) -> None:
    """A facilitator's dashboard: new answers since the last refresh, every 2 s."""
    headers = {"Authorization": f"token {token}"}
    last = 0
    async with aiohttp.ClientSession(headers=headers,
                                     timeout=aiohttp.ClientTimeout(total=30)) as session:
        while True:
            finished = done.is_set()
            try:
                async with session.get(f"{base}circles/{circle}/answers",
                                       params={"after": str(last)}) as r:
                    data = await r.json() if r.status == 200 else None
            except (aiohttp.ClientError, TimeoutError, ValueError):
                data = None
            if data is not None:
                for a in data["answers"]:
                    if a["circle"] != circle or a["author"] not in members:
                        wrong.append(f"{circle}: {a['author']} in {a['circle']}")
                    seen[circle] = seen.get(circle, 0) + 1
                last = max(last, int(data["last"]))
            if finished:
                return
            await asyncio.sleep(2)


async def library_load(base: str, members: dict[str, list[tuple[str, str]]],
                       leads: dict[str, tuple[str, str]], answers: int
                       ) -> tuple[float, list[float], list[str], int, list[str], dict[str, int]]:
    go, done = asyncio.Event(), asyncio.Event()
    latencies: list[float] = []
    failures: list[str] = []
    wrong: list[str] = []
    seen: dict[str, int] = {}
    gate, warmed = asyncio.Semaphore(8), []
    learners = [asyncio.ensure_future(library_learner(base, c, n, t, answers, go, latencies,
                                                      failures, gate, warmed))
                for c, people in members.items() for n, t in people]
    while len(warmed) < len(learners):  # everyone connected and warmed up
        await asyncio.sleep(0.5)
        if any(task.done() for task in learners):
            await asyncio.gather(*learners)  # a warm-up failed: say why
    print(f"{len(warmed)} learners warmed up", flush=True)
    dashboards = [asyncio.ensure_future(dashboard(
        base, c, leads[c][1], {n for n, _ in members[c]} | {leads[c][0]}, done, wrong, seen))
        for c in members]
    await asyncio.sleep(2)  # dashboards have made their first read
    started = time.perf_counter()
    go.set()
    acked = sum(await asyncio.gather(*learners))
    elapsed = time.perf_counter() - started
    done.set()
    await asyncio.gather(*dashboards)
    return elapsed, latencies, failures, acked, wrong, seen


def library(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="circlekit-bench-") as tmp:
        settings, hub = new_hub(tmp)
        try:
            started = time.perf_counter()
            members, leads = library_setup(hub.url, settings.api_token, args.circles,
                                           args.learners)
            setup_s = time.perf_counter() - started
            users = sum(len(p) for p in members.values()) + len(leads)
            print(f"set-up: {users} hub users, {len(members)} circles in {setup_s:.1f} s; "
                  f"each learner saves {args.answers} answers through the proxy while "
                  "every facilitator's dashboard refreshes", flush=True)
            elapsed, latencies, failures, acked, wrong, seen = asyncio.run(
                library_load(f"{hub.service_url}api/v1/", members, leads, args.answers))
            db = Database(f"sqlite:///{settings.state / 'service' / 'circle-service.sqlite3'}")
            stored = db.count()
            db.close()
        finally:
            hub.stop()
    expected = sum(len(p) for p in members.values()) * args.answers
    lost = max(0, expected - stored)
    for line in (failures + wrong)[:5]:
        print(f"problem: {line}")
    print(f"retried: {dict(RETRIED) or 'none'}")
    print(f"saves={expected} acknowledged={acked} stored={stored} "
          f"seen_by_facilitators={sum(seen.values())} seconds={elapsed:.2f}")
    print(f"setup_s={setup_s:.1f} " + figures("", elapsed, latencies, acked)
          + f" lost={lost} wrong_circle={len(wrong)}")
    return 0


# -- revocation ------------------------------------------------------------------------------------


def _until(check: Callable[[], bool], timeout: float = 120) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter() - started
        time.sleep(0.05)
    return float("inf")


def revocation(rounds: int = 3) -> int:
    with tempfile.TemporaryDirectory(prefix="circlekit-bench-") as tmp:
        settings, hub = new_hub(tmp)
        try:
            admin = requests.Session()
            admin.headers["Authorization"] = f"token {settings.api_token}"
            api = f"{hub.url}/hub/api"
            service = f"{hub.service_url}api/v1/"
            removed: list[float] = []
            revoked: list[float] = []
            for n in range(rounds):
                name, group = f"rev{n}", f"circle-rev{n}"
                admin.post(f"{api}/users/{name}", timeout=30).raise_for_status()
                admin.post(f"{api}/groups/{group}", timeout=30).raise_for_status()
                admin.post(f"{api}/groups/{group}/users", json={"users": [name]},
                           timeout=30).raise_for_status()
                made = admin.post(f"{api}/users/{name}/tokens", json={"note": "rev"},
                                  timeout=30).json()
                read = f"{service}circles/rev{n}/answers"
                me = {"Authorization": f"token {made['token']}"}

                def status(read: str = read, me: dict[str, str] = me) -> int:
                    return requests.get(read, headers=me, timeout=30).status_code

                _until(lambda status=status: status() == 200)
                admin.delete(f"{api}/groups/{group}/users", json={"users": [name]},
                             timeout=30).raise_for_status()
                removed.append(_until(lambda status=status: status() == 403))
                admin.post(f"{api}/groups/{group}/users", json={"users": [name]},
                           timeout=30).raise_for_status()
                _until(lambda status=status: status() == 200)
                admin.delete(f"{api}/users/{name}/tokens/{made['id']}",
                             timeout=30).raise_for_status()
                revoked.append(_until(lambda status=status: status() == 401))
        finally:
            hub.stop()
    print(f"removed learner refused after (s): {', '.join(f'{t:.2f}' for t in removed)}")
    print(f"deleted token refused after (s): {', '.join(f'{t:.2f}' for t in revoked)}")
    print(f"removed_max_s={max(removed):.2f} token_max_s={max(revoked):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
