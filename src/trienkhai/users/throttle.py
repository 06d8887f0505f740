"""Sign-in throttling per account and per client address, kept in the database.

Failures live in `login_failures`, so every server process sees the same count. While an account
or an address is locked, attempts are refused before any password hash is computed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trienkhai.db import utcnow
from trienkhai.errors import ServiceError
from trienkhai.settings import get_settings
from trienkhai.text import nfc
from trienkhai.users.models import LoginFailure


class LockedOutError(ServiceError):
    """Too many failed sign-ins; the message says when to try again (HTTP 429)."""

    status_code = 429

    def __init__(self, until: datetime) -> None:
        self.until = until
        local = until.astimezone(ZoneInfo(get_settings().timezone))
        minutes = max(1, int((until - utcnow()).total_seconds() + 59) // 60)
        super().__init__(
            "Đăng nhập sai quá nhiều lần. Hãy thử lại sau "
            f"{local:%H:%M} (khoảng {minutes} phút nữa)."
        )


def account_key(username: str) -> str:
    """The name failures are counted under (NFC, trimmed, case-folded, bounded)."""
    return nfc(username).strip().casefold()[:80]


def _aware(value: datetime) -> datetime:
    """The time as aware UTC (SQLite hands back naive values)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _locked_until(session: Session, column: object, value: str, limit: int) -> datetime | None:
    """When the lock on this account or address ends, or None when it is not locked."""
    window = timedelta(minutes=get_settings().login_window_minutes)
    recent = list(
        session.scalars(
            select(LoginFailure.at)
            .where(column == value, LoginFailure.at >= utcnow() - window)  # type: ignore[arg-type]
            .order_by(LoginFailure.at.desc())
            .limit(limit)
        )
    )
    if limit < 1 or len(recent) < limit:
        return None
    return _aware(recent[-1]) + window  # the limit-th latest failure leaves the window then


def check_not_locked(*, session: Session, username: str, address: str) -> None:
    """Raise LockedOutError when the account or the address has failed too often lately."""
    settings = get_settings()
    checks = (
        (LoginFailure.username, account_key(username), settings.login_max_failures),
        (LoginFailure.address, address, settings.login_max_failures_per_address),
    )
    ends = [_locked_until(session, col, val, limit) for col, val, limit in checks]
    latest = max((e for e in ends if e is not None), default=None)
    if latest is not None:
        raise LockedOutError(latest)


def record_failure(*, session: Session, username: str, address: str) -> None:
    """Count one failed sign-in and forget failures older than the window."""
    window = timedelta(minutes=get_settings().login_window_minutes)
    session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - window))
    session.add(LoginFailure(username=account_key(username), address=address[:64]))
    session.flush()


def clear_failures(*, session: Session, username: str) -> None:
    """Forget the account's failures after a successful sign-in."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == account_key(username)))
