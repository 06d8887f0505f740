"""Benchmarks: each bench_*.py module has run() -> list[Result]; `python -m bench` runs all."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCHMARKS_MD = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


@dataclass(frozen=True)
class Result:
    """One measured number: which benchmark, what metric, its value and unit."""

    benchmark: str
    metric: str
    value: float
    unit: str = ""
    note: str = ""


def per_second(
    items: int,
    work: Callable[[], object],
    *,
    repeat: int = 3,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Items per second of the best of `repeat` runs of `work` (which handles all items once)."""
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        work()
        best = min(best, clock() - start)
    return items / best if best > 0 else float("inf")


def write_section(heading: str, text: str, path: Path = BENCHMARKS_MD) -> None:
    """Replace (or append) one `## ` section of docs/benchmarks.md, leaving the rest."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = old.find(heading)
    if start < 0:
        path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = old.find("\n## ", start + len(heading))
    rest = old[end + 1 :] if end >= 0 else ""
    path.write_text(old[:start] + text + ("\n" + rest if rest else ""), encoding="utf-8")
