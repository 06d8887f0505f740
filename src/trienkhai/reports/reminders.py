"""Deadline reminders (7, 3, 1 days before; overdue) to units, and the coordinators' daily digest.

Exactly-once, as far as SMTP allows: each reminder is first *claimed* (a ReminderSent row with
status 'claimed', committed), then sent, then marked 'sent'. A crash before the send leaves a
claim that the next run sends; the unique key stops a second claim. Only a crash between the
server's "250 OK" and the commit of 'sent' (milliseconds) can repeat a message: we accept that
rather than lose a reminder, and the Message-ID is stable so mail clients fold the duplicate.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, Campaign, CampaignStatus, ReminderSent
from trienkhai.db import utcnow
from trienkhai.reports.context import STATE_LABELS, short_date
from trienkhai.reports.models import DigestSent
from trienkhai.reports.service import SETTLED_STATES
from trienkhai.settings import Settings, get_settings
from trienkhai.units.models import Unit
from trienkhai.users.models import Role, User

CLAIMED, SENT = "claimed", "sent"
Send = Callable[[EmailMessage], None]


def reminder_kind(days_left: int) -> str | None:
    """Which reminder is due: a missed run still sends the most urgent one that applies."""
    if days_left < 0:
        return "overdue"
    if days_left <= 1:
        return "1d"
    if days_left <= 3:
        return "3d"
    if days_left <= 7:
        return "7d"
    return None


@dataclass(frozen=True)
class Item:
    """An outstanding assignment of a unit."""

    assignment_id: int
    unit_id: int
    unit_name: str
    email: str
    campaign_id: int
    campaign_title: str
    deadline: date | None  # None only for the manual "remind now" of an undated assignment
    state: str


@dataclass
class RunResult:
    """What a reminder run did (or would do, in a dry run)."""

    planned: list[tuple[Item, str]] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # addresses mailed
    failed: list[str] = field(default_factory=list)
    no_email: list[str] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)


def outstanding(
    *,
    session: Session,
    today: date,
    unit_id: int | None = None,
    campaign_id: int | None = None,
    dated_only: bool = True,
) -> list[Item]:
    """Unsettled assignments in active campaigns (with a deadline unless told), soonest first."""
    stmt = (
        select(Assignment, Unit, Campaign)
        .join(Unit, Unit.id == Assignment.unit_id)
        .join(Campaign, Campaign.id == Assignment.campaign_id)
        .where(
            Campaign.status == CampaignStatus.active.value,
            Assignment.state.not_in(SETTLED_STATES),
        )
        .order_by(Assignment.deadline, Assignment.id)
    )
    if unit_id is not None:
        stmt = stmt.where(Assignment.unit_id == unit_id)
    if campaign_id is not None:
        stmt = stmt.where(Assignment.campaign_id == campaign_id)
    if dated_only:
        stmt = stmt.where(Assignment.deadline.is_not(None))
    return [
        Item(a.id, u.id, u.name, u.email, c.id, c.title, a.deadline, a.state)
        for a, u, c in session.execute(stmt)
    ]


def due(*, session: Session, today: date) -> list[tuple[Item, str]]:
    """(item, kind) pairs whose reminder was not claimed yet."""
    done = set(session.execute(select(ReminderSent.assignment_id, ReminderSent.kind)))
    result = []
    for item in outstanding(session=session, today=today):
        if item.deadline is None:
            continue
        kind = reminder_kind((item.deadline - today).days)
        if kind and (item.assignment_id, kind) not in done:
            result.append((item, kind))
    return result


def claim(*, session: Session, pairs: list[tuple[Item, str]]) -> None:
    """Insert one claim per reminder and commit; a claim another run made first is skipped."""
    for item, kind in pairs:
        try:
            with session.begin_nested():
                session.add(
                    ReminderSent(
                        assignment_id=item.assignment_id,
                        kind=kind,
                        status=CLAIMED,
                        recipients=[item.email],
                    )
                )
        except IntegrityError:
            continue
    session.commit()


def _days_phrase(deadline: date | None, today: date) -> str:
    """'còn 3 ngày', 'đến hạn hôm nay', 'quá hạn 2 ngày' or 'chưa định hạn'."""
    if deadline is None:
        return "chưa định hạn"
    days = (deadline - today).days
    if days > 0:
        return f"còn {days} ngày"
    return "đến hạn hôm nay" if days == 0 else f"quá hạn {-days} ngày"


def _deadline_text(deadline: date | None, today: date) -> str:
    """'hạn 05/3/2025 (còn 3 ngày)' or 'chưa định hạn'."""
    if deadline is None:
        return _days_phrase(None, today)
    return f"hạn {short_date(deadline)} ({_days_phrase(deadline, today)})"


def reminder_message(
    *, unit: Unit, items: list[Item], today: date, settings: Settings, claim_ids: list[int]
) -> EmailMessage:
    """The Vietnamese reminder listing all of a unit's outstanding items."""
    msg = EmailMessage()
    msg["Subject"] = f"[trienkhai] Nhắc hạn triển khai: {len(items)} nhiệm vụ của {unit.name}"
    msg["From"], msg["To"] = settings.smtp_from, unit.email
    msg["Message-ID"] = f"<reminder-{'-'.join(map(str, sorted(claim_ids)))}@trienkhai>"
    lines = [f"Kính gửi: {unit.name},", "", "Đơn vị còn các nhiệm vụ tuyên truyền chưa hoàn thành:"]
    for item in items:
        state = STATE_LABELS.get(item.state, item.state)
        lines += [
            f"- {item.campaign_title}: {_deadline_text(item.deadline, today)}, "
            f"trạng thái: {state}.",
            f"  {settings.base_url.rstrip('/')}/campaigns/{item.campaign_id}",
        ]
    lines += [
        "",
        "Đề nghị đơn vị cập nhật các tin, bài đã đăng, phát và gửi báo cáo đúng hạn.",
        "",
        "Trân trọng./.",
    ]
    msg.set_content("\n".join(lines))
    return msg


def smtp_sender(settings: Settings | None = None) -> Send:
    """A function sending one message through the configured SMTP server."""
    cfg = settings or get_settings()

    def send(msg: EmailMessage) -> None:
        with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=30) as smtp:
            if cfg.smtp_starttls:
                smtp.starttls()
            if cfg.smtp_user:
                smtp.login(cfg.smtp_user, cfg.smtp_password.get_secret_value())
            smtp.send_message(msg)

    return send


def _deliver(
    *, session: Session, claims: list[ReminderSent], msg: EmailMessage, send: Send
) -> bool:
    """Send one message for the claims; mark them sent, or count the failed attempt."""
    try:
        send(msg)
    except (OSError, smtplib.SMTPException) as exc:
        for c in claims:
            c.attempts, c.error = c.attempts + 1, str(exc)[:500]
        session.commit()
        return False
    for c in claims:
        c.status, c.sent_at, c.attempts, c.error = SENT, utcnow(), c.attempts + 1, ""
    session.commit()
    return True


def send_claimed(
    *, session: Session, today: date, send: Send, settings: Settings, result: RunResult
) -> None:
    """Send every unsent claim (this run's and any a crashed run left), one e-mail per unit."""
    claims = session.scalars(select(ReminderSent).where(ReminderSent.status == CLAIMED)).all()
    by_unit: dict[int, list[ReminderSent]] = defaultdict(list)
    for c in claims:
        assignment = session.get(Assignment, c.assignment_id)
        if assignment is not None:
            by_unit[assignment.unit_id].append(c)
    for unit_id, unit_claims in by_unit.items():
        unit = session.get(Unit, unit_id)
        items = outstanding(session=session, today=today, unit_id=unit_id, dated_only=False)
        if unit is None or not unit.email or not items:
            continue
        ids = [c.id for c in unit_claims]
        msg = reminder_message(
            unit=unit, items=items, today=today, settings=settings, claim_ids=ids
        )
        ok = _deliver(session=session, claims=unit_claims, msg=msg, send=send)
        (result.sent if ok else result.failed).append(unit.email)


def digest_message(
    *, session: Session, user: User, today: date, settings: Settings
) -> EmailMessage | None:
    """The coordinator's daily digest: per active campaign, overdue and soon-due assignments."""
    items = outstanding(session=session, today=today)
    if not items:
        return None
    per_campaign: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        per_campaign[item.campaign_title].append(item)
    lines = [
        f"Kính gửi: {user.full_name or user.username},",
        "",
        f"Tình hình ngày {short_date(today)}:",
    ]
    for title, group in per_campaign.items():
        dated = [(i, i.deadline) for i in group if i.deadline is not None]
        late = [i for i, d in dated if d < today]
        soon = [i for i, d in dated if today <= d <= today + timedelta(days=7)]
        lines.append(f"- {title}: {len(late)} nhiệm vụ quá hạn, {len(soon)} đến hạn trong 7 ngày.")
        lines += [f"    + {i.unit_name}: {_days_phrase(i.deadline, today)}" for i in late + soon]
    lines += ["", f"Chi tiết: {settings.base_url.rstrip('/')}/campaigns", "", "Trân trọng./."]
    msg = EmailMessage()
    msg["Subject"] = f"[trienkhai] Tổng hợp tiến độ ngày {short_date(today)}"
    msg["From"], msg["To"] = settings.smtp_from, user.email or ""
    msg["Message-ID"] = f"<digest-{today.isoformat()}-{user.id}@trienkhai>"
    msg.set_content("\n".join(lines))
    return msg


def send_digests(
    *, session: Session, today: date, send: Send, settings: Settings, result: RunResult
) -> None:
    """One digest per coordinator per day, with the same claim-then-send pattern."""
    users = session.scalars(
        select(User).where(User.role == Role.coordinator.value, User.active, User.email != "")
    ).all()
    for user in users:
        if not user.email:
            continue
        try:
            with session.begin_nested():
                session.add(DigestSent(day=today, user_id=user.id, status=CLAIMED))
        except IntegrityError:
            pass
        session.commit()
        row = session.scalar(
            select(DigestSent).where(DigestSent.day == today, DigestSent.user_id == user.id)
        )
        msg = digest_message(session=session, user=user, today=today, settings=settings)
        if row is None or row.status == SENT or msg is None:
            continue
        if _deliver(session=session, claims=[row], msg=msg, send=send):  # type: ignore[list-item]
            result.digests.append(user.email)


def run(
    *,
    session: Session,
    today: date,
    send: Send | None = None,
    settings: Settings | None = None,
    dry_run: bool = False,
) -> RunResult:
    """Claim the reminders due today, send all unsent claims, then the digests."""
    settings = settings or get_settings()
    result = RunResult(planned=due(session=session, today=today))
    result.no_email = sorted({i.unit_name for i, _k in result.planned if not i.email})
    if dry_run:
        return result
    send = send or smtp_sender(settings)
    claim(session=session, pairs=[(i, k) for i, k in result.planned if i.email])
    send_claimed(session=session, today=today, send=send, settings=settings, result=result)
    send_digests(session=session, today=today, send=send, settings=settings, result=result)
    return result


def send_due(
    *,
    session: Session,
    campaign_id: int,
    today: date,
    send: Send | None = None,
    settings: Settings | None = None,
) -> RunResult:
    """The coordinator's "remind now": every unit with outstanding work in the campaign, once a day.

    The scheduled 7/3/1-day reminders keep their own kinds; a manual reminder is keyed by the day
    ("manual-2026-11-27"), so pressing the button twice, or on a day a scheduled one went, sends
    each unit at most one manual reminder that day.
    """
    settings = settings or get_settings()
    kind = f"manual-{today.isoformat()}"
    done = set(session.scalars(select(ReminderSent.assignment_id).where(ReminderSent.kind == kind)))
    items = outstanding(session=session, today=today, campaign_id=campaign_id, dated_only=False)
    result = RunResult(planned=[(i, kind) for i in items if i.assignment_id not in done])
    result.no_email = sorted({i.unit_name for i, _k in result.planned if not i.email})
    claim(session=session, pairs=[(i, k) for i, k in result.planned if i.email])
    send_claimed(
        session=session,
        today=today,
        send=send or smtp_sender(settings),
        settings=settings,
        result=result,
    )
    return result


def sent_count(*, session: Session) -> int:
    """Reminders marked sent (for tests and the dashboard)."""
    return (
        session.scalar(
            select(func.count()).select_from(ReminderSent).where(ReminderSent.status == SENT)
        )
        or 0
    )
