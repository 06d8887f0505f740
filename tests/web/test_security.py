"""Sessions end, API CSRF, sign-in throttling, password policy, headers, docs, calendar tokens."""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.factories import report_campaign
from tests.web.conftest import PASSWORD, Desk
from trienkhai.campaigns.models import Campaign
from trienkhai.cli import app as cli
from trienkhai.db import session_scope
from trienkhai.reports import ics
from trienkhai.settings import DEV_SECRET, get_settings
from trienkhai.users import service as users
from trienkhai.web.app import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "trienkhai" / "web" / "templates"
NEW_PASSWORD = "Mùa-lúa-chín-2024"


def token(client: TestClient, username: str, password: str = PASSWORD) -> httpx.Response:
    """POST /api/v1/auth/token."""
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """An Authorization header for the user."""
    response = token(client, username, password)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def me(client: TestClient, **kw: Any) -> int:
    """The status of GET /api/v1/auth/me."""
    return client.get("/api/v1/auth/me", **kw).status_code


# --- sessions end ------------------------------------------------------------------------------


def test_cookie_and_token_saved_before_logout_are_refused_after(desk: Desk) -> None:
    desk.login("dieuphoi")
    saved = dict(desk.client.cookies)
    auth = bearer(desk.client, "dieuphoi")
    assert me(desk.client) == 200
    desk.get("/campaigns")
    assert desk.post("/logout").status_code in (200, 303)
    replay = TestClient(desk.client.app)
    replay.cookies.update(saved)
    assert me(replay) == 401
    assert replay.get("/campaigns", follow_redirects=False).headers["location"].startswith("/login")
    assert me(replay, headers=auth) == 401


def test_password_change_ends_other_sessions_and_tokens(desk: Desk) -> None:
    other = Desk(TestClient(desk.client.app))
    other.login("dieuphoi")
    old_token = bearer(desk.client, "dieuphoi")
    desk.login("dieuphoi")
    desk.get("/account/password")
    response = desk.post(
        "/account/password",
        {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert me(desk.client) == 200  # this browser stays signed in
    assert me(other.client) == 401  # the other browser is signed out
    assert me(desk.client, headers=old_token) == 401
    assert token(desk.client, "dieuphoi").status_code == 401
    assert (
        me(TestClient(desk.client.app), headers=bearer(desk.client, "dieuphoi", NEW_PASSWORD))
        == 200
    )


def test_role_change_and_deactivation_end_tokens(desk: Desk) -> None:
    admin = _admin_bearer(desk)
    auth = bearer(desk.client, "lanhdao")
    uid = desk.client.get("/api/v1/auth/me", headers=auth).json()["id"]
    patch = desk.client.patch(f"/api/v1/users/{uid}", json={"role": "coordinator"}, headers=admin)
    assert patch.status_code == 200
    assert me(desk.client, headers=auth) == 401
    auth = bearer(desk.client, "lanhdao")
    desk.client.patch(f"/api/v1/users/{uid}", json={"active": False}, headers=admin)
    assert me(desk.client, headers=auth) == 401


def test_forged_cookie_signed_with_the_old_default_is_refused(desk: Desk) -> None:
    payload = base64.b64encode(json.dumps({"uid": 1, "sv": 0}).encode())
    forged = TimestampSigner(DEV_SECRET).sign(payload).decode()
    client = TestClient(desk.client.app)
    client.cookies.set("trienkhai_session", forged)
    assert me(client) == 401


def _admin_bearer(desk: Desk) -> dict[str, str]:
    """A bearer header of a fresh administrator."""
    engine: Engine = desk.client.app.state.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        users.create_user(session=session, username="quantri", password=PASSWORD, role="admin")
    return bearer(desk.client, "quantri")


# --- password policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("12345678", "ít nhất 10"),
        ("password1234", "phổ biến"),
        ("xdieuphoi-2024!", "tên đăng nhập"),
    ],
)
def test_weak_passwords_are_refused_by_the_api(desk: Desk, password: str, reason: str) -> None:
    admin = _admin_bearer(desk)
    body = {
        "username": "dieuphoi2",
        "password": password.replace("xdieuphoi", "dieuphoi2"),
        "role": "leader",
    }
    response = desk.client.post("/api/v1/users", json=body, headers=admin)
    assert response.status_code == 422 and reason in response.json()["detail"]


def test_weak_password_is_refused_by_own_change_and_cli(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.login("baokontum")
    desk.get("/account/password")
    form = {"current": PASSWORD, "new": "password1234", "confirm": "password1234"}
    response = desk.post("/account/password", form)
    assert response.status_code == 422 and "phổ biến" in response.text
    form = {"current": "sai-mat-khau-roi", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert "không đúng" in desk.post("/account/password", form).text
    engine: Engine = desk.client.app.state.engine  # type: ignore[attr-defined]
    monkeypatch.setenv("TRIENKHAI_DATABASE_URL", str(engine.url))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            cli, ["users", "add", "moi", "--role", "leader", "--password", "12345678"]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1 and "ít nhất 10" in result.output


# --- CSRF on the API ---------------------------------------------------------------------------


def test_cookie_only_multipart_post_to_the_api_is_refused(desk: Desk) -> None:
    desk.login("dieuphoi")
    files = {"file": ("cv.txt", "V/v tuyên truyền".encode(), "text/plain")}
    response = desk.client.post("/api/v1/directives", files=files)
    assert response.status_code == 403 and "X-CSRF-Token" in response.json()["detail"]
    response = desk.client.post(
        "/api/v1/directives", files=files, headers={"X-CSRF-Token": desk.token}
    )
    assert response.status_code != 403
    auth = bearer(TestClient(desk.client.app), "dieuphoi")
    fresh = TestClient(desk.client.app)
    assert fresh.post("/api/v1/directives", files=files, headers=auth).status_code != 403


# --- sign-in throttling ------------------------------------------------------------------------


def test_account_locks_after_five_failures_without_hashing(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(5):
        assert token(desk.client, "dieuphoi", "sai-mat-khau").status_code == 401
    hashed: list[str] = []
    real = users.verify_password
    monkeypatch.setattr(users, "verify_password", lambda h, p: hashed.append(p) or real(h, p))
    # A second server process sharing the database sees the same lock.
    other = TestClient(create_app(desk.client.app.state.engine))  # type: ignore[attr-defined]
    response = token(other, "dieuphoi")
    assert response.status_code == 429
    assert re.search(r"thử lại sau \d\d:\d\d", response.json()["detail"])
    desk.get("/login")
    page = desk.post("/login", {"username": "DieuPhoi", "password": PASSWORD})
    assert page.status_code == 429 and "thử lại sau" in page.text
    assert hashed == []  # locked attempts cost no argon2 hash
    assert token(desk.client, "lanhdao").status_code == 200  # other accounts unaffected


def test_address_locks_after_many_failures_across_accounts(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIENKHAI_LOGIN_MAX_FAILURES_PER_ADDRESS", "3")
    get_settings.cache_clear()
    try:
        for name in ("a1", "a2", "a3"):
            assert token(desk.client, name, "sai-mat-khau").status_code == 401
        assert token(desk.client, "lanhdao").status_code == 429
    finally:
        get_settings.cache_clear()


def test_success_clears_the_account_failures(desk: Desk) -> None:
    for _ in range(4):
        token(desk.client, "dieuphoi", "sai-mat-khau")
    assert token(desk.client, "dieuphoi").status_code == 200
    for _ in range(4):
        token(desk.client, "dieuphoi", "sai-mat-khau")
    assert token(desk.client, "dieuphoi").status_code == 200


# --- headers and docs --------------------------------------------------------------------------


def test_security_headers_on_pages_api_and_static(desk: Desk) -> None:
    page = desk.get("/login")
    csp = page.headers["content-security-policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script.strip() == "script-src 'self'" and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    desk.login("dieuphoi")
    assert desk.get("/campaigns").headers["cache-control"] == "no-store"
    assert desk.client.get("/api/v1/auth/me").headers["cache-control"] == "no-store"
    static = desk.client.get("/static/app.css")
    assert "no-store" not in static.headers["cache-control"]
    assert static.headers["x-content-type-options"] == "nosniff"


def test_templates_have_no_inline_script() -> None:
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert not re.search(r"\son[a-z]+\s*=", text), path.name
        assert "javascript:" not in text, path.name


def test_secure_cookie_flag_setting(
    web_db: tuple[Engine, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIENKHAI_COOKIE_SECURE", "true")
    get_settings.cache_clear()
    try:
        client = TestClient(create_app(web_db[0]), base_url="https://testserver")
        response = client.get("/login")
    finally:
        get_settings.cache_clear()
    assert "secure" in response.headers["set-cookie"].lower()


def test_api_docs_use_only_same_origin_assets(desk: Desk) -> None:
    html = desk.client.get("/api/v1/docs").text
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(r.startswith("/") and not r.startswith("//") for r in refs)
    assert "<script>" not in html
    for ref in refs:
        assert desk.client.get(ref).status_code == 200, ref


# --- calendar tokens ---------------------------------------------------------------------------


def test_calendar_link_dies_with_its_campaign_even_when_the_id_is_reused(
    web_db: tuple[Engine, dict[str, int]],
) -> None:
    engine = web_db[0]
    client = TestClient(create_app(engine))
    auth = bearer(client, "dieuphoi")
    with session_scope(engine) as session:
        first = report_campaign(session).id
    link = client.get(f"/api/v1/reports/campaigns/{first}/ics-link", headers=auth).json()["url"]
    assert client.get(link).status_code == 200
    with session_scope(engine) as session:
        session.delete(session.get(Campaign, first))
    with session_scope(engine) as session:
        second = report_campaign(session, title="Chiến dịch khác").id
    assert second == first  # SQLite reused the id
    assert client.get(link).status_code == 403
    fresh = client.get(f"/api/v1/reports/campaigns/{second}/ics-link", headers=auth).json()["url"]
    assert client.get(fresh).status_code == 200
    assert client.post("/api/v1/auth/calendar-links/revoke", headers=auth).status_code == 204
    assert client.get(fresh).status_code == 403  # revoked


def test_calendar_link_follows_its_maker_rights(desk: Desk) -> None:
    """A link acts for the user who made it: once they lose access, so does the link."""
    admin = _admin_bearer(desk)
    auth = bearer(desk.client, "lanhdao")
    engine: Engine = desk.client.app.state.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        cid = report_campaign(session).id
    link = desk.client.get(f"/api/v1/reports/campaigns/{cid}/ics-link", headers=auth).json()["url"]
    assert desk.client.get(link).status_code == 200
    uid = desk.client.get("/api/v1/auth/me", headers=auth).json()["id"]
    desk.client.patch(f"/api/v1/users/{uid}", json={"active": False}, headers=admin)
    assert desk.client.get(link).status_code == 403


def _issued_hours_ago(monkeypatch: pytest.MonkeyPatch, hours: float) -> None:
    """Make tokens signed from now on carry a timestamp `hours` in the past."""
    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: now - int(hours * 3600))


def test_api_tokens_and_calendar_links_expire(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    engine: Engine = desk.client.app.state.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        cid = report_campaign(session).id
    fresh = bearer(desk.client, "dieuphoi")
    with monkeypatch.context() as patch:
        _issued_hours_ago(patch, 13)  # TRIENKHAI_TOKEN_HOURS is 12
        stale = bearer(desk.client, "dieuphoi")
    assert me(desk.client, headers=fresh) == 200
    assert me(desk.client, headers=stale) == 401
    with session_scope(engine) as session, monkeypatch.context() as patch:
        _issued_hours_ago(patch, 181 * 24)  # TRIENKHAI_ICS_TOKEN_DAYS is 180
        maker = users.get_by_username(session=session, username="dieuphoi")
        campaign = session.get(Campaign, cid)
        assert maker is not None and campaign is not None
        old = ics.feed_token("campaign", campaign, maker)
    feed = f"/api/v1/reports/campaigns/{cid}/deadlines.ics?token="
    assert desk.client.get(feed + old).status_code == 403
    url = f"/api/v1/reports/campaigns/{cid}/ics-link"
    assert desk.client.get(desk.client.get(url, headers=fresh).json()["url"]).status_code == 200
