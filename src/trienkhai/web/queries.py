"""Small queries the web desk needs that no feature service offers (yet).

Each names the service it would belong to; see docs/web.md, "Stand-ins".
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.documents.models import Directive
from trienkhai.outputs.models import Output, OutputSource, Verification
from trienkhai.units.models import UnitGroup, group_members
from trienkhai.users.models import User
from trienkhai.users.service import audit


def directive_ids_by_number(*, session: Session, numbers: list[str]) -> dict[str, int]:
    """Library directives whose number_symbol is one of the given ones (documents.service)."""
    wanted = {n for n in numbers if n}
    if not wanted:
        return {}
    rows = session.execute(
        select(Directive.number_symbol, Directive.id).where(Directive.number_symbol.in_(wanted))
    )
    return {str(num): int(did) for num, did in rows}


def outputs_by_week_channel(*, session: Session, campaign_id: int) -> dict[str, Counter[str]]:
    """Outputs per ISO week (yyyy-Www) and channel, rejected ones left out (reports.service)."""
    rows = session.execute(
        select(Output.published_at, Output.channel).where(
            Output.campaign_id == campaign_id, Output.verification != Verification.rejected.value
        )
    )
    weeks: dict[str, Counter[str]] = defaultdict(Counter)
    for published, channel in rows:
        year, week, _ = published.isocalendar()
        weeks[f"{year}-W{week:02d}"][channel] += 1
    return dict(sorted(weeks.items()))


def group_members_of(*, session: Session) -> list[tuple[UnitGroup, set[int]]]:
    """Every group with the ids of its units, by name (units.service)."""
    groups = list(session.scalars(select(UnitGroup).order_by(UnitGroup.name)))
    pairs = session.execute(select(group_members.c.group_id, group_members.c.unit_id))
    members: dict[int, set[int]] = defaultdict(set)
    for gid, uid in pairs:
        members[int(gid)].add(int(uid))
    return [(g, members.get(g.id, set())) for g in groups]


def confirm_discovered(
    *, session: Session, output: Output, accept: bool, actor: User | None
) -> None:
    """A unit claims (or disowns) an output the crawler found (outputs.service)."""
    if accept:
        output.source = OutputSource.reported.value
    else:
        output.verification = Verification.rejected.value
    action = "confirm" if accept else "reject"
    audit(session=session, actor=actor, action=action, entity="output", entity_id=output.id)
    session.flush()
