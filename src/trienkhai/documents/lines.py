"""Line preparation: strip markup remnants, collapse spaces, find the document in a web page."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# Markdown emphasis; "(*)" is a real note marker in tables and is kept.
_EMPHASIS = re.compile(r"(?<!\()\*+(?!\))")
_HEADING = re.compile(r"^#+\s*")
_CELL_PIPE = re.compile(r"\s*\|\s*")
# Zero-width characters that str.split() does not treat as spaces.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# thuvienphapluat.vn page furniture around the document.
_PAGE_MARK = "Đang tải văn bản"
_SUMMARY_END = re.compile(r"^Xem chi tiết tại\b")
_ATTRIBUTE_LAST = re.compile(r"^Tình trạng:?$")
_PAGE_TAIL = re.compile(r"^(Văn bản này chưa cập nhật nội dung Tiếng Anh|Văn bản liên quan)$")
_HEADER_START = re.compile(r"^C[ỘO]NG H[ÒOÓ]A X[ÃA] H[ỘO]I|^SỐ:|^Số:", re.IGNORECASE)
_STARS = re.compile(r"\*+")


@dataclass(frozen=True)
class Prepared:
    """Cleaned non-empty lines of the main document, and their bold openings."""

    lines: list[str]
    # Bold markdown ("**4. Sở Y tế**") marks a unit heading apart from the task under it:
    # each line that opens in bold maps to its bold opening (itself when wholly bold).
    strong: Mapping[str, str] = field(default_factory=dict)


def clean_line(line: str) -> str:
    """One line without markdown emphasis, headings, cell pipes and repeated spaces."""
    text = line
    if "*" in text:
        text = _EMPHASIS.sub("", text)
    if text.startswith("#"):
        text = _HEADING.sub("", text)
    if "|" in text:
        text = _CELL_PIPE.sub(" ", text)
    return squeeze(text)


def squeeze(text: str) -> str:
    """The text with runs of whitespace made one space and its ends stripped."""
    # " " is the only printable whitespace, so a printable text without doubled or outer
    # spaces is already squeezed: skip the split and join that dominate line cleaning.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _bold_prefix(line: str, bold: bool) -> tuple[str, bool]:
    """The raw text from the line's start that is printed bold, and the bold state after it.

    "**" opens or closes bold and "*" is italic only; a run of three stars toggles both, and
    four ("**V****Ă****N") close and reopen, leaving bold as it was.
    """
    pos, cut = 0, -1
    for run in _STARS.finditer(line):
        if cut < 0 and not bold and line[pos : run.start()].strip():
            cut = pos
        if len(run.group()) % 4 in (2, 3):
            bold = not bold
        pos = run.end()
    if cut < 0 and not bold and line[pos:].strip():
        cut = pos
    return (line if cut < 0 else line[:cut]), bold


def _strong_lines(raw: list[str]) -> dict[str, str]:
    """For each cleaned line that opens in bold, its bold opening (the whole line when all bold)."""
    strong: dict[str, str] = {}
    bold = False
    for line in raw:
        if not line.strip(" |"):  # emphasis never runs across a paragraph or a cell
            bold = False
            continue
        if "*" not in line:
            if bold and (cleaned := clean_line(line)):
                strong[cleaned] = cleaned
            continue
        prefix, bold = _bold_prefix(line, bold)
        if (cleaned := clean_line(line)) and (opening := clean_line(prefix)):
            strong.setdefault(cleaned, opening)
    return strong


def _page_start(lines: list[str]) -> int:
    """First line of the document after a legal portal's banner, attribute table and summary."""
    marks = [i for i, line in enumerate(lines) if line.startswith(_PAGE_MARK)]
    if not marks:
        return 0
    start = marks[0] + 1
    for i in range(start, min(len(lines), start + 80)):
        if _ATTRIBUTE_LAST.match(lines[i]):
            start = i + 2
            break
    for i in range(start, min(len(lines), start + 200)):
        if _SUMMARY_END.match(lines[i]):
            return i + 1
        if _HEADER_START.match(lines[i]) and i - start < 40:
            break
    return start


def _page_end(lines: list[str], start: int) -> int:
    """Index after the document's last line, before a portal's title line and related lists."""
    for i in range(start, len(lines)):
        if _PAGE_TAIL.match(lines[i]):
            return _drop_title_line(lines, i, start)
    return len(lines)


def _drop_title_line(lines: list[str], tail: int, start: int) -> int:
    """The portal repeats the title just above its tail marker; leave it out."""
    if tail - 1 <= start:
        return tail
    above = lines[tail - 1].split()[:2]
    later = [line.split()[:2] for line in lines[tail + 1 : tail + 3]]
    return tail - 1 if above and above in later else tail


def prepare(text: str) -> Prepared:
    """Cleaned, non-empty lines of the main document."""
    # Imported here: the column step reads signer names, and the signer code needs `squeeze`.
    from trienkhai.documents.columns import unfold  # noqa: PLC0415

    text = unfold(_INVISIBLE.sub(" ", text).replace("\r\n", "\n").replace("\r", "\n"))
    raw = text.split("\n")
    lines = [cleaned for line in raw if (cleaned := clean_line(line))]
    start = _page_start(lines)
    end = _page_end(lines, start) if start else len(lines)
    strong = _strong_lines(raw) if "**" in text else {}
    return Prepared(lines=lines[start:end], strong=strong)
