"""Downloads from the desk: reports, annexes, calendars, and the CSV of every table view."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from urllib.parse import urlsplit

import docx
import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.web.conftest import Desk
from tests.web.helpers import GOOD_ROWS, open_campaign, outputs_xlsx
from trienkhai.outputs.ledger import LEDGER_VALUES
from trienkhai.settings import get_settings
from trienkhai.web.app import create_app
from trienkhai.web.i18n import translate

DB = tuple[Engine, dict[str, int]]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A title a spreadsheet would run as a formula (imports refuse it; the add form and the crawler
# do not): the CSV must neutralise it.
FORMULA = '=HYPERLINK("http://x")'


def _campaign_with_outputs(desk: Desk, ids: dict[str, int]) -> int:
    """The coordinator opens the sample campaign; Báo Kon Tum gets four outputs."""
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    unit = ids["bao-kon-tum"]
    desk.get(f"/units/{unit}?campaign={campaign_id}")
    upload = {"file": ("kq.xlsx", outputs_xlsx(GOOD_ROWS), XLSX)}
    stored = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    assert "Đã lưu 3 sản phẩm" in stored.text
    form = {"campaign_id": campaign_id, "title": FORMULA, "channel": "bao_in",
            "published": "2024-07-16", "themes": ["T1"]}  # fmt: skip
    assert desk.post(f"/units/{unit}/outputs", form).status_code == 200
    return campaign_id


def _text(cell: str) -> str:
    """A table cell's text without tags, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def _table(page: str, marker: str) -> tuple[list[str], int]:
    """The header cells and the number of body rows of the first table after the marker."""
    start = page.index(marker)
    table = page[page.index("<table", start) : page.index("</table>", start)]
    header = [_text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    body = table[table.index("<tbody") :]
    return header, body.count("<tr")


def _csv(response: httpx.Response) -> list[list[str]]:
    """A CSV download's rows, after checking its type and BOM."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _href(page: str, link_id: str) -> str:
    """The href of the link with the id."""
    found = re.search(rf'<a href="([^"]+)"[^>]*id="{link_id}"', page)
    assert found, f"no link #{link_id}"
    return html.unescape(found.group(1))


def test_board_offers_the_reports_and_they_open(desk: Desk, web_db: DB) -> None:
    campaign_id = _campaign_with_outputs(desk, web_db[1])
    board = desk.get(f"/campaigns/{campaign_id}").text
    assert "Báo cáo kết quả (.docx)" in board and "Phụ lục số liệu (.xlsx)" in board
    assert 'data-download data-busy="Đang tạo…"' in board

    report = desk.client.get(_href(board, "dl-report-docx"))
    assert report.status_code == 200
    assert report.headers["content-type"] == DOCX
    assert 'filename="bao-cao-chien-dich-' in report.headers["content-disposition"]
    document = docx.Document(io.BytesIO(report.content))
    issuer = [p.text for p in document.tables[0].cell(0, 0).paragraphs if p.text]
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in issuer

    annexes = desk.client.get(_href(board, "dl-report-xlsx"))
    assert annexes.status_code == 200
    assert annexes.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(annexes.content), read_only=True)
    assert book.sheetnames == ["Tổng hợp", "Danh sách", "Chậm tiến độ", "Đối chiếu"]
    assert desk.client.get(f"/campaigns/{campaign_id}/report.odt").status_code == 404


def test_download_answer_carries_the_token_that_ends_the_progress(desk: Desk) -> None:
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    done = desk.client.get(f"/campaigns/{campaign_id}/report.docx?dl=abc123")
    assert "trienkhai_download=abc123" in done.headers["set-cookie"]
    plain = desk.client.get(f"/campaigns/{campaign_id}/assignments.csv?dl=<script>")
    assert "trienkhai_download" not in plain.headers.get("set-cookie", "")


def test_calendar_link_works_without_signing_in(desk: Desk, web_db: DB) -> None:
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    board = desk.get(f"/campaigns/{campaign_id}").text
    found = re.search(r'id="ics-campaign"[^>]*value="([^"]+)"', board)
    assert found
    url = urlsplit(html.unescape(found.group(1)))
    assert url.path == f"/api/v1/reports/campaigns/{campaign_id}/deadlines.ics"
    with TestClient(create_app(web_db[0])) as anonymous:
        feed = anonymous.get(f"{url.path}?{url.query}")
        assert feed.status_code == 200
        assert feed.headers["content-type"].startswith("text/calendar")
        assert b"BEGIN:VCALENDAR" in feed.content
        assert anonymous.get(url.path).status_code == 401


def test_pdf_without_libreoffice_is_a_vietnamese_503_page(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    monkeypatch.setenv("TRIENKHAI_SOFFICE_PATH", "khong-co-soffice")
    get_settings.cache_clear()
    try:
        response = desk.client.get(f"/campaigns/{campaign_id}/report.pdf")
    finally:
        get_settings.cache_clear()
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "Chưa tạo được tệp PDF" in response.text
    assert "khong-co-soffice" in response.text and "libreoffice-writer" in response.text
    assert "Traceback" not in response.text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_pdf_of_the_campaign_and_unit_reports(desk: Desk, web_db: DB) -> None:
    ids = web_db[1]
    campaign_id = _campaign_with_outputs(desk, ids)
    for url in (
        f"/campaigns/{campaign_id}/report.pdf",
        f"/campaigns/{campaign_id}/units/{ids['bao-kon-tum']}/report.pdf",
    ):
        response = desk.client.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_unit_editor_gets_own_report_and_csv_but_not_another_units(desk: Desk, web_db: DB) -> None:
    ids = web_db[1]
    campaign_id = _campaign_with_outputs(desk, ids)
    own, other = ids["bao-kon-tum"], ids["h-dak-ha"]
    desk.login("baokontum")
    page = desk.get(f"/units/{own}?campaign={campaign_id}").text
    assert "Báo cáo của đơn vị" in page
    report = desk.client.get(_href(page, "dl-unit-docx"))
    assert report.status_code == 200
    assert report.headers["content-type"] == DOCX
    document = docx.Document(io.BytesIO(report.content))
    assert any("BÁO KON TUM" in p.text.upper() for p in document.tables[0].cell(0, 0).paragraphs)
    assert re.search(r'id="ics-unit"[^>]*value="[^"]*/units/\d+/deadlines\.ics\?token=', page)
    for url in (
        f"/campaigns/{campaign_id}/units/{other}/report.docx",
        f"/campaigns/{campaign_id}/units/{other}/report.pdf",
        f"/units/{other}/outputs.csv?campaign={campaign_id}",
    ):
        denied = desk.client.get(url)
        assert denied.status_code == 403, url
        assert "Chỉ được thao tác trên đơn vị của mình" in denied.text
    assert desk.client.get(f"/campaigns/{campaign_id}/report.docx").status_code == 403
    assert desk.client.get(f"/campaigns/{campaign_id}/assignments.csv").status_code == 403


def test_leader_downloads_but_cannot_change_anything(desk: Desk, web_db: DB) -> None:
    ids = web_db[1]
    campaign_id = _campaign_with_outputs(desk, ids)
    desk.login("lanhdao")
    board = desk.get(f"/campaigns/{campaign_id}").text
    assert "Báo cáo kết quả (.docx)" in board
    for link in ("dl-report-docx", "dl-report-xlsx", "csv-assignments"):
        assert desk.client.get(_href(board, link)).status_code == 200, link
    unit = ids["bao-kon-tum"]
    page = desk.get(f"/units/{unit}?campaign={campaign_id}").text
    assert desk.client.get(_href(page, "dl-unit-docx")).status_code == 200
    assert desk.post(f"/campaigns/{campaign_id}/reminders").status_code == 403
    added = desk.post(f"/units/{unit}/outputs", {"campaign_id": campaign_id, "title": "X",
                      "channel": "bao_in", "published": "2024-07-20"})  # fmt: skip
    assert added.status_code == 403


def test_board_csv_follows_the_filters_and_matches_the_table(desk: Desk, web_db: DB) -> None:
    campaign_id = _campaign_with_outputs(desk, web_db[1])
    for query in ("", "?state=assigned&theme=T2", "?state=in_progress"):
        board = desk.get(f"/campaigns/{campaign_id}{query}").text
        if "csv-assignments" not in board:  # no row left: no table, no link
            assert translate("board.empty") in board
            continue
        header, count = _table(board, "<h2>Nhiệm vụ theo đơn vị</h2>")
        rows = _csv(desk.client.get(_href(board, "csv-assignments")))
        # The board's table, then the unit's reconciliation counts (the ledger table's).
        assert rows[0][: len(header)] == header
        assert rows[0][len(header) :] == [
            f"Đối chiếu: {translate(f'ledger.{c}')}" for c in LEDGER_VALUES
        ]
        assert len(rows) - 1 == count
    filtered = _csv(desk.client.get(f"/campaigns/{campaign_id}/assignments.csv?theme=T2"))
    assert filtered[0][:5] == ["Đơn vị", "Trạng thái", "Hạn", "T2", "Tổng"]
    kon_tum = next(r for r in filtered if r[0] == "Báo Kon Tum")
    assert kon_tum[3:5] == ["1", "4"]
    assert sum(int(n) for n in kon_tum[5:]) == 4  # every output falls in one category


def test_unit_outputs_csv_matches_the_table_and_neutralises_formulas(
    desk: Desk, web_db: DB
) -> None:
    ids = web_db[1]
    campaign_id = _campaign_with_outputs(desk, ids)
    desk.login("baokontum")
    page = desk.get(f"/units/{ids['bao-kon-tum']}?campaign={campaign_id}").text
    header, count = _table(page, 'id="logged-h"')
    assert header[-1] == "Thao tác"  # the edit/remove buttons: no data, no CSV column
    rows = _csv(desk.client.get(_href(page, "csv-outputs")))
    assert rows[0] == [*header[:-1], "Đường dẫn"]  # the title links on the page: link is a column
    assert len(rows) - 1 == count == 4
    titles = [r[1] for r in rows[1:]]
    assert "'" + FORMULA in titles
    assert "https://baokontum.com.vn/a1" in [r[-1] for r in rows[1:]]


def test_search_csv_matches_the_results(desk: Desk, web_db: DB) -> None:
    _campaign_with_outputs(desk, web_db[1])
    page = desk.get("/search?q=quyen&channel=bao_dien_tu").text
    header, count = _table(page, 'id="result-count"')
    rows = _csv(desk.client.get(_href(page, "csv-search")))
    assert rows[0] == [*header, "Đường dẫn"]
    assert len(rows) - 1 == count == 2
    assert {r[1] for r in rows[1:]} == {"Báo Kon Tum"}


@pytest.mark.parametrize("chart", ["heatmap", "coverage"])
def test_dashboard_csv_matches_the_chart_table(desk: Desk, web_db: DB, chart: str) -> None:
    campaign_id = _campaign_with_outputs(desk, web_db[1])
    dashboard = desk.get(f"/campaigns/{campaign_id}/dashboard").text
    assert "Báo cáo kết quả (.docx)" in dashboard  # the reports card is on the dashboard too
    header, count = _table(dashboard, f'id="chart-{chart}"')
    rows = _csv(desk.client.get(_href(dashboard, f"csv-{chart}")))
    assert rows[0] == header
    assert len(rows) - 1 == count > 0
