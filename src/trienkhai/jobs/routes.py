"""JSON API of jobs: the page that started long work polls it here."""

from __future__ import annotations

from fastapi import APIRouter

from trienkhai.deps import Reader, SessionDep
from trienkhai.errors import ForbiddenError
from trienkhai.jobs import service
from trienkhai.jobs.schemas import JobRead
from trienkhai.users.models import Role

router = APIRouter(prefix="/api/v1", tags=["jobs"])
_SEE_ALL = {Role.admin.value, Role.coordinator.value}


@router.get("/jobs/{job_id}")
def read_job(job_id: int, session: SessionDep, user: Reader) -> JobRead:
    """A job's status, progress and result: its starter, coordinators and admins may see it."""
    job = service.get_job(session, job_id)
    if job.created_by_id != user.id and user.role not in _SEE_ALL:
        msg = "Chỉ người tạo việc, điều phối viên hoặc quản trị viên được xem việc này"
        raise ForbiddenError(msg)
    return JobRead.model_validate(job)
