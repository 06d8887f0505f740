"""ICS feeds of assignment deadlines per campaign and per unit, with signed feed tokens."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.db import utcnow
from trienkhai.reports.context import STATE_LABELS
from trienkhai.settings import get_settings
from trienkhai.units.models import Unit


def _serializer() -> URLSafeSerializer:
    """Signs feed tokens with the app secret (a separate salt from session tokens)."""
    return URLSafeSerializer(get_settings().secret_key.get_secret_value(), salt="ics-feed")


def feed_token(scope: str, ident: int) -> str:
    """A token that opens one feed without signing in (calendar programs cannot sign in)."""
    return str(_serializer().dumps({"s": scope, "id": ident}))


def token_allows(token: str, scope: str, ident: int) -> bool:
    """Whether the token was issued for this feed."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("s") == scope and data.get("id") == ident


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
