"""Polite asynchronous fetching: address guard, robots.txt, one request per origin, size limits.

`download` is the pure step: one request, one answer, everything it needs passed in. `Fetcher`
holds one crawl's state (origin gates, robots rules) and follows redirects hop by hop, so the
guard, robots.txt and politeness see every hop.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from trienkhai import __version__
from trienkhai.ingest.guard import AddressGuard, BlockedAddressError, Target
from trienkhai.settings import Settings

ROBOTS_AGENT = "trienkhai"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
BACK_OFF_STATUSES = frozenset({429, 503})
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: at least 500 KiB must be read
CHUNK = 64 * 1024


class TooLargeError(Exception):
    """A body beyond the size limit, as received or once decompressed."""


class OriginBusyError(Exception):
    """The origin asked for a longer pause than one crawl waits."""


@dataclass(frozen=True)
class FetchLimits:
    """Limits of one request: time, size, redirects, and who we say we are."""

    timeout_s: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    delay_s: float = 1.0
    max_wait_s: float = 60.0
    user_agent: str = f"trienkhai/{__version__} (public-information campaign tracker)"

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchLimits:
        """The limits the settings name."""
        return cls(
            timeout_s=settings.crawl_timeout_s,
            max_bytes=settings.crawl_max_bytes,
            max_redirects=settings.crawl_max_redirects,
            delay_s=settings.crawl_delay_s,
            max_wait_s=settings.crawl_max_wait_s,
            user_agent=(
                f"trienkhai/{__version__} (public-information campaign tracker; "
                f"+{settings.base_url})"
            ),
        )


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the ETag and Last-Modified of the last answer."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The If-None-Match / If-Modified-Since headers."""
        out: dict[str, str] = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass
class FetchResult:
    """One answer (after redirects), or why there is none."""

    url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    redirects: int = 0
    conditional: bool = False
    robots_blocked: bool = False
    temporary: bool = False  # no answer for a reason that may pass (timeout, network, busy)

    @property
    def ok(self) -> bool:
        """A 2xx answer with its body."""
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def retry_later(self) -> bool:
        """Whether asking again later may succeed (no answer, or a 5xx / 429)."""
        status = self.status or 0
        return self.temporary or status >= 500 or status == 429

    @property
    def not_modified(self) -> bool:
        """A 304 to a conditional request."""
        return self.error is None and self.status == 304

    @property
    def validators(self) -> Validators:
        """The validators to send next time."""
        return Validators(self.headers.get("etag"), self.headers.get("last-modified"))

    @property
    def content_type(self) -> str:
        """The media type, lower case, without parameters."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def text(self) -> str:
        """The body as text: the declared charset, else a <meta> charset, else UTF-8."""
        return self.body.decode(
            charset_of(self.headers.get("content-type", ""), self.body), "replace"
        )

    def problem(self) -> str:
        """What went wrong, in one Vietnamese line (for a source's or item's error)."""
        if self.error:
            return self.error
        return f"HTTP {self.status} tại {self.final_url}"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def charset_of(content_type: str, body: bytes) -> str:
    """The charset named by the header or the page, when Python knows it; else UTF-8."""
    match = re.search(r"charset=[\"']?([A-Za-z0-9_\-]+)", content_type, re.IGNORECASE)
    name = match.group(1) if match else None
    if name is None:
        meta = _META_CHARSET.search(body[:4096])
        name = meta.group(1).decode("ascii") if meta else "utf-8"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


def origin_of(url: str) -> str:
    """scheme://host:port, the unit of politeness and of robots.txt."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _decoder(encoding: str) -> zlib._Decompress | None:
    """A decompressor for the Content-Encoding (None: not encoded); ValueError if unknown."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header, detected
    raise ValueError(f"Content-Encoding '{encoding}' không được hỗ trợ")


async def read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, decompressed in bounded steps: past max_bytes either way, TooLargeError."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeError(f"Nội dung {int(declared)} byte vượt giới hạn {max_bytes} byte")
    decoder = _decoder(response.headers.get("content-encoding", ""))
    received = 0
    out = bytearray()
    async for chunk in response.aiter_raw(CHUNK):
        received += len(chunk)
        if received > max_bytes:
            raise TooLargeError(f"Nội dung vượt giới hạn {max_bytes} byte")
        if decoder is None:
            out += chunk
            continue
        # max_length bounds what one compressed chunk may expand to: a gzip bomb stops here.
        out += decoder.decompress(chunk, max_bytes - len(out) + 1)
        if len(out) > max_bytes or decoder.unconsumed_tail:
            raise TooLargeError(f"Nội dung giải nén vượt giới hạn {max_bytes} byte")
    if len(out) > max_bytes:
        raise TooLargeError(f"Nội dung vượt giới hạn {max_bytes} byte")
    return bytes(out)


def _pinned(url: str, target: Target) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The URL aimed at the checked address, with the Host header and TLS name of the original."""
    original = httpx.URL(url)
    pinned = original.copy_with(host=target.address)
    host_header = original.netloc.decode("ascii")
    return pinned, {"Host": host_header}, {"sni_hostname": target.host}


async def download(
    client: httpx.AsyncClient,
    url: str,
    *,
    guard: AddressGuard,
    limits: FetchLimits,
    headers: dict[str, str] | None = None,
) -> FetchResult:
    """One GET, redirects not followed: guard, connect to the checked address, bounded read."""
    result = FetchResult(url=url, final_url=url)
    try:
        async with asyncio.timeout(limits.timeout_s):
            target = await guard.check(url)
            pinned, host, ext = _pinned(url, target)
            request = client.build_request(
                "GET",
                pinned,
                headers={**_base_headers(limits), **(headers or {}), **host},
                extensions=ext,
            )
            response = await client.send(request, stream=True)
            try:
                result.status = response.status_code
                result.headers = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code not in REDIRECTS and response.status_code != 304:
                    result.body = await read_body(response, limits.max_bytes)
            finally:
                await response.aclose()
    except TimeoutError:
        result.error = f"Quá thời gian chờ ({limits.timeout_s:g} s) khi tải {url}"
        result.temporary = True
    except BlockedAddressError as exc:
        result.error = str(exc)
    except TooLargeError as exc:
        result.error = f"{exc} ({url})"
    except zlib.error as exc:
        result.error = f"Nội dung nén hỏng tại {url}: {exc}"
    except (httpx.HTTPError, ValueError, OSError) as exc:
        result.error = f"Lỗi kết nối tới {url}: {type(exc).__name__}: {exc}"
        result.temporary = not isinstance(exc, ValueError)
    return result


def _base_headers(limits: FetchLimits) -> dict[str, str]:
    """Headers of every request; only encodings read_body can bound are offered."""
    return {
        "User-Agent": limits.user_agent,
        "Accept-Encoding": "gzip, deflate",
        "Accept": "*/*",
    }


@dataclass
class OriginGate:
    """One origin's turn: one request at a time, `delay` seconds apart, pushed by Retry-After."""

    delay: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0


@dataclass
class RobotsRules:
    """An origin's robots.txt: parsed rules, or allow-all / disallow-all when it had none."""

    parser: Protego | None = None
    allow_all: bool = True
    reason: str = ""  # why there are no rules (robots.txt unreachable, 5xx)

    def allowed(self, url: str) -> bool:
        """Whether our agent may fetch the URL."""
        if self.parser is not None:
            return bool(self.parser.can_fetch(url, ROBOTS_AGENT))
        return self.allow_all

    def crawl_delay(self) -> float | None:
        """The Crawl-delay for our agent, if any."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(ROBOTS_AGENT)
        return float(delay) if delay is not None else None

    def sitemaps(self) -> list[str]:
        """The Sitemap: lines."""
        return list(self.parser.sitemaps) if self.parser is not None else []


class Fetcher:
    """One crawl's fetching state: the HTTP client, origin gates and robots rules."""

    def __init__(
        self, *, guard: AddressGuard, limits: FetchLimits, client: httpx.AsyncClient | None = None
    ) -> None:
        self.guard = guard
        self.limits = limits
        self._own_client = client is None
        # The timeout here is per phase; download() bounds the whole request as well.
        self.client = client or httpx.AsyncClient(
            follow_redirects=False, timeout=httpx.Timeout(limits.timeout_s), trust_env=False
        )
        self._gates: dict[str, OriginGate] = {}
        self._robots: dict[str, asyncio.Task[RobotsRules]] = {}
        self.requests = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client if this fetcher made it, and stop robots loads still running."""
        for task in self._robots.values():
            task.cancel()
        if self._own_client:
            await self.client.aclose()

    def gate(self, origin: str) -> OriginGate:
        """The origin's gate, made on first use."""
        if origin not in self._gates:
            self._gates[origin] = OriginGate(delay=self.limits.delay_s)
        return self._gates[origin]

    def back_off(self, origin: str, seconds: float) -> None:
        """Keep the origin quiet for the given time (Retry-After, or our own back-off)."""
        gate = self.gate(origin)
        gate.next_at = max(gate.next_at, time.monotonic() + seconds)

    @asynccontextmanager
    async def turn(self, origin: str) -> AsyncIterator[None]:
        """Wait for the origin's turn; OriginBusyError when it asked for too long a pause."""
        gate = self.gate(origin)
        async with gate.lock:
            wait = gate.next_at - time.monotonic()
            if wait > self.limits.max_wait_s:
                raise OriginBusyError(f"{origin} yêu cầu tạm dừng {wait:.0f} s; để lần thu sau")
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                gate.next_at = max(gate.next_at, time.monotonic() + gate.delay)

    async def robots(self, url: str) -> RobotsRules:
        """The robots.txt rules of the URL's origin, loaded once per crawl."""
        origin = origin_of(url)
        if origin not in self._robots:
            self._robots[origin] = asyncio.ensure_future(self._load_robots(origin))
        return await self._robots[origin]

    async def _load_robots(self, origin: str) -> RobotsRules:
        """Fetch and parse robots.txt (RFC 9309: 4xx allows all; 5xx or unreachable, none)."""
        parts = urlsplit(origin)
        url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        if (parts.scheme == "http" and parts.port == 80) or (
            parts.scheme == "https" and parts.port == 443
        ):
            url = f"{parts.scheme}://{parts.hostname}/robots.txt"
        result = await self._follow(url, Validators(), check_robots=False)
        if result.ok:
            text = result.body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
            rules = RobotsRules(parser=Protego.parse(text))
            delay = rules.crawl_delay()
            if delay is not None:
                gate = self.gate(origin)
                gate.delay = max(gate.delay, min(delay, self.limits.max_wait_s))
                gate.next_at = max(gate.next_at, time.monotonic() + gate.delay)
            return rules
        if result.status is not None and 400 <= result.status < 500:
            return RobotsRules(allow_all=True)
        return RobotsRules(allow_all=False, reason=result.problem())

    async def get(self, url: str, validators: Validators | None = None) -> FetchResult:
        """GET the URL politely, following redirects; never raises for network trouble."""
        return await self._follow(url, validators or Validators(), check_robots=True)

    async def _follow(self, url: str, validators: Validators, *, check_robots: bool) -> FetchResult:
        """Follow redirects hop by hop; each hop guarded, robots-checked and polite."""
        seen = {url}
        current = url
        headers = validators.headers()
        for hop in range(self.limits.max_redirects + 1):
            result = await self._hop(current, headers, check_robots=check_robots)
            result.url, result.redirects = url, hop
            result.conditional = bool(validators.headers())
            if result.error or result.status not in REDIRECTS or "location" not in result.headers:
                return result
            nxt = urljoin(current, result.headers["location"])
            if nxt in seen:
                result.error = f"Vòng chuyển hướng tại {nxt} (từ {url})"
                return result
            seen.add(nxt)
            current = nxt
            headers = {}  # validators belong to the first URL only
        return FetchResult(
            url=url,
            final_url=current,
            error=f"Quá {self.limits.max_redirects} lần chuyển hướng (từ {url})",
            redirects=self.limits.max_redirects,
        )

    async def _hop(self, url: str, headers: dict[str, str], *, check_robots: bool) -> FetchResult:
        """One polite request; a 429/503 asking for a short wait is tried once more."""
        try:  # refused addresses are named as such, before robots.txt is even looked for
            await self.guard.check(url)
        except BlockedAddressError as exc:
            return FetchResult(url=url, final_url=url, error=str(exc))
        if check_robots:
            rules = await self.robots(url)
            if not rules.allowed(url):
                why = f"robots.txt không cho phép tải {url}"
                if rules.reason:  # RFC 9309 §2.3.1.4: an unreachable robots.txt forbids all
                    why = f"Không tải được robots.txt ({rules.reason}); tạm không tải {url}"
                return FetchResult(
                    url=url,
                    final_url=url,
                    error=why,
                    robots_blocked=True,
                    temporary=bool(rules.reason),
                )
        origin = origin_of(url)
        result = FetchResult(url=url, final_url=url)
        for attempt in range(2):
            try:
                async with self.turn(origin):
                    self.requests += 1
                    result = await download(
                        self.client, url, guard=self.guard, limits=self.limits, headers=headers
                    )
            except OriginBusyError as exc:
                return FetchResult(url=url, final_url=url, error=str(exc), temporary=True)
            result.final_url = url
            if result.status not in BACK_OFF_STATUSES:
                return result
            wait = retry_after(result.headers.get("retry-after"))
            self.back_off(origin, wait if wait is not None else self.limits.delay_s * 30)
            if attempt == 0 and wait is not None and wait <= self.limits.max_wait_s:
                continue
            break
        return result
