"""CLI for users: add, list."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from trienkhai.db import get_engine, session_scope
from trienkhai.units.models import Unit
from trienkhai.users import service
from trienkhai.users.models import Role

app = typer.Typer(help="Người dùng (users)", no_args_is_help=True)


@app.command("add")
def add_command(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập")],
    role: Annotated[Role, typer.Option("--role", help="admin, coordinator, leader, unit_editor")],
    unit: Annotated[str | None, typer.Option("--unit", help="Mã đơn vị (unit editors)")] = None,
    password: Annotated[
        str | None, typer.Option("--password", help="Mật khẩu (hỏi nếu bỏ trống)")
    ] = None,
    full_name: Annotated[str, typer.Option("--name", help="Họ và tên")] = "",
) -> None:
    """Add a user; the password is prompted (hidden, twice) unless given."""
    secret = password or typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    with session_scope(get_engine()) as session:
        unit_id = None
        if unit:
            unit_id = session.scalar(select(Unit.id).where(Unit.code == unit))
            if unit_id is None:
                typer.echo(f"Lỗi: không có đơn vị mã '{unit}'", err=True)
                raise typer.Exit(1)
        try:
            user = service.create_user(
                session=session,
                username=username,
                password=secret,
                role=role,
                unit_id=unit_id,
                full_name=full_name,
            )
        except service.UserError as exc:
            typer.echo(f"Lỗi: {exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(f"Đã thêm người dùng {user.username} ({user.role}), số {user.id}")


@app.command("list")
def list_command() -> None:
    """Every user: id, username, role, unit, active."""
    with session_scope(get_engine()) as session:
        codes = dict(session.execute(select(Unit.id, Unit.code)).all())
        for user in service.list_users(session=session):
            unit = codes.get(user.unit_id, "") if user.unit_id else ""
            state = "" if user.active else " (đã khóa)"
            typer.echo(f"{user.id}\t{user.username}\t{user.role}\t{unit}{state}")
