"""PDFs whose text layer writes both columns on one line: split like layout-kept text."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from tests.documents.doc_builders import soffice_convert
from tests.documents.test_columns import HEADER, PAGE_BREAK, SIGNATURE, assert_whole_letter
from trienkhai.documents.parser import parse_file

LETTER = HEADER + PAGE_BREAK.replace("\f", "") + "\n" + SIGNATURE


def _line_docx(path: Path, font: str) -> Path:
    """Each layout line as its own paragraph, spaces kept: the columns share printed lines."""
    doc = Document()
    doc.styles["Normal"].font.name = font
    doc.styles["Normal"].font.size = Pt(9)
    doc.styles["Normal"].paragraph_format.space_after = Pt(0)
    for line in LETTER.split("\n"):
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("font", ["Liberation Mono", "Liberation Serif"])
def test_columns_on_one_line_in_the_text_layer(tmp_path: Path, font: str) -> None:
    pdf = soffice_convert(_line_docx(tmp_path / "letter.docx", font), "pdf", tmp_path)
    record = parse_file(pdf)
    assert_whole_letter(record)
