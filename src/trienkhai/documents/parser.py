"""The reading pipeline: clean lines, lift footnotes out, read the Decree-30 layout and body."""

from __future__ import annotations

from pathlib import Path

from trienkhai.documents.body import parse_body
from trienkhai.documents.footnotes import split_footnotes
from trienkhai.documents.layout import parse_layout
from trienkhai.documents.lines import prepare
from trienkhai.documents.readers.registry import read_file
from trienkhai.documents.schemas import DocumentRecord, Footnote
from trienkhai.text import nfc


def parse_text(
    text: str, *, source: str | None = None, footnotes: list[Footnote] | None = None
) -> DocumentRecord:
    """Parse a directive's text (and footnotes a reader found separately) into a record."""
    prepared = prepare(nfc(text))
    lines, notes = split_footnotes(prepared.lines, list(footnotes or []))
    record = DocumentRecord(source=source, text="\n".join(lines), footnotes=notes)
    layout = parse_layout(lines, record)
    parse_body(lines[layout.body_start : layout.body_end], notes, record, strong=prepared.strong)
    return record


def parse_file(path: Path) -> DocumentRecord:
    """Read a file with the reader for its format and parse it."""
    result = read_file(path)
    record = parse_text(result.text, source=str(path), footnotes=result.footnotes)
    record.page_confidence = result.page_confidence
    return record
