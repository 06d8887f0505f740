"""PDF of any Word report through LibreOffice headless, without network, one profile per run."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from trienkhai import office
from trienkhai.settings import get_settings


class ConverterMissingError(RuntimeError):
    """The program that converts to PDF is not installed."""


class ConversionError(RuntimeError):
    """LibreOffice ran but produced no PDF (or took too long)."""


def soffice_program(path: str | None = None) -> str:
    """The full path of soffice, or ConverterMissingError naming what to install."""
    name = path or get_settings().soffice_path
    found = shutil.which(name)
    if found is None:
        raise ConverterMissingError(
            f"Không tìm thấy chương trình '{name}' (LibreOffice) để chuyển sang PDF; "
            "cài gói libreoffice-writer hoặc đặt TRIENKHAI_SOFFICE_PATH."
        )
    return found


def docx_to_pdf(docx: bytes, *, timeout: float = 120, soffice: str | None = None) -> bytes:
    """Convert .docx bytes to PDF bytes."""
    program = soffice_program(soffice)
    with tempfile.TemporaryDirectory(prefix="trienkhai-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        try:
            office.convert(
                program=program, source=source, target="pdf", outdir=folder, timeout=timeout
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(
                f"LibreOffice quá {timeout:.0f} giây khi chuyển sang PDF"
            ) from exc
        target = folder / "report.pdf"
        if not target.exists():
            raise ConversionError("LibreOffice không tạo được tệp PDF")
        return target.read_bytes()
