"""One crawl, without the database: read each source's feed, then fetch the new items' pages.

The service hands in plain snapshots of the sources (SourceJob) and gets outcomes back, so this
module holds no state beyond the Crawler object of one run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import TypeVar

from trienkhai.ingest.discover import candidates
from trienkhai.ingest.feeds import Document, FeedEntry, FeedError, ParsedFeed, looks_like_html
from trienkhai.ingest.feeds import parse_feed as read_feed
from trienkhai.ingest.fetch import Fetcher, FetchResult, Validators, retry_after

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int], None]
MAX_CHILD_SITEMAPS = 50
GONE = frozenset({404, 410})


@dataclass(frozen=True)
class SourceJob:
    """What one crawl needs to know of a source."""

    id: int
    url: str
    kind: str
    selector: str = ""
    feed_url: str | None = None
    feed_kind: str | None = None
    validators: Validators = field(default_factory=Validators)
    child_validators: dict[str, Validators] = field(default_factory=dict)


@dataclass
class FeedOutcome:
    """What reading one source gave: its entries and new validators, or its failure."""

    source_id: int
    error: str | None = None
    not_modified: bool = False
    entries: list[FeedEntry] = field(default_factory=list)
    feed_url: str | None = None
    feed_kind: str | None = None
    validators: Validators = field(default_factory=Validators)
    child_validators: dict[str, Validators] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    wait_s: float | None = None  # Retry-After the source asked for


@dataclass(frozen=True)
class PageJob:
    """An item whose page is to be fetched."""

    item_id: int
    url: str


@dataclass(frozen=True)
class PageOutcome:
    """One item page's answer."""

    item_id: int
    result: FetchResult


@dataclass
class Crawler:
    """One crawl run: the fetcher, the clock and the limits its readers need."""

    fetcher: Fetcher
    now: datetime
    zone: tzinfo
    concurrency: int = 16
    max_children: int = MAX_CHILD_SITEMAPS

    async def read_sources(
        self, jobs: Sequence[SourceJob], progress: Progress | None = None
    ) -> list[FeedOutcome]:
        """Every source's outcome; a failure of one is recorded on it, never raised."""
        return await self._each(jobs, self._guarded_source, progress)

    async def fetch_pages(
        self, jobs: Sequence[PageJob], progress: Progress | None = None
    ) -> list[PageOutcome]:
        """Every item page's answer."""

        async def one(job: PageJob) -> PageOutcome:
            try:
                return PageOutcome(job.item_id, await self.fetcher.get(job.url))
            except Exception as exc:  # one page's bug must not stop the crawl
                log.exception("fetch of item %s failed", job.item_id)
                error = f"Lỗi nội bộ: {type(exc).__name__}: {exc}"
                return PageOutcome(job.item_id, FetchResult(job.url, job.url, error=error))

        return await self._each(jobs, one, progress)

    async def _each(
        self,
        jobs: Sequence[T],
        work: Callable[[T], Awaitable[R]],
        progress: Progress | None,
    ) -> list[R]:
        """Run the jobs at most `concurrency` at a time (origins serialise themselves)."""
        limit = asyncio.Semaphore(max(1, self.concurrency))

        async def run(job: T) -> R:
            async with limit:
                out = await work(job)
            if progress is not None:
                progress(1)
            return out

        return list(await asyncio.gather(*(run(j) for j in jobs)))

    async def _guarded_source(self, job: SourceJob) -> FeedOutcome:
        """read_source, with an unexpected error recorded on the source instead of raised."""
        try:
            return await self.read_source(job)
        except Exception as exc:  # one source's bug must not stop the others
            log.exception("crawl of source %s failed", job.id)
            return FeedOutcome(source_id=job.id, error=f"Lỗi nội bộ: {type(exc).__name__}: {exc}")

    async def read_source(self, job: SourceJob) -> FeedOutcome:
        """Fetch the source conditionally and read it; an HTML home page is searched for feeds."""
        url = job.feed_url if job.kind == "auto" and job.feed_url else job.url
        kind = job.feed_kind if job.kind == "auto" and job.feed_kind else job.kind
        outcome = FeedOutcome(source_id=job.id, feed_url=url, feed_kind=job.feed_kind)
        result = await self.fetcher.get(url, job.validators)
        if result.not_modified:
            outcome.not_modified = True
            outcome.validators = job.validators
            if job.feed_kind == "sitemapindex":
                await self._children(job, job.child_validators.keys(), outcome)
            return outcome
        if job.kind == "auto" and job.feed_url and result.status in GONE:
            # The feed found earlier is gone (a site redesign): look for it again from the URL.
            fresh = replace(job, feed_url=None, feed_kind=None, validators=Validators())
            return await self.read_source(fresh)
        if not result.ok:
            return self._failed(outcome, result)
        doc = self._document(result, job.selector)
        if job.kind == "auto" and not job.feed_url and looks_like_html(doc):
            return await self._discover(job, doc, outcome)
        try:
            feed = read_feed(doc, kind=kind, now=self.now, max_bytes=self.fetcher.limits.max_bytes)
        except FeedError as exc:
            outcome.error = str(exc)
            return outcome
        outcome.validators = result.validators
        return await self._accept(job, feed, outcome)

    def _document(self, result: FetchResult, selector: str) -> Document:
        """The fetched body as a document for the readers."""
        return Document(
            body=result.body,
            url=result.final_url,
            content_type=result.headers.get("content-type", ""),
            selector=selector,
            zone=self.zone,
        )

    def _failed(self, outcome: FeedOutcome, result: FetchResult) -> FeedOutcome:
        """The outcome of a request that got no usable answer."""
        outcome.error = result.problem()
        outcome.wait_s = retry_after(result.headers.get("retry-after"))
        return outcome

    async def _accept(self, job: SourceJob, feed: ParsedFeed, outcome: FeedOutcome) -> FeedOutcome:
        """Take a read feed's entries; a sitemap index's children are read too."""
        outcome.feed_kind = "sitemapindex" if feed.kind == "sitemapindex" else feed.kind
        outcome.entries = list(feed.entries)
        outcome.notes += feed.notes
        if feed.kind == "sitemapindex":
            await self._children(job, feed.children[: self.max_children], outcome)
        return outcome

    async def _children(self, job: SourceJob, urls: Iterable[str], outcome: FeedOutcome) -> None:
        """Read an index's child sitemaps, each conditionally; all failing fails the source."""
        children = list(urls)
        failures: list[str] = []
        for child in children:
            old = job.child_validators.get(child, Validators())
            result = await self.fetcher.get(child, old)
            if result.not_modified:
                outcome.child_validators[child] = old
                continue
            if not result.ok:
                failures.append(result.problem())
                continue
            try:
                feed = read_feed(
                    self._document(result, ""),
                    kind="sitemap",
                    now=self.now,
                    max_bytes=self.fetcher.limits.max_bytes,
                )
            except FeedError as exc:
                failures.append(f"{child}: {exc}")
                continue
            outcome.entries += feed.entries
            outcome.notes += feed.notes
            outcome.child_validators[child] = result.validators
        if failures and len(failures) == len(children):
            outcome.error = "; ".join(failures[:3])
        elif failures:
            outcome.notes += failures[:3]

    async def _discover(self, job: SourceJob, home: Document, outcome: FeedOutcome) -> FeedOutcome:
        """Try the feeds a home page leads to; the first that reads becomes the source's feed."""
        for cand in await candidates(self.fetcher, home.url, home.body):
            result = await self.fetcher.get(cand.url)
            if not result.ok:
                continue
            doc = self._document(result, "")
            if looks_like_html(doc):
                continue
            try:
                kind = "auto" if cand.kind == "sitemap" else cand.kind
                feed = read_feed(
                    doc, kind=kind, now=self.now, max_bytes=self.fetcher.limits.max_bytes
                )
            except FeedError:
                continue
            if feed.entries or feed.children:
                outcome.feed_url = cand.url
                outcome.validators = result.validators
                outcome.notes.append(f"Tìm thấy nguồn {cand.url} ({cand.found_by})")
                return await self._accept(job, feed, outcome)
        outcome.error = f"Không tìm thấy RSS, Atom, JSON Feed hay sitemap từ trang {home.url}"
        return outcome
