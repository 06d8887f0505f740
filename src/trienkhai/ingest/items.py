"""The plain item the crawler hands on: one article page of a unit's site, already extracted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Item:
    """An article a unit published: its link, unit, headline, publication time and main text."""

    url: str
    unit_id: int
    title: str
    published_at: datetime
    text: str
    # The canonical URL of the earlier item this one republishes (ingest.dedup), if any.
    republished_from: str | None = None
