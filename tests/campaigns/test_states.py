"""Assignment state machine: legal and illegal moves, roles, history, audit, derived overdue."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_unit, make_user
from trienkhai.campaigns import states
from trienkhai.campaigns.models import Assignment, AssignmentState, Campaign
from trienkhai.users.models import AuditLog, Role

S = AssignmentState


@pytest.fixture
def assignment(session: Session) -> Assignment:
    unit = make_unit(session)
    campaign = Campaign(title="Thử trạng thái")
    session.add(campaign)
    session.flush()
    row = Assignment(campaign_id=campaign.id, unit_id=unit.id, deadline=date(2024, 8, 1))
    session.add(row)
    session.flush()
    return row


def test_full_lifecycle_writes_history_and_audit(session: Session, assignment: Assignment) -> None:
    coordinator = make_user(session, Role.coordinator)
    path = [S.acknowledged, S.in_progress, S.reported, S.in_progress, S.reported, S.verified]
    for target in path:
        states.transition(
            session=session, assignment=assignment, to=target, actor=coordinator, note=target
        )
    assert assignment.state == "verified"
    history = [(e.from_state, e.to_state, e.actor_id) for e in assignment.events]
    assert history[0] == ("assigned", "acknowledged", coordinator.id)
    assert history[3] == ("reported", "in_progress", coordinator.id)
    assert [e.note for e in assignment.events][-1] == "verified"
    audits = session.scalars(
        select(AuditLog).where(
            AuditLog.entity == "assignment", AuditLog.entity_id == str(assignment.id)
        )
    ).all()
    assert [a.detail["to"] for a in audits] == [s.value for s in path]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.assigned, S.reported),
        (S.assigned, S.verified),
        (S.acknowledged, S.verified),
        (S.in_progress, S.acknowledged),
        (S.verified, S.cancelled),
        (S.cancelled, S.reported),
        (S.verified, S.in_progress),
    ],
)
def test_illegal_moves_are_rejected(
    session: Session, assignment: Assignment, start: S, target: S
) -> None:
    assignment.state = start.value
    session.flush()
    with pytest.raises(states.TransitionError, match="không thể chuyển"):
        states.transition(session=session, assignment=assignment, to=target, actor=None)
    assert assignment.state == start.value
    assert assignment.events == []


@pytest.mark.parametrize("start", [S.assigned, S.acknowledged, S.in_progress, S.reported])
def test_cancel_from_any_non_final_state(
    session: Session, assignment: Assignment, start: S
) -> None:
    assignment.state = start.value
    states.transition(session=session, assignment=assignment, to=S.cancelled, actor=None)
    assert assignment.state == "cancelled"


def test_unknown_state_is_rejected(session: Session, assignment: Assignment) -> None:
    with pytest.raises(states.TransitionError, match="không tồn tại"):
        states.transition(session=session, assignment=assignment, to="overdue", actor=None)


def test_unit_editor_moves_only_own_assignment_and_only_forward(
    session: Session, assignment: Assignment
) -> None:
    editor = make_user(session, Role.unit_editor, unit_id=assignment.unit_id)
    other_unit = make_unit(session)
    stranger = make_user(session, Role.unit_editor, unit_id=other_unit.id)
    with pytest.raises(states.TransitionForbiddenError):
        states.transition(session=session, assignment=assignment, to=S.acknowledged, actor=stranger)
    for target in (S.acknowledged, S.in_progress, S.reported):
        states.transition(session=session, assignment=assignment, to=target, actor=editor)
    assert states.allowed_moves(assignment, editor) == []
    with pytest.raises(states.TransitionForbiddenError):
        states.transition(session=session, assignment=assignment, to=S.verified, actor=editor)
    with pytest.raises(states.TransitionForbiddenError):
        states.transition(session=session, assignment=assignment, to=S.cancelled, actor=editor)
    leader = make_user(session, Role.leader)
    with pytest.raises(states.TransitionForbiddenError):
        states.transition(session=session, assignment=assignment, to=S.verified, actor=leader)
    assert assignment.state == "reported"


def test_stale_version_is_rejected(session: Session, assignment: Assignment) -> None:
    seen = assignment.version
    states.transition(session=session, assignment=assignment, to=S.acknowledged, actor=None)
    with pytest.raises(states.TransitionError, match="người khác"):
        states.transition(
            session=session,
            assignment=assignment,
            to=S.in_progress,
            actor=None,
            expected_version=seen,
        )


@pytest.mark.parametrize(
    ("state", "today", "overdue"),
    [
        (S.assigned, date(2024, 8, 2), True),
        (S.in_progress, date(2024, 8, 2), True),
        (S.assigned, date(2024, 8, 1), False),  # due today is not late yet
        (S.reported, date(2024, 8, 2), False),
        (S.verified, date(2024, 9, 1), False),
        (S.cancelled, date(2024, 9, 1), False),
    ],
)
def test_overdue_is_derived(assignment: Assignment, state: S, today: date, overdue: bool) -> None:
    assignment.state = state.value
    assert states.is_overdue(assignment, on=today) is overdue
    expected = "overdue" if overdue else state.value
    assert states.effective_state(assignment, on=today) == expected
    assert assignment.state == state.value  # never stored


def test_no_deadline_is_never_overdue(assignment: Assignment) -> None:
    assignment.deadline = None
    assert not states.is_overdue(assignment, on=date(2099, 1, 1))
