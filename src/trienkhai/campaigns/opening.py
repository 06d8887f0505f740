"""Opening a campaign from a directive: once, or as an explicit copy of the first one."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from trienkhai.campaigns import lifecycle
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Campaign
from trienkhai.documents.schemas import DocumentRecord
from trienkhai.users.models import User


def open_campaign(
    *,
    session: Session,
    directive_id: int,
    record: DocumentRecord,
    actor: User | None,
    title: str | None = None,
    report_deadline: date | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    copy: bool = False,
) -> Campaign:
    """The directive's campaign; a second one only as a copy (DuplicateCampaignError otherwise)."""
    existing = lifecycle.campaign_of_directive(session=session, directive_id=directive_id)
    if existing is not None and not copy:
        lifecycle.ensure_first(session=session, directive_id=directive_id)
    if existing is not None:
        title = lifecycle.copy_title(title or existing.title)
    campaign = campaigns.create_from_directive(session=session, record=record,
                                               directive_id=directive_id, actor=actor,
                                               title=title, report_deadline=report_deadline,
                                               period_start=period_start,
                                               period_end=period_end)  # fmt: skip
    if existing is not None:
        campaign.copied_from_id = existing.id
        session.flush()
    return campaign
