"""In a real browser: the board's reconciliation table, a count's link, the filtered list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import fresh_database, serve
from tests.web.test_browser import sign_in
from tests.web.test_ledger_pages import MADE, _seed
from trienkhai.outputs.ledger import Ledger

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def ledger_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, int]]:
    """A live server on a database holding the ledger campaign: (base, campaign, unit)."""
    path = tmp_path_factory.mktemp("ledger-live") / "live.db"
    engine, _ = fresh_database(path)
    campaign_id, busy, _ = _seed(engine)
    engine.dispose()
    for base in serve(path):
        yield base, campaign_id, busy


@pytest.fixture(scope="module")
def live_server(ledger_site: tuple[str, int, int]) -> str:
    """The browser fixture's server is the ledger one."""
    return ledger_site[0]


def test_board_count_opens_the_matching_outputs(
    browser_page: Any, ledger_site: tuple[str, int, int]
) -> None:
    page, (base, campaign_id, unit) = browser_page, ledger_site
    sign_in(page, base, "dieuphoi")
    page.goto(f"{base}/campaigns/{campaign_id}")
    table = page.locator("#ledger")
    assert table.get_by_role("heading", name="Đối chiếu kết quả").is_visible()
    assert page.inner_text(f"#ledger-{unit}-verified").strip() == "3"
    assert page.inner_text("#ledger-totals td.total").strip() == "10"
    page.locator(f"#ledger-{unit}-pending a").click()
    page.wait_for_url(f"**/search?campaign={campaign_id}&unit={unit}&ledger=pending")
    assert page.inner_text("#result-count") == str(MADE[Ledger.pending][1])
    assert page.locator("#s-ledger").input_value() == "pending"
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert all("Hệ thống phát hiện" in rows.nth(i).inner_text() for i in range(2))


def test_phone_shows_each_unit_as_a_card(
    browser_page: Any, ledger_site: tuple[str, int, int]
) -> None:
    page, (base, campaign_id, unit) = browser_page, ledger_site
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, "dieuphoi")
    page.goto(f"{base}/campaigns/{campaign_id}")
    card = page.locator(f"#ledger-unit-{unit}")
    # Each figure is named by its column (CSS ::before from data-label; innerText omits it).
    first = card.locator("td").nth(1)
    assert first.get_attribute("data-label") == "Đã xác minh" and first.inner_text() == "3"
    pending = page.locator(f"#ledger-{unit}-pending")
    assert pending.get_attribute("data-label") == "Không báo cáo, chờ xác nhận"
    assert (
        not page.locator("#ledger thead").is_visible()
        or page.locator("#ledger thead").bounding_box()["x"] < 0
    )  # type: ignore[index]
    assert card.bounding_box()["width"] <= 390  # type: ignore[index]
