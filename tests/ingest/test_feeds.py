"""Feed readers: every format, Vietnamese dates, NFC, unsafe XML, and feeds whose dates lie."""

from __future__ import annotations

import gzip
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from trienkhai.ingest.dates import parse_date
from trienkhai.ingest.discover import common_paths, feed_links
from trienkhai.ingest.feeds import Document, FeedError, ParsedFeed, parse_feed
from trienkhai.ingest.urls import canonical_url

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 3, tzinfo=UTC)
BASE = "http://127.0.0.1:9000/rss"


def read(body: bytes | str, kind: str = "auto", selector: str = "") -> ParsedFeed:
    """Parse a body at BASE."""
    data = body.encode() if isinstance(body, str) else body
    doc = Document(body=data, url=BASE, selector=selector, zone=HCM)
    return parse_feed(doc, kind=kind, now=NOW, max_bytes=1_000_000)


def item(title: str, link: str, date: str) -> str:
    """One RSS item."""
    return f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"


def rss(*items: str) -> str:
    """An RSS 2.0 document."""
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    return f"{head}{''.join(items)}</channel></rss>"


def test_rss_titles_to_nfc_links_resolved_vietnamese_dates_read() -> None:
    nfd = unicodedata.normalize("NFD", "Tuyên truyền phòng chống dịch")
    feed = read(rss(item(nfd, "/tin/a.html", "Thứ Hai, 02/11/2026 08:30")))
    (entry,) = feed.entries
    assert feed.kind == "rss" and entry.url == "http://127.0.0.1:9000/tin/a.html"
    assert entry.title == unicodedata.normalize("NFC", nfd)
    assert entry.published_at == datetime(2026, 11, 2, 1, 30, tzinfo=UTC)  # 08:30 at UTC+7


def test_rss_summary_is_plain_text_and_items_without_link_are_skipped() -> None:
    body = rss(
        "<item><title>A</title><link>http://127.0.0.1:9000/a</link>"
        "<description>&lt;p&gt;Tóm &lt;b&gt;tắt&lt;/b&gt;&lt;/p&gt;</description></item>",
        "<item><title>No link</title></item>",
    )
    (entry,) = read(body).entries
    assert entry.summary == "Tóm tắt"


def test_atom_entries() -> None:
    body = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
        '<entry><title>Bài một</title><link href="http://127.0.0.1:9000/1"/>'
        "<updated>2026-11-12T09:00:00+07:00</updated></entry></feed>"
    )
    feed = read(body, kind="atom")
    assert feed.kind == "atom"
    assert feed.entries[0].published_at == datetime(2026, 11, 12, 2, 0, tzinfo=UTC)


def test_json_feed() -> None:
    body = (
        '{"version": "https://jsonfeed.org/version/1.1", "items": ['
        '{"id": "1", "url": "http://127.0.0.1:9000/1", "title": "Một", '
        '"date_published": "2026-11-12T08:00:00+07:00", "content_text": "Nội dung"},'
        '{"id": "2", "title": "no url"}]}'
    )
    feed = read(body)
    assert feed.kind == "jsonfeed" and [e.title for e in feed.entries] == ["Một"]
    assert feed.entries[0].summary == "Nội dung"


def test_sitemap_index_lists_children() -> None:
    body = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/sitemap-news.xml</loc></sitemap>"
        "<sitemap><loc>http://127.0.0.1:9000/s2.xml</loc></sitemap></sitemapindex>"
    )
    feed = read(body, kind="sitemap")
    assert feed.kind == "sitemapindex"
    assert feed.children == [
        "http://127.0.0.1:9000/sitemap-news.xml",
        "http://127.0.0.1:9000/s2.xml",
    ]


NEWS = (
    '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
    "<url><loc>http://127.0.0.1:9000/a</loc><news:news><news:publication><news:name>Báo"
    "</news:name></news:publication><news:publication_date>2026-11-12T08:00:00+07:00"
    "</news:publication_date><news:title>Tin một</news:title></news:news></url>"
    "<url><loc>http://127.0.0.1:9000/b</loc><lastmod>2026-11-20</lastmod></url></urlset>"
)


def test_google_news_sitemap_title_and_date() -> None:
    feed = read(NEWS)
    assert feed.kind == "sitemap"
    first, second = feed.entries
    assert (first.title, first.published_at) == ("Tin một", datetime(2026, 11, 12, 1, tzinfo=UTC))
    assert second.published_at == datetime(2026, 11, 19, 17, tzinfo=UTC)  # a local day


def test_gzipped_sitemap_is_read_and_bounded() -> None:
    assert len(read(gzip.compress(NEWS.encode())).entries) == 2
    doc = Document(body=gzip.compress(bytes(2_000_000)), url=BASE)
    with pytest.raises(FeedError, match="vượt"):
        parse_feed(doc, kind="sitemap", now=NOW, max_bytes=1_000_000)


def test_listing_page_picks_links_by_selector() -> None:
    page = (
        '<html><body><ul class="menu"><li><a href="/">Trang chủ</a></li></ul><div class="list">'
        '<h3 class="t"><a href="/bai-1">Bài 1</a></h3><h3 class="t"><a href="/bai-2"> Bài  2 </a>'
        "</h3></div></body></html>"
    )
    feed = read(page, kind="page", selector=".list h3.t")
    assert [(e.url, e.title) for e in feed.entries] == [
        ("http://127.0.0.1:9000/bai-1", "Bài 1"),
        ("http://127.0.0.1:9000/bai-2", "Bài 2"),
    ]
    with pytest.raises(FeedError, match="CSS"):
        read(page, kind="page", selector="h3[[")


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/x">]>',
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY xxe "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ],
)
def test_entity_declarations_are_refused(doctype: str) -> None:
    body = f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><item><title>&xxe;</title><link>http://127.0.0.1:9000/a</link></item></channel></rss>'
    with pytest.raises(FeedError, match="XXE"):
        read(body)


def test_malformed_xml_fails_unless_items_can_be_salvaged() -> None:
    with pytest.raises(FeedError, match="XML không hợp lệ"):
        read('<?xml version="1.0"?><rss version="2.0"><channel><item><title')
    salvaged = read(
        '<?xml version="1.0"?><rss version="2.0"><channel><item><title>A &nbsp; B</title>'
        "<link>http://127.0.0.1:9000/a</link></item><item><title>cut"
    )
    assert [e.url for e in salvaged.entries] == ["http://127.0.0.1:9000/a"]
    assert salvaged.notes and "XML lỗi" in salvaged.notes[0]


def test_future_dates_are_dropped() -> None:
    feed = read(
        rss(
            item("A", "http://127.0.0.1:9000/a", "Fri, 01 Jan 2100 08:00:00 +0700"),
            item("B", "http://127.0.0.1:9000/b", "Mon, 09 Nov 2026 08:00:00 +0700"),
        )
    )
    assert [e.published_at is None for e in feed.entries] == [True, False]
    assert "tương lai" in feed.notes[0]


def test_one_stamp_on_every_item_is_not_a_date() -> None:
    same = "Mon, 09 Nov 2026 08:00:00 +0700"
    feed = read(rss(*(item(t, f"http://127.0.0.1:9000/{t}", same) for t in "abc")))
    assert all(e.published_at is None for e in feed.entries)
    assert "cùng một ngày" in feed.notes[0]


def test_same_item_twice_is_listed_once() -> None:
    feed = read(
        rss(
            item("A", "http://127.0.0.1:9000/a?utm_source=rss", "Mon, 09 Nov 2026 08:00:00 +0700"),
            item("A", "http://127.0.0.1:9000/a", "Mon, 09 Nov 2026 09:00:00 +0700"),
        )
    )
    assert len(feed.entries) == 1
    assert canonical_url("HTTP://127.0.0.1:9000/a?utm_source=rss#x") == "http://127.0.0.1:9000/a"


def test_html_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match="Không nhận ra"):
        read("<!doctype html><html><body>Trang chủ</body></html>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ Hai, 02/11/2026 08:30", datetime(2026, 11, 2, 1, 30, tzinfo=UTC)),
        ("02-11-2026 - 8h30", datetime(2026, 11, 2, 1, 30, tzinfo=UTC)),
        ("08:30 02/11/2026 (GMT+7)", datetime(2026, 11, 2, 1, 30, tzinfo=UTC)),
        ("Ngày 2 tháng 11 năm 2026", datetime(2026, 11, 1, 17, 0, tzinfo=UTC)),
        ("2 tháng 11, 2026", datetime(2026, 11, 1, 17, 0, tzinfo=UTC)),
        ("Mon, 02 Nov 2026 08:30:00 +0700", datetime(2026, 11, 2, 1, 30, tzinfo=UTC)),
        ("2026-11-02T08:30:00Z", datetime(2026, 11, 2, 8, 30, tzinfo=UTC)),
        ("31/02/2026", None),
        ("hôm qua", None),
        ("", None),
    ],
)
def test_vietnamese_and_standard_dates(text: str, expected: datetime | None) -> None:
    assert parse_date(text, zone=HCM) == expected


def test_discovery_reads_alternate_links_and_knows_common_paths() -> None:
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss/home.rss">'
        b'<link rel="stylesheet" href="/s.css"><link rel="alternate" hreflang="en" href="/en">'
        b'<link rel="alternate" type="application/feed+json" href="https://x.vn/feed.json">'
        b"</head></html>"
    )
    found = feed_links(page, "http://127.0.0.1:9000/")
    assert [(c.url, c.kind) for c in found] == [
        ("http://127.0.0.1:9000/rss/home.rss", "rss"),
        ("https://x.vn/feed.json", "jsonfeed"),
    ]
    paths = [c.url for c in common_paths("http://127.0.0.1:9000/trang-chu")]
    assert "http://127.0.0.1:9000/sitemap.xml" in paths and "http://127.0.0.1:9000/rss" in paths
