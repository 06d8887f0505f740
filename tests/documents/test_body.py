"""Body helpers: citations, sections, outline, units, channels, deadlines, robustness."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trienkhai.documents.assignments import assignment_units, unit_of
from trienkhai.documents.channels import channels, deadlines, forms
from trienkhai.documents.citations import find_citations, footnote_citations
from trienkhai.documents.lines import prepare
from trienkhai.documents.parser import parse_text
from trienkhai.documents.schemas import Footnote
from trienkhai.documents.sections import Heading, outline, roman_headings, roman_value


def test_find_citations_reads_type_number_date_issuer() -> None:
    text = "Thực hiện Kế hoạch số 1297/KH- UBND ngày 05 tháng 5 năm 2023 của UBND tỉnh về việc X."
    [citation] = find_citations(text)
    assert citation.type == "Kế hoạch"
    assert citation.number_symbol == "1297/KH-UBND"
    assert citation.date == "2023-05-05"
    assert citation.issuer == "UBND tỉnh"


def test_find_citations_exposes_symbol_year_for_the_checker() -> None:
    [citation] = find_citations("Thông tư số 03/2019/TT-BTTTT ngày 06/5/2024 của Bộ.")
    assert citation.number_symbol is not None
    assert citation.number_symbol.split("/")[1] == "2019"
    assert citation.date == "2024-05-06"


def test_find_citations_reads_party_symbols_and_bare_number_lists() -> None:
    text = (
        "Thông báo số 627/TB-VPCP ngày 18/11/2025; các văn bản số: 10894/VPCP-CN ngày "
        "8/11/2025, 8563/VPCP-CN ngày 12/9/2025 của Văn phòng Chính phủ.. Kết luận số "
        "212-KL/TW ngày 18/11/2025."
    )
    got = [(c.type, c.number_symbol, c.issuer) for c in find_citations(text)]
    assert got == [
        ("Thông báo", "627/TB-VPCP", "Văn phòng Chính phủ"),
        ("Văn bản", "10894/VPCP-CN", "Văn phòng Chính phủ"),
        ("Văn bản", "8563/VPCP-CN", "Văn phòng Chính phủ"),
        ("Kết luận", "212-KL/TW", None),
    ]


def test_footnote_citations_skip_documents_named_in_a_description() -> None:
    note = Footnote(
        marker="1",
        text=(
            "Nghị quyết số 163/2024/QH15 ngày 27/11/2024 của Quốc hội phê duyệt chủ trương; "
            "Nghị quyết số 50/NQ-CP ngày 13/3/2025 của Chính phủ về việc ban hành Kế hoạch "
            "thực hiện Nghị quyết số 99/2024/QH15 ngày 27/11/2024 của Quốc hội."
        ),
    )
    assert [c.number_symbol for c in footnote_citations([note])] == [
        "163/2024/QH15",
        "50/NQ-CP",
    ]


def test_footnote_citations_ignore_an_impossible_date() -> None:
    [citation] = footnote_citations(
        [Footnote(marker="1", text="Công văn số 5/UBND ngày 32/13/2024.")]
    )
    assert citation.date is None


def test_footnote_citation_dated_after_its_issuer() -> None:
    text = "Theo Nghị quyết số 12/NQ-CP của Chính phủ ngày 05 tháng 2 năm 2024."
    note = Footnote(marker="3", text=text)
    [citation] = footnote_citations([note])
    assert (citation.issuer, citation.date) == ("Chính phủ", "2024-02-05")
    assert citation.text == "Nghị quyết số 12/NQ-CP của Chính phủ ngày 05 tháng 2 năm 2024"


def test_roman_headings_join_wrapped_capitals_and_keep_repeats() -> None:
    lines = ["I. MỤC", "ĐÍCH, YÊU CẦU", "1. Mục đích", "II.", "Nhiệm vụ cụ", "thể", "II. TỔ CHỨC"]
    assert [h.text for h in roman_headings(lines)] == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. Nhiệm vụ cụ thể",
        "II. TỔ CHỨC",
    ]


def test_roman_headings_need_an_unbroken_sequence() -> None:
    assert roman_headings(["V. Không phải mục đầu", "X. Cũng không"]) == []
    assert roman_value("XIV") == 14
    assert roman_value("ABC") == 0


def test_outline_nests_numbers_letters_and_dashes() -> None:
    tree = outline(["I. NỘI DUNG", "1. Sở Y tế: chủ trì", "a) Việc một", "- chi tiết", "2. Khác"])
    [root] = tree
    assert root.label == "I."
    assert [c.label for c in root.children] == ["1.", "2."]
    assert root.children[0].title == "Sở Y tế"
    assert root.children[0].children[0].children[0].level == 4


def test_unit_of_drops_leads_and_predicates() -> None:
    assert unit_of("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp tuyên truyền") == (
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    )
    assert unit_of("Các sở, ban, ngành có trách nhiệm:") == "Các sở, ban, ngành"
    assert unit_of("Căn cứ Kế hoạch này, các sở, ban, ngành triển khai") == "các sở, ban, ngành"
    assert unit_of("Các Bộ: Quốc phòng, Công an theo chức năng được giao") == (
        "Các Bộ: Quốc phòng, Công an"
    )
    assert unit_of("Tổ chức tuyên truyền rộng rãi") is None
    assert unit_of("Các nội dung tuyên truyền gồm") is None


def test_unit_of_reads_a_long_preamble_and_a_responsibility_heading() -> None:
    text = (
        "Để nâng cao hiệu lực, hiệu quả quản lý nhà nước về đầu tư, tăng cường công tác "
        "đánh giá, kiểm tra và giám sát các dự án, các Sở, ngành theo chức năng triển khai"
    )
    assert unit_of(text) == "các Sở, ngành"
    assert unit_of("Trách nhiệm của đối tượng thực hiện kiểm kê:") == (
        "đối tượng thực hiện kiểm kê"
    )


def _units(lines: list[str]) -> list[str]:
    """assignment_units of a body under one task heading."""
    heading = roman_headings(["I. TỔ CHỨC THỰC HIỆN"])[0]
    return assignment_units(["I. TỔ CHỨC THỰC HIỆN", *lines], [heading])


def test_units_split_a_heading_line_from_the_sentence_under_it() -> None:
    lines = ["a) Sở Xây dựng", "- Đánh giá sự phù hợp.", "b) Các đơn vị khác"]
    lines += ["Cơ quan đăng ký đầu tư có", "trách nhiệm lấy ý kiến."]
    assert _units(lines) == ["Sở Xây dựng", "Các đơn vị khác"]


def test_units_under_a_units_task_are_its_members() -> None:
    lines = ["1. Các cơ quan quản lý ngành", "- Phối hợp hướng dẫn kiểm kê. Trong đó:"]
    lines += ["+ Sở Xây dựng: hướng dẫn kiểm kê hạ tầng giao thông.", "2. Sở Tài chính"]
    lines += ["- Tổng hợp kết quả."]
    assert _units(lines) == ["Các cơ quan quản lý ngành", "Sở Tài chính"]


def test_units_of_topic_items_come_from_their_own_paragraph() -> None:
    lines = ["1. Về kiến nghị của tỉnh:", "Bộ Nội vụ khẩn trương nghiên cứu.", "2. Về vốn:"]
    lines += ["giao Bộ Tài chính chủ trì xem xét.", "3. Các Bộ, cơ quan và các Tập đoàn: Công"]
    lines += ["nghiệp - Năng lượng Quốc gia Việt Nam, Bưu chính viễn thông Việt Nam, Công nghiệp"]
    lines += ["- Viễn thông Quân đội theo chức năng, phối hợp với Tỉnh."]
    heading = Heading(label="III.", title="VỀ MỘT SỐ KIẾN NGHỊ CỦA TỈNH", line=0, end=1)
    got = assignment_units(["III. VỀ MỘT SỐ KIẾN NGHỊ CỦA TỈNH", *lines], [heading])
    assert got == [
        "Bộ Nội vụ",
        "Các Bộ, cơ quan và các Tập đoàn: Công nghiệp - Năng lượng Quốc gia Việt Nam, "
        "Bưu chính viễn thông Việt Nam, Công nghiệp - Viễn thông Quân đội",
    ]


def test_prepare_maps_bold_lines_to_their_bold_opening() -> None:
    text = "**2. Sở Dân tộc\nvà Tôn giáo**\n\n**3. Ban X: **Làm Y.\n**4. **Các xã làm Z."
    strong = prepare(text).strong
    assert strong["2. Sở Dân tộc"] == "2. Sở Dân tộc"
    assert strong["và Tôn giáo"] == "và Tôn giáo"
    assert strong["3. Ban X: Làm Y."] == "3. Ban X:"
    assert strong["4. Các xã làm Z."] == "4."


def _bold_units(markdown: str) -> list[str]:
    """assignment_units of a markdown body under one task heading, emphasis kept."""
    prepared = prepare(f"I. TỔ CHỨC THỰC HIỆN\n{markdown}")
    heading = roman_headings(prepared.lines[:1])[0]
    return assignment_units(prepared.lines, [heading], strong=prepared.strong)


def test_units_end_with_their_bold_heading() -> None:
    # A capitalised verb the vocabulary lacks opens the task under a bold heading.
    markdown = "**1. Sở Dân tộc và\nTôn giáo**\n\nXúc tiến các hoạt động.\n\n"
    # A bold title is a name even where a word could be a verb ("tổ chức", "cung cấp").
    markdown += "**2. Đề nghị các tổ chức cung\ncấp dịch vụ**\n\na) Hưởng ứng phong trào.\n\n"
    # A run-in heading ends with the bold text; a plain note before its colon stays.
    markdown += "**3. Ban Quản lý dự án **(đơn vị đầu mối):\nDựng bảng tin.\n\n"
    markdown += "**4. Sở Giao thông chủ trì, phối hợp:**\nLàm đường."
    assert _bold_units(markdown) == [
        "Sở Dân tộc và Tôn giáo",
        "các tổ chức cung cấp dịch vụ",
        "Ban Quản lý dự án (đơn vị đầu mối)",
        "Sở Giao thông",
    ]


def test_units_keep_a_noun_that_looks_like_a_verb_after_a_determiner() -> None:
    assert unit_of("Các chủ rừng là tổ chức (các lâm trường) thực hiện bảo vệ rừng") == (
        "Các chủ rừng là tổ chức (các lâm trường)"
    )


def test_a_plural_unit_names_bodies_not_things() -> None:
    assert unit_of("Các bệnh lây qua đường nước uống") is None
    assert unit_of("Các tuyến đường ven biển thường xuyên ngập") is None
    assert unit_of("Các hợp tác xã nông nghiệp tham gia chuỗi liên kết") == (
        "Các hợp tác xã nông nghiệp"
    )


def test_a_unit_name_closes_after_lien_quan_or_cac_cap() -> None:
    assert unit_of("Các phòng, ban liên quan củng cố đội ngũ") == "Các phòng, ban liên quan"
    assert unit_of("Ban Chỉ đạo các cấp sắp xếp lịch họp") == "Ban Chỉ đạo các cấp"
    assert unit_of("Các đơn vị có liên quan thuộc Sở Công Thương phối hợp") == (
        "Các đơn vị có liên quan thuộc Sở Công Thương"
    )


def test_roman_headings_start_at_two_when_the_first_numeral_was_skipped() -> None:
    lines = ["Mở đầu.", "II. MỤC ĐÍCH", "Nội dung.", "III. TỔ CHỨC THỰC HIỆN", "Việc."]
    assert [h.text for h in roman_headings(lines)] == ["II. MỤC ĐÍCH", "III. TỔ CHỨC THỰC HIỆN"]
    assert roman_headings(["II. MỤC ĐÍCH", "Nội dung."]) == []


def test_channels_forms_and_deadlines_use_the_vocabulary() -> None:
    text = (
        "Đăng tin, bài trên báo in, Cổng TTĐT, fanpage Zalo và Youtube; phát sóng chuyên mục "
        "trên đài truyền thanh; báo cáo trước ngày 15/12/2025 và định kỳ hằng tháng."
    )
    assert channels(text) == [
        "báo in",
        "cổng/trang thông tin điện tử",
        "đài truyền thanh cơ sở",
        "fanpage",
        "Zalo",
        "YouTube",
    ]
    assert forms(text) == ["tin", "bài", "chuyên mục"]
    assert forms("cung cấp thông tin cho người dân") == []
    assert deadlines(text) == ["2025-12-15", "định kỳ hằng tháng"]


def test_record_deadlines_collect_assignment_deadlines() -> None:
    text = "\n".join(
        [
            "II. TỔ CHỨC THỰC HIỆN",
            "1. Sở Văn hóa, Thể thao và Du lịch: báo cáo kết quả trước ngày 20/12/2025.",
            "2. UBND các xã: tuyên truyền trên loa truyền thanh, báo cáo hằng quý.",
        ]
    )
    record = parse_text(text)
    assert record.assignment_units == ["Sở Văn hóa, Thể thao và Du lịch", "UBND các xã"]
    assert record.deadlines == ["2025-12-20", "hằng quý"]


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("I V.1a)-:¹[]2 \nSởBộ các và số/KH-UBND ngày")), max_size=400
    )
)
def test_parser_never_raises(text: str) -> None:
    record = parse_text(text)
    assert record.section_count == len(record.sections)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_raises_on_any_unicode(text: str) -> None:
    record = parse_text(text)
    assert isinstance(record.body, str)
