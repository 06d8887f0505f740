"""Build the job queue a process uses, from the settings and the database it runs on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from trienkhai.db import session_factory
from trienkhai.jobs import service
from trienkhai.jobs.queues import InProcessQueue, ProcrastinateQueue, Runtime, start_job
from trienkhai.jobs.registry import Registry, default_registry
from trienkhai.jobs.runner import RunnerConfig
from trienkhai.settings import Settings


def runner_config(settings: Settings) -> RunnerConfig:
    """Runner timings from the settings."""
    return RunnerConfig(
        heartbeat_seconds=settings.jobs_heartbeat_seconds,
        stale_seconds=settings.jobs_stale_seconds,
        retry_seconds=settings.jobs_retry_seconds,
    )


def backend_name(settings: Settings, engine: Engine) -> str:
    """ "inprocess" or "procrastinate": auto picks procrastinate on PostgreSQL only."""
    if settings.jobs_backend != "auto":
        return settings.jobs_backend
    return "procrastinate" if engine.dialect.name == "postgresql" else "inprocess"


def make_queue(
    settings: Settings,
    engine: Engine,
    sessions: sessionmaker[Session],
    registry: Registry | None = None,
) -> InProcessQueue | ProcrastinateQueue:
    """The queue of this process: threads here, or procrastinate workers."""
    runtime = Runtime(registry or default_registry(), sessions, runner_config(settings))
    if backend_name(settings, engine) == "procrastinate":
        return ProcrastinateQueue(runtime, engine)
    return InProcessQueue(
        runtime, threads=settings.jobs_threads, tick_seconds=settings.jobs_tick_seconds
    )


def enqueue_for_workers(
    settings: Settings, engine: Engine, kind: str, args: dict[str, Any] | None = None
) -> int:
    """Queue a job from a short-lived process (the CLI) for the workers; its id.

    On procrastinate the workers are woken now. In-process queues live in `trienkhai serve` or
    `trienkhai worker`, whose ticker starts a queued job within TRIENKHAI_JOBS_TICK_SECONDS:
    running it on this process's threads would hold the command until it ended.
    """
    sessions = session_factory(engine)
    if backend_name(settings, engine) != "procrastinate":
        with sessions.begin() as session:
            return service.enqueue(session, kind, args).id
    queue = make_queue(settings, engine, sessions)
    assert isinstance(queue, ProcrastinateQueue)
    try:
        return start_job(queue, sessions, kind, args)
    finally:
        queue.close()
