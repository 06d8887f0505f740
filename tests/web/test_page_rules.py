"""Rules of the desk pages: local dates, odd input as 4xx, no half-saved failures."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from tests.web.conftest import Desk
from tests.web.helpers import SAMPLE, open_campaign, review_form
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Assignment, AssignmentState
from trienkhai.db import session_scope
from trienkhai.documents.models import Directive
from trienkhai.outputs import service as outputs
from trienkhai.outputs.schemas import OutputCreate
from trienkhai.users.models import User
from trienkhai.web.pages import units as unit_pages

DB = tuple[Engine, dict[str, int]]
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _early_output(engine: Engine, campaign_id: int, unit_id: int) -> None:
    """An output published at 06:00 on 10/07/2024, Vietnam time (23:00 on the 9th in UTC)."""
    with session_scope(engine) as session:
        coordinator = session.scalar(select(User).where(User.username == "dieuphoi"))
        data = OutputCreate(
            campaign_id=campaign_id,
            unit_id=unit_id,
            title="Bản tin sáng về quyền con người",
            channel="truyen_thanh",
            published_at=datetime(2024, 7, 10, 6, 0, tzinfo=VN),
        )
        outputs.create_output(session=session, actor=coordinator, data=data)


def test_an_output_published_at_six_local_shows_on_its_local_day(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    unit = ids["bao-kon-tum"]
    _early_output(engine, campaign_id, unit)
    desk.login("baokontum")
    pages = [
        desk.get(f"/units/{unit}?campaign={campaign_id}").text,
        desk.get(f"/units/{unit}/outputs.csv?campaign={campaign_id}").text,
        desk.get("/search?q=ban+tin+sang").text,
        desk.get("/search.csv?q=ban+tin+sang").text,
        desk.get("/search?date_from=2024-07-10&date_to=2024-07-10").text,
    ]
    for number, text in enumerate(pages):
        assert "10/07/2024" in text, number
        assert "09/07/2024" not in text, number


def test_unit_page_proposes_todays_local_date(
    desk: Desk, web_db: DB, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, ids = web_db
    monkeypatch.setattr(unit_pages.states, "today", lambda: date(2031, 1, 2))
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    page = desk.get(f"/units/{ids['bao-kon-tum']}?campaign={campaign_id}")
    assert 'name="published" type="date" value="2031-01-02"' in page.text


@pytest.mark.parametrize(
    "query", ["channel=bo-cau", "date_from=0001-01-01", "date_to=9999-12-31&q=x"]
)
def test_search_with_odd_filters_is_a_4xx_page(desk: Desk, query: str) -> None:
    desk.login("dieuphoi")
    for path in ("/search", "/search.csv"):
        response = desk.get(f"{path}?{query}")
        assert 400 <= response.status_code < 500, (path, response.status_code)


def test_import_into_a_missing_campaign_is_a_404_page(desk: Desk, web_db: DB) -> None:
    _, ids = web_db
    desk.login("baokontum")
    unit = ids["bao-kon-tum"]
    desk.get(f"/units/{unit}")
    csv = "Tiêu đề,Kênh,Ngày đăng\nBài 1,báo in,10/07/2024\n".encode()
    response = desk.post(
        f"/units/{unit}/import", {"campaign_id": 987654}, files={"file": ("kq.csv", csv)}
    )
    assert response.status_code == 404
    assert "987654" in response.text


def test_report_on_a_cancelled_assignment_is_refused(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    unit = ids["bao-kon-tum"]
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    with session_scope(engine) as session:
        assignment = session.scalar(
            select(Assignment).where(
                Assignment.campaign_id == campaign_id, Assignment.unit_id == unit
            )
        )
        assert assignment is not None
        campaigns.transition(
            session=session, assignment=assignment, to=AssignmentState.cancelled, actor=None
        )
    desk.login("baokontum")
    desk.get(f"/units/{unit}?campaign={campaign_id}")
    response = desk.post(f"/units/{unit}/report", {"campaign_id": campaign_id})
    assert response.status_code == 409
    assert "Đã hủy" in response.text


def test_report_names_its_campaign_exactly(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    unit = ids["bao-kon-tum"]
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    desk.login("baokontum")
    desk.get(f"/units/{unit}")
    response = desk.post(f"/units/{unit}/report", {"campaign_id": 987654})
    assert response.status_code == 404
    with session_scope(engine) as session:
        state = session.scalar(
            select(Assignment.state).where(
                Assignment.campaign_id == campaign_id, Assignment.unit_id == unit
            )
        )
    assert state == AssignmentState.assigned.value


def test_a_refused_review_saves_nothing(desk: Desk, web_db: DB) -> None:
    engine, _ = web_db
    desk.login("dieuphoi")
    desk.get("/directives/new")
    sample = SAMPLE.read_bytes()
    review = desk.post("/directives", files={"file": ("cv.txt", sample, "text/plain")})
    form = review_form(review.text) | {
        "action": "create",
        "subject": "Trích yếu đã sửa",
        "report_deadline": "31/02/2024",
    }
    refused = desk.post(str(review.url.path), form)
    assert refused.status_code == 400
    with session_scope(engine) as session:
        directive = session.scalars(select(Directive)).one()
        assert directive.subject != "Trích yếu đã sửa"
