"""Server time and peak memory at province and national size: `python -m bench.scale --url URL`.

Run on a database filled by `python -m bench.generate`. Each operation runs in its own process
(so its peak RSS is its own): the dashboard's queries alone (the campaign summary), the campaign
board, the campaign dashboard (unit x theme, timeline, laggards), the national overview, search
with diacritics folded, a 10,000-row XLSX import, the full .docx report, and the CSV export of
every output (streamed, drained chunk by chunk). Each page is fetched once untimed first (warm
caches, as a running server has). Times are in-process (FastAPI's TestClient: no network), so
they are server time. `--write` puts this run's dated table (machine, load average, command) at
the top of the "## Scale" section of docs/benchmarks.md and keeps the earlier text below it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import Engine, func, select

from bench import BENCHMARKS_MD, write_section
from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.db import make_engine, session_scope
from trienkhai.outputs.models import Output
from trienkhai.reports.service import campaign_summary
from trienkhai.units.models import Unit
from trienkhai.users.models import Role, User
from trienkhai.users.service import create_user, issue_token
from trienkhai.web.app import create_app

HEADING = "## Scale"
ADMIN, PASSWORD = "scale-admin", "mat-khau-do-tai-2026"
IMPORT_ROWS = 10_000
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Target:
    """What the operations aim at: the busiest active campaign and one of its units."""

    campaign_id: int
    unit_id: int
    period_start: str


def prepare(engine: Engine) -> Target:
    """An admin account, and the active campaign with the most outputs."""
    with session_scope(engine) as session:
        if session.scalar(select(User).where(User.username == ADMIN)) is None:
            create_user(session=session, username=ADMIN, password=PASSWORD, role=Role.admin)
        busiest = (
            select(Output.campaign_id, func.count().label("n"))
            .join(Campaign, Campaign.id == Output.campaign_id)
            .where(Campaign.status == "active")
            .group_by(Output.campaign_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        campaign_id = session.execute(busiest).one()[0]
        unit_id = session.scalar(
            select(Assignment.unit_id).where(Assignment.campaign_id == campaign_id).limit(1)
        )
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None and unit_id is not None and campaign.period_start
        return Target(campaign_id, unit_id, campaign.period_start.isoformat())


def _signed_in(client: TestClient) -> None:
    """Sign the desk client in as the admin (cookie session)."""
    page = client.get("/login").text
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"csrf": csrf, "username": ADMIN, "password": PASSWORD})


def _timed(call: Callable[[], Any], repeat: int) -> list[float]:
    """Milliseconds of each call; a non-2xx answer stops the benchmark."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
        if not 200 <= response.status_code < 300:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:300]}")
    return times


def _import_book(target: Target, round_: int) -> bytes:
    """A 10,000-row results sheet with titles no earlier round used."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Kết quả")
    sheet.append(["Tiêu đề", "Đường dẫn", "Kênh", "Hình thức", "Ngày đăng"])
    day = datetime.fromisoformat(target.period_start).replace(tzinfo=UTC) + timedelta(days=1)
    for i in range(IMPORT_ROWS):
        title = f"Tin tuyên truyền lần {round_} số {i} về chuyển đổi số"
        sheet.append([title, "", "báo điện tử", "tin", day.strftime("%d/%m/%Y")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Drained:
    """What a drained answer was: its status and how many bytes it sent."""

    status_code: int
    size: int
    text: str = ""


async def _drain(app: Any, path: str, query: str, headers: dict[str, str]) -> Drained:
    """Call the ASGI app for GET path?query, counting the body's bytes and keeping none."""
    answer = Drained(0, 0)
    asked = False

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if asked:  # the request is whole; wait until the response is done (no disconnect)
            await anyio.sleep_forever()
        asked = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status_code = message["status"]
        elif message["type"] == "http.response.body":
            answer.size += len(message.get("body", b""))

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80), "state": {},
        "headers": [(b"host", b"testserver")]
        + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip
    await app(scope, receive, send)
    return answer


def _drained(client: TestClient, url: str, headers: dict[str, str]) -> Drained:
    """GET a streamed answer straight from the ASGI app, dropping each chunk as it comes.

    TestClient keeps the whole body (hundreds of MB for 2,000,000 rows) in this process, so
    the peak RSS would measure the client's buffer instead of the server's memory.
    """
    path, _, query = url.partition("?")
    assert client.portal is not None  # inside `with TestClient(...)`
    answer: Drained = client.portal.call(_drain, client.app, path, query, headers)
    print(json.dumps({"export_bytes": answer.size}), file=sys.stderr)
    return answer


def _summary(client: TestClient, campaign_id: int) -> Drained:
    """The dashboard's queries alone (unit x theme, timeline, laggards): the campaign summary."""
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        campaign_summary(session=session, campaign_id=campaign_id)
    return Drained(200, 0)


def _api(client: TestClient) -> dict[str, str]:
    """Bearer header of the admin."""
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        admin = session.scalar(select(User).where(User.username == ADMIN))
        assert admin is not None
        return {"Authorization": f"Bearer {issue_token(admin)}"}


def operation(name: str, client: TestClient, target: Target, repeat: int) -> list[float]:
    """Run one named operation `repeat` times; the milliseconds of each."""
    c, u = target.campaign_id, target.unit_id
    pages = {
        "campaign board": f"/campaigns/{c}",
        "campaign dashboard": f"/campaigns/{c}/dashboard",
        "overview dashboard": "/dashboard",
        "unit page": f"/units/{u}?campaign={c}",
        "search (diacritics folded)": "/search?q=chuyen+doi+so",
        "report .docx": f"/campaigns/{c}/report.docx",
    }
    if name in pages:
        _signed_in(client)
        client.get(pages[name])  # warm-up, untimed: templates compiled, scorer cached
        return _timed(lambda: client.get(pages[name]), repeat)
    if name == "dashboard queries (summary)":
        _summary(client, c)  # warm-up, untimed, as for the pages: a running server is warm
        return _timed(lambda: _summary(client, c), repeat)
    headers = _api(client)
    if name == "export CSV (all outputs)":
        return _timed(lambda: _drained(client, "/api/v1/outputs/export?format=csv", headers), 1)
    if name == "import 10,000-row XLSX":
        books = iter([_import_book(target, r) for r in range(repeat)])
        form = {"unit_id": str(u), "campaign_id": str(c)}
        return _timed(
            lambda: client.post(
                "/api/v1/outputs/import",
                headers=headers,
                data=form,
                files={"file": ("kq.xlsx", next(books), "application/octet-stream")},
            ),
            repeat,
        )
    raise SystemExit(f"unknown operation {name!r}")


OPERATIONS = {
    "dashboard queries (summary)": 20,
    "campaign board": 20,
    "campaign dashboard": 20,
    "overview dashboard": 10,
    "unit page": 20,
    "search (diacritics folded)": 20,
    "report .docx": 5,
    "import 10,000-row XLSX": 3,
    "export CSV (all outputs)": 1,
}


def child(url: str, name: str, target: Target, repeat: int) -> dict[str, Any]:
    """In this process: one operation's times and the process's peak memory."""
    engine = make_engine(url)
    with TestClient(create_app(engine)) as client:
        times = operation(name, client, target, repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"operation": name, "times": times, "peak_mb": round(peak_mb, 1)}


def p95(values: list[float]) -> float:
    """The 95th percentile (the largest value for fewer than 20 samples)."""
    if len(values) < 20:
        return max(values)
    return statistics.quantiles(values, n=20)[-1]


def run(url: str, only: list[str]) -> list[dict[str, Any]]:
    """Every operation in its own process; median, p95 and peak memory of each."""
    target = prepare(make_engine(url))
    rows: list[dict[str, Any]] = []
    for name, repeat in OPERATIONS.items():
        if only and not any(o in name for o in only):
            continue
        args = [sys.executable, "-m", "bench.scale", "--url", url, "--child", name,
                "--target", json.dumps(target.__dict__), "--repeat", str(repeat)]  # fmt: skip
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            rows.append({"operation": name, "error": done.stderr.strip().splitlines()[-1:]})
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        times = result["times"]
        rows.append({"operation": name, "n": len(times), "median_ms": statistics.median(times),
                     "p95_ms": p95(times), "peak_mb": result["peak_mb"]})  # fmt: skip
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    return rows


def counts(url: str) -> str:
    """Units and outputs in the database, for the table's label."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        units = session.scalar(select(func.count()).select_from(Unit)) or 0
        outputs = session.scalar(select(func.count()).select_from(Output)) or 0
    return f"{units:,} units, {outputs:,} outputs"


def section(label: str, url: str, rows: list[dict[str, Any]], old: str) -> str:
    """The Scale section: this run's dated table first, the earlier text kept below it."""
    from bench.__main__ import machine  # noqa: PLC0415 - avoids a cycle at import

    mine = []
    for r in rows:
        if "error" in r:
            mine.append(f"| {label} | {r['operation']} | failed | | | {r['error']} |")
            continue
        mine.append(f"| {label} | {r['operation']} | {r['n']} | {r['median_ms']:,.0f} | "
                    f"{r['p95_ms']:,.0f} | {r['peak_mb']:,.0f} |")  # fmt: skip
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    earlier = old.split("\n", 1)[1].strip() if "\n" in old else ""  # without the heading
    lines = [
        HEADING + " (`bench/scale.py`, issue 13)",
        "",
        f"### {when}: {label} ({counts(url)})",
        "",
        f"{machine()}; load average {load} at the end; command: "
        f"`python -m bench.scale --url URL --label '{label}' --write`.",
        "",
        "| data | operation | runs | median ms | p95 ms | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        *mine,
        "",
        earlier,
    ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Parent: run and report; child (--child): one operation, one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--url", required=True, help="database filled by bench.generate")
    parser.add_argument("--label", default="", help="e.g. 'PostgreSQL large'")
    parser.add_argument("--only", nargs="*", default=[], help="operations containing these")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--target", default="", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        target = Target(**json.loads(args.target))
        print(json.dumps(child(args.url, args.child, target, args.repeat)))
        return 0
    rows = run(args.url, args.only)
    if args.write:
        old = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else ""
        start = old.find(HEADING)
        end = old.find("\n## ", start + 1) if start >= 0 else -1
        current = old[start:end] if start >= 0 else ""
        write_section(HEADING, section(args.label or args.url, args.url, rows, current))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
