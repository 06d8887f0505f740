"""Sources a unit publishes through (feeds, sitemaps, listing pages) and the items found on them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from trienkhai.db import Base, TimestampMixin, utcnow

URL_LENGTH = 2000


class SourceKind(enum.StrEnum):
    """What a source's URL serves; `auto` is sniffed (and a home page searched) at crawl time."""

    auto = "auto"
    rss = "rss"
    atom = "atom"
    jsonfeed = "jsonfeed"
    sitemap = "sitemap"
    page = "page"


class ItemStatus(enum.StrEnum):
    """Where an item's page stands: listed, being fetched, fetched, refused, failed, read or not."""

    new = "new"
    fetching = "fetching"  # claimed by a worker (fetched_at is the claim's time)
    fetched = "fetched"
    blocked = "blocked"
    failed = "failed"
    extracted = "extracted"
    unreadable = "unreadable"  # fetched, but extraction failed or found no text (fetch_error)


class IngestSource(TimestampMixin, Base):
    """One feed, sitemap or listing page of a unit, with its conditional-GET state and health."""

    __tablename__ = "ingest_sources"
    __table_args__ = (UniqueConstraint("unit_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    kind: Mapped[str] = mapped_column(String(20), default=SourceKind.auto.value)
    selector: Mapped[str] = mapped_column(String(500), default="")
    # For `auto`: the feed the URL turned out to be, or the one found from the home page.
    feed_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    feed_kind: Mapped[str | None] = mapped_column(String(20))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    # Conditional-GET state of a sitemap index's child sitemaps: {url: [etag, last_modified]}.
    child_validators: Mapped[dict[str, list[str | None]]] = mapped_column(JSON, default=dict)
    last_success: Mapped[datetime | None] = mapped_column()
    last_attempt: Mapped[datetime | None] = mapped_column()
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # What the last successful read distrusted or skipped (lying dates, a broken child sitemap).
    last_note: Mapped[str | None] = mapped_column(Text)
    paused: Mapped[bool] = mapped_column(default=False)
    next_due: Mapped[datetime | None] = mapped_column(index=True)
    poll_minutes: Mapped[int] = mapped_column(default=60)
    items_found: Mapped[int] = mapped_column(default=0)


class IngestItem(Base):
    """One published item seen on a source; its page and text are filled in later steps."""

    __tablename__ = "ingest_items"
    __table_args__ = (
        UniqueConstraint("unit_id", "canonical_url"),
        Index("ix_ingest_items_status_unit", "status", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingest_sources.id", ondelete="SET NULL"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    canonical_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    title: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.new.value)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    fetched_at: Mapped[datetime | None] = mapped_column()
    http_status: Mapped[int | None] = mapped_column()
    final_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    fetch_error: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(200))
    # The page as fetched, loaded only when asked for: lists of items never carry it.
    html: Mapped[str | None] = deferred(mapped_column(Text))
    # Filled by extraction (trienkhai.ingest.service.store_extraction).
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    text: Mapped[str | None] = deferred(mapped_column(Text))
    author: Mapped[str | None] = mapped_column(String(300))
    extracted_at: Mapped[datetime | None] = mapped_column()
    # The earlier item this one republishes (another unit's) or repeats (its own), found by
    # dedup on the extracted text (trienkhai.ingest.pipeline).
    original_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingest_items.id", ondelete="SET NULL"), index=True
    )
