"""The signer block (KT./TM./TL./TUQ./Q., titles, name) and the Nơi nhận list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trienkhai.documents.header import is_upper
from trienkhai.documents.recipients import split_items

_PREFIX = re.compile(r"^(?P<auth>KT|TM|TL|TUQ|Q)\s*(?:\.\s*|\s+)(?P<rest>\S.*)$")
_SIGNED = re.compile(
    r"\(\s*(?:đã\s*k[ýí]|ký|k[ýí]\s*tên)[^)]*\)|\[\s*(?:daky|đã ký)[^\]]*\]|^đã\s*k[ýí]\b.*$",
    re.IGNORECASE,
)
_NOI_NHAN = re.compile(r"^N[ơo]i\s*nh[ậa]n\s*:?\s*", re.IGNORECASE)
_RANKS = (
    "Đại tướng",
    "Thượng tướng",
    "Trung tướng",
    "Thiếu tướng",
    "Đại tá",
    "Thượng tá",
    "Trung tá",
    "Thiếu tá",
    "Đô đốc",
    "Phó Đô đốc",
    "Chuẩn Đô đốc",
)
_TITLE_WORDS = re.compile(
    r"TRƯỞNG|TƯỚNG|TỊCH|ĐỐC|NHIỆM|CHÁNH|THANH TRA|KIỂM TOÁN|BÍ THƯ|VIỆN|GIÁM|PHÓ|TỔNG",
)
# A block starts within this many lines above its name line.
_BLOCK_REACH = 6


@dataclass
class Signer:
    """The signer block of the main document."""

    start: int
    end: int
    name: str | None = None
    title: str | None = None
    authority: str | None = None
    on_behalf: str | None = None


def strip_signed(line: str) -> str:
    """A line without "(Đã ký)"-style markers."""
    return " ".join(_SIGNED.sub(" ", line).split())


def is_name(line: str) -> bool:
    """Whether a line is a person's name ("Mai Thoan", "Đại tướng Lương Tam Quang")."""
    text = strip_signed(line).strip(" .")
    for rank in _RANKS:
        if text.startswith(rank + " "):
            text = text[len(rank) + 1 :]
            break
    words = text.split()
    if not 2 <= len(words) <= 6:
        return False
    return all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) and w.isalpha() for w in words)


def is_prefix(line: str) -> bool:
    """An authority prefix line ("KT. BỘ TRƯỞNG", "TM.ỦY BAN NHÂN DÂN", "KT CHỦ TỊCH")."""
    found = _PREFIX.match(line)
    return bool(found and is_upper(found.group("rest")))


def _is_title(line: str) -> bool:
    """A capitalised title line of a signer block ("BỘ TRƯỞNG", "PHÓ CHỦ TỊCH")."""
    text = strip_signed(line)
    return bool(text) and is_upper(text) and len(text.split()) <= 12 and not text.endswith(":")


def find_signer(lines: list[str], start: int) -> Signer | None:
    """The first signer block after start: prefix or title lines ending in a name line."""
    for i in range(start, len(lines)):
        if not is_name(lines[i]) or i == start:
            continue
        first = _block_start(lines, i)
        if first is not None and first >= start:
            return read_signer(lines, first, i)
    return None


def _block_start(lines: list[str], name_at: int) -> int | None:
    """Index of the first prefix or title line above a name line, or None."""
    first: int | None = None
    i = name_at - 1
    while i >= max(0, name_at - _BLOCK_REACH):
        line = lines[i]
        if not strip_signed(line):
            i -= 1
            continue
        if is_prefix(line) or (_is_title(line) and _TITLE_WORDS.search(line)):
            first = i
        elif not (_is_title(line) and first is not None):
            break
        i -= 1
    return first


def read_signer(lines: list[str], first: int, name_at: int) -> Signer:
    """Authority, on-behalf, title and name from a block's lines."""
    signer = Signer(start=first, end=name_at + 1, name=strip_signed(lines[name_at]).strip(" ."))
    block = [strip_signed(line) for line in lines[first:name_at]]
    block = [line for line in block if line]
    prefixes = [k for k, line in enumerate(block) if is_prefix(line)]
    if not prefixes:
        signer.title = " ".join(block) or None
        return signer
    head = _PREFIX.match(block[prefixes[0]])
    if head:
        signer.authority = head.group("auth") + "."
        signer.on_behalf = head.group("rest").strip()
    last = prefixes[-1]
    if block[last].endswith(",") and last + 1 < len(block):
        # "KT. BỘ TRƯỞNG," wraps onto "CHỦ NHIỆM": the prefix continues on the next line.
        if last == prefixes[0]:
            signer.on_behalf = f"{signer.on_behalf} {block[last + 1]}"
        last += 1
    signer.title = " ".join(block[last + 1 :]) or None
    return signer


def find_noi_nhan(lines: list[str], start: int, stop: int) -> int:
    """Index of the "Nơi nhận" line between start and stop, or -1."""
    for i in range(start, min(stop, len(lines))):
        if _NOI_NHAN.match(lines[i]):
            return i
    return -1


def read_noi_nhan(lines: list[str], at: int, stop: int) -> list[str]:
    """Nơi nhận items from the heading line up to stop (or through the "Lưu" item)."""
    first = _NOI_NHAN.sub("", lines[at]).strip()
    raw = ([first] if first else []) + lines[at + 1 : stop]
    out: list[str] = []
    for line in raw:
        if is_prefix(line) or is_name(line) and out and out[-1].startswith(("Lưu", "- Lưu")):
            break
        out.append(line)
        if re.match(r"^[-+•–]?\s*Lưu\b", line) and line.endswith("."):
            break
    return split_items(out)
