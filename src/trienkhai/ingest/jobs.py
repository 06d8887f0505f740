"""Output discovery as jobs: the crawl and its chain every few minutes, and the link check."""

from __future__ import annotations

from typing import Any

from trienkhai.campaigns import service as campaigns
from trienkhai.db import utcnow
from trienkhai.ingest.match import open_campaigns
from trienkhai.ingest.pipeline import process_items
from trienkhai.ingest.schemas import PipelineSummary
from trienkhai.ingest.service import count_due, run_crawl
from trienkhai.ingest.verify import verify_outputs
from trienkhai.jobs.registry import JobContext, Registry
from trienkhai.settings import get_settings

CRAWL = "ingest.crawl"
VERIFY = "ingest.verify"
# The periodic re-check has its own kind: a coordinator's check of one campaign must not count
# as the daily run of all of them (a periodic kind waits out its period after any job of it).
VERIFY_ACTIVE = "ingest.verify_active"


def crawl(context: JobContext) -> dict[str, Any]:
    """Read the sources that are due, fetch the new pages, then extract, dedup and match them."""
    settings = get_settings()
    batch = max(1, settings.crawl_batch_sources)
    spawned = _share_out(context, batch)
    context.progress(0.05, "Đang đọc các nguồn")
    summary = run_crawl(engine=context.engine, settings=settings, limit=batch)
    context.progress(0.5, "Đang trích xuất và đối chiếu các bài")

    def report(done: PipelineSummary) -> None:
        context.progress(0.5, f"Đã trích xuất {done.extracted} bài")

    found = process_items(engine=context.engine, settings=settings, report=report)
    return {
        "sources": summary.sources,
        "new_items": summary.new_items,
        "pages_fetched": summary.pages_fetched,
        "pages_failed": summary.pages_failed,
        "requests": summary.requests,
        "spawned": spawned,
        **found.model_dump(),
    }


def _share_out(context: JobContext, batch: int) -> int | None:
    """When more sources are due than one job claims, start another crawl job first, so an
    idle worker reads the next share while this one reads its own; the new job's id."""
    if context.spawn is None:
        return None
    with context.sessions() as session:
        due = count_due(session=session, now=utcnow())
    if due <= batch:
        return None
    return context.spawn(CRAWL, {"share": True})


def verify_args(campaign_id: int | None = None) -> dict[str, Any]:
    """The arguments of a link-check job: one campaign, or (None) every active campaign."""
    return {} if campaign_id is None else {"campaign_id": campaign_id}


def verify(context: JobContext) -> dict[str, Any]:
    """Check the reported links of one campaign, or of every active campaign (no campaign_id)."""
    campaign_id = context.args.get("campaign_id")
    with context.sessions() as session:
        if campaign_id is not None:
            ids = [campaigns.require(session=session, campaign_id=int(campaign_id)).id]
        else:
            ids = [c.id for c in open_campaigns(session=session)]
    context.progress(0.0, "Đang kiểm tra các đường dẫn")
    counts = verify_outputs(sessions=context.sessions, campaign_ids=ids, progress=context.progress)
    return {"campaigns": len(ids), **counts}


def register(registry: Registry) -> None:
    """The crawl and link-check jobs; each periodic unless its setting is 0."""
    settings = get_settings()
    registry.add(CRAWL, crawl)
    registry.add(VERIFY, verify)
    registry.add(VERIFY_ACTIVE, verify)
    if settings.crawl_every_minutes > 0:
        registry.every(CRAWL, settings.crawl_every_minutes * 60)
    if settings.verify_every_hours > 0:
        registry.every(VERIFY_ACTIVE, settings.verify_every_hours * 3600)
