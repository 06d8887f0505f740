"""Body gate: themes, tasks and basis citations against the hand labels, field by field."""

from __future__ import annotations

import json

import pytest

from tests.corpus import need_corpus
from trienkhai.documents.evaluate import SCORES_JSON
from trienkhai.documents.evaluate_body import FIELDS, LABELS, SCORES_KEY, score_body

TOLERANCE = 1e-4


def test_the_labels_cover_every_dev_plan_and_letter() -> None:
    labels = need_corpus("congvan", "labels-dev.jsonl")
    wanted = {
        row["id"]
        for line in labels.read_text(encoding="utf-8").splitlines()
        if (row := json.loads(line))["doc_type"] in ("Kế hoạch", "Công văn")
    }
    body = {json.loads(line)["id"] for line in LABELS.read_text(encoding="utf-8").splitlines()}
    assert body == wanted


@pytest.mark.slow
@pytest.mark.parametrize("name", FIELDS)
def test_no_body_field_drops(name: str) -> None:
    need_corpus("congvan", "labels-dev.jsonl")
    floor = json.loads(SCORES_JSON.read_text(encoding="utf-8"))[SCORES_KEY]["fields"][name]
    measured = _scores()[name]
    assert measured >= floor - TOLERANCE, f"{name}: {measured} < {floor}"


_CACHE: dict[str, float] = {}


def _scores() -> dict[str, float]:
    """The body scores, measured once per test run."""
    if not _CACHE:
        _CACHE.update(score_body().f1())
    return _CACHE
