"""Annexes workbook: totals per unit × theme × channel, the full list, late assignments."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy.orm import Session

from trienkhai.outputs.channels import channel_label, form_label
from trienkhai.reports import service
from trienkhai.reports.context import STATE_LABELS, VERIFICATION_LABELS
from trienkhai.reports.csv_export import neutralise
from trienkhai.reports.service import CampaignSummary
from trienkhai.settings import get_settings

BOLD = Font(bold=True)
LINK = Font(color="0563C1", underline="single")
WRAP = Alignment(wrap_text=True, vertical="top")
# Excel refuses more hyperlinks than this in one sheet; later URLs stay as plain text.
MAX_HYPERLINKS = 65_530


def _header(ws: WriteOnlyWorksheet, titles: Sequence[str], widths: Sequence[float]) -> None:
    """Bold header row, frozen, filtered, with column widths (set before any row is written)."""
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = BOLD
        cells.append(cell)
    ws.append(cells)


def _finish(ws: WriteOnlyWorksheet, columns: int, rows: int) -> None:
    """Auto-filter over the header and data rows."""
    ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows, 1) + 1}"


def _append(ws: WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """A data row, text neutralised against formula injection."""
    ws.append([neutralise(v) for v in values])


def summary_sheet(wb: Workbook, summary: CampaignSummary) -> None:
    """'Tổng hợp': one row per unit × theme × channel with its count."""
    ws = wb.create_sheet("Tổng hợp")
    titles = ["Mã đơn vị", "Đơn vị", "Nội dung", "Kênh", "Số tin, bài"]
    _header(ws, titles, [14, 40, 10, 30, 12])
    units = {u.unit_id: u for u in summary.units}
    rows = sorted(summary.cells, key=lambda c: (units[c[0]].code, c[1], c[2]))
    for unit_id, theme, channel, n in rows:
        unit = units[unit_id]
        _append(ws, [unit.code, unit.name, theme or "(chưa gắn)", channel_label(channel), n])
    _finish(ws, len(titles), len(rows))


def _link_cell(ws: WriteOnlyWorksheet, url: str, n: int) -> WriteOnlyCell | str:
    """The URL as a clickable hyperlink (plain text past Excel's per-sheet limit)."""
    if n > MAX_HYPERLINKS or not url.startswith(("http://", "https://")):
        return str(neutralise(url))
    cell = WriteOnlyCell(ws, value=url)
    cell.hyperlink = url
    cell.font = LINK
    return cell


def list_sheet(wb: Workbook, session: Session, campaign_id: int) -> None:
    """'Danh sách': every output with its link, channel, form, date and verification."""
    ws = wb.create_sheet("Danh sách")
    titles = ["STT", "Mã đơn vị", "Đơn vị", "Tiêu đề", "Đường dẫn", "Kênh", "Hình thức"]
    titles += ["Ngày đăng", "Nội dung", "Xác minh", "Nguồn"]
    _header(ws, titles, [7, 14, 32, 60, 45, 24, 14, 12, 12, 16, 12])
    zone = ZoneInfo(get_settings().timezone)
    n = 0
    for n, row in enumerate(service.iter_outputs(session=session, campaign_id=campaign_id), 1):
        published = row.published_at
        day = (published.astimezone(zone) if published.tzinfo else published).date()
        date_cell = WriteOnlyCell(ws, value=day)
        date_cell.number_format = "DD/MM/YYYY"
        values: list[Any] = [n, row.unit_code, row.unit_name, row.title]
        ws.append(
            [neutralise(v) for v in values]
            + [_link_cell(ws, row.url, n), channel_label(row.channel), form_label(row.form)]
            + [date_cell, ", ".join(row.themes)]
            + [VERIFICATION_LABELS.get(row.verification, row.verification), row.source]
        )
    _finish(ws, len(titles), n)


def late_sheet(wb: Workbook, summary: CampaignSummary) -> None:
    """'Chậm tiến độ': assignments past their deadline, and units silent on some themes."""
    ws = wb.create_sheet("Chậm tiến độ")
    titles = ["Mã đơn vị", "Đơn vị", "Hạn", "Số ngày quá hạn", "Trạng thái", "Nội dung chưa có"]
    _header(ws, titles, [14, 40, 12, 16, 18, 22])
    states = {u.unit_id: u.effective_state for u in summary.units}
    for lag in summary.laggards:
        deadline = WriteOnlyCell(ws, value=lag.deadline)
        deadline.number_format = "DD/MM/YYYY"
        state = states.get(lag.unit_id) or ""
        _row = [lag.code, lag.name, deadline, lag.overdue_days or 0]
        ws.append(
            [neutralise(v) if isinstance(v, str) else v for v in _row]
            + [STATE_LABELS.get(state, state), ", ".join(lag.missing_themes)]
        )
    _finish(ws, len(titles), len(summary.laggards))


def campaign_xlsx(
    *,
    session: Session,
    campaign_id: int,
    today: date | None = None,
    summary: CampaignSummary | None = None,
) -> bytes:
    """The annexes workbook as .xlsx bytes (write-only mode: 100,000 rows stay fast)."""
    summary = summary or service.campaign_summary(
        session=session, campaign_id=campaign_id, today=today
    )
    wb = Workbook(write_only=True)
    summary_sheet(wb, summary)
    list_sheet(wb, session, campaign_id)
    late_sheet(wb, summary)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
