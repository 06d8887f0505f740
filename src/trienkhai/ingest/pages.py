"""Fetch one page for the link check: plain httpx, redirects followed by hand, size-limited.

The crawler's polite fetcher (ingest/fetch.py, with the full address guard) replaces this
when the two halves of output discovery meet; until then it refuses targets by the same
AddressGuard policy (TRIENKHAI_CRAWL_ALLOW_NETWORKS), checked on every hop.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit

import httpx

from trienkhai.ingest.guard import AddressGuard
from trienkhai.settings import get_settings

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT_S = 15.0
USER_AGENT = "trienkhai-linkcheck/0.1 (+https://github.com/trienkhai)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class PageResponse:
    """What a fetch found: final address, status (0: no answer), headers, body, hops taken."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    redirects: tuple[str, ...] = ()
    error: str = ""
    reason: str = ""


def refused(url: str) -> str:
    """Why a URL may not be fetched ('' when it may): scheme, or a private address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"không phải địa chỉ http(s): {url}"
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        return f"không phân giải được tên miền {parts.hostname}: {exc}"
    guard = AddressGuard.from_text(get_settings().crawl_allow_networks)  # the crawler's policy
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not guard.permits(address):
            return f"địa chỉ nội bộ bị từ chối: {address} ({parts.hostname})"
    return ""


def fetch_page(url: str) -> PageResponse:
    """GET a page, following up to MAX_REDIRECTS redirects, each hop checked by `refused`."""
    hops: list[str] = []
    current = url
    with httpx.Client(timeout=TIMEOUT_S, headers={"User-Agent": USER_AGENT}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            why = refused(current)
            if why:
                return PageResponse(url, current, 0, redirects=tuple(hops), error=why)
            try:
                response = _get(client, current)
            except (httpx.HTTPError, ValueError) as exc:
                return PageResponse(url, current, 0, redirects=tuple(hops), error=str(exc))
            if response.status not in _REDIRECTS or "location" not in response.headers:
                return replace(response, url=url, redirects=tuple(hops))
            hops.append(current)
            current = urljoin(current, response.headers["location"])
    return PageResponse(url, current, 0, redirects=tuple(hops), error="quá nhiều lần chuyển hướng")


def _get(client: httpx.Client, url: str) -> PageResponse:
    """One GET, the body cut off (an error) past MAX_BYTES."""
    with client.stream("GET", url) as response:
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > MAX_BYTES:
                raise ValueError(f"trang lớn hơn {MAX_BYTES} byte")
        headers = {k.lower(): v for k, v in response.headers.items()}
        return PageResponse(
            url, url, response.status_code, headers, bytes(body), reason=response.reason_phrase
        )
