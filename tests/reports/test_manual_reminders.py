"""The board's "remind now": every unit with outstanding work in one campaign, once a day."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from tests.factories import report_assignment, report_campaign, report_unit
from tests.smtp_server import MailBox
from trienkhai.reports import reminders
from trienkhai.settings import Settings

TODAY = date(2024, 8, 20)


def _campaign_with_units(session: Session) -> tuple[int, int]:
    """A campaign with a far-off, a late, a settled and an e-mail-less unit; plus another one."""
    campaign = report_campaign(session, themes=1)
    other = report_campaign(session, themes=1)
    for code, days, state, email in [
        ("FAR", 30, "assigned", "far@example.org"),
        ("LATE", -1, "in_progress", "late@example.org"),
        ("DONE", 5, "verified", "done@example.org"),
        ("NOMAIL", 4, "assigned", ""),
    ]:
        unit = report_unit(session, code=f"{code}-{campaign.id}", email=email)
        report_assignment(session, campaign=campaign, unit=unit, state=state,
                          deadline=TODAY + timedelta(days=days))  # fmt: skip
    elsewhere = report_unit(session, code=f"OTHER-{other.id}", email="other@example.org")
    report_assignment(session, campaign=other, unit=elsewhere, deadline=TODAY + timedelta(days=1))
    session.commit()
    return campaign.id, other.id


def test_remind_now_reaches_every_outstanding_unit_of_the_campaign_only(
    session: Session, smtp_server: tuple[MailBox, Settings]
) -> None:
    inbox, settings = smtp_server
    campaign_id, _other = _campaign_with_units(session)
    result = reminders.send_due(session=session, campaign_id=campaign_id, today=TODAY,
                                settings=settings)  # fmt: skip
    assert sorted(result.sent) == ["far@example.org", "late@example.org"]
    assert sorted(m["To"] for m in inbox.messages) == ["far@example.org", "late@example.org"]
    assert result.no_email == [f"Đơn vị NOMAIL-{campaign_id}"]


def test_remind_now_twice_the_same_day_sends_once(
    session: Session, smtp_server: tuple[MailBox, Settings]
) -> None:
    inbox, settings = smtp_server
    campaign_id, _other = _campaign_with_units(session)
    reminders.send_due(session=session, campaign_id=campaign_id, today=TODAY, settings=settings)
    again = reminders.send_due(session=session, campaign_id=campaign_id, today=TODAY,
                               settings=settings)  # fmt: skip
    assert again.sent == []
    assert len(inbox.messages) == 2
    tomorrow = reminders.send_due(session=session, campaign_id=campaign_id,
                                  today=TODAY + timedelta(days=1), settings=settings)  # fmt: skip
    assert len(tomorrow.sent) == 2
