"""CSV/XLSX import (validate all, store all or none) and export (formula-safe, real dates)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.outputs.factories import make_campaign, make_unit, zip_bomb_xlsx
from tests.users.factories import make_account
from trienkhai.outputs import exporter, importer, service
from trienkhai.outputs.models import Output
from trienkhai.users.models import Role

HEADER = [
    "STT",
    "Tiêu đề",
    "Đường dẫn",
    "Kênh",
    "Hình thức",
    "Ngày đăng",
    "Nội dung",
    "Thời lượng (phút)",
    "Lượt tiếp cận",
    "Ghi chú",
]


def _csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *rows])
    return ("\ufeff" + buf.getvalue()).encode()


def _xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


GOOD = [
    [
        "1",
        "Tuyên truyền về quyền con người",
        "https://baokontum.com.vn/a",
        "Báo điện tử",
        "bài",
        "20/07/2024",
        "T1, T2",
        "",
        "1.200",
        "",
    ],
    [
        "2",
        "Bản tin truyền thanh",
        "",
        "truyen thanh co so",
        "tin",
        "21/07/2024 17:30",
        "t3",
        "5:30",
        "",
        "loa xã",
    ],
    ["3", "Phóng sự nhân quyền", "", "Truyền hình", "Phóng sự", "2024-07-22", "T4", "12", "", ""],
]


@pytest.fixture
def ctx(session: Session) -> dict:
    unit = make_unit(session, websites=["https://baokontum.com.vn"], name="Báo Kon Tum")
    campaign = make_campaign(session, units=[unit])
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    return {"unit": unit, "campaign": campaign, "editor": editor}


def _run(session: Session, ctx: dict, content: bytes, filename: str = "ket-qua.csv", **kw: object):
    return importer.import_outputs(
        session=session,
        actor=ctx["editor"],
        campaign_id=ctx["campaign"].id,
        unit_id=ctx["unit"].id,
        filename=filename,
        content=content,
        **kw,  # type: ignore[arg-type]
    )


def _count(session: Session, ctx: dict) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Output).where(Output.campaign_id == ctx["campaign"].id)
        )
        or 0
    )


def test_csv_import_stores_all_and_reimport_creates_nothing(session: Session, ctx: dict) -> None:
    result = _run(session, ctx, _csv(GOOD))
    assert (result.stored, result.duplicates, result.errors) == (3, 0, [])
    rows = {
        o.title: o
        for o in session.scalars(select(Output).where(Output.campaign_id == ctx["campaign"].id))
    }
    assert rows["Bản tin truyền thanh"].duration_seconds == 330
    assert rows["Bản tin truyền thanh"].channel == "truyen_thanh"
    assert rows["Phóng sự nhân quyền"].duration_seconds == 720
    assert rows["Tuyên truyền về quyền con người"].reach == 1200
    again = _run(session, ctx, _csv(GOOD))
    assert (again.stored, again.duplicates) == (0, 3)
    assert _count(session, ctx) == 3


def test_xlsx_import_reads_excel_date_cells(session: Session, ctx: dict) -> None:
    rows = [
        [1, "Bài A", "", "báo in", "bài", datetime(2024, 7, 20, 9, 0), "T1", None, 5000, None],
        [2, "Bài B", "", "báo in", "", 45493, "", None, None, None],
    ]
    result = _run(session, ctx, _xlsx(rows), filename="kq.xlsx")
    assert result.errors == [] and result.stored == 2
    titles = {
        o.title: service.as_aware(o.published_at).astimezone(service.local_zone())
        for o in session.scalars(select(Output).where(Output.campaign_id == ctx["campaign"].id))
    }
    assert titles["Bài A"].hour == 9
    assert titles["Bài B"].date().isoformat() == "2024-07-20"  # Excel serial 45493


def test_every_error_reported_and_nothing_stored(session: Session, ctx: dict) -> None:
    bad = [
        *GOOD,
        ["4", "Bài ngày sai", "", "báo in", "bài", "31/02/2024", "", "", "", ""],
        ["5", "Bài kênh lạ", "", "báo tường", "bài", "01/07/2024", "", "", "", ""],
        ["6", "Bài mã lạ", "", "báo in", "bài", "01/07/2024", "T9", "", "", ""],
        ["7", '=HYPERLINK("http://evil","bấm")', "", "báo in", "bài", "01/07/2024", "", "", "", ""],
        [
            "8",
            "Tuyên truyền về quyền con người",
            "https://baokontum.com.vn/a/?utm_source=x",
            "Báo điện tử",
            "bài",
            "20/07/2024",
            "T1",
            "",
            "",
            "",
        ],
        ["9", "", "", "", "", "", "", "", "nhiều", ""],
    ]
    result = _run(session, ctx, _csv(bad))
    messages = [e.message for e in result.errors]
    assert "Dòng 5, cột 'Ngày đăng': '31/02/2024' không phải ngày hợp lệ (dd/mm/yyyy)" in messages
    assert any(
        m.startswith(
            "Dòng 6, cột 'Kênh': kênh 'báo tường' không hợp lệ; chấp nhận: báo in, báo điện tử"
        )
        for m in messages
    )
    assert any(m.startswith("Dòng 7, cột 'Nội dung': mã nội dung T9") for m in messages)
    assert any(m.startswith("Dòng 8, cột 'Tiêu đề': ô bắt đầu bằng '='") for m in messages)
    assert any(m.startswith("Dòng 9, cột 'Tiêu đề': trùng với dòng 2") for m in messages)
    assert {(e.row, e.column) for e in result.errors} >= {
        (10, "Tiêu đề"),
        (10, "Kênh"),
        (10, "Ngày đăng"),
        (10, "Lượt tiếp cận"),
    }
    assert result.stored == 0
    assert _count(session, ctx) == 0


def test_missing_and_unknown_columns_are_named(session: Session, ctx: dict) -> None:
    header = ["Tên bài báo", "Kênh", "Ngày"]
    result = _run(session, ctx, _csv([["A", "báo in", "01/07/2024"]], header=header))
    messages = [e.message for e in result.errors]
    assert any("Cột 'Tên bài báo' không được hỗ trợ" in m for m in messages)
    assert "Thiếu cột bắt buộc 'Tiêu đề'" in messages
    assert all(e.row == 1 for e in result.errors)


def test_foreign_domain_is_a_warning_that_can_be_accepted(session: Session, ctx: dict) -> None:
    rows = [
        [
            "1",
            "Bài đăng lại",
            "https://vnexpress.net/bai",
            "báo điện tử",
            "bài",
            "01/07/2024",
            "",
            "",
            "",
            "",
        ]
    ]
    first = _run(session, ctx, _csv(rows))
    assert first.errors == [] and first.needs_confirmation and first.stored == 0
    assert "không thuộc trang của đơn vị Báo Kon Tum" in first.warnings[0].message
    assert _count(session, ctx) == 0
    accepted = _run(session, ctx, _csv(rows), accept_warnings=True)
    assert accepted.stored == 1 and accepted.warnings


def test_row_limit_refuses_a_huge_file(
    session: Session, ctx: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service.get_settings(), "max_import_rows", 1000)
    line = "Bài,,báo in,bài,01/07/2024,,,,\n"
    content = ("\ufeff" + ",".join(HEADER[1:]) + "\n" + line * 100_000).encode()
    result = _run(session, ctx, content)
    assert "hơn 1000 dòng" in result.errors[0].message
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for _ in range(20_000):
        sheet.append(["Bài", "", "báo in", "bài", "01/07/2024"])
    buf = io.BytesIO()
    book.save(buf)
    result = _run(session, ctx, buf.getvalue(), filename="big.xlsx")
    assert "hơn 1000 dòng" in result.errors[0].message


def test_unknown_file_type_is_refused(session: Session, ctx: dict) -> None:
    result = _run(session, ctx, b"%PDF-1.4", filename="kq.pdf")
    assert "Không nhận dạng được tệp 'kq.pdf'" in result.errors[0].message


def test_a_zip_bomb_named_xlsx_is_refused_and_nothing_stored(session: Session, ctx: dict) -> None:
    # Refused from the archive's declared sizes, before inflating (speed: bench, not here).
    result = _run(session, ctx, zip_bomb_xlsx(), filename="bom.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(0, "")]
    assert result.errors[0].message.startswith("bom.xlsx: ")
    assert "zip bomb" in result.errors[0].message
    assert result.stored == 0 and _count(session, ctx) == 0


def test_an_xlsx_that_is_not_a_zip_is_a_file_error(session: Session, ctx: dict) -> None:
    result = _run(session, ctx, "Tiêu đề,Kênh\n".encode(), filename="kq.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(0, "")]
    assert result.errors[0].message.startswith("kq.xlsx: ")
    assert "not a zip" in result.errors[0].message


def test_export_neutralises_formulas_and_writes_real_dates(session: Session, ctx: dict) -> None:
    rows = [["1", "Bài thường", "", "báo in", "bài", "20/07/2024 08:15", "T1", "", "", ""]]
    _run(session, ctx, _csv(rows))
    out = session.scalars(select(Output).where(Output.campaign_id == ctx["campaign"].id)).one()
    out.note = "=cmd|' /C calc'!A0"  # stored by some other path: the export must still be safe
    session.flush()
    crit = service.OutputFilter(campaign_id=ctx["campaign"].id)
    book = load_workbook(
        io.BytesIO(exporter.export_outputs(session=session, criteria=crit, fmt="xlsx"))
    )
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Ngày đăng"].value == datetime(2024, 7, 20, 8, 15)
    assert row["Ngày đăng"].is_date
    assert row["Ghi chú"].value == "'=cmd|' /C calc'!A0"
    assert row["Kênh"].value == "báo in"
    text = exporter.export_outputs(session=session, criteria=crit, fmt="csv").decode("utf-8")
    assert text.startswith("\ufeffMã,Mã đơn vị")
    assert ",'=cmd|' /C calc'!A0," in text and "20/07/2024 08:15" in text


def test_export_reimports_as_duplicates(session: Session, ctx: dict) -> None:
    _run(session, ctx, _csv(GOOD))
    crit = service.OutputFilter(campaign_id=ctx["campaign"].id)
    for fmt in ("csv", "xlsx"):
        content = exporter.export_outputs(session=session, criteria=crit, fmt=fmt)
        result = _run(session, ctx, content, filename=f"x.{fmt}")
        assert (result.errors, result.stored, result.duplicates) == ([], 0, 3)


def test_template_has_lists_example_and_guide(session: Session, ctx: dict) -> None:
    book = load_workbook(io.BytesIO(exporter.template("xlsx")))
    assert book.sheetnames == ["Kết quả", "Danh mục", "Hướng dẫn"]
    sheet = book["Kết quả"]
    assert [c.value for c in sheet[1]][:3] == ["Tiêu đề", "Đường dẫn", "Kênh"]
    formulas = sorted(dv.formula1 for dv in sheet.data_validations.dataValidation)
    assert formulas == ["'Danh mục'!$A$2:$A$13", "'Danh mục'!$B$2:$B$10"]
    # The template itself imports cleanly: its example row is skipped.
    for fmt in ("xlsx", "csv"):
        result = _run(session, ctx, exporter.template(fmt), filename=f"mau.{fmt}")
        assert (result.errors, result.stored) == ([], 0)
    assert exporter.template("csv").startswith(b"\xef\xbb\xbf")


def test_a_date_out_of_range_is_a_row_error(session: Session, ctx: dict) -> None:
    far = ["2", "Bài năm một", "", "báo in", "bài", "01/01/0001", "", "", "", ""]
    result = _run(session, ctx, _csv([GOOD[0], far]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "Ngày đăng")]
    assert result.errors[0].message.startswith("Dòng 3, cột 'Ngày đăng': '01/01/0001'")
    assert _count(session, ctx) == 0


def test_a_script_link_is_a_row_error(session: Session, ctx: dict) -> None:
    for url in ("javascript://baokontum.com.vn/%0aalert(1)", "javascript:alert(document.domain)"):
        row = ["2", "Bài có link lạ", url, "báo điện tử", "bài", "20/07/2024", "", "", "", ""]
        result = _run(session, ctx, _csv([GOOD[0], row]))
        assert [(e.row, e.column) for e in result.errors] == [(3, "Đường dẫn")], url
        assert _count(session, ctx) == 0


def test_streamed_csv_is_the_same_file_in_chunks(
    session: Session, ctx: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(session, ctx, _csv(GOOD))
    crit = service.OutputFilter(campaign_id=ctx["campaign"].id)
    whole = exporter.export_outputs(session=session, criteria=crit, fmt="csv")
    monkeypatch.setattr(exporter, "STREAM_BATCH", 2)  # three outputs: two row chunks
    sessions = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    chunks = list(exporter.stream_outputs_csv(sessions=sessions, criteria=crit))
    assert len(chunks) == 3  # header, then two batches
    assert b"".join(chunks) == whole
