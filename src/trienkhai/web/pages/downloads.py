"""Downloads: the reports (.docx, PDF, .xlsx), calendar links, and a CSV of every table view."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session

from trienkhai.outputs import ledger
from trienkhai.outputs.channels import channel_label, form_label
from trienkhai.outputs.models import Output
from trienkhai.reports.csv_export import to_csv_bytes
from trienkhai.reports.exporters import Request as ExportRequest
from trienkhai.reports.exporters import get_exporter
from trienkhai.reports.jobs import report_filename
from trienkhai.reports.pdf import ConversionError, ConverterMissingError
from trienkhai.users.models import User
from trienkhai.web.i18n import screen_date, translate
from trienkhai.web.pages.campaigns import board_view, campaign_or_404
from trienkhai.web.pages.common import PageRoute, SessionDep, StaffDep, UserDep, language
from trienkhai.web.pages.search import (
    QueryDep,
    SearchQuery,
    check_text,
    find_outputs,
    unit_names,
)
from trienkhai.web.pages.units import current_campaign, unit_for, unit_outputs

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CSV_TYPE = "text/csv; charset=utf-8"
# download.js sends ?dl=<token>; the answer carries the token back in this cookie, which tells
# the page that the file has started (browsers give scripts no "download started" event).
DONE_COOKIE = "trienkhai_download"
DONE_TOKEN = re.compile(r"[A-Za-z0-9]{1,40}")


def attachment(request: Request, data: bytes, media_type: str, filename: str) -> Response:
    """The bytes as a file to save, with the cookie that ends the link's "Đang tạo…"."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    response = Response(data, media_type=media_type, headers=headers)
    token = request.query_params.get("dl", "")
    if DONE_TOKEN.fullmatch(token):
        response.set_cookie(DONE_COOKIE, token, max_age=300, samesite="lax")
    return response


def csv_file(
    request: Request, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    """A table view as CSV: UTF-8 with BOM, formulas neutralised (reports.csv_export)."""
    return attachment(request, to_csv_bytes(header, rows), CSV_TYPE, filename)


def _report(session: Session, scope: str, fmt: str, export: ExportRequest) -> tuple[bytes, str]:
    """A report file and its media type; errors as pages (PDF without LibreOffice: 503)."""
    try:
        exporter = get_exporter(fmt, scope)
    except ValueError as exc:
        raise HTTPException(404, f"Không có báo cáo dạng .{fmt} ở đây.") from exc
    try:
        return exporter.export(session=session, request=export), exporter.media_type
    except LookupError as exc:
        raise HTTPException(404, "Không tìm thấy chiến dịch hoặc đơn vị để lập báo cáo.") from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    except (ConverterMissingError, ConversionError) as exc:
        raise HTTPException(503, f"Chưa tạo được tệp PDF. {exc}") from exc


@router.get("/campaigns/{campaign_id}/report.{fmt}")
def campaign_report(
    request: Request,
    *,
    campaign_id: int,
    fmt: str,
    user: User = StaffDep,
    session: Session = SessionDep,
) -> Response:
    """The results report (.docx, .pdf) or its annexes (.xlsx), as the API gives them."""
    campaign = campaign_or_404(session, campaign_id)
    data, media = _report(session, "campaign", fmt, ExportRequest(campaign_id=campaign.id))
    return attachment(request, data, media, report_filename(campaign.id, fmt, None))


@router.get("/campaigns/{campaign_id}/units/{unit_id}/report.{fmt}")
def unit_report(
    request: Request,
    *,
    campaign_id: int,
    unit_id: int,
    fmt: str,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """A unit's own report (.docx, .pdf) from what it logged; editors: their unit only."""
    unit = unit_for(session, user, unit_id)
    export = ExportRequest(campaign_id=campaign_id, unit_code=unit.code)
    data, media = _report(session, "unit", fmt, export)
    return attachment(request, data, media, report_filename(campaign_id, fmt, unit.code))


@router.get("/campaigns/{campaign_id}/assignments.csv")
def assignments_csv(
    request: Request,
    *,
    campaign_id: int,
    state: str = "",
    group: str = "",
    theme: str = "",
    user: User = StaffDep,
    session: Session = SessionDep,
) -> Response:
    """The board's table with the same filters: unit, state, deadline, outputs per theme."""
    lang = language(request, user)
    campaign = campaign_or_404(session, campaign_id)
    view = board_view(session, campaign, state=state, group=group, theme=theme)
    codes = [th.code for th in view.themes]
    keys = ("common.unit", "common.state", "common.deadline")
    header = [*(translate(k, lang) for k in keys), *codes, translate("common.total", lang)]
    # The reconciliation columns follow, one per ledger category (outputs/ledger.py).
    book = {
        r.unit_id: r for r in ledger.campaign_ledger(session=session, campaign_id=campaign.id).rows
    }
    prefix = translate("ledger.filter", lang)
    header += [f"{prefix}: {translate(f'ledger.{c}', lang)}" for c in ledger.LEDGER_VALUES]
    rows = (
        [
            r.name,
            translate(f"state.{r.effective_state}", lang),
            screen_date(r.deadline),
            *(r.by_theme.get(c, 0) for c in codes),
            r.total,
            *_ledger_cells(book.get(r.unit_id)),
        ]
        for r in view.rows
    )
    return csv_file(request, f"chien-dich-{campaign.id}-nhiem-vu.csv", header, rows)


def _ledger_cells(row: ledger.LedgerRow | None) -> list[int]:
    """A unit's counts per ledger category (zeros when it has no row)."""
    return [row.count(c) if row else 0 for c in ledger.LEDGER_VALUES]


def _output_cells(output: Output) -> list[str]:
    """An output's title, channel, form and themes as the tables print them."""
    themes = ", ".join(th.code for th in output.themes)
    form = form_label(output.form) if output.form else ""
    return [output.title, channel_label(output.channel), form, themes]


CSV_ROWS = 500  # the unit table's CSV: its newest outputs (the full list is the export API)


@router.get("/units/{unit_id}/outputs.csv")
def unit_outputs_csv(
    request: Request,
    *,
    unit_id: int,
    campaign: int | None = None,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """The unit page's table of logged outputs (plus each output's link, last)."""
    lang = language(request, user)
    unit = unit_for(session, user, unit_id)
    chosen, _ = current_campaign(session, unit, campaign)
    logged = unit_outputs(session, unit, chosen, limit=CSV_ROWS).logged
    keys = (
        "unit.published",
        "common.title",
        "common.channel",
        "common.form",
        "common.theme",
        "unit.verification",
        "common.link",
    )
    header = [translate(k, lang) for k in keys]
    rows = (
        [
            screen_date(o.published_at),
            *_output_cells(o),
            translate(f"verification.{o.verification}", lang),
            o.url or "",
        ]
        for o in logged
    )
    suffix = f"-chien-dich-{chosen.id}" if chosen else ""
    return csv_file(request, f"san-pham-{unit.code}{suffix}.csv", header, rows)


@router.get("/search.csv")
def search_csv(
    request: Request,
    *,
    query: SearchQuery = QueryDep,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """The search results table (plus each output's link, last)."""
    lang = language(request, user)
    names = unit_names(session)
    keys = (
        "common.date",
        "common.unit",
        "common.title",
        "common.channel",
        "common.theme",
        "search.verification",
        "common.link",
    )
    header = [translate(k, lang) for k in keys]
    rows = []
    for o in find_outputs(session, user, query):
        title, channel_name, _, themes = _output_cells(o)
        when = screen_date(o.published_at)
        check = check_text(o, lang)
        rows.append(
            [when, names.get(o.unit_id, ""), title, channel_name, themes, check, o.url or ""]
        )
    return csv_file(request, "tim-kiem.csv", header, rows)
