"""Shapes of sources and items for the CLI, the admin page and the API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class SourceRead(BaseModel):
    """A source with its health, as `trienkhai sources list --json` prints it."""

    id: int
    unit: str
    url: str
    kind: str
    selector: str
    feed_url: str | None
    last_success: datetime | None
    last_attempt: datetime | None
    consecutive_failures: int
    last_error: str | None
    last_note: str | None
    paused: bool
    next_due: datetime | None
    poll_minutes: int
    items_found: int


class ItemText(BaseModel):
    """What extraction found on an item's page (trienkhai.ingest.service.store_extraction)."""

    text: str
    title: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    content_hash: str | None = None


class CrawlSummary(BaseModel):
    """What one crawl did, for the CLI's last line and the jobs' log."""

    sources: int = 0
    succeeded: int = 0
    not_modified: int = 0
    failed: int = 0
    paused: int = 0
    new_items: int = 0
    pages_fetched: int = 0
    pages_failed: int = 0
    requests: int = 0


class PipelineSummary(BaseModel):
    """What the chain after a crawl did: extraction, dedup across units, matching."""

    extracted: int = 0
    unreadable: int = 0  # pages the extractor could not read (marked, with the reason)
    compared: int = 0  # stored items the new ones were compared with (the dedup window)
    duplicates: int = 0  # a unit's own earlier item under another URL: not matched again
    republished: int = 0  # copies of another unit's earlier item
    discovered: int = 0  # new outputs in active campaigns
    merged: int = 0  # items merged into outputs already stored (reported ones included)
    busy: bool = False  # another process was running the chain: this one left the items to it
