"""Footnotes: lift footnote text out of the body and rejoin sentences a PDF conversion split."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trienkhai.documents.schemas import Footnote

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(_SUPERSCRIPTS, "0123456789")
# A footnote text line: a marker at the start of the line, possibly inside markdown emphasis.
_DEFINITION = re.compile(
    r"^[*_\s]*(?:([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})|\[(\d{1,3}|[ivxIVX]{1,6})\])[*_]*(?:\s+|$)(.*)$"
)
# A footnote reference glued to (or right after) a word of the body.
_REFERENCE = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})|\[(\d{1,3}|[ivxIVX]{1,6})\]")
# The characters a reference starts with: one cheap test before the alternation above.
_REFERENCE_START = re.compile(r"[\[⁰¹²³⁴⁵⁶⁷⁸⁹]")
_TRAILING_NOISE = " *_”“\"’')]"
_STOP = re.compile(r"^(?:#{1,6}\s|\||Văn bản này chưa|Nơi nhận|\*?\*?Nơi nhận)")
_RULE = re.compile(r"^[_\-–—=*\s]{5,}$")


@dataclass
class _State:
    """What the scan has gathered so far."""

    out: list[str] = field(default_factory=list)
    notes: list[Footnote] = field(default_factory=list)
    referenced: set[str] = field(default_factory=set)


def _marker(match: re.Match[str]) -> str:
    """The marker of a definition or reference match, superscripts read as digits."""
    sup, bracket = match.group(1), match.group(2)
    return sup.translate(_SUP_TO_DIGIT) if sup else bracket.lower()


def ends_sentence(line: str) -> bool:
    """True when the line ends a paragraph: a final period (markup and quotes ignored)."""
    stripped = line.rstrip(_TRAILING_NOISE)
    return stripped.endswith((".", "!", "?"))


def _definition(line: str, referenced: set[str]) -> tuple[str, str] | None:
    """(marker, first text) when the line opens a footnote whose marker the body used before."""
    match = _DEFINITION.match(line)
    if not match:
        return None
    marker = _marker(match)
    if marker not in referenced:
        return None
    return marker, match.group(3).strip()


def _read_note(lines: list[str], start: int, first: str, referenced: set[str]) -> tuple[str, int]:
    """The footnote text opened at `start` and the index of the first line after it."""
    parts = [first] if first else []
    j = start + 1
    if first and ends_sentence(first):
        return first, j
    while j < len(lines):
        line = lines[j]
        if _definition(line, referenced) or _STOP.match(line) or _RULE.match(line):
            break
        parts.append(line)
        j += 1
        if ends_sentence(line):
            break
    return " ".join(parts).strip(), j


def _starts_lower(line: str) -> bool:
    """True when the line's first letter is lower case: a sentence continues there."""
    letters = line.lstrip(' *_"“(')
    return bool(letters) and letters[0].islower()


def _scan(lines: list[str], state: _State) -> None:
    """Walk the lines, moving footnote text to the notes and rejoining split sentences."""
    i = 0
    while i < len(lines):
        line = lines[i]
        found = _definition(line, state.referenced)
        if found is None:
            if _REFERENCE_START.search(line, 1):
                state.referenced.update(_marker(m) for m in _REFERENCE.finditer(line, 1))
            state.out.append(line)
            i += 1
            continue
        text, i = _read_note(lines, i, found[1], state.referenced)
        if state.out and _RULE.match(state.out[-1]) and "_" in state.out[-1]:
            state.out.pop()  # the divider printed above the footnotes
        state.notes.append(Footnote(marker=found[0], text=text))
        if _should_rejoin(state.out, lines, i):
            state.out[-1] = state.out[-1].rstrip() + " " + lines[i].strip()
            state.referenced.update(_marker(m) for m in _REFERENCE.finditer(lines[i]))
            i += 1


def _should_rejoin(out: list[str], lines: list[str], i: int) -> bool:
    """True when the footnote interrupted a sentence that the next line finishes."""
    if not out or i >= len(lines) or _RULE.match(out[-1]):
        return False
    return not ends_sentence(out[-1]) and not out[-1].endswith(";") and _starts_lower(lines[i])


def strip_references(line: str, markers: set[str]) -> str:
    """The line without the footnote references whose markers are in `markers`."""
    if not markers:
        return line

    def drop(match: re.Match[str]) -> str:
        return "" if _marker(match) in markers else match.group(0)

    return _REFERENCE.sub(drop, line)


def split_footnotes(lines: list[str], known: list[Footnote]) -> tuple[list[str], list[Footnote]]:
    """Body lines without footnote text, and every footnote found."""
    try:
        state = _State()
        _scan(lines, state)
    except Exception:  # a footnote is never worth losing the document for
        return lines, known
    notes = list(known)
    have = {note.marker for note in notes}
    notes.extend(note for note in state.notes if note.marker not in have)
    markers = {note.marker for note in notes}
    return [strip_references(line, markers) for line in state.out], notes
