"""Which function runs a job of each kind, and what a running job may tell its page."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from trienkhai.errors import InvalidError

# Feature modules that register job handlers; imported when the default registry is built, so a
# worker knows every kind without importing the web app.
HANDLER_MODULES: tuple[str, ...] = (
    "trienkhai.jobs.housekeeping",
    "trienkhai.reports.jobs",
    "trienkhai.ingest.jobs",
    "trienkhai.outputs.jobs",
)


@dataclass
class JobContext:
    """What a handler gets: its arguments, a way to the database, and a progress callback."""

    job_id: int
    args: dict[str, Any]
    sessions: sessionmaker[Session]
    report: Callable[[float, str], None]
    # Start another job now (kind, args) → its id; a job fans work out to other workers with it.
    spawn: Callable[[str, dict[str, Any]], int] | None = None

    @property
    def engine(self) -> Engine:
        """The engine the job's sessions use (for work that opens its own connections)."""
        bind = self.sessions.kw["bind"]
        assert isinstance(bind, Engine)
        return bind

    def progress(self, done: float, message: str = "") -> None:
        """Record how far the job got (0..1) and what it is doing, for the page that polls it."""
        self.report(min(max(done, 0.0), 1.0), message)


Handler = Callable[[JobContext], dict[str, Any] | None]


@dataclass(frozen=True)
class Periodic:
    """A job kind the scheduler starts again every `seconds` (crawling, reminders)."""

    kind: str
    seconds: int
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Registry:
    """Job kinds and their handlers, plus the periodic ones."""

    handlers: dict[str, Handler] = field(default_factory=dict)
    periodic: list[Periodic] = field(default_factory=list)

    def add(self, kind: str, handler: Handler) -> None:
        """Register the handler of a kind (a kind is registered once)."""
        if kind in self.handlers:
            msg = f"job kind {kind!r} is registered twice"
            raise ValueError(msg)
        self.handlers[kind] = handler

    def every(self, kind: str, seconds: int, args: dict[str, Any] | None = None) -> None:
        """Start a registered kind again every `seconds`."""
        self.periodic.append(Periodic(kind, seconds, args or {}))

    def handler(self, kind: str) -> Handler:
        """The handler of a kind, or a clear error naming it."""
        try:
            return self.handlers[kind]
        except KeyError:
            msg = f"unknown job kind {kind!r}"
            raise InvalidError(msg) from None


def default_registry() -> Registry:
    """Every feature's job kinds: each module in HANDLER_MODULES has `register(registry)`."""
    registry = Registry()
    for name in HANDLER_MODULES:
        importlib.import_module(name).register(registry)
    return registry
