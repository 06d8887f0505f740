"""Service functions the web desk moved out of its stand-in queries, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from tests.factories import make_user, unique
from tests.outputs.factories import make_campaign
from tests.outputs.factories import make_unit as make_site_unit
from trienkhai.documents import service as documents
from trienkhai.documents.models import Directive
from trienkhai.outputs import service as outputs
from trienkhai.outputs.models import Output, OutputSource, Verification
from trienkhai.outputs.schemas import OutputCreate
from trienkhai.reports import service as reports
from trienkhai.units import service as units
from trienkhai.units.models import UnitGroup
from trienkhai.users.models import Role


def _output(session: Session, campaign_id: int, unit_id: int, **fields: object) -> Output:
    """An output through the service (discovered ones as the crawler would record them)."""
    data = OutputCreate(campaign_id=campaign_id, unit_id=unit_id, **fields)  # type: ignore[arg-type]
    output, _created = outputs.create_output(session=session, actor=make_user(session), data=data)
    return output


def test_directive_ids_by_number_symbol(session: Session) -> None:
    number = f"{unique('n')}/KH-UBND"
    directive = Directive(filename="kh.txt", media_type="text/plain", sha256=unique("sha"),
                          size=1, number_symbol=number, record={})  # fmt: skip
    session.add(directive)
    session.flush()
    found = documents.ids_by_number_symbol(session=session, numbers=[number, "", "9/QĐ-X"])
    assert found == {number: directive.id}
    assert documents.ids_by_number_symbol(session=session, numbers=[]) == {}


def test_groups_with_members(session: Session) -> None:
    a, b = make_site_unit(session), make_site_unit(session)
    group = UnitGroup(code=unique("g"), name=f"Nhóm {unique('g')}", units=[a, b])
    empty = UnitGroup(code=unique("g"), name=f"Nhóm {unique('g')}")
    session.add_all([group, empty])
    session.flush()
    members = {g.id: m for g, m in units.groups_with_members(session=session)}
    assert members[group.id] == {a.id, b.id}
    assert members[empty.id] == set()


def test_outputs_by_week_and_channel_fill_empty_weeks(session: Session) -> None:
    unit, campaign = make_site_unit(session), make_campaign(session)
    for day, channel in [(1, "bao_in"), (2, "bao_in"), (3, "bao_dien_tu"), (22, "bao_in")]:
        _output(session, campaign.id, unit.id, title=f"Tin {day}", channel=channel,
                published_at=datetime(2024, 7, day, 3, tzinfo=UTC))  # fmt: skip
    weeks = reports.outputs_by_week_channel(session=session, campaign_id=campaign.id)
    assert [monday for monday, _ in weeks] == [
        date(2024, 7, 1), date(2024, 7, 8), date(2024, 7, 15), date(2024, 7, 22)
    ]  # fmt: skip
    assert weeks[0][1] == {"bao_in": 2, "bao_dien_tu": 1}
    assert weeks[1][1] == {}
    assert weeks[3][1] == {"bao_in": 1}


def test_unit_answer_keeps_source_and_verification(session: Session) -> None:
    unit, campaign = make_site_unit(session), make_campaign(session)
    editor = make_user(session, Role.unit_editor, unit_id=unit.id)
    found = _output(session, campaign.id, unit.id, title="Tin tìm thấy", channel="bao_in",
                    published_at=date(2024, 7, 3), source=OutputSource.discovered)  # fmt: skip
    assert outputs.unit_answers(session=session, output_ids=[found.id]) == {}
    outputs.record_unit_answer(session=session, actor=editor, output=found, confirmed=False)
    outputs.record_unit_answer(session=session, actor=editor, output=found, confirmed=True)
    assert outputs.unit_answers(session=session, output_ids=[found.id]) == {
        found.id: "unit_confirm"
    }
    assert found.source == OutputSource.discovered.value
    assert found.verification == Verification.unverified.value
    assert "không phải" in found.note
    assert found.note.splitlines()[-1].startswith("Đơn vị xác nhận")


def test_unit_answer_refuses_reported_outputs_and_other_units(session: Session) -> None:
    unit, other, campaign = make_site_unit(session), make_site_unit(session), make_campaign(session)
    reported = _output(session, campaign.id, unit.id, title="Tin tự báo", channel="bao_in",
                       published_at=date(2024, 7, 3))  # fmt: skip
    editor = make_user(session, Role.unit_editor, unit_id=unit.id)
    with pytest.raises(outputs.OutputError):
        outputs.record_unit_answer(session=session, actor=editor, output=reported, confirmed=True)
    stranger = make_user(session, Role.unit_editor, unit_id=other.id)
    with pytest.raises(outputs.AccessDeniedError):
        outputs.record_unit_answer(session=session, actor=stranger, output=reported, confirmed=True)
