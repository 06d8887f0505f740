"""Scanned headers beyond the scan gate: how the gate's figure carries to other documents.

Run: `python -m bench.scans_wider ../shared/corpus [--set dev|held-out] [--first N] [--count N]`.
Documents are drawn, turned, speckled and read exactly as the scan gate does
(`tests/documents/test_scans_gate.py`), with other seeds. `dev`: the vbpl dev documents after the
gate's twenty, shortest first, scored against their dev labels. `held-out`: the shortest even
(held-out) vbpl documents; their labels are never read, so each is scored against the parse of its
own clean text (the reader is at 100% on clean headers, so a miss is what the scan lost; a
misprint the OCR correction puts right counts as a miss). `gate`: the gate's twenty, here with
`--first 0 --count 20 --font … --bold …` to draw them in another typeface than the one the channel
was measured on. This measures; nothing is tuned on it.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import tests.documents.test_scans_gate as gate
from tests.documents.test_scans import scan_pdf
from tests.documents.test_scans_gate import FIELDS, render_pages

from trienkhai.documents.build_syllables import dev_ids
from trienkhai.documents.evaluate import load_labels, same
from trienkhai.documents.parser import parse_file, parse_text


def _shortest(corpus: Path, ids: list[str]) -> list[str]:
    """The ids, shortest text first."""
    root = corpus / "vbpl"
    return [i for _, i in sorted((len((root / f"{i}.txt").read_text("utf-8")), i) for i in ids)]


def expected(corpus: Path, which: str, doc_id: str) -> dict[str, object]:
    """The fields a document should read as: its dev label, or its clean text's parse."""
    if which in ("dev", "gate"):
        return {name: _LABELS[doc_id][name] for name in FIELDS}
    record = parse_text((corpus / "vbpl" / f"{doc_id}.txt").read_text("utf-8"))
    return {name: getattr(record, name) for name in FIELDS}


_LABELS: dict[str, dict[str, object]] = {}


def run(corpus: Path, which: str, first: int, count: int) -> dict[str, object]:
    """Per-field accuracy over the chosen documents, and the misses."""
    if which == "gate":
        _LABELS.update({lab["id"]: lab for lab in load_labels("vbpl")})
        ids = gate.gate_ids()
    elif which == "dev":
        _LABELS.update({lab["id"]: lab for lab in load_labels("vbpl")})
        ids = _shortest(corpus, dev_ids(corpus, "vbpl"))
    else:
        ids = _shortest(corpus, [f"vbpl-{n:04d}" for n in range(2, 301, 2)])
    chosen = ids[first : first + count]
    hits = dict.fromkeys(FIELDS, 0)
    misses = []
    with tempfile.TemporaryDirectory(prefix="bench-scans-") as tmp:
        for number, doc_id in enumerate(chosen):
            text = (corpus / "vbpl" / f"{doc_id}.txt").read_text("utf-8")
            skew = (1.0 + 0.25 * (number % 5)) * (-1 if number % 2 else 1)
            pages = render_pages(text, skew=skew, seed=9000 + number * 100)
            record = parse_file(scan_pdf(Path(tmp) / f"{doc_id}.pdf", pages))
            for name, want in expected(corpus, which, doc_id).items():
                got = getattr(record, name)
                if same(name, want, got):
                    hits[name] += 1
                else:
                    misses.append([doc_id, name, str(want)[:90], str(got)[:90]])
    return {
        "set": which,
        "documents": len(chosen),
        "fields": {name: round(hits[name] / max(1, len(chosen)), 3) for name in FIELDS},
        "misses": misses,
    }


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--set", choices=("dev", "held-out", "gate"), default="dev")
    parser.add_argument("--font", type=Path, help="draw in this font (regular) instead")
    parser.add_argument("--bold", type=Path, help="and this bold one")
    parser.add_argument("--first", type=int, help="skip this many (dev: default 20, the gate)")
    parser.add_argument("--count", type=int, default=25)
    args = parser.parse_args()
    if args.font:  # another typeface than the gate's, to see how the channel carries
        gate.FONT, gate.BOLD = args.font, args.bold or args.font
    first = args.first if args.first is not None else (20 if args.set == "dev" else 0)
    print(json.dumps(run(args.corpus, args.set, first, args.count), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
