"""Publication records (outputs), their themes and evidence files."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    deferred,
    mapped_column,
    relationship,
    with_loader_criteria,
)

from trienkhai.campaigns.models import Theme
from trienkhai.db import Base, TimestampMixin


class OutputSource(enum.StrEnum):
    """Who recorded the output."""

    reported = "reported"
    discovered = "discovered"


class Verification(enum.StrEnum):
    """Verification state of an output."""

    unverified = "unverified"
    verified = "verified"
    not_found = "not_found"
    rejected = "rejected"
    # Set by the link check (trienkhai verify): redirected elsewhere on the same site, and gone
    # after an earlier check had verified (and archived) the page.
    moved = "moved"
    removed = "removed"


output_themes = Table(
    "output_themes",
    Base.metadata,
    Column("output_id", ForeignKey("outputs.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_output_themes_theme_id", "theme_id"),  # migration 0016
)


class Output(TimestampMixin, Base):
    """Something a unit published for a campaign: article, broadcast, post, loudspeaker bulletin."""

    __tablename__ = "outputs"
    # Natural key: unit + canonical URL, or unit + channel + title + date, hashed into dedup_key.
    __table_args__ = (
        UniqueConstraint("campaign_id", "unit_id", "dedup_key"),
        # Covering index of the board's GROUP BYs, live outputs only (migration 0016).
        Index(
            "ix_outputs_campaign_board",
            "campaign_id", "unit_id", "channel", "verification", "published_at",
            postgresql_include=["id"],
            postgresql_where=text("removed_at IS NULL"),
            sqlite_where=text("removed_at IS NULL"),
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(1000))
    # Diacritic-folded title, so "nhan quyen" finds "Nhân quyền" in SQL on both databases.
    title_folded: Mapped[str] = mapped_column(String(1000), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    canonical_url: Mapped[str] = mapped_column(String(2000), default="")
    channel: Mapped[str] = mapped_column(String(40), index=True)
    form: Mapped[str] = mapped_column(String(40), default="")
    published_at: Mapped[datetime] = mapped_column(index=True)
    duration_seconds: Mapped[int | None] = mapped_column()
    reach: Mapped[int | None] = mapped_column()
    source: Mapped[str] = mapped_column(String(20), default=OutputSource.reported.value)
    verification: Mapped[str] = mapped_column(String(20), default=Verification.unverified.value)
    dedup_key: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Removal is reversible: a removed output stays (for the audit and a restore) but leaves
    # every list, count and report through the global criteria in outputs/live.py.
    removed_at: Mapped[datetime | None] = mapped_column(index=True)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    removed_reason: Mapped[str] = mapped_column(Text, default="")
    # A copy of another unit's item: the original's URL (it counts for this unit as a share).
    republished_from: Mapped[str | None] = mapped_column(String(2000))
    # The link check: when a check last ran, and when one last found the page there.
    checked_at: Mapped[datetime | None] = mapped_column()
    verified_at: Mapped[datetime | None] = mapped_column()
    # When a unit editor or coordinator confirmed a discovered output as the unit's own: the
    # ledger's "published, not reported, confirmed" (the answer is audited too).
    confirmed_at: Mapped[datetime | None] = mapped_column()

    themes: Mapped[list[Theme]] = relationship(secondary=output_themes, lazy="selectin")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="output", cascade="all, delete-orphan"
    )


class Evidence(TimestampMixin, Base):
    """A screenshot or PDF proving an output on a channel without a link (loudspeakers, radio)."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    output_id: Mapped[int] = mapped_column(ForeignKey("outputs.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(default=0)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))

    output: Mapped[Output] = relationship(back_populates="evidence")


# Execution option that lets a query see removed outputs (restore, the natural-key look-up).
INCLUDE_REMOVED = "include_removed"


def _live(cls: type[Output]) -> ColumnElement[bool]:
    """The criterion of an output that was not removed."""
    return cls.removed_at.is_(None)


@event.listens_for(Session, "do_orm_execute")
def _hide_removed(state: ORMExecuteState) -> None:
    """Every ORM SELECT over outputs skips removed ones, unless it asks for them.

    Why one global criterion instead of a filter in each query: counts, the board, the
    dashboard, the report, exports and search are written by several features; a removed
    output must leave all of them, including queries written later (SQLAlchemy's documented
    soft-delete recipe, applied to joins and subqueries too).
    """
    if (
        state.is_select
        and not state.is_column_load
        and not state.is_relationship_load
        and not state.execution_options.get(INCLUDE_REMOVED, False)
    ):
        state.statement = state.statement.options(
            with_loader_criteria(Output, _live, include_aliases=True)
        )
