"""Word reports rendered with docxtpl from the editable templates in reports/templates/."""

from __future__ import annotations

import io
from collections import Counter, deque
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from docx.shared import Cm, Mm
from docxtpl import DocxTemplate, InlineImage, RichText
from sqlalchemy.orm import Session

from trienkhai.outputs import ledger
from trienkhai.outputs.channels import channel_label
from trienkhai.reports import charts, context, ledger_report, report_settings, service
from trienkhai.reports.context import ReportOptions
from trienkhai.reports.service import CampaignSummary, OutputRow

TEMPLATES = Path(__file__).resolve().parent / "templates"
CAMPAIGN_TEMPLATE = TEMPLATES / "bao_cao_chien_dich.docx"
UNIT_TEMPLATE = TEMPLATES / "bao_cao_don_vi.docx"
TEXT_WIDTH_CM = 16.5  # A4 minus the 30 mm and 15 mm side margins


def _notable(tpl: DocxTemplate, rows: list[OutputRow]) -> list[RichText]:
    """Notable outputs as '- Unit: <linked title> (channel, date).' lines."""
    lines = []
    for row in rows:
        text = RichText(f"- {row.unit_name}: ")
        text.add(row.title, url_id=tpl.build_url_id(row.url), color="0563C1", underline=True)
        text.add(f" ({channel_label(row.channel)}, {context.short_date(row.day)}).")
        lines.append(text)
    return lines or [RichText("Chưa có tin, bài được xác minh.")]


def _charts(tpl: DocxTemplate, summary: CampaignSummary) -> dict[str, Any]:
    """The PNG charts as inline images (empty text when a chart has nothing to draw)."""
    result: dict[str, Any] = {}
    for name in ("week", "theme", "channel", "group"):
        png = charts.chart(summary, name, "png")
        result[f"chart_{name}"] = (
            InlineImage(tpl, io.BytesIO(png), width=Mm(150)) if png is not None else ""
        )
    return result


def _set_widths(tpl: DocxTemplate, second_header: str, widths_cm: list[float]) -> None:
    """Column widths of the table whose second header cell reads `second_header`."""
    widths = [Cm(w) for w in widths_cm]
    for table in tpl.docx.tables:
        first = table.rows[0].cells
        if len(first) < 2 or first[1].text != second_header:
            continue
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(grid[0].tag), widths, strict=False):
            col.w = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = width


def _unit_table_widths(themes: int) -> list[float]:
    """Unit name wide, the figures sharing the rest of the line."""
    figures = (TEXT_WIDTH_CM - 1.2 - 5.3) / (themes + 2)
    return [1.2, 5.3] + [figures] * (themes + 2)


# STT, unit, then the eight ledger categories sharing the rest of the line.
LEDGER_WIDTHS = [1.0, 3.5] + [(TEXT_WIDTH_CM - 4.5) / len(ledger_report.COLUMNS)] * len(
    ledger_report.COLUMNS
)
UNIT_OUTPUT_WIDTHS = [1.0, 7.6, 1.5, 2.6, 1.6, 2.2]  # STT, title, themes, channel, form, date


def render(template: Path, ctx: dict[str, Any], tpl: DocxTemplate | None = None) -> DocxTemplate:
    """Render a template with autoescaping (titles may hold '&' or '<')."""
    tpl = tpl or DocxTemplate(str(template))
    tpl.render(ctx, autoescape=True)
    return tpl


def set_properties(tpl: DocxTemplate, *, author: str, title: str, day: date) -> None:
    """Document properties name the issuer, not the library that wrote the file."""
    props = tpl.docx.core_properties
    props.author = props.last_modified_by = author
    props.title = props.subject = title
    props.created = props.modified = datetime.combine(day, time(8, 0))
    props.revision = 1
    props.comments = props.keywords = props.category = ""


def _issuer_name(record: dict[str, Any], options: ReportOptions) -> str:
    """The issuer as the properties name it ('SỞ THÔNG TIN…' read from the directive)."""
    return " ".join((options.issuer or record.get("issuer") or "").split())


def _bytes(tpl: DocxTemplate) -> bytes:
    """The rendered document as bytes."""
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


def campaign_docx(
    *,
    session: Session,
    campaign_id: int,
    options: ReportOptions | None = None,
    today: date | None = None,
    summary: CampaignSummary | None = None,
    template: Path = CAMPAIGN_TEMPLATE,
) -> bytes:
    """The campaign's results report (báo cáo) as .docx bytes."""
    options = report_settings.effective_options(
        session=session, campaign_id=campaign_id, options=options
    )
    summary = summary or service.campaign_summary(
        session=session, campaign_id=campaign_id, today=today
    )
    record = summary.directive
    subject = context.report_subject(record, summary.title)
    tpl = DocxTemplate(str(template))
    ctx = {
        **context.header_fields(record, options, today=summary.today, subject=subject),
        **context.campaign_body(summary, context.directive_phrase(record), options),
        **_charts(tpl, summary),
        "notable": _notable(tpl, summary.notable),
        **ledger_report.docx_fields(
            ledger.campaign_ledger(session=session, campaign_id=campaign_id)
        ),
    }
    render(template, ctx, tpl)
    _set_widths(tpl, "Đơn vị", _unit_table_widths(len(summary.themes)))
    _set_widths(tpl, ledger_report.UNIT_HEADER, LEDGER_WIDTHS)
    day = options.report_date or summary.today
    set_properties(tpl, author=_issuer_name(record, options), title=subject, day=day)
    return _bytes(tpl)


def _recent_outputs(
    *, session: Session, campaign_id: int, unit_id: int, keep: int
) -> tuple[list[OutputRow], int, list[str]]:
    """The unit's `keep` most recent outputs (oldest first), their total, the figures' lines."""
    recent: deque[OutputRow] = deque(maxlen=keep)
    total = verified = 0
    per_theme: Counter[str] = Counter()
    machine: Counter[str] = Counter()
    for row in service.iter_outputs(session=session, campaign_id=campaign_id, unit_id=unit_id):
        recent.append(row)
        total += 1
        verified += row.verification == "verified"
        per_theme.update(row.themes or row.suggested)
        machine.update(row.suggested)
    themes = "; ".join(
        f"{c}: {context.count(n)}"
        + (f" (trong đó {context.count(machine[c])} {context.SUGGESTED})" if machine[c] else "")
        for c, n in sorted(per_theme.items())
    )
    lines = [
        f"Tổng số tin, bài, sản phẩm đã đăng, phát: {context.count(total)}, "
        f"trong đó đã xác minh: {context.count(verified)}.",
        f"Theo nội dung: {themes or 'chưa có'}. Danh sách chi tiết như sau:",
    ]
    return list(recent), total, lines


def more_line(total: int, shown: int) -> str:
    """'và 14 sản phẩm khác (xem phụ lục).' under a shortened list; empty when all are shown."""
    rest = total - shown
    return f"và {context.count(rest)} sản phẩm khác (xem phụ lục)." if rest > 0 else ""


def unit_context(
    *, session: Session, campaign_id: int, unit_code: str, options: ReportOptions, today: date
) -> dict[str, Any]:
    """Fields of a unit's own report: its header, its figures, its most recent outputs."""
    unit = service.unit_by_code(session=session, code=unit_code)
    campaign = service.get_campaign(session=session, campaign_id=campaign_id)
    if unit is None or campaign is None:
        raise LookupError(
            f"Không có đơn vị '{unit_code}' hoặc chiến dịch số {campaign_id} (not found)"
        )
    record = service.directive_record(session=session, campaign=campaign)
    keep = max(options.unit_list_limit, 0)
    rows, total, lines = _recent_outputs(
        session=session, campaign_id=campaign_id, unit_id=unit.id, keep=keep
    )
    unit_record = {
        "issuer": unit.name,
        "parent_issuer": service.parent_unit_name(session=session, unit=unit) or "",
        "place": record.get("place"),
    }
    opts = ReportOptions(**{**vars(options)})
    opts.issuer_abbr = opts.issuer_abbr or unit.code.upper()
    opts.kinh_gui = opts.kinh_gui or record.get("issuer") or None
    opts.signer_authority = opts.signer_authority or ""
    opts.signer_title = opts.signer_title or "THỦ TRƯỞNG ĐƠN VỊ"
    subject = context.report_subject(record, campaign.title)
    phrase = context.directive_phrase(record) or campaign.title
    return {
        **context.header_fields(unit_record, opts, today=today, subject=subject),
        "opening": f"Thực hiện {phrase}, {unit.name} báo cáo kết quả triển khai như sau:",
        "general_lines": lines,
        "outputs": [context.output_cells(r, i) for i, r in enumerate(rows, 1)],
        "more_line": more_line(total, len(rows)),
        "closing": f"Trên đây là báo cáo kết quả triển khai của {unit.name}./.",
        "author": unit.name,
    }


def unit_docx(
    *,
    session: Session,
    campaign_id: int,
    unit_code: str,
    options: ReportOptions | None = None,
    today: date | None = None,
    template: Path = UNIT_TEMPLATE,
) -> bytes:
    """A unit's one-page report as .docx bytes."""
    ctx = unit_context(
        session=session,
        campaign_id=campaign_id,
        unit_code=unit_code,
        options=options or ReportOptions(),
        today=today or service.local_today(),
    )
    tpl = render(template, ctx)
    _set_widths(tpl, "Tên tin, bài, sản phẩm", UNIT_OUTPUT_WIDTHS)
    day = (options.report_date if options else None) or today or service.local_today()
    set_properties(tpl, author=ctx["author"], title=ctx["subject"], day=day)
    return _bytes(tpl)
