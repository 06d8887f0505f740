"""CLI commands of the units registry: import, export, load-sample, list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from trienkhai.cli_files import write_output
from trienkhai.db import get_engine, session_scope
from trienkhai.units import service as units
from trienkhai.units.registry_io import RegistryError

app = typer.Typer(help="Danh mục đơn vị (units registry)", no_args_is_help=True)


def _fail(exc: RegistryError) -> None:
    """Print every problem on stderr and exit non-zero."""
    for line in exc.errors:
        typer.echo(line, err=True)
    raise typer.Exit(1)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Tệp danh mục .yaml hoặc .csv")],
) -> None:
    """Import a YAML or CSV registry; re-import updates by code; nothing is stored on error."""
    try:
        with session_scope(get_engine()) as session:
            summary = units.import_file(session=session, path=file, actor=None)
    except RegistryError as exc:
        _fail(exc)
        return
    typer.echo(
        f"Đã nhập {file.name}: {summary.created} đơn vị mới, {summary.updated} cập nhật, "
        f"{summary.groups} nhóm"
    )


@app.command("export")
def export_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp ghi ra")],
    fmt: Annotated[str, typer.Option("--format", help="yaml hoặc csv")] = "yaml",
) -> None:
    """Export the registry as YAML (units and groups) or CSV (units)."""
    try:
        with session_scope(get_engine()) as session:
            text = units.export_text(session=session, fmt=fmt)
    except RegistryError as exc:
        _fail(exc)
        return
    write_output(output, text)
    typer.echo(f"Đã xuất danh mục ra {output}")


@app.command("load-sample")
def load_sample_command() -> None:
    """Load the shipped registry of Kon Tum province (2024)."""
    with session_scope(get_engine()) as session:
        summary = units.load_sample_registry(session=session)
    typer.echo(
        f"Đã nạp danh mục mẫu tỉnh Kon Tum 2024: {summary.created} mới, "
        f"{summary.updated} cập nhật, {summary.groups} nhóm"
    )


@app.command("list")
def list_command(
    q: Annotated[str | None, typer.Option("--q", help="Tìm theo tên, không phân biệt dấu")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON")] = False,
) -> None:
    """List units (optionally matching a search)."""
    with session_scope(get_engine()) as session:
        rows = [units.to_read(u) for u in units.list_units(session=session, q=q)]
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False))
        return
    for row in rows:
        typer.echo(f"{row.code:<22} {row.kind:<12} {row.name}")


@app.command("resolve")
def resolve_command(phrase: Annotated[str, typer.Argument(help="Cụm từ nơi nhận")]) -> None:
    """Show which units a recipient phrase names."""
    with session_scope(get_engine()) as session:
        read = units.resolve_phrase(session=session, phrase=phrase).read()
    typer.echo(json.dumps(read.model_dump(mode="json"), ensure_ascii=False))
    if not read.resolved:
        raise typer.Exit(1)
