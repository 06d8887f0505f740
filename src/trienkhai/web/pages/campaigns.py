"""Campaign list and board: assignments by unit, effective state, deadline, outputs per theme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.guard import FROZEN, STATUS_LABELS
from trienkhai.campaigns.models import Campaign, CampaignStatus, UnresolvedPhrase
from trienkhai.documents import service as documents
from trienkhai.outputs import ledger
from trienkhai.reports import reminders
from trienkhai.reports import service as reports
from trienkhai.reports.service import CampaignSummary, ThemeInfo, UnitRow
from trienkhai.settings import get_settings
from trienkhai.units import service as units
from trienkhai.units.models import UnitGroup
from trienkhai.users.models import User
from trienkhai.web.pages import campaign_desk
from trienkhai.web.pages import phrases as phrase_pages
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
router.include_router(campaign_desk.router)  # settings, closing, deadlines, the assignment page
STATES = ("assigned", "acknowledged", "in_progress", "reported", "verified", "cancelled", "overdue")


def reminders_available() -> bool:
    """Whether reminders can go out: an SMTP server is configured."""
    return bool(get_settings().smtp_host)


def campaign_or_404(session: Session, campaign_id: int) -> Campaign:
    """The campaign, or the 404 page."""
    campaign = campaigns.get(session=session, campaign_id=campaign_id)
    if campaign is None:
        raise HTTPException(404, f"Không có chiến dịch số {campaign_id}.")
    return campaign


@router.get("/campaigns")
def campaign_list(
    request: Request, archived: str = "", user: User = StaffDep, session: Session = SessionDep
) -> Response:
    """Every campaign with its counts; archived ones on their own list (?archived=1)."""
    everything = campaigns.list_campaigns(session=session)
    shelved = [c for c in everything if c.status == CampaignStatus.archived.value]
    shown = shelved if archived else [c for c in everything if c not in shelved]
    rows = [campaigns.campaign_summary(session=session, campaign=c) for c in shown]
    named = documents.by_ids(session=session, ids=[r.directive_id for r in rows if r.directive_id])
    ctx = {
        "rows": rows,
        "archived": bool(archived),
        "archived_count": len(shelved),
        "directives": named,
    }
    return render(request, "campaigns.html", ctx, user=user)


def _int(value: str) -> int | None:
    """An optional integer query parameter ('' = none)."""
    return int(value) if value.strip().isdigit() else None


@dataclass
class BoardView:
    """The board's table: the summary, the rows and theme columns left by the filters."""

    summary: CampaignSummary
    rows: list[UnitRow]
    themes: list[ThemeInfo]
    groups: list[tuple[UnitGroup, set[int]]]


def board_view(
    session: Session, campaign: Campaign, *, state: str, group: str, theme: str
) -> BoardView:
    """The assigned units filtered by state and group, and the theme columns (the page and CSV)."""
    summary = reports.campaign_summary(session=session, campaign_id=campaign.id)
    groups = units.groups_with_members(session=session)
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
    return BoardView(summary, rows, themes, groups)


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
    view = board_view(session, campaign, state=state, group=group, theme=theme)
    summary = view.summary
    assignments = campaigns.list_assignments(session=session, campaign_id=campaign.id)
    assigned = {a.unit_id for a in assignments}
    # A nation's 5,000 units are neither read nor written into the page (twice, and once per
    # unresolved phrase): past PICK_LIST_MAX the pick lists ask /unit-choices as one types.
    active = units.count_active(session=session)
    remote = active > units.PICK_LIST_MAX
    all_units = [] if remote else units.unit_choices(session=session, active=True)
    free_units = [u for u in all_units if u.id not in assigned]
    ctx = {
        "campaign": campaign,
        "summary": summary,
        "rows": view.rows,
        "themes": view.themes,
        "all_themes": summary.themes,
        "groups": [g for g, m in view.groups if m],
        "states": STATES,
        "filters": {"state": state, "group": group, "theme": theme},
        "unresolved": campaigns.list_unresolved(session=session, campaign_id=campaign.id),
        "all_units": all_units,
        "free_units": free_units,
        # assignments may name inactive units too, so this is a hint, rechecked on adding
        "any_free": bool(free_units) if not remote else active > len(assigned),
        "remote_units": remote,
        "versions": {a.id: a.version for a in assignments},
        "frozen": campaign.status in FROZEN,
        "status_label": STATUS_LABELS[campaign.status],
        "unit_names": {u.unit_id: u.name for u in summary.units},
        "reminders": reminders_available(),
        "csv_query": urlencode({"state": state, "group": group, "theme": theme}),
        "ledger": ledger.campaign_ledger(session=session, campaign_id=campaign.id),
    } | phrase_pages.board_extras(session, campaign.id)  # the _phrases.html include
    return render(request, "board.html", ctx, user=user)


@router.get("/campaigns/{campaign_id}/unit-choices")
def unit_choices(
    campaign_id: int,
    q: str = "",
    free: bool = False,
    user: User = EditorDep,
    session: Session = SessionDep,
) -> JSONResponse:
    """Active units matching the typed words, for the board's pick lists (`free`: unassigned)."""
    campaign_or_404(session, campaign_id)
    assigned = set()
    if free:
        assigned = campaigns.assigned_unit_ids(session=session, campaign_id=campaign_id)
    found = units.find_choices(session=session, q=q, exclude=assigned)
    return JSONResponse([{"id": u.id, "name": u.name} for u in found])


@router.post("/campaigns/{campaign_id}/reminders", dependencies=[CsrfDep])
def send_reminders(
    request: Request, campaign_id: int, user: User = EditorDep, session: Session = SessionDep
) -> Response:
    """Send the campaign's due reminders now; the flash says how many went, and to whom."""
    campaign_or_404(session, campaign_id)
    if not reminders_available():
        raise HTTPException(
            409, "Chưa cấu hình máy chủ thư (TRIENKHAI_SMTP_HOST) nên chưa gửi được."
        )
    result = reminders.send_due(
        session=session, campaign_id=campaign_id, today=reports.local_today()
    )
    key = "board.remind_failed" if result.failed else "board.reminded"
    flash(request, key, n=len(result.sent), to=", ".join(result.sent) or "—",
          missing=", ".join(result.no_email) or "—", failed=", ".join(result.failed))  # fmt: skip
    return redirect(f"/campaigns/{campaign_id}")


def _phrase_or_404(session: Session, campaign: Campaign, phrase_id: int) -> UnresolvedPhrase:
    """An unresolved phrase of the campaign, or the 404 page."""
    try:
        return campaigns.require_unresolved(session=session, campaign=campaign, phrase_id=phrase_id)
    except campaigns.NotFoundError as exc:
        raise HTTPException(404, "Không có cụm từ này trong chiến dịch.") from exc


@router.post("/campaigns/{campaign_id}/unresolved/{phrase_id}/resolve", dependencies=[CsrfDep])
def resolve_phrase(
    request: Request,
    *,
    campaign_id: int,
    phrase_id: int,
    unit_id: Annotated[int, Form()],
    learn_alias: Annotated[bool, Form()] = False,
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Assign the phrase's tasks to the chosen unit (and remember the phrase as its alias)."""
    campaign = campaign_or_404(session, campaign_id)
    phrase = _phrase_or_404(session, campaign, phrase_id)
    try:
        assignment = campaigns.resolve_unresolved(session=session, campaign=campaign,
                                                  phrase=phrase, unit_id=unit_id, actor=user,
                                                  learn_alias=learn_alias)  # fmt: skip
    except campaigns.NotFoundError as exc:
        raise HTTPException(404, f"Không có đơn vị số {unit_id}.") from exc
    except campaigns.CampaignError as exc:
        raise HTTPException(409, f"Cụm từ '{phrase.phrase}' đã được xử lý trước đó.") from exc
    except campaigns.ConflictError as exc:
        raise HTTPException(409, str(exc)) from exc
    unit = units.get(session=session, unit_id=assignment.unit_id)
    flash(request, "board.resolved", phrase=phrase.phrase, unit=unit.name if unit else unit_id)
    return redirect(f"/campaigns/{campaign.id}")


@router.post("/campaigns/{campaign_id}/unresolved/{phrase_id}/dismiss", dependencies=[CsrfDep])
def dismiss_phrase(
    request: Request,
    *,
    campaign_id: int,
    phrase_id: int,
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Mark the phrase as naming no unit to assign (it stays listed as dismissed)."""
    campaign = campaign_or_404(session, campaign_id)
    phrase = _phrase_or_404(session, campaign, phrase_id)
    campaigns.dismiss_unresolved(session=session, phrase=phrase, actor=user)
    flash(request, "board.dismissed", phrase=phrase.phrase)
    return redirect(f"/campaigns/{campaign.id}")
