"""The assignment state machine: legal moves, who may make them, history, derived 'overdue'."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trienkhai.campaigns.models import Assignment, AssignmentEvent, AssignmentState
from trienkhai.errors import ConflictError, ForbiddenError, InvalidError
from trienkhai.settings import get_settings
from trienkhai.users.models import Role, User
from trienkhai.users.service import audit

S = AssignmentState

# assigned → acknowledged → in_progress → reported → verified; reported → in_progress (rework,
# with a reason); cancelled from any non-final state; the coordinator reopens a final one:
# cancelled → assigned, verified → reported.
TRANSITIONS: dict[S, frozenset[S]] = {
    S.assigned: frozenset({S.acknowledged, S.cancelled}),
    S.acknowledged: frozenset({S.in_progress, S.cancelled}),
    S.in_progress: frozenset({S.reported, S.cancelled}),
    S.reported: frozenset({S.verified, S.in_progress, S.cancelled}),
    S.verified: frozenset({S.reported}),
    S.cancelled: frozenset({S.assigned}),
}
FINAL = frozenset({S.verified, S.cancelled})
# States in which a missed deadline no longer matters.
DONE = frozenset({S.reported, S.verified, S.cancelled})
# The moves a unit editor may make on their own unit's assignment.
EDITOR_MOVES = frozenset(
    {(S.assigned, S.acknowledged), (S.acknowledged, S.in_progress), (S.in_progress, S.reported)}
)
# Moves that undo someone's work: the coordinator must say why (the unit reads it).
NEEDS_REASON = frozenset({(S.reported, S.in_progress)})
# What the desk calls each coordinator move (the button), by (from, to).
MOVE_NAMES = {
    (S.reported, S.in_progress): "rework",
    (S.verified, S.reported): "reopen",
    (S.cancelled, S.assigned): "reopen",
}
STATE_LABELS = {
    S.assigned: "Đã giao",
    S.acknowledged: "Đã tiếp nhận",
    S.in_progress: "Đang thực hiện",
    S.reported: "Đã báo cáo",
    S.verified: "Đã xác minh",
    S.cancelled: "Đã hủy",
}


class TransitionError(ConflictError, ValueError):
    """An illegal move (wrong state, stale version)."""


class TransitionForbiddenError(ForbiddenError):
    """A legal move the actor may not make."""


class ReasonRequiredError(InvalidError):
    """A move that needs a reason was asked without one."""


def today() -> date:
    """Today's date in the configured time zone (deadlines are local dates)."""
    return datetime.now(ZoneInfo(get_settings().timezone)).date()


def is_overdue(assignment: Assignment, *, on: date | None = None) -> bool:
    """Deadline passed and the unit has not reported (nor been cancelled)."""
    if assignment.deadline is None or S(assignment.state) in DONE:
        return False
    return assignment.deadline < (on or today())


def effective_state(assignment: Assignment, *, on: date | None = None) -> str:
    """The stored state, or 'overdue' when the deadline passed before reporting."""
    return "overdue" if is_overdue(assignment, on=on) else assignment.state


def allowed_moves(assignment: Assignment, actor: User | None) -> list[S]:
    """The states this actor may move the assignment to, in lifecycle order."""
    current = S(assignment.state)
    return [
        target
        for target in S
        if target in TRANSITIONS[current] and _permitted(assignment, actor, current, target)
    ]


def _permitted(assignment: Assignment, actor: User | None, current: S, target: S) -> bool:
    """Whether the actor's role allows this move (None = system/CLI, allowed everything)."""
    if actor is None or actor.role in {Role.admin.value, Role.coordinator.value}:
        return True
    if actor.role == Role.unit_editor.value:
        return actor.unit_id == assignment.unit_id and (current, target) in EDITOR_MOVES
    return False


def transition(
    *,
    session: Session,
    assignment: Assignment,
    to: S | str,
    actor: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> AssignmentEvent:
    """Move the assignment to `to`, writing a history event and an audit row."""
    try:
        target = S(to)
    except ValueError as exc:
        raise TransitionError(f"trạng thái '{to}' không tồn tại (unknown state)") from exc
    current = S(assignment.state)
    if target not in TRANSITIONS[current]:
        msg = f"không thể chuyển từ '{STATE_LABELS[current]}' sang '{STATE_LABELS[target]}'"
        raise TransitionError(f"{msg} ({current.value} → {target.value} is not allowed)")
    if not _permitted(assignment, actor, current, target):
        msg = f"bạn không được chuyển nhiệm vụ này sang '{STATE_LABELS[target]}' (forbidden)"
        raise TransitionForbiddenError(msg)
    if (current, target) in NEEDS_REASON and actor is not None and not note.strip():
        msg = "hãy ghi lý do trả lại để đơn vị biết cần làm lại gì (reason required)"
        raise ReasonRequiredError(msg)
    if expected_version is not None and expected_version != assignment.version:
        msg = "nhiệm vụ vừa được người khác cập nhật; hãy tải lại (stale version)"
        raise TransitionError(msg)
    assignment.state = target.value
    event = AssignmentEvent(
        actor_id=actor.id if actor else None,
        from_state=current.value,
        to_state=target.value,
        note=note.strip(),
    )
    assignment.events.append(event)
    try:
        session.flush()
    except StaleDataError as exc:  # a concurrent transaction moved it first
        raise TransitionError("nhiệm vụ vừa được người khác cập nhật; hãy tải lại") from exc
    audit(
        session=session,
        actor=actor,
        action="transition",
        entity="assignment",
        entity_id=assignment.id,
        detail={"from": current.value, "to": target.value, "note": event.note},
    )
    return event
