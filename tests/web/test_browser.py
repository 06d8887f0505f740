"""The must-show path in a real browser against a real server; outside requests are blocked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest

from tests.web.conftest import PASSWORD, SCREENSHOTS
from tests.web.helpers import (
    BAD_ROW,
    FIXED_ROW,
    GOOD_ROWS,
    SAMPLE,
    outputs_xlsx,
    sample_docx,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def sign_in(page: Any, base: str, username: str) -> None:
    """Sign in through the form."""
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector("text=Đăng xuất", state="attached")  # folded in the phone menu


def sign_out(page: Any) -> None:
    """Sign out through the header button."""
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_selector("#username")


def read_sample(page: Any, base: str, tmp_path: Path) -> None:
    """Upload the sample directive as a .docx and wait for its review page."""
    page.goto(f"{base}/directives/new")
    page.set_input_files("#file", str(sample_docx(tmp_path / "cong-van.docx")))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_selector("#review-form")


def open_sample_campaign(page: Any, base: str, tmp_path: Path, title: str) -> None:
    """Read the sample directive and open its campaign under `title` (deadline 31/12/2030)."""
    read_sample(page, base, tmp_path)
    page.fill("#campaign_title", title)
    page.fill("#report_deadline", "2030-12-31")
    page.click("#create-campaign")
    page.wait_for_selector(f"h1:has-text('{title}')")


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot for docs/web.md."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_directive_to_dashboard(browser_page: Any, live_server: str, tmp_path: Path) -> None:
    page, base = browser_page, live_server
    sign_in(page, base, "dieuphoi")
    page.goto(f"{base}/directives/new")
    shot(page, "01-intake")
    page.set_input_files("#file", str(sample_docx(tmp_path / "cong-van-nhan-quyen.docx")))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_selector("#review-form")
    assert "Kiểm tra thể thức" in page.content()
    shot(page, "02-review")
    page.fill("#subject", "Đẩy mạnh tuyên truyền về Nhân quyền năm 2024")
    page.fill("#campaign_title", "Tuyên truyền Nhân quyền 2024")
    page.fill("#report_deadline", "2030-12-31")
    page.click("#create-campaign")
    page.wait_for_selector("h1:has-text('Tuyên truyền Nhân quyền 2024')")
    assert page.locator("table tbody tr").count() > 10
    shot(page, "03-board")
    page.goto(f"{base}/library")
    page.wait_for_selector("text=Đẩy mạnh tuyên truyền về Nhân quyền năm 2024")
    shot(page, "07-library")
    page.goto(f"{base}/dashboard")
    page.wait_for_selector("#total-outputs")
    before = int(page.inner_text("#total-outputs"))
    sign_out(page)

    sign_in(page, base, "baokontum")
    page.wait_for_selector("text=Đơn vị được giao")
    xlsx = tmp_path / "ket-qua.xlsx"
    xlsx.write_bytes(outputs_xlsx([*GOOD_ROWS, BAD_ROW]))
    page.set_input_files("#i-file", str(xlsx))
    page.get_by_role("button", name="Nhập tệp").click()
    page.wait_for_selector("table.row-errors")
    error_row = page.locator("table.row-errors tbody tr").first.inner_text()
    assert "5" in error_row and "Ngày đăng" in error_row
    shot(page, "04-unit-import-errors")
    xlsx.write_bytes(outputs_xlsx([*GOOD_ROWS, FIXED_ROW]))
    page.set_input_files("#i-file", str(xlsx))
    page.get_by_role("button", name="Nhập tệp").click()
    page.wait_for_selector("text=Đã lưu 4 sản phẩm")
    assert page.inner_text("#logged-count") == "4"
    shot(page, "05-unit-page")
    sign_out(page)

    sign_in(page, base, "lanhdao")
    page.goto(f"{base}/dashboard")
    page.wait_for_selector("#total-outputs")
    assert int(page.inner_text("#total-outputs")) == before + 4
    page.locator("#chart-heatmap summary").click()
    assert "Báo Kon Tum" in page.inner_text("#chart-heatmap table")
    shot(page, "06-dashboard")
    page.goto(f"{base}/search?q=nhan+quyen")
    page.wait_for_selector("#result-count")
    assert int(page.inner_text("#result-count")) >= 1
    shot(page, "08-search")


def test_unit_editor_denied_on_another_unit(browser_page: Any, live_server: str) -> None:
    page, base = browser_page, live_server
    sign_in(page, base, "baokontum")
    own = page.url
    other_id = int(own.rstrip("/").split("/")[-1].split("?")[0]) + 1
    response = page.goto(f"{base}/units/{other_id}")
    assert response is not None and response.status == 403
    assert "Chỉ được thao tác trên đơn vị của mình" in page.content()
    shot(page, "09-forbidden")


def test_phone_width_layout(browser_page: Any, live_server: str) -> None:
    page, base = browser_page, live_server
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, "dieuphoi")
    page.goto(f"{base}/campaigns")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"page wider than a phone: {width}px"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused  # the skip link (or first nav link) takes keyboard focus
    shot(page, "10-phone")


def test_english_pages(browser_page: Any, live_server: str) -> None:
    page, base = browser_page, live_server
    sign_in(page, base, "dieuphoi")
    page.goto(f"{base}/campaigns")
    page.get_by_role("link", name="English").click()
    page.wait_for_selector("text=Sign out")
    assert page.get_attribute("html", "lang") == "en"
    page.get_by_role("navigation").get_by_role("link", name="New directive").click()
    # The sample with one more addressee that is in no registry: the board must ask about it.
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "- Công thông tin điện tử tỉnh.", "- Công thông tin điện tử tỉnh;\n- Câu lạc bộ Măng Đen."
    )
    page.fill("#text", text)
    page.get_by_role("button", name="Read the document").click()
    page.wait_for_selector("#review-form")
    assert "Format check" in page.content()
    page.click("#create-campaign")
    page.wait_for_selector("text=Assignments by unit")
    assert "Nhiệm vụ theo đơn vị" not in page.content()
    finder = page.get_by_label("Find a unit").first
    finder.fill("dak ha")
    select = page.locator(f"#{finder.get_attribute('data-filter')}")
    shown = select.locator("option:not([hidden])").all_inner_texts()
    assert shown and all("Đắk Hà" in s or s.startswith("—") for s in shown)  # a multiple select
    shot(page, "11-board-english")
    page.goto(f"{base}/search")
    assert page.get_by_label("Words (with or without accents)").is_visible()
    page.get_by_role("link", name="Tiếng Việt").click()  # the user's setting goes back too
    page.wait_for_selector("text=Đăng xuất", state="attached")  # folded in the phone menu


def test_board_report_download_arrives(browser_page: Any, live_server: str, tmp_path: Path) -> None:
    page, base = browser_page, live_server
    sign_in(page, base, "dieuphoi")
    page.goto(f"{base}/directives/new")
    page.fill("#text", SAMPLE.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_selector("#review-form")
    page.fill("#campaign_title", "Tải báo cáo")
    page.click("#create-campaign")
    page.wait_for_selector("h1:has-text('Tải báo cáo')")
    link = page.locator("#dl-report-docx")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    header = docx.Document(str(saved)).tables[0].cell(0, 0).text
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in header
    # The script followed the link with ?dl=<token>; the server's cookie ends "Đang tạo…".
    assert any(c["name"] == "trienkhai_download" for c in page.context.cookies())
    # A selector, not wait_for_function: the CSP forbids the eval that a string predicate needs.
    page.wait_for_selector("#dl-report-docx:not([aria-disabled])")
    assert page.locator("#dl-report-docx + .download-busy").inner_text() == ""
