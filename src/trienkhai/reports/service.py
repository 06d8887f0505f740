"""Aggregate queries behind every report: GROUP BY in the database, small dictionaries out."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, literal, select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, AssignmentState, Campaign, Theme
from trienkhai.campaigns.service import assigned_unit_ids
from trienkhai.documents.models import Directive
from trienkhai.outputs.models import Output, Verification, output_themes
from trienkhai.settings import get_settings
from trienkhai.themes import service as theme_matching
from trienkhai.themes.service import MachineTag
from trienkhai.units.models import Unit, UnitGroup, group_members

OVERDUE = "overdue"
# States in which a unit has nothing left to do, so a past deadline is not "overdue".
SETTLED_STATES = frozenset(
    {
        AssignmentState.reported.value,
        AssignmentState.verified.value,
        AssignmentState.cancelled.value,
    }
)
NO_THEME = ""  # key for outputs tagged with no theme
# A unit due within this many days that has logged nothing is "at risk" (not yet late).
AT_RISK_DAYS = 3
LATE = "late"
AT_RISK = "at_risk"
BATCH = 5_000  # rows fetched at a time when listing outputs; also the size of an IN (...) list


@dataclass(frozen=True)
class ThemeInfo:
    """A theme as reports show it."""

    id: int
    code: str
    title: str
    text: str = ""


@dataclass
class UnitRow:
    """One unit's line in the unit × theme table."""

    unit_id: int
    code: str
    name: str
    total: int = 0
    verified: int = 0
    by_theme: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    assignment_id: int | None = None
    state: str | None = None
    effective_state: str | None = None
    deadline: date | None = None


@dataclass(frozen=True)
class Laggard:
    """A unit behind: late (past due, not reported) or at risk (due soon, nothing logged)."""

    unit_id: int
    code: str
    name: str
    overdue_days: int | None  # days past the deadline (late units), else None
    deadline: date | None
    state: str | None
    missing_themes: tuple[str, ...]
    kind: str = LATE  # LATE or AT_RISK
    days_left: int | None = None  # days until the deadline (units at risk)
    outputs: int = 0


class OutputRow(NamedTuple):
    """One output as listed in annexes and unit reports (a tuple: 100,000 are built fast)."""

    id: int
    unit_id: int
    unit_code: str
    unit_name: str
    title: str
    url: str
    channel: str
    form: str
    day: date  # local calendar day of publication, as the weekly counts see it
    verification: str
    source: str
    themes: tuple[str, ...]  # confirmed: typed by the unit, imported, or accepted on the desk
    published: datetime  # local wall time of publication (naive), as the annex prints it
    suggested: tuple[str, ...] = ()  # no confirmed theme: the matcher's, at or above threshold


@dataclass
class CampaignSummary:
    """Everything a campaign report shows, computed once."""

    campaign_id: int
    title: str
    today: date
    directive: dict[str, Any]
    themes: list[ThemeInfo]
    units: list[UnitRow]
    total: int
    by_theme: dict[str, int]
    by_channel: dict[str, int]
    by_group: list[tuple[str, int, int]]  # (group name, units in group, outputs)
    by_week: list[tuple[date, int]]  # (Monday of the week, outputs)
    by_verification: dict[str, int]
    states: dict[str, int]
    cells: list[tuple[int, str, str, int]]  # (unit_id, theme code or NO_THEME, channel, count)
    laggards: list[Laggard]  # late: past due and not reported
    notable: list[OutputRow]
    period_start: date | None = None
    period_end: date | None = None
    at_risk: list[Laggard] = field(default_factory=list)  # due within AT_RISK_DAYS, nothing logged
    campaign_end: date | None = None  # the campaign's own end date, as stored
    # by_theme = confirmed + suggested: which of the two each theme's count is made of
    by_theme_confirmed: dict[str, int] = field(default_factory=dict)
    by_theme_suggested: dict[str, int] = field(default_factory=dict)
    suggested_cells: dict[tuple[int, str, str], int] = field(default_factory=dict)
    # (Monday, {channel: outputs}) per week, empty weeks filled in: the dashboard's timeline
    by_week_channel: list[tuple[date, dict[str, int]]] = field(default_factory=list)

    @property
    def verified(self) -> int:
        """Outputs whose publication was checked."""
        return self.by_verification.get(Verification.verified.value, 0)

    @property
    def units_with_outputs(self) -> int:
        """Units that logged at least one output."""
        return sum(1 for u in self.units if u.total)


def effective_state(state: str, deadline: date | None, today: date) -> str:
    """The stored state, or 'overdue' when the deadline passed and the work is not settled."""
    if deadline is not None and deadline < today and state not in SETTLED_STATES:
        return OVERDUE
    return state


def local_today() -> date:
    """Today's date in the configured time zone."""
    return datetime.now(ZoneInfo(get_settings().timezone)).date()


def _local_day(session: Session, column: Any) -> ColumnElement[Any]:
    """The calendar day of a timestamp in the configured zone, computed by the database."""
    tz = get_settings().timezone
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(tz, column))
    # SQLite keeps UTC wall time without an offset; shift by the zone's (DST-free) offset.
    offset = ZoneInfo(tz).utcoffset(datetime(2020, 1, 1)) or timedelta(0)
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def _as_date(value: Any) -> date:
    """A date from what the driver returns (SQLite gives text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def counted(campaign_id: int) -> ColumnElement[bool]:
    """The outputs every figure counts: the campaign's (one predicate, so every screen agrees)."""
    return Output.campaign_id == campaign_id


def get_campaign(*, session: Session, campaign_id: int) -> Campaign | None:
    """The campaign, or None."""
    return session.get(Campaign, campaign_id)


def directive_record(*, session: Session, campaign: Campaign) -> dict[str, Any]:
    """The reviewed record of the campaign's directive (empty when it has none)."""
    if campaign.directive_id is None:
        return {}
    directive = session.get(Directive, campaign.directive_id)
    if directive is None:
        return {}
    record = dict(directive.record or {})
    record.setdefault("number_symbol", directive.number_symbol)
    record.setdefault("issuer", directive.issuer)
    record.setdefault("subject", directive.subject)
    if directive.issued_date and not record.get("issued_date"):
        record["issued_date"] = directive.issued_date.isoformat()
    return record


def themes_of(*, session: Session, campaign_id: int) -> list[ThemeInfo]:
    """The campaign's themes in order."""
    rows = session.execute(
        select(Theme.id, Theme.code, Theme.title, Theme.text)
        .where(Theme.campaign_id == campaign_id)
        .order_by(Theme.position, Theme.id)
    )
    return [ThemeInfo(id=r.id, code=r.code, title=r.title, text=r.text or "") for r in rows]


def unit_theme_channel_counts(
    *, session: Session, campaign_id: int
) -> list[tuple[int, str, str, int]]:
    """Outputs per (unit, theme code, channel); untagged outputs under NO_THEME."""
    code = func.coalesce(Theme.code, literal(NO_THEME))
    stmt = (
        select(Output.unit_id, code, Output.channel, func.count())
        .select_from(Output)
        .outerjoin(output_themes, output_themes.c.output_id == Output.id)
        .outerjoin(Theme, Theme.id == output_themes.c.theme_id)
        .where(counted(campaign_id))
        .group_by(Output.unit_id, code, Output.channel)
    )
    return [(u, c, ch, n) for u, c, ch, n in session.execute(stmt)]


class UnitFigure(NamedTuple):
    """Outputs of one unit on one channel in one verification state."""

    unit_id: int
    channel: str
    verification: str
    outputs: int


def unit_figures(*, session: Session, campaign_id: int) -> list[UnitFigure]:
    """Outputs per (unit, channel, verification): one GROUP BY behind every per-unit total.

    Why one query: the totals, the channel mix, the verification split and the groups' counts
    are all sums of these few hundred rows, and the covering index answers it without the table.
    """
    stmt = (
        select(Output.unit_id, Output.channel, Output.verification, func.count())
        .where(counted(campaign_id))
        .group_by(Output.unit_id, Output.channel, Output.verification)
    )
    return [UnitFigure(int(u), str(c), str(v), int(n)) for u, c, v, n in session.execute(stmt)]


def totals_of(figures: list[UnitFigure]) -> dict[int, tuple[int, int]]:
    """Distinct outputs and verified outputs per unit, from the per-unit figures."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for f in figures:
        totals[f.unit_id][0] += f.outputs
        totals[f.unit_id][1] += f.outputs if f.verification == Verification.verified.value else 0
    return {u: (n, v) for u, (n, v) in totals.items()}


def unit_totals(*, session: Session, campaign_id: int) -> dict[int, tuple[int, int]]:
    """Distinct outputs and verified outputs per unit."""
    return totals_of(unit_figures(session=session, campaign_id=campaign_id))


def outputs_by_theme(*, session: Session, campaign_id: int) -> dict[str, int]:
    """Outputs per theme code (an output on two themes counts for both)."""
    return themes_of_cells(unit_theme_channel_counts(session=session, campaign_id=campaign_id))


def themes_of_cells(cells: list[tuple[int, str, str, int]]) -> dict[str, int]:
    """Outputs per confirmed theme code, summed from the unit × theme × channel cells."""
    found: Counter[str] = Counter()
    for _unit, code, _channel, n in cells:
        if code != NO_THEME:
            found[code] += n
    return dict(found)


def outputs_by_channel(*, session: Session, campaign_id: int) -> dict[str, int]:
    """Outputs per channel slug, largest first."""
    return channels_of(unit_figures(session=session, campaign_id=campaign_id))


def channels_of(figures: list[UnitFigure]) -> dict[str, int]:
    """Outputs per channel slug, largest first (ties by slug), from the per-unit figures."""
    found: Counter[str] = Counter()
    for f in figures:
        found[f.channel] += f.outputs
    return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))


def outputs_by_verification(*, session: Session, campaign_id: int) -> dict[str, int]:
    """Outputs per verification state."""
    return verification_of(unit_figures(session=session, campaign_id=campaign_id))


def verification_of(figures: list[UnitFigure]) -> dict[str, int]:
    """Outputs per verification state, from the per-unit figures."""
    found: Counter[str] = Counter()
    for f in figures:
        found[f.verification] += f.outputs
    return dict(found)


def outputs_by_group(*, session: Session, campaign_id: int) -> list[tuple[str, int, int]]:
    """(group name, assigned units in it, outputs) for groups holding an assigned unit."""
    assigned = assigned_unit_ids(session=session, campaign_id=campaign_id)
    totals = totals_of(unit_figures(session=session, campaign_id=campaign_id))
    return groups_of(session=session, assigned=assigned, totals=totals)


def groups_of(
    *, session: Session, assigned: set[int], totals: dict[int, tuple[int, int]]
) -> list[tuple[str, int, int]]:
    """Per group holding an assigned unit: its name, its assigned units and its outputs.

    The membership is read as (group, unit) id pairs: no Unit or UnitGroup objects are loaded,
    which at national size (5,000 units) costs more than every count of the page.
    """
    involved = sorted(assigned | totals.keys())  # only the campaign's units' memberships
    if not involved:
        return []
    stmt = (
        select(UnitGroup.id, UnitGroup.name, group_members.c.unit_id)
        .join(group_members, group_members.c.group_id == UnitGroup.id)
        .where(group_members.c.unit_id.in_(involved))
        .order_by(UnitGroup.name, UnitGroup.id)
    )
    names: dict[int, str] = {}
    units: Counter[int] = Counter()
    outputs: Counter[int] = Counter()
    for group_id, name, unit_id in session.execute(stmt):
        names[group_id] = name
        units[group_id] += int(unit_id in assigned)
        outputs[group_id] += totals.get(unit_id, (0, 0))[0]
    return [(names[g], units[g], outputs[g]) for g in names if units[g]]


def day_channel_counts(*, session: Session, campaign_id: int) -> list[tuple[date, str, int]]:
    """Outputs per (local calendar day, channel): the one GROUP BY behind every timeline."""
    day = _local_day(session, Output.published_at)
    stmt = (
        select(day, Output.channel, func.count())
        .where(counted(campaign_id))
        .group_by(day, Output.channel)
    )
    return [(_as_date(d), str(c), int(n)) for d, c, n in session.execute(stmt) if d is not None]


def outputs_by_day(*, session: Session, campaign_id: int) -> dict[date, int]:
    """Outputs per local calendar day."""
    return days_of(day_channel_counts(session=session, campaign_id=campaign_id))


def days_of(timeline: list[tuple[date, str, int]]) -> dict[date, int]:
    """Outputs per local calendar day, in order, from the day × channel counts."""
    days: Counter[date] = Counter()
    for day, _channel, n in timeline:
        days[day] += n
    return dict(sorted(days.items()))


def outputs_by_week(*, session: Session, campaign_id: int) -> list[tuple[date, int]]:
    """Outputs per ISO week (keyed by its Monday), with empty weeks filled in."""
    return weeks_of(days_of(day_channel_counts(session=session, campaign_id=campaign_id)))


def weeks_of(days: dict[date, int]) -> list[tuple[date, int]]:
    """Outputs per ISO week (keyed by its Monday), with empty weeks filled in."""
    if not days:
        return []
    weeks: dict[date, int] = defaultdict(int)
    for day, n in days.items():
        weeks[day - timedelta(days=day.weekday())] += n
    first, last = min(weeks), max(weeks)
    count = (last - first).days // 7 + 1
    return [
        (first + timedelta(weeks=i), weeks.get(first + timedelta(weeks=i), 0)) for i in range(count)
    ]


def assignment_rows(*, session: Session, campaign_id: int) -> list[tuple[Any, ...]]:
    """(assignment id, unit id, code, name, state, deadline) of every assignment."""
    stmt = (
        select(Assignment.id, Unit.id, Unit.code, Unit.name, Assignment.state, Assignment.deadline)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.campaign_id == campaign_id)
        .order_by(Unit.code)
    )
    return [tuple(r) for r in session.execute(stmt)]


def assignment_states(*, session: Session, campaign_id: int, today: date) -> dict[str, int]:
    """Assignments per effective state (overdue derived from the deadline)."""
    states: dict[str, int] = defaultdict(int)
    for _aid, _uid, _code, _name, state, deadline in assignment_rows(
        session=session, campaign_id=campaign_id
    ):
        states[effective_state(state, deadline, today)] += 1
    return dict(states)


def _output_columns(session: Session) -> tuple[Any, ...]:
    """Columns of an OutputRow, in order (without themes)."""
    return (
        Output.id,
        Output.unit_id,
        Unit.code,
        Unit.name,
        Output.title,
        Output.url,
        Output.channel,
        Output.form,
        _local_day(session, Output.published_at),
        Output.verification,
        Output.source,
        Output.published_at,
    )


def local_wall_time(value: datetime) -> datetime:
    """A stored timestamp as naive local wall time (SQLite returns naive UTC)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(get_settings().timezone)).replace(tzinfo=None)


def theme_codes_by_output(
    *,
    session: Session,
    campaign_id: int,
    unit_id: int | None = None,
    output_ids: Sequence[int] | None = None,
) -> dict[int, tuple[str, ...]]:
    """Theme codes of a campaign's outputs, or of the given ones (one query, not one per output)."""
    stmt = (
        select(output_themes.c.output_id, Theme.code)
        .join(Theme, Theme.id == output_themes.c.theme_id)
        .where(Theme.campaign_id == campaign_id)
        .order_by(output_themes.c.output_id, Theme.position)
    )
    if output_ids is not None:
        stmt = stmt.where(output_themes.c.output_id.in_(output_ids))
    elif unit_id is not None:
        unit_outputs = select(Output.id).where(Output.unit_id == unit_id)
        stmt = stmt.where(output_themes.c.output_id.in_(unit_outputs))
    codes: dict[int, list[str]] = defaultdict(list)
    for oid, code in session.execute(stmt):
        codes[oid].append(code)
    return {k: tuple(v) for k, v in codes.items()}


def _outputs_query(
    *,
    session: Session,
    campaign_id: int,
    unit_id: int | None,
    verified_with_link: bool,
) -> Select[Any]:
    """The listing query: only the columns a row needs, ordered by unit and date by default."""
    stmt = (
        select(*_output_columns(session))
        .join(Unit, Unit.id == Output.unit_id)
        .where(counted(campaign_id))
    )
    if unit_id is not None:
        stmt = stmt.where(Output.unit_id == unit_id)
    if verified_with_link:  # notable outputs: newest first
        verified = and_(Output.verification == Verification.verified.value, Output.url != "")
        return stmt.where(verified).order_by(Output.published_at.desc(), Output.id.desc())
    return stmt.order_by(Unit.code, Output.published_at, Output.id)


def iter_outputs(
    *,
    session: Session,
    campaign_id: int,
    unit_id: int | None = None,
    verified_with_link: bool = False,
    limit: int | None = None,
    machine: list[MachineTag] | None = None,
) -> Iterator[OutputRow]:
    """The campaign's outputs ordered by unit and date, streamed in batches (never all at once)."""
    stmt = _outputs_query(
        session=session,
        campaign_id=campaign_id,
        unit_id=unit_id,
        verified_with_link=verified_with_link,
    )
    # A short list looks up its own outputs' themes; a full list reads the campaign's at once
    # (one query beats twenty IN lists of 5,000 ids).
    themes = (
        {}
        if limit is not None
        else theme_codes_by_output(session=session, campaign_id=campaign_id, unit_id=unit_id)
    )
    if machine is None:  # the caller may pass the tags it already has (scoring is not free)
        machine = machine_tags(session=session, campaign_id=campaign_id)
    suggested = {m.output_id: m.codes for m in machine}
    if limit is not None:
        stmt = stmt.limit(limit)
    result = session.execute(stmt.execution_options(yield_per=BATCH))
    for batch in result.partitions():
        if limit is not None:
            ids = [r[0] for r in batch]
            themes = theme_codes_by_output(session=session, campaign_id=campaign_id, output_ids=ids)
        for oid, uid, code, name, title, url, channel, form, day, verif, source, at in batch:
            codes = themes.get(oid, ())
            yield OutputRow(
                oid, uid, code, name, title, url, channel, form, _as_date(day), verif, source,
                codes, local_wall_time(at), () if codes else suggested.get(oid, ()),
            )  # fmt: skip


def notable_outputs(
    *,
    session: Session,
    campaign_id: int,
    limit: int = 15,
    machine: list[MachineTag] | None = None,
) -> list[OutputRow]:
    """Verified outputs with a link, newest first."""
    return list(
        iter_outputs(session=session, campaign_id=campaign_id, verified_with_link=True,
                     limit=limit, machine=machine)
    )  # fmt: skip


def _unit_rows(
    *,
    session: Session,
    campaign_id: int,
    today: date,
    cells: list[tuple[int, str, str, int]],
    figures: list[UnitFigure] | None = None,
) -> list[UnitRow]:
    """Assigned units plus any unit that logged outputs, with their counts and channels."""
    if figures is None:
        figures = unit_figures(session=session, campaign_id=campaign_id)
    rows: dict[int, UnitRow] = {}
    for aid, uid, code, name, state, deadline in assignment_rows(
        session=session, campaign_id=campaign_id
    ):
        rows[uid] = UnitRow(uid, code, name, assignment_id=aid, state=state, deadline=deadline)
        rows[uid].effective_state = effective_state(state, deadline, today)
    totals = totals_of(figures)
    missing = [uid for uid in totals if uid not in rows]
    if missing:
        for uid, code, name in session.execute(
            select(Unit.id, Unit.code, Unit.name).where(Unit.id.in_(missing))
        ):
            rows[uid] = UnitRow(uid, code, name)
    channels = unit_channels_of(figures)
    for uid, (total, verified) in totals.items():
        rows[uid].total, rows[uid].verified = total, verified
        rows[uid].by_channel = channels.get(uid, {})
    _fill_cells(rows, cells)
    return sorted(rows.values(), key=lambda r: r.code)


def _fill_cells(rows: dict[int, UnitRow], cells: list[tuple[int, str, str, int]]) -> None:
    """Per-theme counts of each unit from the three-way aggregate (channels come separately)."""
    for uid, theme, _channel, n in cells:
        if theme != NO_THEME:
            row = rows[uid]
            row.by_theme[theme] = row.by_theme.get(theme, 0) + n


def unit_channel_counts(*, session: Session, campaign_id: int) -> dict[int, dict[str, int]]:
    """Distinct outputs per unit and channel."""
    return unit_channels_of(unit_figures(session=session, campaign_id=campaign_id))


def unit_channels_of(figures: list[UnitFigure]) -> dict[int, dict[str, int]]:
    """Outputs per unit and channel, from the per-unit figures."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for f in figures:
        result[f.unit_id][f.channel] = result[f.unit_id].get(f.channel, 0) + f.outputs
    return dict(result)


def _pending(row: UnitRow) -> bool:
    """An assigned unit whose work is not settled (reported, verified or cancelled)."""
    return row.assignment_id is not None and row.state not in SETTLED_STATES


def _missing(row: UnitRow, themes: list[ThemeInfo]) -> tuple[str, ...]:
    """Theme codes on which the unit logged nothing."""
    return tuple(t.code for t in themes if not row.by_theme.get(t.code))


def laggards(*, units: list[UnitRow], themes: list[ThemeInfo], today: date) -> list[Laggard]:
    """Late units: past their deadline and not reported (the one definition of "chậm")."""
    result = []
    for row in units:
        if not _pending(row) or row.deadline is None or row.deadline >= today:
            continue
        days = (today - row.deadline).days
        missing = _missing(row, themes)
        result.append(
            Laggard(
                row.unit_id, row.code, row.name, days, row.deadline, row.state, missing,
                kind=LATE, outputs=row.total,
            )
        )  # fmt: skip
    return result


def at_risk(*, units: list[UnitRow], themes: list[ThemeInfo], today: date) -> list[Laggard]:
    """Units due within AT_RISK_DAYS (today included) that have logged nothing yet."""
    result = []
    for row in units:
        if not _pending(row) or row.deadline is None or row.total:
            continue
        left = (row.deadline - today).days
        if 0 <= left <= AT_RISK_DAYS:
            result.append(
                Laggard(
                    row.unit_id, row.code, row.name, None, row.deadline, row.state,
                    _missing(row, themes), kind=AT_RISK, days_left=left,
                )
            )  # fmt: skip
    return result


def campaign_summary(
    *, session: Session, campaign_id: int, today: date | None = None, notable_limit: int = 15
) -> CampaignSummary:
    """All the figures of a campaign's results report.

    Three GROUP BY queries over the campaign's outputs (unit × theme × channel; day × channel;
    unit × channel × verification) give every count; the rest is sums of their rows in Python.
    """
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise LookupError(f"Không có chiến dịch số {campaign_id} (campaign not found)")
    today = today or local_today()
    themes = themes_of(session=session, campaign_id=campaign_id)
    machine = machine_tags(session=session, campaign_id=campaign_id)
    raw_cells = unit_theme_channel_counts(session=session, campaign_id=campaign_id)
    cells = _merge_cells(raw_cells, machine)
    confirmed = themes_of_cells(raw_cells)
    suggested = Counter(code for tag in machine for code in tag.codes)
    figures = unit_figures(session=session, campaign_id=campaign_id)
    timeline = day_channel_counts(session=session, campaign_id=campaign_id)
    units = _unit_rows(
        session=session, campaign_id=campaign_id, today=today, cells=cells, figures=figures
    )
    by_verification = verification_of(figures)
    assigned = {u.unit_id for u in units if u.assignment_id is not None}
    return CampaignSummary(
        campaign_id=campaign_id,
        title=campaign.title,
        today=today,
        directive=directive_record(session=session, campaign=campaign),
        themes=themes,
        units=units,
        total=sum(by_verification.values()),
        by_theme=dict(Counter(confirmed) + suggested),
        by_theme_confirmed=confirmed,
        by_theme_suggested=dict(suggested),
        suggested_cells=_machine_cells(machine),
        by_channel=channels_of(figures),
        by_group=groups_of(session=session, assigned=assigned, totals=totals_of(figures)),
        by_week=weeks_of(days_of(timeline)),
        by_week_channel=week_channels_of(timeline),
        by_verification=by_verification,
        states=_states_of(units),
        cells=cells,
        laggards=laggards(units=units, themes=themes, today=today),
        notable=notable_outputs(
            session=session, campaign_id=campaign_id, limit=notable_limit, machine=machine
        ),
        period_start=campaign.period_start,
        period_end=report_period_end(campaign_end=campaign.period_end, today=today),
        at_risk=at_risk(units=units, themes=themes, today=today),
        campaign_end=campaign.period_end,
    )


def _states_of(units: list[UnitRow]) -> dict[str, int]:
    """Assignments per effective state, from the unit rows (already read with their deadline)."""
    states: Counter[str] = Counter(
        u.effective_state for u in units if u.assignment_id is not None and u.effective_state
    )
    return dict(states)


def machine_tags(*, session: Session, campaign_id: int) -> list[MachineTag]:
    """Outputs with no confirmed theme that the matcher scores at or above the threshold."""
    return theme_matching.machine_themes(session=session, campaign_id=campaign_id)


def _machine_cells(machine: list[MachineTag]) -> dict[tuple[int, str, str], int]:
    """Per (unit, theme, channel): outputs counted on the theme by the matcher alone."""
    found: Counter[tuple[int, str, str]] = Counter()
    for tag in machine:
        for code in tag.codes:
            found[(tag.unit_id, code, tag.channel)] += 1
    return dict(found)


def _merge_cells(
    cells: list[tuple[int, str, str, int]], machine: list[MachineTag]
) -> list[tuple[int, str, str, int]]:
    """The confirmed cells with the matcher's outputs moved from untagged to their themes."""
    if not machine:
        return cells
    merged: Counter[tuple[int, str, str]] = Counter({(u, t, c): n for u, t, c, n in cells})
    for tag in machine:
        merged[(tag.unit_id, NO_THEME, tag.channel)] -= 1
        for code in tag.codes:
            merged[(tag.unit_id, code, tag.channel)] += 1
    return [(u, t, c, n) for (u, t, c), n in merged.items() if n > 0]


def report_period_end(*, campaign_end: date | None, today: date) -> date:
    """The period a report covers ends at its date or the campaign's end, whichever is earlier."""
    return min(campaign_end, today) if campaign_end is not None else today


def late_assignments(*, summary: CampaignSummary) -> list[UnitRow]:
    """Assigned units whose deadline passed without the work being settled."""
    return [u for u in summary.units if u.effective_state == OVERDUE]


def unit_by_code(*, session: Session, code: str) -> Unit | None:
    """The unit with this code, or None."""
    return session.scalar(select(Unit).where(Unit.code == code))


def parent_unit_name(*, session: Session, unit: Unit) -> str | None:
    """The name of the unit's parent unit, if any."""
    if unit.parent_id is None:
        return None
    return session.scalar(select(Unit.name).where(Unit.id == unit.parent_id))


def outputs_by_week_channel(
    *, session: Session, campaign_id: int
) -> list[tuple[date, dict[str, int]]]:
    """Outputs per ISO week (keyed by its Monday) and channel, empty weeks filled in."""
    return week_channels_of(day_channel_counts(session=session, campaign_id=campaign_id))


def week_channels_of(timeline: list[tuple[date, str, int]]) -> list[tuple[date, dict[str, int]]]:
    """Outputs per ISO week and channel from the day × channel counts, empty weeks filled in."""
    weeks: dict[date, dict[str, int]] = defaultdict(dict)
    for day, channel, n in timeline:
        monday = day - timedelta(days=day.weekday())
        weeks[monday][channel] = weeks[monday].get(channel, 0) + n
    if not weeks:
        return []
    first, count = min(weeks), (max(weeks) - min(weeks)).days // 7 + 1
    mondays = [first + timedelta(weeks=i) for i in range(count)]
    return [(m, weeks.get(m, {})) for m in mondays]
