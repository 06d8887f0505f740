"""Output discovery, first half: feed reading speed, and a whole crawl of the loopback sites."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.factories import make_unit
from tests.ingest.site_server import running

from bench import Result, per_second
from trienkhai.db import make_engine, session_scope
from trienkhai.ingest import service
from trienkhai.ingest.feeds import Document, parse_feed
from trienkhai.migrate import upgrade
from trienkhai.settings import Settings

NOW = datetime(2026, 12, 3, tzinfo=UTC)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
RSS_ITEMS = 500
SITEMAP_URLS = 10_000


def _rss() -> bytes:
    """An RSS 2.0 feed of RSS_ITEMS Vietnamese items."""
    items = "".join(
        f"<item><title>Tuyên truyền phòng chống tin giả số {i}</title>"
        f"<link>https://baotinh.vn/tin/bai-{i}.html</link>"
        f"<pubDate>Thứ Hai, {1 + i % 28:02d}/11/2026 08:30</pubDate>"
        f"<description>&lt;p&gt;Tóm tắt bài {i}&lt;/p&gt;</description></item>"
        for i in range(RSS_ITEMS)
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    return f"{head}{items}</channel></rss>".encode()


def _sitemap() -> bytes:
    """A Google News sitemap of SITEMAP_URLS URLs."""
    urls = "".join(
        f"<url><loc>https://cong.gov.vn/tin/{i}</loc><news:news><news:publication_date>"
        f"2026-11-{1 + i % 28:02d}T08:00:00+07:00</news:publication_date>"
        f"<news:title>Tin {i}</news:title></news:news></url>"
        for i in range(SITEMAP_URLS)
    )
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def _read_rate(body: bytes, count: int) -> float:
    """Entries read per second."""

    def work() -> None:
        doc = Document(body=body, url="https://example.vn/", zone=ZONE)
        assert len(parse_feed(doc, kind="auto", now=NOW, max_bytes=50_000_000).entries) == count

    return per_second(count, work, repeat=3)


def _crawl() -> tuple[float, float, int]:
    """Seconds of a first and a second crawl of the test sites, and requests of the first."""
    settings = Settings(
        crawl_allow_networks="127.0.0.1/32",
        crawl_delay_s=0.0,
        crawl_timeout_s=1.0,
        crawl_max_bytes=1_000_000,
    )
    with tempfile.TemporaryDirectory() as tmp, running() as sites:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'b.db'}")
        upgrade(engine)
        with session_scope(engine) as session:
            for name, path, kind in (
                ("baotinh", "/rss.xml", "rss"),
                ("dai", "/atom.xml", "atom"),
                ("cong", "/", "auto"),
                ("huyen", "/", "auto"),
            ):
                code = make_unit(session).code
                service.add_source(
                    session=session, unit_code=code, url=sites.url(name, path), kind=kind
                )
        start = time.perf_counter()
        first = service.run_crawl(engine=engine, settings=settings, everything=True, now=NOW)
        middle = time.perf_counter()
        service.run_crawl(engine=engine, settings=settings, everything=True, now=NOW)
        end = time.perf_counter()
        engine.dispose()
    return middle - start, end - middle, first.requests


def run() -> list[Result]:
    """Feed reading rates and crawl times."""
    first, second, requests = _crawl()
    return [
        Result(
            "ingest.rss",
            "entries read per second",
            _read_rate(_rss(), RSS_ITEMS),
            "entries/s",
            f"{RSS_ITEMS}-item RSS, Vietnamese dates, feedparser after the safe lxml check",
        ),
        Result(
            "ingest.sitemap",
            "URLs read per second",
            _read_rate(_sitemap(), SITEMAP_URLS),
            "URLs/s",
            f"{SITEMAP_URLS}-URL Google News sitemap, lxml",
        ),
        Result(
            "ingest.crawl",
            "first crawl, 4 sources",
            first,
            "s",
            f"{requests} requests (feeds, robots, discovery, 12 pages), delay 0, SQLite",
        ),
        Result("ingest.crawl", "second crawl (all 304)", second, "s", "same sources, nothing new"),
    ]
