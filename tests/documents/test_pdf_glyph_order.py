"""PDFs whose font lacks Vietnamese capitals: LibreOffice takes "Ỉ", "Ở", "Ề" from a fallback
font and the text layer lists them at the end of the line. Lines are rebuilt from positions."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.documents.doc_builders import SAMPLE, make_sample_docx, soffice_convert
from trienkhai.documents.parser import parse_file
from trienkhai.documents.readers.pdf import read_pdf

# Liberation Sans Narrow (fonts-liberation, version 1) has no "Ỉ" (U+1EC8) and no "Ở".
FONT = "Liberation Sans Narrow"


def _fc_list(pattern: str) -> str:
    """The font families fontconfig finds for a pattern."""
    run = subprocess.run(["fc-list", pattern, "family"], check=True, capture_output=True, text=True)
    return run.stdout


def _font_lacks_the_glyphs() -> bool:
    if not shutil.which("fc-list"):
        return False
    every = _fc_list(":")
    with_glyph = _fc_list(":charset=1ec8")
    return FONT in every and FONT not in with_glyph


pytestmark = pytest.mark.skipif(
    not _font_lacks_the_glyphs(), reason=f"font {FONT} (fonts-liberation v1) not installed"
)


@pytest.fixture(scope="module")
def narrow_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample letter set in a font without Vietnamese capitals, through LibreOffice."""
    out = tmp_path_factory.mktemp("narrow")
    return soffice_convert(make_sample_docx(out / "narrow.docx", font=FONT), "pdf", out)


def test_the_text_layer_really_lists_fallback_glyphs_out_of_order(narrow_pdf: Path) -> None:
    document = pdfium.PdfDocument(narrow_pdf)
    raw = document[0].get_textpage().get_text_range()
    document.close()
    assert "T NH KON TUM" in raw.replace("\r\n", " ")


def test_lines_are_rebuilt_from_character_positions(narrow_pdf: Path) -> None:
    text = read_pdf(narrow_pdf).text
    assert "UBND TỈNH KON TUM" in text
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in text
    assert "T NH" not in text


def test_the_letter_parses_as_from_its_text(narrow_pdf: Path) -> None:
    record = parse_file(narrow_pdf)
    expected = parse_file(SAMPLE)
    for name in ("issuer", "parent_issuer", "number_symbol", "issued_date", "subject"):
        assert getattr(record, name) == getattr(expected, name), name
    assert record.signer_name == expected.signer_name
