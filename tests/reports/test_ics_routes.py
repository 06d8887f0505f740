"""ICS feeds and the reports API on a fresh SQLite database."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy.orm import Session

from tests.factories import realistic_campaign, report_user
from trienkhai.db import make_engine
from trienkhai.migrate import upgrade
from trienkhai.reports import ics
from trienkhai.units.models import Unit
from trienkhai.users.service import issue_token
from trienkhai.web.app import create_app


def test_campaign_feed_has_one_event_per_deadline(session: Session) -> None:
    campaign = realistic_campaign(session, today=date(2024, 8, 20))
    cal = Calendar.from_ical(ics.campaign_feed(session=session, campaign_id=campaign.id))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 12
    assert all(str(e["uid"]).startswith("assignment-") for e in events)
    assert "Hạn báo cáo" in str(events[0]["summary"])


def test_feed_tokens(session: Session) -> None:
    campaign = realistic_campaign(session, today=date(2024, 8, 20))
    user = report_user(session, role="coordinator")
    unit = session.get(Unit, campaign.assignments[0].unit_id)
    assert unit is not None
    token = ics.feed_token("unit", unit, user)
    assert ics.token_user(session=session, token=token, scope="unit", ident=unit.id) is user
    assert ics.token_user(session=session, token=token, scope="unit", ident=unit.id + 1) is None
    assert ics.token_user(session=session, token=token, scope="campaign", ident=unit.id) is None
    assert ics.token_user(session=session, token="forged", scope="unit", ident=unit.id) is None


def test_api_report_summary_and_ics(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'api.db'}")
    upgrade(engine)
    with Session(engine) as s:
        campaign = realistic_campaign(s, today=date(2024, 8, 20))
        user = report_user(s, role="coordinator")
        s.commit()
        cid, bearer = campaign.id, {"Authorization": f"Bearer {issue_token(user)}"}
        unit_id = campaign.assignments[0].unit_id
    client = TestClient(create_app(engine))
    r = client.get(f"/api/v1/reports/campaigns/{cid}/summary", headers=bearer)
    assert r.status_code == 200 and r.json()["total"] == 310
    late = r.json()["laggards"]  # past due and not reported, each with its reason in words
    assert late and all(lag["reason"].startswith("quá hạn") for lag in late)
    assert isinstance(r.json()["at_risk"], list)
    r = client.get(f"/api/v1/reports/campaigns/{cid}/report?format=docx", headers=bearer)
    assert r.status_code == 200
    assert docx.Document(io.BytesIO(r.content)).paragraphs
    assert (
        client.get(f"/api/v1/reports/campaigns/{cid}/report?format=odt", headers=bearer).status_code
        == 422
    )
    r = client.get(f"/api/v1/reports/campaigns/{cid}/chart?name=theme&fmt=svg", headers=bearer)
    assert r.status_code == 200 and r.content.lstrip().startswith(b"<?xml")
    assert client.get(f"/api/v1/reports/units/{unit_id}/deadlines.ics").status_code == 401
    link = client.get(f"/api/v1/reports/units/{unit_id}/ics-link", headers=bearer).json()["url"]
    r = client.get(link)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in r.content
    engine.dispose()
