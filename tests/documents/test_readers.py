"""Readers on real files: encodings, Word with footnotes, the corpus Word and PDF copies, OCR."""

from __future__ import annotations

import collections
import zipfile
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from tests.corpus import CORPUS, corpus_files
from tests.documents.doc_builders import SAMPLE, make_sample_docx, make_scanned_pdf, soffice_convert
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.readers.legacy import encode_cp1258, encode_tcvn3, encode_vni
from trienkhai.documents.readers.registry import read_file, read_pasted
from trienkhai.settings import get_settings
from trienkhai.text import fold

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
# The legacy byte encodings have no superscript digits; TCVN3 even uses 0xB9 for "ạ".
PLAIN_SAMPLE = SAMPLE_TEXT.replace("¹", "1").replace("²", "2")


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample directive as a Word letter with real footnotes."""
    return make_sample_docx(tmp_path_factory.mktemp("docx") / "cong-van.docx")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("utf8", SAMPLE_TEXT.encode("utf-8"), SAMPLE_TEXT),
        ("utf8-bom", SAMPLE_TEXT.encode("utf-8-sig"), SAMPLE_TEXT),
        ("utf16-bom", SAMPLE_TEXT.encode("utf-16"), SAMPLE_TEXT),
        ("utf16le-no-bom", SAMPLE_TEXT.encode("utf-16-le"), SAMPLE_TEXT),
        ("utf16be-no-bom", SAMPLE_TEXT.encode("utf-16-be"), SAMPLE_TEXT),
        ("cp1258", encode_cp1258(SAMPLE_TEXT), SAMPLE_TEXT),
        ("vni", encode_vni(PLAIN_SAMPLE), PLAIN_SAMPLE),
    ],
)
def test_text_encodings_decode_to_the_same_nfc_text(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    result = read_file(path)
    assert result.text == expected


def test_cp1258_bytes_use_combining_tones_yet_come_back_composed(tmp_path: Path) -> None:
    data = encode_cp1258("Kế hoạch")
    assert b"\xec" in data or b"\xf2" in data  # a combining tone byte was written
    path = tmp_path / "a.txt"
    path.write_bytes(data * 50)
    assert read_file(path).text.startswith("Kế hoạchKế hoạch")


def test_tcvn3_decodes_with_capitals_restored_on_heading_lines(tmp_path: Path) -> None:
    path = tmp_path / "abc.txt"
    path.write_bytes(encode_tcvn3(PLAIN_SAMPLE))
    result = read_file(path)
    assert result.reader == "txt:tcvn3"
    # ABC has no capital toned letters; heading lines are put back in capitals.
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in result.text.splitlines()
    assert result.text.casefold() == PLAIN_SAMPLE.casefold()


def test_pasted_text_is_read_like_a_file() -> None:
    assert read_pasted(encode_vni("Nơi nhận:\n- Lưu: VT.")).text == "Nơi nhận:\n- Lưu: VT."


def test_docx_reads_header_table_cells_in_order_and_footnotes(sample_docx: Path) -> None:
    result = read_file(sample_docx)
    lines = result.text.splitlines()
    assert lines[:3] == ["UBND TỈNH KON TUM", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: /STTTT-TTBCXB"]
    assert lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < lines.index("Kính gửi:")
    assert [n.marker for n in result.footnotes] == ["1", "2"]
    assert result.footnotes[0].text.startswith("Công văn số 07/CV-VPTT ngày 05/7/2024")
    assert "Thông tư số 03/2019/TT-BTTTT ngày 06/5/2024" in result.footnotes[1].text
    assert any("của tỉnh¹, Sở Thông tin" in line for line in lines)
    assert any(line.endswith("theo quy định².") for line in lines)
    assert lines[-1] == "Mai Thoan"


def test_docx_merged_cells_are_read_once(tmp_path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "ỦY BAN NHÂN DÂN"
    table.cell(1, 0).merge(table.cell(1, 1))
    table.cell(1, 0).text = "TỈNH KON TUM"
    doc.save(str(tmp_path / "merged.docx"))
    lines = read_file(tmp_path / "merged.docx").text.split("\n")
    assert lines.count("ỦY BAN NHÂN DÂN") == 1
    assert lines.count("TỈNH KON TUM") == 1


def _lines(text: str) -> collections.Counter[str]:
    """Non-empty lines with whitespace collapsed."""
    return collections.Counter(" ".join(line.split()) for line in text.splitlines() if line.strip())


@pytest.mark.parametrize("path", corpus_files("vbpl-docx", "*.docx"), ids=lambda p: p.stem)
def test_corpus_docx_gives_the_lines_of_its_txt(path: Path) -> None:
    expected = (CORPUS / "vbpl" / f"{path.stem}.txt").read_text(encoding="utf-8")
    assert _lines(read_file(path).text) == _lines(expected)


@pytest.mark.parametrize("path", corpus_files("vbpl-pdf", "*.pdf"), ids=lambda p: p.stem)
def test_corpus_pdf_gives_the_words_and_most_lines_of_its_txt(path: Path) -> None:
    expected = (CORPUS / "vbpl" / f"{path.stem}.txt").read_text(encoding="utf-8")
    result = read_file(path)
    assert result.reader == "pdf"
    assert not result.ocr
    assert collections.Counter(result.text.split()) == collections.Counter(expected.split())
    got = set(_lines(result.text))
    want = list(_lines(expected).elements())
    # Wrapped lines are joined again; a few headings and lists stay split.
    assert sum(line in got for line in want) >= 0.85 * len(want)


@pytest.mark.slow
def test_pdf_made_by_libreoffice_from_the_sample_docx(sample_docx: Path, tmp_path: Path) -> None:
    pdf = soffice_convert(sample_docx, "pdf", tmp_path)
    result = read_file(pdf)
    lines = result.text.splitlines()
    assert result.reader == "pdf"
    assert "Số: /STTTT-TTBCXB" in lines
    assert "Kính gửi:" in lines
    assert any("của tỉnh¹, Sở Thông tin" in line for line in lines)
    assert "Mai Thoan" in lines


@pytest.mark.slow
def test_doc_is_converted_with_libreoffice_and_keeps_footnotes(
    sample_docx: Path, tmp_path: Path
) -> None:
    doc = soffice_convert(sample_docx, "doc", tmp_path)
    result = read_file(doc)
    assert result.reader == "doc"
    assert "Kính gửi:" in result.text.splitlines()
    assert [n.marker for n in result.footnotes] == ["1", "2"]


@pytest.mark.slow
def test_scanned_pdf_is_read_by_ocr(sample_docx: Path, tmp_path: Path) -> None:
    pdf = soffice_convert(sample_docx, "pdf", tmp_path)
    scan = make_scanned_pdf(pdf, tmp_path / "scan.pdf")
    result = read_file(scan)
    assert result.ocr
    flat = " ".join(result.text.split())
    # OCR may lose a stacked mark on a capital (SỞ → SƠ): the issuer is compared unaccented.
    assert fold("SỞ THÔNG TIN VÀ TRUYỀN THÔNG") in fold(flat)
    assert "Kính gửi" in flat
    assert "Mai Thoan" in flat


def test_missing_tesseract_is_named(
    sample_docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "tesseract_path", "no-such-tesseract")
    image = tmp_path / "page.png"
    Image.new("RGB", (50, 50), "white").save(image)
    with pytest.raises(ReadError, match="no-such-tesseract"):
        read_file(image)


def test_missing_soffice_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "soffice_path", "no-such-soffice")
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(ReadError, match="no-such-soffice"):
        read_file(path)


def test_docx_without_document_part_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ReadError, match=r"word/document\.xml"):
        read_file(path)
