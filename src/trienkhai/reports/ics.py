"""ICS feeds of assignment deadlines per campaign and per unit, with signed, expiring tokens."""

from __future__ import annotations

from datetime import UTC, timedelta

from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.db import utcnow
from trienkhai.errors import NotFoundError
from trienkhai.reports.context import STATE_LABELS
from trienkhai.security import app_secret
from trienkhai.settings import get_settings
from trienkhai.units.models import Unit
from trienkhai.users.models import User


def _serializer() -> URLSafeTimedSerializer:
    """Signs feed tokens with the server's secret (a separate salt from session tokens)."""
    return URLSafeTimedSerializer(app_secret(), salt="ics-feed-v2")


def _marker(target: Campaign | Unit) -> int:
    """What tells this row from a later one that reuses its id: its creation instant (µs)."""
    created = target.created_at
    aware = created if created.tzinfo is not None else created.replace(tzinfo=UTC)
    return round(aware.timestamp() * 1_000_000)


def feed_token(scope: str, target: Campaign | Unit, user: User) -> str:
    """A token opening one feed without signing in, on behalf of the user who made it.

    It names the campaign or unit by id and creation instant (an id reused after a deletion
    does not match), carries the user's calendar version (revocation) and expires after
    `ics_token_days`; the feed re-checks the user's access each time it is read.
    """
    data = {
        "s": scope,
        "id": target.id,
        "m": _marker(target),
        "u": user.id,
        "cv": user.calendar_version,
    }
    return str(_serializer().dumps(data))


def link_token(*, session: Session, scope: str, ident: int, user: User) -> str:
    """A feed token for the campaign or unit with this id (NotFoundError if there is none)."""
    target = _target(session, scope, ident)
    if target is None:
        what = "chiến dịch" if scope == "campaign" else "đơn vị"
        raise NotFoundError(f"Không có {what} này")
    return feed_token(scope, target, user)


def _target(session: Session, scope: str, ident: int) -> Campaign | Unit | None:
    """The campaign or unit a feed names."""
    if scope == "campaign":
        return session.get(Campaign, ident)
    return session.get(Unit, ident)


def token_user(*, session: Session, token: str, scope: str, ident: int) -> User | None:
    """The active user on whose behalf a valid token opens this feed, or None."""
    try:
        data = _serializer().loads(token, max_age=get_settings().ics_token_days * 86400)
    except BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("s") != scope or data.get("id") != ident:
        return None
    target = _target(session, scope, ident)
    if target is None or data.get("m") != _marker(target):
        return None
    user = session.get(User, data.get("u", 0)) if isinstance(data.get("u"), int) else None
    if user is None or not user.active or user.calendar_version != data.get("cv"):
        return None
    return user


def _calendar(name: str) -> Calendar:
    """An empty calendar with the product id and a display name."""
    cal = Calendar()
    cal.add("prodid", "-//trienkhai//deadlines//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _event(assignment: Assignment, unit: Unit, campaign: Campaign) -> Event:
    """An all-day event on the assignment's deadline."""
    assert assignment.deadline is not None  # callers filter on the deadline
    event = Event()
    event.add("uid", f"assignment-{assignment.id}@trienkhai")
    event.add("dtstamp", utcnow())
    event.add("dtstart", assignment.deadline)
    event.add("dtend", assignment.deadline + timedelta(days=1))
    event.add("summary", f"Hạn báo cáo: {campaign.title} — {unit.name}")
    state = STATE_LABELS.get(assignment.state, assignment.state)
    tasks = "\n".join(f"- {t.get('task', '')}" for t in assignment.tasks or [] if t.get("task"))
    event.add("description", f"Trạng thái: {state}\n{tasks}".strip())
    event.add("url", f"{get_settings().base_url.rstrip('/')}/campaigns/{campaign.id}")
    return event


def _feed(session: Session, name: str, *conditions: object) -> bytes:
    """The calendar of assignments matching the conditions."""
    stmt = (
        select(Assignment, Unit, Campaign)
        .join(Unit, Unit.id == Assignment.unit_id)
        .join(Campaign, Campaign.id == Assignment.campaign_id)
        .where(Assignment.deadline.is_not(None), *conditions)  # type: ignore[arg-type]
        .order_by(Assignment.deadline, Assignment.id)
    )
    cal = _calendar(name)
    for assignment, unit, campaign in session.execute(stmt):
        cal.add_component(_event(assignment, unit, campaign))
    return bytes(cal.to_ical())


def campaign_feed(*, session: Session, campaign_id: int) -> bytes:
    """Deadlines of every assignment of a campaign."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise LookupError(f"campaign {campaign_id} not found")
    return _feed(
        session, f"Hạn triển khai: {campaign.title}", Assignment.campaign_id == campaign_id
    )


def unit_feed(*, session: Session, unit_id: int) -> bytes:
    """Deadlines of every assignment of a unit, across campaigns."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise LookupError(f"unit {unit_id} not found")
    return _feed(session, f"Hạn triển khai: {unit.name}", Assignment.unit_id == unit_id)
