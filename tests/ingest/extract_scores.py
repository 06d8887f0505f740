"""Extraction quality on the portal pages: title and date exact, author exact, text token F1.

`python -m tests.ingest.extract_scores [--write]` prints the scores (and rewrites
tests/ingest/scores.json with --write); the gate test_extract_gate.py holds them.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from tests.corpus import CORPUS
from tests.ingest.portal_pages import TEMPLATES, PortalPage, build_pages
from trienkhai.ingest.extract import extract
from trienkhai.text import tokens

SCORES = Path(__file__).with_name("scores.json")
PAGES = 50


def token_f1(found: str, expected: str) -> float:
    """F1 of the multisets of lower-case syllables of two texts."""
    a, b = Counter(tokens(found)), Counter(tokens(expected))
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def score_pages(pages: list[PortalPage]) -> dict[str, object]:
    """Rates over the pages, overall and per page family (rounded to 3 places)."""
    rows = []
    for page in pages:
        got = extract(page.html, url=page.url)
        rows.append(
            {
                "template": page.template,
                "title": got.title == page.story.title,
                "date": got.published == page.published,
                "author": got.author == page.author,
                "f1": token_f1(got.text, page.story.body),
            }
        )

    def summary(part: list[dict[str, object]]) -> dict[str, float]:
        n = len(part)
        return {
            "pages": n,
            "title_exact": round(sum(bool(r["title"]) for r in part) / n, 3),
            "date_exact": round(sum(bool(r["date"]) for r in part) / n, 3),
            "author_exact": round(sum(bool(r["author"]) for r in part) / n, 3),
            "text_f1_mean": round(sum(float(str(r["f1"])) for r in part) / n, 3),
            "text_f1_min": round(min(float(str(r["f1"])) for r in part), 3),
        }

    by_template = {t: summary([r for r in rows if r["template"] == t]) for t in TEMPLATES}
    return {"all": summary(rows), "by_template": by_template}


def main(argv: list[str]) -> int:
    """Print the scores; --write stores them as the gate's floor."""
    scores = score_pages(build_pages(CORPUS / "news", PAGES))
    text = json.dumps(scores, indent=2, ensure_ascii=False) + "\n"
    print(text)
    if "--write" in argv:
        SCORES.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
