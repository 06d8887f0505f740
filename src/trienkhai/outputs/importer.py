"""Bulk import of outputs from CSV or XLSX: validate every row, then store all or none."""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from trienkhai import zipcheck
from trienkhai.campaigns.models import Campaign, Theme
from trienkhai.errors import InvalidError
from trienkhai.outputs import channels, service
from trienkhai.outputs.columns import (
    COLUMNS,
    EXAMPLE_NOTE,
    HEADER_INDEX,
    ID_HEADER,
    ID_KEYS,
    IGNORED_KEYS,
    header_key,
)
from trienkhai.outputs.keys import complete_url, host_on_domains, normalised_title
from trienkhai.outputs.models import INCLUDE_REMOVED, Output, OutputSource
from trienkhai.outputs.schemas import ImportResult, OutputCreate, RowIssue
from trienkhai.settings import get_settings
from trienkhai.text import nfc
from trienkhai.units.models import Unit
from trienkhai.users.models import User
from trienkhai.users.service import audit

Cell = str | int | float | datetime | date | None
FORMULA_START = ("=", "+", "-", "@")
_DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_DATE_SHAPE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_EXCEL_EPOCH = datetime(1899, 12, 30)
# Two titles of one unit, channel and day this alike are one output whose title was corrected.
TITLE_SIMILARITY = 0.8
# Rows x stored outputs of one (channel, day) compared title by title; above it only identical
# titles match. A unit publishes a handful of link-less items a day on a channel; a sheet of
# thousands on one day is a bulk load, where the all-pairs comparison would take hours.
FUZZY_PAIRS = 50_000
LOOKUP_BATCH = 1_000  # values in one IN (...) list when looking stored outputs up
# 20,000 typical rows unpack to about 12 MB; an XLSX far beyond that is a zip bomb, not data.
XLSX_MAX_UNPACKED = 100 * 1024 * 1024
XLSX_BYTES_PER_ROW = 5 * 1024
# Platforms where a unit's social page lives; a URL there is on the unit's own page.
_SOCIAL = {
    "facebook": ["facebook.com", "fb.com", "fb.watch"],
    "zalo": ["zalo.me", "zalo.vn"],
    "tiktok": ["tiktok.com"],
    "youtube": ["youtube.com", "youtu.be"],
}


class ImportFileError(InvalidError):
    """The file as a whole cannot be imported (type, size, row count, header)."""


@dataclass
class Table:
    """A parsed sheet: header cells and data rows with their 1-based row numbers."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


class TableReader(Protocol):
    """A reader of one spreadsheet format."""

    name: str

    def can_read(self, filename: str, head: bytes) -> bool:
        """Whether this reader understands the file."""
        ...

    def read(self, content: bytes, *, max_rows: int) -> Table:
        """The table; ImportFileError beyond max_rows data rows."""
        ...


def _too_many(max_rows: int) -> ImportFileError:
    """The refusal for a file over the row limit."""
    return ImportFileError(
        f"Tệp có hơn {max_rows} dòng dữ liệu (giới hạn TRIENKHAI_MAX_IMPORT_ROWS); hãy chia nhỏ tệp"
    )


def _blank(cells: list[Cell]) -> bool:
    """Whether every cell of a row is empty."""
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


class CsvReader:
    """CSV in UTF-8 (with or without BOM) or Windows-1258, separated by , ; or tab."""

    name = "csv"

    def can_read(self, filename: str, head: bytes) -> bool:
        """CSV by extension (there is no magic number)."""
        return filename.lower().endswith((".csv", ".txt"))

    def read(self, content: bytes, *, max_rows: int) -> Table:
        """Parse rows, stopping as soon as the limit is passed."""
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1258", errors="replace")
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first.count)
        # newline=None: a bare carriage return (old Mac files) ends a line instead of failing.
        reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
        try:
            return self._table(reader, max_rows=max_rows)
        except csv.Error as exc:
            raise ImportFileError(
                f"Tệp CSV hỏng ở dòng {reader.line_num}: {exc} (broken CSV)"
            ) from exc

    def _table(self, reader: Iterator[list[str]], *, max_rows: int) -> Table:
        """The header and non-blank rows of a CSV reader."""
        header = next(reader, None)
        if header is None:
            raise ImportFileError("Tệp trống")
        table = Table(header=header)
        for number, row in enumerate(reader, start=2):
            if _blank(list(row)):
                continue
            if len(table.rows) >= max_rows:
                raise _too_many(max_rows)
            table.rows.append((number, list(row)))
        return table


class XlsxReader:
    """The first sheet of an .xlsx workbook (formulas kept as text so they can be refused)."""

    name = "xlsx"

    def can_read(self, filename: str, head: bytes) -> bool:
        """Files named .xlsx/.xlsm (the zip inside is checked when read)."""
        return filename.lower().endswith((".xlsx", ".xlsm"))

    def read(self, content: bytes, *, max_rows: int) -> Table:
        """Parse rows; the sheet's declared size refuses a huge file before reading it."""
        from openpyxl import load_workbook  # noqa: PLC0415 - heavy import, only when needed

        # openpyxl unpacks whatever the archive holds: check its directory first (zip bomb).
        limit = max(XLSX_MAX_UNPACKED, max_rows * XLSX_BYTES_PER_ROW)
        try:
            zipcheck.check_zip(content, max_unpacked=limit)
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                zipcheck.refuse_doctype(archive)
        except zipcheck.ZipCheckError as exc:
            raise ImportFileError(f"Tệp Excel bị từ chối: {exc}") from exc
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
            # read_only parses the sheet while rows are read: a damaged part fails here too.
            return self._table(book, max_rows=max_rows)
        except ImportFileError:
            raise
        except Exception as exc:  # openpyxl and its XML parser raise many types
            raise ImportFileError(f"Không đọc được tệp Excel (tệp hỏng): {exc}") from exc

    def _table(self, book: Any, *, max_rows: int) -> Table:
        """The first sheet's header and non-blank rows."""
        if not book.worksheets:
            raise ImportFileError("Tệp Excel không có trang tính nào")
        sheet = book.worksheets[0]
        if sheet.max_row is not None and sheet.max_row > max_rows + 1 + 1000:
            raise _too_many(max_rows)  # dimension says so; allow slack for trailing blank rows
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError("Tệp trống")
        table = Table(header=["" if h is None else str(h) for h in header])
        for number, row in enumerate(rows, start=2):
            cells: list[Cell] = list(row)
            if _blank(cells):
                continue
            if len(table.rows) >= max_rows:
                raise _too_many(max_rows)
            table.rows.append((number, cells))
        book.close()
        return table


READERS: tuple[TableReader, ...] = (XlsxReader(), CsvReader())


def read_table(*, filename: str, content: bytes, max_rows: int) -> Table:
    """Parse an uploaded file with the first reader that understands it."""
    limit = get_settings().max_upload_mb * 1024 * 1024
    if len(content) > limit:
        raise ImportFileError(f"Tệp quá lớn; tối đa {get_settings().max_upload_mb} MB")
    for reader in READERS:
        if reader.can_read(filename, content[:8]):
            return reader.read(content, max_rows=max_rows)
    raise ImportFileError(f"Không nhận dạng được tệp '{filename}'; hãy dùng .xlsx hoặc .csv")


def map_header(header: list[str]) -> tuple[dict[str, int], list[RowIssue]]:
    """Column key → index, and errors naming unknown, repeated and missing columns."""
    positions: dict[str, int] = {}
    issues: list[RowIssue] = []
    for index, raw in enumerate(header):
        text = nfc(str(raw or "")).strip()
        key = header_key(text)
        if key in ID_KEYS and "id" not in positions:
            positions["id"] = index
            continue
        if not key or key in IGNORED_KEYS:
            continue
        column = HEADER_INDEX.get(key)
        if column is None:
            known = ", ".join(f"'{c.header}'" for c in COLUMNS)
            issues.append(
                RowIssue(
                    row=1, column=text, message=f"Cột '{text}' không được hỗ trợ; các cột: {known}"
                )
            )
        elif column.key in positions:
            issues.append(
                RowIssue(row=1, column=text, message=f"Cột '{column.header}' xuất hiện hai lần")
            )
        else:
            positions[column.key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            issues.append(
                RowIssue(
                    row=1, column=column.header, message=f"Thiếu cột bắt buộc '{column.header}'"
                )
            )
    return positions, issues


def parse_date(value: Cell) -> datetime | None:  # noqa: PLR0911 - one return per accepted shape
    """A date/time from an Excel cell, an Excel serial number, dd/mm/yyyy[ HH:MM] or ISO."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + timedelta(days=float(value))
    text = str(value).strip()
    match = _DATE_SHAPE.match(text)
    if match:
        d, m, y, hh, mm, ss = match.groups()
        try:
            return datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_duration(value: Cell) -> int | None:
    """Seconds from minutes (number) or mm:ss / hh:mm:ss; ValueError when unreadable."""
    if isinstance(value, int | float):
        return round(float(value) * 60)
    text = str(value).strip().replace(",", ".")
    if ":" in text:
        parts = [int(p) for p in text.split(":")]
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + part
        return seconds
    return round(float(text) * 60)


@dataclass
class RowContext:
    """What every row of one import is checked against, and what it noted on the way."""

    session: Session
    campaign: Campaign
    unit: Unit
    themes: dict[str, Theme]
    source: OutputSource
    # Whoever imports may accept a date outside the campaign period (coordinators, the CLI).
    may_accept_period: bool = False
    notices: list[RowIssue] = field(default_factory=list)
    row_ids: dict[str, int] = field(default_factory=dict)  # natural key -> the row's "Mã"
    # Days outside the period a coordinator already accepted for this unit: a re-import of the
    # same sheet by its editor is not refused for them.
    accepted_days: set[date] = field(default_factory=set)


def _text(value: Cell) -> str:
    """A cell as NFC text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def _formula_issues(number: int, cells: dict[str, Cell]) -> list[RowIssue]:
    """Cells that would run as formulas in a spreadsheet (=, +, -, @ first)."""
    issues = []
    for key, value in cells.items():
        if isinstance(value, str) and value.lstrip().startswith(FORMULA_START):
            header = next((c.header for c in COLUMNS if c.key == key), ID_HEADER)
            issues.append(
                RowIssue(
                    row=number,
                    column=header,
                    message=f"Dòng {number}, cột '{header}': ô bắt đầu bằng "
                    f"'{value.lstrip()[0]}' (công thức) không được chấp nhận",
                )
            )
    return issues


def _issue(number: int, key: str, reason: str) -> RowIssue:
    """A row error in the house format: Dòng N, cột 'X': reason."""
    header = next((c.header for c in COLUMNS if c.key == key), ID_HEADER)
    return RowIssue(row=number, column=header, message=f"Dòng {number}, cột '{header}': {reason}")


def _number(
    number: int, key: str, value: Cell, errors: list[RowIssue], *, minutes: bool = False
) -> int | None:
    """A non-negative integer cell (or a duration), recording an error when unreadable."""
    text = _text(value)
    if not text:
        return None
    result: int | None
    try:
        if minutes:
            result = parse_duration(value)
        elif isinstance(value, int | float):
            result = int(value)
        else:  # "1.200" and "1 200" are how Vietnamese write thousands
            result = int(text.replace(" ", "").replace(".", "").replace(",", ""))
    except ValueError:
        result = None
    if result is None or result < 0:
        errors.append(_issue(number, key, f"'{text}' không phải số hợp lệ"))
        return None
    return result


def check_row(
    number: int, cells: dict[str, Cell], ctx: RowContext
) -> tuple[service.Prepared | None, list[RowIssue], list[RowIssue]]:
    """Validate one row: the prepared output (None on error), its errors and warnings."""
    errors = _formula_issues(number, cells)
    if errors:
        return None, errors, []
    warnings: list[RowIssue] = []
    title = _text(cells.get("title"))
    if not title:
        errors.append(_issue(number, "title", "không được để trống"))
    channel = ""
    try:
        channel = service.resolve_channel(_text(cells.get("channel")) or "?")
    except service.OutputError:
        accepted = ", ".join(channels.channel_labels())
        errors.append(
            _issue(
                number,
                "channel",
                f"kênh '{_text(cells.get('channel'))}' không hợp lệ; chấp nhận: {accepted}",
            )
        )
    form = ""
    try:
        form = service.resolve_form(_text(cells.get("form")))
    except service.OutputError:
        accepted = ", ".join(channels.form_labels())
        errors.append(
            _issue(
                number,
                "form",
                f"hình thức '{_text(cells.get('form'))}' không hợp lệ; chấp nhận: {accepted}",
            )
        )
    raw_date = cells.get("published")
    published = parse_date(raw_date) if _text(raw_date) else None
    if published is not None and not _placeable(published):
        published = None  # 01/01/0001 local has no UTC instant: an impossible date
    if published is None:
        reason = (
            "không được để trống"
            if not _text(raw_date)
            else f"'{_text(raw_date)}' không phải ngày hợp lệ (dd/mm/yyyy)"
        )
        errors.append(_issue(number, "published", reason))
    codes = [c for c in re.split(r"[,;\s]+", _text(cells.get("themes"))) if c]
    unknown = [c for c in codes if c.upper() not in ctx.themes]
    if unknown:
        valid = ", ".join(sorted(ctx.themes, key=lambda c: (len(c), c))) or "(chưa có)"
        errors.append(
            _issue(
                number,
                "themes",
                f"mã nội dung {', '.join(unknown)} không có trong chiến dịch; mã hợp lệ: {valid}",
            )
        )
    duration = _number(number, "duration", cells.get("duration"), errors, minutes=True)
    reach = _number(number, "reach", cells.get("reach"), errors)
    typed_url = _text(cells.get("url"))
    url = complete_url(typed_url)
    if url and not _web_address(url):
        errors.append(
            _issue(
                number, "url", f"'{typed_url}' không phải đường dẫn hợp lệ (http:// hoặc https://)"
            )
        )
    elif url != typed_url:
        ctx.notices.append(_issue(number, "url", f"thiếu http(s)://; đã lưu thành '{url}'"))
    if published is not None:
        _check_period(number, published, ctx, errors, warnings)
    if errors or published is None:
        return None, errors, warnings
    if url and not _url_belongs(url, channel, ctx.unit):
        warnings.append(
            _issue(
                number,
                "url",
                f"'{url}' không thuộc trang của đơn vị {ctx.unit.name} "
                f"({', '.join(ctx.unit.websites)})",
            )
        )
    data = OutputCreate(
        campaign_id=ctx.campaign.id,
        unit_id=ctx.unit.id,
        title=title,
        url=url,
        channel=channel,
        form=form,
        published_at=published,
        duration_seconds=duration,
        reach=reach,
        themes=codes,
        source=ctx.source,
        note=_text(cells.get("note")),
    )
    return service.prepare(data, known_themes=ctx.themes), errors, warnings


def _check_period(
    number: int,
    published: datetime,
    ctx: RowContext,
    errors: list[RowIssue],
    warnings: list[RowIssue],
) -> None:
    """A day outside the campaign period: a warning a coordinator may accept, else an error."""
    reason = service.outside_period(session=ctx.session, campaign=ctx.campaign, published=published)
    if not reason or _local_day(published) in ctx.accepted_days:
        return
    if ctx.may_accept_period:
        warnings.append(_issue(number, "published", f"{reason}; nhập vẫn sẽ chấp nhận dòng này"))
    else:
        errors.append(
            _issue(number, "published", f"{reason}; chỉ điều phối viên được chấp nhận ngày này")
        )


def _local_day(value: datetime) -> date:
    """The local calendar day of a time as the service stores it."""
    return service.to_utc(value).astimezone(service.local_zone()).date()


def _accepted_days(session: Session, campaign: Campaign, unit_id: int) -> set[date]:
    """Local days of the unit's stored outputs that lie outside the period (once accepted).

    Only the outputs outside the period are read (a query on the date bounds), not the unit's all.
    """
    start, end = service.period_bounds(session=session, campaign=campaign)
    outside = [
        *([Output.published_at < service.to_utc(start)] if start else []),
        *([Output.published_at >= service.to_utc(service.day_after(end))] if end else []),
    ]
    if not outside:
        return set()
    stmt = select(Output.published_at).where(
        Output.campaign_id == campaign.id, Output.unit_id == unit_id, or_(*outside)
    )
    return {_local_day(service.as_aware(t)) for t in session.scalars(stmt)}


def _web_address(url: str) -> bool:
    """Whether the link is an http(s) page on a named host (what the service will store)."""
    try:
        service.checked_url(url)
    except service.OutputError:
        return False
    return "." in url.split("://", 1)[-1].split("/", 1)[0]


def _placeable(value: datetime) -> bool:
    """Whether the time can be stored (it has an instant in UTC)."""
    try:
        service.to_utc(value)
    except service.OutputError:
        return False
    return True


def _url_belongs(url: str, channel: str, unit: Unit) -> bool:
    """Whether the URL is on one of the unit's sites (or its page on a social platform)."""
    if not unit.websites:
        return True  # nothing to compare with: the registry has no site for the unit
    domains = list(unit.websites) + list(unit.fanpages or []) + _SOCIAL.get(channel, [])
    return host_on_domains(url, domains)


def _cells(row: list[Cell], positions: dict[str, int]) -> dict[str, Cell]:
    """The row's cells by column key (missing trailing cells are empty)."""
    return {key: row[i] if i < len(row) else None for key, i in positions.items()}


def _row_id(number: int, value: Cell, errors: list[RowIssue]) -> int | None:
    """The output number a row names in its "Mã" column (None when blank)."""
    text = _text(value)
    if not text:
        return None
    if not text.isdigit():
        errors.append(_issue(number, "id", f"'{text}' không phải mã sản phẩm (số nguyên)"))
        return None
    return int(text)


def validate(
    table: Table, ctx: RowContext
) -> tuple[list[service.Prepared], list[RowIssue], list[RowIssue]]:
    """Check every row: prepared outputs, errors, warnings (duplicates in the file are errors)."""
    positions, errors = map_header(table.header)
    if errors:
        return [], errors, []
    prepared: list[service.Prepared] = []
    warnings: list[RowIssue] = []
    seen: dict[str, int] = {}
    for number, row in table.rows:
        cells = _cells(row, positions)
        if _text(cells.get("note")) == EXAMPLE_NOTE:
            continue
        item, row_errors, row_warnings = check_row(number, cells, ctx)
        row_id = _row_id(number, cells.get("id"), row_errors)
        errors += row_errors
        warnings += row_warnings
        if item is None:
            continue
        if row_id is not None:
            ctx.row_ids[item.key] = row_id
        if item.key in seen:
            first = seen[item.key]
            errors.append(
                _issue(
                    number,
                    "title",
                    f"trùng với dòng {first} (cùng đường dẫn, hoặc cùng tiêu đề, kênh và ngày)",
                )
            )
            continue
        seen[item.key] = number
        prepared.append(item)
    return prepared, errors, warnings


def import_outputs(
    *,
    session: Session,
    actor: User | None,
    campaign_id: int,
    unit_id: int,
    filename: str,
    content: bytes,
    accept_warnings: bool = False,
    source: OutputSource = OutputSource.reported,
    system: bool = False,
) -> ImportResult:
    """Import a CSV/XLSX file of one unit's outputs: every row valid, then all stored, or none.

    `system` is the operator at the server's command line, who acts without an account.
    """
    unit, campaign = check_target(
        session=session, actor=actor, campaign_id=campaign_id, unit_id=unit_id, system=system
    )
    try:
        table = read_table(
            filename=filename, content=content, max_rows=get_settings().max_import_rows
        )
    except ImportFileError as exc:
        return ImportResult(errors=[RowIssue(row=0, column="", message=f"{filename}: {exc}")])
    themes = service.campaign_themes(session=session, campaign_id=campaign_id)
    ctx = RowContext(
        session=session,
        campaign=campaign,
        unit=unit,
        themes=themes,
        source=source,
        may_accept_period=system or (actor is not None and actor.role in service.VERIFIERS),
        accepted_days=_accepted_days(session, campaign, unit_id),
    )
    prepared, errors, warnings = validate(table, ctx)
    targets = {} if errors else _targets(session=session, ctx=ctx, prepared=prepared, errors=errors)
    if errors:
        return ImportResult(errors=errors, warnings=warnings, notices=ctx.notices)
    if warnings and not accept_warnings:
        return ImportResult(warnings=warnings, notices=ctx.notices, needs_confirmation=True)
    result = ImportResult(warnings=warnings, notices=ctx.notices)
    _store(session=session, actor=actor, prepared=prepared, targets=targets, result=result)
    audit(
        session=session,
        actor=actor,
        action="import",
        entity="output",
        summary=filename,
        detail={"stored": result.stored, "updated": result.updated, "same": result.duplicates},
    )
    return result


def check_target(
    *, session: Session, actor: User | None, campaign_id: int, unit_id: int, system: bool = False
) -> tuple[Unit, Campaign]:
    """The unit and campaign an import writes to, once the actor may write there (or errors)."""
    if not system:
        service.check_write(actor, unit_id)
    unit = session.get(Unit, unit_id)
    campaign = session.get(Campaign, campaign_id)
    if unit is None or campaign is None:
        raise service.OutputNotFoundError(
            f"Không có đơn vị {unit_id} hoặc chiến dịch {campaign_id}"
        )
    service.check_assigned(session=session, actor=actor, campaign_id=campaign_id, unit_id=unit_id)
    return unit, campaign


def _targets(
    *, session: Session, ctx: RowContext, prepared: list[service.Prepared], errors: list[RowIssue]
) -> dict[str, Output]:
    """The stored output each row corrects, by the row's natural key (see docs/outputs.md).

    In order: the row's "Mã" (the export's output number); else the same natural key (with a
    link: unit + canonical URL, so the title may change); else, without a link, one output of
    the unit with the same channel and day and a title at least TITLE_SIMILARITY alike.
    Each look-up is a query on the rows' own ids, keys or (channel, day): a unit with 100,000
    outputs is never read whole.
    """
    by_id = _stored(session, ctx, Output.id, list(ctx.row_ids.values()))
    by_key = _stored(session, ctx, Output.dedup_key, [i.key for i in prepared])
    targets: dict[str, Output] = {}
    unmatched: list[service.Prepared] = []
    for item in prepared:
        row_id = ctx.row_ids.get(item.key)
        if row_id is not None:
            if row_id not in by_id:
                errors.append(
                    RowIssue(
                        row=0,
                        column=ID_HEADER,
                        message=f"Cột '{ID_HEADER}': không có sản phẩm số {row_id} của đơn vị "
                        f"{ctx.unit.name} trong chiến dịch này",
                    )
                )
                continue
            targets[item.key] = by_id[row_id]
        elif item.key in by_key:
            targets[item.key] = by_key[item.key]
        elif not item.values["canonical_url"]:
            unmatched.append(item)
    _match_similar(session, ctx, unmatched, targets)
    return targets


def _stored(session: Session, ctx: RowContext, column: Any, values: list[Any]) -> dict[Any, Output]:
    """The unit's outputs in the campaign (removed ones too) whose column is among the values."""
    found: dict[Any, Output] = {}
    for start in range(0, len(values), LOOKUP_BATCH):
        stmt = (
            select(Output)
            .where(Output.campaign_id == ctx.campaign.id, Output.unit_id == ctx.unit.id)
            .where(column.in_(values[start : start + LOOKUP_BATCH]))
            .execution_options(**{INCLUDE_REMOVED: True})
        )
        for output in session.scalars(stmt):
            found[getattr(output, column.key)] = output
    return found


def _item_day(item: service.Prepared) -> date:
    """The local calendar day of a prepared row."""
    return _local_day(service.as_aware(item.values["published_at"]))  # type: ignore[arg-type]


def _match_similar(
    session: Session, ctx: RowContext, items: list[service.Prepared], targets: dict[str, Output]
) -> None:
    """Link-less rows: the near-identical stored output of the same channel and local day.

    One query per local day of the rows (channels of that day only), columns only; the Output
    objects loaded are just the matches.
    """
    by_day: dict[date, list[service.Prepared]] = defaultdict(list)
    for item in items:
        by_day[_item_day(item)].append(item)
    taken = {o.id for o in targets.values()}
    matched: dict[str, int] = {}
    for day, rows in sorted(by_day.items()):
        stmt = (
            select(Output.id, Output.channel, Output.title)
            .where(Output.campaign_id == ctx.campaign.id, Output.unit_id == ctx.unit.id)
            .where(Output.canonical_url == "")
            .where(Output.channel.in_({str(i.values["channel"]) for i in rows}))
            .where(Output.published_at >= service.to_utc(day))
            .where(Output.published_at < service.to_utc(service.day_after(day)))
            .order_by(Output.id)
            .execution_options(**{INCLUDE_REMOVED: True})
        )
        stored: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for oid, channel, title in session.execute(stmt):
            stored[channel].append((oid, normalised_title(title)))
        per_channel = Counter(str(i.values["channel"]) for i in rows)
        exact = {channel: _by_title(candidates) for channel, candidates in stored.items()}
        for item in rows:
            channel = str(item.values["channel"])
            fuzzy = len(stored.get(channel, [])) * per_channel[channel] <= FUZZY_PAIRS
            output_id = _similar(
                item, stored.get(channel, []), exact.get(channel, {}), taken, fuzzy=fuzzy
            )
            if output_id is not None:
                matched[item.key] = output_id
                taken.add(output_id)
    loaded = _stored(session, ctx, Output.id, list(matched.values()))
    targets.update({key: loaded[oid] for key, oid in matched.items()})


def _by_title(stored: list[tuple[int, str]]) -> dict[str, list[int]]:
    """The stored ids under each normalised title."""
    found: dict[str, list[int]] = defaultdict(list)
    for oid, title in stored:
        found[title].append(oid)
    return found


def _similar(
    item: service.Prepared,
    stored: list[tuple[int, str]],
    exact: dict[str, list[int]],
    taken: set[int],
    *,
    fuzzy: bool,
) -> int | None:
    """The id of the one stored (id, normalised title) of the row's channel and day whose title
    is the same, else (when `fuzzy`) at least TITLE_SIMILARITY alike, the most alike first."""
    title = normalised_title(str(item.values["title"]))
    same = next((oid for oid in exact.get(title, []) if oid not in taken), None)
    if same is not None or not fuzzy:
        return same
    best: tuple[float, int] | None = None
    for output_id, other in stored:
        if output_id in taken:
            continue
        matcher = difflib.SequenceMatcher(None, title, other)
        # The cheap upper bounds first: most titles are rejected without the full comparison.
        if (
            matcher.real_quick_ratio() < TITLE_SIMILARITY
            or matcher.quick_ratio() < TITLE_SIMILARITY
        ):
            continue
        ratio = matcher.ratio()
        if ratio >= TITLE_SIMILARITY and (best is None or ratio > best[0]):
            best = (ratio, output_id)
    return best[1] if best else None


def _store(
    *,
    session: Session,
    actor: User | None,
    prepared: list[service.Prepared],
    targets: dict[str, Output],
    result: ImportResult,
) -> None:
    """Insert new rows and correct matched ones, in the caller's transaction."""
    service.begin_write(session)
    for item in prepared:
        target = targets.get(item.key)
        if target is None:
            _, created = service.insert_prepared(session=session, actor=actor, item=item)
            result.stored += int(created)
            result.duplicates += int(not created)
        elif target.removed_at is not None:
            result.duplicates += 1  # removed on purpose: an old file does not bring it back
        else:
            # The unit's sheet is the truth for what it typed; what the system holds stays.
            values = {k: v for k, v in item.values.items() if k not in ("source", "excerpt")}
            fixed = service.Prepared(values=values, themes=item.themes, key=item.key)
            changed = service.apply_prepared(
                session=session, actor=actor, output=target, item=fixed, action="import_update"
            )
            result.updated += int(bool(changed))
            result.duplicates += int(not changed)
