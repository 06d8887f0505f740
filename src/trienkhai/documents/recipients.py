"""Addressee lists: Kính gửi, a công điện's "… điện:" list, Đồng kính gửi, and list items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trienkhai.documents import grammar

_BULLET = re.compile(r"^[-+•–—*]\s*")
_TRAIL = re.compile(r"[\s;.,/]+$")
_KINH_GUI = grammar.KINH_GUI
_DONG_KINH_GUI = grammar.DONG_KINH_GUI
_DIEN = grammar.DIEN
_DETAIL = re.compile(r"^\(|^(Mã số thuế|MST|Địa chỉ|Đ/c|đ/c)\b")
_BODY = grammar.BODY_OR_ITEM
_END_PUNCT = (".", ";", ":")
# The addressee block sits right under the trích yếu; look only this far.
_REACH = 6


@dataclass
class Addressees:
    """Kính gửi (or "… điện:") items, Đồng kính gửi items, and the index after the block."""

    items: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    end: int = -1


def split_items(lines: list[str], *, names_after_colon: bool = False) -> list[str]:
    """Items of a bulleted list: bullets start items, wrapped lines join the previous one.

    With `names_after_colon`, an unbulleted line after "… các Bộ:" lists the names it
    introduces and joins the item.
    """
    items: list[str] = []
    previous = ""
    ends = (".", ";") if names_after_colon else _END_PUNCT
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        bullet = bool(_BULLET.match(line))
        text = _BULLET.sub("", line)
        if items and not bullet and not previous.endswith(ends):
            items[-1] = f"{items[-1]} {text}"
        else:
            items.append(text)
        previous = line
    cleaned = [_TRAIL.sub("", item).strip() for item in items]
    return [item for item in cleaned if item]


def _continues(line: str, previous: str, started: bool, bulleted: bool) -> bool:
    """Whether a line still belongs to an addressee block."""
    if _BODY.match(line) or _DONG_KINH_GUI.match(line):
        return False
    if not started or _BULLET.match(line):
        return True
    if bulleted and previous.endswith((";", ".")):
        return False
    return _wraps_on(line, previous, bulleted)


def _wraps_on(line: str, previous: str, bulleted: bool) -> bool:
    """Whether an unbulleted line continues the addressee on the line above it."""
    wrapped = len(_BULLET.sub("", previous).split()) <= 8 and previous[-1:].isalpha()
    if previous.endswith((";", ",")) or (bulleted and _BULLET.match(previous) and wrapped):
        # "- Bí thư Tỉnh ủy, Chủ tịch" breaks off mid-title: the name wraps.
        return True
    if previous.endswith(":") and not _BULLET.match(previous) and "," in line:
        return True  # "- Bộ trưởng" / "các Bộ:" / "Quốc phòng, Công an, …"
    if previous.endswith((".", ":")):
        return False
    first = line.split(maxsplit=1)[0]
    return first[:1].islower() or first.endswith(",") or len(line.split()) <= 8


def _collect(lines: list[str], start: int, first: str, issuer: str = "") -> tuple[list[str], int]:
    """Raw lines of a block whose heading line carried `first`; the index after the block."""
    raw = [first] if first else []
    i = start
    detail = False  # inside a detail line (address, tax code) that has not ended yet
    while i < len(lines):
        line = lines[i]
        if raw and (_DETAIL.match(line) or (detail and not _BULLET.match(line))):
            # A wrapped address runs on until a line closes it.
            detail = not line.endswith((";", "."))
            i += 1
            continue
        detail = False
        if issuer and _names_issuer(line, issuer):
            break  # "Cục Thuế nhận được …": the letter's own first sentence
        bulleted = any(_BULLET.match(item) for item in raw)
        if not _continues(line, raw[-1] if raw else "", bool(raw), bulleted):
            break
        raw.append(line)
        i += 1
    return raw, i


def _names_issuer(line: str, issuer: str) -> bool:
    """True when a line opens with the issuer's name, as a letter's first sentence does."""
    text, name = line.casefold(), issuer.casefold()
    return text == name or text.startswith(f"{name} ")


def heading_at(lines: list[str], i: int) -> tuple[str, int] | None:
    """The text after a "Kính gửi:" or "… điện:" heading at line i, and the next index."""
    line = lines[i]
    if line in ("Kính", "KÍNH") and i + 1 < len(lines) and lines[i + 1].lower().startswith("gửi"):
        line = f"{line} {lines[i + 1]}"
        i += 1
    if _DONG_KINH_GUI.match(line):
        return None
    if _KINH_GUI.match(line):
        return _KINH_GUI.sub("", line).strip(), i + 1
    if _DIEN.search(line):
        return "", i + 1
    return None


def read_addressees(lines: list[str], start: int, issuer: str = "") -> Addressees:
    """The addressee block starting within a few lines of start, if any."""
    found = Addressees()
    for i in range(start, min(len(lines), start + _REACH)):
        heading = heading_at(lines, i)
        if heading is None:
            continue
        raw, end = _collect(lines, heading[1], heading[0], issuer)
        found.items, found.end = split_items(raw, names_after_colon=True), end
        if end < len(lines) and _DONG_KINH_GUI.match(lines[end]):
            first = _DONG_KINH_GUI.sub("", lines[end]).strip()
            cc_raw, found.end = _collect(lines, end + 1, first, issuer)
            found.cc = split_items(cc_raw, names_after_colon=True)
        return found
    return found
