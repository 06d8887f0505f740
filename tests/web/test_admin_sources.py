"""The sources page: every source's health for administrators; pause and resume."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import Engine

from tests.web.conftest import PASSWORD, Desk
from tests.web.test_i18n import RAW_KEY, visible
from trienkhai.db import session_scope
from trienkhai.ingest import service as ingest
from trienkhai.users import service as users

DB = tuple[Engine, dict[str, int]]


@pytest.fixture
def admin(desk: Desk, web_db: DB) -> Desk:
    """The desk signed in as an administrator, with a healthy and a paused failing source."""
    engine, ids = web_db
    code = next(iter(ids))
    with session_scope(engine) as session:
        users.create_user(session=session, username="quantri", password=PASSWORD, role="admin")
        ingest.add_source(session=session, unit_code=code, url="http://127.0.0.1:1/ok.xml")
        bad = ingest.add_source(session=session, unit_code=code, url="http://127.0.0.1:1/rss")
        bad.consecutive_failures, bad.paused = 10, True
        bad.last_error = "HTTP 500 tại http://127.0.0.1:1/rss"
    desk.login("quantri")
    return desk


def test_admin_sees_health_failing_first(admin: Desk) -> None:
    page = admin.get("/admin/sources")
    assert page.status_code == 200
    text = unescape(page.text)
    assert text.index("http://127.0.0.1:1/rss") < text.index("http://127.0.0.1:1/ok.xml")
    assert "HTTP 500 tại" in text and "Tạm dừng" in text and "chưa lần nào" in text
    assert not RAW_KEY.findall(visible(page.text))


def test_english_page_shows_no_raw_keys(admin: Desk) -> None:
    admin.get("/lang/en?next=/admin/sources")
    page = admin.get("/admin/sources")
    assert "Failures in a row" in page.text
    assert not RAW_KEY.findall(visible(page.text))


def test_resume_clears_failures_and_pause_stops(admin: Desk, web_db: DB) -> None:
    with session_scope(web_db[0]) as session:
        rows = {r.url: r for r in ingest.list_sources(session=session)}
    bad, ok = rows["http://127.0.0.1:1/rss"], rows["http://127.0.0.1:1/ok.xml"]
    assert admin.post(f"/admin/sources/{bad.id}/resume").status_code == 200
    assert admin.post(f"/admin/sources/{ok.id}/pause").status_code == 200
    with session_scope(web_db[0]) as session:
        after = {r.url: r for r in ingest.list_sources(session=session)}
    assert not after[bad.url].paused and after[bad.url].consecutive_failures == 0
    assert after[ok.url].paused
    assert admin.post("/admin/sources/999999/resume").status_code == 404


@pytest.mark.parametrize("username", ["dieuphoi", "lanhdao", "baokontum"])
def test_only_admins_open_or_change_sources(desk: Desk, username: str) -> None:
    desk.login(username)
    assert desk.get("/admin/sources").status_code == 403
    assert desk.post("/admin/sources/1/pause").status_code == 403
