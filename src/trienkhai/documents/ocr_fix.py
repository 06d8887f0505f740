"""Header words that OCR damages, put right with the known vocabulary ("SƠ" → "SỞ").

Tesseract often drops or changes the marks of capitals ("UY BAN", "CÔNG HOÀ", "SƠ NỘI VỤ"). On the
header lines only (before the body starts), a run of words whose diacritic-folded form matches a
known phrase (the quốc hiệu and tiêu ngữ, the bodies of a header, the document types of
`grammar.py`, the shipped ministry and department names and the unit registry) takes that phrase's
letters, keeping the line's own case and punctuation. Nothing below the header is touched.

Capitals lose or change their stacked marks in every way, so on an all-capital line any marks may
be put right. On a line in ordinary case tesseract reads the marks well and makes few kinds of
mistake: a mark dropped, the hook (hỏi) or tilde (ngã) read as an acute, a speck over a vowel read
as an acute or a hook.
Only those are put right there; any other difference ("dịnh" for "định", "Chường" for "Chương")
is what the page prints, a misprint of the source that the reader must keep as printed.

Where both readings are real words ("tàu biến", "phạm ví", "NAM 2025"), the neighbours decide,
through the syllable-pair model of `syllables.py`.
"""

from __future__ import annotations

import bisect
import difflib
import re
from functools import cache
from importlib import resources

import yaml

from trienkhai.documents.agencies import _listed_names
from trienkhai.documents.grammar import BODY_START, KINH_GUI, TYPE_ABBRS, TYPES
from trienkhai.documents.syllables import fix_tones, marks
from trienkhai.text import fold, nfc

# Phrases of every Decree-30 header beside the types and unit names.
_HEADER_PHRASES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN TỈNH",
    "ỦY BAN NHÂN DÂN THÀNH PHỐ",
    "ỦY BAN NHÂN DÂN HUYỆN",
    "ỦY BAN NHÂN DÂN XÃ",
    "ỦY BAN NHÂN DÂN PHƯỜNG",
    "ỦY BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "ỦY BAN THƯỜNG VỤ QUỐC HỘI",
    "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM",
    "VĂN PHÒNG ỦY BAN NHÂN DÂN",
    "THỦ TƯỚNG CHÍNH PHỦ",
    "VĂN PHÒNG CHÍNH PHỦ",
    "BAN CHỈ ĐẠO",
    "BAN TUYÊN GIÁO",
    "BAN TUYÊN GIÁO VÀ DÂN VẬN",
    # Issuers of national documents without "và" or a comma (those are in agency-names.txt).
    "CHÍNH PHỦ",
    "QUỐC HỘI",
    "CHỦ TỊCH NƯỚC",
    "BỘ Y TẾ",
    "BỘ TÀI CHÍNH",
    "BỘ CÔNG AN",
    "BỘ QUỐC PHÒNG",
    "BỘ NGOẠI GIAO",
    "BỘ NỘI VỤ",
    "BỘ TƯ PHÁP",
    "BỘ CÔNG THƯƠNG",
    "BỘ XÂY DỰNG",
    "THANH TRA CHÍNH PHỦ",
    "KIỂM TOÁN NHÀ NƯỚC",
    "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM",
    "TÒA ÁN NHÂN DÂN TỐI CAO",
    "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO",
    "ỦY BAN DÂN TỘC",
    # Standard openings and formulas of a subject (trích yếu).
    "Ban hành",
    "Sửa đổi, bổ sung",
    "Quy chuẩn kỹ thuật quốc gia",
    "chi tiết",
    "hướng dẫn thi hành",
    "hệ thống",
)
# The part of the body that votes on the header's marks (the subject's words come back early,
# in "Điều 1"); bounds the cost on a long scan.
_CONTEXT_CHARS = 30_000
# Header lines end by the first body line; a header is never longer than this.
_MAX_HEADER_LINES = 25
_WORD = re.compile(r"\w+")
# A word may differ beyond its marks in one place of a phrase of at least this many words.
_FUZZY_MIN_WORDS = 3
_FUZZY_RATIO = 0.8


def _registry_names() -> list[str]:
    """Names and aliases of every unit in the shipped registries."""
    names: list[str] = []
    for entry in resources.files("trienkhai.units.data").iterdir():
        if entry.name.endswith((".yaml", ".yml")):
            data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
            for unit in data.get("units", []):
                names += [unit.get("name") or "", *(unit.get("aliases") or [])]
    return names


def vocabulary() -> list[str]:
    """Every known phrase of two or more words (single words are too ambiguous: SỞ/SỐ)."""
    phrases = [*_HEADER_PHRASES, *TYPES, *_listed_names(), *_registry_names()]
    return sorted({nfc(p) for p in phrases if len(_WORD.findall(p)) >= 2})


@cache
def _index() -> dict[str, list[list[str]]]:
    """Phrases as word lists by the folded first word, longest first."""
    by_first: dict[str, list[list[str]]] = {}
    for phrase in vocabulary():
        words = _WORD.findall(phrase)
        by_first.setdefault(fold(words[0]), []).append(words)
    for entries in by_first.values():
        entries.sort(key=len, reverse=True)
    return by_first


_ACUTE, _HOOK, _TILDE = "\u0301", "\u0309", "\u0303"
# Tone read → tones it may stand for on a line in ordinary case (besides itself and a lost tone).
_TONE_MISREADS = {_ACUTE: frozenset({_HOOK, _TILDE, ""}), _HOOK: frozenset({""})}


def _misread(seen: str, known: str) -> bool:
    """Whether tesseract reads the printed letter known as seen on a line in ordinary case."""
    base_s, shape_s, tone_s = marks(seen.lower())
    base_k, shape_k, tone_k = marks(known.lower())
    # A small d is no damaged đ: the bar of a small đ survives OCR (a capital's may not).
    same_base = base_s == base_k or (seen == "D" and base_k == "đ")
    # Vowel marks (ơ, ê, ă) may be lost, never made up.
    if not same_base or shape_s not in ("", shape_k):
        return False
    return tone_s in ("", tone_k) or tone_k in _TONE_MISREADS.get(tone_s, frozenset())


def _same(seen: str, known: str, *, capitals: bool = True) -> bool:
    """Whether an OCR'd word is the known word up to the marks OCR damages on its line."""
    if fold(seen) != fold(known):
        return False
    if capitals or len(seen) != len(known):
        return True
    return all(_misread(s, k) for s, k in zip(seen, known, strict=True))


def _close(seen: str, known: str) -> bool:
    """Whether an OCR'd word is near the known word beyond its marks (one damaged letter)."""
    a, b = fold(seen), fold(known)
    if min(len(a), len(b)) < 3:
        return False
    return _one_edit(a, b) or difflib.SequenceMatcher(None, a, b).ratio() >= _FUZZY_RATIO


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by one changed, added or dropped letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _match(words: list[str], capitals: list[bool], phrase: list[str]) -> bool:
    """Whether the words spell the phrase, marks aside, with at most one near word if long.

    capitals[i] tells whether words[i] stands on an all-capital line (any marks may be damaged).
    """
    if len(words) < len(phrase) or not _same(words[0], phrase[0], capitals=capitals[0]):
        return False
    misses = 0
    for seen, upper, known in zip(words[1:], capitals[1:], phrase[1:], strict=False):
        if _same(seen, known, capitals=upper):
            continue
        # The same letters with other marks than OCR makes: a printed variant, not a near word.
        if fold(seen) == fold(known):
            return False
        misses += 1
        if misses > 1 or len(phrase) < _FUZZY_MIN_WORDS or not _close(seen, known):
            return False
    return True


def _placed_otherwise(seen: str, known: str) -> bool:
    """Whether the word has the known word's letters and tone, the tone on another vowel
    ("HOÁ" for "HÓA": the older placement, as printed, is kept)."""
    a, b = [marks(ch) for ch in seen.lower()], [marks(ch) for ch in known.lower()]
    letters = [m[:2] for m in a] == [m[:2] for m in b]
    return a != b and letters and [m[2] for m in a if m[2]] == [m[2] for m in b if m[2]]


def _cased(seen: str, known: str, *, upper: bool) -> str:
    """The known word in the case the OCR'd word (or its all-capital line) was printed in."""
    if upper or (len(seen) > 1 and seen.isupper()):
        return known.upper()
    if len(seen) == len(known):
        return "".join(
            k.upper() if s.isupper() else k.lower() for s, k in zip(seen, known, strict=True)
        )
    first = known[:1].upper() if seen[:1].isupper() else known[:1].lower()
    return first + known[1:].lower()


def _all_capitals(line: str) -> bool:
    """Whether every letter of the line is a capital."""
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def fix_words(text: str) -> str:
    """Header text with every known phrase's words put right, across line breaks too."""
    spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    words = [w for _, _, w in spans]
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    rows = [_all_capitals(line) for line in text.split("\n")]
    capitals = [rows[bisect.bisect_right(starts, start) - 1] for start, _, _ in spans]
    out = list(words)
    i = 0
    while i < len(words):
        found = next(
            (p for p in _index().get(fold(words[i]), []) if _match(words[i:], capitals[i:], p)),
            None,
        )
        if found is None:
            i += 1
            continue
        for j, known in enumerate(found):
            if not _placed_otherwise(words[i + j], known):
                out[i + j] = _cased(words[i + j], known, upper=capitals[i + j])
        i += len(found)
    pieces, last = [], 0
    for (start, end, _), word in zip(spans, out, strict=True):
        pieces += [text[last:start], word]
        last = end
    return "".join([*pieces, text[last:]])


def fix_type_line(line: str) -> str:
    """A short capital line one letter away from exactly one document type is that type
    ("THỒÔNG TƯ" → "THÔNG TƯ"): the type line stands alone and names one of a closed list."""
    words = _WORD.findall(line)
    if not (1 <= len(words) <= 4 and _all_capitals(line)):
        return line
    seen = fold("".join(words))
    names = _type_names()
    if seen in names or len(seen) < _TYPE_MIN_LETTERS:
        return line
    near = [name for folded, name in names.items() if _one_edit(seen, folded)]
    return near[0].upper() if len(near) == 1 else line


# Type names shorter than this (LUẬT, LỆNH) are too close to other words to take one letter off.
_TYPE_MIN_LETTERS = 6


@cache
def _type_names() -> dict[str, str]:
    """Document type names by their letters without marks or spaces ("thongtu" → "Thông tư")."""
    return {fold("".join(_WORD.findall(name))): name for name in TYPES}


def fix_so(line: str) -> str:
    """A capital line "SƠ …"/"SÓ …" without a number is a department: SỞ ("Số:" has a colon)."""
    words = _WORD.findall(line)
    plain = ":" not in line and not any(ch.isdigit() for ch in line)
    if _all_capitals(line) and plain and len(words) >= 2 and fold(words[0]) == "so":
        return _WORD.sub("SỞ", line, count=1)
    return line


def fix_line(line: str) -> str:
    """One header line with its known words put right."""
    return fix_date_words(fix_number_line(fix_so(fix_words(line))))


_SYMBOL = re.compile(r"\b\d+/(?:\d{4}/)?[0-9A-Za-zĐđ]+(?:-[0-9A-Za-zĐđ]+)+")
_SYMBOL_PART = re.compile(r"(?<=[/-])[A-ZĐa-z0-9]+(?=[-/\s]|$)")
# Letters tesseract reads as digits or other letters inside a symbol (TT-BCT → T1-BCT).
_LOOKALIKES = {"1": ("T", "I"), "l": ("I", "T"), "I": ("T",), "0": ("Đ", "D", "O"), "5": ("S",)}
_STROKES = frozenset("1lI|")


def _symbol_part(part: str) -> str:
    """A part of a number symbol that is a known abbreviation once one look-alike is put right."""
    if part in TYPE_ABBRS or part.isdigit():
        return part
    for index, char in enumerate(part):
        for letter in _LOOKALIKES.get(char, ()):
            fixed = part[:index] + letter + part[index + 1 :]
            if fixed in TYPE_ABBRS:
                return fixed
    # A stroke beside the abbreviation read as one more letter or digit (TT-… read TT1-…).
    if part[-1:] in _STROKES and part[:-1] in TYPE_ABBRS:
        return part[:-1]
    return part


# A term number closing a symbol's capitals (UBTVQH15, QH14) whose 1 OCR read as I or l.
_TERM_ONE = re.compile(r"(?<=\d/)([A-ZĐ-]*[A-ZĐ])[Il](?=\d+\b)")
# A National Assembly term has two digits at most (QH15): a third is a 1 read twice (QH115).
_TERM_TWICE = re.compile(r"(?<=\d/)([A-ZĐ-]*QH)1(1\d)\b")


# A hyphen read as a dot between a type abbreviation and the issuer's code (TT.BCT).
_DOTTED = re.compile(r"(?<=\d/)([A-ZĐ]{2,5})\.(?=[A-ZĐ][0-9A-Za-zĐđ]+\b)")


def _dash(match: re.Match[str]) -> str:
    """The abbreviation with its hyphen back, when it is a known type abbreviation."""
    abbr = match.group(1)
    return f"{abbr}-" if abbr in TYPE_ABBRS else match.group()


def fix_number_line(line: str) -> str:
    """Every number symbol of a line with its type abbreviation put right (51/2025/T1-BCT → TT)."""

    def symbol(match: re.Match[str]) -> str:
        return _SYMBOL_PART.sub(lambda m: _symbol_part(m.group()), match.group())

    line = _DOTTED.sub(_dash, line)
    fixed = _TERM_ONE.sub(r"\g<1>1", _SYMBOL.sub(symbol, line))
    return _TERM_TWICE.sub(r"\g<1>\g<2>", fixed)


# The words of a date line, each followed by its number ("nắm 2025" → "năm 2025").
_DATE_WORDS = {"ngay": "ngày", "thang": "tháng", "nam": "năm"}
_DATE_WORD = re.compile(r"\b(\w+)(?=\s+\d{1,4}\b)")


def fix_date_words(line: str) -> str:
    """The "ngày … tháng … năm …" words of a line with their marks put right."""

    def put_right(match: re.Match[str]) -> str:
        word = match.group(1)
        known = _DATE_WORDS.get(fold(word))
        return word if known is None or word.isupper() else _cased(word, known, upper=False)

    return _DATE_WORD.sub(put_right, line)


def fix_header(text: str, context: str = "") -> str:
    """The OCR'd text with its header lines (before the body starts) put right; context is the
    rest of the document where it is not in text (the other pages of a scan)."""
    lines = text.split("\n")
    end = min(len(lines), _MAX_HEADER_LINES)
    for index, line in enumerate(lines[:end]):
        stripped = line.strip()
        if BODY_START.match(stripped) or KINH_GUI.match(stripped):
            end = index
            break
    # Phrases may wrap ("quy định chỉ" / "tiết"): the header is matched as one text. Tones are
    # put right by their neighbours first; a known phrase then has the last word.
    # The body and the other pages repeat the subject's words: their readings are witnesses.
    body = "\n".join([*lines[end:], context])[:_CONTEXT_CHARS]
    header = fix_words(fix_tones("\n".join(lines[:end]), context=body)).split("\n") if end else []
    fixed = [fix_date_words(fix_number_line(fix_so(fix_type_line(line)))) for line in header]
    return "\n".join(fixed + lines[end:])
