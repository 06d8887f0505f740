"""Tables of the reports feature: the coordinators' daily digest, sent once per day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trienkhai.db import Base, utcnow


class DigestSent(Base):
    """A coordinator's digest for one day; the unique key makes it go once (claim, then send)."""

    __tablename__ = "digests_sent"
    __table_args__ = (UniqueConstraint("day", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="claimed")
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")


class ReportSettings(Base):
    """What the office set for a campaign's report: its number and its Nơi nhận lines."""

    __tablename__ = "report_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), unique=True
    )
    number: Mapped[str] = mapped_column(String(20), default="")  # blank: a draft
    noi_nhan: Mapped[str] = mapped_column(Text, default="")  # one line each; blank: the default
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
