"""Build the job queue a process uses, from the settings and the database it runs on."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from trienkhai.jobs.queues import InProcessQueue, ProcrastinateQueue, Runtime
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
