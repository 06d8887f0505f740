"""The ledger on the board and dashboard, its links to the output list, the API's filters."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.factories import report_assignment, report_campaign, report_output, report_unit
from tests.web.conftest import Desk
from tests.web.test_security import bearer
from trienkhai.db import session_scope
from trienkhai.outputs.ledger import Ledger

DB = tuple[Engine, dict[str, int]]
# Outputs of the first unit: how many of each kind, by the category they count in.
MADE: dict[Ledger, tuple[dict[str, object], int]] = {
    Ledger.verified: ({"verification": "verified"}, 3),
    Ledger.moved: ({"verification": "moved"}, 1),
    Ledger.not_found: ({"verification": "not_found"}, 2),
    Ledger.unchecked: ({}, 1),
    Ledger.no_link: ({"url": "", "channel": "phat_thanh"}, 1),
    Ledger.pending: ({"source": "discovered"}, 2),
    Ledger.shared: ({"source": "discovered", "republished_from": "https://baokontum.com.vn/a"}, 1),
}


def _seed(engine: Engine) -> tuple[int, int, int]:
    """A campaign with two assigned units; the first has outputs of most categories."""
    with session_scope(engine) as session:
        campaign = report_campaign(session, title="Chiến dịch đối chiếu")
        busy = report_unit(session, name="Báo Đối Chiếu")
        idle = report_unit(session, name="Huyện Chưa Đăng")
        for unit in (busy, idle):
            report_assignment(session, campaign=campaign, unit=unit)
        for category, (fields, n) in MADE.items():
            for i in range(n):
                report_output(session, campaign=campaign, unit=busy,
                              title=f"Bài {category.value} {i}", **fields)  # fmt: skip
        report_output(session, campaign=campaign, unit=idle, verification="rejected")
        session.flush()
        return campaign.id, busy.id, idle.id


def _cell(page: str, unit: int | str, category: str) -> tuple[int, str | None]:
    """The ledger cell's count and the link it carries (None for a zero)."""
    found = re.search(rf'id="ledger-{unit}-{category}">(.*?)</td>', page, re.S)
    assert found, (unit, category)
    link = re.search(r'href="([^"]+)"', found.group(1))
    number = re.search(r"\d+", re.sub(r"<[^>]+>", " ", found.group(1)))
    assert number
    return int(number.group()), html.unescape(link.group(1)) if link else None


def _titles(page: str) -> list[str]:
    """Titles of the output list's rows."""
    body = page[page.index("<tbody") : page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return sorted(html.unescape(re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)[2]) for r in rows)


def test_board_counts_and_their_links(any_desk: Desk, any_db: DB) -> None:
    campaign_id, busy, idle = _seed(any_db[0])
    any_desk.login("dieuphoi")
    page = any_desk.get(f"/campaigns/{campaign_id}").text
    assert "Đối chiếu kết quả" in page
    for category in Ledger:
        n, link = _cell(page, busy, category.value)
        wanted = MADE.get(category, ({}, 0))[1]
        assert n == wanted, category
        assert _cell(page, idle, category.value) == (0, None)
        if not wanted:
            assert link is None
            continue
        assert link == f"/search?campaign={campaign_id}&unit={busy}&ledger={category.value}"
        listed = any_desk.get(link).text
        titles = [re.sub(r"<[^>]+>", "", t) for t in _titles(listed)]
        assert titles == [f"Bài {category.value} {i}" for i in range(wanted)], category
    assert _cell(page, "total", "verified")[0] == 3


def test_dashboard_and_english(any_desk: Desk, any_db: DB) -> None:
    campaign_id, busy, _ = _seed(any_db[0])
    any_desk.login("lanhdao")
    page = any_desk.get(f"/campaigns/{campaign_id}/dashboard").text
    assert 'id="ledger"' in page and _cell(page, busy, "pending")[0] == 2
    english = any_desk.get(f"/campaigns/{campaign_id}/dashboard?lang=en").text
    assert "Reconciliation" in english and "Published but not reported" in english


def test_api_summary_ledger_and_filters(any_desk: Desk, any_db: DB) -> None:
    campaign_id, busy, idle = _seed(any_db[0])
    client: TestClient = any_desk.client
    auth = bearer(client, "dieuphoi")
    summary = client.get(f"/api/v1/reports/campaigns/{campaign_id}/summary", headers=auth).json()
    ledger = summary["ledger"]
    assert ledger["categories"] == [c.value for c in Ledger]
    units = {u["unit_id"]: u for u in ledger["units"]}
    assert units[busy]["verified"] == 3 and units[busy]["shared"] == 1
    assert units[busy]["originals"] == 10 and units[idle]["total"] == 0
    assert units[idle]["assigned"] is True and ledger["totals"]["unit_id"] is None
    assert ledger["totals"]["total"] == 11

    def listed(**params: str) -> list[str]:
        query = {"campaign_id": str(campaign_id), **params}
        got = client.get("/api/v1/outputs", params=query, headers=auth)
        assert got.status_code == 200, got.text
        return sorted(o["title"] for o in got.json())

    assert listed(ledger="not_found") == ["Bài not_found 0", "Bài not_found 1"]
    assert listed(source="discovered", verification="unverified") == [
        "Bài pending 0", "Bài pending 1", "Bài shared 0",
    ]  # fmt: skip
    assert len(listed(verification="rejected")) == 1  # not in the ledger, still listed
    for field, value in (("ledger", "lost"), ("source", "rumour"), ("verification", "ok")):
        bad = client.get("/api/v1/outputs", params={field: value}, headers=auth)
        assert bad.status_code == 422, field
        assert bad.json()["detail"].startswith(f"{field}: "), bad.text


def test_bad_ledger_filter_on_the_web_list(any_desk: Desk, any_db: DB) -> None:
    _seed(any_db[0])
    any_desk.login("dieuphoi")
    page = any_desk.get("/search?ledger=lost")
    assert page.status_code == 422
    assert "ledger: giá trị" in html.unescape(page.text) and "lost" in page.text


def test_export_follows_the_ledger_filter(any_desk: Desk, any_db: DB) -> None:
    campaign_id, _, _ = _seed(any_db[0])
    client: TestClient = any_desk.client
    auth = bearer(client, "dieuphoi")
    query = {"campaign_id": str(campaign_id), "ledger": "not_found", "format": "csv"}
    got = client.get("/api/v1/outputs/export", params=query, headers=auth)
    assert got.status_code == 200
    lines = got.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + MADE[Ledger.not_found][1]
    assert all("Bài not_found" in line for line in lines[1:])
    bad = client.get("/api/v1/outputs/export", params={**query, "ledger": "x"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("ledger: ")


def test_unit_page_shows_its_own_line(any_desk: Desk, any_db: DB) -> None:
    campaign_id, busy, idle = _seed(any_db[0])
    any_desk.login("dieuphoi")
    page = any_desk.get(f"/units/{busy}?campaign={campaign_id}").text
    for category in Ledger:
        row = re.search(rf'id="unit-ledger-{category.value}">(.*?)</tr>', page, re.S)
        assert row, category
        wanted = MADE.get(category, ({}, 0))[1]
        assert re.search(rf">{wanted}<", row.group(1)) or (not wanted and "0</td>" in row.group(1))
    link = f"/search?campaign={campaign_id}&amp;unit={busy}&amp;ledger=shared"
    assert link in page
    assert 'id="unit-ledger"' not in any_desk.get(f"/units/{idle}?campaign={campaign_id}").text
