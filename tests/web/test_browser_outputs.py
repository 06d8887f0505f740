"""In a real browser (htmx boosting): import, reload, complete a link, remove and restore."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.helpers import GOOD_ROWS, outputs_xlsx
from tests.web.test_browser import open_sample_campaign, shot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_unit_page_never_shows_a_post_address(
    browser_page: Any, live_server: str, tmp_path: Path
) -> None:
    page, base = browser_page, live_server
    sign_in(page, base, "dieuphoi")
    open_sample_campaign(page, base, tmp_path, "Chiến dịch sửa sản phẩm")
    sign_out(page)

    sign_in(page, base, "baokontum")
    page.wait_for_selector("text=Đơn vị được giao")
    xlsx = tmp_path / "ket-qua.xlsx"
    xlsx.write_bytes(outputs_xlsx(GOOD_ROWS))
    page.set_input_files("#i-file", str(xlsx))
    page.get_by_role("button", name="Nhập tệp").click()
    page.wait_for_selector("text=Đã lưu 3 sản phẩm mới")
    assert "/import" not in page.url and "/units/" in page.url
    page.reload()
    assert "Method Not Allowed" not in page.content()
    assert page.inner_text("#logged-count") == "3"

    page.fill("#o-title", "Số đặc biệt về nhân quyền")
    page.fill("#o-url", "baokontum.com.vn/so-dac-biet")
    page.get_by_role("button", name="Lưu").first.click()
    page.wait_for_selector("text=đã lưu thành https://baokontum.com.vn/so-dac-biet")
    assert page.inner_text("#logged-count") == "4"
    assert page.locator('a[href="https://baokontum.com.vn/so-dac-biet"]').count() == 1

    row = page.locator("tr", has_text="Số đặc biệt về nhân quyền")
    row.locator("summary").click()
    row.get_by_label("Lý do gỡ").fill("Nhập nhầm")
    row.get_by_role("button", name="Gỡ sản phẩm").click()
    page.wait_for_selector("#removed-count")
    assert page.inner_text("#logged-count") == "3"
    assert "/remove" not in page.url
    shot(page, "12-unit-removed")
    page.locator("#removed summary").click()
    page.get_by_role("button", name="Khôi phục").click()
    page.wait_for_selector("text=Đã khôi phục sản phẩm")
    assert page.inner_text("#logged-count") == "4"
