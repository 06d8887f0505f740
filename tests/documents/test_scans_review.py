"""Per-page OCR confidence: in the read result, the stored record, and on the review page."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageFilter

from tests.documents.test_scans import HEADER, needs_font, page_image, scan_pdf
from tests.web.conftest import Desk, desk, seeded_template, web_db  # noqa: F401 (fixtures)
from trienkhai.documents.readers.ocr import OCR_LOW_CONFIDENCE, mean_confidence
from trienkhai.documents.readers.registry import read_file

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tSở\n"
    "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t70.5\tNội\n"
    "5\t1\t1\t1\t1\t3\t0\t0\t10\t10\t95\t \n"
)


def _blurred(image: Image.Image) -> Image.Image:
    """The page shrunk to 1/4 and blurred: a fax of a fax, which tesseract barely reads."""
    small = image.resize((image.width // 4, image.height // 4)).filter(
        ImageFilter.GaussianBlur(1.2)
    )
    return small.resize(image.size)


def _two_page_scan(path: Path) -> Path:
    good = page_image(HEADER * 3, skew=1.0, dots=3000)
    return scan_pdf(path, [good, _blurred(page_image(HEADER * 3, skew=1.0, seed=2))])


def test_mean_confidence_counts_words_only() -> None:
    assert mean_confidence(TSV) == 80.2
    assert mean_confidence(TSV.split("\n", 1)[0]) is None


@needs_font
def test_each_ocr_page_reports_its_confidence(tmp_path: Path) -> None:
    result = read_file(_two_page_scan(tmp_path / "hai-trang.pdf"))
    pages = {p.page: p.confidence for p in result.page_confidence}
    assert set(pages) == {1, 2}
    assert pages[1] is not None and pages[1] >= OCR_LOW_CONFIDENCE
    assert pages[2] is None or pages[2] < OCR_LOW_CONFIDENCE


@needs_font
def test_review_page_lists_the_low_confidence_pages(tmp_path: Path, desk: Desk) -> None:  # noqa: F811
    desk.login("dieuphoi")
    scan = _two_page_scan(tmp_path / "quet.pdf").read_bytes()
    desk.get("/directives/new")
    review = desk.post("/directives", files={"file": ("quet.pdf", scan, "application/pdf")})
    assert review.status_code == 200, review.text
    block = review.text.split('id="ocr-confidence"', 1)[1].split("</div>", 1)[0]
    assert "Trang quét nhận dạng kém" in block
    assert "Trang 2:" in block and "Trang 1:" not in block


def test_review_page_has_no_block_for_a_text_document(desk: Desk) -> None:  # noqa: F811
    desk.login("dieuphoi")
    desk.get("/directives/new")
    text = "ỦY BAN NHÂN DÂN TỈNH KON TUM\nSố: 1/UBND-VX\nV/v thử\nKính gửi: Sở Nội vụ\n".encode()
    review = desk.post("/directives", files={"file": ("a.txt", text, "text/plain")})
    assert review.status_code == 200, review.text
    assert 'id="ocr-confidence"' not in review.text
