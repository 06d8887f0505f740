"""Alembic environment: the URL comes from the caller's config or the settings object."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import trienkhai.models  # noqa: F401 - registers every table on the metadata
from trienkhai.db import Base, get_engine

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    """Run migrations on a connection; batch mode so SQLite can alter tables."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection handed over by trienkhai.migrate, or open one from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or None
    with get_engine(url).connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
