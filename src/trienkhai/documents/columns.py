"""Text laid out in columns (pdftotext -layout, a PDF viewer's copy): two columns to two streams.

A Decree-30 letter prints its header and its signature as two columns. A layout-keeping
converter leaves both columns side by side on one line ("Nơi nhận:        KT. CHỦ TỊCH").
Each block of such lines is rewritten as its left column's lines and then its right column's
lines, the order in which the .docx reader gives the cells of a header or signature table.
Page numbers and running heads are dropped, and footnote text at a page foot gets its
superscript marker so that the footnote step lifts it out.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from trienkhai.documents.readers.docx import superscript
from trienkhai.documents.signature import is_name

# A run of text whose words are at most two spaces apart; three or more spaces part columns.
_PART = re.compile(r"\S+(?: {1,2}\S+)*")
_COLUMN_GAP = "   "
# Words that open a right-hand column: quốc hiệu, tiêu ngữ, place and date, signer prefixes.
_RIGHT_WORDS = re.compile(
    r"^(?:C[ỘO]NG H[ÒOÓ]A|Độc lập|[^,]{2,40}, ngày\b|ngày\s+\d|(?:KT|TM|TL|TUQ|Q)\s*\.\s*\S"
    r"|(?:PHÓ )?(?:CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỦ TRƯỞNG|TRƯỞNG BAN|CHÁNH VĂN PHÒNG)\b)"
)
_ARCHIVE_END = re.compile(r"^[-+•–]?\s*Lưu\s*:.*\.$")
# A number symbol the narrow line broke at its hyphen, and the capitals that finish it.
_CUT_SYMBOL = re.compile(r"\d+/(?:\d{4}/)?[A-ZĐ]{1,8}-\s*$")
_SYMBOL_REST = re.compile(r"^\s*[A-ZĐĂÂÊÔƠƯ]{2,}(?:[-/ ,.;]|$)")
_QUOC_HIEU = re.compile(r"^C[ỘO]NG H[ÒOÓ]A X[ÃA] H[ỘO]I")
_LEFT_WORDS = re.compile(r"^(?:N[ơo]i nh[ậa]n|Số\s*:|Kính gửi)", re.IGNORECASE)
# A line that opens the part after the header: it never continues a column block.
_ENDS_BLOCK = re.compile(r"^Kính gửi", re.IGNORECASE)
_BULLET = re.compile(r"^[-+•–]\s")
_ITEM_END = (";", ".")
# Blank lines a column block may hold (the space left for the signature).
_MAX_BLANKS = 8
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?$")
_FOOT_NOTE = re.compile(r"^ {0,6}(\d{1,2}) +(\S.*)$")
_FOOT_WINDOW = 12
_PAGE_BREAK = "\f"
# Lines looked at above a block for right-only lines that belong to it.
_ABOVE = 4
# Indent of a line standing alone in the middle of the page (a page number).
_CENTRED = 12
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A footnote reference printed after a word as a plain number ("các đơn vị1 thực hiện").
_REFERENCE = re.compile(r"(?<=[a-zà-ỹđ)”\"])(\d{1,2})(?=[\s,.;:]|$)")


@dataclass(frozen=True)
class _Span:
    """A run of text on a line: its first column, the column after it, and the text."""

    start: int
    end: int
    text: str


def _spans(line: str) -> list[_Span]:
    """The line's runs of text parted by three or more spaces."""
    return [_Span(m.start(), m.end(), m.group()) for m in _PART.finditer(line)]


def _gaps(spans: list[_Span]) -> list[tuple[int, int, int]]:
    """(index of the first right span, first blank column, first column of the right span)."""
    return [(k + 1, a.end, b.start) for k, (a, b) in enumerate(itertools.pairwise(spans))]


def _overlap(lo: int, hi: int, gap: tuple[int, int, int]) -> bool:
    """Whether a gap shares a column with the blank band [lo, hi)."""
    return max(lo, gap[1]) < min(hi, gap[2])


@dataclass
class _Block:
    """A run of lines in two columns and the blank band between them."""

    lo: int
    hi: int
    left: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    # Past a page break a converter places the columns afresh: a page holding only the
    # signer's name prints it at the left margin.
    new_page: bool = False
    centres: list[int] = field(default_factory=list)

    def take(self, spans: list[_Span]) -> bool:
        """Put a line's text in its column(s); False when it crosses the band (block ends)."""
        if self.new_page and len(spans) == 1 and self._signer_pending(spans[0].text):
            self.right.append(spans[0].text)
            return True
        if self._closed(spans):
            return False
        for cut, lo, hi in _gaps(spans):
            if _overlap(self.lo, self.hi, (cut, lo, hi)):
                self.lo, self.hi = max(self.lo, lo), min(self.hi, hi)
                self.left.append(" ".join(s.text for s in spans[:cut]))
                self._put_right(spans[cut:])
                return True
        start, end = spans[0].start, spans[-1].end
        if start >= self.lo:
            self._put_right(spans)
            self.hi = min(self.hi, max(start, self.lo + 1))
            return True
        # A wrapped left item may reach under the right column's centred lines, not past them.
        if end <= self.hi or (self.centres and 2 * end <= min(self.centres)):
            self.left.append(" ".join(s.text for s in spans))
            self.lo = max(self.lo, min(end, self.hi - 1))
            return True
        return False

    def _closed(self, spans: list[_Span]) -> bool:
        """The next document's header (an appendix) starts, or a left line follows "- Lưu: …."."""
        if self.right and _QUOC_HIEU.match(spans[-1].text):
            return True
        left_only = len(spans) == 1 and spans[0].start < self.lo
        return left_only and bool(self.left) and bool(_ARCHIVE_END.match(self.left[-1]))

    def _put_right(self, spans: list[_Span]) -> None:
        """Add a right-column line and note where its centre lies (twice the column)."""
        self.right.append(" ".join(s.text for s in spans))
        self.centres.append(spans[0].start + spans[-1].end)

    def _signer_pending(self, text: str) -> bool:
        """A name after a page break while the right column holds a signer without a name."""
        return bool(self.right) and not any(map(is_name, self.right)) and is_name(text)

    def lines(self) -> list[str]:
        """The left column's lines, then the right column's, wrapped list items joined."""
        return _join_items(self.left) + _join_items(self.right)


def _join_items(lines: list[str]) -> list[str]:
    """A list item ("- Sở Y tế,") wrapped onto the next line in a narrow column is one line."""
    out: list[str] = []
    for line in lines:
        item = out[-1] if out else ""
        if (
            _BULLET.match(item)
            and not item.endswith(_ITEM_END)
            and not _BULLET.match(line)
            and not _LEFT_WORDS.match(line)
        ):
            glue = "" if item.endswith("-") and item[-2:-1] != " " else " "
            out[-1] = f"{item}{glue}{line}"
        else:
            out.append(line)
    return out


def _opens(spans: list[_Span], near: list[list[_Span]]) -> tuple[int, int, int] | None:
    """The gap that makes this line the first of a column block, if it is one."""
    for gap in _gaps(spans):
        cut = gap[0]
        known = _RIGHT_WORDS.match(spans[cut].text) or _LEFT_WORDS.match(spans[0].text)
        if known and cut == 1:
            return gap
        if any(_overlap(gap[1], gap[2], other) for line in near for other in _gaps(line)):
            return gap
    return None


def _neighbours(rows: list[list[_Span]], i: int) -> list[list[_Span]]:
    """The next two non-blank lines after line i."""
    return [row for row in rows[i + 1 : i + 4] if row][:2]


def unfold_page(lines: list[str]) -> list[str]:
    """One page's lines with every two-column block read as left column, then right column."""
    rows = [_spans(line) if _COLUMN_GAP in line and "|" not in line else [] for line in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        spans = rows[i]
        gap = _opens(spans, _neighbours(rows, i)) if len(spans) > 1 else None
        if gap is None:
            line = "" if lines[i] == _PAGE_BREAK else lines[i]
            if out and _CUT_SYMBOL.search(out[-1]) and _SYMBOL_REST.match(line):
                out[-1] = out[-1].rstrip() + line.strip()  # "18/2011/TT-" / "BVHTTDL …"
            else:
                out.append(line)
            i += 1
            continue
        block = _Block(lo=gap[1], hi=gap[2])
        _take_above(block, out)
        i = max(i + 1, _grow(block, lines, i))  # the opening line is always taken
        out.extend(block.lines())
    return out


def _take_above(block: _Block, out: list[str]) -> None:
    """Right-only lines just above a block (a signer's "KT. CHỦ TỊCH" over "Nơi nhận:")."""
    k = len(out)
    while k > 0 and len(out) - k < _ABOVE:
        k -= 1
        line = out[k]
        if not line.strip():
            continue
        spans = _spans(line)
        text = spans[0].text
        # Only a signer's prefix or title sits there, never a right-aligned date or sentence.
        if len(spans) != 1 or 2 * spans[0].start <= block.lo + block.hi or text != text.upper():
            break
        block.right.insert(0, spans[0].text)
        del out[k:]


def _grow(block: _Block, lines: list[str], i: int) -> int:
    """Take lines into the block from line i; the index of the first line left out."""
    blanks = 0
    first = last = i
    while i < len(lines):
        if lines[i] == _PAGE_BREAK:
            block.new_page = True
            i += 1
            continue
        if not lines[i].strip():
            blanks += 1
            if blanks > _MAX_BLANKS:
                break
            i += 1
            continue
        spans = _spans(lines[i])
        opening = i == first
        if (_ENDS_BLOCK.match(spans[0].text) and not opening) or not block.take(spans):
            break
        blanks = 0
        i += 1
        last = i
    return last


def _strip_furniture(pages: list[list[str]]) -> None:
    """Drop page numbers and running heads (a top line repeated on other pages)."""
    tops: dict[str, int] = {}
    for page in pages[1:]:
        top = next((line.strip() for line in page if line.strip()), "")
        tops[top] = tops.get(top, 0) + 1
    for n, page in enumerate(pages):
        for k, line in enumerate(page):
            # Copied without page breaks, a page number still stands alone, centred.
            if len(line) - len(line.lstrip()) >= _CENTRED and _PAGE_NUMBER.match(line.strip()):
                page[k] = ""
        filled = [k for k, line in enumerate(page) if line.strip()]
        for k in filled[:1] + filled[-1:]:
            text = page[k].strip()
            if _PAGE_NUMBER.match(text) or (n and k == filled[0] and tops.get(text, 0) > 1):
                page[k] = ""


def _mark_footnotes(page: list[str]) -> None:
    """Footnote text under the body at the page foot: "1 Công văn …" becomes "¹ Công văn …"."""
    filled = [k for k, line in enumerate(page) if line.strip()]
    tail = filled[-_FOOT_WINDOW:]
    marks: set[str] = set()
    for k in tail:
        found = _FOOT_NOTE.match(page[k])
        # A footnote opens after a blank line and is not an item of a numbered body list.
        if found and k > 0 and not page[k - 1].strip() and not found.group(2)[:1].islower():
            if _PAGE_NUMBER.match(found.group(2)):
                continue
            page[k] = f"{superscript(found.group(1))} {found.group(2)}"
            marks.add(found.group(1))
    if not marks:
        return
    foot = min(k for k in tail if page[k].lstrip()[:1] in _SUPERSCRIPTS)
    for k in range(foot):
        if any(ch.isdigit() for ch in page[k]):
            page[k] = _REFERENCE.sub(lambda m: _as_mark(m, marks), page[k])


def _as_mark(found: re.Match[str], marks: set[str]) -> str:
    """A plain-number reference as its superscript when the page foot holds that note."""
    number = found.group(1)
    return superscript(number) if number in marks else number


def has_columns(text: str) -> bool:
    """Whether the text looks laid out by position (form feeds or column gaps on many lines)."""
    if "\f" in text:
        return True
    gapped = sum(1 for line in text.split("\n") if _COLUMN_GAP in line.strip() and "|" not in line)
    return gapped >= 2


def unfold(text: str) -> str:
    """Text laid out in columns as the lines the layout code reads; other text unchanged."""
    if not has_columns(text):
        return text
    pages = [page.expandtabs(8).split("\n") for page in text.split("\f")]
    _strip_furniture(pages)
    for page in pages:
        _mark_footnotes(page)
    # A block may run over a page break (a signature split across pages).
    joined = [line for page in pages for line in (*page, _PAGE_BREAK)]
    return "\n".join(unfold_page(joined[:-1]))
