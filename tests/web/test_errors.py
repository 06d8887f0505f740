"""Errors: the Vietnamese error page with the signed-in menu on the desk, JSON under /api/v1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.web.conftest import PASSWORD, Desk
from trienkhai.db import session_scope
from trienkhai.deps import SessionDep
from trienkhai.errors import ConflictError
from trienkhai.units.models import Unit
from trienkhai.web.app import create_app

DB = tuple[Engine, dict[str, int]]
MENU = 'href="/campaigns"'  # the coordinator's menu


def test_unknown_address_is_the_vietnamese_page_with_the_menu(desk: Desk) -> None:
    desk.login("dieuphoi")
    response = desk.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy trang" in response.text
    assert MENU in response.text and "dieuphoi" in response.text
    assert '{"detail"' not in response.text


def test_reload_of_a_post_only_address_is_a_page_not_json(desk: Desk) -> None:
    desk.login("dieuphoi")
    response = desk.get("/directives")  # POST-only: what a reload after the upload asks
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")
    assert "Method Not Allowed" not in response.text
    assert "chỉ nhận dữ liệu gửi từ biểu mẫu" in response.text
    assert MENU in response.text


def test_a_service_or_http_error_keeps_the_signed_in_menu(desk: Desk) -> None:
    desk.login("dieuphoi")
    response = desk.get("/campaigns/999")
    assert response.status_code == 404
    assert "Không có chiến dịch số 999" in response.text
    assert MENU in response.text and "dieuphoi" in response.text


def test_a_wrong_campaign_address_says_so_in_plain_vietnamese(desk: Desk) -> None:
    desk.login("dieuphoi")
    response = desk.get("/campaigns/abc")
    assert response.status_code == 404
    assert "campaign_id" not in response.text
    assert "Địa chỉ không đúng" in response.text
    assert "không có chiến dịch «abc»" in response.text
    assert MENU in response.text


def test_a_form_missing_a_field_names_it_in_vietnamese(desk: Desk, web_db: DB) -> None:
    desk.login("dieuphoi")
    desk.get("/campaigns")
    response = desk.post("/campaigns/1/unresolved/1/resolve", {})
    assert response.status_code == 422
    assert "Biểu mẫu thiếu hoặc sai" in response.text
    assert MENU in response.text


def test_anonymous_visitor_of_an_unknown_address_gets_the_page_without_menu(desk: Desk) -> None:
    response = desk.client.get("/khong-co")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text
    assert MENU not in response.text


def test_api_errors_stay_json(desk: Desk) -> None:
    token = desk.client.post(
        "/api/v1/auth/token", json={"username": "dieuphoi", "password": PASSWORD}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    missing = desk.client.get("/api/v1/khong-co", headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not Found"}
    wrong = desk.client.get("/api/v1/campaigns/abc", headers=headers)
    assert wrong.status_code == 422
    assert isinstance(wrong.json()["detail"], list)
    assert desk.client.get("/api/v1/campaigns/999", headers=headers).status_code == 404
    assert desk.client.get("/api/v1/users").status_code == 401


def _failing_app(engine: Engine) -> FastAPI:
    """The app with two routes that write a unit, then fail (page and API)."""
    app = create_app(engine)
    router = APIRouter()

    def write_then(session: Session, exc: Exception) -> None:
        session.add(Unit(code="tam-thoi", name="Đơn vị tạm"))
        session.flush()
        raise exc

    @router.get("/hong/{kind}")
    def page(kind: str, session: SessionDep) -> None:
        write_then(session, RuntimeError("bí mật") if kind == "500" else ConflictError("Đã đổi."))

    @router.get("/api/v1/hong")
    def api(request: Request, session: SessionDep) -> None:
        write_then(session, HTTPException(409, "Xung đột."))

    app.include_router(router)
    return app


@pytest.fixture
def failing(web_db: DB) -> Iterator[tuple[TestClient, Engine]]:
    """A client of the failing app that sees 500 answers instead of the raised error."""
    with TestClient(_failing_app(web_db[0]), raise_server_exceptions=False) as client:
        yield client, web_db[0]


def _written(engine: Engine) -> int:
    with session_scope(engine) as session:
        return len(session.scalars(select(Unit).where(Unit.code == "tam-thoi")).all())


def test_an_unexpected_error_is_a_500_page_without_traceback_and_nothing_written(
    failing: tuple[TestClient, Engine],
) -> None:
    client, engine = failing
    response = client.get("/hong/500")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text and "bí mật" not in response.text
    assert "Máy chủ gặp lỗi" in response.text
    assert _written(engine) == 0


def test_a_service_error_on_a_page_is_its_status_and_rolls_back(
    failing: tuple[TestClient, Engine],
) -> None:
    client, engine = failing
    response = client.get("/hong/409")
    assert response.status_code == 409
    assert "Đã đổi." in response.text and "<html" in response.text
    api = client.get("/api/v1/hong")
    assert api.status_code == 409
    assert api.json() == {"detail": "Xung đột."}
    assert _written(engine) == 0


def test_sign_in_returns_to_the_page_with_its_query(desk: Desk, web_db: DB) -> None:
    unit = web_db[1]["bao-kon-tum"]
    response = desk.client.get(f"/units/{unit}?campaign=7", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=/units/{unit}%3Fcampaign%3D7"
    login = desk.get(response.headers["location"])
    assert f'value="/units/{unit}?campaign=7"' in login.text


def test_the_500_page_keeps_the_signed_in_menu(failing: tuple[TestClient, Engine]) -> None:
    desk = Desk(failing[0])
    desk.login("dieuphoi")
    response = desk.get("/hong/500")
    assert response.status_code == 500
    assert MENU in response.text and "dieuphoi" in response.text
