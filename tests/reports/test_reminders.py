"""Reminders through a real loopback SMTP server: right units, right days, each sent once."""

from __future__ import annotations

from datetime import date, timedelta
from email.message import EmailMessage, Message
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import (
    report_assignment,
    report_campaign,
    report_unit,
    report_user,
)
from tests.smtp_server import MailBox
from trienkhai.campaigns.models import ReminderSent
from trienkhai.reports import reminders
from trienkhai.settings import Settings

TODAY = date(2024, 8, 20)


@pytest.fixture
def smtp(smtp_server: tuple[MailBox, Settings]) -> tuple[MailBox, Settings]:
    """The shared loopback SMTP server (tests/smtp_server.py)."""
    return smtp_server


def _setup(session: Session) -> dict[str, Any]:
    campaign = report_campaign(session, themes=1)
    offsets = {"D7": 7, "D3": 3, "D1": 1, "LATE": -2, "FAR": 20, "DONE": -5}
    units = {}
    for code, days in offsets.items():
        unit = report_unit(session, code=f"{code}-{campaign.id}")
        state = "reported" if code == "DONE" else "assigned"
        report_assignment(
            session,
            campaign=campaign,
            unit=unit,
            deadline=TODAY + timedelta(days=days),
            state=state,
        )
        units[code] = unit
    report_user(session, role="coordinator", email="coord@example.org", full_name="Điều phối")
    session.commit()
    return units


def _body(msg: Message) -> str:
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_kinds() -> None:
    assert [reminders.reminder_kind(d) for d in (8, 7, 4, 3, 2, 1, 0, -1)] == [
        None,
        "7d",
        "7d",
        "3d",
        "3d",
        "1d",
        "1d",
        "overdue",
    ]


def test_right_units_once_even_if_run_twice(
    session: Session, smtp: tuple[MailBox, Settings]
) -> None:
    inbox, settings = smtp
    units = _setup(session)
    reminders.run(
        session=session, today=TODAY, settings=settings, send=reminders.smtp_sender(settings)
    )
    reminders.run(
        session=session, today=TODAY, settings=settings, send=reminders.smtp_sender(settings)
    )
    to = sorted(m["To"] for m in inbox.messages)
    expected = sorted([*(units[c].email for c in ("D7", "D3", "D1", "LATE")), "coord@example.org"])
    assert to == expected
    late = next(m for m in inbox.messages if m["To"] == units["LATE"].email)
    assert "quá hạn 2 ngày" in _body(late) and "Kính gửi" in _body(late)
    kinds = {
        r.kind for r in session.scalars(select(ReminderSent).where(ReminderSent.status == "sent"))
    }
    assert kinds >= {"7d", "3d", "1d", "overdue"}
    # Next day: every reminder due already went; only the coordinator's new digest goes.
    inbox.messages.clear()
    send = reminders.smtp_sender(settings)
    reminders.run(session=session, today=TODAY + timedelta(days=1), settings=settings, send=send)
    assert [m["To"] for m in inbox.messages] == ["coord@example.org"]
    # Four days later D7 enters the 3-day window and D3, D1 are overdue: one mail each.
    inbox.messages.clear()
    reminders.run(session=session, today=TODAY + timedelta(days=4), settings=settings, send=send)
    to = sorted(m["To"] for m in inbox.messages)
    assert to == sorted(["coord@example.org", *(units[c].email for c in ("D7", "D3", "D1"))])


def test_dry_run_sends_nothing(session: Session, smtp: tuple[MailBox, Settings]) -> None:
    inbox, settings = smtp
    _setup(session)
    result = reminders.run(session=session, today=TODAY, settings=settings, dry_run=True)
    assert len(result.planned) >= 4
    assert inbox.messages == []
    assert session.scalars(select(ReminderSent)).all() == []


def test_crash_half_way_then_rerun_sends_each_once(
    session: Session, smtp: tuple[MailBox, Settings]
) -> None:
    inbox, settings = smtp
    units = _setup(session)
    real = reminders.smtp_sender(settings)
    calls = {"n": 0}

    def crashing(msg: EmailMessage) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("process killed")  # not an SMTP error: the run dies here
        real(msg)

    with pytest.raises(SystemExit):
        reminders.run(session=session, today=TODAY, settings=settings, send=crashing)
    claimed = session.scalars(select(ReminderSent).where(ReminderSent.status == "claimed")).all()
    assert claimed, "claims were committed before sending"
    assert len(inbox.messages) == 1
    reminders.run(session=session, today=TODAY, settings=settings, send=real)
    to = [m["To"] for m in inbox.messages if m["To"] != "coord@example.org"]
    assert sorted(to) == sorted(units[c].email for c in ("D7", "D3", "D1", "LATE"))
    assert len(set(to)) == len(to)
    assert session.scalars(select(ReminderSent).where(ReminderSent.status == "claimed")).all() == []


def test_smtp_down_keeps_claims_for_next_run(
    session: Session, smtp: tuple[MailBox, Settings]
) -> None:
    inbox, settings = smtp
    _setup(session)
    down = Settings(smtp_host="127.0.0.1", smtp_port=1, smtp_from="tk@localhost")
    result = reminders.run(session=session, today=TODAY, settings=down)
    assert result.failed and not result.sent
    reminders.run(session=session, today=TODAY, settings=settings)
    assert len([m for m in inbox.messages if m["To"] != "coord@example.org"]) == 4
