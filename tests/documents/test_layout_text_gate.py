"""Gate on layout-kept text: `pdftotext -layout` of letters LibreOffice printed (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus import need_corpus
from tests.documents.layout_corpus import FIELDS, SCORES_KEY, build, score
from trienkhai.documents.evaluate import SCORES_JSON

FLOOR = 0.97
# Scores are rounded to 4 places when written.
TOLERANCE = 1e-4


@pytest.mark.slow
def test_every_header_and_signature_field_reads_right(pytestconfig: pytest.Config) -> None:
    need_corpus("vbpl-docx")
    need_corpus("congvan", "labels-dev.jsonl")
    corpus = build(pytestconfig.cache.mkdir("layout-corpus"))
    accuracy, misses = score(corpus)
    recorded = json.loads(Path(SCORES_JSON).read_text(encoding="utf-8"))[SCORES_KEY]
    assert len(corpus) == recorded["docs"]
    assert set(accuracy) == set(FIELDS)
    low = {name: value for name, value in accuracy.items() if value < FLOOR}
    assert not low, f"fields under {FLOOR:.0%}: {low}\n" + "\n".join(misses)
    drops = {
        name: (floor, accuracy.get(name, 0.0))
        for name, floor in recorded["fields"].items()
        if accuracy.get(name, 0.0) < floor - TOLERANCE
    }
    assert not drops, f"layout text: field accuracy fell below the checked-in scores: {drops}"
