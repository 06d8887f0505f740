"""The reconciliation ledger: what each unit reported, against what the crawl found and checked.

Every live output of a campaign that a coordinator did not reject falls in exactly one category
(`LEDGER`); the counts per unit come from one grouped query with a conditional sum per
category, and the output list filters by the same conditions (`condition`), so a count on the
board and the list its link opens can never disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment
from trienkhai.campaigns.service import assigned_unit_ids
from trienkhai.errors import InvalidError
from trienkhai.outputs.models import Output, OutputSource, Verification
from trienkhai.units.models import Unit


class Ledger(enum.StrEnum):
    """A ledger category (the value of the `ledger=` filter)."""

    verified = "verified"  # reported, the link check found the page with its title
    moved = "moved"  # reported, the page moved to another address on the same site
    not_found = "not_found"  # not found, or removed after an earlier check verified it
    unchecked = "unchecked"  # reported with a link the check has not judged yet
    no_link = "no_link"  # reported without a link (print, radio, loudspeakers), not verified
    confirmed = "confirmed"  # found on the unit's site, not reported, confirmed as its own
    pending = "pending"  # found on the unit's site, not reported, awaiting confirmation
    shared = "shared"  # a copy of another unit's original: a share, never an original


LEDGER_VALUES = tuple(c.value for c in Ledger)
VERIFICATION_VALUES = tuple(v.value for v in Verification)
SOURCE_VALUES = tuple(v.value for v in OutputSource)
T = TypeVar("T")


class LedgerFilterError(InvalidError):
    """A filter value that is not one of the accepted ones; the message names the field."""


def _is(*states: Verification) -> ColumnElement[bool]:
    """The output's verification is one of the states."""
    return Output.verification.in_([s.value for s in states])


def shared_condition() -> ColumnElement[bool]:
    """A republished copy: it points at another unit's original."""
    return and_(Output.republished_from.is_not(None), Output.republished_from != "")


def _conditions() -> dict[Ledger, ColumnElement[bool]]:
    """Each category's condition; over the counted outputs (`counted`) they are a partition."""
    original = or_(Output.republished_from.is_(None), Output.republished_from == "")
    reported = and_(original, Output.source == OutputSource.reported.value)
    discovered = and_(original, Output.source == OutputSource.discovered.value)
    unverified = Output.verification == Verification.unverified.value
    confirmed = or_(_is(Verification.verified, Verification.moved),
                    and_(unverified, Output.confirmed_at.is_not(None)))  # fmt: skip
    return {
        Ledger.verified: and_(reported, Output.verification == Verification.verified.value),
        Ledger.moved: and_(reported, Output.verification == Verification.moved.value),
        Ledger.not_found: and_(reported, _is(Verification.not_found, Verification.removed)),
        Ledger.unchecked: and_(reported, unverified, Output.url != ""),
        Ledger.no_link: and_(reported, unverified, Output.url == ""),
        Ledger.confirmed: and_(discovered, confirmed),
        Ledger.pending: and_(discovered, unverified, Output.confirmed_at.is_(None)),
        Ledger.shared: shared_condition(),
    }


def counted() -> ColumnElement[bool]:
    """Outputs the ledger counts: every live one a coordinator did not set aside.

    Set aside: rejected, and a found item a coordinator marked not found (the link check only
    judges reported outputs, so only a person gives a found item that state: it is not there).
    """
    gone = _is(Verification.not_found, Verification.removed)
    found_gone = and_(Output.source == OutputSource.discovered.value, gone)
    return and_(Output.verification != Verification.rejected.value, ~found_gone)


def condition(category: Ledger) -> ColumnElement[bool]:
    """The SQL condition of one category (the output list's `ledger=` filter)."""
    return and_(_conditions()[category], counted())


def parse(name: str, value: str | None, accepted: Sequence[str]) -> str | None:
    """A filter value checked against the accepted ones (None/'' = any); else an error naming it."""
    if value is None or not value.strip():
        return None
    cleaned = value.strip().lower()
    if cleaned not in accepted:
        raise LedgerFilterError(
            f"{name}: giá trị '{value[:40]}' không hợp lệ; chấp nhận: {', '.join(accepted)}"
        )
    return cleaned


def apply_filters(
    stmt: Select[T], *, verification: str | None, source: str | None, category: str | None
) -> Select[T]:
    """The list's verification, source and ledger filters, each value checked first."""
    state = parse("verification", verification, VERIFICATION_VALUES)
    if state:
        stmt = stmt.where(Output.verification == state)
    origin = parse("source", source, SOURCE_VALUES)
    if origin:
        stmt = stmt.where(Output.source == origin)
    picked = parse("ledger", category, LEDGER_VALUES)
    if picked:
        stmt = stmt.where(condition(Ledger(picked)))
    return stmt


@dataclass
class LedgerRow:
    """One unit's reconciliation counts (unit_id None: the totals row)."""

    unit_id: int | None
    code: str
    name: str
    verified: int = 0
    moved: int = 0
    not_found: int = 0
    unchecked: int = 0
    no_link: int = 0
    confirmed: int = 0
    pending: int = 0
    shared: int = 0
    removed: int = 0  # of not_found: gone after a check had verified it (its archive is kept)
    assigned: bool = field(default=True)

    def count(self, category: str) -> int:
        """The count of a category by its name."""
        return int(getattr(self, Ledger(category).value))

    @property
    def reported(self) -> int:
        """Originals the unit reported (every category of the reported side)."""
        reported = self.verified + self.moved + self.unchecked + self.no_link
        return reported + self.not_found

    @property
    def discovered(self) -> int:
        """Originals found on the unit's site that it did not report."""
        return self.confirmed + self.pending

    @property
    def originals(self) -> int:
        """Every original of the unit (shares excluded)."""
        return self.reported + self.discovered

    @property
    def total(self) -> int:
        """Originals and shares."""
        return self.originals + self.shared

    def add(self, other: LedgerRow) -> None:
        """Add another row's counts into this one (the totals row)."""
        for name in (*LEDGER_VALUES, "removed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int | str | bool | None]:
        """The row as the API answers it (`assigned`: the campaign assigns the unit)."""
        data: dict[str, int | str | bool | None] = {
            f.name: getattr(self, f.name) for f in fields(self)
        }
        data.update(reported=self.reported, discovered=self.discovered,
                    originals=self.originals, total=self.total)  # fmt: skip
        return data


@dataclass
class CampaignLedger:
    """The ledger of a campaign: a row per unit (assigned or with outputs) and the totals."""

    campaign_id: int
    rows: list[LedgerRow]
    totals: LedgerRow

    def as_dict(self) -> dict[str, object]:
        """The ledger as the API answers it."""
        return {
            "categories": list(LEDGER_VALUES),
            "units": [r.as_dict() for r in self.rows],
            "totals": self.totals.as_dict(),
        }


def _counts(session: Session, campaign_id: int, unit_id: int | None) -> dict[int, dict[str, int]]:
    """Counts per unit and category: one grouped query, one conditional sum per category.

    Why sums and not GROUP BY the category: the sums read each row once and give one row per
    unit, and they reuse the very conditions the list filter uses.
    """
    conditions = _conditions()
    sums = [func.sum(case((cond, 1), else_=0)).label(cat.value) for cat, cond in conditions.items()]
    removed = and_(conditions[Ledger.not_found], Output.verification == "removed")
    sums.append(func.sum(case((removed, 1), else_=0)).label("removed"))
    query = (
        select(Output.unit_id, *sums)
        .where(Output.campaign_id == campaign_id, counted())
        .group_by(Output.unit_id)
    )
    if unit_id is not None:
        query = query.where(Output.unit_id == unit_id)
    return {int(r[0]): {k: int(v or 0) for k, v in r._mapping.items() if k != "unit_id"}
            for r in session.execute(query)}  # fmt: skip


def _units(
    session: Session, campaign_id: int, extra: Sequence[int], unit_id: int | None
) -> list[tuple[int, str, str]]:
    """(id, code, name) of the campaign's assigned units and of the `extra` ones, by code (only
    `unit_id` when given). Columns, not Unit objects: a national campaign assigns 5,000 units.
    """
    assigned = select(Assignment.unit_id).where(Assignment.campaign_id == campaign_id)
    query = select(Unit.id, Unit.code, Unit.name).where(
        or_(Unit.id.in_(assigned), Unit.id.in_(list(extra)))
    )
    if unit_id is not None:  # one unit's page: not the campaign's 5,000 names
        query = query.where(Unit.id == unit_id)
    return [(int(i), str(c), str(n)) for i, c, n in session.execute(query.order_by(Unit.code))]


def campaign_ledger(
    *, session: Session, campaign_id: int, unit_id: int | None = None
) -> CampaignLedger:
    """The reconciliation ledger of a campaign (of one unit when unit_id is given)."""
    counts = _counts(session, campaign_id, unit_id)
    assigned = assigned_unit_ids(session=session, campaign_id=campaign_id)
    extra = [u for u in counts if u not in assigned]
    rows: list[LedgerRow] = []
    totals = LedgerRow(unit_id=None, code="", name="Tổng cộng")
    for uid, code, name in _units(session, campaign_id, extra, unit_id):
        row = LedgerRow(unit_id=uid, code=code, name=name, assigned=uid in assigned,
                        **counts.get(uid, {}))  # fmt: skip
        rows.append(row)
        totals.add(row)
    return CampaignLedger(campaign_id=campaign_id, rows=rows, totals=totals)
