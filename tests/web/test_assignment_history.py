"""The assignment page's history lists what happened to the unit's outputs (issue 8)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from tests.web.conftest import Desk
from tests.web.helpers import open_campaign
from trienkhai.campaigns.models import Assignment
from trienkhai.db import session_scope
from trienkhai.outputs import removal
from trienkhai.outputs import service as outputs
from trienkhai.outputs.schemas import OutputCreate
from trienkhai.users.models import User

DB = tuple[Engine, dict[str, int]]


def test_history_lists_outputs_logged_and_removed(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    unit_id = ids["bao-kon-tum"]
    with session_scope(engine) as session:
        editor = session.scalar(select(User).where(User.username == "baokontum"))
        kept, _ = outputs.create_output(session=session, actor=editor, data=OutputCreate(
            campaign_id=campaign_id, unit_id=unit_id, title="Bài giữ lại",
            url="https://baokontum.com.vn/giu", channel="bao_dien_tu",
            published_at=date(2024, 7, 10)))  # fmt: skip
        gone, _ = outputs.create_output(session=session, actor=editor, data=OutputCreate(
            campaign_id=campaign_id, unit_id=unit_id, title="Bài nhập nhầm",
            url="https://baokontum.com.vn/nham", channel="bao_dien_tu",
            published_at=date(2024, 7, 11)))  # fmt: skip
        removal.remove_output(session=session, actor=editor, output=gone, reason="Trùng bài")
        assignment = session.scalar(
            select(Assignment).where(
                Assignment.campaign_id == campaign_id, Assignment.unit_id == unit_id
            )
        )
        assert assignment is not None
        assignment_id, kept_id, gone_id = assignment.id, kept.id, gone.id
    page = desk.get(f"/assignments/{assignment_id}")
    assert page.status_code == 200
    history = page.text.split('id="history"', 1)[1]
    assert f"Ghi nhận sản phẩm #{kept_id} «Bài giữ lại»" in history
    assert f"Gỡ sản phẩm #{gone_id} «Bài nhập nhầm»" in history
    assert "Trùng bài" in history and "baokontum" in history
    # Oldest first: the removal comes after both were logged.
    assert history.index(f"Ghi nhận sản phẩm #{gone_id}") < history.index("Gỡ sản phẩm")
