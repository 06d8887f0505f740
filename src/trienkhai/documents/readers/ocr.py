"""OCR through the tesseract program, for scanned PDFs and images."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from PIL import Image, ImageFilter, UnidentifiedImageError

from trienkhai.documents.ocr_fix import fix_header
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.readers.ocr_lines import Word, page_text, read_words, recover
from trienkhai.documents.schemas import PageConfidence, ReadResult
from trienkhai.settings import get_settings
from trienkhai.text import fold, nfc

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
_MPX = 1_000_000
# A page whose mean word confidence is below this is flagged for the reviewer to read closely.
OCR_LOW_CONFIDENCE = 80.0


def tesseract_program(path: Path) -> str:
    """The tesseract executable, or a ReadError naming the missing program."""
    program = get_settings().tesseract_path
    found = shutil.which(program)
    if found is None:
        raise ReadError(
            path, f"cần chương trình tesseract để nhận dạng chữ (OCR needs '{program}', not found)"
        )
    return found


# Capitals of Decree-30 headers and signer blocks. Tesseract's Vietnamese model often drops the
# stacked marks of capitals (TRUYỀN → TRUYEN); a word whose unaccented form names exactly one of
# these is restored on all-capital lines. Ambiguous forms (HÒA/HÓA, CÔNG/CỘNG, SỞ/SỐ) are left.
_HEADER_TEXT = (
    "SỞ BỘ ỦY BAN NHÂN DÂN TỈNH THÀNH PHỐ HUYỆN XÃ PHƯỜNG THÔNG TIN TRUYỀN VÀ GIÁO DỤC ĐÀO TẠO "
    "VĂN THỂ THAO DU LỊCH NỘI VỤ TÀI CHÍNH ĐẦU TƯ TẾ QUỐC PHÒNG PHÁP XÂY DỰNG GIAO VẬN TẢI "
    "NÔNG NGHIỆP MÔI TRƯỜNG KHOA HỌC NGHỆ LAO ĐỘNG THƯƠNG BINH HỘI NGOẠI CHỦ NGHĨA VIỆT NAM "
    "GIÁM ĐỐC PHÓ TỊCH TRƯỞNG ĐẢNG ĐOÀN TRUNG ƯƠNG ĐÀI PHÁT THANH HÌNH BÁO ĐIỆN TỬ QUẢN LÝ CỤC "
    "CHỈ ĐẠO KẾ HOẠCH THỊ ĐỘC LẬP TỰ HẠNH PHÚC"
)
HEADER_WORDS = tuple(_HEADER_TEXT.split(" "))
_AMBIGUOUS = {"hoa", "cong", "so", "doc"}


def _lexicon() -> dict[str, str]:
    """Unaccented form → header word, for forms that name a single word."""
    by_fold: dict[str, set[str]] = {}
    for word in HEADER_WORDS:
        by_fold.setdefault(fold(word), set()).add(word)
    return {k: next(iter(v)) for k, v in by_fold.items() if len(v) == 1 and k not in _AMBIGUOUS}


_LEXICON = _lexicon()


# Marks tesseract reads from dust at a line's ends: runs of these alone, never letters or digits.
_DUST = re.compile(r"^(?:[ˆ_~`'|‘’.,\\^*]+\s+)+|^[ˆ_~`|\\^]+(?=\w)|(?:\s+[ˆ_~`'|‘’\\^*-]+[.,]?)+$")


def strip_dust(text: str) -> str:
    """Every line without the stray marks dust leaves at its ends ("ˆ_ ỦY BAN" → "ỦY BAN")."""
    # Ñ is no Vietnamese letter: a speck over an N.
    text = text.replace("Ñ", "N").replace("ñ", "n")
    return "\n".join(_DUST.sub("", line) for line in text.splitlines())


def restore_capitals(text: str) -> str:
    """Put back the marks OCR dropped from capitals on all-capital lines (TRUYEN → TRUYỀN)."""
    out = []
    for line in text.splitlines():
        letters = [ch for ch in line if ch.isalpha()]
        if len(letters) >= 4 and all(ch.isupper() for ch in letters):
            words = line.split(" ")
            out.append(" ".join(_LEXICON.get(fold(w), w) if w.isalpha() else w for w in words))
        else:
            out.append(line)
    return "\n".join(out)


@dataclass
class OcrBudget:
    """What OCR may still spend on one document: pages, pixels and seconds (the settings)."""

    path: Path
    pages: int
    pixels: int
    deadline: float

    @classmethod
    def start(cls, path: Path) -> OcrBudget:
        """The whole budget of one document, its clock started now."""
        settings = get_settings()
        return cls(
            path=path,
            pages=settings.ocr_max_pages,
            pixels=settings.ocr_max_document_pixels,
            deadline=time.monotonic() + settings.ocr_timeout_s,
        )

    def take(self, width: int, height: int, *, what: str) -> None:
        """Count one page of width×height before it is decoded; ReadError past a limit."""
        settings = get_settings()
        pixels = width * height
        if pixels > settings.ocr_max_page_pixels:
            raise ReadError(
                self.path,
                f"{what} quá lớn để nhận dạng chữ: {width}×{height} = {pixels / _MPX:.0f} Mpx, "
                f"giới hạn {settings.ocr_max_page_pixels / _MPX:.0f} Mpx "
                "(TRIENKHAI_OCR_MAX_PAGE_PIXELS)",
            )
        if self.pages <= 0:
            raise ReadError(
                self.path,
                f"quá nhiều trang cần nhận dạng chữ: giới hạn {settings.ocr_max_pages} trang "
                "(TRIENKHAI_OCR_MAX_PAGES)",
            )
        if pixels > self.pixels:
            raise ReadError(
                self.path,
                "tổng số điểm ảnh cần nhận dạng chữ vượt giới hạn "
                f"{settings.ocr_max_document_pixels / _MPX:.0f} Mpx "
                "(TRIENKHAI_OCR_MAX_DOCUMENT_PIXELS)",
            )
        self.pages -= 1
        self.pixels -= pixels

    def seconds_left(self) -> float:
        """Seconds OCR may still run on the document; ReadError once they are spent."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _timed_out(self.path)
        return left


def _timed_out(path: Path) -> ReadError:
    """The refusal of a document whose OCR ran past TRIENKHAI_OCR_TIMEOUT_S."""
    limit = get_settings().ocr_timeout_s
    return ReadError(
        path, f"nhận dạng chữ quá lâu: quá {limit} giây (OCR timeout, TRIENKHAI_OCR_TIMEOUT_S)"
    )


@dataclass(frozen=True)
class PageOcr:
    """One OCR'd page: its text and tesseract's mean word confidence (0-100, None if no word)."""

    text: str
    confidence: float | None


def _env() -> dict[str, str]:
    """Tesseract's environment: one thread per process (pages run in parallel instead)."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def mean_confidence(tsv: str) -> float | None:
    """Mean confidence of the words (level 5 rows) of tesseract's TSV output."""
    return _confidence(read_words(tsv))


def _confidence(words: list[Word]) -> float | None:
    """Mean confidence (0-100) of the words tesseract scored, None if none."""
    values = [w.conf for w in words if w.conf >= 0]
    return round(sum(values) / len(values), 1) if values else None


def _tesseract(path: Path, image_file: Path, budget: OcrBudget, *options: str) -> tuple[str, str]:
    """Text and TSV of one image file through tesseract, in one run."""
    program = tesseract_program(path)
    base = image_file.with_suffix("")
    cmd = [program, str(image_file), str(base), "-l", get_settings().ocr_languages, *options]
    try:
        done = subprocess.run(
            [*cmd, "txt", "tsv"],
            capture_output=True,
            timeout=budget.seconds_left(),
            check=False,
            env=_env(),
        )
    except subprocess.TimeoutExpired as exc:
        raise _timed_out(path) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise ReadError(path, f"nhận dạng chữ thất bại (tesseract failed: {detail[0]})")
    text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
    return text, base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")


def ocr_file(path: Path, image_file: Path, budget: OcrBudget) -> PageOcr:
    """Text and confidence of one image file through tesseract, with the lines its page layout
    left out read alone and put back (`ocr_lines.py`)."""
    text, tsv = _tesseract(path, image_file, budget)
    words = read_words(tsv)
    if words:
        with Image.open(image_file) as image:
            whole = recover(
                image,
                words,
                lambda line: _tesseract(path, line, budget, "--psm", "7")[1],
                image_file.parent,
            )
        if whole is not None:
            text = page_text(whole)
    return PageOcr(text=restore_capitals(strip_dust(nfc(text))), confidence=_confidence(words))


# Share of pixels between ink and paper above which a page is binarised (a clean black/white
# scan or rendering has almost none); skew search range and steps, degrees.
_GREY_SHARE = 0.02
_MAX_SKEW = 5.0
_MIN_SKEW = 0.2
_PROBE_WIDTH = 1000


def otsu_threshold(histogram: list[int]) -> int:
    """Otsu's threshold of an 8-bit grey histogram: the level that best splits ink from paper."""
    hist = np.asarray(histogram[:256], dtype=np.float64)
    total = hist.sum()
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1)
    return int(np.argmax(between))


def _profile_score(ink: Image.Image, angle: float) -> float:
    """Sharpness of the row profile of the ink turned by angle: text lines make sharp peaks."""
    turned = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0))
    rows = turned.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def skew_angle(binary: Image.Image) -> float:
    """The turn (degrees, ±5) that makes text lines horizontal, by projection-profile search."""
    scale = min(1.0, _PROBE_WIDTH / binary.width)
    small = binary.resize((max(1, int(binary.width * scale)), max(1, int(binary.height * scale))))
    ink = small.point(lambda v: 255 if v < 128 else 0)
    coarse = [a / 2 for a in range(int(-_MAX_SKEW * 2), int(_MAX_SKEW * 2) + 1)]
    best = max(coarse, key=lambda a: _profile_score(ink, a))
    fine = [best + a / 10 for a in range(-5, 6)]
    return max(fine, key=lambda a: _profile_score(ink, a))


def prepare(image: Image.Image) -> Image.Image:
    """Binarise a grey or colour scan (Otsu) and turn it straight; clean pages pass unchanged."""
    grey = image.convert("L")
    # PIL's histogram, not a numpy copy: a 40 Mpx page must not cost three more page buffers.
    histogram = grey.histogram()
    if sum(histogram[41:215]) <= _GREY_SHARE * sum(histogram):
        return image
    level = otsu_threshold(histogram)
    # A 3×3 median drops isolated dust specks; strokes of text are wider and stay.
    binary = grey.point(lambda v: 255 if v > level else 0).filter(ImageFilter.MedianFilter(3))
    angle = skew_angle(binary)
    if abs(angle) >= _MIN_SKEW:
        binary = binary.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=255)
    return binary


def ocr_pil(path: Path, image: Image.Image, budget: OcrBudget | None = None) -> PageOcr:
    """Text of an in-memory image (a rendered PDF page) through tesseract."""
    with tempfile.TemporaryDirectory(prefix="trienkhai-ocr-") as tmp:
        target = Path(tmp) / "page.png"
        prepare(image).save(target)
        return ocr_file(path, target, budget or OcrBudget.start(path))


def workers() -> int:
    """Pages OCR'd at once: one tesseract process per core."""
    return max(1, os.cpu_count() or 1)


def ocr_pages(path: Path, images: Iterable[Image.Image], budget: OcrBudget) -> list[PageOcr]:
    """OCR every image on all cores, one tesseract process each; results in page order.

    Images are pulled lazily (a PDF page is rendered only when a worker is about to be free), so
    at most twice the worker count of rendered pages is held at once.
    """
    size = workers()
    results: list[Future[PageOcr]] = []
    pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="trienkhai-ocr")
    try:
        for image in images:
            # Wait on the oldest page still running before rendering more than 2× the pool.
            running = [f for f in results if not f.done()]
            if len(running) >= 2 * size:
                running[0].result()
            results.append(pool.submit(ocr_pil, path, image, budget))
        return [future.result() for future in results]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class ImageReader:
    """Reads photographs and scans of a document through OCR."""

    name: ClassVar[str] = "image"

    def can_read(self, path: Path, head: bytes) -> bool:
        """Image files by suffix."""
        return path.suffix.lower() in IMAGE_SUFFIXES

    def read(self, path: Path) -> ReadResult:
        """Check every frame's size against the limits, then OCR the frames one at a time."""
        tesseract_program(path)
        budget = OcrBudget.start(path)
        try:
            with Image.open(path) as image:
                count = _check_frames(image, budget)
                frames = _frames(image, count)
                pages = ocr_pages(path, (frame.convert("RGB") for frame in frames), budget)
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ReadError(path, f"không đọc được ảnh (unreadable image: {exc})") from exc
        text = fix_header("\n".join(page.text for page in pages))
        confidence = [
            PageConfidence(page=number, confidence=page.confidence)
            for number, page in enumerate(pages, start=1)
        ]
        return ReadResult(text=text, reader=self.name, ocr=True, page_confidence=confidence)


def _check_frames(image: Image.Image, budget: OcrBudget) -> int:
    """Every frame's size from its header (nothing decoded), counted against the budget."""
    count = 0
    while True:
        try:
            image.seek(count)
        except EOFError:
            return count
        count += 1
        # A multi-page TIFF's first frame may be small and the next ones gigapixels.
        budget.take(image.width, image.height, what=f"khung ảnh {count}")


def _frames(image: Image.Image, count: int) -> Iterator[Image.Image]:
    """The frames of a multi-frame image (TIFF pages) one at a time, or the image itself."""
    for index in range(count):
        image.seek(index)
        yield image.copy()
