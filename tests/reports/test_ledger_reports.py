"""The report's section 'Đối chiếu kết quả' and the annexes' sheet 'Đối chiếu', read back."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
from docx.oxml.ns import qn
from sqlalchemy.orm import Session

from tests.factories import report_assignment, report_campaign, report_output, report_unit
from trienkhai.campaigns.models import Campaign
from trienkhai.reports.docx import campaign_docx
from trienkhai.reports.ledger_report import COLUMNS, UNIT_HEADER
from trienkhai.reports.xlsx import campaign_xlsx

TODAY = date(2024, 8, 1)
HEADER = ["STT", UNIT_HEADER, *(label for _, label in COLUMNS)]


def _campaign(session: Session) -> Campaign:
    """Two units: a paper with verified, gone and found outputs; a district that shares one."""
    campaign = report_campaign(session)
    paper = report_unit(session, name="Báo Kon Tum")
    district = report_unit(session, name="UBND huyện Đăk Hà")
    for unit in (paper, district):
        report_assignment(session, campaign=campaign, unit=unit)
    original = report_output(session, campaign=campaign, unit=paper, verification="verified")
    report_output(session, campaign=campaign, unit=paper, verification="verified")
    report_output(session, campaign=campaign, unit=paper, verification="removed")
    report_output(session, campaign=campaign, unit=paper, source="discovered")
    report_output(session, campaign=campaign, unit=district, url="", channel="truyen_thanh")
    report_output(session, campaign=campaign, unit=district, source="discovered",
                  republished_from=original.url)  # fmt: skip
    session.flush()
    return campaign


def test_docx_section_with_a_repeating_header(session: Session) -> None:
    campaign = _campaign(session)
    document = docx.Document(io.BytesIO(campaign_docx(session=session, campaign_id=campaign.id,
                                                       today=TODAY)))  # fmt: skip
    texts = [p.text for p in document.paragraphs]
    heading = texts.index("7. Đối chiếu kết quả")
    lines = " ".join(texts[heading + 1 : heading + 3])
    assert "Các đơn vị báo cáo 4 sản phẩm" in lines and "đã xác minh 2" in lines
    assert "không tìm thấy 1 (trong đó 1 sản phẩm bị gỡ sau khi đã xác minh" in lines
    assert "1 bản chia sẻ lại" in lines
    table = next(t for t in document.tables if t.rows[0].cells[1].text == UNIT_HEADER)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == HEADER
    assert rows[1:] == [
        ["1", "Báo Kon Tum", "2", "0", "1", "0", "0", "0", "1", "0"],
        ["2", "UBND huyện Đăk Hà", "0", "0", "0", "0", "1", "0", "0", "1"],
        ["", "Tổng cộng", "2", "0", "1", "0", "1", "0", "1", "1"],
    ]
    first = table.rows[0]._tr.trPr
    assert first is not None and first.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
               for row in table.rows[1:])  # fmt: skip


def test_xlsx_sheet(session: Session) -> None:
    campaign = _campaign(session)
    book = openpyxl.load_workbook(io.BytesIO(campaign_xlsx(session=session, campaign_id=campaign.id,
                                                          today=TODAY)))  # fmt: skip
    sheet = book["Đối chiếu"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][2:10] == [label for _, label in COLUMNS]
    assert rows[0][10:] == ["Trong đó gỡ sau khi xác minh", "Sản phẩm gốc", "Tổng số"]
    by_name = {r[1]: r[2:] for r in rows[1:]}
    assert by_name["Báo Kon Tum"] == [2, 0, 1, 0, 0, 0, 1, 0, 1, 4, 4]
    assert by_name["UBND huyện Đăk Hà"] == [0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 2]
    assert by_name["Tổng cộng"] == [2, 0, 1, 0, 1, 0, 1, 1, 1, 5, 6]
    assert sheet.freeze_panes == "A2"
