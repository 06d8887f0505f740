"""CLI command `trienkhai demo`: load the demo data, then serve unless told not to."""

from __future__ import annotations

from typing import Annotated

import typer

from trienkhai import migrate
from trienkhai.db import get_engine, session_scope
from trienkhai.demo import RealDataError, fresh_sqlite, load_demo
from trienkhai.settings import get_settings
from trienkhai.web.commands import serve

NO_SERVE_HELP = "Chỉ nạp dữ liệu, không chạy máy chủ (load only)"
KEEP_HELP = "Giữ CSDL SQLite hiện có (keep the database)"


def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help=NO_SERVE_HELP)] = False,
    keep: Annotated[bool, typer.Option("--keep", help=KEEP_HELP)] = False,
) -> None:
    """Load the sample registry, the sample directive's campaign, outputs and users; then serve."""
    settings = get_settings()
    engine = get_engine()
    if not keep:
        try:
            fresh_sqlite(engine)
        except RealDataError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from exc
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        summary = load_demo(session=session)
    typer.echo(f"CSDL: {settings.effective_database_url.split('@')[-1]}")
    typer.echo(
        f"Chiến dịch mẫu #{summary.campaign_id}: {summary.assignments} đơn vị được giao, "
        f"{summary.outputs} sản phẩm; {summary.units} đơn vị trong danh mục"
    )
    if summary.unresolved:
        typer.echo("Cụm từ chưa khớp đơn vị: " + "; ".join(summary.unresolved))
    typer.echo("Tài khoản (mật khẩu / password):")
    for username, password, role in summary.logins:
        typer.echo(f"  {username:<10} {password}   ({role})")
    if no_serve:
        return
    typer.echo(
        f"Mở trình duyệt: http://{settings.host}:{settings.port}/  "
        f"— đăng nhập: dieuphoi / trienkhai"
    )
    serve(host=None, port=None)
