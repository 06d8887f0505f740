"""Users, roles and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trienkhai.db import Base, TimestampMixin, utcnow


class Role(enum.StrEnum):
    """What a user may do: administrator, coordinator, leader (read only), unit editor."""

    admin = "admin"
    coordinator = "coordinator"
    leader = "leader"
    unit_editor = "unit_editor"


class User(TimestampMixin, Base):
    """A person who signs in; unit editors belong to one unit."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.unit_editor.value)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(5), default="vi")
    active: Mapped[bool] = mapped_column(default=True)
    # Carried in every session cookie and API token; bumping it ends them all at once
    # (sign-out, password change, role change, deactivation).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Carried in calendar-feed tokens; bumping it revokes every feed link the user made.
    calendar_version: Mapped[int] = mapped_column(default=0, server_default="0")


class AuditLog(Base):
    """One row per change: who did what to which record, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")


class LoginFailure(Base):
    """One failed sign-in, kept for the throttling window (shared by every server process)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
