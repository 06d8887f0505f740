"""Reversible removal of outputs: remove, restore, and the list of removed ones (audited)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.outputs.models import INCLUDE_REMOVED, Output
from trienkhai.outputs.service import OutputError, check_write
from trienkhai.text import nfc
from trienkhai.users.models import User
from trienkhai.users.service import audit


def remove_output(
    *, session: Session, actor: User | None, output: Output, reason: str = ""
) -> Output:
    """Take an output out of every list, count and report; it stays, to be restored."""
    check_write(actor, output.unit_id)
    if output.removed_at is not None:
        raise OutputError(f"Sản phẩm số {output.id} đã được gỡ trước đó")
    output.removed_at = datetime.now(UTC)
    output.removed_by_id = actor.id if actor else None
    output.removed_reason = nfc(reason).strip()
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="remove",
        entity="output",
        entity_id=output.id,
        summary=output.title[:200],
        detail={"unit_id": output.unit_id, "url": output.url, "reason": output.removed_reason},
    )
    return output


def restore_output(*, session: Session, actor: User | None, output: Output) -> Output:
    """Bring a removed output back into lists, counts and reports."""
    check_write(actor, output.unit_id)
    if output.removed_at is None:
        raise OutputError(f"Sản phẩm số {output.id} chưa bị gỡ")
    output.removed_at = None
    output.removed_by_id = None
    output.removed_reason = ""
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="restore",
        entity="output",
        entity_id=output.id,
        summary=output.title[:200],
    )
    return output


def list_removed(*, session: Session, campaign_id: int, unit_id: int) -> list[Output]:
    """The unit's removed outputs in the campaign, most recently removed first."""
    stmt = (
        select(Output)
        .where(
            Output.campaign_id == campaign_id,
            Output.unit_id == unit_id,
            Output.removed_at.is_not(None),
        )
        .order_by(Output.removed_at.desc(), Output.id.desc())
        .execution_options(**{INCLUDE_REMOVED: True})
    )
    return list(session.scalars(stmt))
