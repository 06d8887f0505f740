"""One row per job: what to run, who asked, how far it got, and who holds it now."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from trienkhai.db import Base, utcnow


class JobStatus(enum.StrEnum):
    """Where a job is: waiting, held by a runner, finished, or given up after its last attempt."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(Base):
    """A unit of long work (report, crawl, verification, import), polled by the page that asked."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80), index=True)
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.queued.value, index=True)
    progress: Mapped[float] = mapped_column(default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    # The runner that holds the job writes with its token; a runner whose hold was taken over
    # (it stopped beating) can no longer record progress or completion.
    token: Mapped[str] = mapped_column(String(32), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()


class JobFile(Base):
    """The file a job made (a report), kept in the database so any web process can serve it,
    whichever machine's worker made it."""

    __tablename__ = "job_files"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(default=0)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
