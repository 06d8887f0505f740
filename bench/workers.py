"""Two workers against one on PostgreSQL: report, PDF and crawl jobs per second (issue 13).

    python -m bench.workers [--jobs 12] [--write]

A fresh PostgreSQL database (dropped afterwards) gets the small generated province
(`bench.generate --size small`: 150 units, 20,000 outputs). For each job kind, the same batch of
jobs is queued and run by one `trienkhai worker --until-idle` process, then by two at once
(separate processes, as on two machines). The crawl is one `ingest.crawl` job over
CRAWL_SITES units' sites on loopback (each its own origin, polite 1 s between requests, a feed
and a few articles each): the job shares the due sources out in `TRIENKHAI_CRAWL_BATCH_SOURCES`
by spawning crawl jobs, which the idle worker takes. Throughput is jobs divided by the time from
the first job's start to the last job's end, read from the job table, so process start-up is not
counted.
Every job must finish exactly once; a job run twice or left unfinished fails the run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, select, text, update
from tests.ingest.site_server import Fixture, Route, Site, article, rss

from bench import write_section
from trienkhai.db import make_engine, session_factory, session_scope, utcnow
from trienkhai.ingest import service as ingest
from trienkhai.ingest.jobs import CRAWL
from trienkhai.ingest.models import IngestItem, IngestSource
from trienkhai.jobs.models import Job, JobStatus
from trienkhai.jobs.queues import ProcrastinateQueue, start_job
from trienkhai.jobs.setup import make_queue
from trienkhai.migrate import upgrade
from trienkhai.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
HEADING = "## Workers"
CRAWL_SITES = 64  # four shares of 16 (the default crawl concurrency of one worker)
CRAWL_ARTICLES = 3
BENCH_ENV = {
    "TRIENKHAI_CRAWL_ALLOW_NETWORKS": "127.0.0.1/32",
    "TRIENKHAI_CRAWL_BATCH_SOURCES": "16",
    # the periodic link check of every generated output (fake sites) would take a worker away
    "TRIENKHAI_VERIFY_EVERY_HOURS": "0",
}
Args = Callable[[int], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    """One job kind under test and the arguments of its i-th job."""

    label: str
    kind: str
    args: Args


@dataclass(frozen=True)
class Round:
    """One batch of jobs run by `workers` worker processes."""

    label: str
    workers: int
    jobs: int
    seconds: float
    attempts: int

    @property
    def per_minute(self) -> float:
        """Jobs finished per minute of worker time."""
        return self.jobs / self.seconds * 60 if self.seconds > 0 else float("inf")


def create_database() -> str:
    """A new empty database on the local server; its URL."""
    name = f"bench_workers_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{SERVER}/{name}"


def drop_database(url: str) -> None:
    """Drop the database the run made."""
    name = url.rsplit("/", 1)[1]
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _env(url: str) -> dict[str, str]:
    """The environment of a child process working on `url`."""
    return {**os.environ, **BENCH_ENV, "TRIENKHAI_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}


def generate(url: str) -> None:
    """Load the small generated province into the database."""
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--size", "small"],
        cwd=ROOT, env=_env(url), check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def campaign_id(engine: Engine) -> int:
    """The generated campaign with the most outputs (the heaviest report)."""
    row = engine.connect().execute(
        text("SELECT campaign_id FROM outputs GROUP BY campaign_id ORDER BY count(*) DESC LIMIT 1")
    )
    return int(row.scalar_one())


def queue_jobs(engine: Engine, kind: Kind, count: int) -> list[int]:
    """Queue `count` jobs of the kind (not dispatched to any worker yet: no worker runs)."""
    queue = make_queue(get_settings(), engine, session_factory(engine))
    assert isinstance(queue, ProcrastinateQueue), "the workers benchmark needs PostgreSQL"
    try:
        return [
            start_job(queue, queue.runtime.sessions, kind.kind, kind.args(i)) for i in range(count)
        ]
    finally:
        queue.close()


def run_workers(url: str, workers: int) -> None:
    """Start `workers` worker processes at once and wait until each finds nothing to do."""
    program = str(Path(sys.executable).with_name("trienkhai"))
    command = [program, "worker", "--until-idle", "--concurrency", "1"]
    procs = [subprocess.Popen(command, cwd=ROOT, env=_env(url)) for _ in range(workers)]
    for proc in procs:
        if proc.wait(timeout=3600) != 0:
            raise SystemExit(f"a worker exited with {proc.returncode}")


def measure(engine: Engine, ids: list[int], label: str, workers: int) -> Round:
    """Check every job finished once and time first start to last end."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Job.status, Job.attempts, Job.started_at, Job.finished_at).where(Job.id.in_(ids))
        ).all()
    unfinished = [r for r in rows if r.status != JobStatus.done.value]
    if unfinished or len(rows) != len(ids):
        raise SystemExit(f"{label}: {len(unfinished)} of {len(ids)} jobs did not finish")
    first = min(r.started_at for r in rows)
    last = max(r.finished_at for r in rows)
    attempts = sum(r.attempts for r in rows)
    return Round(label, workers, len(ids), (last - first).total_seconds(), attempts)


def start_sites(engine: Engine) -> Fixture:
    """CRAWL_SITES sites on loopback, one per generated unit, each registered as an RSS source."""
    fx = Fixture([Site(f"site{i}") for i in range(CRAWL_SITES)])
    fx.start()
    text_ = "Ủy ban nhân dân tổ chức tuyên truyền pháp luật cho cán bộ và người dân. " * 20
    for name, site in fx.sites.items():
        links = []
        for k in range(1, CRAWL_ARTICLES + 1):
            path, title = f"/tin/{k}.html", f"Tin {k} của {name}: hội nghị tuyên truyền số {k}"
            site.routes[path] = Route(body=article(title, f"{text_} {name} {k}.", k))
            links.append((site.base + path, title, "Tue, 10 Nov 2026 08:30:00 +0700"))
        site.routes["/rss.xml"] = Route(body=rss(site.base, links), content_type="application/xml")
    with session_scope(engine) as session:
        codes = session.execute(text("SELECT code FROM units ORDER BY id LIMIT :n"),
                                {"n": CRAWL_SITES}).scalars().all()  # fmt: skip
        for code, name in zip(codes, fx.sites, strict=True):
            ingest.add_source(
                session=session, unit_code=code, url=fx.url(name, "/rss.xml"), kind="rss"
            )
    return fx


def crawl_round(engine: Engine, url: str, workers: int) -> Round:
    """Every source due and unread: one crawl job, run by the workers with the jobs it spawns."""
    with session_scope(engine) as session:
        session.execute(delete(IngestItem))
        fresh: dict[str, Any] = {
            "next_due": utcnow(),
            "etag": None,
            "last_modified": None,
            "child_validators": {},
        }
        session.execute(update(IngestSource).values(**fresh))
    first = queue_jobs(engine, Kind("crawl", CRAWL, lambda _i: {}), 1)[0]
    run_workers(url, workers)
    with engine.connect() as conn:
        jobs = conn.execute(select(Job.id, Job.result).where(Job.kind == CRAWL, Job.id >= first))
        ids, read = zip(
            *[(j.id, int((j.result or {}).get("sources", 0))) for j in jobs], strict=True
        )
    if sum(read) != CRAWL_SITES:
        raise SystemExit(f"crawl: {sum(read)} source reads for {CRAWL_SITES} sources")
    return measure(engine, list(ids), f"crawl ({CRAWL_SITES} sites, jobs spawned)", workers)


def kinds(engine: Engine) -> list[Kind]:
    """The job kinds measured: the report as .docx, the .xlsx annex and the PDF."""
    cid = campaign_id(engine)

    def report(fmt: str) -> Args:
        return lambda _i: {"campaign_id": cid, "format": fmt, "unit_code": None}

    return [
        Kind("report .docx", "reports.file", report("docx")),
        Kind("annex .xlsx", "reports.file", report("xlsx")),
        Kind("report PDF", "reports.file", report("pdf")),
    ]


def run(jobs: int, crawl_only: bool = False) -> list[Round]:
    """Every kind (or only the crawl), one worker then two, on a fresh generated database."""
    url = create_database()
    rounds: list[Round] = []
    try:
        engine = make_engine(url)
        upgrade(engine)
        generate(url)
        os.environ["TRIENKHAI_DATABASE_URL"] = url
        get_settings.cache_clear()
        for kind in [] if crawl_only else kinds(engine):
            for workers in (1, 2):
                ids = queue_jobs(engine, kind, jobs)
                run_workers(url, workers)
                rounds.append(measure(engine, ids, kind.label, workers))
                print(rounds[-1], file=sys.stderr)
        sites = start_sites(engine)
        try:
            for workers in (1, 2):
                rounds.append(crawl_round(engine, url, workers))
                print(rounds[-1], file=sys.stderr)
        finally:
            sites.stop()
        engine.dispose()
    finally:
        drop_database(url)
    return rounds


def load_average() -> str:
    """The 1-minute load average now."""
    return f"{os.getloadavg()[0]:.1f}"


def section(rounds: list[Round], jobs: int, load_before: str) -> str:
    """The ## Workers section of docs/benchmarks.md."""
    lines = [
        HEADING,
        "",
        f"`python -m bench.workers --jobs {jobs} --write` ({time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{os.cpu_count()} cores; load average {load_before} before the run, {load_average()} "
        "after). PostgreSQL with procrastinate; each worker is its own `trienkhai worker "
        "--until-idle --concurrency 1` process. Jobs per minute from the first job's start to "
        "the last one's end (job table); every job finished exactly once.",
        "",
        "| job | workers | jobs | seconds | jobs/min | speed-up | attempts |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    by_label: dict[str, float] = {}
    for r in rounds:
        base = by_label.setdefault(r.label, r.per_minute)
        lines.append(
            f"| {r.label} | {r.workers} | {r.jobs} | {r.seconds:.1f} | {r.per_minute:.1f} "
            f"| {r.per_minute / base:.2f}× | {r.attempts} |"
        )
    ups = [r.per_minute / by_label[r.label] for r in rounds if r.workers == 2]
    lines += [
        "",
        f"Median speed-up with 2 workers: {statistics.median(ups):.2f}× (target ≥ 1.7×).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run and print (or write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=12)
    parser.add_argument("--crawl-only", action="store_true", help="only the crawl rounds")
    parser.add_argument(
        "--write", action="store_true", help="replace ## Workers in docs/benchmarks.md"
    )
    options = parser.parse_args(argv)
    before = load_average()
    text_ = section(run(options.jobs, options.crawl_only), options.jobs, before)
    print(text_)
    if options.write:
        write_section(HEADING, text_)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
