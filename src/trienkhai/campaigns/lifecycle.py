"""A campaign's life: edit, one per directive (or an explicit copy), close, archive, delete."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trienkhai import errors
from trienkhai.campaigns import states
from trienkhai.campaigns.guard import FROZEN, STATUS_LABELS, CampaignError, ensure_open
from trienkhai.campaigns.models import Campaign, CampaignDraft, CampaignStatus
from trienkhai.db import utcnow
from trienkhai.outputs.models import Output
from trienkhai.text import nfc
from trienkhai.users.models import User
from trienkhai.users.service import audit

C = CampaignStatus
# Moves of set_status; archived → restore goes back to closed or active (see `restore`).
STATUS_MOVES: dict[str, frozenset[str]] = {
    C.draft.value: frozenset({C.active.value, C.closed.value, C.archived.value}),
    C.active.value: frozenset({C.draft.value, C.closed.value, C.archived.value}),
    C.closed.value: frozenset({C.active.value, C.archived.value}),
    C.archived.value: frozenset({C.active.value, C.closed.value}),
}
EDITABLE = ("title", "description", "period_start", "period_end", "report_deadline")


class DuplicateCampaignError(errors.ConflictError):
    """The directive already has a campaign; `existing` is it."""

    def __init__(self, message: str, existing: Campaign) -> None:
        super().__init__(message)
        self.existing = existing


# --- one campaign per directive ----------------------------------------------------------


def campaign_of_directive(*, session: Session, directive_id: int) -> Campaign | None:
    """The first campaign opened from the directive, if any."""
    stmt = select(Campaign).where(Campaign.directive_id == directive_id).order_by(Campaign.id)
    return session.scalars(stmt.limit(1)).first()


def ensure_first(*, session: Session, directive_id: int) -> None:
    """Refuse a second campaign from the same directive (an explicit copy is the way)."""
    existing = campaign_of_directive(session=session, directive_id=directive_id)
    if existing is not None:
        msg = (
            f"văn bản này đã mở chiến dịch số {existing.id} '{existing.title}'; "
            "mở chiến dịch đó, hoặc chọn 'Sao chép thành chiến dịch mới' (campaign exists)"
        )
        raise DuplicateCampaignError(msg, existing)


def copy_title(title: str) -> str:
    """The title of an explicit copy."""
    return f"{title} (bản sao)"[:500]


# --- what the coordinator typed on the review, kept between saves --------------------------


def save_draft(
    *, session: Session, directive_id: int, title: str, report_deadline: date | None
) -> CampaignDraft:
    """Remember the campaign title and report deadline typed on a directive's review."""
    draft = session.get(CampaignDraft, directive_id) or CampaignDraft(directive_id=directive_id)
    draft.title = nfc(title).strip()[:500]
    draft.report_deadline = report_deadline
    session.add(draft)
    session.flush()
    return draft


def get_draft(*, session: Session, directive_id: int) -> CampaignDraft | None:
    """The remembered campaign title and deadline of a directive, if any."""
    return session.get(CampaignDraft, directive_id)


# --- edit, status ------------------------------------------------------------------------


def edit(
    *, session: Session, campaign: Campaign, changes: dict[str, Any], actor: User | None
) -> Campaign:
    """Change title, description, period or report deadline, and optionally the status."""
    status = changes.pop("status", None)
    fields = {k: v for k, v in changes.items() if k in EDITABLE}
    if status is not None and campaign.status in FROZEN and str(status) not in FROZEN:
        set_status(session=session, campaign=campaign, status=str(status), actor=actor)
    if fields:
        ensure_open(campaign)
    if "title" in fields and not (fields["title"] or "").strip():
        raise errors.InvalidError("Tên chiến dịch: không được để trống (title required)")
    for name, value in fields.items():
        setattr(campaign, name, nfc(value).strip() if isinstance(value, str) else value)
    _check_dates(campaign)
    session.flush()
    if fields:
        audit(session=session, actor=actor, action="update", entity="campaign",
              entity_id=campaign.id, detail=_jsonable(fields))  # fmt: skip
    if status is not None and str(status) != campaign.status:
        set_status(session=session, campaign=campaign, status=str(status), actor=actor)
    return campaign


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Dates as ISO text for the audit row."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _check_dates(campaign: Campaign) -> None:
    """The period runs forward."""
    start, end = campaign.period_start, campaign.period_end
    if start and end and end < start:
        raise CampaignError(
            f"Kết thúc ({end:%d/%m/%Y}) trước ngày bắt đầu ({start:%d/%m/%Y}) "
            "(period_end before period_start)"
        )


def set_status(
    *,
    session: Session,
    campaign: Campaign,
    status: str,
    actor: User | None,
    report_number: str = "",
    report_date: date | None = None,
) -> Campaign:
    """Move the campaign to another status; closing freezes the report's number and date."""
    if status not in STATUS_LABELS:
        raise errors.InvalidError(f"Trạng thái '{status}' không tồn tại (unknown status)")
    before = campaign.status
    if status == before:
        return campaign
    if status not in STATUS_MOVES[before]:
        raise errors.ConflictError(
            f"không thể chuyển chiến dịch từ '{STATUS_LABELS[before]}' sang "
            f"'{STATUS_LABELS[status]}' ({before} → {status})"
        )
    if status == C.closed.value and before != C.archived.value:
        campaign.closed_at = utcnow()
        campaign.report_number = nfc(report_number).strip()[:100]
        campaign.report_date = report_date or states.today()
    elif status in (C.active.value, C.draft.value):
        campaign.closed_at = None  # reopened: the report is no longer final
    campaign.status = status
    session.flush()
    audit(session=session, actor=actor, action="status", entity="campaign",
          entity_id=campaign.id, summary=f"{STATUS_LABELS[before]} → {STATUS_LABELS[status]}",
          detail={"from": before, "to": status, "report_number": campaign.report_number,
                  "report_date": campaign.report_date.isoformat() if campaign.report_date
                  else None})  # fmt: skip
    return campaign


def close(
    *,
    session: Session,
    campaign: Campaign,
    actor: User | None,
    report_number: str = "",
    report_date: date | None = None,
) -> Campaign:
    """Close: no more outputs; the final report keeps this number and date."""
    if campaign.status not in (C.active.value, C.draft.value):
        raise errors.ConflictError(
            f"chiến dịch đang ở trạng thái '{STATUS_LABELS[campaign.status]}', không đóng được"
        )
    return set_status(session=session, campaign=campaign, status=C.closed.value, actor=actor,
                      report_number=report_number, report_date=report_date)  # fmt: skip


def restore(*, session: Session, campaign: Campaign, actor: User | None) -> Campaign:
    """Bring an archived campaign back: closed if it had been closed, else active."""
    if campaign.status != C.archived.value:
        raise errors.ConflictError("chỉ khôi phục được chiến dịch đã lưu trữ (not archived)")
    target = C.closed.value if campaign.closed_at else C.active.value
    return set_status(session=session, campaign=campaign, status=target, actor=actor)


# --- delete ------------------------------------------------------------------------------


def outputs_count(*, session: Session, campaign_id: int) -> int:
    """Every output row of the campaign (removed ones too: they are its history)."""
    stmt = select(func.count(Output.id)).where(Output.campaign_id == campaign_id)
    return int(session.scalar(stmt) or 0)


def delete(*, session: Session, campaign: Campaign, actor: User | None) -> None:
    """Delete a campaign that collected nothing; one with outputs is closed or archived instead."""
    count = outputs_count(session=session, campaign_id=campaign.id)
    if count:
        raise errors.ConflictError(
            f"chiến dịch '{campaign.title}' đã có {count} sản phẩm nên không xóa được; "
            "hãy đóng hoặc lưu trữ chiến dịch (campaign has outputs)"
        )
    audit(session=session, actor=actor, action="delete", entity="campaign",
          entity_id=campaign.id, summary=f"Xóa chiến dịch {campaign.title}")  # fmt: skip
    session.delete(campaign)
    session.flush()
