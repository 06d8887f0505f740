"""Scanned documents: pages OCR'd in parallel in order, cleaned before OCR, header words fixed.

The scans are made here: text drawn with Pillow in a Vietnamese-capable font at 200 dpi, turned a
little, speckled, and saved as an image-only PDF.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from trienkhai.documents.readers.ocr import workers
from trienkhai.documents.readers.registry import read_file

DPI = 200
FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
BOLD = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf")


def page_image(
    lines: list[str], *, skew: float = 0.0, speckle: int = 0, seed: int = 1
) -> Image.Image:
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
    rng = random.Random(seed)
    pixels = image.load()
    assert pixels is not None
    for _ in range(speckle):
        pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 90, 160))
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
