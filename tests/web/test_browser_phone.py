"""Issue 8 at phone width in Debian's chromium: folded menu, board cards, readable charts, fonts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import SCREENSHOTS
from tests.web.test_browser import read_sample, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
VIETNAMESE_MONO = {"Liberation Mono", "DejaVu Sans Mono"}


def _shot(page: Any, name: str) -> None:
    """A screenshot of what the phone's screen shows (docs/web.md)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _fonts_of(page: Any, selector: str) -> dict[str, int]:
    """The platform fonts Chromium drew a node's text with, and how many glyphs each drew."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"]: f["glyphCount"] for f in fonts}


def test_phone_menu_board_charts_and_original_font(
    browser_page: Any, live_server: str, tmp_path: Path
) -> None:
    page, base = browser_page, live_server
    sign_in(page, base, "dieuphoi")
    read_sample(page, base, tmp_path)
    # The original text is drawn in a monospace face with Vietnamese letters, nothing else.
    fonts = _fonts_of(page, ".original")
    assert set(fonts) <= VIETNAMESE_MONO and fonts, fonts
    # ...named, not left to the generic "monospace" (on some Linux set-ups a face without
    # precomposed Vietnamese letters, which drew "KẾ HOẠCH" as "KÊ´HOẠCH").
    family = page.evaluate("getComputedStyle(document.querySelector('.original')).fontFamily")
    assert "monospace" not in [f.strip().strip('"') for f in family.split(",")], family
    page.fill("#campaign_title", "Nhân quyền trên điện thoại")
    page.click("#create-campaign")
    page.wait_for_selector("h1:has-text('Nhân quyền trên điện thoại')")
    board = page.url

    page.set_viewport_size(PHONE)
    page.goto(board)
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 80, header  # was 300 px of menu
    assert not page.get_by_role("link", name="Thư viện văn bản").is_visible()
    page.locator(".menu-button").click()
    assert page.get_by_role("link", name="Thư viện văn bản").is_visible()
    page.locator(".menu-button").click()
    # The board as cards: each row's total is on screen, nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first = page.locator("table.board-table tbody tr").first
    total = first.locator("td.total").bounding_box()
    assert total is not None and total["x"] + total["width"] <= PHONE["width"]
    assert (
        "Tổng" in first.locator("td.total").inner_text() or first.locator("td.total").is_visible()
    )
    page.evaluate("document.querySelector('table.board-table').scrollIntoView()")
    _shot(page, "phone-board")

    page.get_by_role("link", name="Tổng quan", include_hidden=True).first.evaluate("a => a.click()")
    page.wait_for_selector("#chart-coverage")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.chart svg text')].map(t => {
            const box = t.getBoundingClientRect();
            const scale = t.ownerSVGElement.getScreenCTM().a;
            return parseFloat(getComputedStyle(t).fontSize) * scale;
        })"""
    )
    assert sizes and min(sizes) >= 12, min(sizes)  # was about 7 px
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.evaluate("document.querySelector('#chart-heatmap').scrollIntoView()")
    _shot(page, "phone-dashboard")
