"""Subjects of real OCR on dev scans that no gate uses, under each setting of the tone corrector.

Run: `python -m bench.tone_dev_scans ../shared/corpus [--cache FILE]`. The first page of each vbpl
dev document that neither the scan gate draws nor `bench/ocr_confusions.py` measured on (its first
30 non-gate documents) is drawn as the gate draws pages, OCR'd once by the reader's own path (the
raw text is kept in the cache file), then put through the header correction and parsed for each
pair of smoothing weight and change ratio, then of syllable-channel prior and witness weight, then
of witness weight and floor (the page's own body holds the witnesses); the subject is scored
against the dev label. This chooses the corrector's settings on real tesseract output without
touching the gate.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.ocr_confusions import ocr_batch, page_texts
from trienkhai.documents import syllables
from trienkhai.documents.build_syllables import dev_ids, scan_gate_ids
from trienkhai.documents.evaluate import same
from trienkhai.documents.ocr_fix import fix_header
from trienkhai.documents.parser import parse_text

SKIP = 30  # the non-gate documents bench/ocr_confusions.py measures on by default
GRID = [(a, r) for a in (20.0, 200.0, 2000.0) for r in (1.0, 3.0, 10.0, 30.0, 100.0, 300.0)]
# The document's other readings of a pair (the page's body): witness weight × floor per reading.
WITNESS_GRID = [(w, o) for w in (0.0, 0.25, 0.5, 1.0) for o in (1e-4, 1e-3, 1e-2)]
# The weight of the letter-by-letter prior against a syllable's own measured readings (1e9: the
# letters alone), with and without the document's witnesses.
SYLLABLE_GRID = [(k, w) for k in (1.0, 3.0, 10.0, 30.0, 100.0, 1e9) for w in (0.0, 0.5)]


def documents(corpus: Path) -> list[str]:
    """Non-gate vbpl dev documents the confusion table was not measured on."""
    gate = set(scan_gate_ids(corpus))
    return [i for i in dev_ids(corpus, "vbpl") if i not in gate][SKIP:]


def raw_pages(corpus: Path, cache: Path | None) -> dict[str, str]:
    """The OCR text of each document's first page (read from the cache when there)."""
    if cache and cache.exists():
        return dict(json.loads(cache.read_text("utf-8")))
    ids = documents(corpus)
    firsts = [page_texts((corpus / "vbpl" / f"{i}.txt").read_text("utf-8"), 1)[0] for i in ids]
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-tone-dev-") as tmp:
        for start in range(0, len(ids), 8):
            read = ocr_batch(firsts[start : start + 8], 50_000 + start, Path(tmp))
            out.update(zip(ids[start : start + 8], read, strict=True))
    if cache:
        cache.write_text(json.dumps(out, ensure_ascii=False), "utf-8")
    return out


def score(pages: dict[str, str], labels: dict[str, str]) -> dict[str, object]:
    """Subjects right, and the documents missed, under the current settings."""
    missed = [
        doc_id
        for doc_id, text in pages.items()
        if not same("subject", labels[doc_id], parse_text(fix_header(text)).subject)
    ]
    return {"right": len(pages) - len(missed), "of": len(pages), "missed": missed}


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--cache", type=Path, help="keep the raw OCR text here")
    parser.add_argument(
        "--model", type=Path, help="pair counts without vbpl (bench/tone_confusions.py --train)"
    )
    parser.add_argument(
        "--no-smoothing-grid",
        action="store_true",
        help="skip the grid of smoothing weight × ratio (witness and syllable grids only)",
    )
    parser.add_argument(
        "--syllables-only", action="store_true", help="only the grid of syllable-channel weights"
    )
    args = parser.parse_args()
    if args.model:  # the shipped counts include these documents' text: use counts without them
        counts = syllables.model(args.model)
        syllables.model = lambda path=args.model: counts  # type: ignore[assignment]
    pages = raw_pages(args.corpus, args.cache)
    lines = (args.corpus / "vbpl" / "labels-dev.jsonl").read_text("utf-8").splitlines()
    labels = {lab["id"]: lab["subject"] for lab in map(json.loads, lines)}
    alpha, ratio = syllables._ALPHA, syllables.RATIO
    weight, other = syllables.WITNESS_WEIGHT, syllables._OTHER_PAIR
    try:
        syllables.WITNESS_WEIGHT = 0.0
        for a, r in [] if args.no_smoothing_grid else GRID:
            syllables._ALPHA, syllables.RATIO = a, r
            print(json.dumps({"alpha": a, "ratio": r, **score(pages, labels)}), flush=True)
        syllables._ALPHA = alpha
        syllables.RATIO = ratio
        prior = syllables.SYLLABLE_PRIOR
        for k, w in SYLLABLE_GRID:
            syllables.SYLLABLE_PRIOR, syllables.WITNESS_WEIGHT = k, w
            row = {"ratio": ratio, "syllable_prior": k, "witness_weight": w, **score(pages, labels)}
            print(json.dumps(row), flush=True)
        syllables.SYLLABLE_PRIOR = prior
        for w, o in [] if args.syllables_only else WITNESS_GRID:
            syllables.WITNESS_WEIGHT, syllables._OTHER_PAIR = w, o
            row = {"ratio": ratio, "witness_weight": w, "other_pair": o, **score(pages, labels)}
            print(json.dumps(row), flush=True)
    finally:
        syllables._ALPHA, syllables.RATIO = alpha, ratio
        syllables.WITNESS_WEIGHT, syllables._OTHER_PAIR = weight, other


if __name__ == "__main__":
    main()
