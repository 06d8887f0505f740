"""Fetch pages for the link check through the crawler's polite Fetcher (ingest/fetch.py).

The link check follows the crawl's rules: the address guard on every hop, connecting to the
checked address itself (DNS rebinding cannot redirect it), robots.txt, one request at a time
per origin with TRIENKHAI_CRAWL_DELAY_S between them (longer when robots.txt asks), Retry-After,
and the crawl's time, size and redirect limits. A check of many links runs them through one
`PoliteFetch`, so each origin's robots.txt is read once and its pace holds across the check.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType

from trienkhai.ingest.fetch import Fetcher, FetchLimits, FetchResult
from trienkhai.ingest.guard import AddressGuard
from trienkhai.settings import Settings, get_settings


@dataclass(frozen=True)
class PageResponse:
    """What a fetch found: final address, status (0: no answer), headers, body, hops taken."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    redirects: int = 0
    error: str = ""
    reason: str = ""


def to_page(result: FetchResult) -> PageResponse:
    """The crawler's answer as the link check reads it: no usable answer is status 0."""
    status = result.status if result.error is None and result.status is not None else 0
    try:
        reason = HTTPStatus(status).phrase if status else ""
    except ValueError:  # a status outside the standard list
        reason = ""
    return PageResponse(
        url=result.url,
        final_url=result.final_url,
        status=status,
        headers=dict(result.headers),
        body=result.body,
        redirects=result.redirects,
        error=result.error or "",
        reason=reason,
    )


class PoliteFetch:
    """A synchronous link-check fetch over one polite Fetcher and its own event loop."""

    def __init__(self, settings: Settings | None = None) -> None:
        settings = settings or get_settings()
        self._loop = asyncio.new_event_loop()
        # A wrong TRIENKHAI_CRAWL_ALLOW_NETWORKS stops the check here, as it stops a crawl.
        guard = AddressGuard.from_text(settings.crawl_allow_networks)
        self._fetcher = Fetcher(guard=guard, limits=FetchLimits.from_settings(settings))

    def __call__(self, url: str) -> PageResponse:
        """GET one page politely (redirects followed, each hop checked)."""
        return to_page(self._loop.run_until_complete(self._fetcher.get(url)))

    @property
    def requests(self) -> int:
        """Requests sent so far (robots.txt included)."""
        return self._fetcher.requests

    def close(self) -> None:
        """Close the HTTP client and the event loop."""
        try:
            self._loop.run_until_complete(self._fetcher.aclose())
        finally:
            self._loop.close()

    def __enter__(self) -> PoliteFetch:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def fetch_page(url: str) -> PageResponse:
    """One page on its own, politely (a fresh fetcher: its robots.txt is read for it)."""
    with PoliteFetch() as fetch:
        return fetch(url)
