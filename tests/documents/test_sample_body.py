"""The sample directive's body: themes, assignments, citations, attachments, rejoined text."""

from __future__ import annotations

from pathlib import Path

import pytest

from trienkhai.documents.parser import parse_text
from trienkhai.documents.schemas import DocumentRecord


@pytest.fixture(scope="module")
def record(sample_path: Path) -> DocumentRecord:
    """The sample parsed once."""
    return parse_text(sample_path.read_text(encoding="utf-8"))


def test_sections(record: DocumentRecord) -> None:
    assert record.sections == ["I. Tập trung vào các nội dung:", "II. Tổ chức thực hiện"]
    assert record.section_count == 2


def test_four_themes_with_keywords(record: DocumentRecord) -> None:
    assert [t.code for t in record.themes] == ["T1", "T2", "T3", "T4"]
    assert record.themes[0].text.startswith("Thông tin về kết quả Phiên bảo vệ báo cáo UPR")
    assert {"UPR", "quyền con người"} <= set(record.themes[0].keywords)
    assert "nhân quyền" in record.themes[1].keywords
    assert "mua bán người" in record.themes[2].keywords
    assert {"người lao động", "công đoàn"} <= set(record.themes[3].keywords)
    assert all("Tài liệu gửi kèm" not in t.text for t in record.themes)


def test_attachments_and_references(record: DocumentRecord) -> None:
    assert len(record.attachments) == 2
    assert record.attachments[0].startswith("(1) Một số thông tin trao đổi")
    assert record.attachments[1].startswith("(2) dự thảo Luật lưu trữ (sửa đổi)")
    refs = set(record.references)
    assert {"www.nhanquyenvn.org", "Nhân quyền Việt Nam", "Tin tức vùng cao"} <= refs
    assert "Nhân quyền cuộc sống" in refs


def test_three_assignments_with_radio_tv_child(record: DocumentRecord) -> None:
    groups = [a.group for a in record.assignments]
    assert groups == [
        "Các cơ quan báo chí Trung ương và địa phương",
        "Cổng thông tin điện tử tỉnh và các sở, ban, ngành",
        "UBND các huyện, thành phố",
    ]
    first = record.assignments[0]
    assert first.label == "1."
    assert [c.group for c in first.children] == ["Đài Phát thanh – Truyền hình tỉnh"]
    assert {"Zalo", "Facebook", "TikTok", "mạng xã hội"} <= set(first.channels)
    assert {"tin", "bài", "phóng sự", "chuyên đề", "chương trình"} <= set(first.forms)
    assert {"phát thanh", "truyền hình"} <= set(first.children[0].channels)
    third = record.assignments[2]
    assert {"đài truyền thanh cơ sở", "bảng tin điện tử công cộng"} <= set(third.channels)
    assert "thông điệp ngắn" in third.forms


def test_assignment_units(record: DocumentRecord) -> None:
    assert record.assignment_units == [
        "Các cơ quan báo chí Trung ương và địa phương",
        "Cổng thông tin điện tử tỉnh và các sở, ban, ngành",
        "UBND các huyện, thành phố",
    ]


def test_five_footnote_citations(record: DocumentRecord) -> None:
    got = [(c.footnote, c.type, c.number_symbol, c.date) for c in record.footnote_citations]
    assert got == [
        ("1", "Công văn", "07/CV-VPTT", "2024-07-05"),
        ("1", "Kế hoạch", "1297/KH-UBND", "2023-05-05"),
        ("1", "Quyết định", "1079/QĐ-TTg", "2022-09-14"),
        ("1", "Văn bản", "439/TTĐN-NVĐP", "2024-05-24"),
        ("2", "Thông tư", "03/2019/TT-BTTTT", "2024-05-06"),
    ]
    assert record.footnote_citations[0].issuer == "Ban Chỉ đạo Nhân quyền của tỉnh"


def test_footnote_spliced_sentence_is_rejoined(record: DocumentRecord) -> None:
    assert "(iv) sự ghi nhận của các quốc gia về các chính sách" in record.body
    assert "07/CV-VPTT" not in record.body
    assert "03/2019/TT-BTTTT" not in record.text
    assert [n.marker for n in record.footnotes] == ["1", "2"]
