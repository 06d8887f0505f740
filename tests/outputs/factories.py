"""Factories of the outputs area: units with websites, campaigns with themes T1..Tn.

Rows are built directly so these tests do not wait on the units and campaigns services.
"""

from __future__ import annotations

import itertools
import uuid

from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Campaign, Theme
from trienkhai.units.models import Unit

_SEQ = itertools.count(1)


def make_unit(session: Session, *, websites: list[str] | None = None, name: str = "") -> Unit:
    """A unit with a unique code and the given websites."""
    code = f"ou-{next(_SEQ)}-{uuid.uuid4().hex[:6]}"
    unit = Unit(code=code, name=name or f"Đơn vị {code}", websites=websites or [])
    session.add(unit)
    session.flush()
    return unit


def make_campaign(session: Session, *, themes: int = 4) -> Campaign:
    """A campaign with themes T1..Tn."""
    campaign = Campaign(title=f"Chiến dịch {next(_SEQ)}")
    for i in range(themes):
        campaign.themes.append(Theme(code=f"T{i + 1}", position=i, title=f"Nội dung {i + 1}"))
    session.add(campaign)
    session.flush()
    return campaign
