"""The signer survives what a signature image leaves in the text ("[ (Đã ký)")."""

from __future__ import annotations

from tests.corpus import need_corpus
from trienkhai.documents.parser import parse_file, parse_text
from trienkhai.documents.signature import strip_signed

DECREE_TAIL = """CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 30/2020/NĐ-CP
Hà Nội, ngày 05 tháng 3 năm 2020
NGHỊ ĐỊNH
Về công tác văn thư
Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;
Điều 1. Phạm vi điều chỉnh
Nghị định này quy định về công tác văn thư./.
Nơi nhận:
- Ban Bí thư Trung ương Đảng;
- Lưu: VT, HC (2).
TM. CHÍNH PHỦ
THỦ TƯỚNG
[ (Đã ký)
Nguyễn Xuân Phúc
"""


def test_a_bracket_left_by_a_signature_image_is_no_text() -> None:
    assert strip_signed("[ (Đã ký)") == ""
    record = parse_text(DECREE_TAIL)
    assert record.signer_name == "Nguyễn Xuân Phúc"
    assert (record.signer_authority, record.signer_on_behalf) == ("TM.", "CHÍNH PHỦ")
    assert record.signer_title == "THỦ TƯỚNG"


def test_decree_30_word_original_has_its_signer() -> None:
    record = parse_file(need_corpus("docx-originals", "30_2020_ND_CP.docx"))
    assert record.signer_name == "Nguyễn Xuân Phúc"
    assert record.signer_title == "THỦ TƯỚNG"
    assert record.signer_authority == "TM."


def test_dust_a_scan_leaves_beside_the_signer_lines_is_no_text() -> None:
    # Specks left of a line read as dashes; a lost closing bracket.
    assert strip_signed("-_ Đãký)-") == ""
    assert strip_signed("(đãk  —-") == ""
    assert strip_signed("(đã kiểm tra)") == "(đã kiểm tra)"
    scanned = DECREE_TAIL.replace("[ (Đã ký)", "-_ Đãký)-").replace(
        "Nguyễn Xuân Phúc", "—_ Nguyễn Xuân Phúc"
    )
    record = parse_text(scanned)
    assert record.signer_name == "Nguyễn Xuân Phúc"
    assert record.signer_authority == "TM."
    # A Nơi nhận item stays an item: a dash there is the list's own.
    assert "Ban Bí thư Trung ương Đảng" in " ".join(record.noi_nhan)


def test_a_signature_note_a_scan_garbled_and_a_speck_before_the_prefix_keep_the_block() -> None:
    scanned = DECREE_TAIL.replace("[ (Đã ký)", "(88k)").replace("TM. CHÍNH PHỦ", "- TM. CHÍNH PHỦ")
    scanned = scanned.replace("Nguyễn Xuân Phúc", "—- Nguyễn Xuân Phúc,")
    record = parse_text(scanned)
    assert record.signer_name == "Nguyễn Xuân Phúc"
    assert record.signer_authority == "TM."
    assert not any("CHÍNH PHỦ" in item for item in record.noi_nhan)


def test_specks_read_after_a_title_line_leave_the_title() -> None:
    assert strip_signed('CHỦ TỊCH hÔng "') == "CHỦ TỊCH"
    assert strip_signed("BỘ TRƯỞNG | à") == "BỘ TRƯỞNG"
    assert strip_signed("GIÁM ĐỐC Sở Y tế") == "GIÁM ĐỐC Sở Y tế"
    record = parse_text(DECREE_TAIL.replace("THỦ TƯỚNG\n", "THỦ TƯỚNG | à\n"))
    assert record.signer_name == "Nguyễn Xuân Phúc"
    assert record.signer_title == "THỦ TƯỚNG"
