"""CLI commands of the directive reader: parse and check."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from trienkhai.documents.checker import Finding, check_record
from trienkhai.documents.parser import parse_text
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.readers.registry import read_file
from trienkhai.documents.render import finding_line, record_json, render_text
from trienkhai.documents.schemas import DocumentRecord
from trienkhai.settings import get_settings

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2
NO_HEADER = "không nhận ra phần đầu văn bản theo Nghị định 30 (no Decree-30 header found)"
_HEADER_FIELDS = ("number_symbol", "issued_date", "issuer", "doc_type", "place", "subject")

FilesArg = Annotated[
    list[Path], typer.Argument(help="Directive files (.txt .docx .doc .pdf, images)")
]


@dataclass(frozen=True)
class Loaded:
    """A file's parsed record and the text its reader gave (to map findings to file lines)."""

    path: Path
    record: DocumentRecord
    source_lines: list[str]


def load(path: Path) -> Loaded | None:
    """Read and parse one file; on failure print one line "FILE: reason" to stderr."""
    try:
        result = read_file(path)
        record = parse_text(result.text, source=str(path), footnotes=result.footnotes)
    except ReadError as exc:
        typer.echo(f"{path}: {exc.reason}", err=True)
        return None
    except Exception as exc:  # one bad file must not stop the others or dump a trace
        typer.echo(
            f"{path}: lỗi không mong đợi (unexpected error: {type(exc).__name__}: {exc})", err=True
        )
        return None
    if all(getattr(record, name) is None for name in _HEADER_FIELDS):
        record.warnings.append(NO_HEADER)
        typer.echo(f"{path}: cảnh báo: {NO_HEADER}", err=True)
    return Loaded(path, record, result.text.splitlines())


def parse(
    files: FilesArg,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per line per file")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="json (default) or text")] = "json",
) -> None:
    """Print the structured record of each directive."""
    failed = False
    for path in files:
        loaded = load(path)
        if loaded is None:
            failed = True
        elif fmt == "text" and not as_json:
            typer.echo(render_text(loaded.record))
        else:
            typer.echo(record_json(loaded.record))
    if failed:
        raise typer.Exit(EXIT_UNREADABLE)


def _today() -> dt.date:
    """Today's date in the configured time zone."""
    return dt.datetime.now(ZoneInfo(get_settings().timezone)).date()


def source_line(finding: Finding, loaded: Loaded) -> int | None:
    """The finding's line in the file as read, found by its excerpt or its record line."""
    needles = [finding.excerpt or ""]
    lines = loaded.record.text.splitlines()
    if finding.line and finding.line <= len(lines):
        needles.append(lines[finding.line - 1])
    for needle in filter(None, needles):
        for number, line in enumerate(loaded.source_lines, start=1):
            if needle in " ".join(line.split()):
                return number
    return finding.line


def check(
    files: FilesArg,
    fmt: Annotated[str, typer.Option("--format", help="text (default) or json")] = "text",
    today: Annotated[
        str | None, typer.Option("--today", help="Check dates against this day (YYYY-MM-DD)")
    ] = None,
) -> None:
    """Report Decree-30 format problems, one a line; exit 1 on an error, 2 on unreadable input."""
    day = dt.date.fromisoformat(today) if today else _today()
    english = get_settings().language == "en"
    failed = errors = False
    for path in files:
        loaded = load(path)
        if loaded is None:
            failed = True
            continue
        findings = check_record(loaded.record, today=day)
        errors = errors or any(f.severity == "error" for f in findings)
        located = list(dict.fromkeys((f, source_line(f, loaded)) for f in findings))
        if fmt == "json":
            items = [{**f.as_dict(), "line": line} for f, line in located]
            typer.echo(json.dumps({"file": str(path), "findings": items}, ensure_ascii=False))
        else:
            for finding, line in located:
                typer.echo(finding_line(str(path), finding, line, english=english))
    if failed:
        raise typer.Exit(EXIT_UNREADABLE)
    if errors:
        raise typer.Exit(EXIT_FINDINGS)
