"""Search across outputs and directives, accent-insensitive ("nhan quyen" finds "nhân quyền")."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session

from trienkhai.campaigns import service as campaigns
from trienkhai.documents import service as documents
from trienkhai.outputs import service as outputs
from trienkhai.outputs.channels import CHANNELS
from trienkhai.units import service as units
from trienkhai.users.models import Role, User
from trienkhai.web.pages.common import PageRoute, SessionDep, UserDep, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _day(value: str) -> date | None:
    """A date filter from the date input; 400 when malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(400, f"Ngày '{value}' không hợp lệ.") from exc


@router.get("/search")
def search(
    request: Request,
    *,
    q: str = "",
    unit: str = "",
    theme: str = "",
    channel: str = "",
    date_from: str = "",
    date_to: str = "",
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Outputs (title) and directives (number, subject, issuer) matching the words and filters."""
    editor = user.role == Role.unit_editor.value
    unit_id = user.unit_id if editor else (int(unit) if unit.isdigit() else None)
    criteria = outputs.OutputFilter(
        unit_id=unit_id,
        theme=theme or None,
        channel=channel or None,
        date_from=_day(date_from),
        date_to=_day(date_to),
        q=q or None,
    )
    searched = bool(q or unit or theme or channel or date_from or date_to)
    found = outputs.list_outputs(session=session, criteria=criteria, limit=200) if searched else []
    directives = (
        documents.list_directives(session=session, q=q, limit=50) if q and not editor else []
    )
    ctx = {
        "q": q,
        "filters": {
            "unit": unit,
            "theme": theme,
            "channel": channel,
            "date_from": date_from,
            "date_to": date_to,
        },
        "searched": searched,
        "outputs": found,
        "directives": directives,
        "units": [] if editor else units.list_units(session=session),
        "unit_names": {u.id: u.name for u in units.list_units(session=session)},
        "channels": CHANNELS,
        "theme_codes": _theme_codes(session),
    }
    return render(request, "search.html", ctx, user=user)


def _theme_codes(session: Session) -> list[str]:
    """Theme codes used by any campaign (T1..Tn), in order."""
    codes = {th.code for c in campaigns.list_campaigns(session=session) for th in c.themes}
    return sorted(codes, key=lambda c: (len(c), c))
