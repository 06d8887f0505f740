"""Jobs started from the desk (report files, the link check): start one, watch it, get its file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from sqlalchemy.orm import Session

from trienkhai.errors import InvalidError
from trienkhai.ingest.jobs import VERIFY, verify_args
from trienkhai.jobs import service as jobs
from trienkhai.jobs.models import Job, JobFile, JobStatus
from trienkhai.jobs.queues import start_job
from trienkhai.jobs.routes import SEE_ALL
from trienkhai.reports.jobs import REPORT_FILE, report_args
from trienkhai.users.models import User
from trienkhai.web.pages.campaigns import campaign_or_404
from trienkhai.web.pages.common import (
    CsrfDep,
    EditorDep,
    PageRoute,
    SessionDep,
    StaffDep,
    UserDep,
    redirect,
    render,
)
from trienkhai.web.pages.downloads import attachment
from trienkhai.web.pages.units import unit_for

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _start_report(
    request: Request, user: User, campaign_id: int, fmt: str, unit: tuple[str, str] | None
) -> int:
    """A report job for the campaign or one unit ((code, page)); its id."""
    try:
        args = report_args(campaign_id, fmt, unit[0] if unit else None)
    except ValueError as exc:
        raise InvalidError(str(exc)) from exc
    args["back"] = unit[1] if unit else f"/campaigns/{campaign_id}/dashboard"
    state = request.app.state
    return start_job(state.jobs, state.session_factory, REPORT_FILE, args, created_by_id=user.id)


@router.post("/campaigns/{campaign_id}/report-jobs", dependencies=[CsrfDep])
def start_campaign_report(
    request: Request,
    *,
    campaign_id: int,
    fmt: Annotated[str, Form()],
    user: User = StaffDep,
    session: Session = SessionDep,
) -> Response:
    """Make the campaign's report file off the request path; show its progress."""
    campaign = campaign_or_404(session, campaign_id)
    return redirect(f"/jobs/{_start_report(request, user, campaign.id, fmt, None)}")


@router.post("/campaigns/{campaign_id}/units/{unit_id}/report-jobs", dependencies=[CsrfDep])
def start_unit_report(
    request: Request,
    *,
    campaign_id: int,
    unit_id: int,
    fmt: Annotated[str, Form()],
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Make a unit's own report file off the request path (editors: their unit only)."""
    unit = unit_for(session, user, unit_id)
    campaign = campaign_or_404(session, campaign_id)
    page = (unit.code, f"/units/{unit.id}")
    return redirect(f"/jobs/{_start_report(request, user, campaign.id, fmt, page)}")


@router.post("/campaigns/{campaign_id}/verify-job", dependencies=[CsrfDep])
def start_verify(
    request: Request, *, campaign_id: int, user: User = EditorDep, session: Session = SessionDep
) -> Response:
    """A coordinator checks the campaign's reported links now, as a job; show its progress."""
    campaign = campaign_or_404(session, campaign_id)
    args = {**verify_args(campaign.id), "back": f"/campaigns/{campaign.id}"}
    state = request.app.state
    job_id = start_job(state.jobs, state.session_factory, VERIFY, args, created_by_id=user.id)
    return redirect(f"/jobs/{job_id}")


def _visible(session: Session, user: User, job_id: int) -> Job:
    """The job if the user started it or coordinates (404 / 403 otherwise)."""
    return jobs.visible_job(session, job_id, user_id=user.id, sees_all=user.role in SEE_ALL)


@router.get("/jobs/{job_id}")
def job_page(
    request: Request, *, job_id: int, user: User = UserDep, session: Session = SessionDep
) -> Response:
    """A job's progress; the page polls itself until the job ends, then offers the file."""
    job = _visible(session, user, job_id)
    running = job.status in (JobStatus.queued.value, JobStatus.running.value)
    made = session.get(JobFile, job.id) if job.status == JobStatus.done.value else None
    context = {"job": job, "running": running, "file": made, "back": job.args.get("back", "")}
    return render(request, "job.html", context, user=user)


@router.get("/jobs/{job_id}/file")
def job_file(
    request: Request, *, job_id: int, user: User = UserDep, session: Session = SessionDep
) -> Response:
    """The file a finished job made."""
    made = jobs.job_file(session, _visible(session, user, job_id))
    return attachment(request, made.content, made.media_type, made.filename)
