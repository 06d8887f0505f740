"""Score the parser against the labelled corpora, field by field.

Run ``python -m trienkhai.documents.evaluate [--corpus vbpl|congvan] [--write]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trienkhai.documents.parser import parse_text
from trienkhai.documents.schemas import DocumentRecord
from trienkhai.text import nfc

REPO = Path(__file__).resolve().parents[3]
CORPUS_DIR = REPO.parent / "shared" / "corpus"
CORPORA = ("vbpl", "congvan")
SCORES_JSON = REPO / "tests" / "documents" / "scores.json"
SCORES_MD = REPO / "docs" / "parser-scores.md"
# Label keys that describe the label, not the document.
_NOT_FIELDS = {"id", "label_source", "source", "notes"}
_TRAILING = re.compile(r"[\s.,;:/]+$")
_SPACES = re.compile(r"\s+")
_BODY_SECTION = "## congvan body"


def norm(value: object) -> object:
    """Comparable form of a field value: NFC, folded spaces and case, no trailing punctuation."""
    if value is None:
        return None
    if isinstance(value, str):
        text = _TRAILING.sub("", _SPACES.sub(" ", nfc(value)).strip()).casefold()
        return text or None
    if isinstance(value, list):
        return [norm(item) for item in value]
    return value


def _citation_key(items: Iterable[Any]) -> tuple[int, frozenset[object]]:
    """Footnote citations compare by count and by the set of number_symbols."""
    listed = list(items)
    symbols = frozenset(norm(_get(item, "number_symbol")) for item in listed)
    return len(listed), symbols


def _get(item: Any, name: str) -> Any:
    """A key of a dict or an attribute of a model."""
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def got_value(record: DocumentRecord, name: str) -> object:
    """The record's value for a label field, in label shape."""
    value = getattr(record, name, None)
    if name == "footnote_citations":
        return [c.model_dump() for c in record.footnote_citations]
    return value


def same(name: str, expected: object, got: object) -> bool:
    """Whether a parsed value matches its label under the scoring rules."""
    if name == "footnote_citations":
        return _citation_key(expected or []) == _citation_key(got or [])  # type: ignore[arg-type]
    return norm(expected) == norm(got)


@dataclass
class Score:
    """Per-field hits over the documents of one corpus, and the misses."""

    corpus: str
    docs: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[str, str, object, object]] = field(default_factory=list)

    def accuracy(self) -> dict[str, float]:
        """Field accuracy in [0, 1]."""
        return {k: round(self.hits[k] / self.totals[k], 4) for k in self.totals}


def load_labels(corpus: str, root: Path = CORPUS_DIR) -> list[dict[str, Any]]:
    """The dev labels of a corpus."""
    path = root / corpus / "labels-dev.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def parse_labelled(
    corpus: str, root: Path = CORPUS_DIR
) -> Iterator[tuple[dict[str, Any], DocumentRecord]]:
    """Each label with the parser's record for its document."""
    for label in load_labels(corpus, root):
        text = (root / corpus / f"{label['id']}.txt").read_text(encoding="utf-8")
        yield label, parse_text(text, source=label["id"])


def score_corpus(corpus: str, root: Path = CORPUS_DIR) -> Score:
    """Compare the parser with every label of a corpus."""
    score = Score(corpus=corpus)
    for label, record in parse_labelled(corpus, root):
        score.docs += 1
        for name, expected in label.items():
            if name in _NOT_FIELDS:
                continue
            got = got_value(record, name)
            ok = same(name, expected, got)
            score.totals[name] = score.totals.get(name, 0) + 1
            score.hits[name] = score.hits.get(name, 0) + int(ok)
            if not ok:
                score.misses.append((label["id"], name, expected, got))
    return score


def table(score: Score) -> str:
    """A markdown table of field accuracy."""
    rows = [f"| field | accuracy ({score.docs} docs) | misses |", "| --- | ---: | ---: |"]
    for name, acc in score.accuracy().items():
        rows.append(f"| {name} | {acc * 100:.1f}% | {score.totals[name] - score.hits[name]} |")
    return "\n".join(rows)


def _short(value: object, width: int = 160) -> str:
    """A one-line preview of a value."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def write_scores(scores: list[Score]) -> None:
    """Write the gate's score file and the markdown report."""
    data: dict[str, Any] = {}
    if SCORES_JSON.exists():
        data = json.loads(SCORES_JSON.read_text(encoding="utf-8"))
    for score in scores:
        data[score.corpus] = {"docs": score.docs, "fields": score.accuracy()}
    SCORES_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    today = dt.date.today().isoformat()
    parts = [
        "# Parser scores",
        "",
        f"Measured {today} with `python -m trienkhai.documents.evaluate --write` on the dev labels",
        "(`labels-dev.jsonl`) of the shared corpora. Values are compared after NFC, whitespace",
        "folding, case folding and trailing punctuation removal; footnote citations by count and",
        "by the set of number_symbols. `tests/documents/test_corpus_gate.py` fails on any drop.",
    ]
    for corpus in CORPORA:
        if corpus in data:
            fields = data[corpus]["fields"]
            parts += ["", f"## {corpus} ({data[corpus]['docs']} documents)", ""]
            parts += ["| field | accuracy |", "| --- | ---: |"]
            parts += [f"| {k} | {v * 100:.1f}% |" for k, v in fields.items()]
    SCORES_MD.parent.mkdir(parents=True, exist_ok=True)
    # The body scores (evaluate_body) keep their section at the end of the page.
    old = SCORES_MD.read_text(encoding="utf-8") if SCORES_MD.exists() else ""
    body = old[old.index(_BODY_SECTION) :] if _BODY_SECTION in old else ""
    SCORES_MD.write_text("\n".join(parts) + "\n" + (f"\n{body}" if body else ""), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Print per-field accuracy and the misses; optionally write the score files."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", choices=CORPORA, action="append")
    parser.add_argument("--root", type=Path, default=CORPUS_DIR)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--field", help="show misses of this field only")
    args = parser.parse_args(argv)
    scores = [score_corpus(c, args.root) for c in args.corpus or CORPORA]
    out = sys.stdout
    for score in scores:
        out.write(f"\n## {score.corpus}\n\n")
        for doc_id, name, expected, got in score.misses:
            if args.field in (None, name):
                out.write(f"{doc_id} {name}\n  want {_short(expected)}\n  got  {_short(got)}\n")
        out.write("\n" + table(score) + "\n")
    if args.write:
        write_scores(scores)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
