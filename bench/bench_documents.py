"""Documents per second on one core: read and parse the corpus txt, docx and pdf files."""

from __future__ import annotations

import os
from pathlib import Path

from bench import Result, per_second
from trienkhai.documents.parser import parse_file

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TARGET_TXT_PER_S = 200


def _one_core() -> set[int] | None:
    """Pin the process to one CPU so the number is per core; returns the previous CPU set."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    return before


def _rate(files: list[Path], *, repeat: int) -> float:
    """Parsed documents per second over the files."""
    return per_second(len(files), lambda: [parse_file(p) for p in files], repeat=repeat)


def run() -> list[Result]:
    """txt (all vbpl), docx (vbpl-docx) and pdf (vbpl-pdf) throughput."""
    before = _one_core()
    try:
        return _measure()
    finally:
        if before is not None:
            os.sched_setaffinity(0, before)


def _measure() -> list[Result]:
    """One result per format."""
    sets = [
        ("txt", sorted((CORPUS / "vbpl").glob("*.txt")), 3),
        ("docx", sorted((CORPUS / "vbpl-docx").glob("*.docx")), 3),
        ("pdf", sorted((CORPUS / "vbpl-pdf").glob("*.pdf")), 3),
    ]
    results = []
    for kind, files, repeat in sets:
        if not files:
            continue
        rate = _rate(files, repeat=repeat)
        note = f"{len(files)} files, 1 core"
        if kind == "txt":
            note += f", target ≥ {TARGET_TXT_PER_S}"
        name = f"documents.parse_{kind}"
        results.append(Result(name, "documents per second", rate, "doc/s", note))
    return results
