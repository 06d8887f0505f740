"""CLI: `trienkhai sources add|list|pause|resume` and `trienkhai crawl`."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from trienkhai.db import get_engine, session_scope, utcnow
from trienkhai.errors import ServiceError
from trienkhai.ingest import service
from trienkhai.ingest.pipeline import process_items
from trienkhai.ingest.service import ProgressFactory
from trienkhai.settings import get_settings

MIN_SLEEP_S = 30.0  # a scheduler round never follows the last one sooner than this

app = typer.Typer(
    help="Nguồn tin của các đơn vị (RSS, sitemap, trang danh sách)", no_args_is_help=True
)


@app.command("add")
def add(
    url: Annotated[
        str, typer.Argument(help="Địa chỉ nguồn (feed, sitemap, trang chủ, trang danh sách)")
    ],
    unit: Annotated[str, typer.Option("--unit", help="Mã đơn vị")],
    kind: Annotated[
        str, typer.Option("--kind", help="auto|rss|atom|jsonfeed|sitemap|page")
    ] = "auto",
    selector: Annotated[str, typer.Option("--selector", help="Bộ chọn CSS các liên kết bài")] = "",
) -> None:
    """Add a unit's source; it is not contacted now (its first crawl records any failure)."""
    try:
        with session_scope(get_engine()) as session:
            source = service.add_source(
                session=session, unit_code=unit, url=url, kind=kind, selector=selector
            )
            source_id = source.id
    except ServiceError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(json.dumps({"id": source_id, "unit": unit, "url": url, "kind": kind}))


@app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="JSON list")] = False,
    unit: Annotated[str | None, typer.Option("--unit", help="Only this unit's sources")] = None,
) -> None:
    """Every source with its health (last success, failures in a row, last error, paused)."""
    with session_scope(get_engine()) as session:
        rows = service.list_sources(session=session, unit_code=unit)
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False))
        return
    for r in rows:
        state = "tạm dừng" if r.paused else f"lỗi liên tiếp {r.consecutive_failures}"
        typer.echo(f"{r.id}\t{r.unit}\t{r.kind}\t{r.url}\t{state}\t{r.last_error or ''}")


def _set_paused(source_id: int, paused: bool) -> None:
    """Pause or resume, exit 1 on an unknown source."""
    try:
        with session_scope(get_engine()) as session:
            service.set_paused(session=session, source_id=source_id, paused=paused)
    except ServiceError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("pause")
def pause(source_id: int) -> None:
    """Stop crawling a source."""
    _set_paused(source_id, True)


@app.command("resume")
def resume(source_id: int) -> None:
    """Crawl a paused source again, its failures forgotten."""
    _set_paused(source_id, False)


@contextmanager
def _progress_bars() -> Iterator[ProgressFactory | None]:
    """Rich progress bars at a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress  # noqa: PLC0415 - only at a terminal

    with Progress(transient=True) as bars:

        def factory(label: str, total: int) -> Callable[[int], None]:
            task = bars.add_task(label, total=total)
            return lambda n: bars.advance(task, n)

        yield factory


def crawl(
    once: Annotated[bool, typer.Option("--once", help="Every source now, then exit")] = False,
    include_paused: Annotated[
        bool, typer.Option("--include-paused", help="With --once: paused sources too")
    ] = False,
) -> None:
    """Crawl every source now (--once), or run as a scheduler reading each source when due.

    Failures are recorded on their sources and the exit code stays 0; only a crash (or a wrong
    setting) exits non-zero.
    """
    if once:
        _crawl_round(everything=True, include_paused=include_paused)
        return
    while True:  # the in-process scheduler (SQLite); stop it with Ctrl-C or a signal
        _crawl_round(everything=False, include_paused=False)
        with session_scope(get_engine()) as session:
            pause_s = service.seconds_until_due(session=session, now=utcnow())
        time.sleep(max(MIN_SLEEP_S, pause_s))


def _crawl_round(*, everything: bool, include_paused: bool) -> None:
    """One crawl and the chain after it (extract, dedup, match); its summary as one JSON line."""
    engine, settings = get_engine(), get_settings()
    try:
        with _progress_bars() as progress:
            summary = service.run_crawl(
                engine=engine,
                settings=settings,
                everything=everything,
                include_paused=include_paused,
                progress=progress,
            )
    except ServiceError as exc:  # a wrong setting (allowed networks), not a source's failure
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc
    found = process_items(engine=engine, settings=settings)
    typer.echo(json.dumps({**summary.model_dump(), **found.model_dump()}))
