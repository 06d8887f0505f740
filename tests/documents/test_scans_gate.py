"""Scan gate: image-only PDFs made from dev documents are read through OCR with the header right.

The twenty shortest documents of the vbpl dev set are drawn in Liberation Serif at 200 dpi (one to
three pages each), turned by 1-2°, speckled, and saved as image-only PDFs; each is read by the
normal reader (OCR) and parsed, and five header fields are scored against the dev labels. The
first eight are the documents the OCR corrections were developed on; the other twelve were added
later and never tuned on, and are scored apart so the figure shows how the method carries. The
scores are checked in (tests/documents/scores.json, docs/parser-scores.md); rewrite them with
`python -m tests.documents.test_scans_gate --write`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.corpus import CORPUS, need_corpus
from tests.documents.test_scans import BOLD, DPI, FONT, needs_font, scan_pdf, speckle
from trienkhai.documents.build_syllables import scan_gate_ids
from trienkhai.documents.evaluate import SCORES_JSON, SCORES_MD, load_labels, same
from trienkhai.documents.parser import parse_file

FIELDS = ("issuer", "number_symbol", "issued_date", "subject", "signer_name")
DOCS = 20
# The first TUNED gate documents are those the OCR header corrections were developed on.
TUNED = 8
TARGET = 0.95
_SECTION = "## scans"
_SIZE_PT, _LEAD_PT = 12, 17


def gate_ids() -> list[str]:
    """The shortest dev documents of the vbpl set (one or two printed pages each)."""
    return scan_gate_ids(CORPUS, DOCS)


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """The paragraphs of a text broken into printed lines of at most width pixels."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        line = ""
        for word in paragraph.split():
            wider = f"{line} {word}".strip()
            if line and font.getlength(wider) > width:
                lines.append(line)
                line = word
            else:
                line = wider
        lines.append(line)
    return lines


def render_pages(text: str, *, skew: float, seed: int) -> list[Image.Image]:
    """A document drawn on A4 pages at 200 dpi, capitals lines in bold, turned and speckled."""
    regular = ImageFont.truetype(str(FONT), size=round(_SIZE_PT * DPI / 72))
    bold = ImageFont.truetype(str(BOLD), size=round(_SIZE_PT * DPI / 72))
    width, height, margin = int(8.27 * DPI), int(11.69 * DPI), int(0.8 * DPI)
    lead = round(_LEAD_PT * DPI / 72)
    per_page = (height - 2 * margin) // lead
    lines = _wrapped(text, regular, width - 2 * margin)
    pages = []
    for start in range(0, len(lines), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for row, line in enumerate(lines[start : start + per_page]):
            font = bold if line.isupper() else regular
            draw.text((margin, margin + row * lead), line, font=font, fill=0)
        page = page.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
        pages.append(speckle(page, 4000, seed=seed + start))
    return pages


@dataclass
class ScanScore:
    """Per-field hits over the scanned documents, and the misses."""

    docs: int = 0
    pages: int = 0
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[tuple[str, str, object, object]] = field(default_factory=list)
    parts: dict[str, ScanScore] = field(default_factory=dict)

    def accuracy(self) -> dict[str, float]:
        """Field accuracy in [0, 1]."""
        return {name: round(self.hits[name] / max(1, self.docs), 4) for name in FIELDS}

    def add(self, doc_id: str, pages: int, results: dict[str, tuple[bool, object, object]]) -> None:
        """Count one document: its pages and, per field, hit or (expected, got) miss."""
        self.docs += 1
        self.pages += pages
        for name, (hit, expected, got) in results.items():
            if hit:
                self.hits[name] += 1
            else:
                self.misses.append((doc_id, name, expected, got))


def score_scans(folder: Path) -> ScanScore:
    """Render, scan, read and parse each gate document; score its header fields."""
    labels = {lab["id"]: lab for lab in load_labels("vbpl")}
    score = ScanScore()
    for number, doc_id in enumerate(gate_ids()):
        text = (CORPUS / "vbpl" / f"{doc_id}.txt").read_text("utf-8")
        skew = (1.0 + 0.25 * (number % 5)) * (-1 if number % 2 else 1)
        pages = render_pages(text, skew=skew, seed=number * 100)
        record = parse_file(scan_pdf(folder / f"{doc_id}.pdf", pages))
        results = {}
        for name in FIELDS:
            expected, got = labels[doc_id][name], getattr(record, name)
            results[name] = (same(name, expected, got), expected, got)
        part = f"tuned-{TUNED}" if number < TUNED else f"held-out-{DOCS - TUNED}"
        for counted in (score, score.parts.setdefault(part, ScanScore())):
            counted.add(doc_id, len(pages), results)
    return score


@pytest.mark.slow
@needs_font
def test_scanned_dev_documents_keep_their_header(tmp_path: Path) -> None:
    need_corpus("vbpl", "labels-dev.jsonl")
    score = score_scans(tmp_path)
    measured = score.accuracy()
    expected = json.loads(SCORES_JSON.read_text("utf-8"))["scans"]
    assert score.docs == expected["docs"] == DOCS
    low = {k: v for k, v in measured.items() if v < expected["fields"][k] - 1e-4}
    assert not low, f"scan gate below the checked-in scores: {low}; {score.misses}"
    # The held-out part may not fall either (a gain on the tuned part must not hide a loss).
    for name, part in score.parts.items():
        floor = expected["parts"][name]["fields"]
        low = {k: v for k, v in part.accuracy().items() if v < floor[k] - 1e-4}
        assert not low, f"scan gate part {name} below the checked-in scores: {low}"


def _differences(expected: object, got: object) -> str:
    """The words a scanned value reads otherwise than its label ("biển → biến"), or both values."""
    want, seen = str(expected).split(), str(got).split()
    if expected is None or got is None or len(want) != len(seen):
        return f"{str(expected)[:80]!r} → {str(got)[:80]!r}"
    return ", ".join(f"{a} → {b}" for a, b in zip(want, seen, strict=True) if a != b)


def write(score: ScanScore) -> None:
    """Record the scan scores in scores.json and as the last section of docs/parser-scores.md."""
    data = json.loads(SCORES_JSON.read_text("utf-8"))
    data["scans"] = {
        "docs": score.docs,
        "pages": score.pages,
        "fields": score.accuracy(),
        "parts": {
            name: {"docs": part.docs, "fields": part.accuracy()}
            for name, part in score.parts.items()
        },
    }
    SCORES_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    old = SCORES_MD.read_text("utf-8")
    old = old[: old.index(_SECTION)].rstrip() + "\n" if _SECTION in old else old
    parts = list(score.parts.items())
    head = " | ".join(f"{name} ({part.docs})" for name, part in parts)
    rows = [
        f"| {name} | {value * 100:.1f}% | "
        + " | ".join(f"{part.accuracy()[name] * 100:.1f}%" for _, part in parts)
        + " |"
        for name, value in score.accuracy().items()
    ]
    notes = ["", "Misses (the label's word → the scan's word):", ""] if score.misses else []
    notes += [
        f"- {doc} {name}: {_differences(expected, got)}"
        for doc, name, expected, got in score.misses
    ]
    section = [
        f"{_SECTION} ({score.docs} documents, {score.pages} pages, OCR)",
        "",
        "The shortest vbpl dev documents drawn in Liberation Serif 12 pt at 200 dpi, turned",
        "by 1-2°, speckled, saved as image-only PDFs, then read by the normal reader",
        "(tesseract) and parsed. `tests/documents/test_scans_gate.py` (slow) fails below these;",
        f"the target is {TARGET:.0%} per field. The first {TUNED} documents are those the OCR",
        "header corrections were developed on; the others were added later and never tuned on.",
        "Rewrite with `python -m tests.documents.test_scans_gate --write`.",
        "",
        f"| field | all ({score.docs}) | {head} |",
        "| --- | ---: |" + " ---: |" * len(parts),
        *rows,
        *notes,
    ]
    SCORES_MD.write_text(old + "\n" + "\n".join(section) + "\n", "utf-8")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        result = score_scans(Path(tmp))
    print(json.dumps(result.accuracy(), indent=2))
    for miss in result.misses:
        print(miss)
    if "--write" in sys.argv:
        write(result)
