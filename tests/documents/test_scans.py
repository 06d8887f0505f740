"""Scanned documents: pages OCR'd in parallel in order, cleaned before OCR, header words fixed.

The scans are made here: text drawn with Pillow in a Vietnamese-capable font at 200 dpi, turned a
little, speckled, and saved as an image-only PDF.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from trienkhai.documents.readers.ocr import otsu_threshold, prepare, skew_angle, workers
from trienkhai.documents.readers.registry import read_file

DPI = 200
FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
BOLD = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf")


def page_image(lines: list[str], *, skew: float = 0.0, dots: int = 0, seed: int = 1) -> Image.Image:
    """An A4 page at 200 dpi with the lines in 13 pt serif, turned by skew degrees, speckled."""
    width, height = int(8.27 * DPI), int(11.69 * DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    regular = ImageFont.truetype(str(FONT), size=round(13 * DPI / 72))
    bold = ImageFont.truetype(str(BOLD), size=round(13 * DPI / 72))
    y = int(0.8 * DPI)
    for line in lines:
        font = bold if line.isupper() else regular
        draw.text((int(0.9 * DPI), y), line, font=font, fill=0)
        y += round(20 * DPI / 72)
        if y > height - DPI:
            break
    if skew:
        image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    return speckle(image, dots, seed=seed)


def speckle(image: Image.Image, dots: int, *, seed: int = 1) -> Image.Image:
    """The image with dots of dust in black and grey at random places (seeded)."""
    rng = random.Random(seed)
    pixels = image.load()
    assert pixels is not None
    for _ in range(dots):
        pixels[rng.randrange(image.width), rng.randrange(image.height)] = rng.choice((0, 90, 160))
    return image


def scan_pdf(path: Path, pages: list[Image.Image]) -> Path:
    """Save page images as an image-only PDF (no text layer) at 200 dpi."""
    rgb = [page.convert("RGB") for page in pages]
    rgb[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=rgb[1:])
    return path


needs_font = pytest.mark.skipif(not FONT.is_file(), reason=f"font {FONT} not installed")


@needs_font
def test_pages_of_a_scan_come_back_in_order(tmp_path: Path) -> None:
    pages = [page_image([f"Trang số {n}: Sở Văn hóa, Thể thao và Du lịch"]) for n in (1, 2, 3)]
    result = read_file(scan_pdf(tmp_path / "ba-trang.pdf", pages))
    assert result.ocr and result.reader == "pdf+ocr"
    found = [result.text.find(f"Trang số {n}") for n in (1, 2, 3)]
    assert -1 not in found and found == sorted(found), result.text
    assert workers() >= 1


HEADER = [
    "ỦY BAN NHÂN DÂN TỈNH KON TUM",
    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    "Số: 1234/STTTT-TTBCXB",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
]


@needs_font
@pytest.mark.parametrize("skew", [1.5, -2.0, 4.0])
def test_skew_is_found_and_undone(skew: float) -> None:
    page = page_image(HEADER * 6, skew=skew, dots=3000)
    binary = page.point(lambda v: 255 if v > 128 else 0)
    assert skew_angle(binary) == pytest.approx(-skew, abs=0.25)
    straight = prepare(page)
    assert straight.mode == "L" and set(np.unique(np.asarray(straight)).tolist()) <= {0, 255}
    assert abs(skew_angle(straight)) <= 0.25


def test_a_clean_black_and_white_page_is_left_alone() -> None:
    page = Image.new("1", (800, 1000), 1)
    ImageDraw.Draw(page).rectangle((100, 100, 700, 120), fill=0)
    assert prepare(page) is page


def test_otsu_splits_ink_from_paper() -> None:
    histogram = [0] * 256
    histogram[30], histogram[220] = 50, 150
    assert 30 <= otsu_threshold(histogram) < 220


@needs_font
def test_a_skewed_speckled_scan_reads_its_header(tmp_path: Path) -> None:
    page = page_image(HEADER, skew=2.0, dots=6000)
    text = read_file(scan_pdf(tmp_path / "nghieng.pdf", [page])).text
    assert "Số: 1234/STTTT-TTBCXB" in text, text
    assert "Nghị định số 30/2020/NĐ-CP" in text, text
