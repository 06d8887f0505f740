"""Header words OCR damages are put right with the known vocabulary, on header lines only."""

from __future__ import annotations

from trienkhai.documents.ocr_fix import (
    fix_date_words,
    fix_header,
    fix_line,
    fix_number_line,
    fix_type_line,
    vocabulary,
)
from trienkhai.documents.readers.ocr import strip_dust

DAMAGED = """UY BAN NHAN DAN TINH KON TUM   CÔNG HOÀ XÃ HỘI CHU NGHĨA VIET NAM
SƠ THÔNG TIN VA TRUYEN THONG    Độc lập — Tự do — Hanh phúc
Số: 12/STTTT-TTBCXB    Kon Tum, ngày 05 tháng 3 năm 2025
KE HOẠCH
Tuyên truyền về chuyển đổi số
Căn cứ Quyết định của Uy ban nhan dan tỉnh;
SƠ NỘI VỤ chủ trì."""


def test_damaged_header_words_are_put_right() -> None:
    lines = fix_header(DAMAGED).split("\n")
    # "HOÀ" is the older placement of the same tone, printed so: kept.
    assert lines[0] == "ỦY BAN NHÂN DÂN TỈNH KON TUM   CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert lines[1] == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG    Độc lập — Tự do — Hạnh phúc"
    assert lines[2] == "Số: 12/STTTT-TTBCXB    Kon Tum, ngày 05 tháng 3 năm 2025"
    assert lines[3] == "KẾ HOẠCH"


def test_the_body_is_left_as_read() -> None:
    lines = fix_header(DAMAGED).split("\n")
    assert lines[5:] == DAMAGED.split("\n")[5:]


def test_a_department_not_in_the_lists_still_gets_its_so() -> None:
    assert fix_line("SƠ DU LỊCH") == "SỞ DU LỊCH"
    assert fix_line("SÓ TƯ PHÁP") == "SỞ TƯ PHÁP"
    assert fix_line("SỐ 12") == "SỐ 12"


def test_one_damaged_letter_in_a_long_name_is_tolerated() -> None:
    assert fix_line("SỞ THÔNG TIM VÀ TRUYỀN THÔNG") == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    # Two words wrong is another name, not a damaged one: left alone.
    assert fix_line("SỞ THÔNG XE VÀ TRUYỀN HÌNH") == "SỞ THÔNG XE VÀ TRUYỀN HÌNH"


def test_vocabulary_draws_on_types_registry_and_agency_names() -> None:
    known = vocabulary()
    assert "Kế hoạch" in known and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in known
    assert "Sở Thông tin và Truyền thông" in known
    assert "Sở Văn hóa, Thể thao và Du lịch" in known


def test_type_abbreviation_in_the_number_line_is_put_right() -> None:
    assert fix_number_line("Số: 51/2025/T1-BCT") == "Số: 51/2025/TT-BCT"
    assert fix_number_line("Số: 1234/STTTT-TTBCXB") == "Số: 1234/STTTT-TTBCXB"
    assert fix_number_line("Thông tư số 28/2021/T1-BLĐTBXH") == "Thông tư số 28/2021/TT-BLĐTBXH"
    assert fix_number_line("ngày 28/12/2021 của Bộ") == "ngày 28/12/2021 của Bộ"
    assert fix_number_line("Số: 94/2025/UBTVQHI5") == "Số: 94/2025/UBTVQH15"
    assert fix_number_line("Số: 12/2025/QHl4") == "Số: 12/2025/QH14"
    assert fix_number_line("Số: 12/BC-UBND") == "Số: 12/BC-UBND"


def test_dust_marks_at_line_ends_are_dropped() -> None:
    assert strip_dust("ˆ_ ỦY BAN THƯỜNG VỤ QUỐC HỘI") == "ỦY BAN THƯỜNG VỤ QUỐC HỘI"
    assert strip_dust("_BỘ CÔNG THƯƠNG\nBỘ XÂY DỰNG ˆ") == "BỘ CÔNG THƯƠNG\nBỘ XÂY DỰNG"
    assert strip_dust("- Sở Nội vụ;\nÑguyễn Mạnh Hùng") == "- Sở Nội vụ;\nNguyễn Mạnh Hùng"


def test_date_words_are_put_right() -> None:
    line = "Hà Nội, ngay 17 thang 11 nắm 2025"
    assert fix_date_words(line) == "Hà Nội, ngày 17 tháng 11 năm 2025"
    assert fix_date_words("VIỆT NAM") == "VIỆT NAM"


def test_a_phrase_wrapped_over_two_header_lines_is_put_right() -> None:
    text = (
        "THÔNG TƯ\nSửa đối, bố sung Thông tư số 28/2021/T1-BLĐTBXH quy định chỉ\n"
        "tiết thi hành\nCăn cứ chỉ tiết"
    )
    assert fix_header(text).split("\n") == [
        "THÔNG TƯ",
        "Sửa đổi, bổ sung Thông tư số 28/2021/TT-BLĐTBXH quy định chi",
        "tiết thi hành",
        "Căn cứ chỉ tiết",
    ]


def test_a_misprint_tesseract_was_never_seen_to_make_is_kept_as_printed() -> None:
    # The source prints "Chường trình": tesseract was never measured reading ơ as ờ, so the
    # known type name must not replace it.
    text = "THÔNG TƯ\nĐiều chỉnh Chường trình lập pháp"
    assert fix_header(text) == text


def test_a_misprint_that_is_also_a_measured_misreading_is_read_as_the_likelier_word() -> None:
    # "Quy dịnh" may be a misprint or tesseract reading đ as d (measured: 2 in 3,906 letters);
    # the scan alone cannot tell them apart, so the likelier printed word wins (a known cost:
    # docs/parser-scores.md, vbpl-0097).
    text = "THÔNG TƯ\nQuy dịnh Đặc điểm kinh tế"
    assert fix_header(text).split("\n")[1] == "Quy định Đặc điểm kinh tế"


def test_marks_tesseract_misreads_in_ordinary_case_are_put_right() -> None:
    # The hook read as an acute (đổi → đối), a speck read as a hook (chi → chỉ).
    text = "THÔNG TƯ\nSửa đối, bố sung quy định chỉ tiết\nCăn cứ"
    assert fix_header(text).split("\n")[1] == "Sửa đổi, bổ sung quy định chi tiết"


def test_a_known_phrase_keeps_the_case_it_was_printed_in() -> None:
    text = "THÔNG TƯ\nTrình Văn phòng Chính phủ và Ủy ban Thường vụ Quốc hội\nCăn cứ"
    assert fix_header(text).split("\n")[1] == (
        "Trình Văn phòng Chính phủ và Ủy ban Thường vụ Quốc hội"
    )


def test_a_short_national_issuer_is_known() -> None:
    assert fix_line("CHÍNH PHÙ") == "CHÍNH PHỦ"
    assert fix_line("BỘ Y TÊ") == "BỘ Y TẾ"


def test_the_older_tone_placement_is_kept_as_printed() -> None:
    assert fix_line("BỘ VĂN HOÁ, THỂ THAO VÀ DU LỊCH") == "BỘ VĂN HOÁ, THỂ THAO VÀ DU LỊCH"
    assert fix_line("BỘ VĂN HOA, THỂ THAO VÀ DU LỊCH") == "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH"


def test_a_term_number_read_with_a_one_twice_and_a_stray_stroke_are_put_right() -> None:
    assert fix_number_line("Số: 119/2026/UBTVQH115") == "Số: 119/2026/UBTVQH15"
    assert fix_number_line("số 11/2003/QH11") == "số 11/2003/QH11"
    assert fix_number_line("Số: 06/2019/TT1-BVHTTDL") == "Số: 06/2019/TT-BVHTTDL"
    assert fix_number_line("Số: 27/2025/TI-BTP") == "Số: 27/2025/TT-BTP"
    assert fix_number_line("Số: 51/2025/TT.BCT") == "Số: 51/2025/TT-BCT"


def test_a_type_line_one_letter_off_is_that_type() -> None:
    assert fix_type_line("THỒÔNG TƯ") == "THÔNG TƯ"
    assert fix_type_line("QUYẾT ĐINHH") == "QUYẾT ĐỊNH"
    # Exact types, short types and lines near no single type stay as read.
    for line in ("THÔNG CÁO", "LUẬTT", "SỞ Y TẾ", "Thông tư"):
        assert fix_type_line(line) == line
