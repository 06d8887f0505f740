"""Backup and restore: a populated database round-trips table by table, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, func, select, text

from tests.databases import fresh_url
from trienkhai.backup import BackupError, backup, restore
from trienkhai.db import make_engine, session_scope
from trienkhai.demo import load_demo
from trienkhai.migrate import upgrade
from trienkhai.units.models import Unit

TODAY = date(2026, 11, 27)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by all its columns, so two databases compare exactly."""
    meta = MetaData()
    meta.reflect(engine)
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            ordered = select(table).order_by(*table.primary_key.columns or table.columns)
            rows[name] = [tuple(r) for r in conn.execute(ordered)]
    return rows


def populated(kind: str, tmp_path: Path, urls: list[str], name: str = "source") -> Engine:
    """A migrated database holding the demo data."""
    url = fresh_url(kind, tmp_path, name)
    urls.append(url)
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        load_demo(session=session, today=TODAY)
    return engine


def test_round_trip_restores_every_row(kind: str, tmp_path: Path, urls: list[str]) -> None:
    source = populated(kind, tmp_path, urls)
    before = snapshot(source)
    assert sum(len(v) for v in before.values()) > 100  # the demo really is in there
    file = backup(engine=source, target=tmp_path / "sao-luu.bak")
    source.dispose()

    url = fresh_url(kind, tmp_path, "target")
    urls.append(url)
    target = make_engine(url)
    restore(engine=target, source=file)
    assert snapshot(target) == before
    with session_scope(target) as session:  # sequences/ids continue after the restored rows
        session.add(Unit(code="sau-phuc-hoi", name="Đơn vị thêm sau phục hồi"))
    target.dispose()


def test_restore_replaces_newer_rows_and_tables(kind: str, tmp_path: Path, urls: list[str]) -> None:
    engine = populated(kind, tmp_path, urls)
    before = snapshot(engine)
    file = backup(engine=engine, target=tmp_path / "a.bak")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM outputs"))
        conn.execute(text("CREATE TABLE later_table (id INTEGER PRIMARY KEY)"))
    restore(engine=engine, source=file)
    assert snapshot(engine) == before
    engine.dispose()


def test_restore_refuses_other_files_and_changes_nothing(
    kind: str, tmp_path: Path, urls: list[str]
) -> None:
    engine = populated(kind, tmp_path, urls)
    before = snapshot(engine)
    good = backup(engine=engine, target=tmp_path / "good.bak")
    other = tmp_path / "notes.txt"
    other.write_text("không phải sao lưu", encoding="utf-8")
    truncated = tmp_path / "cut.bak"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    for bad in (other, truncated, foreign, tmp_path / "missing.bak"):
        with pytest.raises(BackupError) as caught:
            restore(engine=engine, source=bad)
        assert str(bad) in str(caught.value)
    assert snapshot(engine) == before
    engine.dispose()


@pytest.mark.postgres
def test_each_engine_refuses_the_other_engines_backup(tmp_path: Path, urls: list[str]) -> None:
    lite = populated("sqlite", tmp_path, urls, "lite")
    pg = populated("postgres", tmp_path, urls, "pg")
    lite_file = backup(engine=lite, target=tmp_path / "lite.bak")
    pg_file = backup(engine=pg, target=tmp_path / "pg.bak")
    with pytest.raises(BackupError, match="không phải bản sao lưu SQLite"):
        restore(engine=lite, source=pg_file)
    with pytest.raises(BackupError, match="không phải bản sao lưu PostgreSQL"):
        restore(engine=pg, source=lite_file)
    lite.dispose()
    pg.dispose()


def test_sqlite_backup_is_consistent_while_another_connection_writes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    upgrade(engine)
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set():
            with session_scope(engine) as session:
                session.add_all(Unit(code=f"w-{n}-{i}", name=f"Đơn vị {n}-{i}") for i in range(20))
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        files = [backup(engine=engine, target=tmp_path / f"b{i}.bak") for i in range(5)]
    finally:
        stop.set()
        thread.join()
    for file in files:
        with sqlite3.connect(file) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            count = conn.execute("SELECT count(*) FROM units").fetchone()[0]
        assert count % 20 == 0  # whole transactions only
    with session_scope(engine) as session:
        assert (session.scalar(select(func.count()).select_from(Unit)) or 0) % 20 == 0
    engine.dispose()


def test_backup_and_restore_commands(tmp_path: Path) -> None:
    env = {**os.environ, "TRIENKHAI_DATA_DIR": str(tmp_path), "TRIENKHAI_DATABASE_URL": ""}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "trienkhai.cli", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120,
                              check=False)  # fmt: skip

    assert cli("db", "upgrade").returncode == 0
    made = cli("backup", str(tmp_path / "x.bak"))
    assert made.returncode == 0, made.stderr
    assert cli("restore", str(tmp_path / "x.bak")).returncode == 0
    (tmp_path / "bad.bak").write_text("rác", encoding="utf-8")
    refused = cli("restore", str(tmp_path / "bad.bak"))
    assert refused.returncode == 1
    assert "không phải bản sao lưu SQLite" in refused.stderr
    assert "Traceback" not in refused.stderr
