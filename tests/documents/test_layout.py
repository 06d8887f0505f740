"""Focused tests of the Decree-30 layout reader on small real-shaped texts."""

from __future__ import annotations

import pytest

from trienkhai.documents.lines import prepare
from trienkhai.documents.parser import parse_text
from trienkhai.documents.schemas import DocumentRecord

SIGNATURE = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An\n"


def _doc(header: str, body: str = "Nội dung văn bản./.", tail: str = SIGNATURE) -> DocumentRecord:
    """Parse a header, a body and a signature block."""
    return parse_text(f"{header}\n{body}\n{tail}")


def test_flattened_two_column_header() -> None:
    record = _doc(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH GIA LAI Độc lập - Tự do - Hạnh phúc\n"
        "Số: 125/KH-UBND Gia Lai, ngày 05 tháng 3 năm 2020\n"
        "KẾ HOẠCH\nTUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH NĂM 2020"
    )
    assert record.issuer == "ỦY BAN NHÂN DÂN TỈNH GIA LAI"
    assert record.parent_issuer is None
    assert (record.number, record.symbol) == ("125", "KH-UBND")
    assert record.place == "Gia Lai"
    assert record.issued_date == "2020-03-05"
    assert (record.doc_type, record.type_abbr) == ("Kế hoạch", "KH")
    assert record.subject == "TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH NĂM 2020"


def test_split_national_motto_and_parent_issuer() -> None:
    record = _doc(
        "UBND TỈNH KON TUM\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\nNAM Độc lập – Tự do – Hạnh phúc\n"
        "Số: 12/STTTT-TTBCXB\nKon Tum, ngày 05/3/2020\nV/v tuyên truyền."
    )
    assert record.parent_issuer == "UBND TỈNH KON TUM"
    assert record.issuer == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert record.issued_date == "2020-03-05"
    assert record.doc_type == "Công văn"
    assert record.type_abbr is None
    assert record.subject == "tuyên truyền"


def test_blank_number_and_blank_date() -> None:
    record = _doc(
        "SỞ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: /SYT-NVY\nKon Tum, ngày tháng năm\nV/v phòng chống dịch"
    )
    assert record.number is None
    assert record.symbol == "SYT-NVY"
    assert record.number_symbol == "/SYT-NVY"
    assert record.issued_date is None
    assert record.place == "Kon Tum"


def test_markdown_remnants_are_removed() -> None:
    lines = prepare(
        "|\n**V****Ă****N PHÒNG CHÍNH PHỦ**\n*Hà Nội, ngày 2 tháng 1**1** năm 2025*\n** **\n"
    )
    assert lines.lines == ["VĂN PHÒNG CHÍNH PHỦ", "Hà Nội, ngày 2 tháng 11 năm 2025"]


def test_wrapped_header_cells_are_joined() -> None:
    record = _doc(
        "BỘ TÀI\nCHÍNH\nCỤC HẢI QUAN\n--------\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố:\n37951/CHQ-GSQL\nV/v hướng dẫn thủ\ntục hải quan\n"
        "Hà\nNội, ngày 24 tháng 11 năm 2025\nKính\ngửi: Công ty TNHH An Phát.\n(đ/c: thôn Tạ)\n"
    )
    assert (record.parent_issuer, record.issuer) == ("BỘ TÀI CHÍNH", "CỤC HẢI QUAN")
    assert record.number_symbol == "37951/CHQ-GSQL"
    assert record.place == "Hà Nội"
    assert record.subject == "hướng dẫn thủ tục hải quan"
    assert record.recipients == ["Công ty TNHH An Phát"]


@pytest.mark.parametrize(
    ("block", "authority", "on_behalf", "title"),
    [
        ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG", "KT.", "BỘ TRƯỞNG", "THỨ TRƯỞNG"),
        ("KT.BỘ TRƯỞNG\nTHỨ TRƯỞNG", "KT.", "BỘ TRƯỞNG", "THỨ TRƯỞNG"),
        ("KT CHỦ TỊCH\nPHÓ CHỦ TỊCH", "KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ("TM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG", "TM.", "CHÍNH PHỦ", "PHÓ THỦ TƯỚNG"),
        ("TM. ỦY BAN\nNHÂN DÂN\nCHỦ TỊCH", "TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        ("TL. BỘ TRƯỞNG\nVỤ TRƯỞNG VỤ PHÁP CHẾ", "TL.", "BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ PHÁP CHẾ"),
        ("TUQ. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG", "TUQ.", "GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"),
        ("Q. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG", "Q.", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
        (
            "KT. BỘ TRƯỞNG,\nCHỦ NHIỆM\nPHÓ CHỦ NHIỆM",
            "KT.",
            "BỘ TRƯỞNG, CHỦ NHIỆM",
            "PHÓ CHỦ NHIỆM",
        ),
        ("TL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN CHÍNH SÁCH,\nTHUẾ QUỐC TẾ", "TL.", "CỤC TRƯỞNG", None),
        ("BỘ TRƯỞNG", None, None, "BỘ TRƯỞNG"),
    ],
)
def test_signer_blocks(
    block: str, authority: str | None, on_behalf: str | None, title: str | None
) -> None:
    record = _doc(
        "BỘ NỘI VỤ\nSố: 1/BNV-VP\nV/v họp",
        tail=f"Nơi nhận:\n- Lưu: VT.\n{block}\n(Đã ký)\nTrần Thị Bình\n",
    )
    assert record.signer_authority == authority
    assert record.signer_on_behalf == on_behalf
    assert record.signer_title == title
    assert record.signer_name == "Trần Thị Bình"


def test_military_rank_and_wrapped_name() -> None:
    ranked = _doc(
        "BỘ CÔNG AN\nSố: 5/2025/TT-BCA", tail="BỘ TRƯỞNG\n[daky]\nĐại tướng Lương Tam Quang\n"
    )
    assert ranked.signer_name == "Đại tướng Lương Tam Quang"
    wrapped = _doc(
        "BỘ NỘI VỤ\nSố: 9/BNV-TCBC\nV/v biên chế",
        tail="KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nVũ\nChiến Thắng\n",
    )
    assert wrapped.signer_name == "Vũ Chiến Thắng"


@pytest.mark.parametrize("mark", ["KHẨN", "THƯỢNG KHẨN", "HỎA TỐC", "MẬT", "TỐI MẬT", "TUYỆT MẬT"])
def test_marks(mark: str) -> None:
    record = _doc(
        f"BỘ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 7/BYT-DP\n{mark}\nV/v dịch bệnh"
    )
    assert [m.text for m in record.marks] == [mark]
    assert record.marks[0].kind == ("secrecy" if "MẬT" in mark else "urgency")
    assert record.issuer == "BỘ Y TẾ"


def test_cong_dien_addressees_and_cc() -> None:
    record = _doc(
        "THỦ TƯỚNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 228/CĐ-TTg\nHà Nội, ngày 25 tháng 11 năm 2025\nCÔNG ĐIỆN\nVỀ VIỆC ỨNG PHÓ MƯA LŨ\n"
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Bộ trưởng các Bộ: Tài chính, Nội vụ.\n"
        "- Chủ tịch Ủy ban nhân dân các tỉnh: Hà Tĩnh,\nQuảng Trị, Huế.\n"
        "Đồng kính gửi:\n- Ban Bí thư.\n",
        body="Trong mấy ngày qua, mưa lũ lớn./.",
        tail="THỦ TƯỚNG\nPhạm Minh Chính\n",
    )
    assert (record.doc_type, record.type_abbr) == ("Công điện", "CĐ")
    assert record.subject == "VỀ VIỆC ỨNG PHÓ MƯA LŨ"
    assert record.recipients == [
        "Bộ trưởng các Bộ: Tài chính, Nội vụ",
        "Chủ tịch Ủy ban nhân dân các tỉnh: Hà Tĩnh, Quảng Trị, Huế",
    ]
    assert record.recipients_cc == ["Ban Bí thư"]
    assert (record.signer_title, record.signer_authority) == ("THỦ TƯỚNG", None)


def test_cong_dien_with_wrapped_authority_and_wrapped_addressees() -> None:
    record = _doc(
        "THỦ TƯỚNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 301/CĐ-TTg\nHà Nội, ngày 02 tháng 12 năm 2025\nCÔNG ĐIỆN\nVỀ VIỆC CHỐNG RÉT CHO\n"
        "GIA SÚC GIAI ĐOẠN\n2025 - 2026\nTHỦ\nTƯỚNG CHÍNH PHỦ điện:\n- Bộ trưởng\ncác Bộ:\n"
        "Công Thương, Y tế.\n- Bí thư Tỉnh ủy, Chủ tịch\nỦy ban nhân dân các tỉnh miền núi phía "
        "Bắc: Lào Cai, Sơn La.\n",
        body="Những ngày qua, rét đậm kéo dài./.",
        tail="THỦ TƯỚNG\nPhạm Minh Chính\n",
    )
    # The year span has no letters; "THỦ" is the first word of the authority line.
    assert record.subject == "VỀ VIỆC CHỐNG RÉT CHO GIA SÚC GIAI ĐOẠN 2025 - 2026"
    assert record.recipients == [
        "Bộ trưởng các Bộ: Công Thương, Y tế",
        "Bí thư Tỉnh ủy, Chủ tịch Ủy ban nhân dân các tỉnh miền núi phía Bắc: Lào Cai, Sơn La",
    ]


def test_kinh_gui_ends_at_the_letters_first_sentence_and_skips_a_wrapped_address() -> None:
    header = (
        "BỘ TÀI CHÍNH\nCỤC HẢI QUAN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 77/CHQ-GSQL\nHà Nội, ngày 03 tháng 12 năm 2025\n"
        "V/v thủ tục tạm nhập\nKính gửi: Công ty TNHH Ánh Dương;\n"
        "Địa chỉ: số 5 đường Lê Lợi, khu công nghiệp Tân\nBình, phường Tân Bình, tỉnh Đồng Nai.\n"
        "Cục Hải quan\nnhận được công văn số 12/AD ngày 01/12/2025 của Công ty."
    )
    record = _doc(header, body="Về vấn đề này, Cục Hải quan có ý kiến như sau./.")
    assert record.recipients == ["Công ty TNHH Ánh Dương"]
    record = _doc(header.replace(";\nĐịa chỉ", "\nĐịa chỉ").replace("Dương", "Dương Việt Nam"))
    assert record.recipients == ["Công ty TNHH Ánh Dương Việt Nam"]


def test_law_takes_date_from_passing_sentence() -> None:
    record = _doc(
        "QUỐC HỘI\nLuật số: 127/2025/QH15\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nLUẬT\nTHI HÀNH ÁN HÌNH SỰ\nCăn cứ Hiến pháp;",
        body="Luật này được Quốc hội khóa XV, Kỳ họp thứ 10 thông qua ngày 10 tháng 12 năm 2025.",
        tail="CHỦ TỊCH QUỐC HỘI\nTrần Thanh Mẫn\n",
    )
    assert (record.doc_type, record.type_abbr, record.place) == ("Luật", None, None)
    assert record.subject == "THI HÀNH ÁN HÌNH SỰ"
    assert record.issued_date == "2025-12-10"
    assert record.signer_title == "CHỦ TỊCH QUỐC HỘI"


def test_appendix_after_signature_is_ignored() -> None:
    appendix = (
        "PHỤ LỤC\nMẪU ĐƠN\nSố: 99/ABC\nKính gửi: Ủy ban nhân dân xã\n"
        "Nơi nhận:\n- Lưu.\nGIÁM ĐỐC\nLê Văn Cường\n"
    )
    record = _doc(
        "BỘ NỘI VỤ\nSố: 3/2025/TT-BNV\nHà Nội, ngày 1 tháng 2 năm 2025\nTHÔNG TƯ\nQuy định mẫu đơn",
        tail=SIGNATURE + appendix,
    )
    assert record.number_symbol == "3/2025/TT-BNV"
    assert record.recipients == []
    assert record.noi_nhan == ["Như trên", "Lưu: VT"]
    assert record.signer_name == "Nguyễn Văn An"


def test_noi_nhan_wrapped_items() -> None:
    record = _doc(
        "BỘ NỘI VỤ\nSố: 3/BNV-VP\nV/v họp",
        tail="Nơi\nnhận:\n- VPCP: BTCN,\nPCN Phạm Mạnh Cường;\n• Các Bộ: KHCN, QP;\n"
        "+ Lưu: VT, KGVX (3).\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn An\n",
    )
    assert record.noi_nhan == [
        "VPCP: BTCN, PCN Phạm Mạnh Cường",
        "Các Bộ: KHCN, QP",
        "Lưu: VT, KGVX (3)",
    ]


def test_web_page_furniture_is_dropped() -> None:
    page = (
        "Bản dịch này thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT.\nĐang tải văn bản...\n"
        "**Số hiệu:**\n|\n228/CĐ-TTg\n**Tình trạng:**\n|\nĐã biết\nTóm tắt.\n"
        "Xem chi tiết tại Công văn 1/BNV ngày 1/1/2025.\n"
        "BỘ NỘI VỤ\nSố: 1/BNV-VP\nV/v họp\nKính gửi: Các sở.\nNội dung./.\n"
        "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn An\nCông văn 1/BNV-VP năm 2025 về họp\n"
        "Văn bản này chưa cập nhật nội dung Tiếng Anh\nCông văn 1/BNV-VP ngày 1/1/2025 về họp\n"
        "## Văn bản liên quan\n**Kính gửi:** Quý Thành viên,\n"
    )
    lines = prepare(page).lines
    assert lines[0] == "BỘ NỘI VỤ"
    assert lines[-1] == "Nguyễn Văn An"
    record = parse_text(page)
    assert record.recipients == ["Các sở"]
    assert record.number_symbol == "1/BNV-VP"


@pytest.mark.parametrize(
    "text", ["", "\n\n", "Kính", "Nơi", "Số:", "KT.", "Vũ\n", "TL.\nVũ", "|\n**\n#"]
)
def test_degenerate_texts_do_not_raise(text: str) -> None:
    record = parse_text(text)
    assert record.signer_name is None
    assert record.number is None
