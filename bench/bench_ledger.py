"""The reconciliation ledger on PostgreSQL at 2,000,000 outputs: one grouped query per campaign.

`python -m bench.bench_ledger [--outputs N] [--write]` makes its own database (ledger_bench_*),
fills it in SQL (generate_series: one national campaign with half the outputs, twenty campaigns
sharing the rest, 5,000 units, every ledger category present), then times the ledger of the big
and of a small campaign, and the output list filtered by a ledger category (best of 3, warm).
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections.abc import Callable

import psycopg
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from bench import Result, write_section
from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.db import make_engine
from trienkhai.migrate import upgrade
from trienkhai.outputs import ledger, service
from trienkhai.units.models import Unit

ADMIN = os.environ.get("LEDGER_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
OUTPUTS, UNITS, SMALL_CAMPAIGNS = 2_000_000, 5_000, 20
HEADING = "## Reconciliation ledger (bench/bench_ledger.py)"
# g % 100 picks the kind of output, so every category holds a known share of the rows.
FILL = """
INSERT INTO outputs (campaign_id, unit_id, title, title_folded, url, canonical_url, channel,
    form, published_at, source, verification, dedup_key, content_hash, excerpt, note,
    removed_reason, republished_from, confirmed_at, created_at, updated_at)
SELECT
    CASE WHEN g % 2 = 0 THEN :big ELSE (CAST(:small AS integer[]))[1 + (g / 2) % :n_small] END,
    (CAST(:units AS integer[]))[1 + (g::bigint * 7919) % :n_units],
    'Tin bài ' || g, 'tin bai ' || g,
    CASE WHEN g % 100 BETWEEN 75 AND 79 THEN '' ELSE 'https://don-vi.vn/bai-' || g END,
    CASE WHEN g % 100 BETWEEN 75 AND 79 THEN '' ELSE 'https://don-vi.vn/bai-' || g END,
    'bao_dien_tu', 'tin', TIMESTAMPTZ '2025-07-01' + g * INTERVAL '1 second',
    CASE WHEN g % 100 >= 80 THEN 'discovered' ELSE 'reported' END,
    CASE WHEN g % 100 < 50 THEN 'verified' WHEN g % 100 < 55 THEN 'moved'
         WHEN g % 100 < 60 THEN 'not_found' WHEN g % 100 < 62 THEN 'removed'
         ELSE 'unverified' END,
    md5(g::text), '', '', '', '',
    CASE WHEN g % 100 >= 95 THEN 'https://bao-goc.vn/bai-' || g END,
    CASE WHEN g % 100 BETWEEN 80 AND 84 THEN TIMESTAMPTZ '2025-08-01' END,
    now(), now()
FROM generate_series(1, :outputs) AS g
"""


def _database() -> tuple[str, str]:
    """A fresh database named after this helper; its name and URL."""
    name = f"ledger_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _drop(name: str) -> None:
    """Drop the benchmark's database."""
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed(engine: Engine, outputs: int) -> tuple[int, int, int]:
    """Units, campaigns, assignments and the outputs; (big campaign, small campaign, a unit)."""
    with Session(engine) as s:
        s.execute(insert(Unit), [{"code": f"L{i:05d}", "name": f"Đơn vị {i:05d}"}
                                 for i in range(UNITS)])  # fmt: skip
        units = list(s.scalars(select(Unit.id).order_by(Unit.id)))
        campaigns = [Campaign(title=f"Chiến dịch {i}") for i in range(1 + SMALL_CAMPAIGNS)]
        s.add_all(campaigns)
        s.flush()
        ids = [c.id for c in campaigns]
        s.execute(insert(Assignment), [{"campaign_id": ids[0], "unit_id": u, "tasks": [],
                                        "channels": [], "forms": []} for u in units])  # fmt: skip
        values = {"big": ids[0], "small": ids[1:], "n_small": SMALL_CAMPAIGNS, "units": units,
                  "n_units": len(units), "outputs": outputs}  # fmt: skip
        s.execute(text(FILL), values)
        s.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE outputs")
    return ids[0], ids[1], units[0]


def best_of(work: Callable[[], object], repeat: int = 3) -> float:
    """Seconds of the fastest of `repeat` runs, after one warm-up run."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(engine: Engine, big: int, small: int, unit: int) -> list[tuple[str, float, str]]:
    """(what, seconds, note) of the ledger and of the filtered list."""
    rows: list[tuple[str, float, str]] = []
    with Session(engine) as s:
        count = s.scalar(text("SELECT count(*) FROM outputs WHERE campaign_id = :c"), {"c": big})
        for name, campaign in (("national campaign", big), ("provincial campaign", small)):
            n = s.scalar(
                text("SELECT count(*) FROM outputs WHERE campaign_id = :c"), {"c": campaign}
            )
            took = best_of(lambda c=campaign: ledger.campaign_ledger(session=s, campaign_id=c))
            rows.append((f"ledger of the {name}", took, f"{n:,} outputs of the campaign"))
        for category in ("not_found", "pending"):
            criteria = service.OutputFilter(campaign_id=big, unit_id=unit, ledger=category)
            took = best_of(lambda q=criteria: service.list_outputs(session=s, criteria=q))
            rows.append((f"list ledger={category}, one unit, 100 rows", took, f"{count:,} outputs"))
            criteria = service.OutputFilter(campaign_id=big, ledger=category)
            took = best_of(lambda q=criteria: service.list_outputs(session=s, criteria=q))
            rows.append((f"list ledger={category}, whole campaign, 100 rows", took, ""))
    return rows


def run(outputs: int = OUTPUTS, *, keep: bool = False) -> list[Result]:
    """The measured seconds, on a database made here and dropped unless `keep`."""
    name, url = _database()
    try:
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        big, small, unit = _seed(engine, outputs)
        note = f"{outputs:,} outputs, {UNITS:,} units, PostgreSQL"
        results = [Result("ledger", "fill (SQL)", time.perf_counter() - started, "s", note)]
        for what, seconds, detail in measure(engine, big, small, unit):
            results.append(Result("ledger", what, seconds, "s", detail or note))
        engine.dispose()
        return results
    finally:
        if keep:
            print(f"kept {url}")
        else:
            _drop(name)


def section(results: list[Result], command: str, before: tuple[float, ...]) -> str:
    """The docs/benchmarks.md section of this benchmark (`before`: the load average then)."""
    load = ", ".join(f"{x:.2f}" for x in before)
    lines = [HEADING, "", f"- Command: `{command}`",
             f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
             f"before the run: {load} (2 cores shared with other work)", "",
             "| metric | seconds | note |", "| --- | ---: | --- |"]  # fmt: skip
    lines += [f"| {r.metric} | {r.value:.3f} | {r.note} |" for r in results]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run once and print (and with --write, record) the numbers."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ledger", description=__doc__)
    parser.add_argument("--outputs", type=int, default=OUTPUTS)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the database (to EXPLAIN)")
    args = parser.parse_args()
    before = os.getloadavg()
    results = run(args.outputs, keep=args.keep)
    command = "python -m bench.bench_ledger" + (
        f" --outputs {args.outputs}" if args.outputs != OUTPUTS else ""
    )
    text_ = section(results, command + " --write", before)
    print(text_)
    if args.write:
        write_section(HEADING, text_)


if __name__ == "__main__":
    main()
