"""The bulk deadline change in a real browser: tick two units on the board, give one new date."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import SCREENSHOTS
from tests.web.helpers import SAMPLE
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_two_deadlines_at_once(browser_page: Any, live_server: str) -> None:
    page, base = browser_page, live_server
    sign_in(page, base, "dieuphoi")
    page.goto(f"{base}/directives/new")
    page.fill("#text", SAMPLE.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_selector("#review-form")
    page.fill("#campaign_title", "Đổi hạn hàng loạt")
    page.click("#create-campaign")
    page.wait_for_selector("h1:has-text('Đổi hạn hàng loạt')")
    boxes = page.locator("input[name=pick]")
    assert boxes.count() > 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.fill("#bulk-date", "2030-06-15")
    page.fill("#bulk-reason", "Lùi theo đề nghị của Sở")
    page.click("#bulk-submit")
    page.wait_for_selector("text=Đã đổi hạn của 2 đơn vị sang 15/06/2030")
    assert page.url.endswith("/campaigns/1")  # redirected after the POST: a reload sends nothing
    rows = page.locator("table tbody tr")
    assert rows.nth(0).inner_text().count("15/06/2030") == 1
    assert rows.nth(1).inner_text().count("15/06/2030") == 1
    assert "15/06/2030" not in rows.nth(2).inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "desk-bulk-deadline.png"), full_page=True)
    rows.nth(0).get_by_role("link", name="Lịch sử").click()
    page.wait_for_selector("#history")
    assert "Lùi theo đề nghị của Sở" in page.locator("#history").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "desk-assignment-history.png"), full_page=True)
