"""Steering a campaign from the desk: settings, close/archive/delete, deadlines, assignment page.

Every action posts a form and redirects (post/redirect/get); the services hold the rules, the same
ones the API obeys, including the version check that turns a stale page into a clear 409.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, HTTPException, Request, Response
from sqlalchemy.orm import Session

from trienkhai.campaigns import lifecycle, states, steering
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.guard import FROZEN, STATUS_LABELS
from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.deps import ensure_unit_access
from trienkhai.errors import ServiceError
from trienkhai.settings import get_settings
from trienkhai.units import service as units
from trienkhai.users.models import Role, User
from trienkhai.web.i18n import translate
from trienkhai.web.pages.common import (
    CsrfDep,
    EditorDep,
    PageRoute,
    SessionDep,
    UserDep,
    flash,
    language,
    redirect,
    render,
    templates,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)
COORDINATORS = {Role.admin.value, Role.coordinator.value}


def screen_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy hh:mm in the configured zone (SQLite hands times back naive, in UTC)."""
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(get_settings().timezone)).strftime("%d/%m/%Y %H:%M")


templates.env.filters["dt"] = screen_datetime


@contextmanager
def refusals() -> Iterator[None]:
    """A service's refusal as the error page with its status and Vietnamese message."""
    try:
        yield
    except ServiceError as exc:
        raise HTTPException(exc.status_code, _sentence(str(exc))) from exc


def _sentence(text: str) -> str:
    """The message with a capital first letter."""
    return text[:1].upper() + text[1:]


def _campaign(session: Session, campaign_id: int) -> Campaign:
    """The campaign, or the 404 page."""
    campaign = campaigns.get(session=session, campaign_id=campaign_id)
    if campaign is None:
        raise HTTPException(404, f"Không có chiến dịch số {campaign_id}.")
    return campaign


def _day(value: str, label: str) -> date | None:
    """A date input (yyyy-mm-dd) or None when blank; 422 naming the field otherwise."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise HTTPException(422, f"{label}: '{value}' không phải một ngày hợp lệ.") from exc


# --- campaign settings -------------------------------------------------------------------


def _settings_context(session: Session, campaign: Campaign) -> dict[str, Any]:
    """What the settings page shows."""
    return {
        "campaign": campaign,
        "status_label": STATUS_LABELS[campaign.status],
        "frozen": campaign.status in FROZEN,
        "outputs": lifecycle.outputs_count(session=session, campaign_id=campaign.id),
        "today": states.today().isoformat(),
    }


@router.get("/campaigns/{campaign_id}/settings")
def settings_page(
    request: Request, campaign_id: int, user: User = EditorDep, session: Session = SessionDep
) -> Response:
    """Edit the campaign; close, reopen, archive, restore or delete it."""
    ctx = _settings_context(session, _campaign(session, campaign_id))
    return render(request, "campaign_settings.html", ctx, user=user)


@router.post("/campaigns/{campaign_id}/settings", dependencies=[CsrfDep])
def save_settings(
    request: Request,
    *,
    campaign_id: int,
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    period_start: Annotated[str, Form()] = "",
    period_end: Annotated[str, Form()] = "",
    report_deadline: Annotated[str, Form()] = "",
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Save title, description, period and report deadline."""
    campaign = _campaign(session, campaign_id)
    changes = {
        "title": title,
        "description": description,
        "period_start": _day(period_start, "Ngày bắt đầu"),
        "period_end": _day(period_end, "Ngày kết thúc"),
        "report_deadline": _day(report_deadline, "Hạn báo cáo"),
    }
    with refusals():
        lifecycle.edit(session=session, campaign=campaign, changes=changes, actor=user)
    flash(request, "desk.saved")
    return redirect(f"/campaigns/{campaign.id}/settings")


@router.post("/campaigns/{campaign_id}/close", dependencies=[CsrfDep])
def close(
    request: Request,
    *,
    campaign_id: int,
    report_number: Annotated[str, Form()] = "",
    report_date: Annotated[str, Form()] = "",
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Close the campaign: no more outputs; the report keeps its number and date."""
    campaign = _campaign(session, campaign_id)
    with refusals():
        lifecycle.close(session=session, campaign=campaign, actor=user,
                        report_number=report_number,
                        report_date=_day(report_date, "Ngày báo cáo"))  # fmt: skip
    flash(request, "desk.closed")
    return redirect(f"/campaigns/{campaign.id}")


@router.post("/campaigns/{campaign_id}/status/{move}", dependencies=[CsrfDep])
def change_status(
    request: Request,
    *,
    campaign_id: int,
    move: str,
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Reopen a closed campaign, archive one, or restore an archived one."""
    campaign = _campaign(session, campaign_id)
    with refusals():
        if move == "restore":
            lifecycle.restore(session=session, campaign=campaign, actor=user)
        elif move in ("reopen", "archive"):
            target = "active" if move == "reopen" else "archived"
            lifecycle.set_status(session=session, campaign=campaign, status=target, actor=user)
        else:
            raise HTTPException(404, "Không có thao tác này.")
    flash(request, f"desk.{move}d" if move != "reopen" else "desk.reopened")
    return redirect(f"/campaigns/{campaign.id}")


@router.get("/campaigns/{campaign_id}/delete")
def confirm_delete(
    request: Request, campaign_id: int, user: User = EditorDep, session: Session = SessionDep
) -> Response:
    """The confirmation step before deleting (or the refusal, when it has outputs)."""
    ctx = _settings_context(session, _campaign(session, campaign_id))
    return render(request, "campaign_delete.html", ctx, user=user)


@router.post("/campaigns/{campaign_id}/delete", dependencies=[CsrfDep])
def delete(
    request: Request,
    *,
    campaign_id: int,
    confirm: Annotated[str, Form()] = "",
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Delete the campaign once its number is typed; refused when it has outputs."""
    campaign = _campaign(session, campaign_id)
    if confirm.strip() != str(campaign.id):
        raise HTTPException(
            422, f"Xác nhận: hãy gõ đúng số chiến dịch ({campaign.id}) để xóa; chưa xóa gì."
        )
    title = campaign.title
    with refusals():
        lifecycle.delete(session=session, campaign=campaign, actor=user)
    flash(request, "desk.deleted", title=title)
    return redirect("/campaigns")


# --- the board's actions ------------------------------------------------------------------


def _picks(values: list[str]) -> list[steering.Pick]:
    """Board checkboxes 'id:version' as picks; 422 on anything else."""
    picks = []
    for value in values:
        ident, _, version = value.partition(":")
        if not ident.isdigit() or (version and not version.isdigit()):
            raise HTTPException(422, f"Lựa chọn '{value}' không hợp lệ; hãy tải lại trang.")
        picks.append(steering.Pick(int(ident), int(version) if version else None))
    return picks


@router.post("/campaigns/{campaign_id}/deadlines", dependencies=[CsrfDep])
def bulk_deadline(
    request: Request,
    *,
    campaign_id: int,
    deadline: Annotated[str, Form()],
    pick: Annotated[list[str] | None, Form()] = None,
    reason: Annotated[str, Form()] = "",
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """One new deadline for the checked units: all of them, or none."""
    campaign = _campaign(session, campaign_id)
    new = _day(deadline, "Hạn mới")
    if new is None:
        raise HTTPException(422, "Hạn mới: hãy chọn một ngày.")
    with refusals():
        rows = steering.change_deadlines(session=session, campaign=campaign,
                                         picks=_picks(pick or []), deadline=new, actor=user,
                                         reason=reason)  # fmt: skip
    flash(request, "desk.deadlines", n=len(rows), day=new.strftime("%d/%m/%Y"))
    return redirect(f"/campaigns/{campaign.id}")


@router.post("/campaigns/{campaign_id}/assignments", dependencies=[CsrfDep])
def add_unit(
    request: Request,
    *,
    campaign_id: int,
    unit_id: Annotated[int, Form()],
    deadline: Annotated[str, Form()] = "",
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Assign one more unit to the campaign."""
    campaign = _campaign(session, campaign_id)
    with refusals():
        row = steering.add_unit(session=session, campaign=campaign, unit_id=unit_id, actor=user,
                                deadline=_day(deadline, "Hạn"))  # fmt: skip
    flash(request, "desk.unit_added", unit=_unit_name(session, row.unit_id))
    return redirect(f"/assignments/{row.id}")


def _unit_name(session: Session, unit_id: int) -> str:
    """A unit's name."""
    unit = units.get(session=session, unit_id=unit_id)
    return unit.name if unit else str(unit_id)


# --- the assignment page ------------------------------------------------------------------


def _assignment(session: Session, user: User, assignment_id: int) -> Assignment:
    """The assignment if the user may see it (editors: their own unit's; leaders read only)."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise HTTPException(404, f"Không có nhiệm vụ số {assignment_id}.")
    ensure_unit_access(user, assignment.unit_id)
    return assignment


def _assignment_context(session: Session, user: User, assignment: Assignment) -> dict[str, Any]:
    """What the assignment page shows: the task, the moves this user may make, the history."""
    campaign = _campaign(session, assignment.campaign_id)
    detail = campaigns.assignment_detail(session=session, assignment=assignment, actor=user)
    events = steering.history(session=session, assignment=assignment, events=detail.events)
    detail = detail.model_copy(update={"events": events})
    assigned = {a.unit_id for a in campaign.assignments}
    others = [u for u in units.list_units(session=session, active=True) if u.id not in assigned]
    return {
        "campaign": campaign,
        "assignment": assignment,
        "detail": detail,
        "unit_name": _unit_name(session, assignment.unit_id),
        "frozen": campaign.status in FROZEN,
        "status_label": STATUS_LABELS[campaign.status],
        "moves": [s.value for s in states.allowed_moves(assignment, user)],
        "move_names": {
            t.value: n for (f, t), n in states.MOVE_NAMES.items() if f == assignment.state
        },
        "coordinator": user.role in COORDINATORS,
        "other_units": others,
        "outputs": steering.unit_outputs(
            session=session, campaign_id=campaign.id, unit_id=assignment.unit_id
        ),
        "error": None,
    }


@router.get("/assignments/{assignment_id}")
def assignment_page(
    request: Request, assignment_id: int, user: User = UserDep, session: Session = SessionDep
) -> Response:
    """One unit's assignment: its task, the moves this user may make, and its whole history."""
    assignment = _assignment(session, user, assignment_id)
    ctx = _assignment_context(session, user, assignment)
    return render(request, "assignment.html", ctx, user=user)


def _act(
    request: Request, session: Session, user: User, assignment: Assignment, action: Any
) -> Response:
    """Run an action; a refusal comes back on the page itself, with its status (409 if stale)."""
    try:
        action()
    except ServiceError as exc:
        request.state.failed = True  # nothing of the refused action is kept
        session.rollback()
        fresh = session.get(Assignment, assignment.id)
        if fresh is None:
            raise HTTPException(exc.status_code, _sentence(str(exc))) from exc
        ctx = _assignment_context(session, user, fresh) | {"error": _sentence(str(exc))}
        return render(request, "assignment.html", ctx, user=user, status_code=exc.status_code)
    return redirect(f"/assignments/{assignment.id}")


def _coordinator(user: User) -> None:
    """Only coordinators and admins steer deadlines and units (403 page otherwise)."""
    if user.role not in COORDINATORS:
        raise HTTPException(403, "Chỉ điều phối viên hoặc quản trị được thao tác này.")


@router.post("/assignments/{assignment_id}/transition", dependencies=[CsrfDep])
def transition(
    request: Request,
    *,
    assignment_id: int,
    to: Annotated[str, Form()],
    version: Annotated[int, Form()],
    note: Annotated[str, Form()] = "",
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """A state move, as the role allows (editors: received, in progress, reported)."""
    assignment = _assignment(session, user, assignment_id)

    def action() -> None:
        steering.move(session=session, assignment=assignment, to=to, actor=user, note=note,
                      version=version)  # fmt: skip
        # The state as the page's badge names it, in the page's language.
        flash(request, "desk.moved", state=translate(f"state.{to}", language(request)))

    return _act(request, session, user, assignment, action)


@router.post("/assignments/{assignment_id}/deadline", dependencies=[CsrfDep])
def deadline(
    request: Request,
    *,
    assignment_id: int,
    version: Annotated[int, Form()],
    deadline: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """A new deadline for this unit."""
    assignment = _assignment(session, user, assignment_id)
    _coordinator(user)
    new = _day(deadline, "Hạn mới")

    def action() -> None:
        steering.change_deadline(session=session, assignment=assignment, deadline=new,
                                 actor=user, reason=reason, version=version)  # fmt: skip
        flash(request, "desk.deadline", day=new.strftime("%d/%m/%Y") if new else "—")

    return _act(request, session, user, assignment, action)


@router.post("/assignments/{assignment_id}/handover", dependencies=[CsrfDep])
def handover(
    request: Request,
    *,
    assignment_id: int,
    version: Annotated[int, Form()],
    unit_id: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Give the assignment to another unit."""
    assignment = _assignment(session, user, assignment_id)
    _coordinator(user)

    def action() -> None:
        steering.hand_over(session=session, assignment=assignment, unit_id=unit_id, actor=user,
                           reason=reason, version=version)  # fmt: skip
        flash(request, "desk.handed_over", unit=_unit_name(session, unit_id))

    return _act(request, session, user, assignment, action)


@router.post("/assignments/{assignment_id}/remove", dependencies=[CsrfDep])
def remove(
    request: Request,
    *,
    assignment_id: int,
    version: Annotated[int, Form()],
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Take the unit off the campaign (refused once it logged outputs: cancel instead)."""
    assignment = _assignment(session, user, assignment_id)
    _coordinator(user)
    campaign_id, name = assignment.campaign_id, _unit_name(session, assignment.unit_id)
    outcome = _act(request, session, user, assignment,
                   lambda: steering.remove_unit(session=session, assignment=assignment,
                                                actor=user, version=version))  # fmt: skip
    if outcome.status_code != 303:
        return outcome
    flash(request, "desk.unit_removed", unit=name)
    return redirect(f"/campaigns/{campaign_id}")
