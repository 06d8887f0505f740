"""Legacy Word .doc (and .rtf/.odt) reader: LibreOffice converts to .docx, then the .docx reader."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import ClassVar

from trienkhai import office
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.readers.docx import read_docx
from trienkhai.documents.schemas import ReadResult
from trienkhai.settings import get_settings

CONVERT_SUFFIXES = {".doc", ".rtf", ".odt"}
CONVERT_TIMEOUT_S = 120


def soffice_program(path: Path) -> str:
    """The LibreOffice executable, or a ReadError naming the missing program."""
    program = get_settings().soffice_path
    found = shutil.which(program)
    if found is None:
        raise ReadError(
            path, f"cần LibreOffice để đọc tệp {path.suffix} (needs '{program}', not found)"
        )
    return found


def convert_with_soffice(path: Path, target: str, outdir: Path) -> Path:
    """Convert a file with headless LibreOffice (no network) into outdir; returns the result."""
    program = soffice_program(path)
    try:
        office.convert(
            program=program, source=path, target=target, outdir=outdir, timeout=CONVERT_TIMEOUT_S
        )
    except subprocess.TimeoutExpired as exc:
        raise ReadError(
            path, f"chuyển đổi quá lâu (conversion timed out after {CONVERT_TIMEOUT_S} s)"
        ) from exc
    converted = outdir / f"{path.stem}.{target.split(':', maxsplit=1)[0]}"
    if not converted.is_file():
        raise ReadError(
            path, f"LibreOffice không chuyển đổi được tệp (conversion to {target} failed)"
        )
    return converted


class DocReader:
    """Reads .doc, .rtf and .odt through a LibreOffice conversion to .docx."""

    name: ClassVar[str] = "doc"

    def can_read(self, path: Path, head: bytes) -> bool:
        """Legacy Word and other office formats by suffix."""
        return path.suffix.lower() in CONVERT_SUFFIXES

    def read(self, path: Path) -> ReadResult:
        """Convert in a temporary folder and read the .docx."""
        with tempfile.TemporaryDirectory(prefix="trienkhai-doc-") as tmp:
            converted = convert_with_soffice(path, "docx", Path(tmp))
            try:
                result = read_docx(converted)
            except ReadError as exc:
                raise ReadError(path, exc.reason) from exc
        return result.model_copy(update={"reader": self.name})
