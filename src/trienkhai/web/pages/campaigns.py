"""Campaign list and board: assignments by unit, effective state, deadline, outputs per theme."""

from __future__ import annotations

import importlib.util

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session

from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Campaign
from trienkhai.reports import service as reports
from trienkhai.users.models import User
from trienkhai.web import queries
from trienkhai.web.pages.common import (
    CsrfDep,
    EditorDep,
    PageRoute,
    SessionDep,
    StaffDep,
    flash,
    redirect,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)
STATES = ("assigned", "acknowledged", "in_progress", "reported", "verified", "cancelled", "overdue")


def reminders_available() -> bool:
    """Whether the reminders service has landed with `send_due` (else the button is disabled)."""
    if importlib.util.find_spec("trienkhai.campaigns.reminders") is None:
        return False
    return hasattr(importlib.import_module("trienkhai.campaigns.reminders"), "send_due")


def campaign_or_404(session: Session, campaign_id: int) -> Campaign:
    """The campaign, or the 404 page."""
    campaign = campaigns.get(session=session, campaign_id=campaign_id)
    if campaign is None:
        raise HTTPException(404, f"Không có chiến dịch số {campaign_id}.")
    return campaign


@router.get("/campaigns")
def campaign_list(
    request: Request, user: User = StaffDep, session: Session = SessionDep
) -> Response:
    """Every campaign with its counts."""
    rows = [
        campaigns.campaign_summary(session=session, campaign=c)
        for c in campaigns.list_campaigns(session=session)
    ]
    return render(request, "campaigns.html", {"rows": rows}, user=user)


def _int(value: str) -> int | None:
    """An optional integer query parameter ('' = none)."""
    return int(value) if value.strip().isdigit() else None


@router.get("/campaigns/{campaign_id}")
def board(
    request: Request,
    *,
    campaign_id: int,
    state: str = "",
    group: str = "",
    theme: str = "",
    user: User = StaffDep,
    session: Session = SessionDep,
) -> Response:
    """The board: one line per assigned unit, filtered by state, group and theme."""
    campaign = campaign_or_404(session, campaign_id)
    summary = reports.campaign_summary(session=session, campaign_id=campaign.id)
    groups = queries.group_members_of(session=session)
    group_id = _int(group)
    members = next((m for g, m in groups if g.id == group_id), None)
    rows = [
        u
        for u in summary.units
        if u.assignment_id is not None
        and (not state or u.effective_state == state)
        and (members is None or u.unit_id in members)
    ]
    themes = [th for th in summary.themes if not theme or th.code == theme]
    ctx = {
        "campaign": campaign,
        "summary": summary,
        "rows": rows,
        "themes": themes,
        "all_themes": summary.themes,
        "groups": [g for g, m in groups if m],
        "states": STATES,
        "filters": {"state": state, "group": group, "theme": theme},
        "unresolved": campaigns.list_unresolved(
            session=session, campaign_id=campaign.id, include_closed=False
        ),
        "reminders": reminders_available(),
    }
    return render(request, "board.html", ctx, user=user)


@router.post("/campaigns/{campaign_id}/reminders", dependencies=[CsrfDep])
def send_reminders(
    request: Request, campaign_id: int, user: User = EditorDep, session: Session = SessionDep
) -> Response:
    """Bulk reminders to late units, when the reminders service exists."""
    campaign_or_404(session, campaign_id)
    if not reminders_available():
        raise HTTPException(501, "Chức năng nhắc nhở chưa sẵn sàng.")
    module = importlib.import_module("trienkhai.campaigns.reminders")
    sent = module.send_due(session=session, campaign_id=campaign_id, actor=user)
    flash(request, "board.reminded", n=len(sent))
    return redirect(f"/campaigns/{campaign_id}")
