"""The desk and the API docs work in a real browser under the strict CSP (no inline script)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NEW = "Mưa-rừng-Kon-Tum-2024"


def _csp_errors(page: Any) -> list[str]:
    """A list that fills with every console message about the Content Security Policy."""
    found: list[str] = []
    page.on(
        "console",
        lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return found


def test_api_docs_render_from_vendored_assets(browser_page: Any, live_server: str) -> None:
    page = browser_page
    errors = _csp_errors(page)
    page.goto(f"{live_server}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")
    assert page.locator(".opblock").count() > 10
    assert errors == []


def test_password_change_in_the_browser_under_csp(browser_page: Any, live_server: str) -> None:
    page = browser_page
    errors = _csp_errors(page)
    page.goto(f"{live_server}/login")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector("text=Đăng xuất")
    page.get_by_role("link", name="Đổi mật khẩu").click()
    page.get_by_label("Mật khẩu hiện tại").fill(PASSWORD)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.wait_for_selector("text=Đã đổi mật khẩu")
    page.goto(f"{live_server}/dashboard")  # htmx-boosted navigation still signed in
    page.wait_for_selector("text=Đăng xuất")
    assert errors == []
