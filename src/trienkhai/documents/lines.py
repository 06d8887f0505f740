"""Line preparation: strip markup remnants, collapse spaces, find the main document in a web page."""

from __future__ import annotations

from dataclasses import dataclass

from trienkhai.text import clean_spaces


@dataclass(frozen=True)
class Prepared:
    """Cleaned non-empty lines of the main document."""

    lines: list[str]


def prepare(text: str) -> Prepared:
    """Cleaned, non-empty lines of the text."""
    cleaned = clean_spaces(text.replace("\r\n", "\n").replace("\r", "\n"))
    return Prepared(lines=[line for line in cleaned.split("\n") if line])
