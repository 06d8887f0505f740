"""The registry of readers; a new format is one new class added here."""

from __future__ import annotations

from pathlib import Path

from trienkhai.documents.readers.base import Reader, ReadError
from trienkhai.documents.readers.text import TextReader
from trienkhai.documents.schemas import ReadResult

READERS: list[Reader] = [TextReader()]


def read_file(path: Path) -> ReadResult:
    """Read the file with the first reader that accepts it."""
    if not path.is_file():
        raise ReadError(path, "không tìm thấy tệp (file not found)")
    with path.open("rb") as fh:
        head = fh.read(8192)
    for reader in READERS:
        if reader.can_read(path, head):
            return reader.read(path)
    raise ReadError(path, f"định dạng không hỗ trợ (unsupported format {path.suffix or '?'})")
