"""Lines tesseract's page layout left out, found in the ink and read one line at a time.

Tesseract's automatic page segmentation sometimes drops a short line as a picture: a lone
"BỘ Y TẾ" above the short rule under it loses the issuer of the whole document. The ink of the
binarised page is cut into text lines (row profile) and each line into pieces (wide column gaps);
a piece of text height that no recognised word touches is read on its own as one line
(`--psm 7`), and put back into the text beside the paragraphs it stands with, where tesseract is
sure enough of its letters. A page tesseract read whole comes out exactly as before.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image

# Rows of a line may be parted by the gap between a capital and its stacked marks; words of a
# line by a word space; the columns of a header by much more (in line heights).
_ROW_GAP = 0.2
_COLUMN_GAP = 1.5
# A piece of text is at least half a line high (a rule is thinner), at most two and a half, and
# at least one line height wide (dust is narrower).
_MIN_HEIGHT, _MAX_HEIGHT, _MIN_WIDTH = 0.5, 2.5, 1.0
# Margin kept around a piece read alone, in line heights.
_PAD = 0.4
# A line read alone is kept when tesseract is this sure of it and it is mostly letters.
MIN_CONFIDENCE = 60.0
_MIN_LETTERS = 2
_LETTER_SHARE = 0.6
# At most this many pieces are read alone on one page (a stamp or a photo is no text).
MAX_PIECES = 12


@dataclass(frozen=True)
class Word:
    """One word of tesseract's TSV output, with the paragraph and line it belongs to."""

    block: int
    par: int
    line: int
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str


@dataclass(frozen=True)
class Piece:
    """A box of ink on the page (pixels): left, top, right, bottom."""

    left: int
    top: int
    right: int
    bottom: int


def read_words(tsv: str) -> list[Word]:
    """The words (level 5 rows with text) of tesseract's TSV output, in its reading order."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            numbers = [int(cells[i]) for i in (2, 3, 4, 6, 7, 8, 9)]
            conf = float(cells[10])
        except ValueError:
            continue
        block, par, line, left, top, width, height = numbers
        words.append(Word(block, par, line, left, top, width, height, conf, cells[11]))
    return words


def page_text(words: list[Word]) -> str:
    """The text as tesseract writes it: words of a line by spaces, lines by a line break and
    paragraphs by a blank line."""
    out: list[str] = []
    last: tuple[int, int, int] | None = None
    for word in words:
        here = (word.block, word.par, word.line)
        if last is None:
            out.append(word.text)
        elif here == last:
            out.append(f" {word.text}")
        else:
            out.append(("\n\n" if here[:2] != last[:2] else "\n") + word.text)
        last = here
    return "".join(out) + "\n" if out else ""


def _runs(mask: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of True (start, end) in a 1-D mask, runs parted by at most gap False merged."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap + 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]])) + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def pieces(ink: np.ndarray, height: float) -> list[Piece]:
    """Boxes of text-high ink: lines from the row profile, cut at wide column gaps."""
    found = []
    rows = ink.sum(axis=1) >= 2
    for top, bottom in _runs(rows, round(_ROW_GAP * height)):
        if not _MIN_HEIGHT * height <= bottom - top <= _MAX_HEIGHT * height:
            continue
        columns = np.asarray(ink[top:bottom].any(axis=0))
        for left, right in _runs(columns, round(_COLUMN_GAP * height)):
            if right - left >= _MIN_WIDTH * height:
                found.append(Piece(left, top, right, bottom))
    return found


def _touched(piece: Piece, words: list[Word]) -> bool:
    """Whether a recognised word overlaps the piece (across, and a third of its height)."""
    tall = piece.bottom - piece.top
    for w in words:
        across = min(piece.right, w.left + w.width) - max(piece.left, w.left)
        down = min(piece.bottom, w.top + w.height) - max(piece.top, w.top)
        if across > 0 and down >= tall / 3:
            return True
    return False


def line_height(words: list[Word]) -> float:
    """The page's text height: the median height of its recognised words."""
    return statistics.median(w.height for w in words)


def missing(image: Image.Image, words: list[Word]) -> list[Piece]:
    """Pieces of text-high ink on the page that no recognised word touches."""
    if not words:
        return []
    height = line_height(words)
    ink = np.asarray(image.convert("L")) < 128
    return [p for p in pieces(ink, height) if not _touched(p, words)][:MAX_PIECES]


def _readable(words: list[Word]) -> bool:
    """Whether a line read alone is text tesseract is sure of (not a stamp, rule or scribble)."""
    text = "".join(w.text for w in words)
    letters = sum(ch.isalpha() for ch in text)
    if letters < _MIN_LETTERS or letters < _LETTER_SHARE * len(text):
        return False
    return statistics.fmean(w.conf for w in words) >= MIN_CONFIDENCE


def recover(
    image: Image.Image,
    words: list[Word],
    read_line: Callable[[Path], str],
    folder: Path,
) -> list[Word] | None:
    """The page's words with the lines tesseract left out read alone and put in place; None when
    nothing was left out (the text stays as tesseract wrote it)."""
    if not words:
        return None
    pad = round(_PAD * line_height(words))
    added: list[list[Word]] = []
    for number, piece in enumerate(missing(image, words)):
        box = (piece.left - pad, piece.top - pad, piece.right + pad, piece.bottom + pad)
        target = folder / f"line-{number}.png"
        image.crop(box).save(target)
        line = read_words(read_line(target))
        if line and _readable(line):
            # Page coordinates, and a paragraph of its own.
            added.append(
                [
                    replace(
                        w,
                        block=-1 - number,
                        par=0,
                        line=0,
                        left=w.left + box[0],
                        top=w.top + box[1],
                    )
                    for w in line
                ]
            )
    if not added:
        return None
    return _placed(words, added)


def _placed(words: list[Word], added: list[list[Word]]) -> list[Word]:
    """The words with each recovered line put among the paragraphs of its column, by height."""
    paragraphs: list[list[Word]] = []
    for word in words:
        if paragraphs and (paragraphs[-1][0].block, paragraphs[-1][0].par) == (
            word.block,
            word.par,
        ):
            paragraphs[-1].append(word)
        else:
            paragraphs.append([word])
    for line in sorted(added, key=lambda ws: ws[0].top):
        paragraphs.insert(_slot(paragraphs, line), line)
    return [word for paragraph in paragraphs for word in paragraph]


def _slot(paragraphs: list[list[Word]], line: list[Word]) -> int:
    """Where a recovered line goes: after the last paragraph above it in its column, else before
    the first below it."""
    left, right = min(w.left for w in line), max(w.left + w.width for w in line)
    top = min(w.top for w in line)

    def beside(paragraph: list[Word]) -> bool:
        a, b = min(w.left for w in paragraph), max(w.left + w.width for w in paragraph)
        return min(b, right) > max(a, left)

    column = [i for i, p in enumerate(paragraphs) if beside(p)] or list(range(len(paragraphs)))
    above = [i for i in column if min(w.top for w in paragraphs[i]) < top]
    if above:
        return above[-1] + 1
    below = [i for i in column if min(w.top for w in paragraphs[i]) >= top]
    return below[0] if below else len(paragraphs)
