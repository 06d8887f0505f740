"""Body: sections, citations, themes, assignments, attachments and references."""

from __future__ import annotations

from trienkhai.documents.schemas import DocumentRecord, Footnote


def parse_body(lines: list[str], footnotes: list[Footnote], record: DocumentRecord) -> None:
    """Fill the body fields of the record from the body lines and footnotes."""
    record.body = "\n".join(lines)
