"""The rule every path obeys: a closed or archived campaign takes no more outputs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from trienkhai import errors
from trienkhai.campaigns.models import Campaign, CampaignStatus

# Statuses in which nothing more is collected and the assignments are not steered.
FROZEN = frozenset({CampaignStatus.closed.value, CampaignStatus.archived.value})
STATUS_LABELS = {
    CampaignStatus.draft.value: "Nháp",
    CampaignStatus.active.value: "Đang triển khai",
    CampaignStatus.closed.value: "Đã đóng",
    CampaignStatus.archived.value: "Đã lưu trữ",
}


class CampaignError(errors.InvalidError):
    """A change that breaks a campaign rule; the message says which and why, in Vietnamese."""


class CampaignClosedError(errors.ConflictError, ValueError):
    """A write into a closed or archived campaign (ValueError: forms show it in place)."""


def ensure_open(campaign: Campaign) -> None:
    """Refuse a change to a closed or archived campaign, naming its status."""
    if campaign.status in FROZEN:
        label = STATUS_LABELS[campaign.status].lower()
        raise CampaignClosedError(
            f"Chiến dịch '{campaign.title}' {label}; hãy mở lại trước khi sửa "
            f"(campaign {campaign.status})"
        )


@event.listens_for(Session, "before_flush")
def _closed_campaigns_take_no_outputs(session: Session, _context: Any, _instances: Any) -> None:
    """Refuse any new output of a closed or archived campaign (form, API, import, crawler)."""
    # Matched by table name: this module sits below outputs/ (outputs.models imports campaigns).
    new = {o.campaign_id for o in session.new if getattr(o, "__tablename__", "") == "outputs"}
    new.discard(None)  # set through a relationship: its campaign is checked when it is known
    with session.no_autoflush:
        for campaign_id in new:
            campaign = session.get(Campaign, campaign_id)
            if campaign is not None and campaign.status in FROZEN:
                when = f" ngày {campaign.closed_at:%d/%m/%Y}" if campaign.closed_at else ""
                label = STATUS_LABELS[campaign.status].lower()
                raise CampaignClosedError(
                    f"Chiến dịch '{campaign.title}' {label}{when}; "
                    "không nhận thêm sản phẩm (campaign closed)"
                )
