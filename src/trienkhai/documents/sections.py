"""Sections: the top-level Roman-numeral headings and the outline of numbered items."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trienkhai.documents.grammar import item_rank
from trienkhai.documents.schemas import Section

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
_ROMAN = re.compile(r"^([IVXL]{1,6})\s*[.:)]\s*(.*)$")
_NUMBERED = re.compile(
    r"^(\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]\s*(.*)$|^(\d{1,2}(?:\.\d{1,2}){1,3})\s+(.*)$"
)
_LETTER = re.compile(r"^([a-zđ])\s*\)\s*(.*)$")
_BULLET = re.compile(r"^([-–+•*])\s*(.+)$")
_ARTICLE = re.compile(r"^(Điều\s+\d{1,3}[a-zđ]?)\s*[.:]\s*(.*)$")
_CHAPTER = re.compile(r"^(Chương\s+[IVXL\d]{1,6})\b\s*[.:]?\s*(.*)$", re.IGNORECASE)
_TITLE_CUT = 200
# One cheap test before the specific patterns: most lines open no item at all.
_HEADING_INITIALS = frozenset("CcĐIVXL")
_MAYBE_ITEM = re.compile(r"^(?:Chương|CHƯƠNG|Điều|[IVXL]{1,6}\s*[.:)]|\d|[a-zđ]\s*\)|[-–+•*])")


def roman_value(numeral: str) -> int:
    """The value of a Roman numeral (0 when it is not one)."""
    total, prev = 0, 0
    for ch in reversed(numeral.upper()):
        value = _ROMAN_VALUES.get(ch, 0)
        if value == 0:
            return 0
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def _letters(text: str) -> str:
    """Only the letters of a text."""
    return "".join(ch for ch in text if ch.isalpha())


def is_upper(text: str) -> bool:
    """True when every letter of the text is a capital (and there is at least one)."""
    letters = _letters(text)
    return bool(letters) and letters.isupper()


def _starts_item(line: str) -> bool:
    """True when a line opens a numbered, lettered or bulleted item (or a Roman heading)."""
    return bool(
        _ROMAN.match(line) or _NUMBERED.match(line) or _LETTER.match(line) or _BULLET.match(line)
    )


def _continues(title: str, nxt: str) -> bool:
    """True when the next line finishes a heading a hard wrap split."""
    if not nxt or _starts_item(nxt) or title.endswith((".", ":")):
        return False
    if not title:
        return True
    if is_upper(title):
        return is_upper(nxt) and len(nxt) < 160
    first = nxt.lstrip('("“')[:1]
    return first.islower()


@dataclass(frozen=True)
class Heading:
    """A top-level heading with the index of its line and of the line after it."""

    label: str
    title: str
    line: int
    end: int

    @property
    def text(self) -> str:
        """The heading as printed: numeral, period, title."""
        return f"{self.label} {self.title}".strip()


def _heading_at(lines: list[str], i: int) -> Heading | None:
    """The Roman-numeral heading starting at line i, wrapped lines joined."""
    match = _ROMAN.match(lines[i])
    if not match or roman_value(match.group(1)) == 0:
        return None
    label = lines[i][: match.start(2)].strip()
    title, j = match.group(2).strip(), i + 1
    while j < len(lines) and j - i < 4 and _continues(title, lines[j]):
        title = f"{title} {lines[j].strip()}".strip()
        j += 1
    return Heading(label=label, title=title, line=i, end=j)


def roman_headings(lines: list[str]) -> list[Heading]:
    """Top-level Roman-numeral headings in order I, II, … (a printed repeat is kept).

    A plan whose writer skipped "I." counts from "II." when at least two capitalised
    headings follow in order.
    """
    found = _roman_run(lines, 0)
    if found:
        return found
    found = _roman_run(lines, 1)
    capitals = all(is_upper(h.title) for h in found)
    return found if len(found) >= 2 and capitals and found[0].label.startswith("II") else []


def _roman_run(lines: list[str], last: int) -> list[Heading]:
    """Roman-numeral headings in order after the numeral `last`."""
    found: list[Heading] = []
    for i, line in enumerate(lines):
        if line[:1] not in "IVXL":
            continue
        heading = _heading_at(lines, i)
        if heading is None or not heading.title:
            continue
        value = roman_value(heading.label.rstrip(".:) "))
        if value in (last, last + 1) and value > 0:
            found.append(heading)
            last = value
    return found


def _item(line: str) -> tuple[str, str, str] | None:
    """(kind, label, text) of an outline item, or None for running text."""
    if not _MAYBE_ITEM.match(line):
        return None
    # Only a line opening with one of these letters can be a Chương, Điều or Roman heading.
    if line[0] in _HEADING_INITIALS:
        for kind, pattern in (("chapter", _CHAPTER), ("article", _ARTICLE), ("roman", _ROMAN)):
            match = pattern.match(line)
            if match and (kind != "roman" or roman_value(match.group(1))):
                return kind, line[: match.start(2)].strip(), match.group(2)
    match = _NUMBERED.match(line)
    if match:
        label = match.group(1) or match.group(3)
        text = match.group(2) if match.group(1) else match.group(4)
        return f"num{label.count('.')}", line[: len(line) - len(text)].strip(), text
    match = _LETTER.match(line)
    if match:
        return "letter", line[: match.start(2)].strip(), match.group(2)
    match = _BULLET.match(line)
    if match:
        return f"bullet{match.group(1)}", match.group(1), match.group(2)
    return None


def _title(text: str) -> str:
    """A short title for an item: the run-in heading before a colon, else the opening words."""
    colon = text.find(":")
    if 0 <= colon <= _TITLE_CUT:
        return text[:colon].strip()
    return text[:_TITLE_CUT].strip()


def outline(lines: list[str]) -> list[Section]:
    """The hierarchy of headings and items: Chương, Điều, I., 1., 1.1., a), -, +, *."""
    roots: list[Section] = []
    stack: list[tuple[int, Section]] = []
    for i, line in enumerate(lines):
        item = _item(line)
        if item is None:
            continue
        kind, label, text = item
        rank = item_rank(kind)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        node = Section(label=label, title=_title(text), level=len(stack) + 1, line=i)
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((rank, node))
    return roots
