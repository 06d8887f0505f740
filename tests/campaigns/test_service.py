"""Campaigns opened from the sample directive: assignments, unresolved phrases, themes, files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from tests.factories import make_unit, sample_record
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.campaigns.schemas import (
    AssignmentCreate,
    AssignmentUpdate,
    CampaignUpdate,
    TaskItem,
    ThemeCreate,
    ThemeUpdate,
)
from trienkhai.db import session_factory, session_scope
from trienkhai.documents import service as directives
from trienkhai.documents.parser import parse_file
from trienkhai.documents.schemas import Assignment as RecordAssignment
from trienkhai.units import service as units
from trienkhai.units.models import Unit
from trienkhai.users.models import AuditLog


@pytest.fixture
def registry(session: Session) -> Session:
    """The shipped Kon Tum registry."""
    units.load_sample_registry(session=session)
    return session


def _by_code(session: Session, campaign: Campaign) -> dict[str, Assignment]:
    rows = campaigns.list_assignments(session=session, campaign_id=campaign.id)
    codes = {u.id: u.code for u in session.scalars(select(Unit))}
    return {codes[a.unit_id]: a for a in rows}


def test_sample_campaign_assigns_every_addressed_unit_once(registry: Session) -> None:
    record = sample_record(deadlines=["2024-08-15"])
    campaign = campaigns.create_from_directive(
        session=registry, record=record, directive_id=None, actor=None
    )
    assigned = _by_code(registry, campaign)
    total_units = len(units.list_units(session=registry))
    assert len(assigned) == total_units - 1  # every unit but the issuer (Sở TT&TT)
    assert "so-tttt" not in assigned
    assert campaigns.list_unresolved(session=registry, campaign_id=campaign.id) == []
    # The radio-TV station gets the press task and its own child task, merged.
    assert [t["label"] for t in assigned["dai-ptth"].tasks] == ["1", "-"]
    assert "truyền hình" in assigned["dai-ptth"].channels
    assert [t["label"] for t in assigned["cong-ttdt"].tasks] == ["2"]
    assert [t["label"] for t in assigned["h-dak-ha"].tasks] == ["3"]
    assert [t["label"] for t in assigned["so-y-te"].tasks] == ["2"]
    assert all(a.deadline == date(2024, 8, 15) for a in assigned.values())
    assert [t.code for t in campaign.themes] == ["T1", "T2", "T3", "T4"]
    files = campaigns.list_files(session=registry, campaign_id=campaign.id)
    assert [(f.kind, f.url) for f in files] == [
        ("attachment", ""),
        ("reference", "http://www.nhanquyenvn.org"),
    ]


def test_item_deadline_beats_campaign_deadline(registry: Session) -> None:
    record = sample_record()
    record.assignments[2].deadlines = ["trước ngày 30/7/2024", "2024-08-01"]
    campaign = campaigns.create_from_directive(
        session=registry,
        record=record,
        directive_id=None,
        actor=None,
        report_deadline=date(2024, 9, 1),
    )
    assigned = _by_code(registry, campaign)
    assert assigned["h-dak-ha"].deadline == date(2024, 7, 30)
    assert assigned["bao-kon-tum"].deadline == date(2024, 9, 1)


def test_sample_file_through_the_parser(registry: Session, sample_path: Path) -> None:
    """Whatever the parser extracts today must resolve; nothing it printed may be dropped."""
    record = parse_file(sample_path)
    campaign = campaigns.create_from_directive(
        session=registry, record=record, directive_id=None, actor=None
    )
    phrases = [
        p.phrase for p in campaigns.list_unresolved(session=registry, campaign_id=campaign.id)
    ]
    assert phrases == []
    if len(record.recipients) == 5:  # once the parser reads Kính gửi, it must match the mirror
        expected = campaigns.create_from_directive(
            session=registry, record=sample_record(), directive_id=None, actor=None
        )
        assert set(_by_code(registry, campaign)) == set(_by_code(registry, expected))


def test_unresolved_phrase_is_kept_then_resolved_with_tasks(registry: Session) -> None:
    record = sample_record(recipients=["Các Sở, ban, ngành thuộc tỉnh", "Trung tâm Hội nghị mới"])
    record.assignments.append(
        RecordAssignment(label="4", group="Trung tâm Hội nghị mới", task="Treo băng rôn")
    )
    campaign = campaigns.create_from_directive(
        session=registry, record=record, directive_id=None, actor=None
    )
    phrases = campaigns.list_unresolved(session=registry, campaign_id=campaign.id)
    assert [(p.phrase, p.origin) for p in phrases] == [("Trung tâm Hội nghị mới", "recipients")]
    # Resolving needs the directive record for the tasks: store it and link it.
    stored = directives.store(
        session=registry, filename="cv.txt", content=b"x", record=record, actor=None
    )
    campaign.directive_id = stored.id
    unit = make_unit(registry, "Trung tâm Hội nghị tỉnh")
    assignment = campaigns.resolve_unresolved(
        session=registry, campaign=campaign, phrase=phrases[0], unit_id=unit.id, actor=None
    )
    assert assignment.unit_id == unit.id
    assert [t["task"] for t in assignment.tasks] == ["Treo băng rôn"]
    assert phrases[0].resolved_unit_id == unit.id
    # The alias was learned: the next directive resolves the phrase by itself.
    assert units.resolve_phrase(session=registry, phrase="Trung tâm Hội nghị mới").unit is unit
    with pytest.raises(campaigns.CampaignError):
        campaigns.resolve_unresolved(
            session=registry, campaign=campaign, phrase=phrases[0], unit_id=unit.id, actor=None
        )


def test_dismissed_phrase_stays_listed(registry: Session) -> None:
    record = sample_record(recipients=["Như trên nhưng lạ"])
    campaign = campaigns.create_from_directive(
        session=registry, record=record, directive_id=None, actor=None
    )
    (phrase,) = campaigns.list_unresolved(session=registry, campaign_id=campaign.id)
    campaigns.dismiss_unresolved(session=registry, phrase=phrase, actor=None)
    read = campaigns.campaign_read(session=registry, campaign=campaign)
    assert [(p.phrase, p.dismissed) for p in read.unresolved] == [("Như trên nhưng lạ", True)]
    assert (
        campaigns.list_unresolved(session=registry, campaign_id=campaign.id, include_closed=False)
        == []
    )


def test_edit_campaign_themes_and_assignments(registry: Session) -> None:
    campaign = campaigns.create_from_directive(
        session=registry, record=sample_record(), directive_id=None, actor=None, title="Nhân quyền"
    )
    campaigns.update_campaign(
        session=registry,
        campaign=campaign,
        data=CampaignUpdate(title="Nhân quyền 2024", report_deadline=date(2024, 9, 30)),
        actor=None,
    )
    assert campaign.title == "Nhân quyền 2024"
    with pytest.raises(campaigns.CampaignError):
        campaigns.update_campaign(
            session=registry,
            campaign=campaign,
            data=CampaignUpdate(period_start=date(2024, 9, 1), period_end=date(2024, 8, 1)),
            actor=None,
        )
    t2 = next(t for t in campaign.themes if t.code == "T2")
    campaigns.delete_theme(session=registry, theme=t2, actor=None)
    registry.refresh(campaign)
    added = campaigns.add_theme(
        session=registry, campaign=campaign, data=ThemeCreate(text="Luật lưu trữ"), actor=None
    )
    assert added.code == "T2"  # the freed code is reused; T3, T4 keep theirs
    campaigns.update_theme(
        session=registry, theme=added, data=ThemeUpdate(keywords=[" lưu trữ ", ""]), actor=None
    )
    assert added.keywords == ["lưu trữ"]
    assignment = _by_code(registry, campaign)["h-dak-ha"]
    campaigns.update_assignment(
        session=registry,
        assignment=assignment,
        data=AssignmentUpdate(
            deadline=date(2024, 8, 1),
            tasks=[TaskItem(task="Phát thanh 3 kỳ", channels=["đài truyền thanh cơ sở"])],
        ),
        actor=None,
    )
    assert assignment.channels == ["đài truyền thanh cơ sở"]
    issuer = units.get_by_code(session=registry, code="so-tttt")
    assert issuer is not None
    added_assignment = campaigns.add_assignment(
        session=registry, campaign=campaign, data=AssignmentCreate(unit_id=issuer.id), actor=None
    )
    assert added_assignment.deadline == date(2024, 9, 30)
    with pytest.raises(campaigns.CampaignError, match="đã được giao"):
        campaigns.add_assignment(
            session=registry,
            campaign=campaign,
            data=AssignmentCreate(unit_id=issuer.id),
            actor=None,
        )
    campaigns.remove_assignment(session=registry, assignment=added_assignment, actor=None)
    assert "so-tttt" not in _by_code(registry, campaign)


@pytest.fixture
def committed_assignment(engine: Engine) -> Iterator[int]:
    """An assignment committed to the database (two sessions must both see it); removed after."""
    with session_scope(engine) as session:
        unit = make_unit(session)
        campaign = Campaign(title="Chiến dịch sửa đồng thời")
        campaign.assignments.append(Assignment(unit_id=unit.id, note="gốc"))
        session.add(campaign)
        session.flush()
        campaign_id, assignment_id, unit_id = campaign.id, campaign.assignments[0].id, unit.id
    yield assignment_id
    with session_scope(engine) as session:
        session.execute(delete(Campaign).where(Campaign.id == campaign_id))
        # The unit must go too: other tests count the registry's departments.
        session.execute(delete(Unit).where(Unit.id == unit_id))
        session.execute(
            delete(AuditLog).where(AuditLog.entity == "unit", AuditLog.entity_id == str(unit_id))
        )
        # SQLite reuses the id: a later test's assignment must not inherit these audit rows.
        session.execute(
            delete(AuditLog).where(
                AuditLog.entity == "assignment", AuditLog.entity_id == str(assignment_id)
            )
        )


def _audits(engine: Engine, assignment_id: int) -> list[str]:
    with session_scope(engine) as session:
        rows = session.scalars(
            select(AuditLog.action).where(
                AuditLog.entity == "assignment", AuditLog.entity_id == str(assignment_id)
            )
        )
        return list(rows)


def test_concurrent_assignment_edits_conflict_and_write_nothing(
    engine: Engine, committed_assignment: int
) -> None:
    factory = session_factory(engine)
    first, second, third = factory(), factory(), factory()
    try:
        mine = second.get(Assignment, committed_assignment)
        doomed = third.get(Assignment, committed_assignment)
        assert mine is not None and doomed is not None  # both read version 1
        theirs = first.get(Assignment, committed_assignment)
        assert theirs is not None
        campaigns.update_assignment(
            session=first,
            assignment=theirs,
            data=AssignmentUpdate(note="người thứ nhất"),
            actor=None,
        )
        first.commit()
        late = AssignmentUpdate(note="người thứ hai", deadline=date(2030, 1, 1))
        with pytest.raises(campaigns.ConflictError, match="người khác"):
            campaigns.update_assignment(session=second, assignment=mine, data=late, actor=None)
        second.rollback()
        with pytest.raises(campaigns.ConflictError, match="người khác"):
            campaigns.remove_assignment(session=third, assignment=doomed, actor=None)
        third.rollback()
    finally:
        for s in (first, second, third):
            s.close()
    with session_scope(engine) as session:
        row = session.get(Assignment, committed_assignment)
        assert row is not None  # the stale removal removed nothing
        assert (row.note, row.deadline, row.version) == ("người thứ nhất", None, 2)
    assert _audits(engine, committed_assignment) == ["update"]


def test_an_edit_prepared_on_an_older_version_is_refused(registry: Session) -> None:
    campaign = campaigns.create_from_directive(
        session=registry, record=sample_record(), directive_id=None, actor=None
    )
    assignment = _by_code(registry, campaign)["h-dak-ha"]
    seen = assignment.version
    campaigns.update_assignment(
        session=registry, assignment=assignment, data=AssignmentUpdate(note="một"), actor=None
    )
    assert assignment.version == seen + 1
    stale = AssignmentUpdate(note="hai", deadline=date(2030, 1, 1), version=seen)
    with pytest.raises(campaigns.ConflictError, match="người khác"):
        campaigns.update_assignment(session=registry, assignment=assignment, data=stale, actor=None)
    assert (assignment.note, assignment.deadline) == ("một", None)
    fresh = AssignmentUpdate(note="hai", version=assignment.version)
    campaigns.update_assignment(session=registry, assignment=assignment, data=fresh, actor=None)
    assert assignment.note == "hai"
