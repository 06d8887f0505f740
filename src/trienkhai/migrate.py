"""Schema migrations through Alembic; the only way the schema changes outside tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

from trienkhai.db import get_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction, with SQLite's foreign keys off while tables are rebuilt.

    Why: batch mode rebuilds a SQLite table by copying it and dropping the old one; with foreign
    keys on, that DROP deletes (ON DELETE CASCADE) every child row pointing at it. The pragma only
    works outside a transaction, so it is set before BEGIN, and the references are checked before
    COMMIT instead.
    """
    with engine.connect() as connection:
        raw = connection.connection.driver_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if raw is not None:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        msg = f"migration left rows pointing at missing rows: {broken[:5]}"
                        raise RuntimeError(msg)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def _run(engine: Engine | None, revision: str, *, down: bool) -> None:
    """Move the database to a revision, up or down."""
    engine = engine or get_engine()
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with _migrating(engine) as connection:
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Bring the database to the given revision (on PostgreSQL, with the job queue's tables)."""
    engine = engine or get_engine()
    _run(engine, revision, down=False)
    if engine.dialect.name == "postgresql" and revision == "head":
        # procrastinate keeps its own schema (tables, functions, triggers), installed once from
        # the SQL the pinned release ships; docs/jobs.md says how to move to a newer release.
        from trienkhai.jobs.queues import ensure_procrastinate_schema  # noqa: PLC0415

        ensure_procrastinate_schema(engine)


def downgrade(engine: Engine | None = None, revision: str = "-1") -> None:
    """Take the database back to the given revision ('base' removes every table)."""
    _run(engine, revision, down=True)
