"""Uploaded file names and the types files are served with, decided by the server.

A browser-sent name may carry folders (`..\\..\\evil.html`), control or direction characters, and
its sent type (`text/html`) is the attacker's choice: names are cut to their last part, types come
from an allow-list of extensions, and only types a browser cannot run are shown inline.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from trienkhai.text import nfc

FALLBACK_NAME = "tep"
MAX_NAME = 255
OCTET_STREAM = "application/octet-stream"
# Extensions a campaign's documents legitimately have, and the only types they are served with.
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".zip": "application/zip",
    ".rar": "application/vnd.rar",
    ".7z": "application/x-7z-compressed",
}
# Shown in the browser; everything else (and every unknown type) is downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


def _visible(ch: str) -> bool:
    """Not a control, format (direction override, zero width) or separator character."""
    return unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"}


def safe_filename(name: str) -> str:
    """The last part of a sent name (either slash), without control characters or leading dots."""
    last = nfc(name).replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in last if _visible(ch)).strip().lstrip(".").strip()
    if len(cleaned) > MAX_NAME:  # keep the extension, cut the stem
        stem, dot, ext = cleaned.rpartition(".")
        suffix = f".{ext}" if dot and len(ext) <= 10 else ""
        cleaned = (stem if suffix else cleaned)[: MAX_NAME - len(suffix)] + suffix
    return cleaned or FALLBACK_NAME


def media_type_for(filename: str) -> str:
    """The served type from the (sanitised) name's extension; octet-stream when not allowed."""
    name = safe_filename(filename).lower()
    dot = name.rfind(".")
    return MEDIA_TYPES.get(name[dot:], OCTET_STREAM) if dot > 0 else OCTET_STREAM


def download_headers(filename: str) -> dict[str, str]:
    """Content-Type, Content-Disposition (RFC 6266) and nosniff for serving a stored file."""
    name = safe_filename(filename)
    media_type = media_type_for(name)
    mode = "inline" if media_type in INLINE_TYPES else "attachment"
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return {
        "Content-Type": media_type,
        "Content-Disposition": f'{mode}; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(name, safe='')}",
        "X-Content-Type-Options": "nosniff",
    }
