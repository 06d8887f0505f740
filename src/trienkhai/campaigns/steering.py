"""Steering assignments: deadlines (one or many), hand-over, add and remove, each in the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trienkhai import errors
from trienkhai.campaigns import states
from trienkhai.campaigns.guard import ensure_open
from trienkhai.campaigns.models import Assignment, AssignmentEvent, AssignmentState, Campaign
from trienkhai.campaigns.schemas import EventRead
from trienkhai.outputs.models import INCLUDE_REMOVED, Output
from trienkhai.text import nfc
from trienkhai.units import service as units
from trienkhai.units.models import Unit
from trienkhai.users.models import AuditLog, User
from trienkhai.users.service import audit

STALE = "nhiệm vụ vừa được người khác sửa; hãy tải lại trang rồi làm lại (stale version)"


@dataclass(frozen=True)
class Pick:
    """An assignment chosen on the board, with the version the page showed."""

    assignment_id: int
    version: int | None = None


def _unit_name(session: Session, unit_id: int) -> str:
    """A unit's name for messages and history."""
    unit = session.get(Unit, unit_id)
    return unit.name if unit else f"đơn vị {unit_id}"


def _check_version(session: Session, assignment: Assignment, version: int | None) -> None:
    """Refuse an edit prepared on an older copy of the assignment."""
    if version is not None and version != assignment.version:
        name = _unit_name(session, assignment.unit_id)
        raise errors.ConflictError(f"{name}: {STALE}")


def _flush(session: Session) -> None:
    """Flush; a concurrent change of the same assignment is a ConflictError."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise errors.ConflictError(STALE) from exc


def record(
    assignment: Assignment,
    *,
    actor: User | None,
    kind: str,
    note: str = "",
    detail: dict[str, Any] | None = None,
    from_state: str | None = None,
) -> AssignmentEvent:
    """Append a history row that is not a state move (deadline, hand-over, creation)."""
    event = AssignmentEvent(
        actor_id=actor.id if actor else None,
        from_state=from_state or assignment.state,
        to_state=assignment.state,
        note=nfc(note).strip(),
        kind=kind,
        detail=detail or {},
    )
    assignment.events.append(event)
    return event


def _campaign(session: Session, assignment: Assignment) -> Campaign:
    """The assignment's campaign."""
    campaign = session.get(Campaign, assignment.campaign_id)
    if campaign is None:  # pragma: no cover - the foreign key forbids it
        raise errors.NotFoundError("không có chiến dịch của nhiệm vụ này")
    return campaign


def _iso(value: date | None) -> str | None:
    """A date as ISO text (history detail)."""
    return value.isoformat() if value else None


# --- deadlines ---------------------------------------------------------------------------


def change_deadline(
    *,
    session: Session,
    assignment: Assignment,
    deadline: date | None,
    actor: User | None,
    reason: str = "",
    version: int | None = None,
) -> Assignment:
    """Give one unit a new deadline; the history keeps the old one and the reason."""
    ensure_open(_campaign(session, assignment))
    _check_version(session, assignment, version)
    return _set_deadline(session, assignment, deadline, actor, reason)


def _set_deadline(
    session: Session, assignment: Assignment, deadline: date | None, actor: User | None, reason: str
) -> Assignment:
    """Set the deadline, with its history and audit rows."""
    before = assignment.deadline
    if before == deadline:
        return assignment
    assignment.deadline = deadline
    detail = {"from": _iso(before), "to": _iso(deadline)}
    record(assignment, actor=actor, kind="deadline", note=reason, detail=detail)
    _flush(session)
    audit(session=session, actor=actor, action="deadline", entity="assignment",
          entity_id=assignment.id, detail=detail | {"reason": reason})  # fmt: skip
    return assignment


def change_deadlines(
    *,
    session: Session,
    campaign: Campaign,
    picks: list[Pick],
    deadline: date | None,
    actor: User | None,
    reason: str = "",
) -> list[Assignment]:
    """Give several units one new deadline: all of them, or none when one is stale or foreign."""
    ensure_open(campaign)
    if not picks:
        raise errors.InvalidError("Chưa chọn đơn vị nào để đổi hạn (no assignment chosen)")
    rows = []
    for pick in picks:
        assignment = session.get(Assignment, pick.assignment_id)
        if assignment is None or assignment.campaign_id != campaign.id:
            raise errors.NotFoundError(
                f"chiến dịch không có nhiệm vụ số {pick.assignment_id} (assignment not found)"
            )
        _check_version(session, assignment, pick.version)
        rows.append(assignment)
    for assignment in rows:
        _set_deadline(session, assignment, deadline, actor, reason)
    return rows


# --- units in and out --------------------------------------------------------------------


def _unit(session: Session, unit_id: int) -> Unit:
    """An existing unit (NotFoundError otherwise)."""
    unit = units.get(session=session, unit_id=unit_id)
    if unit is None:
        raise errors.NotFoundError(f"không có đơn vị số {unit_id} (unit not found)")
    return unit


def unit_outputs(*, session: Session, campaign_id: int, unit_id: int) -> int:
    """How many outputs the unit logged in the campaign."""
    stmt = select(func.count(Output.id)).where(
        Output.campaign_id == campaign_id, Output.unit_id == unit_id
    )
    return int(session.scalar(stmt) or 0)


# What the audit log calls a change of an output, as the assignment's history names it.
OUTPUT_ACTIONS = {
    "create": "added",
    "update": "changed",
    "import_update": "changed",
    "remove": "removed",
    "restore": "restored",
    "verify": "verified",
}


def _utc(value: datetime) -> datetime:
    """A stored time as a naive UTC value, to sort rows written by different code paths."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def history(
    *, session: Session, assignment: Assignment, events: list[EventRead]
) -> list[EventRead]:
    """The assignment's events with what happened to the unit's outputs (audit log), by time."""
    stmt = (
        select(Output.id, Output.title)
        .where(Output.campaign_id == assignment.campaign_id, Output.unit_id == assignment.unit_id)
        .execution_options(**{INCLUDE_REMOVED: True})  # a removed output keeps its history
    )
    outputs: dict[int, str] = dict(session.execute(stmt).all())
    if not outputs:
        return events
    rows = session.execute(
        select(AuditLog, User.username)
        .outerjoin(User, User.id == AuditLog.actor_id)
        .where(
            AuditLog.entity == "output",
            AuditLog.entity_id.in_([str(i) for i in outputs]),
            AuditLog.action.in_(list(OUTPUT_ACTIONS)),
        )
    )
    extra = [
        EventRead(
            id=-row.id,
            kind="output",
            detail={
                "action": OUTPUT_ACTIONS[row.action],
                "output_id": int(row.entity_id or 0),
                "title": outputs.get(int(row.entity_id or 0), row.summary),
            },
            at=row.at,
            actor_id=row.actor_id,
            actor=username,
            from_state=None,
            to_state=assignment.state,
            note=str((row.detail or {}).get("reason") or ""),
        )
        for row, username in rows
    ]
    return sorted([*events, *extra], key=lambda e: _utc(e.at))


def _assigned(session: Session, campaign_id: int, unit_id: int) -> Assignment | None:
    """The unit's assignment in the campaign, if any."""
    stmt = select(Assignment).where(
        Assignment.campaign_id == campaign_id, Assignment.unit_id == unit_id
    )
    return session.scalars(stmt).first()


def add_unit(
    *,
    session: Session,
    campaign: Campaign,
    unit_id: int,
    actor: User | None,
    deadline: date | None = None,
    note: str = "",
) -> Assignment:
    """Assign one more unit; its history starts with who added it."""
    ensure_open(campaign)
    unit = _unit(session, unit_id)
    if _assigned(session, campaign.id, unit.id) is not None:
        raise errors.InvalidError(
            f"Đơn vị '{unit.name}' đã được giao nhiệm vụ trong chiến dịch này (already assigned)"
        )
    assignment = Assignment(campaign_id=campaign.id, unit_id=unit.id,
                            state=AssignmentState.assigned.value,
                            deadline=deadline or campaign.report_deadline, tasks=[],
                            channels=[], forms=[], note=nfc(note).strip())  # fmt: skip
    session.add(assignment)
    record(assignment, actor=actor, kind="created", note=note).from_state = None
    session.flush()
    detail = {"campaign_id": campaign.id, "unit": unit.code}
    audit(session=session, actor=actor, action="create", entity="assignment",
          entity_id=assignment.id, detail=detail)  # fmt: skip
    return assignment


def refuse_if_outputs(session: Session, assignment: Assignment, what: str) -> None:
    """A unit that already logged outputs keeps its assignment: cancel it instead."""
    count = unit_outputs(
        session=session, campaign_id=assignment.campaign_id, unit_id=assignment.unit_id
    )
    if count:
        name = _unit_name(session, assignment.unit_id)
        raise errors.ConflictError(
            f"{name} đã có {count} sản phẩm trong chiến dịch nên không {what} được; "
            "hãy hủy nhiệm vụ (Hủy) thay vì gỡ (unit has outputs)"
        )


def remove_unit(
    *, session: Session, assignment: Assignment, actor: User | None, version: int | None = None
) -> None:
    """Take a unit off the campaign; one with outputs is cancelled instead."""
    ensure_open(_campaign(session, assignment))
    _check_version(session, assignment, version)
    refuse_if_outputs(session, assignment, "gỡ")
    detail = {"campaign_id": assignment.campaign_id, "unit_id": assignment.unit_id,
              "unit": _unit_name(session, assignment.unit_id)}  # fmt: skip
    assignment_id = assignment.id
    session.delete(assignment)
    _flush(session)
    audit(session=session, actor=actor, action="delete", entity="assignment",
          entity_id=assignment_id, detail=detail)  # fmt: skip


def hand_over(
    *,
    session: Session,
    assignment: Assignment,
    unit_id: int,
    actor: User | None,
    reason: str = "",
    version: int | None = None,
) -> Assignment:
    """Give the assignment to another unit; it starts again at 'assigned' for that unit."""
    ensure_open(_campaign(session, assignment))
    _check_version(session, assignment, version)
    target = _unit(session, unit_id)
    if target.id == assignment.unit_id:
        raise errors.InvalidError("Đơn vị nhận phải khác đơn vị đang được giao (same unit)")
    if _assigned(session, assignment.campaign_id, target.id) is not None:
        raise errors.InvalidError(
            f"Đơn vị '{target.name}' đã có nhiệm vụ trong chiến dịch này (already assigned)"
        )
    refuse_if_outputs(session, assignment, "chuyển giao")
    before_state = assignment.state
    detail = {"from": _unit_name(session, assignment.unit_id), "to": target.name}
    assignment.unit_id = target.id
    assignment.state = AssignmentState.assigned.value
    record(assignment, actor=actor, kind="handover", note=reason, detail=detail,
           from_state=before_state)  # fmt: skip
    _flush(session)
    audit(session=session, actor=actor, action="handover", entity="assignment",
          entity_id=assignment.id, detail=detail | {"reason": reason})  # fmt: skip
    return assignment


def move(
    *,
    session: Session,
    assignment: Assignment,
    to: str,
    actor: User | None,
    note: str = "",
    version: int | None = None,
) -> Assignment:
    """A state move of the state machine, refused while the campaign is closed."""
    ensure_open(_campaign(session, assignment))
    states.transition(session=session, assignment=assignment, to=to, actor=actor, note=note,
                      expected_version=version)  # fmt: skip
    return assignment
