"""JSON API of jobs: the page that started long work polls it here."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from trienkhai.campaigns import service as campaigns
from trienkhai.deps import Reader, SessionDep, ensure_unit_access
from trienkhai.errors import ForbiddenError, InvalidError, NotFoundError
from trienkhai.jobs import service
from trienkhai.jobs.models import Job
from trienkhai.jobs.queues import start_job
from trienkhai.jobs.schemas import JobRead, ReportJob
from trienkhai.reports.jobs import REPORT_FILE, report_args
from trienkhai.units import service as units
from trienkhai.users.models import Role, User

router = APIRouter(prefix="/api/v1", tags=["jobs"])
SEE_ALL = frozenset({Role.admin.value, Role.coordinator.value})  # see every job
_STAFF = {Role.admin.value, Role.coordinator.value, Role.leader.value}


def _visible(session: SessionDep, user: User, job_id: int) -> Job:
    """The job if the user started it or coordinates (404 / 403 otherwise)."""
    return service.visible_job(session, job_id, user_id=user.id, sees_all=user.role in SEE_ALL)


@router.get("/jobs/{job_id}")
def read_job(job_id: int, session: SessionDep, user: Reader) -> JobRead:
    """A job's status, progress and result: its starter, coordinators and admins may see it."""
    return JobRead.model_validate(_visible(session, user, job_id))


@router.post("/campaigns/{campaign_id}/report-jobs", status_code=202)
def start_report(
    campaign_id: int, body: ReportJob, request: Request, session: SessionDep, user: Reader
) -> JobRead:
    """Start making a report file; poll GET /jobs/{id}, then fetch GET /jobs/{id}/file."""
    if body.unit_code is None and user.role not in _STAFF:
        raise ForbiddenError("Chỉ cán bộ điều phối, lãnh đạo hoặc quản trị lập báo cáo chiến dịch")
    if body.unit_code is not None:
        unit = units.get_by_code(session=session, code=body.unit_code)
        if unit is None:
            raise NotFoundError(f"Không có đơn vị mã {body.unit_code!r}")
        ensure_unit_access(user, unit.id)
    campaigns.require(session=session, campaign_id=campaign_id)
    try:
        args = report_args(campaign_id, body.format, body.unit_code)
    except ValueError as exc:
        raise InvalidError(str(exc)) from exc
    state = request.app.state
    job_id = start_job(state.jobs, state.session_factory, REPORT_FILE, args, created_by_id=user.id)
    return JobRead.model_validate(service.get_job(session, job_id))


@router.get("/jobs/{job_id}/file")
def job_file(job_id: int, session: SessionDep, user: Reader) -> Response:
    """The file a finished job made (409 while it runs)."""
    made = service.job_file(session, _visible(session, user, job_id))
    headers = {"Content-Disposition": f'attachment; filename="{made.filename}"'}
    return Response(made.content, media_type=made.media_type, headers=headers)
