"""Corpus gate: theme macro-F1 on the dev labels may not drop below tests/themes/scores.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trienkhai.themes.evaluate import CORPUS, DEV_SETS, Row, evaluate

SCORES = Path(__file__).with_name("scores.json")
TOLERANCE = 1e-3  # the table is rounded to 3 places


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    """The evaluation table (about a minute: it reads the VNTC file for the dev articles)."""
    missing = [f for f, _ in DEV_SETS.values() if not (CORPUS / f).exists()]
    if missing:
        pytest.skip(f"shared news corpus not present ({', '.join(missing)})")
    return evaluate()


@pytest.mark.slow
def test_no_score_drops(rows: list[Row]) -> None:
    expected = json.loads(SCORES.read_text(encoding="utf-8"))
    drops = {
        (r.dataset, r.method): (expected[r.dataset]["macro_f1"][r.method], r.macro_f1)
        for r in rows
        if r.method != "keyword baseline"
        and r.macro_f1 < expected[r.dataset]["macro_f1"][r.method] - TOLERANCE
    }
    assert not drops, f"theme macro-F1 fell below the checked-in scores: {drops}"
    assert {r.dataset: r.themes for r in rows} == {k: v["themes"] for k, v in expected.items()}


@pytest.mark.slow
def test_zero_shot_beats_the_keyword_baseline(rows: list[Row]) -> None:
    by = {(r.dataset, r.method): r.macro_f1 for r in rows}
    for dataset in {r.dataset for r in rows}:
        assert by[dataset, "zero-shot"] > by[dataset, "keyword baseline"], dataset
