"""Crawling as a job: every few minutes the due sources are read (each at its own pace)."""

from __future__ import annotations

from typing import Any

from trienkhai.ingest.service import run_crawl
from trienkhai.jobs.registry import JobContext, Registry
from trienkhai.settings import get_settings

CRAWL = "ingest.crawl"


def crawl(context: JobContext) -> dict[str, Any]:
    """Read the sources that are due, store new items, fetch their pages."""
    summary = run_crawl(engine=context.engine, settings=get_settings())
    return {
        "sources": summary.sources,
        "new_items": summary.new_items,
        "pages_fetched": summary.pages_fetched,
        "pages_failed": summary.pages_failed,
        "requests": summary.requests,
    }


def register(registry: Registry) -> None:
    """The crawl job; periodic unless TRIENKHAI_CRAWL_EVERY_MINUTES is 0."""
    registry.add(CRAWL, crawl)
    minutes = get_settings().crawl_every_minutes
    if minutes > 0:
        registry.every(CRAWL, minutes * 60)
