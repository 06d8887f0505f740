"""CLI commands for the database: upgrade; backup and restore (top-level commands)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trienkhai import backup as backups
from trienkhai import migrate
from trienkhai.db import get_engine
from trienkhai.settings import get_settings

app = typer.Typer(help="Cơ sở dữ liệu (database)", no_args_is_help=True)


def _where() -> str:
    """The configured database, without credentials."""
    return get_settings().effective_database_url.split("@")[-1]


@app.command("upgrade")
def upgrade_command(revision: str = typer.Argument("head", help="Alembic revision")) -> None:
    """Apply the schema migrations to the configured database."""
    migrate.upgrade(revision=revision)
    typer.echo(f"Đã nâng cấp CSDL: {_where()}")


def backup(
    file: Annotated[Path, typer.Argument(help="Tệp sao lưu sẽ ghi (backup file to write)")],
) -> None:
    """Back up the whole database to FILE (SQLite online backup; pg_dump -Fc on PostgreSQL)."""
    try:
        backups.backup(engine=get_engine(), target=file)
    except backups.BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Đã sao lưu {_where()} vào {file}")


def restore(
    file: Annotated[Path, typer.Argument(help="Tệp sao lưu (backup file made by `backup`)")],
) -> None:
    """Replace the whole database with FILE, all at once or not at all; stop the server first."""
    try:
        backups.restore(engine=get_engine(), source=file)
    except backups.BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Đã phục hồi {_where()} từ {file}")
