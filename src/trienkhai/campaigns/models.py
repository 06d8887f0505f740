"""Campaigns, themes, assignments with their state history, unresolved phrases, files, reminders."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from trienkhai.db import Base, TimestampMixin, utcnow


class CampaignStatus(enum.StrEnum):
    """Lifecycle of a campaign."""

    draft = "draft"
    active = "active"
    closed = "closed"
    archived = "archived"


class AssignmentState(enum.StrEnum):
    """States of an assignment; 'overdue' is derived from the deadline, never stored."""

    assigned = "assigned"
    acknowledged = "acknowledged"
    in_progress = "in_progress"
    reported = "reported"
    verified = "verified"
    cancelled = "cancelled"


class Campaign(TimestampMixin, Base):
    """An information campaign opened from a directive."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    directive_id: Mapped[int | None] = mapped_column(
        ForeignKey("directives.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20), default=CampaignStatus.active.value)
    period_start: Mapped[date | None] = mapped_column()
    period_end: Mapped[date | None] = mapped_column()
    report_deadline: Mapped[date | None] = mapped_column()
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when the campaign is closed: no more outputs, and the final report keeps this number
    # and date (reports read them from here).
    closed_at: Mapped[datetime | None] = mapped_column()
    report_number: Mapped[str] = mapped_column(String(100), default="", server_default="")
    report_date: Mapped[date | None] = mapped_column()
    # A campaign opened as an explicit copy of another one from the same directive.
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL")
    )

    themes: Mapped[list[Theme]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="Theme.position"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )


class Theme(Base):
    """A theme T1..Tn of a campaign, with keywords for matching articles."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("campaign_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)

    campaign: Mapped[Campaign] = relationship(back_populates="themes")


class Assignment(TimestampMixin, Base):
    """What one unit was asked to do in a campaign; one row per (campaign, unit)."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=AssignmentState.assigned.value)
    deadline: Mapped[date | None] = mapped_column()
    # Each task: {"label", "group", "task", "channels", "forms"} as extracted and edited.
    tasks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    forms: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    # Optimistic locking: concurrent transitions must not overwrite each other silently.
    version: Mapped[int] = mapped_column(default=1)

    campaign: Mapped[Campaign] = relationship(back_populates="assignments")
    events: Mapped[list[AssignmentEvent]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", order_by="AssignmentEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own mapping

    @property
    def rework_reason(self) -> str:
        """The reason given when the coordinator last returned the work, while it is pending."""
        if self.state != AssignmentState.in_progress.value:
            return ""
        for event in reversed(self.events):
            if event.kind == "transition" and event.to_state == self.state:
                rework = event.from_state == AssignmentState.reported.value
                return event.note if rework else ""
        return ""


class AssignmentEvent(Base):
    """History row of an assignment transition: who, when, from, to, note."""

    __tablename__ = "assignment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    # "transition" (state change), "deadline", "handover", "created": what the row records.
    kind: Mapped[str] = mapped_column(String(20), default="transition", server_default="transition")
    # For non-state rows: {"from": ..., "to": ...} (dates as ISO text, units by name).
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)

    assignment: Mapped[Assignment] = relationship(back_populates="events")


class CampaignDraft(Base):
    """What the coordinator typed for the campaign on a directive's review, kept between saves."""

    __tablename__ = "campaign_drafts"

    directive_id: Mapped[int] = mapped_column(
        ForeignKey("directives.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(500), default="")
    report_deadline: Mapped[date | None] = mapped_column()


class UnresolvedPhrase(Base):
    """A recipient phrase that matched no unit, kept for the coordinator to resolve or dismiss."""

    __tablename__ = "unresolved_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    phrase: Mapped[str] = mapped_column(String(500))
    origin: Mapped[str] = mapped_column(String(40), default="recipients")
    resolved_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="SET NULL")
    )
    dismissed: Mapped[bool] = mapped_column(default=False)


class CampaignFile(TimestampMixin, Base):
    """An attachment or reference source the letter names, offered to every assigned unit."""

    __tablename__ = "campaign_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="attachment")
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(1000), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(120), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))


class ReminderSent(Base):
    """A reminder that went out; the unique key makes each reminder go once."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("assignment_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # "7d", "3d", "1d", "overdue"
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Claimed (committed) before sending, marked sent after: see docs/reports.md, reminders.
    status: Mapped[str] = mapped_column(String(20), default="sent", server_default="sent")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str] = mapped_column(Text, default="", server_default="")


# The closed-campaign guard listens on every session: registered whenever the tables are known.
from trienkhai.campaigns import guard as _guard  # noqa: E402, F401
