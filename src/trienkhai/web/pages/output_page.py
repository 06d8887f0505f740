"""An output's page: what was logged, and each theme's score with the words that drove it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Campaign
from trienkhai.outputs.models import Output
from trienkhai.themes import service as theme_matching
from trienkhai.themes.scorer import DEFAULT_THRESHOLD
from trienkhai.users.models import Role, User
from trienkhai.web.pages.common import PageRoute, SessionDep, UserDep, render
from trienkhai.web.pages.units import unit_for

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/outputs/{output_id}")
def output_page(
    request: Request, *, output_id: int, user: User = UserDep, session: Session = SessionDep
) -> Response:
    """The output and its campaign's themes, scored; writers accept or reject from here."""
    output = session.get(Output, output_id)
    if output is None:
        raise HTTPException(404, f"Không có sản phẩm số {output_id}.")
    unit = unit_for(session, user, output.unit_id)
    ctx = {
        "output": output,
        "unit": unit,
        "campaign": session.get(Campaign, output.campaign_id),
        "lines": theme_matching.theme_lines(session=session, output_id=output.id),
        "threshold": DEFAULT_THRESHOLD,
        "can_write": user.role != Role.leader.value,
    }
    return render(request, "output.html", ctx, user=user)
