"""Plain-text reader (UTF-8 for now; encodings are detected in a later step)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.schemas import ReadResult
from trienkhai.text import nfc


class TextReader:
    """Reads .txt and pasted text."""

    name: ClassVar[str] = "txt"

    def can_read(self, path: Path, head: bytes) -> bool:
        """Any .txt/.md file."""
        return path.suffix.lower() in {".txt", ".md", ""}

    def read(self, path: Path) -> ReadResult:
        """Decode as UTF-8."""
        try:
            return ReadResult(text=nfc(path.read_bytes().decode("utf-8-sig")), reader=self.name)
        except UnicodeDecodeError as exc:
            raise ReadError(path, "không đọc được mã ký tự (not valid UTF-8)") from exc
