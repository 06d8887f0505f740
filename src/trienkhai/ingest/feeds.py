"""Feed readers: RSS, Atom, JSON Feed, sitemaps (index, Google News) and listing pages.

Each format is one small class with `name`, `can_read()` and `read()`, found through READERS, so
a new format is one new class. XML is parsed by lxml with entity resolution, DTD loading and the
network off, and a document that declares entities is refused (XXE, billion laughs).
"""

from __future__ import annotations

import json
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, ClassVar, Protocol
from urllib.parse import urljoin

import feedparser
import lxml.html  # type: ignore[import-untyped]
from cssselect import SelectorError
from lxml import etree

from trienkhai.errors import InvalidError
from trienkhai.ingest.dates import parse_date
from trienkhai.ingest.fetch import charset_of
from trienkhai.ingest.urls import canonical_url, is_http
from trienkhai.text import clean_spaces, nfc

MAX_ENTRIES = 50_000  # the sitemap protocol's own limit per file
SUMMARY_CHARS = 2000
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
SAME_DATE_MIN = 3  # this many entries sharing one timestamp means the feed stamps, not dates


class FeedError(InvalidError):
    """A body that is not a readable feed of the expected kind; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    """One item a feed lists."""

    url: str
    title: str = ""
    published_at: datetime | None = None
    summary: str = ""


@dataclass
class ParsedFeed:
    """What a feed lists: items, child sitemaps (an index), and notes on what was distrusted."""

    kind: str
    entries: list[FeedEntry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Document:
    """A fetched body to read, with what the reader may need besides the bytes."""

    body: bytes
    url: str
    content_type: str = ""  # the whole header: its charset matters for HTML
    selector: str = ""
    zone: tzinfo = UTC
    _xml: etree._Element | None = None
    _xml_error: str | None = None

    def xml(self) -> etree._Element:
        """The body as safely parsed XML; FeedError when malformed or declaring entities."""
        if self._xml is None and self._xml_error is None:
            try:
                self._xml = safe_xml(self.body)
            except FeedError as exc:
                self._xml_error = str(exc)
        if self._xml is None:
            raise FeedError(self._xml_error or "XML không đọc được")
        return self._xml

    def root_name(self) -> str:
        """Local name of the XML root, '' when the body is not well-formed XML."""
        try:
            return str(etree.QName(self.xml()).localname).lower()
        except FeedError:
            return ""


def safe_xml(body: bytes) -> etree._Element:
    """Parse XML with entities, DTDs and the network off; refuse entity declarations."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(body.strip(), parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"XML không hợp lệ: {exc}") from exc
    if root is None:
        raise FeedError("XML rỗng")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise FeedError("XML khai báo thực thể (<!ENTITY>): từ chối vì nguy cơ XXE")
    return root


def gunzip(body: bytes, max_bytes: int) -> bytes:
    """A gzipped body (sitemap.xml.gz) decompressed, refusing past max_bytes."""
    decoder = zlib.decompressobj(32 + zlib.MAX_WBITS)
    try:
        out = decoder.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise FeedError(f"Tệp gzip hỏng: {exc}") from exc
    if len(out) > max_bytes or decoder.unconsumed_tail:
        raise FeedError(f"Tệp gzip giải nén vượt {max_bytes} byte")
    return out


def plain(html: str) -> str:
    """Text of an HTML fragment (a summary), NFC, spaces collapsed."""
    if "<" not in html:
        return clean_spaces(nfc(html)).strip()
    try:
        text = lxml.html.fromstring(f"<div>{html}</div>").text_content()
    except (etree.ParserError, ValueError):
        text = html
    return " ".join(nfc(text).split())


class Reader(Protocol):
    """One feed format."""

    name: str

    def can_read(self, doc: Document) -> bool:
        """Whether the body looks like this format."""
        ...

    def read(self, doc: Document) -> ParsedFeed:
        """The entries; FeedError when the body is not readable."""
        ...


class RssAtomReader:
    """RSS 0.9x/1.0/2.0 and Atom through feedparser, after the safe XML check."""

    name = "rss"
    ROOTS: ClassVar[frozenset[str]] = frozenset({"rss", "rdf", "feed"})

    def can_read(self, doc: Document) -> bool:
        """An <rss>, <rdf:RDF> or <feed> root (or its opening tag in a body too broken to parse)."""
        if doc.root_name() in self.ROOTS:
            return True
        head = doc.body[:2048].lower()
        broken = doc._xml_error is not None and "ENTITY" not in doc._xml_error
        return broken and any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))

    def read(self, doc: Document) -> ParsedFeed:
        """Entries of the feed; a malformed feed counts only when feedparser salvages items."""
        try:
            kind = "atom" if doc.root_name() == "feed" else "rss"
            doc.xml()
            lenient = False
        except FeedError as exc:
            if "ENTITY" in str(exc):
                raise
            kind, lenient = "rss", True
        parsed: Any = feedparser.parse(doc.body, sanitize_html=False, resolve_relative_uris=False)
        entries = [e for e in (self._entry(x, doc) for x in parsed.entries) if e is not None]
        if lenient and not entries:
            raise FeedError(doc._xml_error or "XML không hợp lệ")
        feed = ParsedFeed(kind=kind, entries=entries)
        if lenient:
            feed.notes.append(f"XML lỗi; đọc được {len(entries)} mục")
        return feed

    def _entry(self, raw: Any, doc: Document) -> FeedEntry | None:
        """One feedparser entry."""
        link = raw.get("link") or next(
            (x.get("href") for x in raw.get("links", []) if x.get("href")), ""
        )
        if not str(link or "").strip():
            return None
        url = urljoin(doc.url, str(link).strip())
        if not is_http(url):
            return None
        with warnings.catch_warnings():  # feedparser warns of its updated->published mapping
            warnings.simplefilter("ignore", DeprecationWarning)
            when = raw.get("published") or raw.get("updated") or raw.get("created")
        return FeedEntry(
            url=url,
            title=plain(str(raw.get("title", ""))),
            published_at=parse_date(str(when) if when else None, zone=doc.zone),
            summary=plain(str(raw.get("summary", "")))[:SUMMARY_CHARS],
        )


class JsonFeedReader:
    """JSON Feed 1.0 / 1.1."""

    name = "jsonfeed"

    def can_read(self, doc: Document) -> bool:
        """A JSON object whose version names jsonfeed.org."""
        head = doc.body.lstrip()[:1]
        return head == b"{" and b"jsonfeed.org" in doc.body[:4096]

    def read(self, doc: Document) -> ParsedFeed:
        """The items."""
        try:
            data = json.loads(doc.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FeedError(f"JSON Feed không hợp lệ: {exc}") from exc
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise FeedError("JSON Feed thiếu danh sách 'items'")
        entries = [e for e in (self._entry(x, doc) for x in items) if e is not None]
        return ParsedFeed(kind=self.name, entries=entries)

    def _entry(self, raw: object, doc: Document) -> FeedEntry | None:
        """One item."""
        if not isinstance(raw, dict):
            return None
        ident = str(raw.get("id") or "")
        link = raw.get("url") or raw.get("external_url") or (ident if is_http(ident) else "")
        if not str(link).strip():
            return None
        url = urljoin(doc.url, str(link).strip())
        if not is_http(url):
            return None
        summary = raw.get("summary") or raw.get("content_text") or raw.get("content_html") or ""
        when = raw.get("date_published") or raw.get("date_modified")
        return FeedEntry(
            url=url,
            title=plain(str(raw.get("title") or "")),
            published_at=parse_date(str(when) if when else None, zone=doc.zone),
            summary=plain(str(summary))[:SUMMARY_CHARS],
        )


class SitemapReader:
    """Sitemaps (urlset), sitemap indexes and Google News sitemaps."""

    name = "sitemap"

    def can_read(self, doc: Document) -> bool:
        """A <urlset> or <sitemapindex> root."""
        return doc.root_name() in ("urlset", "sitemapindex")

    def read(self, doc: Document) -> ParsedFeed:
        """Entries of a urlset, or the child sitemaps of an index."""
        root = doc.xml()
        if doc.root_name() == "sitemapindex":
            locs = (_text(s.find("{*}loc")) for s in root.iterfind("{*}sitemap"))
            children = [urljoin(doc.url, loc) for loc in locs if loc]
            return ParsedFeed(kind="sitemapindex", children=[c for c in children if is_http(c)])
        entries: list[FeedEntry] = []
        for node in root.iterfind("{*}url"):
            entry = self._entry(node, doc)
            if entry is not None:
                entries.append(entry)
            if len(entries) >= MAX_ENTRIES:
                break
        return ParsedFeed(kind=self.name, entries=entries)

    def _entry(self, node: etree._Element, doc: Document) -> FeedEntry | None:
        """One <url>, with its <news:news> when there is one."""
        loc = _text(node.find("{*}loc"))
        url = urljoin(doc.url, loc)
        if not loc or not is_http(url):
            return None
        news = node.find("{*}news")
        title = _text(news.find("{*}title")) if news is not None else ""
        when = _text(news.find("{*}publication_date")) if news is not None else ""
        when = when or _text(node.find("{*}lastmod"))
        return FeedEntry(url=url, title=nfc(title), published_at=parse_date(when, zone=doc.zone))


class ListingPageReader:
    """A listing page whose article links an administrator's CSS selector picks."""

    name = "page"

    def can_read(self, doc: Document) -> bool:
        """Any page, when a selector is set."""
        return bool(doc.selector)

    def read(self, doc: Document) -> ParsedFeed:
        """One entry per selected link, in page order."""
        if not doc.selector:
            raise FeedError("Trang danh sách cần bộ chọn CSS (--selector)")
        try:
            text = doc.body.decode(charset_of(doc.content_type, doc.body), "replace")
            page = lxml.html.document_fromstring(text)
            nodes = page.cssselect(doc.selector)
        except SelectorError as exc:
            raise FeedError(f"Bộ chọn CSS '{doc.selector}' không hợp lệ: {exc}") from exc
        except (etree.ParserError, ValueError) as exc:
            raise FeedError(f"Trang HTML không đọc được: {exc}") from exc
        entries = [e for e in (self._entry(n, doc) for n in nodes) if e is not None]
        return ParsedFeed(kind=self.name, entries=entries)

    def _entry(self, node: Any, doc: Document) -> FeedEntry | None:
        """The link the node is, or the first link inside it."""
        link = node if node.tag == "a" else next(iter(node.iter("a")), None)
        if link is None or not link.get("href"):
            return None
        url = urljoin(doc.url, link.get("href").strip())
        if not is_http(url):
            return None
        title = " ".join(nfc(link.text_content() or link.get("title") or "").split())
        return FeedEntry(url=url, title=title)


READERS: tuple[Reader, ...] = (
    JsonFeedReader(),
    SitemapReader(),
    RssAtomReader(),
    ListingPageReader(),
)
# Which readers a declared kind may use; `auto` tries all but the listing page.
BY_KIND: dict[str, tuple[str, ...]] = {
    "auto": ("jsonfeed", "sitemap", "rss"),
    "rss": ("rss",),
    "atom": ("rss",),
    "jsonfeed": ("jsonfeed",),
    "sitemap": ("sitemap",),
    "page": ("page",),
}


def looks_like_html(doc: Document) -> bool:
    """Whether the body is an HTML page (a home page to search for feeds)."""
    head = doc.body[:1024].lstrip().lower()
    media = doc.content_type.split(";", 1)[0].strip().lower()
    return media in ("text/html", "application/xhtml+xml") or head.startswith(
        (b"<!doctype html", b"<html")
    )


def parse_feed(doc: Document, *, kind: str, now: datetime, max_bytes: int) -> ParsedFeed:
    """Read the body as the declared kind; dates checked against `now`."""
    if doc.body[:2] == b"\x1f\x8b":
        doc.body = gunzip(doc.body, max_bytes)
    names = BY_KIND.get(kind, BY_KIND["auto"])
    for reader in READERS:
        if reader.name in names and reader.can_read(doc):
            feed = reader.read(doc)
            feed.entries = distinct(feed.entries)
            feed.notes += check_dates(feed.entries, now=now)
            return feed
    if doc.root_name() == "" and doc._xml_error and not looks_like_html(doc):
        raise FeedError(doc._xml_error)
    raise FeedError(f"Không nhận ra định dạng nguồn (khai báo: {kind}) tại {doc.url}")


def distinct(entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    """Entries with one per canonical URL, the first kept."""
    seen: set[str] = set()
    out: list[FeedEntry] = []
    for entry in entries:
        key = canonical_url(entry.url)
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


def check_dates(entries: list[FeedEntry], *, now: datetime) -> list[str]:
    """Drop dates a feed cannot mean: in the future, before 1990, or one stamp on every item."""
    notes: list[str] = []
    limit = now + timedelta(days=1)
    bad = [
        i
        for i, e in enumerate(entries)
        if e.published_at and not EARLIEST <= e.published_at <= limit
    ]
    stamps = {e.published_at for e in entries if e.published_at}
    dated = sum(1 for e in entries if e.published_at)
    if bad:
        notes.append(f"{len(bad)} mục có ngày trong tương lai hoặc quá cũ: bỏ ngày đó")
    if dated >= SAME_DATE_MIN and len(stamps) == 1:
        notes.append("Mọi mục cùng một ngày đăng: ngày của nguồn không đáng tin, bỏ qua")
        bad = list(range(len(entries)))
    for i in bad:
        e = entries[i]
        entries[i] = FeedEntry(url=e.url, title=e.title, published_at=None, summary=e.summary)
    return notes


def _text(node: etree._Element | None) -> str:
    """Stripped text of an element ('' when missing)."""
    return (node.text or "").strip() if node is not None else ""
