"""Browser: an editor's imported output without a theme gets a suggestion; accepting it moves
the dashboard's T3 count from "suggested above threshold" to "confirmed"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.helpers import SITE, outputs_xlsx
from tests.web.test_browser import open_sample_campaign, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.slow]
UNTHEMED = ["Xét xử đường dây mua bán người đưa phụ nữ sang Trung Quốc", f"{SITE}/mua-ban-nguoi",
            "báo điện tử", "tin", "13/07/2024", ""]  # fmt: skip


def _kon_tum_t3(page: Any, base: str, campaign_id: str) -> int:
    """Báo Kon Tum's T3 count in the dashboard's unit × theme table."""
    page.goto(f"{base}/dashboard?c={campaign_id}")
    page.wait_for_selector("#chart-heatmap")
    if page.locator("#chart-heatmap summary").count():
        page.locator("#chart-heatmap summary").click()
    row = page.locator("#chart-heatmap table tbody tr", has_text="Báo Kon Tum").first
    return int(row.locator("td").nth(3).inner_text())


def _t3_sources(page: Any) -> tuple[int, int]:
    """The dashboard's confirmed and suggested-above-threshold counts of T3 (page loaded)."""
    cells = page.locator("#theme-count-T3 td")
    return int(cells.nth(2).inner_text()), int(cells.nth(3).inner_text())


def test_accepting_a_suggested_theme_moves_the_dashboard(
    browser_page: Any, live_server: str, tmp_path: Path
) -> None:
    page, base = browser_page, live_server
    sign_in(page, base, "dieuphoi")
    open_sample_campaign(page, base, tmp_path, "Chiến dịch gợi ý chủ đề")
    match = re.search(r"/campaigns/(\d+)", page.url)
    assert match, page.url
    campaign_id = match.group(1)
    sign_out(page)

    sign_in(page, base, "baokontum")
    units = page.locator("a[href^='/units/']").first.get_attribute("href") or ""
    unit_path = units.split("?", 1)[0]
    page.goto(f"{base}{unit_path}?campaign={campaign_id}")
    xlsx = tmp_path / "mot-tin.xlsx"
    xlsx.write_bytes(outputs_xlsx([UNTHEMED]))
    page.set_input_files("#i-file", str(xlsx))
    page.get_by_role("button", name="Nhập tệp").click()
    page.wait_for_selector("text=Đã lưu 1 sản phẩm")
    sign_out(page)
    sign_in(page, base, "lanhdao")
    before = _kon_tum_t3(page, base, campaign_id)
    confirmed, suggested = _t3_sources(page)
    assert suggested >= 1  # the untagged output already counts on T3, marked as the matcher's
    sign_out(page)

    sign_in(page, base, "baokontum")
    page.goto(f"{base}{unit_path}?campaign={campaign_id}")
    assert "Gợi ý chủ đề" in page.content()
    page.get_by_role("button", name=re.compile("^Nhận T3")).click()
    page.wait_for_selector("text=Đã gán chủ đề cho sản phẩm.")
    sign_out(page)
    sign_in(page, base, "lanhdao")
    assert _kon_tum_t3(page, base, campaign_id) == before  # counted either way, now confirmed
    assert _t3_sources(page) == (confirmed + 1, suggested - 1)
