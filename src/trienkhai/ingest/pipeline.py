"""After a crawl: extract the fetched pages, find copies across units, match them to campaigns.

The chain of output discovery in production, batch by batch (one transaction each, so a batch
is done whole or not at all): `items_to_extract` → `extract` → `store_extraction` (NFC text,
content hash) → `DedupIndex` against the items of every unit stored within a bounded window
(rebuilt from the database at the start of each run, so a restart loses nothing) →
`original_item_id` on a copy → `match_items`, which stores a republished copy as the sharing
unit's output with `republished_from`, never as a second original. A page the extractor cannot
read is marked `unreadable` with the reason; the rest of its batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from trienkhai.db import session_scope, utcnow
from trienkhai.ingest import service
from trienkhai.ingest.dedup import DedupIndex, Verdict, canonical, content_hash
from trienkhai.ingest.extract import Extracted, extract
from trienkhai.ingest.items import Item
from trienkhai.ingest.match import MatchState, match_items, open_campaigns
from trienkhai.ingest.models import IngestItem, ItemStatus
from trienkhai.ingest.schemas import ItemText, PipelineSummary
from trienkhai.locks import try_exclusive
from trienkhai.outputs.models import INCLUDE_REMOVED, Output
from trienkhai.outputs.service import as_aware, to_utc
from trienkhai.settings import Settings

MAX_WINDOW_DAYS = 366  # an open campaign's period widens the window, never past a year
ERROR_CHARS = 2000
CHAIN_LOCK = "ingest.chain"
# Called after each batch with the running totals (the job's progress message).
BatchReport = Callable[[PipelineSummary], None]


@dataclass
class Run:
    """One run's memory: the dedup index, and which stored item each indexed URL is."""

    index: DedupIndex = field(default_factory=DedupIndex)
    ids: dict[str, int] = field(default_factory=dict)  # canonical URL → item id
    urls: dict[int, tuple[str, int]] = field(default_factory=dict)  # item id → (URL, unit id)
    state: MatchState = field(default_factory=MatchState)

    def remember(self, item_id: int, item: Item) -> None:
        """Note which item holds the URL (the first one, as the index keeps it)."""
        self.ids.setdefault(canonical(item.url), item_id)
        self.urls[item_id] = (item.url, item.unit_id)


def window_start(*, session: Session, now: datetime, days: int) -> datetime:
    """The oldest publication time compared: `days` back, or an open campaign's start."""
    since = now - timedelta(days=days)
    starts = [c.period_start for c in open_campaigns(session=session) if c.period_start]
    if starts:
        since = min(since, to_utc(min(starts)))
    return max(since, now - timedelta(days=MAX_WINDOW_DAYS))


def _when(row: IngestItem) -> datetime:
    """An item's time for dedup and matching: its publication, else when it was first seen."""
    return as_aware(row.published_at or row.first_seen)


def rebuild(*, session: Session, since: datetime, chunk: int = 500) -> Run:
    """A run whose index holds every unit's extracted items since `since`, oldest first."""
    run = Run()
    when = func.coalesce(IngestItem.published_at, IngestItem.first_seen)
    query = (
        select(IngestItem.id, IngestItem.unit_id, IngestItem.url, IngestItem.title,
               IngestItem.published_at, IngestItem.first_seen, IngestItem.text)
        .where(IngestItem.status == ItemStatus.extracted.value, when >= since)
        .order_by(when, IngestItem.id)
        .execution_options(yield_per=chunk)
    )  # fmt: skip
    for item_id, unit_id, url, title, published, seen, text in session.execute(query):
        item = Item(url, unit_id, title, as_aware(published or seen), text or "")
        run.index.add(item)
        run.remember(item_id, item)
    return run


def read_page(row: IngestItem) -> Extracted | str:
    """What extraction finds on an item's page, or why it found nothing."""
    try:
        found = extract(row.html or "", url=row.final_url or row.url)
    except Exception as exc:  # a page that breaks the extractor must not stop its batch
        return f"Không trích xuất được nội dung: {type(exc).__name__}: {exc}"
    if not found.text.strip():
        return "Không tìm thấy nội dung bài trên trang"
    return found


def _store(session: Session, row: IngestItem, found: Extracted) -> Item:
    """Store the extraction on the item; the plain item the later steps take."""
    published = to_utc(found.published_at) if found.published_at else None
    text = ItemText(text=found.text, title=found.title, published_at=published,
                    author=found.author or None, content_hash=content_hash(found.text))  # fmt: skip
    service.store_extraction(session=session, item_id=row.id, found=text)
    return Item(row.url, row.unit_id, row.title, _when(row), row.text or "")


def _unreadable(row: IngestItem, reason: str) -> None:
    """Mark an item whose page gave no text, with the reason."""
    row.status = ItemStatus.unreadable.value
    row.fetch_error = reason[:ERROR_CHARS]
    row.extracted_at = utcnow()


def _link(session: Session, run: Run, row: IngestItem, item: Item, verdict: Verdict) -> Item | None:
    """Record what dedup found; the item to match (None: the unit's own repeat, not matched)."""
    run.remember(row.id, item)  # copies too: an original crawled later relinks them by URL
    if verdict.kind == "original":
        if verdict.copies:
            _relink(session, run, row.id, item.url, verdict.copies)
        return item
    original_id = run.ids.get(verdict.original or verdict.url)
    if original_id is None or original_id == row.id:
        return item
    row.original_item_id = original_id
    original_url, original_unit = run.urls[original_id]
    if original_unit == item.unit_id:
        return None
    return Item(**{**item.__dict__, "republished_from": original_url})


def _relink(session: Session, run: Run, item_id: int, url: str, copies: Iterable[str]) -> None:
    """An original crawled after its copies: the copies (and their outputs) now point at it."""
    copy_ids = [run.ids[c] for c in copies if c in run.ids and run.ids[c] != item_id]
    if not copy_ids:
        return
    session.execute(
        update(IngestItem).where(IngestItem.id.in_(copy_ids)).values(original_item_id=item_id)
    )
    copy_urls = [run.urls[i][0] for i in copy_ids]
    session.execute(
        update(Output)
        .where(Output.url.in_(copy_urls))
        .values(republished_from=url)
        .execution_options(synchronize_session=False, **{INCLUDE_REMOVED: True})
    )


def process_batch(*, session: Session, run: Run, limit: int, summary: PipelineSummary) -> int:
    """Extract, dedup and match one batch of fetched items; how many items it took."""
    rows = service.items_to_extract(session=session, limit=limit)
    to_match: list[Item] = []
    for row in rows:
        found = read_page(row)
        if isinstance(found, str):
            _unreadable(row, found)
            summary.unreadable += 1
            continue
        item = _store(session, row, found)
        summary.extracted += 1
        verdict = run.index.add(item)
        matched = _link(session, run, row, item, verdict)
        summary.duplicates += matched is None
        summary.republished += matched is not None and matched.republished_from is not None
        if matched is not None:
            to_match.append(matched)
    if to_match:
        result = match_items(session=session, items=to_match, state=run.state)
        summary.discovered += len(result.created)
        summary.merged += len(result.merged)
    return len(rows)


def process_items(
    *,
    engine: Engine,
    settings: Settings,
    now: datetime | None = None,
    report: BatchReport | None = None,
) -> PipelineSummary:
    """Take every fetched item through extraction, dedup and matching, a batch at a time.

    One process runs the chain at a time (a named lock across workers and machines): two at
    once would extract the same batch twice, and neither dedup index would see the other's
    new items, so a copy could pass for an original. A run that finds the lock held returns
    at once (`busy`); the holder goes on until no fetched item is left, and looks once more
    after letting go, so items a busy run fetched meanwhile are never left for the next crawl.
    """
    summary = PipelineSummary(busy=True)
    while True:
        with try_exclusive(engine, CHAIN_LOCK) as held:
            if not held:
                return summary
            summary.busy = False
            _process_all(engine=engine, settings=settings, now=now, report=report, summary=summary)
        if not _fetched_waiting(engine):
            return summary


def _fetched_waiting(engine: Engine) -> bool:
    """Whether any fetched item waits for the chain."""
    with session_scope(engine) as session:
        return bool(service.items_to_extract(session=session, limit=1))


def _process_all(
    *,
    engine: Engine,
    settings: Settings,
    now: datetime | None,
    report: BatchReport | None,
    summary: PipelineSummary,
) -> PipelineSummary:
    """process_items under the lock, adding to `summary`."""
    batch = max(1, settings.pipeline_batch)
    if not _fetched_waiting(engine):
        return summary  # nothing fetched: the index is not rebuilt for nothing
    with session_scope(engine) as session:
        since = window_start(session=session, now=now or utcnow(), days=settings.dedup_window_days)
        run = rebuild(session=session, since=since)
    summary.compared = max(summary.compared, len(run.index))
    while True:
        with session_scope(engine) as session:
            taken = process_batch(session=session, run=run, limit=batch, summary=summary)
        if report is not None and taken:
            report(summary)
        if taken < batch:
            return summary
