"""Canonical URLs: the key that keeps an item from being stored twice."""

from __future__ import annotations

from urllib.parse import urlsplit

from courlan import normalize_url


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, default port, tracking parameters and fragment dropped."""
    url = url.strip()
    try:
        return str(normalize_url(url, strict=True))
    except (ValueError, AttributeError):
        # courlan refuses some odd but fetchable URLs; keep them as written, fragment dropped.
        return url.split("#", 1)[0]


def is_http(url: str) -> bool:
    """Whether the URL is an absolute http(s) address."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
