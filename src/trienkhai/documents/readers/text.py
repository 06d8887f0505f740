"""Plain-text reader: UTF-8/16 (BOM or not), Windows-1258, TCVN3 and VNI, detected by content."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.readers.legacy import (
    decode_cp1258,
    decode_tcvn3,
    decode_vni,
    vietnamese_score,
)
from trienkhai.documents.schemas import ReadResult
from trienkhai.text import nfc

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_LEGACY: list[tuple[str, Callable[[bytes], str]]] = [
    ("windows-1258", decode_cp1258),
    ("tcvn3", decode_tcvn3),
    ("vni-windows", decode_vni),
]
# Control characters that never occur in a text document (tab, newlines and form feed do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16LE/BE guessed from zero bytes in the high half of ASCII characters."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    odd_zero = sample[1::2].count(0) / len(sample[1::2])
    even_zero = sample[0::2].count(0) / len(sample[0::2])
    for share, other, codec in (
        (odd_zero, even_zero, "utf-16-le"),
        (even_zero, odd_zero, "utf-16-be"),
    ):
        if share > 0.3 and other < 0.05:
            try:
                return data[: len(data) - len(data) % 2].decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _looks_binary(text: str) -> bool:
    """NUL bytes or more than 1% control characters: not a text document."""
    sample = text[:65536]
    if "\x00" in sample:
        return True
    controls = len(_CONTROL.findall(sample))
    return controls > max(2, len(sample) // 100)


def _best_legacy(data: bytes) -> tuple[str, str]:
    """The legacy decoding whose result looks most Vietnamese, and its name."""
    scored = [(vietnamese_score(decode(data)), name, decode) for name, decode in _LEGACY]
    _, name, decode = max(scored, key=lambda item: item[0])
    return name, decode(data)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding to (encoding name, NFC text); ValueError if not text."""
    if not data.strip():
        raise ValueError("tệp rỗng (empty file)")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, _checked(nfc(data.decode(codec, errors="replace")))
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return "utf-16", _checked(nfc(utf16))
    if b"\x00" in data[:65536]:
        raise ValueError("tệp nhị phân, không phải văn bản (binary data, not text)")
    try:
        return "utf-8", _checked(nfc(data.decode("utf-8")))
    except UnicodeDecodeError:
        pass
    name, text = _best_legacy(data)
    return name, _checked(text)


def _checked(text: str) -> str:
    """The text, or ValueError when it is binary garbage."""
    if _looks_binary(text):
        raise ValueError("tệp nhị phân, không phải văn bản (binary data, not text)")
    if not text.strip():
        raise ValueError("tệp rỗng (empty file)")
    return text


class TextReader:
    """Reads .txt/.md files and pasted text in any common Vietnamese encoding."""

    name: ClassVar[str] = "txt"

    def can_read(self, path: Path, head: bytes) -> bool:
        """Files with a text suffix (or none)."""
        return path.suffix.lower() in TEXT_SUFFIXES

    def read(self, path: Path) -> ReadResult:
        """Detect the encoding and decode to NFC."""
        try:
            encoding, text = decode_text(path.read_bytes())
        except ValueError as exc:
            raise ReadError(path, str(exc)) from exc
        return ReadResult(text=text, reader=f"{self.name}:{encoding}")
