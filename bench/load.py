"""Load test: N unit editors for S seconds against a real server on loopback (`make load`).

Each editor signs in once (bearer token, two sign-ins at a time, before the timed window), then
until time is up logs an output through the API, and every other turn reads the unit page (an
editor's board) or the outputs list, pausing a random 0..2x`--think` seconds between actions.
Afterwards every acknowledged output is looked up in the database by SQL. With --write, the
"## Load test" section of docs/benchmarks.md is replaced.

    python -m bench.load --users 200 --seconds 120 --engine both --write
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import Engine, func, select

from bench import write_section
from bench.__main__ import machine
from bench.live import LiveServer, start_server
from bench.seed import PASSWORD, Editor, seed
from trienkhai.db import make_engine
from trienkhai.outputs.models import Output

# Inside the seeded campaign's period (outputs outside it are refused since issue 8).
DAY_AT = f"{dt.date.today() - dt.timedelta(days=3)}T08:00:00"

PG_ADMIN = os.environ.get("TRIENKHAI_BENCH_PG_ADMIN", "host=127.0.0.1 port=5432 user=postgres")
HEADING = "## Load test"
LOGINS_AT_ONCE = 2  # sign-ins before the timed window, two at a time (argon2: 64 MiB each)


@dataclass
class Tally:
    """What the editors saw: latencies per action, status codes, acknowledged writes."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    codes: Counter[int] = field(default_factory=Counter)
    transport_errors: Counter[str] = field(default_factory=Counter)
    acknowledged: dict[int, str] = field(default_factory=dict)  # output id -> title

    def record(self, action: str, started: float, response: httpx.Response) -> None:
        """Keep one request's latency and status."""
        self.latencies.setdefault(action, []).append(time.perf_counter() - started)
        self.codes[response.status_code] += 1


def quantile(values: list[float], q: float) -> float:
    """The q-quantile in milliseconds (nan when empty)."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1] * 1000


async def _request(
    client: httpx.AsyncClient, tally: Tally, action: str, method: str, url: str, **kw: object
) -> httpx.Response | None:
    """One timed request; a transport failure is counted, not raised."""
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)  # type: ignore[arg-type]
    except httpx.TransportError as exc:
        tally.transport_errors[f"{action}: {type(exc).__name__}"] += 1
        return None
    tally.record(action, started, response)
    return response


@dataclass(frozen=True)
class Plan:
    """What every editor shares: the server, the campaign, when to stop, the mean pause."""

    base: str
    campaign_id: int
    think: float
    deadline: float = 0.0


async def sign_in(base: str, editor: Editor, gate: asyncio.Semaphore, tally: Tally) -> str | None:
    """A bearer token; few sign-ins at a time, since each argon2 check takes 64 MiB and a core.

    A client of its own, closed at once: a kept-alive connection left idle while the others
    sign in would be closed by the server and fail the editor's first real request.
    """
    async with gate, httpx.AsyncClient(base_url=base, timeout=120) as client:
        body = {"username": editor.username, "password": PASSWORD}
        token = await _request(client, tally, "login", "POST", "/api/v1/auth/token", json=body)
    if token is None or token.status_code != 200:
        return None
    return str(token.json()["access_token"])


async def editor_run(client: httpx.AsyncClient, editor: Editor, plan: Plan, tally: Tally) -> None:
    """One signed-in editor: log outputs and read pages until the deadline."""
    rng = random.Random(editor.username)
    # The unit page is an editor's board (the campaign board and dashboard are staff pages).
    reads = [
        ("unit page", f"/units/{editor.unit_id}"),
        ("outputs list", f"/api/v1/outputs?campaign_id={plan.campaign_id}&limit=20"),
    ]
    await asyncio.sleep(rng.uniform(0, 2 * plan.think))  # editors do not start in lockstep
    turn = 0
    while time.monotonic() < plan.deadline:
        title = f"Tải thử {editor.username} số {turn} {uuid.uuid4().hex[:6]}"
        output = {"campaign_id": plan.campaign_id, "unit_id": editor.unit_id, "title": title,
                  "channel": "báo in", "published_at": DAY_AT}  # fmt: skip
        made = await _request(client, tally, "log output", "POST", "/api/v1/outputs", json=output)
        if made is not None and made.status_code in (200, 201):
            tally.acknowledged[int(made.json()["id"])] = title
        if turn % 2:
            action, url = reads[(turn // 2) % len(reads)]
            await _request(client, tally, action, "GET", url)
        turn += 1
        await asyncio.sleep(rng.uniform(0, 2 * plan.think))


def lost_writes(engine: Engine, acknowledged: dict[int, str]) -> int:
    """Acknowledged outputs missing from the database (looked up by id and title)."""
    found: dict[int, str] = {}
    ids = list(acknowledged)
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = conn.execute(select(Output.id, Output.title).where(Output.id.in_(chunk)))
            found.update({int(i): t for i, t in rows})
        stored = conn.scalar(
            select(func.count()).select_from(Output).where(Output.title.like("Tải thử %"))
        )
    missing = sum(1 for i, t in acknowledged.items() if found.get(i) != t)
    assert stored is not None
    return missing


@dataclass
class Run:
    """One engine's numbers."""

    engine: str
    users: int
    seconds: int
    requests: int
    server_errors: int
    transport_errors: int
    writes: int
    lost: int
    p50_ms: float
    p95_ms: float
    peak_rss_mb: float
    per_action: dict[str, tuple[int, float, float]]
    codes: dict[int, int]
    transport: dict[str, int]

    @property
    def refused(self) -> int:
        """4xx answers: the editors only do what they may, so any is a fault of the run."""
        return sum(c for code, c in self.codes.items() if 400 <= code < 500)


def _database(engine_name: str, folder: Path) -> tuple[str, str | None]:
    """A fresh database URL of the kind, and the PostgreSQL database name to drop after."""
    if engine_name == "sqlite":
        return f"sqlite:///{folder / 'load.db'}", None
    name = f"trienkhai_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN + " dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", name


def run(engine_name: str, users: int, seconds: int, think: float) -> Run:
    """Seed, serve, load, check; one engine."""
    with tempfile.TemporaryDirectory(prefix="trienkhai-load-") as tmp:
        folder = Path(tmp)
        url, pg_name = _database(engine_name, folder)
        engine = make_engine(url)
        try:
            campaign_id, editors = seed(engine, editors=users)
            env = {"TRIENKHAI_DATABASE_URL": url, "TRIENKHAI_DATA_DIR": str(folder)}
            server = start_server(env, folder / "server.log")
            try:
                plan = Plan(server.base, campaign_id, think)
                tally = asyncio.run(_load(server, editors, plan, seconds))
                peak = server.peak_rss_mb()
            finally:
                server.stop()
                shutil.copy(
                    server.log, Path(tempfile.gettempdir()) / f"trienkhai-load-{engine_name}.log"
                )
            lost = lost_writes(engine, tally.acknowledged)
            return _summarise(engine_name, users=users, seconds=seconds, tally=tally, peak=peak,
                              lost=lost)  # fmt: skip
        finally:
            engine.dispose()
            if pg_name:
                with psycopg.connect(PG_ADMIN + " dbname=postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


async def _load(server: LiveServer, editors: list[Editor], plan: Plan, seconds: int) -> Tally:
    """Every editor signs in (two at a time), then all work at once for `seconds`."""
    tally = Tally()
    gate = asyncio.Semaphore(LOGINS_AT_ONCE)
    tokens = await asyncio.gather(*(sign_in(server.base, e, gate, tally) for e in editors))
    working = replace(plan, deadline=time.monotonic() + seconds)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = []
    for token in tokens:
        headers = {"Authorization": f"Bearer {token}"}
        clients.append(
            httpx.AsyncClient(base_url=server.base, timeout=120, limits=limits, headers=headers)
        )
    try:
        signed = [(c, e) for c, e, t in zip(clients, editors, tokens, strict=True) if t]
        await asyncio.gather(*(editor_run(c, e, working, tally) for c, e in signed))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return tally


def _summarise(name: str, *, users: int, seconds: int, tally: Tally, peak: float, lost: int) -> Run:
    """The run's numbers from the tally."""
    every = [x for values in tally.latencies.values() for x in values]
    per_action = {
        action: (len(v), quantile(v, 0.5), quantile(v, 0.95))
        for action, v in sorted(tally.latencies.items())
    }
    return Run(
        engine=name,
        users=users,
        seconds=seconds,
        requests=len(every),
        server_errors=sum(c for code, c in tally.codes.items() if code >= 500),
        transport_errors=sum(tally.transport_errors.values()),
        writes=len(tally.acknowledged),
        lost=lost,
        p50_ms=quantile(every, 0.5),
        p95_ms=quantile(every, 0.95),
        peak_rss_mb=peak,
        per_action=per_action,
        codes=dict(sorted(tally.codes.items())),
        transport=dict(tally.transport_errors),
    )


def section(runs: list[Run], command: str) -> str:
    """The markdown section for docs/benchmarks.md."""
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        HEADING,
        "",
        "Generated by `make load` (`python -m bench.load`); a real uvicorn server on loopback,",
        "editors as asyncio httpx clients in one process on the same machine.",
        "",
        f"- Machine: {machine()}; load average at the start "
        f"{os.getloadavg()[0]:.1f} (shared with other work, so latencies are pessimistic)",
        f"- Date: {when}",
        f"- Command: `{command}`",
        "",
        "| engine | editors | seconds | requests | 5xx | 4xx | transport errors "
        "| acknowledged writes | lost writes | p50 ms | p95 ms | peak RSS MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        lines.append(
            f"| {r.engine} | {r.users} | {r.seconds} | {r.requests:,} | {r.server_errors} "
            f"| {r.refused} | {r.transport_errors} | {r.writes:,} | {r.lost} | {r.p50_ms:,.0f} "
            f"| {r.p95_ms:,.0f} | {r.peak_rss_mb:,.0f} |"
        )
    rates = ", ".join(f"{r.engine} {r.requests / r.seconds:,.0f}/s" for r in runs)
    note = (
        "Throughput (all requests over the timed window; the sign-ins before it "
        f"included): {rates}. Latency here is mostly queueing: the server is "
        "CPU-bound on this shared machine, and the editors' client runs on it too."
    )
    lines += ["", note]
    for r in runs:
        if r.transport:
            kinds = ", ".join(f"{k} ×{v}" for k, v in sorted(r.transport.items()))
            lines += ["", f"Transport errors on {r.engine} (no HTTP answer): {kinds}."]
    lines += [
        "",
        "| engine | action | requests | p50 ms | p95 ms |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for r in runs:
        for action, (count, p50, p95) in r.per_action.items():
            lines.append(f"| {r.engine} | {action} | {count:,} | {p50:,.0f} | {p95:,.0f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the load test on the chosen engines; exit 1 on any server error or lost write."""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--users", type=int, default=200, help="simulated unit editors")
    parser.add_argument("--seconds", type=int, default=120, help="length of the run")
    parser.add_argument("--think", type=float, default=1.5, help="mean pause between actions")
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    args = parser.parse_args(argv)
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    runs = []
    for name in engines:
        result = run(name, args.users, args.seconds, args.think)
        print(json.dumps(result.__dict__, ensure_ascii=False, default=str))
        runs.append(result)
    command = (
        f"python -m bench.load --users {args.users} --seconds {args.seconds} "
        f"--think {args.think} --engine {args.engine}"
    )
    text = section(runs, command)
    print(text)
    if args.write:
        write_section(HEADING, text)
    bad = any(r.server_errors or r.lost or r.transport_errors or r.refused for r in runs)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
