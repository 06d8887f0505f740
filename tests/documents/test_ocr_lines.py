"""Lines tesseract's page layout leaves out are found in the ink and read alone, put in place."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from tests.documents.test_scans import needs_font, page_image
from trienkhai.documents.readers.ocr import OcrBudget, _tesseract, prepare
from trienkhai.documents.readers.ocr_lines import (
    Piece,
    Word,
    _placed,
    missing,
    page_text,
    pieces,
    read_words,
    recover,
)

LINES = [
    "BỘ Y TẾ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 02/2026/TT-BYT",
    "Hà Nội, ngày 04 tháng 02 năm 2026",
    "THÔNG TƯ",
    "Sửa đổi quy định việc phân cấp giải quyết thủ tục hành chính",
]


def _word(top: int, left: int, text: str, block: int = 1) -> Word:
    return Word(block, 1, 1, left, top, 60, 30, 95.0, text)


def _read(tmp_path: Path) -> tuple[Image.Image, str, str]:
    """A clean page of the lines, prepared and read by tesseract (text, tsv)."""
    image = prepare(page_image(LINES))
    target = tmp_path / "page.png"
    image.save(target)
    text, tsv = _tesseract(target, target, OcrBudget.start(target))
    return image, text, tsv


def test_ink_is_cut_into_lines_and_column_pieces() -> None:
    ink = np.zeros((300, 1000), dtype=bool)
    ink[50:80, 100:300] = True  # a line in the left column
    ink[50:80, 600:900] = True  # a line in the right column, far apart
    ink[120:123, 100:400] = True  # a rule: too thin for text
    ink[200:230, 100:110] = True  # a speck: too narrow
    found = pieces(ink, height=30)
    assert found == [Piece(100, 50, 300, 80), Piece(600, 50, 900, 80)]


def test_a_piece_no_word_touches_is_missing() -> None:
    image = Image.new("L", (1000, 300), 255)
    image.paste(0, (100, 50, 300, 80))
    image.paste(0, (100, 150, 600, 180))
    words = [_word(150, 100, "Độc"), _word(150, 300, "lập")]
    assert missing(image, words) == [Piece(100, 50, 300, 80)]


@needs_font
def test_the_text_is_rebuilt_from_the_words_as_tesseract_writes_it(tmp_path: Path) -> None:
    _, text, tsv = _read(tmp_path)
    assert page_text(read_words(tsv)) == text


@needs_font
def test_a_line_left_out_is_read_alone_and_put_back_first(tmp_path: Path) -> None:
    image, _, tsv = _read(tmp_path)
    words = read_words(tsv)
    # Leave out the issuer line, as tesseract's page layout does above a short rule.
    first = min(w.top for w in words)
    kept = [w for w in words if w.top > first + 20]
    assert "BỘ" not in page_text(kept)
    budget = OcrBudget.start(tmp_path / "page.png")
    whole = recover(
        image, kept, lambda line: _tesseract(line, line, budget, "--psm", "7")[1], tmp_path
    )
    assert whole is not None
    lines = page_text(whole).split("\n")
    assert lines[0] == "BỘ Y TẾ" and lines[1] == ""
    assert lines[2].startswith("CỘNG HÒA")


@needs_font
def test_a_page_read_whole_is_left_as_tesseract_wrote_it(tmp_path: Path) -> None:
    image, _, tsv = _read(tmp_path)
    words = read_words(tsv)
    asked: list[Path] = []
    assert missing(image, words) == []
    assert recover(image, words, lambda line: asked.append(line) or "", tmp_path) is None
    assert asked == []  # no line was read alone


def test_a_line_beside_a_column_goes_after_the_paragraph_above_it() -> None:
    # Two-column header: the left block first in reading order, then the right one.
    left = [_word(100, 100, "UBND", block=1)]
    right = [_word(100, 800, "CỘNG", block=2), _word(150, 800, "Độc", block=3)]
    dropped = _word(150, 100, "SỞ", block=-1)
    order = [w.text for w in _placed([*left, *right], [[dropped]])]
    assert order == ["UBND", "SỞ", "CỘNG", "Độc"]
