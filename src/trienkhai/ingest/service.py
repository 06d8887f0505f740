"""Sources, items and crawls: every query and rule of output discovery's first half.

The extraction step (trienkhai.ingest.extract) takes its work from `items_to_extract` and hands
its results to `store_extraction`; nothing else writes an item's text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cssselect import GenericTranslator, SelectorError
from sqlalchemy import ColumnElement, Engine, Result, Select, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from trienkhai.db import session_scope, utcnow
from trienkhai.errors import ConflictError, InvalidError, NotFoundError
from trienkhai.ingest.crawl import Crawler, FeedOutcome, PageJob, PageOutcome, SourceJob
from trienkhai.ingest.feeds import FeedEntry
from trienkhai.ingest.fetch import Fetcher, FetchLimits, Validators
from trienkhai.ingest.guard import AddressGuard
from trienkhai.ingest.models import URL_LENGTH, IngestItem, IngestSource, ItemStatus, SourceKind
from trienkhai.ingest.schemas import CrawlSummary, ItemText, SourceRead
from trienkhai.ingest.urls import canonical_url, is_http
from trienkhai.outputs.service import as_aware
from trienkhai.settings import Settings
from trienkhai.text import nfc
from trienkhai.units.models import Unit

ERROR_CHARS = 2000
RETRY_DAYS = 3  # a page that timed out or answered 5xx is asked for again in later crawls
CLAIM_MINUTES = 30  # a worker's hold on a source or an item page, should it die meanwhile
CHUNK = 500
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
# (label, total) -> a function advancing the bar by n; the CLI draws it, jobs pass None.
ProgressFactory = Callable[[str, int], Callable[[int], None]]


# --- sources -------------------------------------------------------------------------------


def check_selector(selector: str) -> str:
    """A CSS selector lxml can use; InvalidError naming it otherwise."""
    try:
        GenericTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise InvalidError(f"Bộ chọn CSS '{selector}' không hợp lệ: {exc}") from exc
    return selector


def add_source(
    *, session: Session, unit_code: str, url: str, kind: str = "auto", selector: str = ""
) -> IngestSource:
    """Register a unit's feed, sitemap or listing page; it is not contacted now."""
    unit = session.scalar(select(Unit).where(Unit.code == unit_code.strip()))
    if unit is None:
        raise NotFoundError(f"Không có đơn vị mã '{unit_code}'")
    url = nfc(url.strip())
    if not is_http(url) or len(url) > URL_LENGTH:
        raise InvalidError(f"Địa chỉ nguồn '{url}' phải là URL http(s) đầy đủ")
    if kind not in SourceKind.__members__:
        raise InvalidError(f"Loại nguồn '{kind}' không hợp lệ ({', '.join(SourceKind)})")
    selector = selector.strip()
    if kind == SourceKind.page and not selector:
        raise InvalidError("Nguồn loại 'page' cần bộ chọn CSS (--selector)")
    if selector:
        check_selector(selector)
    taken = select(IngestSource.id).where(IngestSource.unit_id == unit.id, IngestSource.url == url)
    if session.scalar(taken) is not None:
        raise ConflictError(f"Đơn vị '{unit_code}' đã có nguồn {url}")
    source = IngestSource(
        unit_id=unit.id, url=url, kind=kind, selector=selector, child_validators={}
    )
    session.add(source)
    session.flush()
    return source


def get_source(*, session: Session, source_id: int) -> IngestSource:
    """The source, or NotFoundError."""
    source = session.get(IngestSource, source_id)
    if source is None:
        raise NotFoundError(f"Không có nguồn số {source_id}")
    return source


def set_paused(*, session: Session, source_id: int, paused: bool) -> IngestSource:
    """Pause a source, or resume it with a clean slate (due now, failures forgotten)."""
    source = get_source(session=session, source_id=source_id)
    source.paused = paused
    if not paused:
        source.consecutive_failures = 0
        source.next_due = None
    return source


def to_read(source: IngestSource, unit_code: str) -> SourceRead:
    """A source as its read shape."""
    return SourceRead(
        id=source.id,
        unit=unit_code,
        url=source.url,
        kind=source.kind,
        selector=source.selector,
        feed_url=source.feed_url,
        last_success=_aware(source.last_success),
        last_attempt=_aware(source.last_attempt),
        consecutive_failures=source.consecutive_failures,
        last_error=source.last_error,
        last_note=source.last_note,
        paused=source.paused,
        next_due=_aware(source.next_due),
        poll_minutes=source.poll_minutes,
        items_found=source.items_found,
    )


def list_sources(*, session: Session, unit_code: str | None = None) -> list[SourceRead]:
    """Every source with its health, by unit then id."""
    query = select(IngestSource, Unit.code).join(Unit, Unit.id == IngestSource.unit_id)
    if unit_code:
        query = query.where(Unit.code == unit_code)
    rows = session.execute(query.order_by(Unit.code, IngestSource.id)).all()
    return [to_read(source, code) for source, code in rows]


def _aware(value: datetime | None) -> datetime | None:
    """A stored time as aware UTC (None stays None)."""
    return as_aware(value) if value is not None else None


# --- polling policy ------------------------------------------------------------------------


@dataclass(frozen=True)
class PollPolicy:
    """How often sources are read, how failures slow them, and when they are paused."""

    first_minutes: int = 60
    min_minutes: int = 15
    max_minutes: int = 1440
    pause_after: int = 10

    @classmethod
    def from_settings(cls, settings: Settings) -> PollPolicy:
        """The policy the settings name."""
        return cls(
            first_minutes=settings.crawl_poll_minutes,
            min_minutes=settings.crawl_poll_min_minutes,
            max_minutes=settings.crawl_poll_max_minutes,
            pause_after=settings.crawl_pause_after,
        )

    def clamp(self, minutes: float) -> int:
        """Minutes kept between the shortest and longest interval."""
        return round(min(self.max_minutes, max(self.min_minutes, minutes)))

    def adapt(self, current: int, new_items: int, since_last: timedelta | None) -> int:
        """Next interval: towards the gap between new items, longer when nothing came."""
        if new_items == 0:
            return self.clamp(current * 1.5)
        if since_last is None:  # a first read finds the backlog, not the pace
            return self.clamp(current)
        gap = since_last.total_seconds() / 60 / new_items
        return self.clamp((current + gap) / 2)

    def back_off(self, current: int, failures: int) -> timedelta:
        """Delay after the n-th failure in a row: doubling, capped at the longest interval."""
        return timedelta(minutes=min(self.max_minutes, current * 2 ** min(failures, 20)))


# --- crawl state in and out ----------------------------------------------------------------


def due_jobs(
    *,
    session: Session,
    now: datetime,
    everything: bool = False,
    include_paused: bool = False,
    limit: int | None = None,
) -> list[SourceJob]:
    """Snapshots of the sources to read: the due ones (at most `limit`, the longest waiting
    first, each claimed), or every one (`crawl --once`)."""
    if everything:
        query = select(IngestSource).order_by(IngestSource.id)
        if not include_paused:
            query = query.where(IngestSource.paused.is_(False))
        return [_job(s) for s in session.scalars(query)]
    claimed: list[IngestSource] = []
    query = _due_query(now, include_paused)
    if limit is not None:
        query = query.limit(limit * 2)  # room for sources another worker claims meanwhile
    for source in session.scalars(query):
        if limit is not None and len(claimed) >= limit:
            break
        if _claim_source(session, source, now):
            claimed.append(source)
    return [_job(s) for s in claimed]


def _due_query(now: datetime, include_paused: bool = False) -> Select[IngestSource]:
    """The sources due now, the longest waiting first (never read ones before all)."""
    query = select(IngestSource).where(
        or_(IngestSource.next_due.is_(None), IngestSource.next_due <= now)
    )
    if not include_paused:
        query = query.where(IngestSource.paused.is_(False))
    return query.order_by(
        IngestSource.next_due.is_not(None), IngestSource.next_due, IngestSource.id
    )


def count_due(*, session: Session, now: datetime) -> int:
    """How many unpaused sources are due now (a crawl job spreads them over workers)."""
    query = _due_query(now).with_only_columns(func.count(IngestSource.id)).order_by(None)
    return int(session.scalar(query) or 0)


def seconds_until_due(*, session: Session, now: datetime, longest: float = 900.0) -> float:
    """How long a scheduler may sleep before a source falls due (0 when one is due now)."""
    query = select(IngestSource.next_due).where(IngestSource.paused.is_(False))
    waits = [
        0.0 if d is None else (as_aware(d) - now).total_seconds() for d in session.scalars(query)
    ]
    return max(0.0, min([longest, *waits]))


def _claim_source(session: Session, source: IngestSource, now: datetime) -> bool:
    """Push the source's next_due ahead unless another worker did first (it is ours to read)."""
    seen = (
        IngestSource.next_due.is_(None)
        if source.next_due is None
        else IngestSource.next_due == source.next_due
    )
    claim = (
        update(IngestSource)
        .where(IngestSource.id == source.id, seen)
        .values(next_due=now + timedelta(minutes=CLAIM_MINUTES))
        .execution_options(synchronize_session=False)
    )
    return _changed(session.execute(claim)) == 1


def _job(source: IngestSource) -> SourceJob:
    """One source as the crawler sees it."""
    children = {u: Validators(v[0], v[1]) for u, v in (source.child_validators or {}).items()}
    return SourceJob(
        id=source.id,
        url=source.url,
        kind=source.kind,
        selector=source.selector,
        feed_url=source.feed_url,
        feed_kind=source.feed_kind,
        validators=Validators(source.etag, source.last_modified),
        child_validators=children,
    )


def record_outcome(
    *, session: Session, outcome: FeedOutcome, now: datetime, policy: PollPolicy
) -> int:
    """Store a source's new items and its health; returns how many items were new."""
    source = get_source(session=session, source_id=outcome.source_id)
    source.last_attempt = now
    if outcome.error is not None:
        _failure(source, outcome, now, policy)
        return 0
    new = store_entries(session=session, source=source, entries=outcome.entries, now=now)
    since = now - as_aware(source.last_success) if source.last_success else None
    source.poll_minutes = policy.adapt(source.poll_minutes, len(new), since)
    source.last_success = now
    source.consecutive_failures = 0
    source.last_error = None
    if not outcome.not_modified:
        source.last_note = "; ".join(outcome.notes)[:ERROR_CHARS] or None
    source.next_due = now + timedelta(minutes=source.poll_minutes)
    source.feed_url = outcome.feed_url if source.kind == SourceKind.auto else source.feed_url
    source.feed_kind = outcome.feed_kind
    if not outcome.not_modified:
        source.etag = outcome.validators.etag
        source.last_modified = outcome.validators.last_modified
    source.child_validators = {
        u: [v.etag, v.last_modified] for u, v in outcome.child_validators.items()
    }
    source.items_found += len(new)
    return len(new)


def _failure(source: IngestSource, outcome: FeedOutcome, now: datetime, policy: PollPolicy) -> None:
    """Record a failed read: slowed down, paused after too many in a row."""
    source.consecutive_failures += 1
    source.last_error = (outcome.error or "")[:ERROR_CHARS]
    delay = policy.back_off(source.poll_minutes, source.consecutive_failures)
    if outcome.wait_s:
        delay = max(delay, timedelta(seconds=outcome.wait_s))
    source.next_due = now + delay
    if source.consecutive_failures >= policy.pause_after:
        source.paused = True


def store_entries(
    *, session: Session, source: IngestSource, entries: Sequence[FeedEntry], now: datetime
) -> list[IngestItem]:
    """Items for the entries not stored yet for the unit (by canonical URL); never twice."""
    fresh: dict[str, FeedEntry] = {}
    for entry in entries:
        key = canonical_url(entry.url)[:URL_LENGTH]
        fresh.setdefault(key, entry)
    for chunk in _chunks(list(fresh), CHUNK):
        known = select(IngestItem.canonical_url).where(
            IngestItem.unit_id == source.unit_id, IngestItem.canonical_url.in_(chunk)
        )
        for key in session.scalars(known):
            fresh.pop(key, None)
    items = [_item(source, key, entry, now) for key, entry in fresh.items()]
    try:
        with session.begin_nested():
            session.add_all(items)
    except IntegrityError:  # another worker stored some of them meanwhile: one at a time
        items = [item for item in items if _insert_one(session, item)]
    return items


def _insert_one(session: Session, item: IngestItem) -> bool:
    """Insert one item unless its URL is stored already (by a concurrent crawl)."""
    fresh = IngestItem(
        **{c: getattr(item, c) for c in ("source_id", "unit_id", "url", "canonical_url")},
        title=item.title,
        published_at=item.published_at,
        summary=item.summary,
        status=item.status,
        first_seen=item.first_seen,
    )
    try:
        with session.begin_nested():
            session.add(fresh)
    except IntegrityError:
        return False
    return True


def _item(source: IngestSource, key: str, entry: FeedEntry, now: datetime) -> IngestItem:
    """A new item row for a feed entry."""
    return IngestItem(
        source_id=source.id,
        unit_id=source.unit_id,
        url=entry.url[:URL_LENGTH],
        canonical_url=key,
        title=nfc(entry.title),
        published_at=entry.published_at,
        summary=nfc(entry.summary),
        status=ItemStatus.new.value,
        first_seen=now,
    )


def _chunks(values: list[str], size: int) -> Iterable[list[str]]:
    """The list in slices of at most `size`."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def page_jobs(
    *, session: Session, source_ids: Sequence[int], per_source: int, now: datetime
) -> list[PageJob]:
    """Claim items still waiting for their page, at most `per_source` per source, oldest first.

    A claim (status `fetching`) keeps another worker from fetching the same page; a claim older
    than CLAIM_MINUTES (its worker died) may be taken again.
    """
    jobs: list[PageJob] = []
    waiting = _waiting(now)
    for source_id in source_ids:
        query = (
            select(IngestItem.id, IngestItem.url)
            .where(IngestItem.source_id == source_id, waiting)
            .order_by(IngestItem.id)
            .limit(per_source)
        )
        rows = list(session.execute(query))
        jobs += [PageJob(item_id=i, url=u) for i, u in rows if _claim_item(session, i, now)]
    return jobs


def _waiting(now: datetime) -> ColumnElement[bool]:
    """Items whose page nobody fetches: new, or claimed by a worker that never finished."""
    stale = now - timedelta(minutes=CLAIM_MINUTES)
    return or_(
        IngestItem.status == ItemStatus.new.value,
        and_(IngestItem.status == ItemStatus.fetching.value, IngestItem.fetched_at < stale),
    )


def _claim_item(session: Session, item_id: int, now: datetime) -> bool:
    """Mark the item as being fetched unless another worker did first."""
    claim = (
        update(IngestItem)
        .where(IngestItem.id == item_id, _waiting(now))
        .values(status=ItemStatus.fetching.value, fetched_at=now)
        .execution_options(synchronize_session=False)
    )
    return _changed(session.execute(claim)) == 1


def _changed(result: Result[Any]) -> int:
    """Rows an UPDATE changed."""
    return int(getattr(result, "rowcount", 0))


def record_page(*, session: Session, outcome: PageOutcome, now: datetime) -> bool:
    """Store an item page's answer; True when its HTML was kept."""
    item = session.get(IngestItem, outcome.item_id)
    if item is None:
        return False
    result = outcome.result
    item.fetched_at = now
    item.http_status = result.status
    item.final_url = result.final_url[:URL_LENGTH]
    item.content_type = result.content_type[:200] or None
    if result.retry_later and now - as_aware(item.first_seen) < timedelta(days=RETRY_DAYS):
        item.status, item.fetch_error = ItemStatus.new.value, result.problem()[:ERROR_CHARS]
    elif result.robots_blocked:
        item.status, item.fetch_error = ItemStatus.blocked.value, result.problem()
    elif not result.ok:
        item.status, item.fetch_error = ItemStatus.failed.value, result.problem()[:ERROR_CHARS]
    elif result.content_type not in HTML_TYPES:
        item.status = ItemStatus.failed.value
        item.fetch_error = f"Không phải trang HTML ({result.content_type})"
    else:
        item.status, item.fetch_error = ItemStatus.fetched.value, None
        item.html = nfc(result.text())
        return True
    return False


# --- the extraction step's door --------------------------------------------------------------


def items_to_extract(
    *, session: Session, limit: int = 100, unit_id: int | None = None
) -> list[IngestItem]:
    """Items whose page is fetched and not yet extracted, oldest first, HTML loaded."""
    query = (
        select(IngestItem)
        .options(undefer(IngestItem.html))
        .where(IngestItem.status == ItemStatus.fetched.value)
        .order_by(IngestItem.id)
        .limit(limit)
    )
    if unit_id is not None:
        query = query.where(IngestItem.unit_id == unit_id)
    return list(session.scalars(query))


def store_extraction(*, session: Session, item_id: int, found: ItemText) -> IngestItem:
    """Record what extraction found on the item's page; the feed's title stays unless empty."""
    item = session.get(IngestItem, item_id)
    if item is None:
        raise NotFoundError(f"Không có mục số {item_id}")
    item.text = nfc(found.text)
    if found.title and not item.title:
        item.title = nfc(found.title)
    if found.published_at is not None and item.published_at is None:
        item.published_at = found.published_at
    item.author = nfc(found.author)[:300] if found.author else item.author
    item.content_hash = found.content_hash
    item.status = ItemStatus.extracted.value
    item.extracted_at = utcnow()
    return item


# --- one crawl -----------------------------------------------------------------------------


def run_crawl(
    *,
    engine: Engine,
    settings: Settings,
    everything: bool = False,
    include_paused: bool = False,
    now: datetime | None = None,
    progress: ProgressFactory | None = None,
    limit: int | None = None,
) -> CrawlSummary:
    """Read every due source (at most `limit`; or all), store new items, fetch their pages,
    record health."""
    return asyncio.run(
        crawl_async(
            engine=engine,
            settings=settings,
            everything=everything,
            include_paused=include_paused,
            limit=limit,
            now=now or utcnow(),
            progress=progress,
        )
    )


async def crawl_async(
    *,
    engine: Engine,
    settings: Settings,
    everything: bool = False,
    include_paused: bool = False,
    now: datetime | None = None,
    progress: ProgressFactory | None = None,
    limit: int | None = None,
) -> CrawlSummary:
    """run_crawl for callers already in an event loop (async job workers)."""
    now = now or utcnow()
    policy = PollPolicy.from_settings(settings)
    summary = CrawlSummary()
    guard = AddressGuard.from_text(settings.crawl_allow_networks)  # a wrong CIDR stops us here
    with session_scope(engine) as session:
        jobs = due_jobs(
            session=session,
            now=now,
            everything=everything,
            include_paused=include_paused,
            limit=limit,
        )
    summary.sources = len(jobs)
    async with Fetcher(guard=guard, limits=FetchLimits.from_settings(settings)) as fetcher:
        crawler = Crawler(
            fetcher=fetcher,
            now=now,
            zone=ZoneInfo(settings.timezone),
            concurrency=settings.crawl_concurrency,
        )
        bar = progress("Nguồn", len(jobs)) if progress else None
        outcomes = await crawler.read_sources(jobs, bar)
        with session_scope(engine) as session:
            _record_sources(session, outcomes, now, policy, summary)
            pages = page_jobs(
                session=session,
                now=now,
                source_ids=[o.source_id for o in outcomes],
                per_source=settings.crawl_max_articles if settings.crawl_fetch_articles else 0,
            )
        bar = progress("Trang", len(pages)) if progress and pages else None
        fetched = await crawler.fetch_pages(pages, bar)
        with session_scope(engine) as session:
            for page in fetched:
                kept = record_page(session=session, outcome=page, now=now)
                summary.pages_fetched += kept
                summary.pages_failed += not kept
        summary.requests = fetcher.requests
    return summary


def _record_sources(
    session: Session,
    outcomes: Sequence[FeedOutcome],
    now: datetime,
    policy: PollPolicy,
    summary: CrawlSummary,
) -> None:
    """Record every source's outcome and count them."""
    for outcome in outcomes:
        summary.new_items += record_outcome(
            session=session, outcome=outcome, now=now, policy=policy
        )
        if outcome.error is not None:
            summary.failed += 1
        elif outcome.not_modified:
            summary.not_modified += 1
        else:
            summary.succeeded += 1
    session.flush()
    summary.paused = len(list(session.scalars(select(IngestSource.id).where(IngestSource.paused))))
