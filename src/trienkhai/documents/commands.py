"""CLI commands of the directive reader: parse and check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from trienkhai.documents.parser import parse_file
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.render import render_text


def parse(
    files: Annotated[list[Path], typer.Argument(help="Directive files (.txt .docx .doc .pdf)")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file (default)")] = True,
    fmt: Annotated[str, typer.Option("--format", help="json or text (for people)")] = "json",
) -> None:
    """Print the structured record of each directive."""
    failed = False
    for path in files:
        try:
            record = parse_file(path)
        except ReadError as exc:
            typer.echo(str(exc), err=True)
            failed = True
            continue
        if fmt == "text":
            typer.echo(render_text(record))
        else:
            typer.echo(json.dumps(record.model_dump(exclude={"text", "body"}), ensure_ascii=False))
    if failed:
        raise typer.Exit(2)
