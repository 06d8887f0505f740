"""Office files are zip archives: refuse a zip bomb from its directory before anything unpacks it.

Shared by the .docx reader (directives) and the .xlsx importer (outputs). Only the central
directory is read here, which is fast whatever the archive claims to hold; Python's zipfile
then never yields more than a member's declared size, so the declared sizes bound the work.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

# A Word or Excel file rarely unpacks beyond a few tens of MB; these bounds stop a zip bomb.
MAX_UNPACKED = 300 * 1024 * 1024
MAX_RATIO = 200
# Below this many unpacked bytes a member is too small to matter, whatever its ratio.
RATIO_FLOOR = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


class ZipCheckError(ValueError):
    """Not a zip archive, a broken one, or one whose sizes mark a zip bomb (Vietnamese reason)."""


def _bomb(unpacked: int) -> ZipCheckError:
    """The refusal of an archive that would unpack to too much."""
    mb = unpacked // (1024 * 1024)
    return ZipCheckError(
        f"tệp nén bất thường, từ chối giải nén (zip bomb suspected: {mb} MB unpacked)"
    )


def check_archive(
    archive: zipfile.ZipFile, *, max_unpacked: int = MAX_UNPACKED, max_ratio: int = MAX_RATIO
) -> None:
    """Refuse an archive whose declared total size or any member's compression ratio is insane."""
    infos = archive.infolist()
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked:
        raise _bomb(unpacked)
    for info in infos:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > RATIO_FLOOR and ratio > max_ratio:
            raise ZipCheckError(
                f"tệp nén bất thường, từ chối giải nén (zip bomb suspected: "
                f"'{info.filename}' nén {ratio:.0f} lần)"
            )
    packed = max(1, sum(info.compress_size for info in infos))
    if unpacked > 10 * RATIO_FLOOR and unpacked / packed > max_ratio:
        raise _bomb(unpacked)


def check_zip(
    source: bytes | Path, *, max_unpacked: int = MAX_UNPACKED, max_ratio: int = MAX_RATIO
) -> None:
    """Check the bytes or file is a readable zip archive within the limits (ZipCheckError)."""
    if isinstance(source, Path):
        with source.open("rb") as fh:
            head = fh.read(4)
    else:
        head = source[:4]
    if not head.startswith(ZIP_MAGIC):
        raise ZipCheckError("không phải tệp nén zip (not a zip archive)")
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as zf:
            check_archive(zf, max_unpacked=max_unpacked, max_ratio=max_ratio)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise ZipCheckError(f"tệp nén bị hỏng (broken zip: {exc})") from exc


def read_member(archive: zipfile.ZipFile, name: str, *, limit: int = MAX_UNPACKED) -> bytes:
    """One member (KeyError when absent), read with a hard cap whatever its header claims."""
    with archive.open(archive.getinfo(name)) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ZipCheckError("tệp nén bất thường, từ chối giải nén (zip bomb suspected)")
    return data


# Office XML never declares a DOCTYPE; one in an upload is an entity attack or a broken file,
# and Python's XML parsers fail on it with ParseError (a server error) instead of a clear answer.
_DOCTYPE = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 1024 * 1024


def has_doctype(data: bytes) -> bool:
    """Whether XML bytes (UTF-8 or UTF-16) declare a DOCTYPE."""
    return any(marker in data for marker in _DOCTYPE)


def _member_has_doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Scan one member in chunks (a large sheet is never held whole)."""
    overlap = max(len(marker) for marker in _DOCTYPE)
    tail = b""
    with archive.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            if has_doctype(tail + chunk):
                return True
            tail = chunk[-overlap:]
    return False


def refuse_doctype(archive: zipfile.ZipFile) -> None:
    """ZipCheckError naming the first XML part that declares a DOCTYPE."""
    for info in archive.infolist():
        if info.filename.lower().endswith(_XML_SUFFIXES) and _member_has_doctype(archive, info):
            raise ZipCheckError(
                f"tệp không hợp lệ: phần '{info.filename}' có khai báo DOCTYPE, không được chấp "
                "nhận (DOCTYPE refused)"
            )
