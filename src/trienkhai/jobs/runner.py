"""Run one job: claim it, keep its heartbeat while the handler works, record the outcome."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from trienkhai.jobs import service
from trienkhai.jobs.models import Job, JobStatus
from trienkhai.jobs.registry import JobContext, Registry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunnerConfig:
    """Timing of runners: how often a running job beats, when a silent one is taken for dead."""

    heartbeat_seconds: float = 10.0
    stale_seconds: float = 60.0
    retry_seconds: float = 30.0


@dataclass
class Outcome:
    """What became of one run: the job's status, or None when another runner had it."""

    job_id: int
    status: JobStatus | None
    retry_in: float = 0.0


class _Heartbeat:
    """A thread beating for a running job until stopped (a handler may block for minutes)."""

    def __init__(self, sessions: sessionmaker[Session], job_id: int, token: str, every: float):
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(sessions, job_id, token, every), daemon=True
        )

    def _run(self, sessions: sessionmaker[Session], job_id: int, token: str, every: float) -> None:
        """Beat every `every` seconds; stop early when the hold is lost."""
        while not self._stop.wait(every):
            if not service.beat(sessions, job_id, token):
                return

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_job(
    job_id: int,
    registry: Registry,
    sessions: sessionmaker[Session],
    config: RunnerConfig,
    dispatch: Callable[[int], None] | None = None,
) -> Outcome:
    """Claim and run a job once; a failure is recorded and queued again while attempts remain.

    `dispatch` wakes a runner for a job the handler spawns (without it, the next sweep does).
    """
    token = service.claim(sessions, job_id, config.stale_seconds)
    if token is None:
        return Outcome(job_id, None)
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        kind, args = job.kind, dict(job.args)
    context = JobContext(
        job_id,
        args,
        sessions,
        lambda done, msg: service.report(sessions, job_id, token, done, msg),
        spawn=lambda kind, spawned: _spawn(sessions, dispatch, kind, spawned),
    )
    try:
        with _Heartbeat(sessions, job_id, token, config.heartbeat_seconds):
            result = registry.handler(kind)(context)
    except Exception as error:
        log.exception("job %s (%s) failed", job_id, kind)
        status = service.fail(
            sessions, job_id, token, f"{type(error).__name__}: {error}", config.retry_seconds
        )
        retry = config.retry_seconds if status is JobStatus.queued else 0.0
        return Outcome(job_id, status, retry)
    finished = service.complete(sessions, job_id, token, result)
    return Outcome(job_id, JobStatus.done if finished else None)


def _spawn(
    sessions: sessionmaker[Session],
    dispatch: Callable[[int], None] | None,
    kind: str,
    args: dict[str, Any],
) -> int:
    """Store a job a running handler asks for, commit it, and wake a runner; its id."""
    with sessions.begin() as session:
        job_id = service.enqueue(session, kind, args).id
    if dispatch is not None:
        dispatch(job_id)
    return job_id


def due_periodic(session: Session, registry: Registry) -> list[tuple[str, dict[str, object]]]:
    """The periodic kinds with no job waiting or running and none started within their period."""
    return [
        (periodic.kind, dict(periodic.args))
        for periodic in registry.periodic
        if not service.busy_or_recent(session, periodic.kind, periodic.seconds)
    ]
