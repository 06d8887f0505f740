"""Stored directives: the original file (with its SHA-256) and the reviewed record."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from trienkhai.db import Base, TimestampMixin


class Directive(TimestampMixin, Base):
    """An imported document: original bytes, extracted record and search text."""

    __tablename__ = "directives"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120), default="text/plain")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(default=0)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    doc_type: Mapped[str | None] = mapped_column(String(60))
    number_symbol: Mapped[str | None] = mapped_column(String(120), index=True)
    issuer: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(Text)
    issued_date: Mapped[date | None] = mapped_column()
    text: Mapped[str] = deferred(mapped_column(Text, default=""))
    search_text: Mapped[str] = deferred(mapped_column(Text, default=""))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
