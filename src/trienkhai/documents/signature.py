"""The signer block (KT./TM./TL./TUQ./Q., titles, name) and the Nơi nhận list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trienkhai.documents.header import is_upper
from trienkhai.documents.recipients import split_items
from trienkhai.text import key

_PREFIX = re.compile(r"^(?P<auth>KT|TM|TL|TUQ|Q)\s*(?:\.\s*|\s+)(?P<rest>\S.*)$")
_SIGNED = re.compile(
    # The closing bracket may be lost to a scan ("(đãk —-").
    r"\(\s*(?:đã\s*k(?:[ýí]|\b)|ký|k[ýí]\s*tên)(?:[^)]*\)|[^)]*$)|\[\s*(?:daky|đã ký)[^\]]*\]"
    r"|^đã\s*k[ýí]\b.*$"
    # A short note alone in brackets between title and name is the signature note, however a
    # scan spelled it ("(88k)").
    r"|^\s*\([^()]{1,10}\)\s*$",
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
_RANK_PREFIXES = tuple(f"{rank} " for rank in _RANKS)
_TITLE_WORDS = re.compile(
    r"TRƯỞNG|TƯỚNG|TỊCH|ĐỐC|NHIỆM|CHÁNH|THANH TRA|KIỂM TOÁN|BÍ THƯ|VIỆN|GIÁM|PHÓ|TỔNG",
)
_BARE_PREFIX = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.$")
# Bodies a TM. prefix names; a prefix line that stops inside one wrapped onto the next line.
_WHOLE_BODIES = (
    "ủy ban nhân dân",
    "ủy ban thường vụ quốc hội",
    "hội đồng nhân dân",
    "ban chấp hành",
    "ban thường vụ",
    "ban chỉ đạo",
    "hội đồng quản trị",
    "tổng thanh tra",
    "tổng cục trưởng",
    "bộ trưởng",
    "chính phủ",
    "thủ tướng",
    "chủ tịch",
    "giám đốc",
    "cục trưởng",
    "thống đốc",
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


# Specks beside a signer line that OCR reads as marks ("-_ Đãký)-", "- Cao Anh Tuấn"): a run of
# dashes and strokes before the first letter or bracket, or after the last character of the line.
_DUST_AT_ENDS = re.compile(r"^[-–—_~`'|.,:;\s]+(?=[^\W\d_]|[(\[])|(?<=[\w).])[-–—_~`'|\s]+$")


def undusted(line: str) -> str:
    """A signer-block line without the dust marks OCR leaves at its ends."""
    dusty = line[:1] in "-–—_~`'|.,:; " or line[-1:] in "-–—_~`'| "
    return _DUST_AT_ENDS.sub("", line) if dusty else line


def strip_signed(line: str) -> str:
    """A line without "(Đã ký)"-style markers (nor the dust OCR leaves at its ends)."""
    line = undusted(line)
    if "(" not in line and "[" not in line and "ã" not in line:
        return _without_tail_dust(line)
    rest = " ".join(_SIGNED.sub(" ", line).split())
    # "[ (Đã ký)": a bracket left over from a signature image's frame is no text either.
    return _without_tail_dust(rest) if any(ch.isalnum() for ch in rest) else ""


# A capital line followed by one or two short readings of specks ("CHỦ TỊCH hÔng \"",
# "BỘ TRƯỞNG | à").
_TAIL = re.compile(r"^(?P<head>.*?[^\W\d_]{2,}[.,]?)(?P<tail>(?:\s+\S{1,4}){1,2})$")


def _without_tail_dust(text: str) -> str:
    """A capital line without the specks OCR read after it; any other line as it is."""
    found = _TAIL.match(text) if not is_upper(text) else None
    if found and is_upper(found["head"]) and not is_upper(found["tail"]):
        return found["head"]
    return text


def is_name(line: str) -> bool:
    """Whether a line is a person's name ("Mai Thoan", "Đại tướng Lương Tam Quang")."""
    line = undusted(line)
    if len(line) > 80 or not (line[:1].isupper() or line[:1] in "([*"):
        return False
    text = strip_signed(line).strip(" .,")
    if text.startswith(_RANK_PREFIXES):  # one C-level test; few lines carry a rank
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
    found = _PREFIX.match(undusted(line))
    return bool(found and is_upper(found.group("rest")))


def _is_title(line: str) -> bool:
    """A capitalised title line of a signer block ("BỘ TRƯỞNG", "PHÓ CHỦ TỊCH")."""
    text = strip_signed(line)
    return bool(text) and is_upper(text) and len(text.split()) <= 12 and not text.endswith(":")


def name_span(lines: list[str], i: int) -> int:
    """How many lines the name starting at line i takes (0: not a name); a name may wrap once."""
    if is_name(lines[i]):
        return 1
    word = lines[i]
    if " " in word or len(word) > 12 or i + 1 >= len(lines):
        return 0
    if is_name(f"{word} {lines[i + 1]}"):
        return 2
    return 0


def find_signer(lines: list[str], start: int) -> Signer | None:
    """The first signer block after start: prefix or title lines ending in a name line."""
    for i in range(start + 1, len(lines)):
        span = name_span(lines, i)
        if not span:
            continue
        first = _block_start(lines, i)
        if first is not None and first >= start:
            return read_signer(lines, first, i, span)
    return None


def _block_start(lines: list[str], name_at: int) -> int | None:
    """Index of the first prefix or title line above a name line, or None."""
    block: list[int] = []
    i = name_at - 1
    while i >= max(0, name_at - _BLOCK_REACH):
        line = lines[i]
        if strip_signed(line) and not (is_prefix(line) or _is_title(line) or _is_bare_prefix(line)):
            break
        block.append(i)
        i -= 1
    block = [k for k in block if strip_signed(lines[k])]
    prefixes = [k for k in block if is_prefix(lines[k]) or _is_bare_prefix(lines[k])]
    if prefixes:
        return min(prefixes)
    if any(_TITLE_WORDS.search(lines[k]) for k in block):
        return min(block)
    return None


def _is_bare_prefix(line: str) -> bool:
    """A prefix printed alone on its line ("TL.")."""
    return bool(_BARE_PREFIX.match(undusted(line).strip()))


def _prefix_parts(line: str) -> tuple[str, str]:
    """(authority, rest) of a prefix line."""
    line = undusted(line)
    if _is_bare_prefix(line):
        return line.strip().rstrip(".") + ".", ""
    found = _PREFIX.match(line)
    return (found.group("auth") + ".", found.group("rest").strip()) if found else ("", line)


def _continues_prefix(rest: str, nxt: str) -> bool:
    """Whether the next line completes a wrapped prefix ("TM. ỦY BAN" / "NHÂN DÂN")."""
    if not rest or rest.endswith(","):
        return True
    words = key(rest).split()
    joined = key(f"{rest} {nxt}").split()
    for phrase in _WHOLE_BODIES:
        target = phrase.split()
        if words == target[: len(words)] and len(words) < len(target):
            return joined == target[: len(joined)]
    return False


def read_signer(lines: list[str], first: int, name_at: int, span: int = 1) -> Signer:
    """Authority, on-behalf, title and name from a block's lines."""
    name = " ".join(strip_signed(line) for line in lines[name_at : name_at + span])
    signer = Signer(start=first, end=name_at + span, name=name.strip(" .,") or None)
    block = [text for line in lines[first:name_at] if (text := strip_signed(line))]
    prefixes = [k for k, line in enumerate(block) if is_prefix(line) or _is_bare_prefix(line)]
    if not prefixes:
        signer.title = " ".join(block) or None
        return signer
    segments: list[tuple[str, str]] = []
    after = 0
    for k in prefixes:
        auth, rest = _prefix_parts(block[k])
        after = k + 1
        while (
            after < len(block) and after not in prefixes and _continues_prefix(rest, block[after])
        ):
            rest = f"{rest} {block[after]}".strip()
            after += 1
        segments.append((auth, rest))
    signer.authority, signer.on_behalf = segments[0][0], segments[0][1] or None
    signer.title = " ".join(block[after:]) or None
    return signer


def find_noi_nhan(lines: list[str], start: int, stop: int) -> int:
    """Index of the "Nơi nhận" line between start and stop, or -1."""
    for i in range(start, min(stop, len(lines))):
        line = lines[i]
        if line == "Nơi" and i + 1 < len(lines) and lines[i + 1].startswith("nhận"):
            return i
        if _NOI_NHAN.match(line):
            return i
    return -1


def read_noi_nhan(lines: list[str], at: int, stop: int, *, through_luu: bool = False) -> list[str]:
    """Nơi nhận items from the heading line up to stop (or through the "Lưu" item)."""
    if lines[at] == "Nơi":
        at += 1
    first = _NOI_NHAN.sub("", lines[at]).strip()
    first = re.sub(r"^nhận\s*:?\s*", "", first)
    raw = ([first] if first else []) + lines[at + 1 : stop]
    out: list[str] = []
    for line in raw:
        if is_prefix(line) or (is_name(line) and out and out[-1].startswith(("Lưu", "- Lưu"))):
            break
        out.append(line)
        if through_luu and re.match(r"^[-+•–]?\s*Lưu\b", line) and line.endswith("."):
            break
    return split_items(out)


# Items of a Nơi nhận that send the letter nowhere: the archive ("Lưu: VT, …"), and the drafter's
# initials with the copy count printed under it ("08 KH", "03b", "15 bản").
_ARCHIVE = re.compile(r"^L[ưu]u\s*[:.]?", re.IGNORECASE)
_COPIES = re.compile(r"^\d{1,3}\s*(?:b|bản|[A-ZĐ][A-Za-zĐđ.]{0,5})?\.?$")


def distribution(items: list[str]) -> list[str]:
    """The Nơi nhận items that are recipients: no archive item, no copy count."""
    return [item for item in items if not (_ARCHIVE.match(item) or _COPIES.match(item))]
