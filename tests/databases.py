"""Fresh databases made inside a test (not the shared session database): each engine, cleaned up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.db_fixtures import _require_pg, create_pg_database, drop_pg_database
from trienkhai.db import make_engine
from trienkhai.migrate import upgrade


def fresh_url(kind: str, tmp_path: Path, name: str) -> str:
    """A new, empty database of the kind (register PostgreSQL ones in `urls` to drop them)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    _require_pg()
    return create_pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def kind(request: pytest.FixtureRequest) -> str:
    """The database engine under test."""
    return str(request.param)


@pytest.fixture
def urls() -> Iterator[list[str]]:
    """Database URLs made during the test; PostgreSQL ones are dropped afterwards."""
    made: list[str] = []
    yield made
    for url in made:
        if url.startswith("postgresql"):
            drop_pg_database(url)


@contextmanager
def migrated(kind: str, tmp_path: Path, urls: list[str], name: str) -> Iterator[Engine]:
    """An engine on a new database of the kind, migrated to head; disposed afterwards."""
    url = fresh_url(kind, tmp_path, name)
    urls.append(url)
    engine = make_engine(url)
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
