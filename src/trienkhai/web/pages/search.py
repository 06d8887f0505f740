"""Search across outputs and directives, accent-insensitive ("nhan quyen" finds "nhân quyền")."""

from __future__ import annotations

from dataclasses import asdict, astuple, dataclass
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Theme
from trienkhai.documents import service as documents
from trienkhai.outputs import service as outputs
from trienkhai.outputs.channels import CHANNELS
from trienkhai.outputs.ledger import LEDGER_VALUES, SOURCE_VALUES, VERIFICATION_VALUES
from trienkhai.outputs.models import Output, OutputSource
from trienkhai.units import service as units
from trienkhai.units.models import Unit
from trienkhai.users.models import Role, User
from trienkhai.web.i18n import translate
from trienkhai.web.pages.common import PageRoute, SessionDep, UserDep, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
RESULTS_LIMIT = 200  # outputs listed (and exported) per search


def _day(value: str) -> date | None:
    """A date filter from the date input; 400 when malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(400, f"Ngày '{value}' không hợp lệ.") from exc


@dataclass(frozen=True)
class SearchQuery:
    """The search box and filters as the page and its CSV receive them."""

    q: str = ""
    unit: str = ""
    theme: str = ""
    channel: str = ""
    date_from: str = ""
    date_to: str = ""
    campaign: str = ""
    source: str = ""
    verification: str = ""
    ledger: str = ""  # a reconciliation category: the board's ledger counts link here

    @property
    def searched(self) -> bool:
        """Whether anything was asked (an empty form lists nothing)."""
        return any(astuple(self))

    def filters(self) -> dict[str, str]:
        """The filters other than the words, as the form shows them."""
        return {k: v for k, v in asdict(self).items() if k != "q"}


QueryDep = Depends(SearchQuery)  # the query string's filters, one field each


def check_text(output: Output, lang: str) -> str:
    """An output's verification, and whether the crawler found it or it is a share, in words."""
    parts = [translate(f"verification.{output.verification}", lang)]
    if output.source == OutputSource.discovered.value:
        parts.append(translate("source.discovered", lang))
    if output.republished_from:
        parts.append(translate("ledger.shared", lang))
    return " · ".join(parts)


def find_outputs(session: Session, user: User, query: SearchQuery) -> list[Output]:
    """Outputs matching the query (editors: their unit only), as the results table lists them."""
    if not query.searched:
        return []
    editor = user.role == Role.unit_editor.value
    unit_id = user.unit_id if editor else (int(query.unit) if query.unit.isdigit() else None)
    criteria = outputs.OutputFilter(
        unit_id=unit_id,
        theme=query.theme or None,
        channel=query.channel or None,
        date_from=_day(query.date_from),
        date_to=_day(query.date_to),
        q=query.q or None,
        campaign_id=int(query.campaign) if query.campaign.isdigit() else None,
        source=query.source or None,
        verification=query.verification or None,
        ledger=query.ledger or None,
    )
    # An unknown channel or a day out of range is the service's InvalidError: a 422 page.
    return outputs.list_outputs(session=session, criteria=criteria, limit=RESULTS_LIMIT)


@router.get("/search")
def search(
    request: Request,
    *,
    query: SearchQuery = QueryDep,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Outputs (title) and directives (number, subject, issuer) matching the words and filters."""
    q = query.q
    editor = user.role == Role.unit_editor.value
    directives = (
        documents.list_directives(session=session, q=q, limit=50) if q and not editor else []
    )
    found = find_outputs(session, user, query)
    lang = language(request, user)
    ctx = {
        "q": q,
        "filters": query.filters(),
        "csv_query": urlencode(asdict(query)),
        "searched": query.searched,
        "outputs": found,
        "checks": {o.id: check_text(o, lang) for o in found},
        "directives": directives,
        "units": [] if editor else units.unit_choices(session=session),
        "unit_names": unit_names(session),
        "channels": CHANNELS,
        "theme_codes": _theme_codes(session),
        "campaigns": campaigns.list_campaigns(session=session, unit_id=user.unit_id)
        if editor
        else campaigns.list_campaigns(session=session),
        "sources": SOURCE_VALUES,
        "verifications": VERIFICATION_VALUES,
        "ledger_values": LEDGER_VALUES,
    }
    return render(request, "search.html", ctx, user=user)


def unit_names(session: Session) -> dict[int, str]:
    """Unit names by id, for the results table (two columns: a nation has 5,000 units)."""
    return dict(session.execute(select(Unit.id, Unit.name)).all())


def _theme_codes(session: Session) -> list[str]:
    """Theme codes used by any campaign (T1..Tn), in order: one DISTINCT query, not per campaign."""
    codes = set(session.scalars(select(Theme.code).distinct()))
    return sorted(codes, key=lambda c: (len(c), c))
