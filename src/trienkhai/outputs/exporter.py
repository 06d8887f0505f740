"""Export of outputs and the import template, as CSV (UTF-8 with BOM) or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from trienkhai.outputs import channels, service
from trienkhai.outputs.columns import COLUMNS, EXAMPLE_NOTE
from trienkhai.outputs.models import Output
from trienkhai.units.models import Unit

Value = str | int | float | datetime | date | None
# A spreadsheet runs a cell starting with these as a formula (CSV injection, OWASP).
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
EXPORT_HEADER = ["Mã", "Mã đơn vị", "Đơn vị", *(c.header for c in COLUMNS), "Nguồn", "Xác minh"]
VERIFICATION_LABELS = {
    "unverified": "chưa xác minh",
    "verified": "đã xác minh",
    "not_found": "không tìm thấy",
    "rejected": "không chấp nhận",
    "moved": "đã chuyển địa chỉ",
    "removed": "đã gỡ sau khi xác minh",
}
SOURCE_LABELS = {"reported": "đơn vị báo cáo", "discovered": "hệ thống phát hiện"}


def neutralise(value: Value) -> Value:
    """Prefix ' to text a spreadsheet would run as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


class TableWriter(Protocol):
    """A writer of one spreadsheet format."""

    name: str
    media_type: str
    extension: str

    def write(self, header: list[str], rows: list[list[Value]], *, template: bool = False) -> bytes:
        """The file's bytes."""
        ...


def _csv_text(value: Value) -> str:
    """A value as CSV text (dates as dd/mm/yyyy HH:MM, the format the importer reads)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


class CsvWriter:
    """CSV in UTF-8 with a BOM, so Excel opens the Vietnamese text correctly."""

    name = "csv"
    media_type = "text/csv; charset=utf-8"
    extension = "csv"

    def write(self, header: list[str], rows: list[list[Value]], *, template: bool = False) -> bytes:
        """Header and rows, every cell neutralised."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_text(neutralise(v)) for v in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class XlsxWriter:
    """XLSX with real date cells, a frozen bold header, and (for the template) drop-down lists."""

    name = "xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def write(self, header: list[str], rows: list[list[Value]], *, template: bool = False) -> bytes:
        """Header and rows; text cells neutralised, dates as dates."""
        from openpyxl import Workbook  # noqa: PLC0415 - heavy import, only when needed
        from openpyxl.styles import Font  # noqa: PLC0415

        book = Workbook()
        sheet = book.active
        sheet.title = "Kết quả"
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        for column_cells in sheet.iter_cols(min_row=2):
            for cell in column_cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = "dd/mm/yyyy hh:mm"
        for index, title in enumerate(header, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = 60 if title == "Tiêu đề" else 18
        if template:
            _template_extras(book, sheet, header)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def _template_extras(book: object, sheet: object, header: list[str]) -> None:
    """Drop-down lists for channel and form, and a sheet explaining each column."""
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    lists = book.create_sheet("Danh mục")  # type: ignore[attr-defined]
    lists.append(["Kênh", "Hình thức"])
    channel_labels, form_labels = channels.channel_labels(), channels.form_labels()
    for i in range(max(len(channel_labels), len(form_labels))):
        lists.append([_at(channel_labels, i), _at(form_labels, i)])
    for key, values, col in (("Kênh", channel_labels, "A"), ("Hình thức", form_labels, "B")):
        ref = f"'Danh mục'!${col}$2:${col}${len(values) + 1}"
        validation = DataValidation(type="list", formula1=ref, allow_blank=True)
        validation.error = f"Chọn {key.lower()} trong danh sách"
        validation.showErrorMessage = True
        target = sheet.cell(row=2, column=header.index(key) + 1).column_letter  # type: ignore[attr-defined]
        validation.add(f"{target}2:{target}5000")
        sheet.add_data_validation(validation)  # type: ignore[attr-defined]
    guide = book.create_sheet("Hướng dẫn")  # type: ignore[attr-defined]
    guide.append(["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"])
    for column in COLUMNS:
        guide.append([column.header, "có" if column.required else "", column.help, column.example])
    guide.append([])
    guide.append(["Lưu ý", "", "Dòng ví dụ (ghi chú '" + EXAMPLE_NOTE + "') được bỏ qua khi nhập."])
    guide.append(
        ["", "", "Ô bắt đầu bằng = + - @ bị từ chối (công thức). Nhập lại tệp không tạo bản trùng."]
    )
    guide.append(["Kênh", "", "; ".join(channel_labels)])
    guide.append(["Hình thức", "", "; ".join(form_labels)])
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["C"].width = 80


def _at(values: list[str], index: int) -> str | None:
    """values[index] or None past the end."""
    return values[index] if index < len(values) else None


WRITERS: dict[str, TableWriter] = {w.name: w for w in (CsvWriter(), XlsxWriter())}


def writer_for(fmt: str) -> TableWriter:
    """The writer of a format name (csv, xlsx); ValueError otherwise."""
    try:
        return WRITERS[fmt.lower()]
    except KeyError:
        raise ValueError(f"Định dạng '{fmt}' không hỗ trợ; chọn: {', '.join(WRITERS)}") from None


def _minutes(seconds: int | None) -> str | None:
    """A duration as m:ss (the importer reads it back)."""
    if seconds is None:
        return None
    return f"{seconds // 60}:{seconds % 60:02d}"


def output_row(output: Output, unit: Unit | None) -> list[Value]:
    """One export row in EXPORT_HEADER order; the time is local and naive (Excel has no zones)."""
    local = service.as_aware(output.published_at).astimezone(service.local_zone())
    codes = sorted((t.code for t in output.themes), key=lambda c: (len(c), c))
    return [
        output.id,
        unit.code if unit else "",
        unit.name if unit else "",
        output.title,
        output.url,
        channels.channel_label(output.channel),
        channels.form_label(output.form) if output.form else "",
        local.replace(tzinfo=None),
        ", ".join(codes),
        _minutes(output.duration_seconds),
        output.reach,
        output.note,
        SOURCE_LABELS.get(output.source, output.source),
        VERIFICATION_LABELS.get(output.verification, output.verification),
    ]


def export_outputs(*, session: Session, criteria: service.OutputFilter, fmt: str) -> bytes:
    """Every output matching the criteria as a CSV or XLSX file."""
    writer = writer_for(fmt)
    outputs = list(session.scalars(service.filtered_query(session=session, criteria=criteria)))
    unit_ids = {o.unit_id for o in outputs}
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))}
    rows = [output_row(o, units.get(o.unit_id)) for o in outputs]
    return writer.write(EXPORT_HEADER, rows)


def template(fmt: str) -> bytes:
    """The import template: header, an example row, lists and a guide (XLSX)."""
    writer = writer_for(fmt)
    example: list[Value] = []
    for column in COLUMNS:
        if column.key == "published":
            example.append(datetime(2024, 12, 10, 8, 30))
        elif column.key == "note":
            example.append(EXAMPLE_NOTE)
        else:
            example.append(column.example)
    return writer.write([c.header for c in COLUMNS], [example], template=True)


STREAM_BATCH = 2_000  # rows read per round trip and written per chunk


def stream_outputs_csv(
    *, sessions: sessionmaker[Session], criteria: service.OutputFilter
) -> Iterator[bytes]:
    """Every matching output as CSV chunks, in constant memory (millions of rows).

    It opens its own session: a streamed answer outlives the request's session. Rows are read
    STREAM_BATCH at a time through a server-side cursor (yield_per), themes loaded per batch;
    the session's identity map holds rows weakly, so written rows are freed.
    """
    with sessions() as session:
        units = {u.id: u for u in session.scalars(select(Unit))}
        query = service.filtered_query(session=session, criteria=criteria)
        result = session.scalars(query.execution_options(yield_per=STREAM_BATCH))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(EXPORT_HEADER)
        yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
        for batch in result.partitions():
            buffer.seek(0)
            buffer.truncate()
            for output in batch:
                row = output_row(output, units.get(output.unit_id))
                writer.writerow([_csv_text(neutralise(v)) for v in row])
            yield buffer.getvalue().encode("utf-8")
