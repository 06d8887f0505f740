"""Footnotes: lift footnote text out of the body and rejoin sentences a PDF conversion split."""

from __future__ import annotations

from trienkhai.documents.schemas import Footnote


def split_footnotes(lines: list[str], known: list[Footnote]) -> tuple[list[str], list[Footnote]]:
    """Body lines without footnote text, and every footnote found."""
    return lines, known
