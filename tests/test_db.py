"""The migrated schema works on both databases, with SQLite's pragmas in force."""

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from trienkhai.db import Base
from trienkhai.units.models import Unit


def test_migrations_create_every_table(session: Session) -> None:
    tables = set(inspect(session.connection()).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_sqlite_foreign_keys_enforced(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        return
    assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_round_trip_vietnamese_unit(session: Session) -> None:
    session.add(Unit(code="stttt", name="Sở Thông tin và Truyền thông", kind="department"))
    session.flush()
    got = session.query(Unit).filter_by(code="stttt").one()
    assert got.name == "Sở Thông tin và Truyền thông"
