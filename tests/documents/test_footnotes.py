"""Footnotes: lifted out of the lines, sentences rejoined, references stripped."""

from __future__ import annotations

from trienkhai.documents.footnotes import ends_sentence, split_footnotes, strip_references
from trienkhai.documents.schemas import Footnote


def test_spliced_footnote_is_lifted_and_sentence_rejoined() -> None:
    lines = [
        "Trên cơ sở chỉ đạo của tỉnh¹, Sở đề nghị:",
        "- Thông tin về (iv) sự ghi nhận của các quốc",
        "¹ Công văn số 07/CV-VPTT ngày 05/7/2024 của Ban Chỉ đạo.",
        "gia về các chính sách của Việt Nam.",
        "- Nội dung khác.",
    ]
    out, notes = split_footnotes(lines, [])
    assert out == [
        "Trên cơ sở chỉ đạo của tỉnh, Sở đề nghị:",
        "- Thông tin về (iv) sự ghi nhận của các quốc gia về các chính sách của Việt Nam.",
        "- Nội dung khác.",
    ]
    assert notes == [
        Footnote(marker="1", text="Công văn số 07/CV-VPTT ngày 05/7/2024 của Ban Chỉ đạo.")
    ]


def test_bracket_footnotes_at_the_end_span_wrapped_lines() -> None:
    lines = [
        "Thủ tướng Chính phủ[1] chỉ đạo các bộ[2] khẩn trương.",
        "Lưu: VT.",
        "____________________",
        "[1] Thông",
        "báo số 627/TB-VPCP ngày 18/11/2025",
        "của Văn phòng Chính phủ.",
        "[2]",
        "Bộ Giáo dục và Đào tạo.",
    ]
    out, notes = split_footnotes(lines, [])
    assert out == ["Thủ tướng Chính phủ chỉ đạo các bộ khẩn trương.", "Lưu: VT."]
    assert [n.marker for n in notes] == ["1", "2"]
    assert notes[0].text == "Thông báo số 627/TB-VPCP ngày 18/11/2025 của Văn phòng Chính phủ."


def test_marker_never_referenced_is_not_a_footnote() -> None:
    lines = ["Căn cứ Luật.", "[3] Đây là dòng bình thường của văn bản."]
    out, notes = split_footnotes(lines, [])
    assert out == lines
    assert notes == []


def test_known_footnotes_are_kept_and_their_references_removed() -> None:
    known = [Footnote(marker="1", text="Kế hoạch số 1/KH-UBND ngày 02/01/2025.")]
    out, notes = split_footnotes(["Theo kế hoạch[1] của tỉnh."], known)
    assert out == ["Theo kế hoạch của tỉnh."]
    assert notes == known


def test_strip_references_keeps_unknown_markers() -> None:
    assert strip_references("a¹ b[2] c[3]", {"1", "2"}) == "a b c[3]"


def test_ends_sentence_ignores_markup_and_quotes() -> None:
    assert ends_sentence("… tổ chức bộ máy”.**")
    assert not ends_sentence("(iv) sự ghi nhận của các quốc")
