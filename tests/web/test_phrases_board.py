"""The board maps an unresolved phrase to a group or to several units, and can remember it."""

from __future__ import annotations

import html

from sqlalchemy import Engine, select

from tests.web.conftest import Desk
from tests.web.helpers import open_campaign
from trienkhai.campaigns.models import Assignment, UnresolvedPhrase
from trienkhai.db import session_scope
from trienkhai.units.models import UnitGroup

DB = tuple[Engine, dict[str, int]]


def _phrase(engine: Engine, campaign_id: int, text: str) -> int:
    with session_scope(engine) as session:
        row = UnresolvedPhrase(campaign_id=campaign_id, phrase=text)
        session.add(row)
        session.flush()
        return row.id


def _assigned(engine: Engine, campaign_id: int) -> set[int]:
    with session_scope(engine) as session:
        rows = session.scalars(
            select(Assignment.unit_id).where(Assignment.campaign_id == campaign_id)
        )
        return set(rows)


def test_a_phrase_goes_to_a_group_from_the_board(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    phrase_id = _phrase(engine, campaign_id, "Các đơn vị khối mới")
    board = desk.get(f"/campaigns/{campaign_id}").text
    action = f'action="/campaigns/{campaign_id}/unresolved/{phrase_id}/map"'
    assert action in board and 'name="unit_ids" multiple' in board and 'name="group_id"' in board
    with session_scope(engine) as session:
        group = session.scalars(select(UnitGroup).order_by(UnitGroup.id)).first()
        assert group is not None
        group_id, group_name = group.id, group.name
        members = {u.id for u in group.units if u.active}
    before = _assigned(engine, campaign_id)
    url = f"/campaigns/{campaign_id}/unresolved/{phrase_id}/map"
    done = desk.post(url, {"group_id": str(group_id), "remember": "true"})
    assert done.status_code == 200
    text = html.unescape(done.text)
    assert f"{len(members - before)} đơn vị mới" in text and "tên gọi của nhóm" in text
    assert _assigned(engine, campaign_id) == before | members
    assert f'→ <span class="badge reported">{group_name}</span>' in text
    assert desk.post(url, {"group_id": str(group_id)}).status_code == 409
    # Several units at once, without a group.
    other_id = _phrase(engine, campaign_id, "Hai đơn vị báo chí")
    two = [ids["bao-kon-tum"], ids["dai-ptth"]]
    several = desk.post(
        f"/campaigns/{campaign_id}/unresolved/{other_id}/map", {"unit_ids": [str(i) for i in two]}
    )
    assert several.status_code == 200 and "2 đơn vị:" in html.unescape(several.text)
    assert set(two) <= _assigned(engine, campaign_id)
    empty_id = _phrase(engine, campaign_id, "Không chọn gì")
    assert desk.post(f"/campaigns/{campaign_id}/unresolved/{empty_id}/map", {}).status_code == 422
    desk.login("lanhdao")
    assert desk.post(f"/campaigns/{campaign_id}/unresolved/{empty_id}/map", {}).status_code == 403
