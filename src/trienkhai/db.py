"""Engine, sessions and the declarative base; SQLite (WAL, foreign keys) or PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from trienkhai.errors import InvalidError
from trienkhai.settings import get_settings

# Named constraints keep Alembic batch migrations on SQLite deterministic.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timezone-aware now in UTC; the one clock the models use."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


class TimestampMixin:
    """Created and updated timestamps."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL for concurrent readers, foreign keys on, and a wait instead of 'database is locked'."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def pool_capacity() -> int:
    """Connections one engine may open: TRIENKHAI_DB_POOL_SIZE + TRIENKHAI_DB_MAX_OVERFLOW.

    The web app admits fewer requests at once (web/app.py, RequestGate), so a request never waits
    for a connection while holding the thread another one needs.
    """
    settings = get_settings()
    return settings.db_pool_size + settings.db_max_overflow


# Both databases store integers in 64 bits (SQLite INTEGER, PostgreSQL BIGINT).
DB_INT_MAX = 2**63 - 1
DB_INT_MIN = -(2**63)


def _out_of_range(value: object) -> bool:
    """Whether a bound value is an integer no database column can hold."""
    return type(value) is int and not DB_INT_MIN <= value <= DB_INT_MAX


def _values(parameters: Any) -> Iterator[object]:
    """Every bound value of one statement (a dict, a sequence, or a batch of either)."""
    if isinstance(parameters, dict):
        yield from parameters.values()
    elif isinstance(parameters, list | tuple):
        for item in parameters:
            if isinstance(item, dict | list | tuple):
                yield from _values(item)
            else:
                yield item


def refuse_huge_integers(*args: Any) -> None:
    """Refuse a statement binding an integer beyond 64 bits, whatever input carried it.

    One check for every route, form, query and import: an id or offset of 2^63 in a request
    would otherwise be an OverflowError (SQLite) or a DataError (PostgreSQL), a server error.
    """
    parameters = args[3]
    bad = next((v for v in _values(parameters) if _out_of_range(v)), None)
    if bad is not None:
        raise InvalidError(
            f"Số {bad} vượt quá giới hạn số nguyên (tối đa {DB_INT_MAX}); "
            "hãy kiểm tra mã số, offset, limit hoặc ô số đã gửi"
        )


def make_engine(url: str) -> Engine:
    """An engine for the URL, with SQLite tuned for a multi-user web app."""
    settings = get_settings()
    pool = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_pre_ping": True,
    }
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        memory = not path or path == ":memory:"
        if not memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"check_same_thread": False, "timeout": 30}
        engine = create_engine(url, connect_args=connect_args, **({} if memory else pool))
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", refuse_huge_integers)
        return engine
    engine = create_engine(url, **pool)
    event.listen(engine, "before_cursor_execute", refuse_huge_integers)
    return engine


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for the configured (or given) URL."""
    return make_engine(url or get_settings().effective_database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    """A session factory bound to the engine."""
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
