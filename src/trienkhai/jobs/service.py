"""Job rows: enqueue, claim with a token, beat, record progress, complete once, retry or fail."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, Update, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from trienkhai.db import utcnow
from trienkhai.errors import ConflictError, ForbiddenError, NotFoundError
from trienkhai.jobs.models import Job, JobFile, JobStatus


def enqueue(
    session: Session,
    kind: str,
    args: dict[str, Any] | None = None,
    *,
    created_by_id: int | None = None,
    max_attempts: int = 3,
) -> Job:
    """A new queued job (flushed, not committed: the caller's transaction decides)."""
    job = Job(kind=kind, args=args or {}, created_by_id=created_by_id, max_attempts=max_attempts)
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> Job:
    """One job, or a 404 naming it."""
    job = session.get(Job, job_id)
    if job is None:
        msg = f"job {job_id} does not exist"
        raise NotFoundError(msg)
    return job


def _changed(session: Session, statement: Update) -> int:
    """How many rows an UPDATE changed."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return result.rowcount


def visible_job(session: Session, job_id: int, *, user_id: int, sees_all: bool) -> Job:
    """The job if the user started it or may see every job (404 / 403 otherwise)."""
    job = get_job(session, job_id)
    if job.created_by_id != user_id and not sees_all:
        msg = "Chỉ người tạo việc, điều phối viên hoặc quản trị viên được xem việc này"
        raise ForbiddenError(msg)
    return job


def _stale_before(stale_seconds: float) -> datetime:
    """The heartbeat time before which a running job's runner is taken for dead."""
    return utcnow() - timedelta(seconds=stale_seconds)


def _claimable(stale_seconds: float) -> Any:
    """Queued and due, or running under a runner that stopped beating."""
    return or_(
        (Job.status == JobStatus.queued.value) & (Job.not_before <= utcnow()),
        (Job.status == JobStatus.running.value) & (Job.heartbeat_at < _stale_before(stale_seconds)),
    )


def claim(sessions: sessionmaker[Session], job_id: int, stale_seconds: float) -> str | None:
    """Take the job for this runner; its token, or None when another runner holds or finished it.

    One conditional UPDATE decides: of two runners racing for a job, exactly one row count is 1.
    """
    token = secrets.token_hex(16)
    now = utcnow()
    with sessions.begin() as session:
        taken = _changed(
            session,
            update(Job)
            .where(Job.id == job_id, _claimable(stale_seconds))
            .values(
                status=JobStatus.running.value,
                token=token,
                attempts=Job.attempts + 1,
                started_at=now,
                heartbeat_at=now,
                error="",
            ),
        )
    return token if taken == 1 else None


def _held(job_id: int, token: str) -> Any:
    """The WHERE clause of a write by the runner holding the job."""
    return (Job.id == job_id) & (Job.token == token) & (Job.status == JobStatus.running.value)


def beat(sessions: sessionmaker[Session], job_id: int, token: str) -> bool:
    """Tell the others this runner is alive; False when the hold was lost."""
    with sessions.begin() as session:
        changed = _changed(
            session, update(Job).where(_held(job_id, token)).values(heartbeat_at=utcnow())
        )
    return changed == 1


def report(
    sessions: sessionmaker[Session], job_id: int, token: str, done: float, message: str
) -> None:
    """Record progress (and a heartbeat) for the page that polls the job."""
    with sessions.begin() as session:
        session.execute(
            update(Job)
            .where(_held(job_id, token))
            .values(progress=done, message=message[:500], heartbeat_at=utcnow())
        )


def complete(
    sessions: sessionmaker[Session], job_id: int, token: str, result: dict[str, Any] | None
) -> bool:
    """Mark the job done with its result; False when another runner took it over meanwhile."""
    with sessions.begin() as session:
        changed = _changed(
            session,
            update(Job)
            .where(_held(job_id, token))
            .values(
                status=JobStatus.done.value,
                progress=1.0,
                result=result or {},
                finished_at=utcnow(),
                token="",
            ),
        )
    return changed == 1


def fail(
    sessions: sessionmaker[Session], job_id: int, token: str, error: str, retry_seconds: float
) -> JobStatus | None:
    """Record a failed attempt: queued again after a pause while attempts remain, else failed."""
    with sessions.begin() as session:
        job = session.scalars(select(Job).where(_held(job_id, token)).with_for_update()).first()
        if job is None:
            return None
        job.error = error[:4000]
        job.token = ""
        if job.attempts < job.max_attempts:
            job.status = JobStatus.queued.value
            job.not_before = utcnow() + timedelta(seconds=retry_seconds)
        else:
            job.status = JobStatus.failed.value
            job.finished_at = utcnow()
        return JobStatus(job.status)


def due_ids(session: Session, stale_seconds: float, limit: int = 100) -> list[int]:
    """Jobs a runner should take now: queued and due, or abandoned by a dead runner."""
    query = select(Job.id).where(_claimable(stale_seconds)).order_by(Job.id).limit(limit)
    return list(session.scalars(query))


def busy_or_recent(session: Session, kind: str, seconds: float) -> bool:
    """Whether a job of the kind is waiting, running, or was created within `seconds`."""
    query = select(Job.id).where(
        Job.kind == kind,
        or_(
            Job.status.in_((JobStatus.queued.value, JobStatus.running.value)),
            Job.created_at > utcnow() - timedelta(seconds=seconds),
        ),
    )
    return session.scalars(query.limit(1)).first() is not None


def store_file(
    session: Session, job_id: int, filename: str, media_type: str, content: bytes
) -> JobFile:
    """Keep the file a job made (replacing one an earlier attempt left)."""
    old = session.get(JobFile, job_id)
    if old is not None:
        session.delete(old)
        session.flush()
    made = JobFile(
        job_id=job_id, filename=filename, media_type=media_type, size=len(content), content=content
    )
    session.add(made)
    session.flush()
    return made


def job_file(session: Session, job: Job) -> JobFile:
    """The file of a finished job, or a clear error saying why there is none yet."""
    if job.status != JobStatus.done.value:
        msg = f"Việc {job.id} chưa xong (trạng thái: {job.status}); chưa có tệp để tải"
        raise ConflictError(msg)
    made = session.get(JobFile, job.id)
    if made is None:
        msg = f"Việc {job.id} không tạo tệp nào"
        raise NotFoundError(msg)
    return made
