"""Issue 8: the report's "chậm", period, Nơi nhận, themes, properties and annex, each pinned."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import docx
import openpyxl
import pytest
from sqlalchemy.orm import Session

from tests.factories import (
    report_assignment,
    report_campaign,
    report_directive,
    report_output,
    report_unit,
)
from trienkhai.campaigns.models import Campaign
from trienkhai.errors import InvalidError
from trienkhai.reports import context, report_settings, service, xlsx
from trienkhai.reports import docx as report_docx

TODAY = date(2024, 8, 20)
T1_TEXT = (
    "Tăng cường công tác thông tin tuyên truyền về phòng, chống mua bán người, hoạt động "
    "hưởng ứng “Ngày toàn dân phòng, chống mua bán người 30/7” trên địa bàn tỉnh. Chú trọng "
    "đưa tin một cách hệ thống với số liệu cụ thể."
)


def _campaign(session: Session, **fields: object) -> Campaign:
    """A campaign from the sample-like directive, period 15/7–30/9/2024."""
    return report_campaign(
        session,
        directive=report_directive(session),
        period_start=date(2024, 7, 15),
        period_end=date(2024, 9, 30),
        **fields,
    )


def _docx_texts(data: bytes) -> list[str]:
    doc = docx.Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs if p.text.strip()]


def test_late_means_past_due_and_not_reported(session: Session) -> None:
    campaign = _campaign(session)
    due_later = [report_unit(session) for _ in range(3)]  # six days ahead: not late
    for unit in due_later:
        report_assignment(session, campaign=campaign, unit=unit, deadline=TODAY + timedelta(6))
    late = report_unit(session, name="Đơn vị trễ hạn")
    report_assignment(session, campaign=campaign, unit=late, deadline=TODAY - timedelta(4))
    done = report_unit(session, name="Đơn vị đã báo cáo")
    report_assignment(
        session, campaign=campaign, unit=done, deadline=TODAY - timedelta(4), state="reported"
    )
    risky = report_unit(session, name="Đơn vị sắp đến hạn")
    report_assignment(session, campaign=campaign, unit=risky, deadline=TODAY + timedelta(2))
    busy = report_unit(session, name="Đơn vị sắp đến hạn có tin")
    report_assignment(session, campaign=campaign, unit=busy, deadline=TODAY + timedelta(2))
    report_output(session, campaign=campaign, unit=busy, themes=[campaign.themes[0]])
    session.flush()
    s = service.campaign_summary(session=session, campaign_id=campaign.id, today=TODAY)
    assert [lag.name for lag in s.laggards] == ["Đơn vị trễ hạn"]
    assert [lag.name for lag in s.at_risk] == ["Đơn vị sắp đến hạn"]
    reason = context.laggard_reason(s.laggards[0])
    assert reason == "quá hạn 4 ngày (hạn 16/8/2024), chưa báo cáo; chưa có tin, bài nào"
    assert context.laggard_reason(s.at_risk[0]) == (
        "còn 2 ngày đến hạn (22/8/2024), chưa ghi nhận tin, bài nào"
    )
    texts = _docx_texts(
        report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY)
    )
    section = texts[texts.index("II. ĐƠN VỊ CHẬM TIẾN ĐỘ") + 1 :]
    assert section[0] == f"- Đơn vị trễ hạn: {reason}."
    assert not any(u.name in t for u in due_later for t in texts)


def test_period_ends_at_the_report_date_or_campaign_end(session: Session) -> None:
    campaign = _campaign(session)
    texts = _docx_texts(
        report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY)
    )
    assert any("từ ngày 15/7/2024 đến ngày 20/8/2024" in t for t in texts)
    after = date(2024, 10, 10)
    texts = _docx_texts(
        report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=after)
    )
    assert any("từ ngày 15/7/2024 đến ngày 30/9/2024" in t for t in texts)


def test_noi_nhan_defaults_to_the_issuer_chain_and_is_editable(session: Session) -> None:
    campaign = _campaign(session)

    def noi_nhan() -> list[str]:
        data = report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY)
        cell = docx.Document(io.BytesIO(data)).tables[-1].cell(0, 0)
        return [p.text for p in cell.paragraphs if p.text]

    assert noi_nhan() == [
        "Nơi nhận:",
        "- UBND tỉnh (để báo cáo);",
        "- Giám đốc, các PGĐ Sở;",
        "- Lưu: VT, TTBCXB.",
    ]
    report_settings.save_settings(
        session=session,
        campaign_id=campaign.id,
        number="7",
        noi_nhan="- Bộ Thông tin và Truyền thông;\nUBND tỉnh (để báo cáo)\nLưu: VT, TTBCXB",
    )
    assert noi_nhan() == [
        "Nơi nhận:",
        "- Bộ Thông tin và Truyền thông;",
        "- UBND tỉnh (để báo cáo);",
        "- Lưu: VT, TTBCXB.",
    ]
    data = report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY)
    assert any(t.startswith("Số: 07/BC-STTTT") for t in _cells_text(data))


def _cells_text(data: bytes) -> list[str]:
    doc = docx.Document(io.BytesIO(data))
    return [p.text for t in doc.tables for c in t._cells for p in c.paragraphs]


@pytest.mark.parametrize(
    ("issuer", "parent", "expected"),
    [
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "UBND TỈNH QUẢNG NAM", ["UBND tỉnh (để báo cáo)",
         "Giám đốc, các PGĐ Sở"]),
        ("ỦY BAN NHÂN DÂN HUYỆN ĐĂK HÀ", "", ["Chủ tịch, các PCT UBND huyện"]),
        ("BAN TUYÊN GIÁO TỈNH ỦY", "TỈNH ỦY KON TUM", ["Tỉnh ủy (để báo cáo)",
         "Trưởng ban, các Phó Trưởng ban"]),
        ("HỘI NÔNG DÂN TỈNH", "BỘ NỘI VỤ", ["Bộ nội vụ (để báo cáo)"]),
    ],
)  # fmt: skip
def test_default_noi_nhan_is_derived_from_the_issuer(
    issuer: str, parent: str, expected: list[str]
) -> None:
    record = {
        "issuer": issuer,
        "parent_issuer": parent,
        "number_symbol": "5/KH-X-Y",
        "type_abbr": "KH",
    }
    assert context.default_noi_nhan(record) == [*expected, "Lưu: VT, Y"]


def test_report_settings_refuse_a_bad_number(session: Session) -> None:
    campaign = _campaign(session)
    with pytest.raises(InvalidError, match="Số báo cáo"):
        report_settings.save_settings(
            session=session, campaign_id=campaign.id, number="12/BC", noi_nhan=""
        )
    with pytest.raises(InvalidError, match="Nơi nhận, dòng 1"):
        report_settings.save_settings(
            session=session, campaign_id=campaign.id, number="", noi_nhan="x" * 400
        )


def test_theme_text_is_not_cut_mid_phrase(session: Session) -> None:
    campaign = _campaign(session)
    campaign.themes[0].text = T1_TEXT
    session.flush()
    texts = _docx_texts(
        report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY)
    )
    line = next(t for t in texts if t.startswith("- Nội dung T1"))
    # The whole first sentence (its "30/7" is no sentence end), and no "…".
    assert line == (
        "- Nội dung T1 (Tăng cường công tác thông tin tuyên truyền về phòng, chống mua bán "
        "người, hoạt động hưởng ứng “Ngày toàn dân phòng, chống mua bán người 30/7” trên địa "
        "bàn tỉnh): 0 tin, bài."
    )
    assert context.first_sentence("Một câu dài, không dấu chấm") == "Một câu dài, không dấu chấm"
    assert context.first_sentence("Tại TP. Kon Tum có hai. Ba") == "Tại TP. Kon Tum có hai"


def test_document_properties_name_the_issuer(session: Session) -> None:
    campaign = _campaign(session)
    data = report_docx.campaign_docx(session=session, campaign_id=campaign.id, today=TODAY)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.author == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert props.last_modified_by == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert props.title.startswith("Kết quả triển khai Công văn số 12/STTTT-TTBCXB")
    assert props.created is not None and props.created.date() == TODAY


def test_annex_speaks_vietnamese_and_keeps_times(session: Session) -> None:
    campaign = _campaign(session)
    unit = report_unit(session)
    report_assignment(session, campaign=campaign, unit=unit)
    # 02:30 UTC is 09:30 in Asia/Ho_Chi_Minh.
    at = datetime(2024, 7, 20, 2, 30, tzinfo=UTC)
    report_output(session, campaign=campaign, unit=unit, published_at=at, source="reported")
    report_output(session, campaign=campaign, unit=unit, published_at=at, source="discovered")
    session.flush()
    data = xlsx.campaign_xlsx(session=session, campaign_id=campaign.id, today=TODAY)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Danh sách"]
    header = [c.value for c in ws[1]]
    assert header[7] == "Thời điểm đăng" and header[10] == "Nguồn ghi nhận"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert {r[10] for r in rows} == {"Đơn vị báo cáo", "Hệ thống phát hiện"}
    assert all(r[7] == datetime(2024, 7, 20, 9, 30) for r in rows)
    assert ws.cell(2, 8).number_format == "DD/MM/YYYY HH:MM"
    assert not any(isinstance(v, str) and v in ("reported", "discovered") for r in rows for v in r)
