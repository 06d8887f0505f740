"""Corpus gate: no field's accuracy on the dev labels may drop below tests/documents/scores.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus import need_corpus
from trienkhai.documents.evaluate import CORPORA, SCORES_JSON, score_corpus

# Scores are rounded to 4 places when written.
TOLERANCE = 1e-4


@pytest.mark.slow
@pytest.mark.parametrize("corpus", CORPORA)
def test_no_field_drops(corpus: str) -> None:
    need_corpus(corpus, "labels-dev.jsonl")
    expected = json.loads(Path(SCORES_JSON).read_text(encoding="utf-8"))[corpus]
    score = score_corpus(corpus)
    assert score.docs == expected["docs"]
    measured = score.accuracy()
    drops = {
        name: (floor, measured.get(name, 0.0))
        for name, floor in expected["fields"].items()
        if measured.get(name, 0.0) < floor - TOLERANCE
    }
    assert not drops, f"{corpus}: field accuracy fell below the checked-in scores: {drops}"
