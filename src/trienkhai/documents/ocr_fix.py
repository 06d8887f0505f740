"""Header words that OCR damages, put right with the known vocabulary ("SƠ" → "SỞ").

Tesseract often drops or changes the marks of capitals ("UY BAN", "CÔNG HOÀ", "SƠ NỘI VỤ"). On the
header lines only (before the body starts), a run of words whose diacritic-folded form matches a
known phrase (the quốc hiệu and tiêu ngữ, the bodies of a header, the document types of
`grammar.py`, the shipped ministry and department names and the unit registry) takes that phrase's
letters, keeping the line's own case and punctuation. Nothing below the header is touched.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from importlib import resources

import yaml

from trienkhai.documents.agencies import _listed_names
from trienkhai.documents.grammar import BODY_START, KINH_GUI, TYPE_ABBRS, TYPES
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
)
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


def _same(seen: str, known: str) -> bool:
    """Whether an OCR'd word is the known word up to its marks."""
    return fold(seen) == fold(known)


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


def _match(words: list[str], phrase: list[str]) -> bool:
    """Whether the words spell the phrase, marks aside, with at most one near word if long."""
    if len(words) < len(phrase) or not _same(words[0], phrase[0]):
        return False
    misses = 0
    for seen, known in zip(words[1:], phrase[1:], strict=False):
        if _same(seen, known):
            continue
        misses += 1
        if misses > 1 or len(phrase) < _FUZZY_MIN_WORDS or not _close(seen, known):
            return False
    return True


def _cased(seen: str, known: str, *, upper: bool) -> str:
    """The known word in the case the OCR'd word (or its all-capital line) was printed in."""
    if upper or (len(seen) > 1 and seen.isupper()):
        return known.upper()
    if seen[:1].isupper():
        return known[:1].upper() + known[1:]
    return known[:1].lower() + known[1:]


def fix_line(line: str) -> str:
    """One header line with every known phrase's words put right."""
    spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(line)]
    words = [w for _, _, w in spans]
    letters = [ch for ch in line if ch.isalpha()]
    upper = bool(letters) and all(ch.isupper() for ch in letters)
    out = list(words)
    i = 0
    while i < len(words):
        found = next((p for p in _index().get(fold(words[i]), []) if _match(words[i:], p)), None)
        if found is None:
            i += 1
            continue
        for j, known in enumerate(found):
            out[i + j] = _cased(words[i + j], known, upper=upper)
        i += len(found)
    # A capital line "SƠ …"/"SÓ …" without a number is a department: SỞ (the number line has "Số:").
    plain = ":" not in line and not any(ch.isdigit() for ch in line)
    if upper and plain and len(words) >= 2 and fold(words[0]) == "so":
        out[0] = "SỞ"
    pieces, last = [], 0
    for (start, end, _), word in zip(spans, out, strict=True):
        pieces += [line[last:start], word]
        last = end
    return "".join([*pieces, line[last:]])


_NUMBER_LINE = re.compile(r"^\s*S[ốỐoO6]\s*:")
_SYMBOL_PART = re.compile(r"(?<=[/-])[A-ZĐa-z0-9]+(?=[-/\s]|$)")
# Letters tesseract reads as digits or other letters inside a symbol (TT-BCT → T1-BCT).
_LOOKALIKES = {"1": ("T", "I"), "l": ("I", "T"), "0": ("Đ", "D", "O"), "5": ("S",)}


def _symbol_part(part: str) -> str:
    """A part of a number symbol that is a known abbreviation once one look-alike is put right."""
    if part in TYPE_ABBRS or part.isdigit():
        return part
    for index, char in enumerate(part):
        for letter in _LOOKALIKES.get(char, ()):
            fixed = part[:index] + letter + part[index + 1 :]
            if fixed in TYPE_ABBRS:
                return fixed
    return part


def fix_number_line(line: str) -> str:
    """The "Số: 51/2025/T1-BCT" line with its type abbreviation put right (TT)."""
    if not _NUMBER_LINE.match(line):
        return line
    return _SYMBOL_PART.sub(lambda m: _symbol_part(m.group()), line)


def fix_header(text: str) -> str:
    """The OCR'd text with its header lines (before the body starts) put right."""
    lines = text.split("\n")
    for index, line in enumerate(lines[:_MAX_HEADER_LINES]):
        stripped = line.strip()
        if BODY_START.match(stripped) or KINH_GUI.match(stripped):
            break
        lines[index] = fix_number_line(fix_line(line))
    return "\n".join(lines)
