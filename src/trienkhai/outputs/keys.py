"""Canonical URLs and the natural key of an output (dedup_key)."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from trienkhai.text import fold

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Tracking parameters that never change what page is shown.
_TRACKING = {"fbclid", "gclid", "zarsrc", "zalo_source", "mc_cid", "mc_eid", "igshid", "ref_src"}


# A bare web address: a dotted host name (or IPv4), an optional port, then an optional path.
_BARE_ADDRESS = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}\.?(?::\d{1,5})?(?:[/?#]\S*)?$"
    r"|^(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?:[/?#]\S*)?$",
    re.IGNORECASE,
)


def complete_url(url: str) -> str:
    """A link typed without a scheme ('baokontum.com.vn/bai') gets https://; others unchanged.

    Why: without a scheme the browser reads the link as relative to our own page and it is
    broken; only what looks like a host name is completed, anything else is left to be refused.
    """
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    if "://" in url or not _BARE_ADDRESS.match(url):
        return url
    return "https://" + url


def _keep_param(name: str) -> bool:
    """Whether a query parameter identifies content (tracking parameters do not)."""
    lowered = name.lower()
    return not lowered.startswith("utm_") and lowered not in _TRACKING


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, fragment, tracking params or trailing slash."""
    url = url.strip()
    if not url:
        return ""
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if _keep_param(k)]
    )
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, query, ""))


def url_host(url: str) -> str:
    """The lower-case host of a URL without a leading 'www.'."""
    host = (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()
    return host.removeprefix("www.")


def host_on_domains(url: str, domains: list[str]) -> bool:
    """Whether the URL's host is one of the domains or a subdomain of one."""
    host = url_host(url)
    for domain in domains:
        bare = url_host(domain)
        if bare and (host == bare or host.endswith("." + bare)):
            return True
    return False


def normalised_title(title: str) -> str:
    """Accent-, case- and space-insensitive title used in the natural key."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(title)).split())


def dedup_key(
    *, unit_id: int, canonical: str, channel: str, title: str, published: date | datetime
) -> str:
    """sha256 hex of unit + canonical URL, or of unit + channel + normalised title + date."""
    day = published.date() if isinstance(published, datetime) else published
    if canonical:
        # The scheme does not make a different page: http and https of one URL are one output.
        natural = f"url|{unit_id}|{canonical.split('://', 1)[-1]}"
    else:
        natural = f"title|{unit_id}|{channel}|{normalised_title(title)}|{day.isoformat()}"
    return hashlib.sha256(natural.encode("utf-8")).hexdigest()
