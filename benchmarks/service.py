"""Circle service load: 100 concurrent learners saving answers over loopback, against SQLite.

Starts a real JupyterHub (its proxy and the circle service, as `circlekit hub` does) on free
loopback ports in a temporary folder, makes `--clients` learners in circles of 10 with a hub
token each, then every learner saves `--writes` answers one after another, all learners at
once. Each save is a new answer (a quiz attempt), so every acknowledged save must be a row in
the service's database afterwards; `lost` counts acknowledged saves that are not there, plus
saves that failed. By default the requests go straight to the service's port, measuring the
service (auth, checks, database); `--via-proxy` sends them through configurable-http-proxy as
a kernel would.

    .venv/bin/python benchmarks/service.py [--clients 100] [--writes 100] [--via-proxy]

The last line is `writes/s=<n> p50_ms=<n> p95_ms=<n> p99_ms=<n> lost=<n>`.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from circlekit.hub import HubSettings, start_hub  # noqa: E402
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
                "client_id": f"{name}-{n}",
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


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--writes", type=int, default=100, help="saves per learner")
    parser.add_argument("--via-proxy", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="circlekit-bench-") as tmp:
        settings = HubSettings(state=Path(tmp) / "hub", password=secrets.token_urlsafe(12),
                               api_token=secrets.token_hex(24), kit_root=REPO,
                               copy_courses=False)
        print(f"starting a hub in {tmp} ...", flush=True)
        hub = start_hub(settings)
        try:
            people = setup(hub.url, settings.api_token, args.clients)
            if args.via_proxy:
                base = f"{hub.service_url}api/v1/"
            else:
                base = f"http://127.0.0.1:{settings.service_port}/services/circle/api/v1/"
            route = "through the proxy" if args.via_proxy else "straight to the service"
            print(f"{len(people)} learners in {len(people) // CIRCLE_SIZE} circles, "
                  f"{args.writes} saves each, {route}", flush=True)
            elapsed, latencies, failures, acked = asyncio.run(load(base, people, args.writes))
            db = Database(f"sqlite:///{settings.state / 'service' / 'circle-service.sqlite3'}")
            stored = db.count()
            db.close()
        finally:
            hub.stop()
    total = args.clients * args.writes
    lost = (acked - stored if stored < acked else 0) + len(failures)
    for line in failures[:5]:
        print(f"failed: {line}")
    print(f"saves sent={total} acknowledged={acked} stored={stored} failed={len(failures)} "
          f"seconds={elapsed:.2f} mean_ms={statistics.fmean(latencies) * 1000:.1f}")
    print(f"writes/s={acked / elapsed:.0f} p50_ms={percentile(latencies, 50) * 1000:.1f} "
          f"p95_ms={percentile(latencies, 95) * 1000:.1f} "
          f"p99_ms={percentile(latencies, 99) * 1000:.1f} lost={lost}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
