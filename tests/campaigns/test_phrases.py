"""Unresolved phrases: one entry per phrase, mapped to several units or a group, remembered."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_unit, sample_record
from trienkhai.campaigns import phrases
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.documents import service as directives
from trienkhai.documents.schemas import Assignment as RecordAssignment
from trienkhai.errors import InvalidError
from trienkhai.units import service as units
from trienkhai.units.models import UnitGroup

WHOLE = "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh"
HALVES = ["Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng", "công nghiệp tỉnh"]


@pytest.fixture
def registry(session: Session) -> Session:
    """The shipped Kon Tum registry."""
    units.load_sample_registry(session=session)
    return session


def test_dedupe_keeps_the_whole_phrase_once() -> None:
    listed = [(HALVES[0], "recipients"), (WHOLE, "recipients"), (HALVES[1], "assignments")]
    assert phrases.dedupe(listed) == [(WHOLE, "recipients")]
    # Different recipients stay; the same phrase spelt twice is one.
    other = [("Trung tâm Hội nghị mới", "recipients"), ("TRUNG TÂM HỘI NGHỊ MỚI", "assignments")]
    assert phrases.dedupe([*other, ("Nhà Thiếu nhi", "recipients")]) == [
        ("Trung tâm Hội nghị mới", "recipients"),
        ("Nhà Thiếu nhi", "recipients"),
    ]


def test_a_split_phrase_is_listed_once_on_the_campaign(registry: Session) -> None:
    record = sample_record(recipients=["Các Sở, ban, ngành thuộc tỉnh", WHOLE, *HALVES])
    campaign = campaigns.create_from_directive(
        session=registry, record=record, directive_id=None, actor=None
    )
    listed = campaigns.list_unresolved(session=registry, campaign_id=campaign.id)
    assert [p.phrase for p in listed] == [WHOLE]


def _campaign(registry: Session, phrase: str) -> Campaign:
    record = sample_record(recipients=["Các Sở, ban, ngành thuộc tỉnh", phrase])
    record.assignments.append(RecordAssignment(label="4", group=phrase, task="Treo băng rôn"))
    campaign = campaigns.create_from_directive(
        session=registry, record=record, directive_id=None, actor=None
    )
    stored = directives.store(
        session=registry, filename="cv.txt", content=b"x", record=record, actor=None
    )
    campaign.directive_id = stored.id
    return campaign


def _assigned(registry: Session, campaign: Campaign) -> dict[int, Assignment]:
    rows = registry.scalars(select(Assignment).where(Assignment.campaign_id == campaign.id))
    return {a.unit_id: a for a in rows}


def test_a_phrase_maps_to_a_group_and_is_remembered_for_it(registry: Session) -> None:
    phrase = "Các đơn vị thuộc khối huyện mới"
    campaign = _campaign(registry, phrase)
    (entry,) = campaigns.list_unresolved(session=registry, campaign_id=campaign.id)
    group = registry.scalars(select(UnitGroup).order_by(UnitGroup.id)).first()
    assert group is not None and group.units
    before = _assigned(registry, campaign)
    result = phrases.map_phrase(
        session=registry, campaign=campaign, phrase=entry, group_id=group.id, actor=None
    )
    after = _assigned(registry, campaign)
    members = {u.id for u in group.units if u.active}
    assert set(after) == set(before) | members
    assert {u.id for u in result.assigned} == members - set(before)
    assert {u.id for u in result.already} == members & set(before)
    for unit in result.assigned:
        assert [t["task"] for t in after[unit.id].tasks] == ["Treo băng rôn"]
    assert result.remembered == "group"
    # The next letter naming the phrase reaches the whole group by itself.
    again = units.resolve_phrase(session=registry, phrase=phrase)
    assert again.via == "group" and again.group is group
    labels = phrases.mapped_labels(session=registry, phrase_ids=[entry.id])
    assert labels == {entry.id: group.name}
    with pytest.raises(campaigns.CampaignError):
        phrases.map_phrase(
            session=registry, campaign=campaign, phrase=entry, group_id=group.id, actor=None
        )


def test_a_phrase_maps_to_several_units(registry: Session) -> None:
    phrase = "Hai trung tâm mới thành lập"
    campaign = _campaign(registry, phrase)
    (entry,) = campaigns.list_unresolved(session=registry, campaign_id=campaign.id)
    first, second = make_unit(registry, "Trung tâm A mới"), make_unit(registry, "Trung tâm B mới")
    result = phrases.map_phrase(
        session=registry,
        campaign=campaign,
        phrase=entry,
        unit_ids=[first.id, second.id, first.id],
        actor=None,
    )
    assert [u.id for u in result.assigned] == [first.id, second.id]
    assert result.remembered == ""  # several loose units are no alias
    assert not units.resolve_phrase(session=registry, phrase=phrase).resolved
    assert "2 đơn vị" in phrases.mapped_labels(session=registry, phrase_ids=[entry.id])[entry.id]


def test_mapping_needs_a_target(registry: Session) -> None:
    campaign = _campaign(registry, "Một cụm từ lạ")
    (entry,) = campaigns.list_unresolved(session=registry, campaign_id=campaign.id)
    with pytest.raises(InvalidError, match="ít nhất một đơn vị"):
        phrases.map_phrase(session=registry, campaign=campaign, phrase=entry, actor=None)
