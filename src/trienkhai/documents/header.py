"""The Decree-30 header: issuer, quốc hiệu, number, place and date, marks, type and trích yếu."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trienkhai.documents import grammar
from trienkhai.documents.grammar import BODY_START, DIEN
from trienkhai.documents.lines import squeeze
from trienkhai.documents.schemas import Mark
from trienkhai.text import fold, key

# How far below the first line the header may reach (wrapped markdown headers run long).
HEADER_WINDOW = 45
_MOTTO = re.compile(r"cong\s+hoa\s+xa\s+hoi\s+chu\s+ngh[iy]a(?:\s+viet(?:\s+nam)?)?")
_SLOGAN = re.compile(r"doc\s+lap\s*[-–—]+\s*tu\s+do\s*[-–—]+\s*hanh\s+phuc")
SEPARATOR = re.compile(r"^[-_=–—.~*\s]{3,}$")
_NUMBER = re.compile(
    r"(?<!\w)s[ốo]\s*(?:ký hiệu\s*)?:\s*"
    r"(?P<num>[0-9][0-9.]*[A-Za-z]?)?\s*/\s*(?P<sym>[^\s/]+(?:\s*/\s*[^\s/,]+)*)",
    re.IGNORECASE,
)
_DATE = re.compile(
    r",\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})?",
    re.IGNORECASE,
)
_DATE_NUMERIC = re.compile(
    r",\s*(?:ngày\s*)?(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_VV = re.compile(r"^(?:V/v|V/V|v/v)\s*:?\s*")
_VE = re.compile(r"^Về\s")
# A V/v trích yếu wraps over a few lines at most.
_VV_WRAPS = 4
MARKS = {
    "HỎA TỐC": "urgency",
    "HOẢ TỐC": "urgency",
    "THƯỢNG KHẨN": "urgency",
    "KHẨN": "urgency",
    "TUYỆT MẬT": "secrecy",
    "TỐI MẬT": "secrecy",
    "MẬT": "secrecy",
    "XEM XONG TRẢ LẠI": "circulation",
    "LƯU HÀNH NỘI BỘ": "circulation",
}
_PLACE_LOWER_OK = {"phố", "xã", "thị", "trấn", "huyện", "tỉnh", "quận"}


@dataclass
class Header:
    """What the header says, with the index of the first line after it."""

    issuer_lines: list[str] = field(default_factory=list)
    number: str | None = None
    symbol: str | None = None
    number_symbol: str | None = None
    issued_date: str | None = None
    place: str | None = None
    doc_type: str | None = None
    subject: str | None = None
    marks: list[Mark] = field(default_factory=list)
    end: int = 0


def _fold_char(ch: str) -> str:
    """One folded character, or the character itself when folding would change the length."""
    folded = fold(ch)
    return folded if len(folded) == 1 else ch


# Latin letters with Vietnamese diacritics, folded one-to-one so indices survive. A list
# indexed by code point translates twice as fast as a dict; later code points stay as they are.
_FOLD_TABLE = [
    _fold_char(chr(code))
    if 0x41 <= code < 0x5B or 0xC0 <= code < 0x250 or code >= 0x1EA0
    else chr(code)
    for code in range(0x1F00)
]
_NOT_NEWLINE = re.compile(r"[^\n]")


def fold_aligned(text: str) -> str:
    """Lower-case diacritic folding that keeps every character at its index."""
    return text.translate(_FOLD_TABLE)


def is_upper(line: str) -> bool:
    """Whether a line is written in capitals (a few lower-case letters allowed, as in "TTg")."""
    letters = "".join(filter(str.isalpha, line))
    if not letters:
        return False
    if letters.isupper():  # no lower-case letter at all: skip the count
        return True
    lower = sum(map(str.islower, letters))
    return lower <= len(letters) // 10


def blank_mottos(lines: list[str]) -> tuple[list[str], int]:
    """The lines with quốc hiệu and tiêu ngữ removed, and the index of the line after them."""
    text = "\n".join(lines)
    folded = fold_aligned(text)
    spans = [found.span() for pattern in (_MOTTO, _SLOGAN) if (found := pattern.search(folded))]
    after = max((text.count("\n", 0, end) + 1 for _, end in spans), default=-1)
    for start, end in spans:  # blanking keeps the length, so every index stays put
        text = text[:start] + _NOT_NEWLINE.sub(" ", text[start:end]) + text[end:]
    return [squeeze(line) for line in text.split("\n")], after


def find_type_line(lines: list[str], start: int, stop: int) -> int:
    """Index of the tên loại line ("KẾ HOẠCH", "LUẬT"), or -1."""
    for i in range(start, min(stop, len(lines))):
        if grammar.type_name(lines[i]) and is_upper(lines[i]):
            return i
    return -1


def read_number(lines: list[str], stop: int) -> tuple[int, re.Match[str] | None]:
    """The first "Số:" line in the header and its match."""
    for i in range(min(stop, len(lines))):
        line = lines[i]
        if re.search(r"s[ốo]\s*(?:ký hiệu\s*)?:\s*$", line, re.IGNORECASE) and i + 1 < len(lines):
            line = f"{line} {lines[i + 1]}"
        found = _NUMBER.search(line)
        if found and len(line) < 200:
            return i, found
    return -1, None


def set_number(header: Header, found: re.Match[str]) -> None:
    """Number, symbol and number_symbol from a "Số:" match."""
    number = found.group("num")
    symbol = re.sub(r"\s+", "", found.group("sym")).rstrip(".,;")
    header.number = number.rstrip(".") if number else None
    header.symbol = symbol or None
    # A draft's blank number ("Số: /STTTT-TTBCXB") keeps "/symbol" as printed; number is null.
    if symbol:
        header.number_symbol = f"{header.number or ''}/{symbol}"


def find_date(lines: list[str], start: int, stop: int) -> tuple[int, re.Match[str] | None]:
    """The place-and-date line (a wrapped date joined with its next line) and its match."""
    for i in range(start, min(stop, len(lines))):
        joined = lines[i] if i + 1 >= len(lines) else f"{lines[i]} {lines[i + 1]}"
        if "ngày" not in joined.casefold() and not re.search(r"\d{4}", joined):
            continue
        for pattern in (_DATE, _DATE_NUMERIC):
            found = pattern.search(joined)
            if found and found.start() <= len(lines[i]):
                return i, found
    return -1, None


def _place_word_ok(word: str) -> bool:
    """Whether a word can belong to a place name (capitalised, or "phố" of "Thành phố")."""
    return word[:1].isupper() or word in _PLACE_LOWER_OK


def read_place(lines: list[str], index: int, found: re.Match[str], used: set[int]) -> str | None:
    """The place before ", ngày", joined with a wrapped first half on the line above."""
    before = lines[index][: found.start()]
    number = _NUMBER.search(before)
    before = before[number.end() :] if number else before
    before = before.strip(" ,")
    words = before.split()
    wrapped = len(words) <= 2 or (bool(words) and words[0][:1].islower())
    if index > 0 and index - 1 not in used and wrapped:
        above = lines[index - 1]
        above_words = above.split()
        if (
            above_words
            and len(above_words) <= 4
            and all(_place_word_ok(w) for w in above_words)
            and not is_upper(above)
            and not above.endswith((".", ";", ":", ","))
        ):
            used.add(index - 1)
            words = above_words + words
    place = " ".join(words).strip(" ,")
    return place or None


def read_mark(line: str) -> Mark | None:
    """An urgency, secrecy or circulation mark when the line is one."""
    text = " ".join(line.strip(" .:*").split()).upper()
    kind = MARKS.get(text)
    return Mark(kind=kind, text=text) if kind else None


def subject_lines(lines: list[str], start: int, stop: int, issuer: str) -> tuple[list[str], int]:
    """Trích yếu lines after the tên loại, and the index after them."""
    out: list[str] = []
    i = start
    upper = is_upper(lines[start]) if start < len(lines) else True
    while i < min(stop, len(lines)):
        line = lines[i]
        # A wrapped year span ("GIAI ĐOẠN" over "2026 - 2030") has no letters to show its case.
        same_case = is_upper(line) == upper or not any(map(str.isalpha, line))
        if out and (is_subject_end(line, issuer) or not same_case):
            break
        if not out and (BODY_START.match(line) or DIEN.search(line)):
            break
        out.append(line)
        i += 1
    if len(out) > 1 and i < len(lines) and _wrapped_authority(out[-1], lines[i], issuer):
        out.pop()
        i -= 1
    return out, i


def _wrapped_authority(last: str, line: str, issuer: str) -> bool:
    """True when the trích yếu's last line is the start of a wrapped "… điện:" authority line.

    "THỦ" over "TƯỚNG CHÍNH PHỦ điện:": the two lines together name the authority.
    """
    if not DIEN.search(line) or len(last.split()) > 2:
        return False
    if is_authority_line(DIEN.sub("", line).strip(), issuer):  # whole on its own line
        return False
    return is_authority_line(DIEN.sub("", f"{last} {line}").strip(), issuer)


def is_subject_end(line: str, issuer: str) -> bool:
    """A line that starts the body: Căn cứ…, Kính gửi, "… điện:", or an authority line."""
    if BODY_START.match(line) or DIEN.search(line) or SEPARATOR.match(line):
        return True
    if line.endswith("./.") or line.startswith("Nơi nhận"):
        return True
    return is_authority_line(line, issuer)


def is_authority_line(line: str, issuer: str) -> bool:
    """A line naming the enacting authority ("ỦY BAN THƯỜNG VỤ QUỐC HỘI", "CHỦ TỊCH UBND …")."""
    text = key(line.strip(" :")).replace("uỷ", "ủy")
    name = key(issuer).replace("uỷ", "ủy")
    if not text or line.endswith((",", ";")) or not is_upper(line):
        return False
    if name and (text == name or text.endswith(" " + name)):
        return True
    heads = ("quốc hội", "chính phủ", "thủ tướng chính phủ", "chủ tịch nước")
    return text in heads or text.startswith(("bộ trưởng bộ ", "thống đốc ", "tổng kiểm toán "))


def clean_subject(parts: list[str], *, cong_van: bool) -> str | None:
    """Join trích yếu lines; a công văn loses its "V/v" and its final period."""
    text = " ".join(" ".join(parts).split())
    if cong_van:
        text = _VV.sub("", text).rstrip(" .")
    return text or None


def vv_lines(lines: list[str], start: int, stop: int, used: set[int]) -> tuple[list[str], int]:
    """The "V/v …" trích yếu of a công văn with its wrapped lines, and the index after them."""
    for i in range(start, min(stop, len(lines))):
        after_number = i > 0 and i - 1 in used and bool(_VE.match(lines[i]))
        if (_VV.match(lines[i]) or after_number) and i not in used:
            out = [lines[i]]
            j = i + 1
            while (
                j < len(lines)
                and j not in used
                and j - i <= _VV_WRAPS
                and not out[-1].endswith(".")
                and not _stops_vv(lines[j])
            ):
                out.append(lines[j])
                j += 1
            return out, j
    return [], -1


def _stops_vv(line: str) -> bool:
    """A line that cannot continue a V/v trích yếu."""
    return bool(
        line.endswith("./.")
        or BODY_START.match(line)
        or grammar.KINH_GUI.match(line)
        or grammar.KINH_WRAPPED.match(line)
        or _NUMBER.search(line)
        or _DATE.search(line)
        or SEPARATOR.match(line)
        or read_mark(line)
    )


def issuer_lines(lines: list[str], stop: int, skip: set[int]) -> list[str]:
    """Capitalised lines above the quốc hiệu (and beside it, when columns were flattened)."""
    out: list[str] = []
    for i in range(min(stop, len(lines))):
        line = lines[i].strip(" ,")
        if i in skip or not line or SEPARATOR.match(line) or read_mark(line):
            continue
        if _NUMBER.search(line) or _DATE.search(line):
            continue
        if is_upper(line):
            out.append(line)
    return out
