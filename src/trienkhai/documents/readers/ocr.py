"""OCR through the tesseract program, for scanned PDFs and images."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import ClassVar

from PIL import Image, UnidentifiedImageError

from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.schemas import ReadResult
from trienkhai.settings import get_settings
from trienkhai.text import fold, nfc

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
OCR_TIMEOUT_S = 180
# Decompression-bomb guard: an A4 page at 600 dpi is about 35 Mpx.
MAX_PIXELS = 120_000_000


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


def ocr_image(path: Path, image_file: Path) -> str:
    """Text of one image file through tesseract with the configured languages."""
    program = tesseract_program(path)
    cmd = [program, str(image_file), "-", "-l", get_settings().ocr_languages]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=OCR_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReadError(
            path, f"nhận dạng chữ quá lâu (OCR timed out after {OCR_TIMEOUT_S} s)"
        ) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise ReadError(path, f"nhận dạng chữ thất bại (tesseract failed: {detail[0]})")
    return restore_capitals(nfc(done.stdout.decode("utf-8", "replace")))


def ocr_pil(path: Path, image: Image.Image) -> str:
    """Text of an in-memory image (a rendered PDF page) through tesseract."""
    with tempfile.TemporaryDirectory(prefix="trienkhai-ocr-") as tmp:
        target = Path(tmp) / "page.png"
        image.save(target)
        return ocr_image(path, target)


class ImageReader:
    """Reads photographs and scans of a document through OCR."""

    name: ClassVar[str] = "image"

    def can_read(self, path: Path, head: bytes) -> bool:
        """Image files by suffix."""
        return path.suffix.lower() in IMAGE_SUFFIXES

    def read(self, path: Path) -> ReadResult:
        """Check the image opens, then OCR every frame (multi-page TIFF)."""
        tesseract_program(path)
        try:
            with Image.open(path) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ReadError(path, "ảnh quá lớn (image too large to OCR)")
                pages = [ocr_pil(path, frame.convert("RGB")) for frame in _frames(image)]
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ReadError(path, f"không đọc được ảnh (unreadable image: {exc})") from exc
        return ReadResult(text="\n".join(pages), reader=self.name, ocr=True)


def _frames(image: Image.Image) -> list[Image.Image]:
    """Every frame of a multi-frame image (TIFF pages), or the image itself."""
    count = getattr(image, "n_frames", 1)
    frames = []
    for index in range(count):
        image.seek(index)
        frames.append(image.copy())
    return frames
