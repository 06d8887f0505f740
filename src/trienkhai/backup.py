"""Backup and restore of the whole database: SQLite online backup, pg_dump/pg_restore on PostgreSQL.

Both directions go through a temporary file and end with one atomic step (a rename, one SQLite
backup step, one PostgreSQL transaction), so an interrupted run leaves the old state whole.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from trienkhai.errors import InvalidError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
# Every trienkhai database has these; a file without them is someone else's database.
MARK_TABLES = ("alembic_version", "units", "users")
# Dropping and recreating the schema inside the restore's transaction removes tables that a newer
# migration added after the backup was made, so the database becomes exactly the backup.
PG_PRELUDE = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"


class BackupError(InvalidError):
    """A backup or restore that cannot be done; the message names the file and the reason."""


@contextmanager
def _staging(target: Path) -> Iterator[Path]:
    """A temporary path beside the target, removed unless the caller renamed it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    staged = Path(name)
    try:
        yield staged
    finally:
        staged.unlink(missing_ok=True)


def _sqlite_path(engine: Engine) -> Path:
    """The database file behind a SQLite engine."""
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("CSDL SQLite trong bộ nhớ không sao lưu được (in-memory database)")
    return Path(database)


def _pg_env(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and an environment carrying it (kept out of argv)."""
    url: URL = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
        url = url.set(password=None)
    return url.render_as_string(hide_password=False), env


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    """Run a PostgreSQL client program; its error output becomes the message on failure."""
    try:
        done = subprocess.run(command, env=env, capture_output=True, check=False)
    except FileNotFoundError as exc:
        msg = f"Không tìm thấy {command[0]} (cài gói Debian postgresql-client)"
        raise BackupError(msg) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[-800:]
        raise BackupError(f"{what}: {command[0]} lỗi (exit {done.returncode}): {detail}")


def backup(*, engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the whole database to target (replaced atomically)."""
    with _staging(target) as staged:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(_sqlite_path(engine), staged)
        elif engine.dialect.name == "postgresql":
            url, env = _pg_env(engine)
            command = ["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(staged), url]
            _run(command, env=env, what=f"Sao lưu vào {target}")
        else:
            raise BackupError(f"Không hỗ trợ sao lưu CSDL {engine.dialect.name}")
        staged.replace(target)
    return target


def _sqlite_backup(source: Path, staged: Path) -> None:
    """SQLite's online backup API: a consistent snapshot while the server keeps writing."""
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)) as src,
        closing(sqlite3.connect(staged)) as dst,
    ):
        src.backup(dst)
        # A self-contained file: no -wal beside it is needed to read the copy.
        dst.execute("PRAGMA journal_mode=DELETE")


def restore(*, engine: Engine, source: Path) -> None:
    """Replace the whole database with a backup made by `backup`, all at once or not at all."""
    if not source.is_file():
        raise BackupError(f"{source}: không có tệp sao lưu (file not found)")
    head = _head(source)
    engine.dispose()  # pooled connections must not hold the old database open
    if engine.dialect.name == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source}: không phải bản sao lưu SQLite của trienkhai")
        _sqlite_restore(source, _sqlite_path(engine))
    elif engine.dialect.name == "postgresql":
        if not head.startswith(PG_MAGIC):
            msg = f"{source}: không phải bản sao lưu PostgreSQL (pg_dump -Fc) của trienkhai"
            raise BackupError(msg)
        _pg_restore(engine, source)
    else:
        raise BackupError(f"Không hỗ trợ phục hồi CSDL {engine.dialect.name}")


def _head(path: Path) -> bytes:
    """The first 16 bytes of a file (its format's magic number)."""
    with path.open("rb") as handle:
        return handle.read(16)


def _check_sqlite_backup(source: Path) -> None:
    """Refuse a SQLite file that is damaged or is not a trienkhai database."""
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as conn:
            check = conn.execute("PRAGMA quick_check").fetchone()
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source}: tệp sao lưu SQLite hỏng ({exc})") from exc
    if not check or check[0] != "ok":
        raise BackupError(f"{source}: tệp sao lưu SQLite hỏng ({check[0] if check else '?'})")
    missing = [t for t in MARK_TABLES if t not in names]
    if missing:
        msg = f"{source}: không phải CSDL trienkhai (thiếu bảng {', '.join(missing)})"
        raise BackupError(msg)


def _sqlite_restore(source: Path, database: Path) -> None:
    """Check the backup, then copy it over the live file in one backup step (one transaction)."""
    _check_sqlite_backup(source)
    database.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(database, timeout=30)) as dst,
    ):
        # pages=-1 copies everything in one step, which SQLite runs as a single write
        # transaction on the destination: a crash part-way leaves the old database.
        src.backup(dst, pages=-1)


def _pg_restore(engine: Engine, source: Path) -> None:
    """pg_restore to a script first (a damaged file fails there), then psql in one transaction."""
    url, env = _pg_env(engine)
    listing = subprocess.run(["pg_restore", "-l", str(source)], capture_output=True, check=False)
    if listing.returncode != 0 or b"TABLE public alembic_version" not in listing.stdout:
        msg = f"{source}: không phải bản sao lưu PostgreSQL của trienkhai hoặc tệp hỏng"
        raise BackupError(msg)
    with tempfile.TemporaryDirectory(prefix="trienkhai-restore-") as folder:
        script = Path(folder) / "restore.sql"
        with script.open("wb") as handle:
            handle.write(PG_PRELUDE)
        command = ["pg_restore", "--no-owner", "--no-privileges", "-f", "-", str(source)]
        with script.open("ab") as handle:
            done = subprocess.run(command, stdout=handle, stderr=subprocess.PIPE, check=False)
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip()[-800:]
            raise BackupError(f"{source}: tệp sao lưu hỏng, không phục hồi gì: {detail}")
        psql = ["psql", "-X", "-q", "--single-transaction", "-v", "ON_ERROR_STOP=1"]
        _run([*psql, "-f", str(script), "-d", url], env=env, what=f"Phục hồi từ {source}")
