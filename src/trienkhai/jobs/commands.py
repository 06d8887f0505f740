"""CLI: `trienkhai worker` runs jobs; `trienkhai jobs list` shows them."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer
from sqlalchemy import select

from trienkhai.db import get_engine, session_factory
from trienkhai.jobs.models import Job
from trienkhai.jobs.queues import InProcessQueue, ProcrastinateQueue, sweep
from trienkhai.jobs.schemas import JobRead
from trienkhai.jobs.setup import make_queue
from trienkhai.settings import get_settings

app = typer.Typer(help="Việc chạy nền (background jobs)", no_args_is_help=True)


def worker(
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Jobs run at once")] = 2,
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Exit once nothing is due (for cron and tests)")
    ] = False,
) -> None:
    """Run jobs: a procrastinate worker on PostgreSQL, a job loop in this process on SQLite."""
    engine = get_engine()
    queue = make_queue(get_settings(), engine, session_factory(engine))
    if isinstance(queue, ProcrastinateQueue):
        if until_idle:
            sweep(queue.runtime, queue)
        queue.work(concurrency=concurrency, wait=not until_idle)
        return
    _work_here(queue, until_idle=until_idle)


def _work_here(queue: InProcessQueue, *, until_idle: bool) -> None:
    """Run the in-process queue in the foreground until idle or until SIGINT/SIGTERM."""
    if until_idle:
        while sweep(queue.runtime, queue):
            queue.drain()
        queue.stop()
        return
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    queue.start()
    stop.wait()
    queue.stop()


@app.command("list")
def list_jobs(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """The newest jobs with their status and progress."""
    sessions = session_factory(get_engine())
    with sessions() as session:
        jobs = session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)).all()
        rows = [JobRead.model_validate(job) for job in jobs]
    for row in rows:
        if as_json:
            typer.echo(row.model_dump_json())
        else:
            typer.echo(f"{row.id}\t{row.kind}\t{row.status}\t{row.progress:.0%}\t{row.message}")
    if not rows and not as_json:
        typer.echo("Chưa có việc nào")
