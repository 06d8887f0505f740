"""The registry of readers; a new format is one new class added here."""

from __future__ import annotations

from pathlib import Path

from trienkhai.documents.readers.base import Reader, ReadError
from trienkhai.documents.readers.doc import DocReader
from trienkhai.documents.readers.docx import DocxReader
from trienkhai.documents.readers.ocr import ImageReader
from trienkhai.documents.readers.pdf import PdfReader
from trienkhai.documents.readers.text import TextReader, decode_text
from trienkhai.documents.schemas import ReadResult
from trienkhai.settings import get_settings

READERS: list[Reader] = [PdfReader(), DocxReader(), DocReader(), ImageReader(), TextReader()]


def check_size(path: Path, size: int) -> None:
    """Refuse an empty file or one above the upload limit before any reader touches it."""
    if size == 0:
        raise ReadError(path, "tệp rỗng (empty file)")
    limit_mb = get_settings().max_upload_mb
    if size > limit_mb * 1024 * 1024:
        mb = size / (1024 * 1024)
        raise ReadError(path, f"tệp quá lớn: {mb:.0f} MB, giới hạn {limit_mb} MB (file too large)")


def reader_for(path: Path, head: bytes) -> Reader | None:
    """The first registered reader that accepts the file."""
    return next((reader for reader in READERS if reader.can_read(path, head)), None)


def read_file(path: Path) -> ReadResult:
    """Read the file with the first reader that accepts it."""
    if not path.is_file():
        raise ReadError(path, "không tìm thấy tệp (file not found)")
    check_size(path, path.stat().st_size)
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise ReadError(path, f"không mở được tệp (cannot open: {exc.strerror})") from exc
    reader = reader_for(path, head)
    if reader is None:
        raise ReadError(path, f"định dạng không hỗ trợ (unsupported format {path.suffix or '?'})")
    return reader.read(path)


def read_pasted(text: str | bytes) -> ReadResult:
    """Pasted text (or its raw bytes in any supported encoding) as a read result."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        encoding, decoded = decode_text(data)
    except ValueError as exc:
        raise ReadError("(văn bản dán)", str(exc)) from exc
    return ReadResult(text=decoded, reader=f"pasted:{encoding}")
