"""Loopback unit sites for the crawler tests: one threaded HTTP server per site (its own origin).

Each site serves feeds of one kind, simple article pages, and the faults a real crawl meets.
Every request is logged (site, path, conditional headers, status) so tests can assert on what
was, and was not, asked for.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LAST_MODIFIED = "Tue, 01 Dec 2026 01:00:00 GMT"
HUGE_BYTES = 50 * 1024 * 1024
BOMB_BYTES = 100 * 1024 * 1024
SLOW_S = 3.0


@dataclass
class Route:
    """One path's answer."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    sleep_s: float = 0.0
    stream_bytes: int = 0  # a body of this many bytes, streamed without a length
    encoding: str | None = None  # body already encoded (a gzip bomb)
    gzip_when_asked: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """One logged request."""

    site: str
    path: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int
    user_agent: str


@dataclass
class Site:
    """One unit's site: its routes and, once started, its base URL."""

    name: str
    routes: dict[str, Route] = field(default_factory=dict)
    base: str = ""


def _etag(body: bytes) -> str:
    """A strong validator of a static body."""
    return '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'


def _handler(site: Site, log: list[Hit], lock: threading.Lock) -> type[BaseHTTPRequestHandler]:
    """A request handler class serving the site and logging into `log`."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test log is `log`."""

        def _log(self, status: int) -> None:
            with lock:
                log.append(
                    Hit(
                        site=site.name,
                        path=self.path,
                        if_none_match=self.headers.get("If-None-Match"),
                        if_modified_since=self.headers.get("If-Modified-Since"),
                        status=status,
                        user_agent=self.headers.get("User-Agent", ""),
                    )
                )

        def do_GET(self) -> None:
            route = site.routes.get(self.path)
            if route is None:
                self._log(404)
                self._send(404, b"not found", "text/plain")
                return
            # The crawler hangs up on purpose (size limit, timeout).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(route)

        def _answer(self, route: Route) -> None:
            if route.sleep_s:
                time.sleep(route.sleep_s)
            if route.location is not None:
                self._log(route.status)
                self._send(route.status, b"", "text/plain", {"Location": route.location})
                return
            if route.stream_bytes:
                self._log(200)
                self._stream(route)
                return
            if route.status == 200 and self._not_modified(route.body):
                self._log(304)
                self.send_response(304)
                self.end_headers()
                return
            self._log(route.status)
            headers = {"ETag": _etag(route.body), "Last-Modified": LAST_MODIFIED, **route.headers}
            body = route.body
            if route.encoding:
                headers["Content-Encoding"] = route.encoding
            elif route.gzip_when_asked and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body)
                headers["Content-Encoding"] = "gzip"
            self._send(route.status, body, route.content_type, headers)

        def _not_modified(self, body: bytes) -> bool:
            tag = self.headers.get("If-None-Match")
            if tag is not None:
                return tag == _etag(body)
            return self.headers.get("If-Modified-Since") == LAST_MODIFIED

        def _stream(self, route: Route) -> None:
            self.send_response(200)
            self.send_header("Content-Type", route.content_type)
            self.end_headers()
            chunk = b"<item>" + b"x" * (1024 * 1024 - 6)
            for _ in range(route.stream_bytes // len(chunk)):
                self.wfile.write(chunk)

        def _send(
            self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


class Fixture:
    """The running sites and the shared request log."""

    def __init__(self, sites: list[Site]) -> None:
        self.sites = {s.name: s for s in sites}
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []

    def start(self) -> None:
        """One server per site on 127.0.0.1, each on its own free port."""
        for site in self.sites.values():
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, self.log, self._lock))
            server.daemon_threads = True
            site.base = f"http://127.0.0.1:{server.server_address[1]}"
            self._servers.append(server)
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop every server."""
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def url(self, site: str, path: str) -> str:
        """Absolute URL of a path on a site."""
        return self.sites[site].base + path

    def hits(self, site: str | None = None) -> list[Hit]:
        """Logged requests (of one site)."""
        with self._lock:
            return [h for h in self.log if site is None or h.site == site]

    def clear(self) -> None:
        """Forget the log (between crawls)."""
        with self._lock:
            self.log.clear()


# --- content -------------------------------------------------------------------------------

ARTICLES = [
    (
        "Tuyên truyền kỷ niệm 80 năm Cách mạng Tháng Tám",
        "Các cơ quan báo chí đẩy mạnh tuyên truyền về lịch sử cách mạng và truyền thống dân tộc.",
    ),
    (
        "Hội nghị triển khai chuyển đổi số cấp tỉnh",
        "Ủy ban nhân dân tỉnh tổ chức hội nghị triển khai kế hoạch chuyển đổi số năm 2026.",
    ),
    (
        "Phòng, chống tin giả trên không gian mạng",
        "Sở Thông tin và Truyền thông hướng dẫn người dân nhận diện thông tin sai lệch.",
    ),
]


def article(title: str, text: str, day: int) -> bytes:
    """A simple article page: menu, title, date, text, footer."""
    html = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
</head><body><nav><a href="/">Trang chủ</a> | <a href="/tin-tuc">Tin tức</a></nav>
<article><h1>{title}</h1><p class="date">{day:02d}/11/2026 08:30</p><p>{text}</p>
<p>{text} Đây là đoạn thứ hai của bài viết.</p></article>
<footer>Cơ quan chủ quản: UBND tỉnh</footer></body></html>"""
    return html.encode("utf-8")


def rss(base: str, links: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (link, title, date) items."""
    items = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
        f"<description>&lt;p&gt;Tóm tắt: {t}&lt;/p&gt;</description></item>"
        for link, t, d in links
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Báo tỉnh</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def _articles(site: Site, prefix: str) -> list[tuple[str, str]]:
    """Article routes on the site; (path, title) of each."""
    out = []
    for i, (title, text) in enumerate(ARTICLES, start=1):
        path = f"{prefix}/bai-{i}.html"
        site.routes[path] = Route(body=article(title, text, i + 10))
        out.append((path, title))
    return out


def build_sites() -> list[Site]:
    """The unit sites; routes needing a site's own URL are filled in by `finish`."""
    return [Site("baotinh"), Site("dai"), Site("cong"), Site("huyen"), Site("loi")]


def finish(fx: Fixture) -> None:
    """Fill every site's routes (they need the bases known once servers are bound)."""
    _baotinh(fx.sites["baotinh"])
    _dai(fx.sites["dai"])
    _cong(fx.sites["cong"])
    _huyen(fx.sites["huyen"])
    _loi(fx.sites["loi"])


def _baotinh(site: Site) -> None:
    """RSS, with a robots.txt forbidding a path the feed links, and links the guard refuses."""
    arts = _articles(site, "/tin")
    site.routes["/noi-bo/bai-an.html"] = Route(body=article("Bài nội bộ", "Không công khai.", 1))
    site.routes["/robots.txt"] = Route(
        body=b"User-agent: *\nDisallow: /noi-bo/\n", content_type="text/plain"
    )
    links = [
        (site.base + p, t, f"Thứ Hai, {10 + i:02d}/11/2026 08:30") for i, (p, t) in enumerate(arts)
    ]
    links.append(
        (site.base + "/noi-bo/bai-an.html", "Bài nội bộ", "Mon, 09 Nov 2026 08:00:00 +0700")
    )
    links.append(("http://169.254.169.254/latest/meta-data/", "Metadata", ""))
    links.append(("http://10.1.2.3/tin/x.html", "Intranet", ""))
    site.routes["/rss.xml"] = Route(body=rss(site.base, links), content_type="application/rss+xml")


def _dai(site: Site) -> None:
    """Atom, sent gzip-compressed when asked."""
    arts = _articles(site, "/news")
    entries = "".join(
        f'<entry><title>{t}</title><link href="{p}"/><id>{site.base}{p}</id>'
        f"<updated>2026-11-{12 + i:02d}T09:00:00+07:00</updated></entry>"
        for i, (p, t) in enumerate(arts)
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Đài PT-TH</title><id>{site.base}/</id><updated>2026-11-15T00:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()
    site.routes["/atom.xml"] = Route(
        body=body, content_type="application/atom+xml", gzip_when_asked=True
    )
    # A home page naming no feed, and no robots.txt: only the common paths find /atom.xml.
    site.routes["/"] = Route(body=b"<html><body><h1>Dai PT-TH</h1></body></html>")


def _cong(site: Site) -> None:
    """A portal: home page without feed links, robots.txt naming a sitemap index."""
    arts = _articles(site, "/tin-tuc")
    site.routes["/"] = Route(body=b"<html><body><h1>Cong thong tin</h1></body></html>")
    site.routes["/robots.txt"] = Route(
        body=f"User-agent: *\nAllow: /\nSitemap: {site.base}/sitemap_index.xml\n".encode(),
        content_type="text/plain",
    )
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.base}/sitemap-news.xml</loc></sitemap>"
        f"<sitemap><loc>{site.base}/sitemap-pages.xml</loc></sitemap></sitemapindex>"
    )
    news = "".join(
        f"<url><loc>{site.base}{p}</loc><news:news><news:publication>"
        "<news:name>Cổng TTĐT</news:name><news:language>vi</news:language></news:publication>"
        f"<news:publication_date>2026-11-{12 + i:02d}T08:00:00+07:00</news:publication_date>"
        f"<news:title>{t}</news:title></news:news></url>"
        for i, (p, t) in enumerate(arts[:2])
    )
    pages = f"<url><loc>{site.base}{arts[2][0]}</loc><lastmod>2026-11-20</lastmod></url>"
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    news_ns = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    site.routes["/sitemap_index.xml"] = Route(body=index.encode(), content_type="application/xml")
    site.routes["/sitemap-news.xml"] = Route(
        body=f'<?xml version="1.0"?><urlset {ns} {news_ns}>{news}</urlset>'.encode(),
        content_type="application/xml",
    )
    site.routes["/sitemap-pages.xml"] = Route(
        body=f'<?xml version="1.0"?><urlset {ns}>{pages}</urlset>'.encode(),
        content_type="application/xml",
    )


def _huyen(site: Site) -> None:
    """A district portal: a listing page (CSS selector) and a JSON Feed its home page links."""
    arts = _articles(site, "/bai-viet")
    rows = "".join(f'<li class="row"><h3><a href="{p}">{t}</a></h3></li>' for p, t in arts)
    site.routes["/tin-tuc"] = Route(
        body=f'<html><body><ul class="menu"><li><a href="/">Trang chủ</a></li></ul>'
        f'<ul class="news-list">{rows}</ul></body></html>'.encode()
    )
    site.routes["/"] = Route(
        body=b'<html><head><link rel="alternate" type="application/feed+json" href="/feed.json">'
        b"</head><body>UBND huyen</body></html>"
    )
    items = ",".join(
        f'{{"id": "{p}", "url": "{site.base}{p}", "title": "{t}", '
        f'"date_published": "2026-11-{12 + i:02d}T08:00:00+07:00"}}'
        for i, (p, t) in enumerate(arts)
    )
    body = (
        f'{{"version": "https://jsonfeed.org/version/1.1", "title": "Huyện", "items": [{items}]}}'
    )
    site.routes["/feed.json"] = Route(body=body.encode(), content_type="application/feed+json")


def _bomb() -> bytes:
    """BOMB_BYTES of zeros, gzip-compressed (about 100 KB on the wire)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [comp.compress(block) for _ in range(BOMB_BYTES // len(block))]
    return b"".join(parts) + comp.flush()


def _loi(site: Site) -> None:
    """A site of faults, one feed path each."""
    xml = "application/rss+xml"
    good = rss(site.base, [(site.base + "/ok.html", "OK", "Mon, 09 Nov 2026 08:00:00 +0700")])
    site.routes["/500.xml"] = Route(body=b"error", status=500, content_type="text/plain")
    site.routes["/slow.xml"] = Route(body=good, content_type=xml, sleep_s=SLOW_S)
    site.routes["/loop-a"] = Route(status=302, location="/loop-b")
    site.routes["/loop-b"] = Route(status=302, location="/loop-a")
    site.routes["/out.xml"] = Route(status=302, location="http://169.254.169.254/latest/")
    site.routes["/huge.xml"] = Route(content_type=xml, stream_bytes=HUGE_BYTES)
    site.routes["/bomb.xml"] = Route(body=_bomb(), content_type=xml, encoding="gzip")
    site.routes["/malformed.xml"] = Route(
        body=b'<?xml version="1.0"?><rss version="2.0"><channel><title>Loi</title><item><title',
        content_type=xml,
    )
    site.routes["/xxe.xml"] = Route(
        body=(
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
            f'<!ENTITY net SYSTEM "{site.base}/xxe-target">]>'
            '<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;&net;</title>'
            f"<link>{site.base}/ok.html</link></item></channel></rss>"
        ).encode(),
        content_type=xml,
    )
    site.routes["/xxe-target"] = Route(body=b"secret", content_type="text/plain")
    same = "Mon, 09 Nov 2026 08:00:00 +0700"
    site.routes["/lying.xml"] = Route(
        body=rss(
            site.base,
            [
                (site.base + "/ok.html", "Một", same),
                (site.base + "/ok2.html", "Hai", same),
                (site.base + "/ok3.html", "Ba", same),
            ],
        ),
        content_type=xml,
    )
    site.routes["/future.xml"] = Route(
        body=rss(
            site.base, [(site.base + "/ok4.html", "Tương lai", "Fri, 01 Jan 2100 08:00:00 +0700")]
        ),
        content_type=xml,
    )
    for path in ("/ok.html", "/ok2.html", "/ok3.html", "/ok4.html"):
        site.routes[path] = Route(body=article("OK", "Nội dung thử.", 9))


@contextmanager
def running() -> Iterator[Fixture]:
    """The sites, started and filled, stopped afterwards."""
    fx = Fixture(build_sites())
    fx.start()
    finish(fx)
    try:
        yield fx
    finally:
        fx.stop()
