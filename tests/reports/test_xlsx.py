"""Annexes workbook and CSV helper: real files reopened, figures equal to the database."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from xlsxwriter import Workbook

from tests.factories import realistic_campaign, report_output
from trienkhai.campaigns.models import Theme
from trienkhai.outputs.channels import channel_label
from trienkhai.outputs.models import Output, output_themes
from trienkhai.reports.csv_export import neutralise, to_csv_bytes
from trienkhai.reports.xlsx import (
    MAX_HYPERLINKS,
    MAX_URL_LENGTH,
    WORKBOOK_OPTIONS,
    Formats,
    _link,
    campaign_xlsx,
)
from trienkhai.units.models import Unit

TODAY = date(2024, 8, 20)


def test_sheets_layout_and_counts(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    wb = openpyxl.load_workbook(
        io.BytesIO(campaign_xlsx(session=session, campaign_id=campaign.id, today=TODAY))
    )
    assert wb.sheetnames == ["Tổng hợp", "Danh sách", "Chậm tiến độ", "Đối chiếu"]
    for ws in wb:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws["A1"].font.bold
    summary = wb["Tổng hợp"]
    theme_ids = {
        t.code: t.id for t in session.scalars(select(Theme).where(Theme.campaign_id == campaign.id))
    }
    labels = {
        channel_label(c): c
        for c in ("bao_dien_tu", "phat_thanh", "truyen_hinh", "cong_ttdt", "facebook")
    }
    checked = 0
    rows_read = summary.iter_rows(min_row=2, values_only=True)
    for code, _name, theme, channel, n, confirmed, suggested in rows_read:
        # "Tin bài số n" reaches no theme: every themed count here is a confirmed one
        assert (confirmed, suggested) == ((n, 0) if theme in theme_ids else (None, None))
        unit_id = session.scalar(select(Unit.id).where(Unit.code == code))
        stmt = (
            select(func.count())
            .select_from(Output)
            .where(
                Output.campaign_id == campaign.id,
                Output.unit_id == unit_id,
                Output.channel == labels[channel],
            )
        )
        if theme in theme_ids:
            stmt = stmt.join(output_themes, output_themes.c.output_id == Output.id).where(
                output_themes.c.theme_id == theme_ids[theme]
            )
        else:
            stmt = stmt.where(~Output.themes.any())
        assert session.scalar(stmt) == n, (code, theme, channel)
        checked += 1
    assert checked > 50
    listing = wb["Danh sách"]
    rows = list(listing.iter_rows(min_row=2))
    assert len(rows) == 310
    first = rows[0]
    assert first[4].hyperlink is not None and first[4].hyperlink.target.startswith("https://")
    assert first[7].is_date
    late = wb["Chậm tiến độ"]
    late_codes = {r[0] for r in late.iter_rows(min_row=2, values_only=True)}
    assert "RP12" in late_codes


def test_formula_injection_neutralised(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    unit = session.scalars(select(Unit).where(Unit.code == "RP01")).one()
    report_output(session, campaign=campaign, unit=unit, title='=HYPERLINK("http://evil")')
    session.flush()
    wb = openpyxl.load_workbook(
        io.BytesIO(campaign_xlsx(session=session, campaign_id=campaign.id, today=TODAY))
    )
    titles = [r[3] for r in wb["Danh sách"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in titles
    assert not any(isinstance(t, str) and t.startswith("=") for t in titles)


def test_csv_bytes() -> None:
    data = to_csv_bytes(["Tên", "Số"], [["=1+1", 3], ["Đài PT-TH", None], ["-x", "@y"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["Tên", "Số"], ["'=1+1", "3"], ["Đài PT-TH", ""], ["'-x", "'@y"]]
    assert neutralise(5) == 5


def test_links_past_excel_limits_stay_text() -> None:
    buffer = io.BytesIO()
    wb = Workbook(buffer, dict(WORKBOOK_OPTIONS))
    fmt = Formats(wb)
    ws = wb.add_worksheet("x")
    long_url = "https://example.org/" + "a" * MAX_URL_LENGTH
    _link(ws, fmt, 1, 0, "https://example.org/1")
    _link(ws, fmt, 2, 0, long_url)
    _link(ws, fmt, 3, 0, "=cmd|' /C calc'!A0")
    _link(ws, fmt, MAX_HYPERLINKS + 1, 0, "https://example.org/last")
    wb.close()
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["x"]
    assert sheet["A2"].hyperlink.target == "https://example.org/1"
    assert sheet["A3"].hyperlink is None and sheet["A3"].value == long_url
    assert sheet["A4"].hyperlink is None and sheet["A4"].value == "'=cmd|' /C calc'!A0"
    last = sheet.cell(row=MAX_HYPERLINKS + 2, column=1)
    assert last.hyperlink is None and last.value == "https://example.org/last"
