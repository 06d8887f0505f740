"""Issue 8: the dashboard's figures are the report's, its labels whole, its menu link kept."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, date, datetime, timedelta

import docx
from sqlalchemy import Engine

from tests.factories import (
    realistic_campaign,
    report_assignment,
    report_campaign,
    report_output,
    report_unit,
)
from tests.web.conftest import Desk
from trienkhai.db import session_scope
from trienkhai.reports import context, service
from trienkhai.web import svg

DB = tuple[Engine, dict[str, int]]


def _cells(page: str, marker: str) -> tuple[list[str], list[list[str]]]:
    """Header and body cells of the first table after the marker."""
    start = page.index(marker)
    table = page[page.index("<table", start) : page.index("</table>", start)]

    def text(cell: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())

    header = [text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    body = table[table.index("<tbody") :]
    rows = [
        [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    return header, rows


def _seed(engine: Engine) -> int:
    """The realistic campaign plus one output of the issuer itself (a unit with no assignment)."""
    with session_scope(engine) as session:
        campaign = realistic_campaign(session)
        issuer = report_unit(session, code="STTTT-RP", name="Sở Thông tin và Truyền thông")
        report_output(session, campaign=campaign, unit=issuer, themes=[campaign.themes[0]])
        soon = report_unit(session, code="RP-SOON", name="Đơn vị sắp đến hạn")
        due = service.local_today() + timedelta(days=2)
        report_assignment(session, campaign=campaign, unit=soon, deadline=due)
        session.flush()
        return campaign.id


def test_every_dashboard_figure_equals_the_report(desk: Desk, web_db: DB) -> None:
    campaign_id = _seed(web_db[0])
    desk.login("dieuphoi")
    page = desk.get(f"/campaigns/{campaign_id}/dashboard").text
    with session_scope(web_db[0]) as session:
        summary = service.campaign_summary(session=session, campaign_id=campaign_id)
        body = context.campaign_body(summary, None, context.ReportOptions())
    total = int(re.search(r'<b id="total-outputs">(\d+)</b>', page).group(1))  # type: ignore[union-attr]
    assert total == body["total"] == 311
    header, rows = _cells(page, 'id="chart-heatmap"')
    codes = body["theme_codes"]
    assert header[1 : 1 + len(codes)] == codes
    # The heat map has the report's units, the issuer's own output included (T1 8, not 7).
    assert [r[0] for r in rows] == [u["name"] for u in body["unit_rows"]]
    assert "Sở Thông tin và Truyền thông" in [r[0] for r in rows]
    for j, code in enumerate(codes, 1):
        assert sum(int(r[j]) for r in rows) == body["theme_totals"][j - 1], code
    assert [int(r[-1]) for r in rows] == [u["total"] for u in body["unit_rows"]]
    # "Chậm": the report's list, each with its reason in words, and no bare numbers.
    _h, late = _cells(page, 'id="chart-laggards"')
    assert [f"- {r[0]}:" for r in late] == [
        line.split(":")[0] + ":" for line in body["laggard_lines"]
    ]
    assert all(r[2].startswith("Quá hạn") and "chưa báo cáo" in r[2] for r in late)
    late_count = re.search(r'<b id="units-late">(\d+)</b>', page).group(1)  # type: ignore[union-attr]
    assert int(late_count) == len(late) == len(summary.laggards)
    _h, risky = _cells(page, 'id="chart-at_risk"')
    assert risky == [["Đơn vị sắp đến hạn", risky[0][1], risky[0][2]]]
    assert risky[0][2].startswith("Còn 2 ngày đến hạn")
    # The Word report prints the same total.
    report = desk.get(f"/campaigns/{campaign_id}/report.docx").content
    texts = [p.text for p in docx.Document(io.BytesIO(report)).paragraphs]
    assert any(f"đã đăng, phát: {total} " in t for t in texts)


def test_labels_keep_their_first_letters() -> None:
    names = ["Ủy ban nhân dân huyện Ngọc Hồi, tỉnh Kon Tum", "Báo Kon Tum"]
    chart = str(svg.bar_chart([(names[0], 3), (names[1], 5)], "x"))
    for text in re.findall(r'<text text-anchor="end">(.*?)</text>', chart):
        spans = re.findall(r'<tspan x="([\d.]+)" y="[\d.]+">(.*?)</tspan>', text)
        for x, line in spans:  # right-aligned at x: it must start inside the drawing
            assert float(x) - svg.text_width(html.unescape(line)) >= 0
    assert "Ủy ban nhân dân huyện Ngọc" in chart and "Hồi, tỉnh Kon Tum" in chart
    heat = str(svg.heatmap([names[0]], ["T1"], [[1]], "x"))
    x = float(re.search(r'<tspan x="([\d.]+)"', heat).group(1))  # type: ignore[union-attr]
    assert x - svg.text_width("Ủy ban nhân dân huyện Ngọc") >= 0


def test_timeline_axis_reads_day_and_month(desk: Desk, web_db: DB) -> None:
    with session_scope(web_db[0]) as session:
        campaign = report_campaign(session, themes=1)
        unit = report_unit(session)
        report_assignment(session, campaign=campaign, unit=unit)
        for week in range(3):
            at = datetime(2026, 7, 6, 3, tzinfo=UTC) + timedelta(weeks=week)
            report_output(session, campaign=campaign, unit=unit, published_at=at)
        campaign_id = campaign.id
    desk.login("dieuphoi")
    page = desk.get(f"/campaigns/{campaign_id}/dashboard").text
    chart = page[
        page.index('id="chart-timeline"') : page.index("</svg>", page.index('id="chart-timeline"'))
    ]
    ticks = re.findall(r'text-anchor="middle"\s*>([^<]+)</text>', chart)
    assert ticks == ["06/07", "13/07", "20/07"]
    assert "026" not in ticks


def test_menu_opens_the_campaign_the_user_is_in(desk: Desk, web_db: DB) -> None:
    with session_scope(web_db[0]) as session:
        older = report_campaign(session, title="Chiến dịch cũ", themes=1).id
        report_campaign(session, title="Chiến dịch mới", themes=1)
    desk.login("dieuphoi")
    assert desk.get("/dashboard").url.path != f"/campaigns/{older}/dashboard"  # the newest
    page = desk.get(f"/campaigns/{older}/dashboard").text
    assert f'href="/campaigns/{older}/dashboard"' in page  # the menu link names this campaign
    assert desk.get("/dashboard").url.path == f"/campaigns/{older}/dashboard"
    board = desk.get(f"/campaigns/{older}").text
    assert f'href="/campaigns/{older}/dashboard"' in board
    # The campaign picker is a plain GET form (no inline script under a strict CSP).
    assert "onsubmit" not in page
    assert desk.get(f"/dashboard?c={older}").url.path == f"/campaigns/{older}/dashboard"


def test_report_settings_form(desk: Desk, web_db: DB) -> None:
    with session_scope(web_db[0]) as session:
        campaign_id = report_campaign(session, themes=1).id
    desk.login("dieuphoi")
    page = desk.get(f"/campaigns/{campaign_id}/dashboard").text
    assert 'id="report-settings"' in page
    form = {"number": "15", "noi_nhan": "UBND tỉnh (để báo cáo)\nBộ TT&TT\nLưu: VT, TTBCXB"}
    saved = desk.post(f"/campaigns/{campaign_id}/report-settings", form)
    assert saved.status_code == 200 and "Đã lưu thông tin báo cáo." in saved.text
    assert saved.url.path == f"/campaigns/{campaign_id}/dashboard"
    assert "Bộ TT&amp;TT" in saved.text
    data = desk.get(f"/campaigns/{campaign_id}/report.docx").content
    doc = docx.Document(io.BytesIO(data))
    cells = [p.text for t in doc.tables for c in t._cells for p in c.paragraphs]
    assert any(t.startswith("Số: 15/BC-") for t in cells)
    assert "- Bộ TT&TT;" in cells and "- Lưu: VT, TTBCXB." in cells
    bad = desk.post(f"/campaigns/{campaign_id}/report-settings", {"number": "15/BC"})
    assert bad.status_code == 422 and "Số báo cáo" in bad.text
    desk.login("lanhdao")
    page = desk.get(f"/campaigns/{campaign_id}/dashboard").text
    assert 'id="report-settings"' not in page
    refused = desk.post(f"/campaigns/{campaign_id}/report-settings", {"number": "1"})
    assert refused.status_code == 403


def test_late_is_not_listed_before_the_deadline(desk: Desk, web_db: DB) -> None:
    with session_scope(web_db[0]) as session:
        campaign = report_campaign(session, themes=2)
        for i in range(5):
            unit = report_unit(session)
            due = service.local_today() + timedelta(days=6)
            report_assignment(session, campaign=campaign, unit=unit, deadline=due)
            if i:
                report_output(session, campaign=campaign, unit=unit, themes=[campaign.themes[0]])
        campaign_id = campaign.id
    desk.login("dieuphoi")
    page = desk.get(f"/campaigns/{campaign_id}/dashboard").text
    assert '<b id="units-late">0</b>' in page
    assert "Không có đơn vị nào." in page[page.index('id="chart-laggards"') :]
    assert date.today().year >= 2026
