"""CLI for outputs: import a unit's file, export a campaign, write the template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from trienkhai.campaigns.models import Campaign
from trienkhai.cli_files import write_output
from trienkhai.db import get_engine, session_scope
from trienkhai.outputs import exporter, importer, ledger, service
from trienkhai.units.models import Unit

app = typer.Typer(help="Kết quả tuyên truyền (outputs)", no_args_is_help=True)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Tệp .xlsx/.csv")],
    unit: Annotated[str, typer.Option("--unit", help="Mã đơn vị")],
    campaign: Annotated[int, typer.Option("--campaign", help="Số chiến dịch")],
    accept_warnings: Annotated[bool, typer.Option("--accept-warnings")] = False,
) -> None:
    """Import a unit's outputs: every row checked first; any error stores nothing (exit 1)."""
    with session_scope(get_engine()) as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.code == unit))
        if unit_id is None:
            typer.echo(f"Lỗi: không có đơn vị mã '{unit}'", err=True)
            raise typer.Exit(1)
        try:
            result = importer.import_outputs(
                session=session,
                actor=None,
                campaign_id=campaign,
                unit_id=unit_id,
                filename=file.name,
                content=file.read_bytes(),
                accept_warnings=accept_warnings,
                system=True,
            )
        except (service.OutputNotFoundError, service.OutputError) as exc:
            typer.echo(f"Lỗi: {exc}", err=True)
            raise typer.Exit(1) from exc
        for issue in result.errors:
            typer.echo(f"Lỗi: {issue.message}", err=True)
        for issue in result.warnings:
            typer.echo(f"Cảnh báo: {issue.message}", err=True)
        if result.errors or result.needs_confirmation:
            hint = " (dùng --accept-warnings để vẫn nhập)" if result.needs_confirmation else ""
            typer.echo(f"Không nhập dòng nào{hint}", err=True)
            session.rollback()
            raise typer.Exit(1)
        for issue in result.notices:
            typer.echo(f"Đã sửa: {issue.message}", err=True)
        typer.echo(
            f"Đã nhập {result.stored} kết quả; {result.updated} cập nhật; {result.duplicates} đã có"
        )


@app.command("export")
def export_command(
    campaign: Annotated[int, typer.Option("--campaign", help="Số chiến dịch")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp .xlsx hoặc .csv")],
) -> None:
    """Export a campaign's outputs; the format follows the file's extension."""
    fmt = output.suffix.lstrip(".").lower() or "xlsx"
    with session_scope(get_engine()) as session:
        if session.get(Campaign, campaign) is None:
            typer.echo(f"Không có chiến dịch số {campaign} (campaign not found)", err=True)
            raise typer.Exit(1)
        try:
            content = exporter.export_outputs(
                session=session, criteria=service.OutputFilter(campaign_id=campaign), fmt=fmt
            )
        except ValueError as exc:
            typer.echo(f"Lỗi: {exc}", err=True)
            raise typer.Exit(1) from exc
    write_output(output, content)
    typer.echo(f"Đã ghi {output}")


@app.command("list")
def list_command(
    campaign: Annotated[int, typer.Option("--campaign", help="Số chiến dịch")],
    as_json: Annotated[bool, typer.Option("--json", help="In danh sách JSON")] = False,
) -> None:
    """List a campaign's outputs (id, unit, title, url, channel, date, source, verification)."""
    with session_scope(get_engine()) as session:
        try:
            rows = service.campaign_listing(session=session, campaign_id=campaign)
        except service.OutputNotFoundError as exc:
            typer.echo(f"Lỗi: {exc}", err=True)
            raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False))
        return
    for row in rows:
        themes = ",".join(row.themes) or "-"
        typer.echo(
            f"{row.id}\t{row.unit}\t{row.published_at:%d/%m/%Y}\t{row.source}\t"
            f"{row.verification}\t{themes}\t{row.title}"
        )


@app.command("ledger")
def ledger_command(
    campaign: Annotated[int, typer.Option("--campaign", help="Số chiến dịch")],
    as_json: Annotated[bool, typer.Option("--json", help="In JSON")] = False,
) -> None:
    """Reconcile per unit what was reported, found and checked (docs/outputs.md)."""
    with session_scope(get_engine()) as session:
        if session.get(Campaign, campaign) is None:
            typer.echo(f"Lỗi: không có chiến dịch số {campaign} (campaign not found)", err=True)
            raise typer.Exit(1)
        book = ledger.campaign_ledger(session=session, campaign_id=campaign)
    if as_json:
        typer.echo(json.dumps(book.as_dict(), ensure_ascii=False))
        return
    typer.echo("\t".join(["unit", *ledger.LEDGER_VALUES, "removed", "originals", "total"]))
    for row in [*book.rows, book.totals]:
        figures = [row.count(c) for c in ledger.LEDGER_VALUES]
        cells = [row.code or "total", *map(str, figures), str(row.removed), str(row.originals)]
        typer.echo("\t".join([*cells, str(row.total)]))


@app.command("template")
def template_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp .xlsx hoặc .csv")],
) -> None:
    """Write the import template (XLSX with lists and a guide, or CSV with a BOM)."""
    fmt = output.suffix.lstrip(".").lower() or "xlsx"
    try:
        content = exporter.template(fmt)
    except ValueError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(1) from exc
    write_output(output, content)
    typer.echo(f"Đã ghi {output}")
