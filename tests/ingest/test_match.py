"""Matching crawled items to campaigns: discovered outputs, merges, confirmations (real DB)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import report_assignment, report_campaign, report_output, report_unit
from trienkhai.campaigns.models import Campaign
from trienkhai.ingest.items import Item
from trienkhai.ingest.match import decide, match_items
from trienkhai.outputs.models import INCLUDE_REMOVED, Output
from trienkhai.outputs.service import AccessDeniedError, OutputError
from trienkhai.themes.models import ThemeExample
from trienkhai.units.models import Unit, UnitKind
from trienkhai.users.models import Role, User

TRAFFICKING = (
    "Công an huyện đã giải cứu 5 phụ nữ bị lừa bán sang Trung Quốc. Các đối tượng mua bán người "
    "dụ dỗ nạn nhân bằng việc làm lương cao. Lực lượng chức năng tuyên truyền phòng, chống mua "
    "bán người tại các xã biên giới, hỗ trợ nạn nhân trở về tái hòa nhập cộng đồng."
)
FOOTBALL = (
    "Trận chung kết diễn ra sôi nổi trên sân vận động huyện với hàng nghìn cổ động viên. Đội bóng "
    "đá thiếu niên thắng 3-1 và nhận cúp vô địch."
)
WHEN = datetime(2025, 11, 3, 14, 20)


@pytest.fixture
def setup(session: Session) -> tuple[Campaign, Unit, Unit]:
    """An active campaign (Nov-Dec 2025) assigning a paper; a second unit it does not assign."""
    campaign = report_campaign(
        session, status="active", period_start=date(2025, 11, 1), period_end=date(2025, 12, 31)
    )
    paper = report_unit(session, kind=UnitKind.press.value)
    other = report_unit(session)
    report_assignment(session, campaign=campaign, unit=paper)
    return campaign, paper, other


TITLE = "Triệt phá đường dây mua bán người qua biên giới"


def _item(unit: Unit, url: str, text: str = TRAFFICKING, when: datetime = WHEN) -> Item:
    title = TITLE if text == TRAFFICKING else "Đội bóng thiếu niên giành cúp vô địch"
    return Item(url, unit.id, title, when, text)


def _count(session: Session, campaign: Campaign) -> int:
    query = select(func.count(Output.id)).where(Output.campaign_id == campaign.id)
    return int(session.scalar(query.execution_options(**{INCLUDE_REMOVED: True})) or 0)


def test_an_item_on_a_theme_becomes_a_discovered_output(
    session: Session, setup: tuple[Campaign, Unit, Unit]
) -> None:
    campaign, paper, other = setup
    items = [
        _item(paper, "https://bao.example/tin/1.html"),
        _item(paper, "https://bao.example/tin/2.html", FOOTBALL),  # no theme
        _item(paper, "https://bao.example/tin/3.html", when=datetime(2025, 10, 1)),  # too early
        _item(other, "https://so.example/tin/4.html"),  # unit not assigned
        Item(
            "https://bao.example/tin/5.html",
            paper.id,
            "Bản sao",
            WHEN,
            TRAFFICKING,
            republished_from="https://huyen.example/goc.html",
        ),
    ]
    result = match_items(session=session, items=items, campaign_ids=[campaign.id])
    assert len(result.created) == 2 and result.skipped == 3
    output = session.get(Output, result.created[0])
    assert output is not None
    assert (output.source, output.channel, output.url) == (
        "discovered", "bao_dien_tu", "https://bao.example/tin/1.html"
    )  # fmt: skip
    assert [t.code for t in output.themes] == ["T3"]
    assert output.content_hash and output.republished_from is None
    copy = session.get(Output, result.created[1])
    assert copy is not None and copy.republished_from == "https://huyen.example/goc.html"
    again = match_items(session=session, items=items, campaign_ids=[campaign.id])
    assert again.created == [] and _count(session, campaign) == 2


def test_an_item_at_a_reported_url_is_merged_not_stored_twice(
    session: Session, setup: tuple[Campaign, Unit, Unit]
) -> None:
    campaign, paper, _ = setup
    reported = report_output(
        session, campaign=campaign, unit=paper, url="https://bao.example/tin/7.html/"
    )
    session.flush()
    url = "https://BAO.example:443/tin/7.html?utm_source=zalo#binh-luan"
    result = match_items(session=session, items=[_item(paper, url)])
    assert result.merged == [reported.id] and result.created == []
    assert reported.source == "reported" and reported.content_hash
    assert TRAFFICKING[:40] in reported.excerpt
    assert _count(session, campaign) == 1


def _user(session: Session, role: Role, unit: Unit | None = None) -> User:
    name = f"u{role.value}{unit.id if unit else ''}"
    unit_id = unit.id if unit else None
    user = User(username=name, password_hash="x", full_name="N", role=role.value, unit_id=unit_id)
    session.add(user)
    session.flush()
    return user


def test_confirm_teaches_and_reject_marks_rejected(
    session: Session, setup: tuple[Campaign, Unit, Unit]
) -> None:
    campaign, paper, other = setup
    items = [_item(paper, f"https://bao.example/tin/{n}.html") for n in (11, 12, 13)]
    first, second, third = match_items(session=session, items=items).created
    with pytest.raises(AccessDeniedError):
        decide(session=session, actor=_user(session, Role.unit_editor, other), output_id=first,
               accepted=True)  # fmt: skip
    editor = _user(session, Role.unit_editor, paper)
    decide(session=session, actor=editor, output_id=first, accepted=True)
    examples = list(session.scalars(select(ThemeExample).where(ThemeExample.output_id == first)))
    assert [(e.accepted, e.decided_by) for e in examples] == [(True, editor.id)]
    coordinator = _user(session, Role.coordinator)
    rejected = decide(session=session, actor=coordinator, output_id=second, accepted=False)
    assert rejected.verification == "rejected"
    # "Not ours" is not "not about T3": a rejection teaches the scorer nothing.
    taught = select(ThemeExample).where(ThemeExample.output_id.in_([second, third]))
    disowned = decide(session=session, actor=editor, output_id=third, accepted=False)
    assert disowned.verification == "unverified"  # the unit answers, the coordinator verifies
    assert list(session.scalars(taught)) == []
    reported = report_output(session, campaign=campaign, unit=paper)
    session.flush()
    with pytest.raises(OutputError):
        decide(session=session, actor=coordinator, output_id=reported.id, accepted=True)
