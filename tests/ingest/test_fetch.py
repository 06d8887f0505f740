"""The polite fetcher against the loopback sites: limits, redirects, robots, conditional GET."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from tests.ingest.conftest import crawl_settings
from tests.ingest.site_server import Fixture, Route
from trienkhai.ingest.fetch import (
    Fetcher,
    FetchLimits,
    FetchResult,
    Validators,
    _pinned,
    download,
    retry_after,
)
from trienkhai.ingest.guard import AddressGuard, Target, split_host

T = TypeVar("T")


def with_fetcher(work: Callable[[Fetcher], Awaitable[T]], **overrides: object) -> T:
    """Run `work` with a fetcher made from test settings."""
    settings = crawl_settings(**overrides)

    async def run() -> T:
        guard = AddressGuard.from_text(settings.crawl_allow_networks)
        async with Fetcher(guard=guard, limits=FetchLimits.from_settings(settings)) as fetcher:
            return await work(fetcher)

    return asyncio.run(run())


def get(url: str, validators: Validators | None = None, **overrides: object) -> FetchResult:
    """One polite GET."""
    return with_fetcher(lambda f: f.get(url, validators), **overrides)


def test_plain_get_names_trienkhai_and_keeps_validators(sites: Fixture) -> None:
    result = get(sites.url("baotinh", "/tin/bai-1.html"))
    assert result.ok and "Tuyên truyền" in result.text()
    assert result.validators.etag and result.validators.last_modified
    hit = [h for h in sites.hits("baotinh") if h.path == "/tin/bai-1.html"][-1]
    assert hit.user_agent.startswith("trienkhai/")


def test_conditional_get_is_answered_304_with_no_body(sites: Fixture) -> None:
    url = sites.url("baotinh", "/rss.xml")
    first = get(url)
    again = get(url, first.validators)
    assert again.not_modified and again.conditional and again.body == b""
    assert get(url, Validators(last_modified=first.validators.last_modified)).not_modified


def test_gzip_body_is_decompressed(sites: Fixture) -> None:
    result = get(sites.url("dai", "/atom.xml"))
    assert result.ok and result.headers["content-encoding"] == "gzip"
    assert result.body.startswith(b"<?xml")


def test_gzip_bomb_stops_at_the_decompression_limit(sites: Fixture) -> None:
    result = get(sites.url("loi", "/bomb.xml"))
    assert not result.ok and "giải nén vượt" in (result.error or "")


def test_fifty_megabyte_body_stops_at_the_size_limit(sites: Fixture) -> None:
    started = time.monotonic()
    result = get(sites.url("loi", "/huge.xml"))
    assert not result.ok and "vượt giới hạn 1000000" in (result.error or "")
    assert time.monotonic() - started < 10  # stopped early, not read to the end


def test_slow_page_times_out(sites: Fixture) -> None:
    result = get(sites.url("loi", "/slow.xml"), crawl_timeout_s=0.5)
    assert result.status is None and "Quá thời gian chờ" in (result.error or "")


def test_redirect_loop_is_detected(sites: Fixture) -> None:
    result = get(sites.url("loi", "/loop-a"))
    assert "Vòng chuyển hướng" in (result.error or "")


def test_redirect_limit(sites: Fixture) -> None:
    chain = sites.sites["loi"].routes
    for i in range(4):
        chain[f"/hop-{i}"] = Route(status=301, location=f"/hop-{i + 1}")
    chain["/hop-4"] = Route(body=b"end")
    assert get(sites.url("loi", "/hop-0")).ok
    result = get(sites.url("loi", "/hop-0"), crawl_max_redirects=2)
    assert "Quá 2 lần chuyển hướng" in (result.error or "")


def test_redirect_hop_to_a_private_address_is_refused(sites: Fixture) -> None:
    result = get(sites.url("loi", "/out.xml"))
    assert "169.254.169.254" in (result.error or "") and "không được phép" in (result.error or "")


def test_loopback_refused_without_the_allow_setting(sites: Fixture) -> None:
    before = len(sites.hits("baotinh"))
    result = get(sites.url("baotinh", "/rss.xml"), crawl_allow_networks="")
    assert "không được phép" in (result.error or "")
    assert len(sites.hits("baotinh")) == before  # not even robots.txt was asked for


def test_robots_disallowed_path_is_never_requested(sites: Fixture) -> None:
    result = get(sites.url("baotinh", "/noi-bo/bai-an.html"))
    assert result.robots_blocked and "robots.txt" in (result.error or "")
    assert not [h for h in sites.hits() if h.path.startswith("/noi-bo/")]


def test_robots_fetched_once_per_origin_and_crawl(sites: Fixture) -> None:
    async def two(fetcher: Fetcher) -> None:
        await fetcher.get(sites.url("dai", "/news/bai-1.html"))
        await fetcher.get(sites.url("dai", "/news/bai-2.html"))

    before = len([h for h in sites.hits("dai") if h.path == "/robots.txt"])
    with_fetcher(two)
    assert len([h for h in sites.hits("dai") if h.path == "/robots.txt"]) == before + 1


def test_robots_5xx_disallows_and_4xx_allows(sites: Fixture) -> None:
    routes = sites.sites["huyen"].routes
    routes["/robots.txt"] = Route(status=503, body=b"down", content_type="text/plain")
    try:
        assert get(sites.url("huyen", "/tin-tuc")).robots_blocked
    finally:
        del routes["/robots.txt"]  # 404: everything allowed
    assert get(sites.url("huyen", "/tin-tuc")).ok


def test_one_request_at_a_time_per_origin_with_the_delay(sites: Fixture) -> None:
    async def burst(fetcher: Fetcher) -> float:
        await fetcher.robots(sites.url("dai", "/"))
        started = time.monotonic()
        urls = [sites.url("dai", f"/news/bai-{i}.html") for i in (1, 2, 3)] * 2
        await asyncio.gather(*(fetcher.get(u) for u in urls))
        return time.monotonic() - started

    elapsed = with_fetcher(burst, crawl_delay_s=0.2)
    assert elapsed >= 5 * 0.2 * 0.9  # six requests, five gaps


def test_retry_after_is_honoured_then_retried_once(sites: Fixture) -> None:
    routes = sites.sites["dai"].routes
    routes["/busy.xml"] = Route(status=429, headers={"Retry-After": "0"}, content_type="text/plain")
    result = get(sites.url("dai", "/busy.xml"))
    assert result.status == 429
    assert len([h for h in sites.hits("dai") if h.path == "/busy.xml"]) == 2


def test_long_retry_after_skips_the_origin_for_this_crawl(sites: Fixture) -> None:
    routes = sites.sites["dai"].routes
    routes["/closed.xml"] = Route(
        status=503, headers={"Retry-After": "3600"}, content_type="text/plain"
    )

    async def two(fetcher: Fetcher) -> FetchResult:
        await fetcher.get(sites.url("dai", "/closed.xml"))
        return await fetcher.get(sites.url("dai", "/news/bai-1.html"))

    result = with_fetcher(two)
    assert "tạm dừng" in (result.error or "")


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("120") == 120.0
    assert retry_after(None) is None and retry_after("soon") is None
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_corrupt_gzip_is_an_error_not_a_crash(sites: Fixture) -> None:
    routes = sites.sites["dai"].routes
    routes["/corrupt.xml"] = Route(body=b"\x1f\x8b\x08\x00garbage-not-deflate", encoding="gzip")
    result = get(sites.url("dai", "/corrupt.xml"))
    assert not result.ok and "nén hỏng" in (result.error or "")


def test_ipv6_target_keeps_brackets_and_host_header() -> None:
    url, headers, ext = _pinned(
        "https://cong.gov.vn:8443/rss?x=1", Target("cong.gov.vn", "2001:db8::1", 8443)
    )
    assert str(url) == "https://[2001:db8::1]:8443/rss?x=1"
    assert headers == {"Host": "cong.gov.vn:8443"} and ext == {"sni_hostname": "cong.gov.vn"}


def test_robots_crawl_delay_lengthens_the_gap(sites: Fixture) -> None:
    routes = sites.sites["huyen"].routes
    routes["/robots.txt"] = Route(
        body=b"User-agent: trienkhai\nCrawl-delay: 0.4\nAllow: /\n", content_type="text/plain"
    )

    async def three(fetcher: Fetcher) -> float:
        await fetcher.robots(sites.url("huyen", "/"))
        started = time.monotonic()
        for i in (1, 2, 3):
            await fetcher.get(sites.url("huyen", f"/bai-viet/bai-{i}.html"))
        return time.monotonic() - started

    try:
        elapsed = with_fetcher(three)
    finally:
        del routes["/robots.txt"]
    assert elapsed >= 3 * 0.4 * 0.9  # the gap after robots.txt, then two more


class NamedLoopback(AddressGuard):
    """A resolver for test names: every host is 127.0.0.1 (no DNS server on loopback to ask)."""

    async def check(self, url: str) -> Target:
        host, port = split_host(url)
        return Target(host=host, address="127.0.0.1", port=port)


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """An HTTPS server on 127.0.0.1 with a certificate for 'trienkhai.test'; echoes Host."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=trienkhai.test", "-addext", "subjectAltName=DNS:trienkhai.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip

    class Echo(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = self.headers.get("Host", "").encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], cert
    server.shutdown()
    server.server_close()


def test_https_connects_to_the_checked_address_and_verifies_the_name(
    tls_site: tuple[int, Path],
) -> None:
    port, cert = tls_site

    async def fetch(host: str) -> FetchResult:
        verify = ssl.create_default_context(cafile=str(cert))
        async with httpx.AsyncClient(verify=verify, trust_env=False) as client:
            url = f"https://{host}:{port}/rss"
            return await download(client, url, guard=NamedLoopback(), limits=FetchLimits())

    good = asyncio.run(fetch("trienkhai.test"))
    assert good.ok and good.body == f"trienkhai.test:{port}".encode()
    wrong = asyncio.run(fetch("other.test"))  # the certificate does not name it
    assert not wrong.ok and "Lỗi kết nối" in (wrong.error or "")
