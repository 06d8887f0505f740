"""JSON API of theme matching: confirm or reject a theme on an output; suggestions."""

from __future__ import annotations

from fastapi import APIRouter

from trienkhai.deps import Coordinator, Reader, SessionDep, Writer, ensure_unit_access
from trienkhai.outputs.models import Output
from trienkhai.themes import service
from trienkhai.themes.schemas import (
    BulkAccept,
    BulkAccepted,
    Decision,
    DecisionRead,
    SuggestionRead,
)
from trienkhai.users.models import User

router = APIRouter(prefix="/api/v1", tags=["themes"])


def _allowed(session: SessionDep, user: User, output_id: int) -> Output:
    """The output if the user may act on it (404 / 403 otherwise)."""
    output = service.get_output(session=session, output_id=output_id)
    ensure_unit_access(user, output.unit_id)
    return output


@router.post("/outputs/{output_id}/themes/{code}")
def decide(
    output_id: int, code: str, body: Decision, session: SessionDep, user: Writer
) -> DecisionRead:
    """Confirm or reject a theme on an output; it becomes a labelled example of the campaign."""
    output = _allowed(session, user, output_id)
    service.record(
        session=session, output_id=output.id, code=code, accepted=body.accepted, user_id=user.id
    )
    return DecisionRead(
        output_id=output.id,
        code=code,
        accepted=body.accepted,
        themes=sorted(t.code for t in output.themes),
    )


@router.get("/outputs/{output_id}/theme-suggestions")
def suggestions(output_id: int, session: SessionDep, user: Reader) -> list[SuggestionRead]:
    """Themes the output scores at or above the threshold on, best first."""
    _allowed(session, user, output_id)
    found = service.suggest(session=session, output_id=output_id)
    return [SuggestionRead(code=s.code, score=s.score, drivers=s.drivers) for s in found]


@router.post("/campaigns/{campaign_id}/themes/accept-above")
def accept_above(
    campaign_id: int, body: BulkAccept, session: SessionDep, user: Coordinator
) -> BulkAccepted:
    """Coordinator: accept every suggestion at or above the threshold on untagged outputs."""
    count = service.accept_above(
        session=session, campaign_id=campaign_id, threshold=body.threshold, user_id=user.id
    )
    return BulkAccepted(accepted=count)
