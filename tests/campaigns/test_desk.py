"""Steering a campaign: edit, close, archive, delete, one per directive; deadlines, hand-over."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.factories import (
    make_unit,
    make_user,
    report_assignment,
    report_campaign,
    report_directive,
    report_output,
    sample_record,
)
from trienkhai import errors
from trienkhai.campaigns import lifecycle, opening, states, steering
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.guard import CampaignClosedError
from trienkhai.campaigns.models import Assignment, AssignmentState, Campaign
from trienkhai.campaigns.schemas import CampaignUpdate
from trienkhai.outputs import service as outputs
from trienkhai.outputs.schemas import OutputCreate
from trienkhai.units.models import Unit
from trienkhai.users.models import Role

S = AssignmentState


@pytest.fixture
def campaign(session: Session) -> Campaign:
    return report_campaign(session, period_start=date(2024, 7, 1), period_end=date(2024, 8, 31))


def _assign(session: Session, campaign: Campaign, n: int = 1) -> list[Assignment]:
    return [
        report_assignment(
            session, campaign=campaign, unit=make_unit(session), deadline=date(2024, 8, 1)
        )
        for _ in range(n)
    ]


def test_edit_fields_and_status_through_the_api_shape(session: Session, campaign: Campaign) -> None:
    coordinator = make_user(session, Role.coordinator)
    data = CampaignUpdate(title=" Nhân quyền 2024 ", report_deadline=date(2024, 9, 5),
                          status="closed")  # type: ignore[arg-type]  # fmt: skip
    campaigns.update_campaign(session=session, campaign=campaign, data=data, actor=coordinator)
    assert (campaign.title, campaign.report_deadline) == ("Nhân quyền 2024", date(2024, 9, 5))
    assert campaign.status == "closed" and campaign.closed_at is not None
    assert campaign.report_date == states.today()
    with pytest.raises(CampaignClosedError, match="đã đóng"):
        lifecycle.edit(session=session, campaign=campaign, changes={"title": "x"}, actor=None)
    read = campaigns.campaign_read(session=session, campaign=campaign)
    assert read.closed_at is not None and read.report_date == states.today()


def test_close_freezes_number_and_date_and_refuses_outputs(
    session: Session, campaign: Campaign
) -> None:
    unit = make_unit(session)
    coordinator = make_user(session, Role.coordinator)
    report_assignment(session, campaign=campaign, unit=unit)
    lifecycle.close(session=session, campaign=campaign, actor=None, report_number="15/BC-STTTT",
                    report_date=date(2024, 9, 2))  # fmt: skip
    assert (campaign.report_number, campaign.report_date) == ("15/BC-STTTT", date(2024, 9, 2))
    data = OutputCreate(campaign_id=campaign.id, unit_id=unit.id, title="Tin muộn",
                        channel="bao_dien_tu", published_at=date(2024, 8, 1))  # fmt: skip
    with pytest.raises(CampaignClosedError, match="không nhận thêm sản phẩm"):
        outputs.create_output(session=session, actor=coordinator, data=data)
    with pytest.raises(errors.ConflictError, match="không đóng được"):
        lifecycle.close(session=session, campaign=campaign, actor=None)
    lifecycle.set_status(session=session, campaign=campaign, status="active", actor=None)
    assert campaign.closed_at is None
    created, _ = outputs.create_output(session=session, actor=coordinator, data=data)
    assert created.id


def test_archive_and_restore_keep_the_closed_state(session: Session, campaign: Campaign) -> None:
    lifecycle.close(session=session, campaign=campaign, actor=None)
    lifecycle.set_status(session=session, campaign=campaign, status="archived", actor=None)
    assert campaign.status == "archived"
    lifecycle.restore(session=session, campaign=campaign, actor=None)
    assert campaign.status == "closed"
    with pytest.raises(errors.ConflictError, match="lưu trữ"):
        lifecycle.restore(session=session, campaign=campaign, actor=None)


def test_delete_only_without_outputs(session: Session, campaign: Campaign) -> None:
    unit = make_unit(session)
    report_output(session, campaign=campaign, unit=unit)
    session.flush()
    with pytest.raises(errors.ConflictError, match="1 sản phẩm"):
        lifecycle.delete(session=session, campaign=campaign, actor=None)
    empty = report_campaign(session, title="Rỗng")
    lifecycle.delete(session=session, campaign=empty, actor=None)
    assert session.get(Campaign, empty.id) is None


def test_second_campaign_of_a_directive_is_refused_unless_copied(session: Session) -> None:
    directive = report_directive(session)
    first = opening.open_campaign(session=session, directive_id=directive.id,
                                  record=sample_record(), actor=None, title="Gốc")  # fmt: skip
    with pytest.raises(lifecycle.DuplicateCampaignError) as refused:
        opening.open_campaign(session=session, directive_id=directive.id,
                              record=sample_record(), actor=None)  # fmt: skip
    assert refused.value.existing.id == first.id
    copy = opening.open_campaign(session=session, directive_id=directive.id,
                                 record=sample_record(), actor=None, copy=True)  # fmt: skip
    assert (copy.title, copy.copied_from_id) == ("Gốc (bản sao)", first.id)


def test_bulk_deadline_is_all_or_nothing(session: Session, campaign: Campaign) -> None:
    coordinator = make_user(session, Role.coordinator)
    one, two = _assign(session, campaign, 2)
    picks = [steering.Pick(one.id, one.version), steering.Pick(two.id, two.version - 1)]
    with pytest.raises(errors.ConflictError, match="stale"):
        steering.change_deadlines(session=session, campaign=campaign, picks=picks,
                                  deadline=date(2024, 8, 10), actor=coordinator)  # fmt: skip
    assert one.deadline == date(2024, 8, 1)
    picks[1] = steering.Pick(two.id, two.version)
    steering.change_deadlines(session=session, campaign=campaign, picks=picks,
                              deadline=date(2024, 8, 10), actor=coordinator,
                              reason="Lùi theo đề nghị")  # fmt: skip
    assert (one.deadline, two.deadline) == (date(2024, 8, 10), date(2024, 8, 10))
    event = one.events[-1]
    assert (event.kind, event.detail, event.note) == (
        "deadline", {"from": "2024-08-01", "to": "2024-08-10"}, "Lùi theo đề nghị")  # fmt: skip
    assert event.actor_id == coordinator.id


def test_hand_over_restarts_for_the_new_unit(session: Session, campaign: Campaign) -> None:
    (row,) = _assign(session, campaign)
    states.transition(session=session, assignment=row, to=S.acknowledged, actor=None)
    other = make_unit(session, "Đài Phát thanh thử")
    steering.hand_over(session=session, assignment=row, unit_id=other.id, actor=None,
                       reason="Đúng chức năng hơn")  # fmt: skip
    assert (row.unit_id, row.state) == (other.id, "assigned")
    assert row.events[-1].kind == "handover"
    assert row.events[-1].detail["to"] == "Đài Phát thanh thử"
    with pytest.raises(errors.InvalidError, match="khác đơn vị"):
        steering.hand_over(session=session, assignment=row, unit_id=other.id, actor=None)


def test_a_unit_with_outputs_is_cancelled_not_removed(session: Session, campaign: Campaign) -> None:
    (row,) = _assign(session, campaign)
    unit = session.get(Unit, row.unit_id)
    assert unit is not None
    report_output(session, campaign=campaign, unit=unit)
    session.flush()
    with pytest.raises(errors.ConflictError, match="hủy nhiệm vụ"):
        steering.remove_unit(session=session, assignment=row, actor=None)
    with pytest.raises(errors.ConflictError, match="hủy nhiệm vụ"):
        campaigns.remove_assignment(session=session, assignment=row, actor=None)


def test_add_unit_starts_its_history(session: Session, campaign: Campaign) -> None:
    unit = make_unit(session)
    row = steering.add_unit(session=session, campaign=campaign, unit_id=unit.id, actor=None)
    assert row.deadline == campaign.report_deadline
    assert [(e.kind, e.from_state, e.to_state) for e in row.events] == [
        ("created", None, "assigned")
    ]
    with pytest.raises(errors.InvalidError, match="đã được giao"):
        steering.add_unit(session=session, campaign=campaign, unit_id=unit.id, actor=None)


def test_rework_needs_a_reason_the_unit_reads(session: Session, campaign: Campaign) -> None:
    (row,) = _assign(session, campaign)
    coordinator = make_user(session, Role.coordinator)
    for step in (S.acknowledged, S.in_progress, S.reported):
        states.transition(session=session, assignment=row, to=step, actor=None)
    with pytest.raises(states.ReasonRequiredError, match="lý do"):
        steering.move(session=session, assignment=row, to="in_progress", actor=coordinator)
    steering.move(session=session, assignment=row, to="in_progress", actor=coordinator,
                  note="Thiếu đường dẫn bài T2")  # fmt: skip
    assert row.rework_reason == "Thiếu đường dẫn bài T2"
    steering.move(session=session, assignment=row, to="reported", actor=None)
    assert row.rework_reason == ""


def test_coordinator_reopens_final_states(session: Session, campaign: Campaign) -> None:
    (row,) = _assign(session, campaign)
    coordinator = make_user(session, Role.coordinator)
    editor = make_user(session, Role.unit_editor, unit_id=row.unit_id)
    steering.move(session=session, assignment=row, to="cancelled", actor=coordinator)
    assert states.allowed_moves(row, editor) == []
    steering.move(session=session, assignment=row, to="assigned", actor=coordinator)
    assert row.state == "assigned"


def test_a_closed_campaign_is_not_steered(session: Session, campaign: Campaign) -> None:
    (row,) = _assign(session, campaign)
    lifecycle.close(session=session, campaign=campaign, actor=None)
    with pytest.raises(CampaignClosedError):
        steering.change_deadline(session=session, assignment=row, deadline=None, actor=None)
    with pytest.raises(CampaignClosedError):
        steering.move(session=session, assignment=row, to="acknowledged", actor=None)
