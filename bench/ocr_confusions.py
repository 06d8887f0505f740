"""Tesseract's own letter confusions, measured on rendered scans of text no gate scores.

Run: `python -m bench.ocr_confusions ../shared/corpus [--write]`. Pages are drawn exactly as the
scan gate draws them (Liberation Serif 12 pt, 200 dpi, turned, speckled, saved as an image-only
PDF and rendered back), but from other text: the first pages of vbpl dev documents that the scan
gate does not draw, the first page of congvan dev documents, and pages of vntc-train news sentences
set in capitals (headers and subjects are often capitals, where tesseract errs most) and as printed
(syllables legal pages seldom show). The 20 gate
documents and every held-out document are never drawn. Each page is OCR'd by the reader's own path
(binarise, deskew, tesseract, dust and capitals clean-up, no header correction), its syllables are
aligned with the drawn ones (diacritic-folded, difflib), and each letter of a syllable read with
the same folded spelling is counted as printed → read, apart for capital and ordinary words; so is
each such syllable as a whole (tesseract misreads some words far more than their letters suggest).
`--write` stores the counts as `documents/data/confusions.json`, the channel of `syllables.py`.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
from PIL import ImageFont
from tests.documents.test_scans import DPI, FONT, scan_pdf
from tests.documents.test_scans_gate import _LEAD_PT, _SIZE_PT, _wrapped, render_pages

from trienkhai.documents.build_syllables import NUMBER, dev_ids, scan_gate_ids, texts, tokens
from trienkhai.documents.readers.ocr import OcrBudget, ocr_pages
from trienkhai.documents.readers.pdf import render_scale
from trienkhai.documents.syllables import CONFUSIONS_FILE, case_of
from trienkhai.text import fold

_MARKDOWN = re.compile(r"\*+|^\|$", re.MULTILINE)
# Letters whose read form may differ while the folded spelling stays: vowels and d/đ.
_VARIABLE = set("aeiouyd")
_BATCH = 8  # pages per scan: enough to keep every core busy, few held in memory
# A syllable's own misreadings are stored once it was printed this many times on the pages.
MIN_SYLLABLE = 3


def page_texts(text: str, pages: int) -> list[str]:
    """The text as the gate wraps it, cut into its first printed pages."""
    font = ImageFont.truetype(str(FONT), size=round(_SIZE_PT * DPI / 72))
    width, height, margin = int(8.27 * DPI), int(11.69 * DPI), int(0.8 * DPI)
    per_page = (height - 2 * margin) // round(_LEAD_PT * DPI / 72)
    lines = [line for line in _wrapped(text, font, width - 2 * margin) if line.strip()]
    return ["\n".join(lines[i : i + per_page]) for i in range(0, len(lines), per_page)][:pages]


def sources(corpus: Path, vbpl: int, congvan: int, news: int, plain: int = 0) -> Iterator[str]:
    """Page texts to draw: non-gate vbpl dev, congvan dev, news in capitals, then news as printed
    (never a gate doc)."""
    gate = set(scan_gate_ids(corpus))
    for doc_id in [i for i in dev_ids(corpus, "vbpl") if i not in gate][:vbpl]:
        yield from page_texts((corpus / "vbpl" / f"{doc_id}.txt").read_text("utf-8"), 2)
    for doc_id in dev_ids(corpus, "congvan")[:congvan]:
        text = _MARKDOWN.sub("", (corpus / "congvan" / f"{doc_id}.txt").read_text("utf-8"))
        yield from page_texts(text, 1)
    articles = texts(corpus, ["vntc-train.jsonl.gz"])
    for _ in range(news):
        yield from page_texts("\n".join(next(articles) for _ in range(3)).upper(), 1)
    for _ in range(plain):
        yield from page_texts("\n".join(next(articles) for _ in range(3)), 1)


def ocr_batch(texts: list[str], first: int, folder: Path) -> list[str]:
    """Pages drawn, turned and speckled like the gate's, saved as one scan, OCR'd on every core."""
    images = []
    for number, text in enumerate(texts, start=first):
        skew = (0.75 + 0.3 * (number % 5)) * (-1 if number % 2 else 1)
        images.append(render_pages(text, skew=skew, seed=10_000 + number)[0])
    path = scan_pdf(folder / f"batch-{first}.pdf", images)
    document = pdfium.PdfDocument(path)
    try:
        pages = [page.render(scale=render_scale(*page.get_size())).to_pil() for page in document]
    finally:
        document.close()
    return [page.text for page in ocr_pages(path, pages, OcrBudget.start(path))]


def count_letters(
    truth: str,
    seen: str,
    counts: dict[str, Counter[tuple[str, str]]],
    syllables: dict[str, Counter[tuple[str, str]]] | None = None,
) -> None:
    """Add the letters (and whole syllables) of syllables read with their folded spelling kept,
    as (printed, read)."""
    want = [(word, key) for word, key, _ in tokens(truth) if key != NUMBER]
    got = [(word, key) for word, key, _ in tokens(seen) if key != NUMBER]
    matcher = difflib.SequenceMatcher(
        None, [fold(k) for _, k in want], [fold(k) for _, k in got], autojunk=False
    )
    for block in matcher.get_matching_blocks():
        for i in range(block.size):
            (word, printed), (_, read) = want[block.a + i], got[block.b + i]
            if len(printed) != len(read):
                continue
            table = counts[case_of(word)]
            if syllables is not None:
                syllables[case_of(word)][printed, read] += 1
            for p, r in zip(printed, read, strict=True):
                if fold(p) in _VARIABLE:
                    table[p, r] += 1


def measure(corpus: Path, vbpl: int, congvan: int, news: int, plain: int = 0) -> dict[str, object]:
    """Counts per case: printed letter → read letter → times."""
    counts: dict[str, Counter[tuple[str, str]]] = {"capitals": Counter(), "ordinary": Counter()}
    words: dict[str, Counter[tuple[str, str]]] = {"capitals": Counter(), "ordinary": Counter()}
    drawn = list(sources(corpus, vbpl, congvan, news, plain))
    with tempfile.TemporaryDirectory(prefix="bench-confusions-") as tmp:
        for first in range(0, len(drawn), _BATCH):
            batch = drawn[first : first + _BATCH]
            for text, seen in zip(batch, ocr_batch(batch, first, Path(tmp)), strict=True):
                count_letters(text, seen, counts, words)
    pages = len(drawn)
    table: dict[str, dict[str, dict[str, int]]] = {}
    for case, counter in counts.items():
        rows: dict[str, dict[str, int]] = {}
        for (p, r), n in sorted(counter.items()):
            rows.setdefault(p, {})[r] = n
        table[case] = rows
    return {"pages": pages, "counts": table, "syllables": _syllable_table(words)}


def _syllable_table(words: dict[str, Counter[tuple[str, str]]]) -> dict[str, object]:
    """Per case: printed syllable → read syllable → times, for syllables seen MIN_SYLLABLE times.

    Tesseract's misreadings depend on the word, not only on the letter ("đổi" read "đối" far more
    often than "ổ" is read "ố" elsewhere): syllables seen often enough carry their own counts.
    """
    table: dict[str, object] = {}
    for case, counter in words.items():
        totals: Counter[str] = Counter()
        for (printed, _), n in counter.items():
            totals[printed] += n
        rows: dict[str, dict[str, int]] = {}
        for (printed, read), n in sorted(counter.items()):
            if totals[printed] >= MIN_SYLLABLE:
                rows.setdefault(printed, {})[read] = n
        table[case] = rows
    return table


def summary(data: dict[str, object]) -> dict[str, object]:
    """Letters counted and the misreadings seen, per case, commonest first."""
    out: dict[str, object] = {"pages": data["pages"]}
    counts = data["counts"]
    assert isinstance(counts, dict)
    for case, rows in counts.items():
        total = sum(sum(r.values()) for r in rows.values())
        wrong = Counter(
            {f"{p}→{r}": n for p, row in rows.items() for r, n in row.items() if p != r}
        )
        out[case] = {"letters": total, "misread": sum(wrong.values()), "top": wrong.most_common(25)}
    return out


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--vbpl", type=int, default=30, help="vbpl dev documents (two pages each)")
    parser.add_argument("--congvan", type=int, default=15, help="congvan dev documents (one page)")
    parser.add_argument("--news", type=int, default=48, help="pages of news in capitals")
    parser.add_argument("--plain", type=int, default=60, help="pages of news as printed")
    parser.add_argument("--write", action="store_true", help=f"store as {CONFUSIONS_FILE.name}")
    args = parser.parse_args()
    data = measure(args.corpus, args.vbpl, args.congvan, args.news, args.plain)
    if args.write:
        CONFUSIONS_FILE.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")
    print(json.dumps(summary(data), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
