"""The Word report: Decree-30 layout, and every figure equal to the database's count."""

from __future__ import annotations

import io
from datetime import UTC, date
from zoneinfo import ZoneInfo

import docx
from docx.document import Document
from docx.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import realistic_campaign
from trienkhai.campaigns.models import Theme
from trienkhai.outputs.models import Output, output_themes
from trienkhai.reports import docx as report_docx
from trienkhai.reports.context import (
    UNIT_LIST_LIMIT,
    ReportOptions,
    decree_date,
    short_date,
)
from trienkhai.units.models import Unit

TODAY = date(2024, 8, 20)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _open(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _runs(paragraph: object) -> list[object]:
    return [r for r in paragraph.runs if r.text.strip()]  # type: ignore[attr-defined]


def _unit_table(doc: Document) -> Table:
    return next(t for t in doc.tables if t.rows[0].cells[1].text == "Đơn vị")


def test_decree_dates() -> None:
    assert decree_date(date(2020, 3, 5)) == "ngày 05 tháng 3 năm 2020"
    assert decree_date(date(2020, 1, 15)) == "ngày 15 tháng 01 năm 2020"
    assert decree_date(date(2024, 12, 31)) == "ngày 31 tháng 12 năm 2024"
    assert short_date(date(2024, 2, 5)) == "05/02/2024"


def test_header_number_subject_signer_noi_nhan(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    options = ReportOptions(kinh_gui="Ủy ban nhân dân tỉnh Kon Tum", noi_nhan=["Bộ TT&TT"])
    doc = _open(
        report_docx.campaign_docx(
            session=session, campaign_id=campaign.id, today=TODAY, options=options
        )
    )
    header = doc.tables[0]
    left = header.cell(0, 0).paragraphs
    assert left[0].text == "UBND TỈNH KON TUM"
    assert not any(r.bold for r in _runs(left[0]))  # parent: capitals, not bold
    assert left[1].text == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert all(r.bold for r in _runs(left[1]))
    assert left[2]._p.pPr.find(docx.oxml.ns.qn("w:pBdr")) is not None  # the short line
    right = header.cell(0, 1).paragraphs
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc"
    assert all(r.bold for p in right[:2] for r in _runs(p))
    assert header.cell(1, 0).text.strip().replace(" ", "") == "Số:/BC-STTTT"  # draft: blank
    date_par = header.cell(1, 1).paragraphs[0]
    assert date_par.text == "Kon Tum, ngày 20 tháng 8 năm 2024"
    assert all(r.italic for r in _runs(date_par))
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("BÁO CÁO")
    assert all(r.bold for r in _runs(doc.paragraphs[i]))
    assert texts[i + 1] == (
        "Kết quả triển khai Công văn số 12/STTTT-TTBCXB ngày 15/7/2024 về đẩy mạnh tuyên "
        "truyền, đấu tranh phản bác về Nhân quyền trên địa bàn tỉnh"
    )
    assert "Kính gửi: Ủy ban nhân dân tỉnh Kon Tum" in texts
    sign = doc.tables[-1]
    noi_nhan = [p.text for p in sign.cell(0, 0).paragraphs if p.text]
    assert noi_nhan == ["Nơi nhận:", "- Như trên;", "- Bộ TT&TT;", "- Lưu: VT, TTBCXB."]
    label = _runs(sign.cell(0, 0).paragraphs[0])[0]
    assert label.bold and label.italic and label.font.size.pt == 12  # type: ignore[attr-defined]
    signer = [p.text for p in sign.cell(0, 1).paragraphs if p.text]
    assert signer == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]


def test_page_and_fonts(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    doc = _open(report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY))
    section = doc.sections[0]
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts <= {"Times New Roman", None}
    body = next(p for p in doc.paragraphs if p.text.startswith("Thực hiện"))
    assert 13 <= _runs(body)[0].font.size.pt <= 14  # type: ignore[attr-defined]


def test_every_table_figure_equals_database(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    doc = _open(report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY))
    table = _unit_table(doc)
    head = [c.text for c in table.rows[0].cells]
    assert head == ["STT", "Đơn vị", "T1", "T2", "T3", "T4", "Tổng số", "Đã xác minh"]
    themes = {
        t.code: t.id for t in session.scalars(select(Theme).where(Theme.campaign_id == campaign.id))
    }
    names = {u.name: u.id for u in session.scalars(select(Unit))}
    rows = table.rows[1:]
    assert len(rows) == 12 + 1
    for row in rows[:-1]:
        cells = [c.text for c in row.cells]
        unit_id = names[cells[1]]
        base = (
            select(func.count())
            .select_from(Output)
            .where(Output.campaign_id == campaign.id, Output.unit_id == unit_id)
        )
        for code, text in zip(head[2:6], cells[2:6], strict=True):
            n = session.scalar(
                base.join(output_themes, output_themes.c.output_id == Output.id).where(
                    output_themes.c.theme_id == themes[code]
                )
            )
            assert int(text) == n, (cells[1], code)
        assert int(cells[6]) == session.scalar(base)
        assert int(cells[7]) == session.scalar(base.where(Output.verification == "verified"))
    total = [c.text for c in rows[-1].cells]
    assert total[1] == "Tổng cộng"
    assert int(total[6]) == session.scalar(
        select(func.count()).select_from(Output).where(Output.campaign_id == campaign.id)
    )
    for code, text in zip(head[2:6], total[2:6], strict=True):
        n = session.scalar(
            select(func.count())
            .select_from(output_themes)
            .where(output_themes.c.theme_id == themes[code])
        )
        assert int(text) == n


def test_body_figures_and_links(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    data = report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY)
    doc = _open(data)
    texts = [p.text for p in doc.paragraphs]
    assert any("Tổng số tin, bài, sản phẩm đã đăng, phát: 310" in t for t in texts)
    assert any(t.startswith("- Đơn vị số 12: quá hạn") for t in texts)
    links = [r for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links and all(r.target_ref.startswith("https://example.org/") for r in links)
    images = [r for r in doc.part.rels.values() if r.reltype.endswith("/image")]
    assert len(images) == 4  # week, theme, group, channel


def test_unit_report(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    data = report_docx.unit_docx(
        session=session, campaign_id=campaign.id, unit_code="RP01", today=TODAY
    )
    doc = _open(data)
    assert doc.tables[0].cell(0, 0).paragraphs[1].text == "ĐƠN VỊ SỐ 1"
    assert doc.tables[0].cell(1, 0).text.replace(" ", "") == "Số:/BC-RP01"
    unit = session.scalar(select(Unit).where(Unit.code == "RP01"))
    assert unit is not None
    n = session.scalar(
        select(func.count())
        .select_from(Output)
        .where(Output.campaign_id == campaign.id, Output.unit_id == unit.id)
    )
    outputs = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    # One page: the most recent UNIT_LIST_LIMIT outputs, the others counted under the table.
    assert n is not None and n > UNIT_LIST_LIMIT
    assert len(outputs.rows) - 1 == UNIT_LIST_LIMIT
    texts = [p.text for p in doc.paragraphs]
    assert f"và {n - UNIT_LIST_LIMIT} sản phẩm khác (xem phụ lục)." in texts
    assert any(f"đã đăng, phát: {n}," in t for t in texts)  # figures count every output


def _listed_dates(doc: Document) -> list[str]:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    return [row.cells[5].text for row in table.rows[1:]]


def test_unit_report_lists_the_most_recent(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    unit = session.scalars(select(Unit).where(Unit.code == "RP02")).one()
    days = session.scalars(
        select(Output.published_at)
        .where(Output.campaign_id == campaign.id, Output.unit_id == unit.id)
        .order_by(Output.published_at.desc())
        .limit(5)
    ).all()
    expected = [
        short_date((d if d.tzinfo else d.replace(tzinfo=UTC)).astimezone(ZONE).date())
        for d in reversed(days)
    ]
    doc = _open(
        report_docx.unit_docx(
            session=session,
            campaign_id=campaign.id,
            unit_code="RP02",
            today=TODAY,
            options=ReportOptions(unit_list_limit=5),
        )
    )
    assert _listed_dates(doc) == expected  # newest five, oldest of them first
    total = session.scalar(
        select(func.count())
        .select_from(Output)
        .where(Output.campaign_id == campaign.id, Output.unit_id == unit.id)
    )
    assert f"và {total - 5} sản phẩm khác (xem phụ lục)." in [p.text for p in doc.paragraphs]


def test_unit_report_short_list_has_no_more_line(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    doc = _open(
        report_docx.unit_docx(
            session=session,
            campaign_id=campaign.id,
            unit_code="RP03",
            today=TODAY,
            options=ReportOptions(unit_list_limit=100),
        )
    )
    unit = session.scalars(select(Unit).where(Unit.code == "RP03")).one()
    total = session.scalar(
        select(func.count())
        .select_from(Output)
        .where(Output.campaign_id == campaign.id, Output.unit_id == unit.id)
    )
    assert len(_listed_dates(doc)) == total
    assert not any("sản phẩm khác" in p.text for p in doc.paragraphs)
    silent = _open(
        report_docx.unit_docx(
            session=session, campaign_id=campaign.id, unit_code="RP12", today=TODAY
        )
    )
    assert _listed_dates(silent) == []
    assert not any("sản phẩm khác" in p.text for p in silent.paragraphs)
