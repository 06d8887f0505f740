"""Text laid out in two columns (pdftotext -layout, a PDF viewer's copy): each column shape."""

from __future__ import annotations

from trienkhai.documents.columns import unfold
from trienkhai.documents.parser import parse_text
from trienkhai.documents.schemas import DocumentRecord

HEADER = """\
    ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    TỈNH KON TUM                          Độc lập - Tự do - Hạnh phúc
      -------                                ---------------
Số: 1234/UBND-KGVX                    Kon Tum, ngày 12 tháng 3 năm 2025
V/v tăng cường tuyên truyền
phòng, chống tác hại của
thuốc lá năm 2025

                       Kính gửi:
                                 - Sở Văn hóa, Thể thao và Du lịch;
                                 - Sở Y tế;
                                 - UBND các xã, phường.

      Thực hiện Công văn số 12/BYT-MT ngày 02/3/2025 của Bộ Y tế, Ủy ban nhân dân
tỉnh đề nghị các cơ quan, đơn vị triển khai các nội dung sau:
      1. Sở Văn hóa, Thể thao và Du lịch chủ trì tuyên truyền trên các phương tiện
thông tin đại chúng, hoàn thành trước ngày 30/4/2025.
"""

PAGE_BREAK = """\
      2. Sở Y tế phối hợp hướng dẫn các cơ sở y tế treo biển cấm hút thuốc lá tại
nơi làm việc.
\f                                     2
      3. UBND các xã, phường tổ chức tuyên truyền trên hệ thống loa truyền thanh
cơ sở./.
"""

SIGNATURE = """\
Nơi nhận:                                           KT. CHỦ TỊCH
- Như trên;                                         PHÓ CHỦ TỊCH
- CT, các PCT UBND tỉnh;
- Cổng Thông tin điện tử
tỉnh;
- Lưu: VT, KGVX.



                                                   Nguyễn Văn Hòa
"""


def _letter() -> str:
    return HEADER + PAGE_BREAK + "\n" + SIGNATURE


def assert_whole_letter(record: DocumentRecord) -> None:
    """Every header, recipient and signature field of the letter above."""
    assert record.issuer == "ỦY BAN NHÂN DÂN TỈNH KON TUM"
    assert (record.number_symbol, record.issued_date) == ("1234/UBND-KGVX", "2025-03-12")
    assert record.subject == "tăng cường tuyên truyền phòng, chống tác hại của thuốc lá năm 2025"
    units = ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế", "UBND các xã, phường"]
    assert record.recipients == units
    assert (record.signer_authority, record.signer_on_behalf) == ("KT.", "CHỦ TỊCH")
    assert (record.signer_title, record.signer_name) == ("PHÓ CHỦ TỊCH", "Nguyễn Văn Hòa")
    assert record.noi_nhan == NOI_NHAN


NOI_NHAN = ["Như trên", "CT, các PCT UBND tỉnh", "Cổng Thông tin điện tử tỉnh", "Lưu: VT, KGVX"]


def test_whole_letter() -> None:
    assert_whole_letter(parse_text(_letter()))


def test_header_columns_read_as_the_docx_table() -> None:
    record = parse_text(_letter())
    assert record.issuer == "ỦY BAN NHÂN DÂN TỈNH KON TUM"
    assert record.number_symbol == "1234/UBND-KGVX"
    assert (record.place, record.issued_date) == ("Kon Tum", "2025-03-12")


def test_subject_wrapped_in_the_left_column_is_joined() -> None:
    record = parse_text(_letter())
    assert record.doc_type == "Công văn"
    assert record.subject == "tăng cường tuyên truyền phòng, chống tác hại của thuốc lá năm 2025"


def test_kinh_gui_indented_right() -> None:
    record = parse_text(_letter())
    units = ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế", "UBND các xã, phường"]
    assert record.recipients == units


def test_noi_nhan_beside_the_signer_and_the_name_far_right_after_blank_lines() -> None:
    record = parse_text(_letter())
    assert record.signer_authority == "KT."
    assert record.signer_on_behalf == "CHỦ TỊCH"
    assert record.signer_title == "PHÓ CHỦ TỊCH"
    assert record.signer_name == "Nguyễn Văn Hòa"
    assert record.noi_nhan == NOI_NHAN


def test_signer_prefix_above_noi_nhan() -> None:
    text = HEADER + (
        "\n                                                    TM. ỦY BAN NHÂN DÂN\n"
        "Nơi nhận:                                               CHỦ TỊCH\n"
        "- Như trên;\n- Lưu: VT.\n\n\n                                                 Lê Văn An\n"
    )
    record = parse_text(text)
    assert (record.signer_authority, record.signer_on_behalf) == ("TM.", "ỦY BAN NHÂN DÂN")
    assert (record.signer_title, record.signer_name) == ("CHỦ TỊCH", "Lê Văn An")
    assert record.noi_nhan == ["Như trên", "Lưu: VT"]


def test_page_number_line_in_the_body_is_dropped() -> None:
    lines = unfold(_letter()).split("\n")
    assert not any(line.strip() == "2" for line in lines)
    record = parse_text(_letter())
    assert "\n2\n" not in f"\n{record.text}\n"
    assert "3. UBND các xã, phường tổ chức tuyên truyền" in record.text


def test_page_number_copied_without_a_page_break_is_dropped() -> None:
    text = HEADER + PAGE_BREAK.replace("\f", "") + "\n" + SIGNATURE
    assert not any(line.strip() == "2" for line in unfold(text).split("\n"))
    assert_whole_letter(parse_text(text))


def test_right_aligned_date_above_kinh_gui_columns_stays_in_the_header() -> None:
    text = (
        "    ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "    TỈNH KON TUM                          Độc lập - Tự do - Hạnh phúc\n"
        "Số: 1234/UBND-KGVX\n"
        "V/v tăng cường tuyên truyền\n"
        "                                      Kon Tum, ngày 12 tháng 3 năm 2025\n"
        "          Kính gửi:    - Sở Y tế;\n"
        "                       - UBND các xã, phường.\n"
        "      Thực hiện Công văn số 12/BYT-MT ngày 02/3/2025 của Bộ Y tế, Ủy ban nhân dân\n"
        "tỉnh đề nghị các cơ quan, đơn vị triển khai các nội dung sau.\n"
    )
    record = parse_text(text)
    assert (record.place, record.issued_date) == ("Kon Tum", "2025-03-12")
    assert record.recipients == ["Sở Y tế", "UBND các xã, phường"]


def test_appendix_header_after_the_archive_item_is_not_a_noi_nhan_item() -> None:
    appendix = "THỦ TƯỚNG CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nQUY CHẾ\n"
    lines = unfold(_letter() + appendix).split("\n")
    # The appendix header stays after the whole signature, as the .docx reader gives it.
    assert lines.index("THỦ TƯỚNG CHÍNH PHỦ") > lines.index("Nguyễn Văn Hòa")
    assert lines.index("- Lưu: VT, KGVX.") < lines.index("KT. CHỦ TỊCH")


def test_number_symbol_broken_at_its_hyphen_is_joined() -> None:
    text = (
        HEADER
        + "      sửa đổi Thông tư số 18/2011/TT-\nBVHTTDL ngày 02 tháng 12 năm 2011 của Bộ.\n"
    )
    assert "Thông tư số 18/2011/TT-BVHTTDL ngày 02 tháng 12" in unfold(text)


def test_running_head_repeated_on_pages_is_dropped() -> None:
    page = "      Nội dung thân văn bản dài một dòng đầy đủ ở đây, tiếp tục đoạn văn.\n"
    text = HEADER + "\f  Công văn 1234/UBND-KGVX\n" + page + "\f  Công văn 1234/UBND-KGVX\n" + page
    assert "Công văn 1234/UBND-KGVX" not in unfold(text)


def test_footnote_at_the_page_foot_is_lifted_out() -> None:
    foot = (
        "      Thực hiện chỉ đạo của Bộ Y tế, Ủy ban nhân dân tỉnh yêu cầu các đơn vị1 thực\n"
        "hiện nghiêm.\n\n"
        "1 Công văn số 12/BYT-MT ngày 02/3/2025 của Bộ Y tế.\n"
    )
    text = HEADER + foot + "\f" + SIGNATURE
    record = parse_text(text)
    assert [note.text for note in record.footnotes] == [
        "Công văn số 12/BYT-MT ngày 02/3/2025 của Bộ Y tế."
    ]
    assert record.signer_name == "Nguyễn Văn Hòa"


def test_one_column_text_is_unchanged() -> None:
    text = (
        "ỦY BAN NHÂN DÂN TỈNH KON TUM\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 12/UBND-VX\nKon Tum, ngày 1 tháng 2 năm 2025\n1. Một  đoạn   thân văn bản.\n"
    )
    assert unfold(text) == text
