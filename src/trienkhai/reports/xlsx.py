"""Annexes workbook: totals per unit × theme × channel, the full list, late assignments."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from trienkhai.outputs import ledger
from trienkhai.outputs.channels import channel_label, form_label
from trienkhai.outputs.ledger import CampaignLedger
from trienkhai.reports import service
from trienkhai.reports.context import STATE_LABELS, VERIFICATION_LABELS, laggard_reason
from trienkhai.reports.csv_export import neutralise
from trienkhai.reports.ledger_report import COLUMNS as LEDGER_COLUMNS
from trienkhai.reports.service import CampaignSummary, OutputRow

# Excel refuses more hyperlinks than this in one sheet; later URLs stay as plain text.
MAX_HYPERLINKS = 65_530
# Excel ignores a link longer than this; XlsxWriter would then write nothing at all.
MAX_URL_LENGTH = 2_079
DATE_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "DD/MM/YYYY HH:MM"
SOURCE_LABELS = {"reported": "Đơn vị báo cáo", "discovered": "Hệ thống phát hiện"}
# Every cell is written with an explicit type, so no text is ever turned into a formula,
# a number or a link behind our back.
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # rows are streamed to disk as they are written
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


class Formats:
    """The few cell formats of the workbook, made once."""

    def __init__(self, wb: Workbook) -> None:
        """Bold header, date, and blue underlined link."""
        self.bold: Format = wb.add_format({"bold": True})
        self.date: Format = wb.add_format({"num_format": DATE_FORMAT})
        self.time: Format = wb.add_format({"num_format": TIME_FORMAT})
        self.link: Format = wb.add_format({"font_color": "#0563C1", "underline": 1})


def _header(ws: Worksheet, fmt: Formats, titles: Sequence[str], widths: Sequence[float]) -> None:
    """Bold header row, frozen, with column widths."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    for col, title in enumerate(titles):
        ws.write_string(0, col, title, fmt.bold)


def _finish(ws: Worksheet, columns: int, rows: int) -> None:
    """Auto-filter over the header and data rows."""
    ws.autofilter(0, 0, max(rows, 1), columns - 1)


def _text(ws: Worksheet, row: int, col: int, value: str | None) -> None:
    """A text cell, neutralised against formula injection."""
    ws.write_string(row, col, neutralise(value or ""))


def summary_sheet(wb: Workbook, fmt: Formats, summary: CampaignSummary) -> None:
    """'Tổng hợp': one row per unit × theme × channel with its count."""
    ws = wb.add_worksheet("Tổng hợp")
    titles = ["Mã đơn vị", "Đơn vị", "Nội dung", "Kênh", "Số tin, bài"]
    titles += ["Trong đó đã xác nhận", "Trong đó do máy gợi ý trên ngưỡng"]
    _header(ws, fmt, titles, [14, 40, 10, 30, 12, 14, 16])
    units = {u.unit_id: u for u in summary.units}
    rows = sorted(summary.cells, key=lambda c: (units[c[0]].code, c[1], c[2]))
    for r, (unit_id, theme, channel, n) in enumerate(rows, 1):
        unit = units[unit_id]
        for col, text in enumerate(
            (unit.code, unit.name, theme or "(chưa gắn)", channel_label(channel))
        ):
            _text(ws, r, col, text)
        ws.write_number(r, 4, n)
        machine = summary.suggested_cells.get((unit_id, theme, channel), 0)
        if theme:  # the untagged line has no confirmed/suggested split
            ws.write_number(r, 5, n - machine)
            ws.write_number(r, 6, machine)
    _finish(ws, len(titles), len(rows))


def _link(ws: Worksheet, fmt: Formats, r: int, col: int, url: str) -> None:
    """The URL as a clickable hyperlink (plain text past Excel's limits)."""
    linkable = url.startswith(("http://", "https://")) and len(url) <= MAX_URL_LENGTH
    if r > MAX_HYPERLINKS or not linkable:
        _text(ws, r, col, url)
    else:
        ws.write_url(r, col, url, fmt.link, url)


class Labels(dict[str, str]):
    """A label table that computes each missing label once (100,000 rows share a few dozen)."""

    def __init__(self, label: Callable[[str], str]) -> None:
        """Labels made by `label`."""
        super().__init__()
        self.label = label

    def __missing__(self, key: str) -> str:
        """Compute, neutralise and remember."""
        value = self[key] = str(neutralise(self.label(key)))
        return value


def _list_row(ws: Worksheet, fmt: Formats, r: int, row: OutputRow, labels: list[Labels]) -> None:
    """One output: STT, unit, title, link, channel, form, date, themes, verification, source."""
    channels, forms, verifications, sources = labels
    ws.write_number(r, 0, r)
    _text(ws, r, 1, row.unit_code)
    _text(ws, r, 2, row.unit_name)
    _text(ws, r, 3, row.title)
    _link(ws, fmt, r, 4, row.url)
    ws.write_string(r, 5, channels[row.channel])
    ws.write_string(r, 6, forms[row.form])
    ws.write_datetime(r, 7, row.published, fmt.time)
    _text(ws, r, 8, ", ".join(row.themes))
    ws.write_string(r, 9, verifications[row.verification])
    ws.write_string(r, 10, sources[row.source])
    if row.suggested:  # most rows have none: an empty cell is not written at all
        _text(ws, r, 11, ", ".join(row.suggested))


def list_sheet(wb: Workbook, fmt: Formats, session: Session, campaign_id: int) -> None:
    """'Danh sách': every output with its link, channel, form, date and verification."""
    ws = wb.add_worksheet("Danh sách")
    titles = ["STT", "Mã đơn vị", "Đơn vị", "Tiêu đề", "Đường dẫn", "Kênh", "Hình thức"]
    titles += ["Thời điểm đăng", "Nội dung", "Xác minh", "Nguồn ghi nhận"]
    titles += ["Nội dung do máy gợi ý (trên ngưỡng, chưa xác nhận)"]
    _header(ws, fmt, titles, [7, 14, 32, 60, 45, 24, 14, 17, 12, 16, 20, 22])
    labels = [
        Labels(channel_label),
        Labels(form_label),
        Labels(lambda v: VERIFICATION_LABELS.get(v, v)),
        Labels(lambda v: SOURCE_LABELS.get(v, v)),
    ]
    r = 0
    for r, row in enumerate(service.iter_outputs(session=session, campaign_id=campaign_id), 1):
        _list_row(ws, fmt, r, row, labels)
    _finish(ws, len(titles), r)


def late_sheet(wb: Workbook, fmt: Formats, summary: CampaignSummary) -> None:
    """'Chậm tiến độ': units past their deadline that have not reported, with the reason."""
    ws = wb.add_worksheet("Chậm tiến độ")
    titles = ["Mã đơn vị", "Đơn vị", "Hạn", "Số ngày quá hạn", "Trạng thái", "Nội dung chưa có"]
    titles.append("Lý do")
    _header(ws, fmt, titles, [14, 40, 12, 16, 18, 22, 60])
    states = {u.unit_id: u.effective_state for u in summary.units}
    for r, lag in enumerate(summary.laggards, 1):
        _text(ws, r, 0, lag.code)
        _text(ws, r, 1, lag.name)
        if lag.deadline is not None:
            ws.write_datetime(r, 2, lag.deadline, fmt.date)
        ws.write_number(r, 3, lag.overdue_days or 0)
        state = states.get(lag.unit_id) or ""
        _text(ws, r, 4, STATE_LABELS.get(state, state))
        _text(ws, r, 5, ", ".join(lag.missing_themes))
        _text(ws, r, 6, laggard_reason(lag))
    _finish(ws, len(titles), len(summary.laggards))


def ledger_sheet(wb: Workbook, fmt: Formats, ledger: CampaignLedger) -> None:
    """'Đối chiếu': per unit, reported against found and checked, with a totals row."""
    ws = wb.add_worksheet("Đối chiếu")
    titles = ["Mã đơn vị", "Đơn vị", *(label for _, label in LEDGER_COLUMNS)]
    titles += ["Trong đó gỡ sau khi xác minh", "Sản phẩm gốc", "Tổng số"]
    _header(ws, fmt, titles, [14, 40, *[14] * (len(titles) - 2)])
    r = 0
    for r, row in enumerate([*ledger.rows, ledger.totals], 1):
        _text(ws, r, 0, row.code)
        _text(ws, r, 1, row.name)
        figures = [row.count(c) for c, _ in LEDGER_COLUMNS]
        for col, n in enumerate([*figures, row.removed, row.originals, row.total], 2):
            ws.write_number(r, col, n, fmt.bold if row.unit_id is None else None)
    _finish(ws, len(titles), max(r - 1, 0))  # the totals row stays out of the filter


def campaign_xlsx(
    *,
    session: Session,
    campaign_id: int,
    today: date | None = None,
    summary: CampaignSummary | None = None,
) -> bytes:
    """The annexes workbook as .xlsx bytes, rows streamed (100,000 outputs in seconds)."""
    summary = summary or service.campaign_summary(
        session=session, campaign_id=campaign_id, today=today
    )
    buffer = io.BytesIO()
    options: dict[str, Any] = dict(WORKBOOK_OPTIONS)
    wb = Workbook(buffer, options)
    fmt = Formats(wb)
    summary_sheet(wb, fmt, summary)
    list_sheet(wb, fmt, session, campaign_id)
    late_sheet(wb, fmt, summary)
    ledger_sheet(wb, fmt, ledger.campaign_ledger(session=session, campaign_id=campaign_id))
    wb.close()
    return buffer.getvalue()
