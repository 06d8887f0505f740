"""Finding a site's feeds from its home page: <link rel="alternate">, robots.txt, common paths."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from trienkhai.ingest.fetch import Fetcher
from trienkhai.ingest.urls import is_http

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/rdf+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "jsonfeed",
    "application/json": "jsonfeed",
}
# Tried only when the page and robots.txt name nothing; Vietnamese portals use these most.
COMMON_PATHS = (
    "/rss",
    "/rss.xml",
    "/feed",
    "/feed.xml",
    "/atom.xml",
    "/feed.json",
    "/sitemap-news.xml",
    "/news-sitemap.xml",
    "/sitemap_index.xml",
    "/sitemap.xml",
)


@dataclass(frozen=True)
class Candidate:
    """A URL that may be the site's feed, the kind it claims, and where it was found."""

    url: str
    kind: str
    found_by: str


def feed_links(html: bytes, base_url: str) -> list[Candidate]:
    """The feeds a page names in <link rel="alternate" type="...">, in page order."""
    try:
        page = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    found: list[Candidate] = []
    for link in page.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = FEED_TYPES.get((link.get("type") or "").split(";")[0].strip().lower())
        href = (link.get("href") or "").strip()
        if "alternate" in rels and kind and href:
            url = urljoin(base_url, href)
            if is_http(url):
                found.append(Candidate(url=url, kind=kind, found_by="link"))
    return found


def common_paths(home_url: str) -> list[Candidate]:
    """The usual feed and sitemap paths at the site's root."""
    parts = urlsplit(home_url)
    root = f"{parts.scheme}://{parts.netloc}"
    return [Candidate(url=root + path, kind="auto", found_by="path") for path in COMMON_PATHS]


async def candidates(fetcher: Fetcher, home_url: str, home_html: bytes) -> list[Candidate]:
    """Feeds the page links, then robots.txt's Sitemap: lines, then the common paths."""
    found = feed_links(home_html, home_url)
    rules = await fetcher.robots(home_url)
    found += [Candidate(url=u, kind="sitemap", found_by="robots") for u in rules.sitemaps()]
    found += common_paths(home_url)
    seen: set[str] = set()
    unique: list[Candidate] = []
    for cand in found:
        if cand.url not in seen:
            seen.add(cand.url)
            unique.append(cand)
    return unique
