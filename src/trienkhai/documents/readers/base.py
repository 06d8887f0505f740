"""Reader protocol and the error every reader raises for bad input."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Protocol

from trienkhai.documents.schemas import ReadResult


class ReadError(Exception):
    """A file that cannot be read; the message names the reason in one line."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class Reader(Protocol):
    """One class per format: `can_read` looks at the name and first bytes, `read` gives text."""

    name: ClassVar[str]

    def can_read(self, path: Path, head: bytes) -> bool:
        """Whether this reader handles the file."""
        ...

    def read(self, path: Path) -> ReadResult:
        """The file's text, NFC, with separately stored footnotes."""
        ...
