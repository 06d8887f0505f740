"""Benchmarks: each bench_*.py module has run() -> list[Result]; `python -m bench` runs all."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


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
