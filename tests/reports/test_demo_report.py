"""The demo campaign's report, reopened: Decree-30 header and every figure equal to plain SQL."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import docx
import openpyxl
from docx.document import Document
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, Campaign, Theme
from trienkhai.demo import load_demo
from trienkhai.documents.models import Directive
from trienkhai.outputs.channels import channel_label
from trienkhai.outputs.models import Output, output_themes
from trienkhai.reports import docx as report_docx
from trienkhai.reports import service as report_service
from trienkhai.reports.context import ReportOptions
from trienkhai.reports.xlsx import campaign_xlsx
from trienkhai.units.models import Unit

TODAY = date(2024, 8, 20)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SUBJECT = (
    "Kết quả triển khai Công văn số …/STTTT-TTBCXB về đẩy mạnh tuyên truyền, đấu tranh "
    "phản bác về Nhân quyền trên địa bàn tỉnh"
)


def _count(session: Session, stmt: Select[tuple[int]]) -> int:
    return int(session.scalar(stmt) or 0)


def _pairs(session: Session, stmt: Select[tuple[str, int]]) -> dict[str, int]:
    return {key: value for key, value in session.execute(stmt)}  # noqa: C416 - Row is not a pair for dict()


def _outputs(campaign_id: int) -> Select[tuple[int]]:
    return select(func.count()).select_from(Output).where(Output.campaign_id == campaign_id)


def _on_theme(stmt: Select[tuple[int]], theme_id: int) -> Select[tuple[int]]:
    return stmt.join(output_themes, output_themes.c.output_id == Output.id).where(
        output_themes.c.theme_id == theme_id
    )


def _report(session: Session, campaign_id: int, options: ReportOptions | None = None) -> Document:
    data = report_docx.campaign_docx(
        session=session, campaign_id=campaign_id, today=TODAY, options=options
    )
    return docx.Document(io.BytesIO(data))


def test_demo_report_header_subject_signer(session: Session) -> None:
    demo = load_demo(session=session, today=TODAY)
    doc = _report(session, demo.campaign_id)
    header = doc.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs if p.text]
    right = [p.text for p in header.cell(0, 1).paragraphs if p.text]
    assert left == ["UBND TỈNH KON TUM", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    # A draft: blank number, symbol BC-<issuer abbreviation read from the directive's symbol>.
    assert header.cell(1, 0).text == "Số:       /BC-STTTT"
    assert header.cell(1, 1).text == "Kon Tum, ngày 20 tháng 8 năm 2024"
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index("BÁO CÁO") + 1] == SUBJECT
    directive = session.execute(
        select(Directive.doc_type, Directive.number_symbol, Directive.subject)
        .join(Campaign, Campaign.directive_id == Directive.id)
        .where(Campaign.id == demo.campaign_id)
    ).one()
    # The sample was read without its number: the office fills "…" in by hand.
    assert directive.number_symbol == "/STTTT-TTBCXB"
    assert (
        f"Kết quả triển khai {directive.doc_type} số …{directive.number_symbol} "
        f"về {directive.subject.rstrip('.')}"
    ) == SUBJECT
    sign = doc.tables[-1]
    # Issue 8: Nơi nhận held only the archive line; it defaults to the issuer's chain.
    assert [p.text for p in sign.cell(0, 0).paragraphs if p.text] == [
        "Nơi nhận:",
        "- UBND tỉnh (để báo cáo);",
        "- Giám đốc, các PGĐ Sở;",
        "- Lưu: VT, TTBCXB.",
    ]
    assert [p.text for p in sign.cell(0, 1).paragraphs if p.text] == [
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Mai Thoan",
    ]
    numbered = _report(
        session,
        demo.campaign_id,
        ReportOptions(number="15", kinh_gui="UBND tỉnh Kon Tum", noi_nhan=["Bộ TT&TT"]),
    )
    assert numbered.tables[0].cell(1, 0).text == "Số: 15/BC-STTTT"
    noi_nhan = [p.text for p in numbered.tables[-1].cell(0, 0).paragraphs if p.text]
    assert noi_nhan == ["Nơi nhận:", "- Như trên;", "- Bộ TT&TT;", "- Lưu: VT, TTBCXB."]


def test_demo_report_table_figures_equal_sql(session: Session) -> None:
    demo = load_demo(session=session, today=TODAY)
    cid = demo.campaign_id
    doc = _report(session, cid)
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Đơn vị")
    head = [c.text for c in table.rows[0].cells]
    assert head == ["STT", "Đơn vị", "T1", "T2", "T3", "T4", "Tổng số", "Đã xác minh"]
    themes = _pairs(session, select(Theme.code, Theme.id).where(Theme.campaign_id == cid))
    assigned = set(session.scalars(select(Assignment.unit_id).where(Assignment.campaign_id == cid)))
    logged = set(session.scalars(select(Output.unit_id).where(Output.campaign_id == cid)))
    names = _pairs(session, select(Unit.name, Unit.id).where(Unit.id.in_(assigned | logged)))
    body, totals = table.rows[1:-1], [c.text for c in table.rows[-1].cells]
    assert len(body) == len(assigned | logged) == len(names)
    for row in body:
        cells = [c.text for c in row.cells]
        base = _outputs(cid).where(Output.unit_id == names[cells[1]])
        for code, text in zip(head[2:6], cells[2:6], strict=True):
            assert int(text) == _count(session, _on_theme(base, themes[code])), (cells[1], code)
        assert int(cells[6]) == _count(session, base)
        assert int(cells[7]) == _count(session, base.where(Output.verification == "verified"))
    assert totals[1] == "Tổng cộng"
    for code, text in zip(head[2:6], totals[2:6], strict=True):
        assert int(text) == _count(session, _on_theme(_outputs(cid), themes[code]))
    assert int(totals[6]) == _count(session, _outputs(cid)) == 17
    assert int(totals[7]) == _count(session, _outputs(cid).where(Output.verification == "verified"))
    texts = [p.text for p in doc.paragraphs]
    assert any(t.startswith("Tổng số tin, bài, sản phẩm đã đăng, phát: 17") for t in texts)
    assert (
        f"Số đơn vị được giao nhiệm vụ: {len(assigned)};"
        in texts[texts.index("1. Tình hình chung") + 1]
    )


def _local_day(value: datetime) -> date:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(ZONE).date()


def test_demo_annexes_equal_sql(session: Session) -> None:
    demo = load_demo(session=session, today=TODAY)
    cid = demo.campaign_id
    wb = openpyxl.load_workbook(
        io.BytesIO(campaign_xlsx(session=session, campaign_id=cid, today=TODAY))
    )
    codes = _pairs(session, select(Unit.code, Unit.id))
    themes = _pairs(session, select(Theme.code, Theme.id).where(Theme.campaign_id == cid))
    channels = {channel_label(c): c for c in session.scalars(select(Output.channel).distinct())}
    total = 0
    # Untagged outputs the matcher scores above threshold are counted on those themes, marked.
    machine = report_service.machine_tags(session=session, campaign_id=cid)
    moved = Counter((m.unit_id, m.channel) for m in machine)
    for row in wb["Tổng hợp"].iter_rows(min_row=2, values_only=True):
        code, _name, theme, channel, n, _confirmed, suggested = row
        stmt = _outputs(cid).where(
            Output.unit_id == codes[code], Output.channel == channels[channel]
        )
        if theme in themes:
            assert n - suggested == _count(session, _on_theme(stmt, themes[theme])), row
        else:
            stmt = stmt.where(~Output.themes.any())
            assert n == _count(session, stmt) - moved[(codes[code], channels[channel])], row
        total += n
    tagged = _count(
        session,
        select(func.count())
        .select_from(output_themes)
        .join(Output, Output.id == output_themes.c.output_id)
        .where(Output.campaign_id == cid),
    )
    untagged = _count(session, _outputs(cid).where(~Output.themes.any()))
    assert total == tagged + untagged + sum(len(m.codes) - 1 for m in machine)
    listing = list(wb["Danh sách"].iter_rows(min_row=2, values_only=True))
    stored = session.execute(
        select(Output.title, Output.published_at).where(Output.campaign_id == cid)
    ).all()
    assert len(listing) == len(stored) == 17  # a row per output
    assert sorted((r[3], r[7].date()) for r in listing) == sorted(
        (title, _local_day(at)) for title, at in stored
    )
    assert all(isinstance(r[7], datetime) for r in listing)  # real dates, not text
    assert [r[0] for r in listing] == list(range(1, 18))
    overdue = set(
        session.scalars(
            select(Unit.code)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .where(
                Assignment.campaign_id == cid,
                Assignment.deadline < TODAY,
                Assignment.state.not_in(["reported", "verified", "cancelled"]),
            )
        )
    )
    late = {r[0]: r[3] for r in wb["Chậm tiến độ"].iter_rows(min_row=2, values_only=True)}
    assert overdue and overdue <= set(late)
    assert all(late[code] == 2 for code in overdue)  # the demo leaves them two days late
