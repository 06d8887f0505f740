"""The board's unresolved recipient phrases: map one to units or a group, remember it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, Response
from sqlalchemy.orm import Session

from trienkhai.campaigns import phrases
from trienkhai.campaigns import service as campaigns
from trienkhai.errors import InvalidError, NotFoundError
from trienkhai.units import service as units
from trienkhai.users.models import User
from trienkhai.web.i18n import translate
from trienkhai.web.pages.common import (
    CsrfDep,
    EditorDep,
    PageRoute,
    SessionDep,
    flash,
    language,
    redirect,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def board_extras(session: Session, campaign_id: int) -> dict[str, Any]:
    """What _phrases.html needs beyond the board: every group, and what phrases were mapped to."""
    rows = campaigns.list_unresolved(session=session, campaign_id=campaign_id)
    return {
        # (group, members) pairs by id: the groups' Unit objects (5,000 nationally) stay unread
        "all_groups": [(g, len(m)) for g, m in units.groups_with_members(session=session) if m],
        "phrase_labels": phrases.mapped_labels(session=session, phrase_ids=[p.id for p in rows]),
    }


@router.post("/campaigns/{campaign_id}/unresolved/{phrase_id}/map", dependencies=[CsrfDep])
def map_phrase(
    request: Request,
    *,
    campaign_id: int,
    phrase_id: int,
    unit_ids: Annotated[list[int] | None, Form()] = None,
    group_id: Annotated[str, Form()] = "",
    remember: Annotated[bool, Form()] = False,
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Assign the phrase's tasks to the chosen units and/or a group's members."""
    campaign = campaigns.get(session=session, campaign_id=campaign_id)
    if campaign is None:
        raise HTTPException(404, f"Không có chiến dịch số {campaign_id}.")
    try:
        phrase = campaigns.require_unresolved(
            session=session, campaign=campaign, phrase_id=phrase_id
        )
        result = phrases.map_phrase(
            session=session,
            campaign=campaign,
            phrase=phrase,
            unit_ids=unit_ids or [],
            group_id=int(group_id) if group_id.strip().isdigit() else None,
            actor=user,
            remember=remember,
        )
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    except campaigns.CampaignError as exc:
        raise HTTPException(409, f"Cụm từ '{phrase.phrase}' đã được xử lý trước đó.") from exc
    except InvalidError as exc:
        raise HTTPException(422, str(exc)) from exc
    flash(
        request,
        "phrases.mapped",
        phrase=phrase.phrase,
        assigned=len(result.assigned),
        already=len(result.already),
        remembered=f" ({_remembered(request, result.remembered)})" if result.remembered else "",
    )
    return redirect(f"/campaigns/{campaign.id}#phrase-{phrase.id}")


def _remembered(request: Request, kind: str) -> str:
    """How the phrase was remembered, in the page's language."""
    return translate(f"phrases.remembered_{kind}", language(request))
