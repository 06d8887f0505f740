"""Publication dates as feeds write them: RFC 822, ISO 8601, and Vietnamese forms."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime, timedelta, tzinfo

from trienkhai.text import fold

# "02/12/2026", "2-12-2026", "02.12.2026"
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?!\d)")
# "ngày 2 tháng 12 năm 2026", "2 tháng 12, 2026" (matched on folded text: "thang", "nam")
_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:,|nam)?\s*(\d{4})")
# "08:30", "8h30", "08:30:15"
_TIME = re.compile(r"(?<!\d)(\d{1,2})\s*[:h]\s*(\d{2})(?::(\d{2}))?(?!\d)")
# "(GMT+7)", "UTC+07:00"
_OFFSET = re.compile(r"(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")


def parse_date(text: str | None, *, zone: tzinfo) -> datetime | None:
    """An aware UTC datetime from a feed's date text; naive forms are read in the local zone."""
    if not text or not text.strip():
        return None
    text = text.strip()
    for reader in (_iso, _rfc822):
        found = reader(text)
        if found is not None:
            return _to_utc(found, zone)
    return _vietnamese(text, zone)


def _to_utc(value: datetime, zone: tzinfo) -> datetime | None:
    """The value in UTC, naive read as local; None when out of range."""
    try:
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _iso(text: str) -> datetime | None:
    """ISO 8601 (JSON Feed, Atom, sitemaps); a trailing Z accepted."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    """RFC 822 / 2822 (RSS)."""
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _vietnamese(text: str, zone: tzinfo) -> datetime | None:
    """'Thứ hai, 02/12/2026 08:30 (GMT+7)', 'ngày 2 tháng 12 năm 2026', and the like."""
    folded = fold(text)
    match = _DMY.search(folded) or _WORDS.search(folded)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    rest = folded[: match.start()] + " " + folded[match.end() :]
    clock = _TIME.search(rest)
    hour, minute, second = (int(g or 0) for g in clock.groups()) if clock else (0, 0, 0)
    try:
        value = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    offset = _OFFSET.search(rest)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        delta = timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0))
        return (value - sign * delta).replace(tzinfo=UTC)
    return _to_utc(value, zone)
