"""CLI commands for the database: upgrade."""

from __future__ import annotations

import typer

from trienkhai import migrate
from trienkhai.settings import get_settings

app = typer.Typer(help="Cơ sở dữ liệu (database)", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(revision: str = typer.Argument("head", help="Alembic revision")) -> None:
    """Apply the schema migrations to the configured database."""
    migrate.upgrade(revision=revision)
    typer.echo(f"Đã nâng cấp CSDL: {get_settings().effective_database_url.split('@')[-1]}")
