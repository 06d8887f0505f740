"""The job table's own upkeep: finished jobs (and their files) are deleted after a while."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete

from trienkhai.db import utcnow
from trienkhai.jobs.models import Job, JobStatus
from trienkhai.jobs.registry import JobContext, Registry
from trienkhai.settings import get_settings

PRUNE = "jobs.prune"


def prune(context: JobContext) -> dict[str, Any]:
    """Delete done and failed jobs older than TRIENKHAI_JOBS_KEEP_DAYS (files cascade)."""
    before = utcnow() - timedelta(days=get_settings().jobs_keep_days)
    with context.sessions.begin() as session:
        gone = session.execute(
            delete(Job)
            .where(Job.status.in_((JobStatus.done.value, JobStatus.failed.value)))
            .where(Job.finished_at < before)
            .execution_options(synchronize_session=False)
        )
        return {"deleted": getattr(gone, "rowcount", 0)}


def register(registry: Registry) -> None:
    """Prune once a day."""
    registry.add(PRUNE, prune)
    registry.every(PRUNE, 86_400)
