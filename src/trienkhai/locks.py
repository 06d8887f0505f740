"""Named locks across processes and machines, for work that must not run twice at once.

On PostgreSQL a session advisory lock, held on a connection of its own for as long as the work
runs (it goes with the connection if the process dies). On SQLite the database is one file on
one machine: an advisory file lock (flock) beside it, which another process and another thread
of this one both respect; an in-memory database falls back to a lock of this process.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

_LOCAL: dict[str, threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for the name (PostgreSQL advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def try_exclusive(engine: Engine, name: str) -> Iterator[bool]:
    """Hold the named lock while the block runs if no one else holds it; yields whether held."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, name) as held:
            yield held
        return
    database = engine.url.database
    if database and database != ":memory:":
        with _flock(Path(f"{database}.{name}.lock")) as held:
            yield held
        return
    with _local(f"{engine.url}:{name}") as held:
        yield held


@contextmanager
def _advisory(engine: Engine, name: str) -> Iterator[bool]:
    """A PostgreSQL session advisory lock on a connection kept for the block."""
    key = lock_key(name)
    with engine.connect() as conn:
        held = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()  # no transaction stays open while the work runs
        try:
            yield held
        finally:
            if held:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


@contextmanager
def _flock(path: Path) -> Iterator[bool]:
    """An exclusive, non-blocking flock on a file beside the database."""
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _local(key: str) -> Iterator[bool]:
    """A lock of this process only (an in-memory database lives in one process)."""
    with _LOCAL_GUARD:
        lock = _LOCAL.setdefault(key, threading.Lock())
    held = lock.acquire(blocking=False)
    try:
        yield held
    finally:
        if held:
            lock.release()
