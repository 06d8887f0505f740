"""Where jobs run: threads of this process (SQLite) or procrastinate workers (PostgreSQL).

Both share the job table (trienkhai.jobs.service), which decides who holds a job, so a job is
completed once whatever runs it; the queue only wakes a runner up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from trienkhai.jobs import service
from trienkhai.jobs.models import JobStatus
from trienkhai.jobs.registry import Registry
from trienkhai.jobs.runner import Outcome, RunnerConfig, due_periodic, run_job

log = logging.getLogger(__name__)
PROCRASTINATE_QUEUE = "trienkhai"


class JobQueue(Protocol):
    """Something that makes a runner take a job now or after a delay."""

    def dispatch(self, job_id: int, delay: float = 0.0) -> None:
        """Have the job run (after `delay` seconds)."""


@dataclass
class Runtime:
    """What every queue needs: the registry, the database and the runner timings."""

    registry: Registry
    sessions: sessionmaker[Session]
    config: RunnerConfig

    def run(self, job_id: int, dispatch: Callable[[int], None] | None = None) -> Outcome:
        """Run one job here and now; jobs it spawns are handed to `dispatch`."""
        return run_job(job_id, self.registry, self.sessions, self.config, dispatch)


def start_job(
    queue: JobQueue,
    sessions: sessionmaker[Session],
    kind: str,
    args: dict[str, Any] | None = None,
    *,
    created_by_id: int | None = None,
    upload: tuple[str, str, bytes] | None = None,
) -> int:
    """Store a new job (and the file it works on: name, media type, bytes), commit, then wake
    a runner; its id, for the page to poll."""
    with sessions.begin() as session:
        job_id = service.enqueue(session, kind, args, created_by_id=created_by_id).id
        if upload is not None:
            service.store_file(session, job_id, *upload)
    queue.dispatch(job_id)
    return job_id


def sweep(runtime: Runtime, queue: JobQueue) -> int:
    """Start what is due: queued jobs, jobs a dead runner left, periodic kinds; how many."""
    with runtime.sessions.begin() as session:
        due = service.due_ids(session, runtime.config.stale_seconds)
        for kind, args in due_periodic(session, runtime.registry):
            due.append(service.enqueue(session, kind, dict(args)).id)
    for job_id in due:
        queue.dispatch(job_id)
    return len(due)


class InProcessQueue:
    """Jobs on a few threads of this process, with a ticker that sweeps (SQLite, one machine)."""

    def __init__(self, runtime: Runtime, *, threads: int = 2, tick_seconds: float = 30.0):
        self.runtime = runtime
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="trienkhai-job")
        self._tick = tick_seconds
        self._stop = threading.Event()
        self._timers: list[threading.Timer] = []
        self._futures: list[Future[None]] = []
        self._ticker: threading.Thread | None = None

    def dispatch(self, job_id: int, delay: float = 0.0) -> None:
        """Run the job on a thread, now or after a delay."""
        if self._stop.is_set():
            return
        if delay <= 0:
            self._futures = [f for f in self._futures if not f.done()]
            self._futures.append(self._pool.submit(self._run, job_id))
            return
        timer = threading.Timer(delay, self.dispatch, args=(job_id,))
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def _run(self, job_id: int) -> None:
        """Run one job; a failed attempt with attempts left is dispatched again after its pause."""
        outcome = self.runtime.run(job_id, self.dispatch)
        if outcome.status is JobStatus.queued:
            self.dispatch(job_id, outcome.retry_in)

    def drain(self) -> None:
        """Wait until every job handed to the threads so far has run."""
        while self._futures:
            self._futures.pop().result()

    def start(self) -> None:
        """Sweep now and then every tick, until stopped."""
        self._ticker = threading.Thread(target=self._loop, daemon=True, name="trienkhai-jobs")
        self._ticker.start()

    def _loop(self) -> None:
        """The ticker: a failing sweep is logged and tried again at the next tick."""
        while not self._stop.is_set():
            try:
                sweep(self.runtime, self)
            except Exception:
                log.exception("job sweep failed")
            self._stop.wait(self._tick)

    def stop(self) -> None:
        """Stop ticking, cancel pending retries, and wait for running jobs to end."""
        self._stop.set()
        for timer in self._timers:
            timer.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._ticker is not None:
            self._ticker.join()


def conninfo(engine: Engine) -> str:
    """The psycopg connection string of a SQLAlchemy PostgreSQL engine."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_procrastinate_schema(engine: Engine) -> bool:
    """Install procrastinate's tables once in a PostgreSQL database; whether it was needed."""
    import procrastinate  # noqa: PLC0415 - only PostgreSQL deployments need it loaded

    with engine.connect() as connection:
        present = connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar()
    if present is not None:
        return False
    app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=conninfo(engine)))
    with app.open():
        app.schema_manager.apply_schema()
    return True


class ProcrastinateQueue:
    """Jobs run by `trienkhai worker` processes on any machine, woken through procrastinate."""

    def __init__(self, runtime: Runtime, engine: Engine, *, sweep_cron: str = "* * * * *"):
        import procrastinate  # noqa: PLC0415 - only PostgreSQL deployments need it loaded

        self.runtime = runtime
        self._errors = procrastinate.exceptions
        self._lock = threading.Lock()
        self._sync_open = False
        self.app = procrastinate.App(
            connector=procrastinate.PsycopgConnector(conninfo=conninfo(engine))
        )
        self.app.task(name="trienkhai.run_job", queue=PROCRASTINATE_QUEUE, pass_context=False)(
            self._task
        )
        sweeper = self.app.task(name="trienkhai.sweep", queue=PROCRASTINATE_QUEUE)(self._sweep)
        self.app.periodic(cron=sweep_cron)(sweeper)

    def _task(self, job_id: int) -> None:
        """The procrastinate task: run our job; a failed attempt is woken again after its pause."""
        outcome = self.runtime.run(job_id, self.dispatch)
        if outcome.status is JobStatus.queued:
            self.dispatch(job_id, outcome.retry_in)

    def _sweep(self, timestamp: int) -> None:
        """The periodic task (once a minute across all workers): start what is due."""
        log.debug("sweep at %s", timestamp)
        sweep(self.runtime, self)

    def dispatch(self, job_id: int, delay: float = 0.0) -> None:
        """Defer the job to the workers; a job already waiting in procrastinate is not doubled."""
        options: dict[str, Any] = {"queueing_lock": f"job-{job_id}"}
        if delay > 0:
            options["schedule_in"] = {"seconds": round(delay)}
        deferrer = self.app.configure_task("trienkhai.run_job", **options)
        try:
            try:
                deferrer.defer(job_id=job_id)
            except self._errors.AppNotOpen:
                # A web process or CLI defers through a sync pool opened on first use; inside a
                # worker the async pool is already open and serves sync calls too.
                self._open_sync()
                deferrer.defer(job_id=job_id)
        except self._errors.AlreadyEnqueued:
            log.debug("job %s is already waiting for a worker", job_id)

    def _open_sync(self) -> None:
        """Open the sync connection pool once (closed by `close`)."""
        with self._lock:
            if not self._sync_open:
                self.app.open()
                self._sync_open = True

    def close(self) -> None:
        """Close the sync pool if this process opened it."""
        with self._lock:
            if self._sync_open:
                self.app.close()
                self._sync_open = False

    def work(self, *, concurrency: int = 1, wait: bool = True) -> None:
        """Run a worker in this process (blocking); with wait=False it returns when idle."""
        self.app.run_worker(queues=[PROCRASTINATE_QUEUE], concurrency=concurrency, wait=wait)
