"""One grammar for layout, body and checker: strict dates, body starts, item ranks, types."""

from __future__ import annotations

import datetime as dt

import pytest

from trienkhai.documents import grammar, header
from trienkhai.documents.checker import check_record
from trienkhai.documents.citations import footnote_citations
from trienkhai.documents.parser import parse_text
from trienkhai.documents.schemas import Footnote


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("31", "02", "2025"), None),
        (("29", "02", "2025"), None),
        (("29", "02", "2024"), "2024-02-29"),
        (("32", "1", "2025"), None),
        (("05", "13", "2025"), None),
        (("5", "3", "2020"), "2020-03-05"),
        ((None, "3", "2020"), None),
    ],
)
def test_iso_date_is_strict(parts: tuple[str | None, str, str], expected: str | None) -> None:
    assert grammar.iso_date(*parts) == expected


def test_header_reader_and_citations_share_the_one_date_helper() -> None:
    assert not hasattr(header, "iso_date")
    record = parse_text(
        "UBND TỈNH KON TUM\nSỞ VĂN HÓA\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 12/SVH-VP\nKon Tum, ngày 31 tháng 02 năm 2025\n"
        "V/v thử\nKính gửi: Các cơ quan báo chí.\n"
        "Thực hiện Kế hoạch số 1/KH-UBND ngày 31/02/2025.\n"
    )
    assert record.issued_date is None
    assert grammar.real_date(31, 2, 2025) is None


def test_body_start_and_kinh_gui_patterns() -> None:
    assert grammar.BODY_START.match("Căn cứ Luật Báo chí")
    assert grammar.BODY_START.match("Kính gửi: Sở Y tế")
    assert grammar.KINH_GUI.sub("", "KÍNH GỬI: Sở Y tế") == "Sở Y tế"
    assert grammar.BODY_OR_ITEM.match("1. Sở Y tế")
    assert not grammar.BODY_START.match("Sở Y tế")


def test_one_rank_table_orders_item_labels() -> None:
    kinds = [grammar.item_kind(label) for label in ("II.", "1.", "1.1.", "a)", "-", "+", "•")]
    assert kinds == ["roman", "num0", "num1", "letter", "bullet-", "bullet+", "bullet•"]
    ranks = [grammar.item_rank(kind) for kind in kinds]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_type_abbreviations_come_from_the_type_table() -> None:
    assert {"KH", "CĐ", "QĐ", "NĐ", "TT", "SY"} <= grammar.TYPE_ABBRS
    assert grammar.type_from_symbol("CĐ-TTg") == "Công điện"


def test_a_footnote_listing_numbers_under_one_type_yields_each() -> None:
    note = Footnote(
        marker="1",
        text="Các công điện: số 217/CĐ-TTg ngày 16/11/2025; số 218/CĐ-TTg ngày 16/11/2025; "
        "số 219/CĐ-TTg ngày 17/11/2025; số 222/CĐ-TTg ngày 19/11/2025; số 223/CĐ-TTg ngày "
        "20/11/2025, số 225/CĐ-TTg ngày 20/11/2025.",
    )
    found = footnote_citations([note])
    assert [c.number_symbol for c in found] == [
        "217/CĐ-TTg", "218/CĐ-TTg", "219/CĐ-TTg", "222/CĐ-TTg", "223/CĐ-TTg", "225/CĐ-TTg",
    ]  # fmt: skip
    assert {c.type for c in found} == {"Công điện"}
    assert found[-1].date == "2025-11-20"


WRAPPED_DATE = """ỦY BAN NHÂN DÂN
THÀNH PHỐ CẦN THƠ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 159/KH-UBND
Cần Thơ, ngày
19 tháng 11 năm 2025
KẾ HOẠCH
Truyền thông về giảm nghèo
Căn cứ Thông tư số 06/2022/TT-BTTTT ngày 30 tháng 6 năm 2022 của Bộ Thông tin và Truyền thông;
I. MỤC ĐÍCH
Tăng cường truyền thông.
Nơi nhận:
- Sở Tài chính;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Chí Hùng
"""


def test_a_wrapped_date_is_not_reported_blank() -> None:
    record = parse_text(WRAPPED_DATE)
    assert record.issued_date == "2025-11-19"
    rules = {f.rule for f in check_record(record, today=dt.date(2026, 1, 1))}
    assert "ND30-DATE-BLANK" not in rules
    blank = WRAPPED_DATE.replace("19 tháng 11 năm 2025", "tháng năm 2025")
    rules = {f.rule for f in check_record(parse_text(blank), today=dt.date(2026, 1, 1))}
    assert "ND30-DATE-BLANK" in rules
