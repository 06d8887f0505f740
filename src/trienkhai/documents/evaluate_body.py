"""Score the body against hand labels: themes, tasks (units, lead or support, first words), basis.

Run ``python -m trienkhai.documents.evaluate_body [--write] [--show]``. The labels
(`tests/documents/labels-body-dev.jsonl`) cover every kế hoạch and công văn of the congvan dev
set; they were read off the printed documents, not off the parser.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trienkhai.documents.evaluate import CORPUS_DIR, REPO, SCORES_JSON, SCORES_MD
from trienkhai.documents.parser import parse_text
from trienkhai.documents.schemas import Assignment, DocumentRecord
from trienkhai.text import key

LABELS = REPO / "tests" / "documents" / "labels-body-dev.jsonl"
SCORES_KEY = "congvan-body"
_LEADING = re.compile(r"^(?:[-–+•*]|[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*\s*[.)]?)\s*")
_PUNCT = re.compile(r"[^\w\s/-]")
FIELDS = ("themes_count", "theme_starts", "task_units", "task_roles", "task_starts", "basis")


def _plain(text: str) -> str:
    """Comparable text: folded, punctuation removed, single spaces."""
    return " ".join(_PUNCT.sub(" ", key(text)).split())


def _starts(text: str, words: str) -> bool:
    """True when a text (its item label dropped) opens with the labelled words."""
    return _plain(_LEADING.sub("", text.strip())).startswith(_plain(words))


@dataclass
class BodyScore:
    """Counts per field: hits, labelled items and predicted items."""

    docs: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    wanted: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[str, str, object]] = field(default_factory=list)

    def add(self, name: str, hits: int, wanted: int, found: int) -> None:
        """Add one document's counts for a field."""
        self.hits[name] = self.hits.get(name, 0) + hits
        self.wanted[name] = self.wanted.get(name, 0) + wanted
        self.found[name] = self.found.get(name, 0) + found

    def f1(self) -> dict[str, float]:
        """F1 per field (1.0 when nothing was labelled and nothing found)."""
        out = {}
        for name in FIELDS:
            hits, wanted, found = (d.get(name, 0) for d in (self.hits, self.wanted, self.found))
            total = wanted + found
            out[name] = round(1.0 if total == 0 else 2 * hits / total, 4)
        return out


def _role(item: Assignment) -> str:
    """The labelled role of a predicted assignment's heading units."""
    return (
        "support"
        if item.units and not item.lead and set(item.units) <= set(item.support)
        else "lead"
    )


def _units_key(units: list[str]) -> frozenset[str]:
    return frozenset(_plain(u) for u in units)


def _score_tasks(
    score: BodyScore, doc_id: str, tasks: list[dict[str, Any]], got: list[Assignment]
) -> None:
    """Match labelled tasks to predicted top-level assignments by their set of units."""
    free = list(got)
    units = roles = starts = 0
    for task in tasks:
        want = _units_key(task["units"])
        match = next((a for a in free if _units_key(a.units) == want), None)
        if match is None:
            score.misses.append((doc_id, "task_units", task["units"]))
            continue
        free.remove(match)
        units += 1
        roles += int(_role(match) == task["role"])
        first = match.task.split("\n", 1)[0] if match.task else ""
        starts += int(_starts(first, task["first_words"]))
        if not _starts(first, task["first_words"]):
            score.misses.append((doc_id, "task_starts", [task["first_words"], first[:60]]))
    score.add("task_units", units, len(tasks), len(got))
    score.add("task_roles", roles, len(tasks), len(tasks))
    score.add("task_starts", starts, len(tasks), len(tasks))


def _basis_hit(want: str, got: list[tuple[str, str]]) -> bool:
    """A labelled basis document (number, or a law's name) among the predicted ones."""
    plain = _plain(want)
    return any(_plain(num) == plain or _plain(text).startswith(plain) for num, text in got)


def score_document(score: BodyScore, label: dict[str, Any], record: DocumentRecord) -> None:
    """Add one document's counts."""
    doc_id = label["id"]
    score.docs += 1
    themes = label["themes"]["first_words"]
    score.add("themes_count", int(len(record.themes) == len(themes)), 1, 1)
    starts = sum(1 for t, w in zip(record.themes, themes, strict=False) if _starts(t.text, w))
    score.add("theme_starts", starts, len(themes), len(record.themes))
    if len(record.themes) != len(themes):
        score.misses.append((doc_id, "themes_count", [len(themes), len(record.themes)]))
    _score_tasks(score, doc_id, label["tasks"], record.assignments)
    got = [(c.number_symbol or "", c.text) for c in record.basis_citations]
    hits = sum(1 for want in label["basis_citations"] if _basis_hit(want, got))
    score.add("basis", hits, len(label["basis_citations"]), len(got))
    if hits != len(label["basis_citations"]) or len(got) != hits:
        score.misses.append((doc_id, "basis", [label["basis_citations"], [g[0] for g in got]]))


def score_body(root: Path = CORPUS_DIR, labels: Path = LABELS) -> BodyScore:
    """Parse every labelled document and score its body."""
    score = BodyScore()
    for line in labels.read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        text = (root / "congvan" / f"{label['id']}.txt").read_text(encoding="utf-8")
        score_document(score, label, parse_text(text, source=label["id"]))
    return score


def table(score: BodyScore) -> str:
    """A markdown table of the body fields."""
    rows = [
        f"| field | F1 ({score.docs} docs) | labelled | found |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, value in score.f1().items():
        wanted, found = score.wanted.get(name, 0), score.found.get(name, 0)
        rows.append(f"| {name} | {value * 100:.1f}% | {wanted} | {found} |")
    return "\n".join(rows)


_MD_START = "## congvan body"
_MD_NOTE = (
    "Hand labels of every kế hoạch and công văn of the congvan dev set\n"
    "(`tests/documents/labels-body-dev.jsonl`), scored with\n"
    "`python -m trienkhai.documents.evaluate_body --write` (F1 of labelled against found items).\n"
    "themes_count: documents with the right number of themes; theme_starts: themes opening with\n"
    "the labelled words; task_units: top-level tasks whose units are exactly the labelled ones;\n"
    "task_roles and task_starts: of the labelled tasks, lead/support and first words right;\n"
    "basis: the documents of the Căn cứ preamble. `tests/documents/test_body_gate.py` fails on\n"
    "any drop."
)


def write_scores(score: BodyScore) -> None:
    """Put the body scores into the gate's score file and their table into the scores page."""
    data = json.loads(SCORES_JSON.read_text(encoding="utf-8")) if SCORES_JSON.exists() else {}
    data[SCORES_KEY] = {"docs": score.docs, "fields": score.f1()}
    SCORES_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    page = SCORES_MD.read_text(encoding="utf-8") if SCORES_MD.exists() else "# Parser scores\n"
    page = page.split(f"\n{_MD_START}", 1)[0].rstrip("\n")
    section = f"{_MD_START} ({score.docs} documents)\n\n{_MD_NOTE}\n\n{table(score)}\n"
    SCORES_MD.write_text(f"{page}\n\n{section}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Print the body scores (and the misses with --show); --write updates scores.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=CORPUS_DIR)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args(argv)
    score = score_body(args.root)
    if args.show:
        for doc_id, name, value in score.misses:
            sys.stdout.write(f"{doc_id} {name} {json.dumps(value, ensure_ascii=False)[:200]}\n")
    sys.stdout.write(table(score) + "\n")
    if args.write:
        write_scores(score)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
