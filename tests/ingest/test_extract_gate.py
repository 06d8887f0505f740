"""Extraction gate: title, date and main text of the portal pages may not fall below scores.json."""

from __future__ import annotations

import json

import pytest

from tests.corpus import need_corpus
from tests.ingest.extract_scores import PAGES, SCORES, score_pages
from tests.ingest.portal_pages import TEMPLATES, build_pages

TOLERANCE = 1e-3  # the stored scores are rounded to 3 places
F1_FLOOR = 0.9


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    """Scores of the 50 pages (a few seconds: trafilatura on every page)."""
    return score_pages(build_pages(need_corpus("news"), PAGES))


@pytest.mark.slow
def test_enough_pages_across_families(scores: dict[str, object]) -> None:
    overall = scores["all"]
    assert isinstance(overall, dict) and overall["pages"] >= 40
    by_template = scores["by_template"]
    assert isinstance(by_template, dict)
    assert set(by_template) == set(TEMPLATES)
    assert all(s["pages"] >= 10 for s in by_template.values())


@pytest.mark.slow
def test_quality_floor(scores: dict[str, object]) -> None:
    overall = scores["all"]
    assert isinstance(overall, dict)
    assert overall["text_f1_mean"] >= F1_FLOOR
    assert overall["title_exact"] >= 0.95
    assert overall["date_exact"] >= 0.95
    by_template = scores["by_template"]
    assert isinstance(by_template, dict)
    for name, part in by_template.items():
        assert part["text_f1_mean"] >= F1_FLOOR, name


@pytest.mark.slow
def test_no_score_drops(scores: dict[str, object]) -> None:
    stored = json.loads(SCORES.read_text(encoding="utf-8"))
    drops = []
    for section in ("all",):
        for metric, floor in stored[section].items():
            if metric != "pages" and scores[section][metric] < floor - TOLERANCE:  # type: ignore[index]
                drops.append((section, metric, floor, scores[section][metric]))  # type: ignore[index]
    for name, part in stored["by_template"].items():
        for metric, floor in part.items():
            now = scores["by_template"][name][metric]  # type: ignore[index]
            if metric != "pages" and now < floor - TOLERANCE:
                drops.append((name, metric, floor, now))
    assert not drops, f"extraction scores fell below tests/ingest/scores.json: {drops}"
