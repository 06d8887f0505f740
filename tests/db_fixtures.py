"""Database fixtures: every DB test runs on a real SQLite file and on a real PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from trienkhai.db import make_engine
from trienkhai.migrate import upgrade

PG_ADMIN = os.environ.get(
    "TRIENKHAI_TEST_PG_ADMIN", "host=127.0.0.1 port=5432 dbname=test user=postgres"
)


def postgres_available() -> bool:
    """Whether the PostgreSQL server answers."""
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _require_pg() -> None:
    """Skip PostgreSQL tests when no server answers, unless CI demands one."""
    if postgres_available():
        return
    if os.environ.get("TRIENKHAI_TEST_REQUIRE_PG"):
        pytest.fail(
            "PostgreSQL at 127.0.0.1:5432 does not answer and TRIENKHAI_TEST_REQUIRE_PG is set"
        )
    pytest.skip("PostgreSQL not available")


def create_pg_database() -> str:
    """A fresh, uniquely named database (parallel test runs must not collide); returns its URL."""
    name = f"trienkhai_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(url: str) -> None:
    """Drop a database made by create_pg_database."""
    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL of a migrated database of each kind, made once per test session."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "trienkhai.db"
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    _require_pg()
    url = create_pg_database()
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    drop_pg_database(url)


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the migrated test database."""
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        trans = connection.begin()
        if connection.dialect.name == "sqlite":
            # pysqlite defers BEGIN to the first write, so a savepoint would open (and its
            # RELEASE commit) the real transaction: begin it now so the rollback undoes commits.
            connection.exec_driver_sql("BEGIN")
        sess = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield sess
        finally:
            sess.close()
            trans.rollback()
