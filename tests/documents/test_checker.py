"""The format checker on the sample draft, a clean letter and single faults."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.documents.doc_builders import SAMPLE
from trienkhai.documents.checker import check_record, repeated_phrase
from trienkhai.documents.parser import parse_file, parse_text

TODAY = dt.date(2024, 8, 1)

CLEAN = """UBND TỈNH KON TUM
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/STTTT-TTBCXB
Kon Tum, ngày 05 tháng 7 năm 2024
V/v tuyên truyền về quyền con người
Kính gửi: Các cơ quan báo chí tỉnh.
Thực hiện Kế hoạch số 1297/KH-UBND ngày 05/5/2023 của UBND tỉnh, Sở Thông tin và Truyền \
thông đề nghị các cơ quan báo chí tăng cường tuyên truyền.
Nơi nhận:
- Như trên;
- Lưu: VT, TTBCXB.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Mai Thoan
"""


def rules(text: str, today: dt.date = TODAY) -> set[str]:
    """Rule ids found in a text."""
    return {f.rule for f in check_record(parse_text(text), today=today)}


def test_the_sample_draft_shows_its_known_faults() -> None:
    findings = check_record(parse_file(SAMPLE), today=TODAY)
    by_rule = {f.rule: f for f in findings}
    assert by_rule["ND30-NUMBER-BLANK"].severity == "error"
    assert by_rule["ND30-DATE-BLANK"].severity == "error"
    assert "03/2019/TT-BTTTT" in by_rule["ND30-CITATION-YEAR"].message
    assert "2024" in by_rule["ND30-CITATION-YEAR"].message_en
    assert "Văn bản số 439/TTĐ Văn bản số 439/TTĐN-NVĐP" in by_rule["ND30-REPEATED-PHRASE"].message
    assert by_rule["ND30-NUMBER-BLANK"].line is not None


def test_a_clean_letter_has_no_error() -> None:
    findings = check_record(parse_text(CLEAN), today=TODAY)
    assert [f.rule for f in findings if f.severity == "error"] == []


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("Số: 12/STTTT", "Số: /STTTT", "ND30-NUMBER-BLANK"),
        ("Số: 12/STTTT", "Số: 5/STTTT", "ND30-NUMBER-PADDING"),
        ("ngày 05 tháng 7 năm 2024", "ngày   tháng   năm", "ND30-DATE-BLANK"),
        ("ngày 05 tháng 7 năm 2024", "ngày 32 tháng 7 năm 2024", "ND30-DATE-IMPOSSIBLE"),
        ("ngày 05 tháng 7 năm 2024", "ngày 29 tháng 02 năm 2023", "ND30-DATE-IMPOSSIBLE"),
        ("ngày 05 tháng 7 năm 2024", "ngày 05 tháng 13 năm 2024", "ND30-DATE-IMPOSSIBLE"),
        ("ngày 05 tháng 7 năm 2024", "ngày 05 tháng 9 năm 2024", "ND30-DATE-FUTURE"),
        ("ngày 05 tháng 7 năm 2024", "ngày 5 tháng 7 năm 2024", "ND30-DATE-PADDING"),
        ("ngày 05 tháng 7 năm 2024", "ngày 05 tháng 07 năm 2024", "ND30-DATE-PADDING"),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", "", "ND30-QUOC-HIEU-MISSING"),
        ("- Lưu: VT, TTBCXB.\n", "", "ND30-NOI-NHAN-LUU"),
        ("1297/KH-UBND ngày 05/5/2023", "1297/2019/KH-UBND ngày 05/5/2023", "ND30-CITATION-YEAR"),
        ("1297/KH-UBND", "1297/QĐ-UBND", "ND30-CITATION-TYPE"),
        (
            "tăng cường tuyên truyền",
            "tăng cường tuyên truyền tăng cường tuyên truyền",
            "ND30-REPEATED-PHRASE",
        ),
    ],
)
def test_each_fault_is_found(old: str, new: str, rule: str) -> None:
    assert old in CLEAN
    assert rule not in rules(CLEAN)
    assert rule in rules(CLEAN.replace(old, new))


def test_leap_day_of_a_leap_year_is_fine() -> None:
    text = CLEAN.replace("ngày 05 tháng 7 năm 2024", "ngày 29 tháng 02 năm 2024")
    assert "ND30-DATE-IMPOSSIBLE" not in rules(text)


def test_missing_noi_nhan_and_signer() -> None:
    text = CLEAN.split("Nơi nhận:", maxsplit=1)[0]
    found = rules(text)
    assert {"ND30-NOI-NHAN-MISSING", "ND30-SIGNER-MISSING"} <= found


def test_unknown_type_abbreviation_in_a_typed_document() -> None:
    text = CLEAN.replace("Số: 12/STTTT-TTBCXB", "Số: 12/KHH-UBND").replace(
        "V/v tuyên truyền về quyền con người", "KẾ HOẠCH\nTuyên truyền về quyền con người"
    )
    assert "ND30-TYPE-UNKNOWN" in rules(text)
    assert "ND30-TYPE-UNKNOWN" not in rules(text.replace("KHH-UBND", "KH-UBND"))


def test_a_document_with_no_header_reports_the_missing_parts() -> None:
    found = rules("Một đoạn văn bản không có phần đầu.\nChỉ có nội dung.")
    assert {"ND30-NUMBER-MISSING", "ND30-DATE-MISSING", "ND30-QUOC-HIEU-MISSING"} <= found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Văn bản số 439/TTĐ Văn bản số 439/TTĐN-NVĐP ngày 24",
            "Văn bản số 439/TTĐ Văn bản số 439/TTĐN-NVĐP",
        ),
        ("tỉnh Ninh Bình tỉnh Ninh Bình, và", "tỉnh Ninh Bình tỉnh Ninh Bình,"),
        ("tổ chức xã hội, tổ chức xã hội, tổ chức", None),
        ("công suất là công suất làm việc", None),
        ("từng bước từng bước", None),
    ],
)
def test_repeated_phrase(text: str, expected: str | None) -> None:
    assert repeated_phrase(text) == expected
