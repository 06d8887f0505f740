"""CLI: `trienkhai report campaign|unit ...` and `trienkhai remind`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from trienkhai.cli_files import write_output
from trienkhai.db import session_scope
from trienkhai.reports import reminders
from trienkhai.reports.context import ReportOptions
from trienkhai.reports.exporters import Request, get_exporter
from trienkhai.reports.pdf import ConversionError, ConverterMissingError
from trienkhai.reports.service import local_today

app = typer.Typer(help="Báo cáo kết quả triển khai (docx, xlsx, pdf).", no_args_is_help=True)

FormatOpt = Annotated[str, typer.Option("--format", "-f", help="docx | xlsx | pdf")]
OutOpt = Annotated[Path, typer.Option("--output", "-o", help="File to write")]
NumberOpt = Annotated[str | None, typer.Option("--number", help="Số of the report (blank: draft)")]


def _write(scope: str, fmt: str, request: Request, output: Path) -> None:
    """Export and write the file, turning known failures into a message and exit code 1."""
    try:
        exporter = get_exporter(fmt, scope)
        with session_scope() as session:
            data = exporter.export(session=session, request=request)
    except (ValueError, LookupError, ConverterMissingError, ConversionError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    write_output(output, data)
    typer.echo(str(output))


def _options(number: str | None) -> ReportOptions:
    """Report options from the command line."""
    return ReportOptions(number=number)


@app.command("campaign")
def campaign(
    campaign_id: int,
    fmt: FormatOpt = "docx",
    output: OutOpt = Path("bao-cao.docx"),
    number: NumberOpt = None,
) -> None:
    """Write a campaign's results report (docx), annexes (xlsx) or PDF."""
    request = Request(campaign_id=campaign_id, options=_options(number))
    _write("campaign", fmt, request, output)


@app.command("unit")
def unit(
    campaign_id: int,
    unit_code: str,
    fmt: FormatOpt = "docx",
    output: OutOpt = Path("bao-cao-don-vi.docx"),
    number: NumberOpt = None,
) -> None:
    """Write one unit's own report (docx or pdf) from the outputs it logged."""
    request = Request(campaign_id=campaign_id, unit_code=unit_code, options=_options(number))
    _write("unit", fmt, request, output)


def remind(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List, send nothing")] = False,
    today: Annotated[str | None, typer.Option("--today", help="YYYY-MM-DD")] = None,
) -> None:
    """Send deadline reminders (7, 3, 1 days, overdue) and the coordinators' digest."""
    day = dt.date.fromisoformat(today) if today else local_today()
    with session_scope() as session:
        result = reminders.run(session=session, today=day, dry_run=dry_run)
    for item, kind in result.planned:
        typer.echo(
            f"{kind}\t{item.unit_name}\t{item.email or '-'}\t{item.campaign_title}\t{item.deadline}"
        )
    if not dry_run:
        typer.echo(
            f"sent: {len(result.sent)}; failed: {len(result.failed)}; "
            f"digests: {len(result.digests)}"
        )
    if result.no_email:
        typer.echo("no e-mail: " + ", ".join(result.no_email), err=True)
    if result.failed:
        raise typer.Exit(1)
