"""PDF reader: the text layer through pypdfium2, OCR for pages that have none."""

from __future__ import annotations

import itertools
import math
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pypdfium2 as pdfium
from PIL import Image

from trienkhai.documents.ocr_fix import fix_header
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.readers.docx import superscript
from trienkhai.documents.readers.ocr import OcrBudget, ocr_pages, tesseract_program
from trienkhai.documents.schemas import PageConfidence, ReadResult
from trienkhai.settings import get_settings
from trienkhai.text import nfc

OCR_DPI = 300
# A page with fewer visible characters than this is taken as a scan.
MIN_PAGE_CHARS = 8
_SENTENCE_END = (".", ":", ";", "!", "?")
_BULLETS = ("-", "+", "•", "–")


@dataclass(frozen=True)
class Segment:
    """One run of text on one line of a page, with its box in PDF points."""

    text: str
    left: float
    bottom: float
    right: float
    top: float


_LINE_END_HYPHEN = "\x02"
# A gap wider than this share of the line height between two glyphs is a word break.
_WORD_GAP = 0.12
# Glyph widths between two runs of one line that make them two columns, and the lines of a
# page that must show such a gap for the page to be read as columns on one line.
_COLUMN_GAP = 3.0
_MIN_SPLIT_LINES = 2


def _segments(textpage: pdfium.PdfTextPage) -> list[Segment]:
    """The page's text runs in content order (LibreOffice and Word write reading order)."""
    out = []
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        text = (
            textpage.get_text_bounded(left, bottom, right, top).replace("\r", "").replace("\n", " ")
        )
        if text.strip():
            out.append(Segment(" ".join(text.split()), left, bottom, right, top))
    return out


@dataclass(frozen=True)
class _Char:
    """One character of the text layer with its loose box."""

    text: str
    left: float
    bottom: float
    right: float
    top: float


def _char_lines(textpage: pdfium.PdfTextPage) -> list[list[_Char]]:
    """The page's characters in content order, cut into printed lines at pdfium's line breaks.

    A space pdfium generates has no width; it marks where a glyph from another font was cut
    out of the run, not a word break, so it is dropped.
    """
    lines: list[list[_Char]] = [[]]
    for index in range(textpage.count_chars()):
        text = textpage.get_text_range(index, 1)
        if text in ("\r", "\n"):
            if lines[-1]:
                lines.append([])
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        if text.isspace() and right - left < 0.1:
            continue
        lines[-1].append(_Char(text, left, bottom, right, top))
    return [line for line in lines if line]


def _out_of_order(line: list[_Char]) -> bool:
    """True when the text layer lists a character left of the one before it on the same line.

    LibreOffice writes glyphs a font lacks ("Ỉ" of "TỈNH" from a fallback font) after the
    rest of the line; read in content order they land at its end ("UBND T NH KON TUM Ỉ").
    """
    return any(
        b.left < a.left - 0.5 * max(1.0, a.top - a.bottom)
        and min(a.top, b.top) - max(a.bottom, b.bottom) > 0
        for a, b in itertools.pairwise(ch for ch in line if not ch.text.isspace())
    )


def _rebuilt(line: list[_Char]) -> Segment:
    """A printed line from its characters' positions, left to right."""
    inked = sorted((ch for ch in line if not ch.text.isspace()), key=lambda ch: ch.left)
    inked = inked or line
    height = max(1.0, statistics.median(ch.top - ch.bottom for ch in inked))
    text = inked[0].text
    for before, ch in itertools.pairwise(inked):
        # Loose boxes of one word touch; a word break leaves the width of a space.
        text += (" " if ch.left - before.right > _WORD_GAP * height else "") + ch.text
    return Segment(
        nfc(text),
        min(ch.left for ch in inked),
        min(ch.bottom for ch in inked),
        max(ch.right for ch in inked),
        max(ch.top for ch in inked),
    )


def page_segments(textpage: pdfium.PdfTextPage) -> list[Segment]:
    """The page's runs; lines rebuilt from character positions when the layer's order is wrong."""
    lines = _char_lines(textpage)
    if any(_out_of_order(line) for line in lines):
        return [_rebuilt(line) for line in lines]
    return _segments(textpage)


def _wide_gap(a: _Char, b: _Char, width: float) -> bool:
    """Two glyphs of one printed line more than three glyph widths apart: a column gap."""
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    return b.left - a.right > _COLUMN_GAP * width and overlap > 0


def layout_lines(textpage: pdfium.PdfTextPage) -> list[str] | None:
    """The page as layout-kept lines when its text layer writes two columns on one line.

    Some PDFs list a line across the page ("Nơi nhận:      KT. CHỦ TỊCH") instead of cell by
    cell. Such a page is given with each glyph at its column, three or more spaces between the
    columns, for the column step of the pipeline to split; None for any other page.
    """
    lines = [
        sorted((ch for ch in line if not ch.text.isspace()), key=lambda ch: ch.left)
        for line in _char_lines(textpage)
    ]
    inked = [ch for line in lines for ch in line]
    if not inked:
        return None
    width = max(0.5, statistics.median(ch.right - ch.left for ch in inked))
    split = sum(any(_wide_gap(a, b, width) for a, b in itertools.pairwise(line)) for line in lines)
    if split < _MIN_SPLIT_LINES:
        return None
    origin = min(ch.left for ch in inked)
    return [_placed(line, origin, width) for line in lines if line]


def _placed(line: list[_Char], origin: float, width: float) -> str:
    """One printed line with a column gap padded out to the glyph's column."""
    height = max(1.0, statistics.median(ch.top - ch.bottom for ch in line))
    text = " " * round((line[0].left - origin) / width) + line[0].text
    for before, ch in itertools.pairwise(line):
        if _wide_gap(before, ch, width):
            column = round((ch.left - origin) / width)
            text += " " * max(3, column - len(text))
        elif ch.left - before.right > _WORD_GAP * height:
            text += " "
        text += ch.text
    return nfc(text)


@dataclass(frozen=True)
class _Frame:
    """The text area of a page: left and right margins and width."""

    left: float
    right: float

    @property
    def width(self) -> float:
        """Width of the text area in points."""
        return max(1.0, self.right - self.left)


def _next_line(first: Segment, then: Segment) -> bool:
    """`then` sits on the line just below `first`."""
    height = max(1.0, first.top - first.bottom)
    return 0 < first.bottom - then.bottom < 2.2 * height


def _justified_wrap(first: Segment, then: Segment, frame: _Frame) -> bool:
    """A full-width body line followed by a line that is not a new, indented paragraph."""
    return first.right >= frame.right - 3 and then.left <= first.left + 2


def _centred_wrap(first: Segment, then: Segment, frame: _Frame) -> bool:
    """A wide centred heading (trích yếu, chapter title) wrapped onto a same-centre line."""
    wide = first.right - first.left > 0.6 * frame.width
    centre = abs((first.left + first.right) - (then.left + then.right)) / 2
    return wide and centre < 6 and first.left > frame.left + 2


def _item_wrap(first: Segment, then: Segment) -> bool:
    """A bulleted list item (Nơi nhận, Kính gửi) wrapped inside its narrow table cell."""
    return (
        first.text[:1] in _BULLETS
        and then.text[:1] not in _BULLETS
        and not first.text.endswith((*_SENTENCE_END, ","))
        and abs(then.left - first.left) < 14
    )


def _height(seg: Segment) -> float:
    """Height of a segment's box (its font size, roughly)."""
    return max(1.0, seg.top - seg.bottom)


def _same_line(first: Segment, then: Segment) -> bool:
    """`then` continues `first` on the same printed line (a run split by a raised marker)."""
    gap = then.left - first.right
    overlap = min(first.top, then.top) - max(first.bottom, then.bottom)
    return -1 <= gap < 1.5 * min(_height(first), _height(then)) and overlap > 0


def _is_marker(seg: Segment, beside: Segment) -> bool:
    """A footnote reference: one or two digits, smaller than and raised above the text beside it."""
    small = _height(seg) < 0.85 * _height(beside)
    return seg.text.isdigit() and len(seg.text) <= 2 and small and seg.top > beside.top - 0.5


def _glue(line: str, seg: Segment, previous: Segment) -> str:
    """Append a same-line segment: markers as superscript digits, text after a space."""
    if _is_marker(seg, previous):
        return line + superscript(seg.text)
    if _is_marker(previous, seg) and line.endswith(previous.text):
        # A footnote's own number at the foot of the page: "¹ Công văn số …".
        return f"{line[: -len(previous.text)]}{superscript(previous.text)} {seg.text}"
    separator = "" if seg.text[:1] in ",.;:)" else " "
    return f"{line}{separator}{seg.text}"


def _continues(first: Segment, then: Segment, frame: _Frame) -> bool:
    """Whether `then` is the wrapped continuation of `first` on the next line."""
    if first.text.endswith(_SENTENCE_END) or not _next_line(first, then):
        return False
    if abs(_height(then) - _height(first)) > 0.15 * _height(first):
        return False  # a smaller font below the body is the footnote area, not a wrapped line
    return (
        _justified_wrap(first, then, frame)
        or _centred_wrap(first, then, frame)
        or _item_wrap(first, then)
    )


def page_lines(segments: list[Segment]) -> list[str]:
    """Lines of a page; paragraphs, headings and list items the layout wrapped are joined."""
    if not segments:
        return []
    frame = _Frame(min(seg.left for seg in segments), max(seg.right for seg in segments))
    body = statistics.median(_height(seg) for seg in segments)
    lines = [segments[0].text]
    for previous, seg in itertools.pairwise(segments):
        if lines[-1].endswith(_LINE_END_HYPHEN):
            # pdfium marks a hyphen the layout broke a line at ("439/TTĐN-" / "NVĐP").
            lines[-1] = f"{lines[-1][:-1]}-{seg.text}"
        elif _footnote_number(previous, lines[-1], body):
            # The footnote's own raised number, set apart from its text by a tab.
            lines[-1] = f"{superscript(previous.text)} {seg.text}"
        elif _same_line(previous, seg):
            lines[-1] = _glue(lines[-1], seg, previous)
        elif _continues(previous, seg, frame):
            lines[-1] = f"{lines[-1]} {seg.text}"
        else:
            lines.append(seg.text)
    return lines


def _footnote_number(seg: Segment, line: str, body_height: float) -> bool:
    """`seg` is a line of its own holding only a small one- or two-digit number."""
    return (
        line == seg.text
        and seg.text.isdigit()
        and len(seg.text) <= 2
        and (_height(seg) < 0.85 * body_height)
    )


def _open_end(segments: list[Segment]) -> bool:
    """The page's last line runs to the right margin without ending a sentence."""
    if not segments:
        return False
    last = segments[-1]
    right = max(seg.right for seg in segments)
    return last.right >= right - 3 and not last.text.endswith(_SENTENCE_END)


def _indented_start(segments: list[Segment]) -> bool:
    """The page's first line starts right of the page's left margin (a new paragraph)."""
    return bool(segments) and segments[0].left > min(seg.left for seg in segments) + 2


def _open(path: Path) -> pdfium.PdfDocument:
    """Open the PDF, turning pdfium's errors into one-line reasons."""
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError(path, "PDF được mã hóa bằng mật khẩu (encrypted PDF)") from exc
        raise ReadError(path, f"không mở được PDF (broken PDF: {exc})") from exc


def render_scale(width_pt: float, height_pt: float) -> float:
    """OCR resolution (300 dpi), lowered to keep the page within TRIENKHAI_OCR_MAX_PAGE_PIXELS."""
    scale = OCR_DPI / 72
    limit = get_settings().ocr_max_page_pixels
    pixels = max(1.0, width_pt * scale) * max(1.0, height_pt * scale)
    if pixels > limit:
        # A 3000×3000 pt page at 300 dpi would be 156 Mpx (about 1 GB once rendered).
        scale *= math.sqrt(limit / pixels) * 0.99
    return scale


def _render(page: pdfium.PdfPage, budget: OcrBudget, number: int) -> Image.Image:
    """Render one page at OCR resolution, its size counted against the budget first."""
    width, height = page.get_size()
    scale = render_scale(width, height)
    budget.take(
        max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)), what=f"trang {number}"
    )
    image: Image.Image = page.render(scale=scale).to_pil()
    return image


def read_pdf(path: Path) -> ReadResult:
    """Text of every page; pages without a text layer OCR'd in parallel, in page order."""
    document = _open(path)
    pages: list[tuple[list[str], list[Segment] | None]] = []  # None: a page kept in columns
    scanned: list[int] = []
    confidence: list[PageConfidence] = []
    budget = OcrBudget.start(path)
    try:
        for index, page in enumerate(document):
            textpage = page.get_textpage()
            columns = layout_lines(textpage)
            if columns is not None:  # both columns on one line: the column step splits them
                pages.append((columns, None))
                continue
            segments = page_segments(textpage)
            page_text = page_lines(segments)
            if sum(len(line) for line in page_text) < MIN_PAGE_CHARS:
                scanned.append(index)
            pages.append((page_text, segments))
        if scanned:
            tesseract_program(path)
            renders = (_render(document[i], budget, i + 1) for i in scanned)
            for index, done in zip(scanned, ocr_pages(path, renders, budget), strict=True):
                pages[index] = ([done.text], [])
                confidence.append(PageConfidence(page=index + 1, confidence=done.confidence))
            if scanned[0] == 0:
                # The header is on the first page: its words OCR damages are put right, with the
                # other pages (which repeat the subject's words) as context.
                rest = "\n".join(line for page_text, _ in pages[1:] for line in page_text)
                pages[0] = ([fix_header(pages[0][0][0], context=rest)], [])
    finally:
        document.close()
    lines: list[str] = []
    carry = False
    for page_text, kept in pages:
        if kept is None:
            # A page break marks where the column step drops page numbers and heads.
            lines.extend([f"\f{page_text[0]}", *page_text[1:]] if lines else page_text)
            carry = False
            continue
        segments = kept
        # A paragraph running over the page break is one line again.
        if carry and lines and not _indented_start(segments):
            lines[-1] = f"{lines[-1]} {page_text.pop(0)}" if page_text else lines[-1]
        lines.extend(page_text)
        carry = _open_end(segments)
    text = nfc("\n".join(lines))
    if not text.strip():
        raise ReadError(path, "PDF không có chữ (no text found, even by OCR)")
    used_ocr = bool(scanned)
    reader = "pdf+ocr" if used_ocr else "pdf"
    return ReadResult(text=text, reader=reader, ocr=used_ocr, page_confidence=confidence)


class PdfReader:
    """Reads PDF files."""

    name: ClassVar[str] = "pdf"

    def can_read(self, path: Path, head: bytes) -> bool:
        """Files named .pdf or starting with the PDF signature."""
        return path.suffix.lower() == ".pdf" or head.startswith(b"%PDF-")

    def read(self, path: Path) -> ReadResult:
        """The text layer, or OCR."""
        return read_pdf(path)
