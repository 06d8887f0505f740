"""Campaigns: open from a directive, themes, assignments, unresolved phrases, files, read shapes."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trienkhai import errors, filenames
from trienkhai.campaigns import guard, lifecycle, planning, states, steering
from trienkhai.campaigns.guard import CampaignError
from trienkhai.campaigns.models import (
    Assignment,
    AssignmentState,
    Campaign,
    CampaignFile,
    Theme,
    UnresolvedPhrase,
)
from trienkhai.campaigns.schemas import (
    AssignmentCreate,
    AssignmentDetail,
    AssignmentRead,
    AssignmentUpdate,
    CampaignRead,
    CampaignSummary,
    CampaignUpdate,
    EventRead,
    FileRead,
    TaskItem,
    ThemeCreate,
    ThemeRead,
    ThemeUpdate,
    UnresolvedRead,
)
from trienkhai.documents.models import Directive
from trienkhai.documents.schemas import DocumentRecord
from trienkhai.outputs.models import Output
from trienkhai.text import nfc
from trienkhai.units import service as units
from trienkhai.units.models import Unit
from trienkhai.users.models import User
from trienkhai.users.service import audit

__all__ = ["CampaignError", "ConflictError", "NotFoundError"]  # callers catch these by name


class NotFoundError(errors.NotFoundError):
    """A campaign, theme, assignment, phrase or file that does not exist."""


class ConflictError(errors.ConflictError):
    """Someone else changed or removed the row first (optimistic locking); HTTP 409."""


STALE = "nhiệm vụ vừa được người khác sửa hoặc gỡ; hãy tải lại rồi làm lại (stale version)"


def _flush_or_conflict(session: Session) -> None:
    """Flush; an assignment another user changed or removed meanwhile is a ConflictError."""
    try:
        session.flush()
    except StaleDataError as exc:  # the version column no longer matches: nothing was written
        raise ConflictError(STALE) from exc


# --- campaigns ---------------------------------------------------------------------------


def get(*, session: Session, campaign_id: int) -> Campaign | None:
    """The campaign with this id, if any."""
    return session.get(Campaign, campaign_id)


def require(*, session: Session, campaign_id: int) -> Campaign:
    """The campaign with this id (NotFoundError otherwise)."""
    campaign = get(session=session, campaign_id=campaign_id)
    if campaign is None:
        raise NotFoundError(f"không có chiến dịch số {campaign_id} (campaign not found)")
    return campaign


def list_campaigns(*, session: Session, unit_id: int | None = None) -> list[Campaign]:
    """Campaigns, newest first; with `unit_id`, only those that assign that unit."""
    stmt = select(Campaign).order_by(Campaign.id.desc())
    if unit_id is not None:
        assigned = select(Assignment.campaign_id).where(Assignment.unit_id == unit_id)
        stmt = stmt.where(Campaign.id.in_(assigned))
    return list(session.scalars(stmt))


def is_assigned(*, session: Session, campaign_id: int, unit_id: int | None) -> bool:
    """Whether the campaign assigns the unit."""
    if unit_id is None:
        return False
    return (
        session.scalar(
            select(Assignment.id).where(
                Assignment.campaign_id == campaign_id, Assignment.unit_id == unit_id
            )
        )
        is not None
    )


def unit_sees_directive(*, session: Session, directive_id: int, unit_id: int | None) -> bool:
    """Whether some campaign opened from the directive assigns the unit."""
    if unit_id is None:
        return False
    stmt = (
        select(Assignment.id)
        .join(Campaign, Campaign.id == Assignment.campaign_id)
        .where(Campaign.directive_id == directive_id, Assignment.unit_id == unit_id)
        .limit(1)
    )
    return session.scalar(stmt) is not None


def _unique_codes(record: DocumentRecord) -> list[str]:
    """Theme codes T1..Tn: the record's own when well-formed and unique, else by position."""
    codes = [t.code for t in record.themes]
    if all(re.fullmatch(r"T\d{1,3}", c) for c in codes) and len(set(codes)) == len(codes):
        return codes
    return [f"T{i}" for i in range(1, len(codes) + 1)]


def create_from_directive(
    *,
    session: Session,
    record: DocumentRecord,
    directive_id: int | None,
    actor: User | None,
    title: str | None = None,
    report_deadline: date | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Campaign:
    """Open a campaign: themes T1..Tn, one assignment per unit, unresolved phrases kept."""
    deadline = report_deadline or planning.earliest(record.deadlines)
    issued = planning.parse_deadline(record.issued_date or "")
    start: date | None = period_start or issued or states.today()
    end = period_end or deadline
    # An old letter opened late would start after it ends: leave the start open instead.
    if end is not None and start is not None and start > end:
        start = None if period_start is None else start
    campaign = Campaign(
        title=nfc(title or record.subject or record.source or "Chiến dịch mới").strip()[:500],
        directive_id=directive_id,
        report_deadline=deadline,
        period_start=start,
        period_end=end,
        created_by_id=actor.id if actor else None,
    )
    session.add(campaign)
    for position, (code, theme) in enumerate(
        zip(_unique_codes(record), record.themes, strict=True)
    ):
        campaign.themes.append(
            Theme(
                code=code,
                position=position,
                title=planning.short_title(theme.text),
                text=theme.text,
                keywords=list(theme.keywords),
            )
        )
    session.flush()
    _assign_plan(session, campaign, planning.build_plan(session=session, record=record))
    _add_files(session, campaign, record)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="create",
        entity="campaign",
        entity_id=campaign.id,
        summary=f"Mở chiến dịch {campaign.title}",
    )
    return campaign


def _assign_plan(session: Session, campaign: Campaign, plan: planning.Plan) -> None:
    """Create the assignments and unresolved phrases of a plan."""
    for unit_plan in plan.units.values():
        tasks = unit_plan.tasks
        session.add(
            Assignment(
                campaign_id=campaign.id,
                unit_id=unit_plan.unit.id,
                deadline=planning.earliest(unit_plan.deadlines) or campaign.report_deadline,
                tasks=tasks,
                channels=planning.union([t["channels"] for t in tasks]),
                forms=planning.union([t["forms"] for t in tasks]),
            )
        )
    from trienkhai.campaigns.phrases import dedupe  # noqa: PLC0415 - phrases imports this module

    for phrase, origin in dedupe(plan.unresolved):  # a split phrase and its halves: one entry
        session.add(UnresolvedPhrase(campaign_id=campaign.id, phrase=phrase[:500], origin=origin))


def _add_files(session: Session, campaign: Campaign, record: DocumentRecord) -> None:
    """The letter's attachments and reference sources, listed (content uploaded later)."""
    for kind, texts in (("attachment", record.attachments), ("reference", record.references)):
        for text in texts:
            session.add(
                CampaignFile(
                    campaign_id=campaign.id,
                    kind=kind,
                    title=planning.short_title(nfc(text), 500),
                    url=planning.first_url(text)[:1000],
                )
            )


def update_campaign(
    *, session: Session, campaign: Campaign, data: CampaignUpdate, actor: User | None
) -> Campaign:
    """Change title, description, dates or status (see campaigns.lifecycle for the rules)."""
    changes = data.model_dump(exclude_unset=True)
    return lifecycle.edit(session=session, campaign=campaign, changes=changes, actor=actor)


def delete_campaign(*, session: Session, campaign: Campaign, actor: User | None) -> None:
    """Delete a campaign that has no outputs (ConflictError otherwise)."""
    lifecycle.delete(session=session, campaign=campaign, actor=actor)


# --- themes ------------------------------------------------------------------------------


def require_theme(*, session: Session, campaign: Campaign, theme_id: int) -> Theme:
    """A theme of this campaign (NotFoundError otherwise)."""
    theme = session.get(Theme, theme_id)
    if theme is None or theme.campaign_id != campaign.id:
        raise NotFoundError(f"chiến dịch không có chủ đề số {theme_id} (theme not found)")
    return theme


def add_theme(
    *, session: Session, campaign: Campaign, data: ThemeCreate, actor: User | None
) -> Theme:
    """Add a theme at the end; codes stay stable, a new one takes the next free Tn."""
    used = {t.code for t in campaign.themes}
    code = data.code or _next_code(used)
    if code in used:
        raise CampaignError(f"mã chủ đề '{code}' đã có (theme code taken)")
    position = max((t.position for t in campaign.themes), default=-1) + 1
    theme = Theme(
        code=code,
        position=position,
        title=data.title or planning.short_title(data.text),
        text=data.text,
        keywords=[nfc(k).strip() for k in data.keywords if k.strip()],
    )
    campaign.themes.append(theme)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="create",
        entity="theme",
        entity_id=theme.id,
        detail={"campaign_id": campaign.id, "code": code},
    )
    return theme


def _next_code(used: set[str]) -> str:
    """The first Tn not in use."""
    n = 1
    while f"T{n}" in used:
        n += 1
    return f"T{n}"


def update_theme(*, session: Session, theme: Theme, data: ThemeUpdate, actor: User | None) -> Theme:
    """Change a theme's title, text, keywords or position."""
    for name, raw in data.model_dump(exclude_unset=True).items():
        value = raw
        if name == "keywords" and raw is not None:
            value = [nfc(k).strip() for k in raw if k.strip()]
        elif isinstance(raw, str):
            value = nfc(raw).strip()
        if value is not None:
            setattr(theme, name, value)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="update",
        entity="theme",
        entity_id=theme.id,
        detail=data.model_dump(exclude_unset=True),
    )
    return theme


def delete_theme(*, session: Session, theme: Theme, actor: User | None) -> None:
    """Remove a theme (outputs lose the link to it)."""
    audit(
        session=session,
        actor=actor,
        action="delete",
        entity="theme",
        entity_id=theme.id,
        detail={"campaign_id": theme.campaign_id, "code": theme.code},
    )
    session.delete(theme)
    session.flush()


# --- assignments -------------------------------------------------------------------------


def assigned_unit_ids(*, session: Session, campaign_id: int) -> set[int]:
    """Ids of the units the campaign assigns (one column, not the assignments)."""
    stmt = select(Assignment.unit_id).where(Assignment.campaign_id == campaign_id)
    return set(session.scalars(stmt))


def list_assignments(
    *,
    session: Session,
    campaign_id: int,
    unit_id: int | None = None,
    state: str | None = None,
    kind: str | None = None,
    overdue: bool | None = None,
    on: date | None = None,
) -> list[Assignment]:
    """Assignments of a campaign, by unit kind and name; `state` may also be 'overdue'."""
    stmt = (
        select(Assignment)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.campaign_id == campaign_id)
        .order_by(Unit.kind, Unit.name)
    )
    if unit_id is not None:
        stmt = stmt.where(Assignment.unit_id == unit_id)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if state and state != "overdue":
        stmt = stmt.where(Assignment.state == state)
    rows = list(session.scalars(stmt))
    if state == "overdue":
        overdue = True
    if overdue is not None:
        rows = [a for a in rows if states.is_overdue(a, on=on) == overdue]
    return rows


def require_assignment(*, session: Session, assignment_id: int) -> Assignment:
    """The assignment with this id (NotFoundError otherwise)."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFoundError(f"không có nhiệm vụ số {assignment_id} (assignment not found)")
    return assignment


def _task_dicts(tasks: list[TaskItem]) -> list[dict[str, Any]]:
    """Stored task dicts."""
    return [t.model_dump() for t in tasks]


def add_assignment(
    *, session: Session, campaign: Campaign, data: AssignmentCreate, actor: User | None
) -> Assignment:
    """Assign one more unit to the campaign."""
    guard.ensure_open(campaign)
    unit = units.get(session=session, unit_id=data.unit_id)
    if unit is None:
        raise NotFoundError(f"không có đơn vị số {data.unit_id} (unit not found)")
    if is_assigned(session=session, campaign_id=campaign.id, unit_id=unit.id):
        raise CampaignError(f"đơn vị '{unit.name}' đã được giao nhiệm vụ trong chiến dịch này")
    tasks = _task_dicts(data.tasks)
    assignment = _new_assignment(campaign, unit, tasks, data.deadline, nfc(data.note))
    assignment.state = AssignmentState.assigned.value
    session.add(assignment)
    steering.record(assignment, actor=actor, kind="created", note=data.note).from_state = None
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="create",
        entity="assignment",
        entity_id=assignment.id,
        detail={"campaign_id": campaign.id, "unit": unit.code},
    )
    return assignment


def _new_assignment(
    campaign: Campaign, unit: Unit, tasks: list[dict[str, Any]], deadline: date | None, note: str
) -> Assignment:
    """An assignment row with channels and forms gathered from its tasks."""
    return Assignment(
        campaign_id=campaign.id,
        unit_id=unit.id,
        deadline=deadline or campaign.report_deadline,
        tasks=tasks,
        channels=planning.union([t.get("channels", []) for t in tasks]),
        forms=planning.union([t.get("forms", []) for t in tasks]),
        note=note,
    )


def update_assignment(
    *, session: Session, assignment: Assignment, data: AssignmentUpdate, actor: User | None
) -> Assignment:
    """Change an assignment's deadline, tasks or note; a stale `version` is a ConflictError."""
    if data.version is not None and data.version != assignment.version:
        # The edit was prepared on an older copy: saving it would silently undo someone's change.
        raise ConflictError(STALE)
    guard.ensure_open(require(session=session, campaign_id=assignment.campaign_id))
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if "deadline" in changes and data.deadline != assignment.deadline:
        detail = {"from": _iso(assignment.deadline), "to": _iso(data.deadline)}
        steering.record(assignment, actor=actor, kind="deadline", detail=detail)
        assignment.deadline = data.deadline
    if data.tasks is not None:
        tasks = _task_dicts(data.tasks)
        assignment.tasks = tasks
        assignment.channels = planning.union([t["channels"] for t in tasks])
        assignment.forms = planning.union([t["forms"] for t in tasks])
    if data.note is not None:
        assignment.note = nfc(data.note).strip()
    _flush_or_conflict(session)
    audit(
        session=session,
        actor=actor,
        action="update",
        entity="assignment",
        entity_id=assignment.id,
        detail=data.model_dump(exclude_unset=True, exclude={"version"}, mode="json"),
    )
    return assignment


def _iso(value: date | None) -> str | None:
    """A date as ISO text."""
    return value.isoformat() if value else None


def remove_assignment(*, session: Session, assignment: Assignment, actor: User | None) -> None:
    """Take a unit off the campaign; one that logged outputs is cancelled instead (409)."""
    guard.ensure_open(require(session=session, campaign_id=assignment.campaign_id))
    steering.refuse_if_outputs(session, assignment, "gỡ")
    detail = {"campaign_id": assignment.campaign_id, "unit_id": assignment.unit_id}
    assignment_id = assignment.id
    session.delete(assignment)
    _flush_or_conflict(session)
    audit(
        session=session,
        actor=actor,
        action="delete",
        entity="assignment",
        entity_id=assignment_id,
        detail=detail,
    )


# --- unresolved phrases ------------------------------------------------------------------


def list_unresolved(
    *, session: Session, campaign_id: int, include_closed: bool = True
) -> list[UnresolvedPhrase]:
    """Phrases of the campaign that matched no unit (open ones first)."""
    stmt = select(UnresolvedPhrase).where(UnresolvedPhrase.campaign_id == campaign_id)
    if not include_closed:
        stmt = stmt.where(
            UnresolvedPhrase.resolved_unit_id.is_(None), UnresolvedPhrase.dismissed.is_(False)
        )
    rows = list(session.scalars(stmt.order_by(UnresolvedPhrase.id)))
    return sorted(rows, key=lambda p: p.resolved_unit_id is not None or p.dismissed)


def require_unresolved(*, session: Session, campaign: Campaign, phrase_id: int) -> UnresolvedPhrase:
    """An unresolved phrase of this campaign (NotFoundError otherwise)."""
    phrase = session.get(UnresolvedPhrase, phrase_id)
    if phrase is None or phrase.campaign_id != campaign.id:
        raise NotFoundError(f"chiến dịch không có cụm từ số {phrase_id} (phrase not found)")
    return phrase


def _directive_record(session: Session, campaign: Campaign) -> DocumentRecord:
    """The campaign's directive record, or an empty one."""
    directive = session.get(Directive, campaign.directive_id) if campaign.directive_id else None
    return DocumentRecord.model_validate(directive.record if directive else {})


def resolve_unresolved(
    *,
    session: Session,
    campaign: Campaign,
    phrase: UnresolvedPhrase,
    unit_id: int,
    actor: User | None,
    learn_alias: bool = True,
) -> Assignment:
    """Point a phrase at a unit: assign the unit the phrase's tasks; optionally learn the alias."""
    if phrase.dismissed or phrase.resolved_unit_id is not None:
        raise CampaignError(f"cụm từ '{phrase.phrase}' đã được xử lý (already handled)")
    unit = units.get(session=session, unit_id=unit_id)
    if unit is None:
        raise NotFoundError(f"không có đơn vị số {unit_id} (unit not found)")
    tasks, deadlines = planning.tasks_for_phrase(
        _directive_record(session, campaign), phrase.phrase
    )
    assignment = session.scalar(
        select(Assignment).where(
            Assignment.campaign_id == campaign.id, Assignment.unit_id == unit.id
        )
    )
    if assignment is None:
        deadline = planning.earliest(deadlines)
        assignment = _new_assignment(campaign, unit, tasks, deadline, "")
        session.add(assignment)
    else:
        merged = list(assignment.tasks) + [t for t in tasks if t not in assignment.tasks]
        assignment.tasks = merged
    phrase.resolved_unit_id = unit.id
    if learn_alias:
        units.learn_alias(session=session, unit=unit, phrase=phrase.phrase)
    _flush_or_conflict(session)
    audit(
        session=session,
        actor=actor,
        action="resolve",
        entity="unresolved_phrase",
        entity_id=phrase.id,
        detail={"phrase": phrase.phrase, "unit": unit.code},
    )
    return assignment


def dismiss_unresolved(*, session: Session, phrase: UnresolvedPhrase, actor: User | None) -> None:
    """Mark a phrase as not naming any unit to assign (kept, shown as dismissed)."""
    phrase.dismissed = True
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="dismiss",
        entity="unresolved_phrase",
        entity_id=phrase.id,
        detail={"phrase": phrase.phrase},
    )


# --- files -------------------------------------------------------------------------------


def add_file(
    *,
    session: Session,
    campaign: Campaign,
    title: str,
    actor: User | None,
    filename: str = "",
    content: bytes | None = None,
    kind: str = "attachment",
    url: str = "",
) -> CampaignFile:
    """Attach a file (or a link) to the campaign for every assigned unit to see."""
    if kind not in {"attachment", "reference"}:
        raise CampaignError(f"loại tệp '{kind}' không hợp lệ; dùng attachment hoặc reference")
    if not content and not url.strip():
        raise CampaignError("cần nội dung tệp hoặc đường dẫn (file content or url required)")
    if url.strip() and not url.strip().lower().startswith(("http://", "https://")):
        # Units open the link from their page: only web addresses, never javascript: or data:.
        raise CampaignError(f"đường dẫn '{url.strip()}' phải bắt đầu bằng http:// hoặc https://")
    # The browser's name and type are the sender's choice: keep neither as sent.
    filename = filenames.safe_filename(filename) if content else ""
    media_type = filenames.media_type_for(filename) if content else ""
    row = CampaignFile(
        campaign_id=campaign.id,
        kind=kind,
        title=nfc(title or filename).strip()[:500] or "Tài liệu",
        url=url.strip()[:1000],
        filename=filename,
        media_type=media_type,
        sha256=hashlib.sha256(content).hexdigest() if content else "",
        content=content,
    )
    session.add(row)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="create",
        entity="campaign_file",
        entity_id=row.id,
        detail={"campaign_id": campaign.id, "title": row.title},
    )
    return row


def list_files(*, session: Session, campaign_id: int) -> list[CampaignFile]:
    """The campaign's attachments and references."""
    stmt = select(CampaignFile).where(CampaignFile.campaign_id == campaign_id)
    return list(session.scalars(stmt.order_by(CampaignFile.kind, CampaignFile.id)))


def require_file(*, session: Session, campaign: Campaign, file_id: int) -> CampaignFile:
    """A file of this campaign (NotFoundError otherwise)."""
    row = session.get(CampaignFile, file_id)
    if row is None or row.campaign_id != campaign.id:
        raise NotFoundError(f"chiến dịch không có tệp số {file_id} (file not found)")
    return row


# --- read shapes -------------------------------------------------------------------------


def assignment_read(
    assignment: Assignment, *, on: date | None = None, actor: User | None = None
) -> AssignmentRead:
    """The API shape of an assignment, with derived overdue and effective state."""
    unit = Session.object_session(assignment).get(Unit, assignment.unit_id)  # type: ignore[union-attr]
    return AssignmentRead(
        id=assignment.id,
        campaign_id=assignment.campaign_id,
        unit=units.brief(unit),  # type: ignore[arg-type]
        state=assignment.state,
        effective_state=states.effective_state(assignment, on=on),
        overdue=states.is_overdue(assignment, on=on),
        deadline=assignment.deadline,
        tasks=[TaskItem.model_validate(t) for t in assignment.tasks or []],
        channels=list(assignment.channels or []),
        forms=list(assignment.forms or []),
        note=assignment.note,
        version=assignment.version,
        allowed_moves=[s.value for s in states.allowed_moves(assignment, actor)] if actor else [],
    )


def assignment_detail(
    *, session: Session, assignment: Assignment, on: date | None = None, actor: User | None = None
) -> AssignmentDetail:
    """An assignment with its history rows."""
    names = {
        u.id: u.username
        for u in session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in assignment.events}))
        )
    }
    events = [
        EventRead(
            id=e.id,
            kind=e.kind,
            detail=dict(e.detail or {}),
            at=e.at,
            actor_id=e.actor_id,
            actor=names.get(e.actor_id) if e.actor_id else None,
            from_state=e.from_state,
            to_state=e.to_state,
            note=e.note,
        )
        for e in assignment.events
    ]
    base = assignment_read(assignment, on=on, actor=actor)
    return AssignmentDetail(**base.model_dump(), events=events)


def _directive_label(session: Session, campaign: Campaign) -> str | None:
    """How a campaign's directive is named in lists: its number, else its file name."""
    if campaign.directive_id is None:
        return None
    directive = session.get(Directive, campaign.directive_id)
    if directive is None:
        return None
    return directive.number_symbol or directive.filename


def outputs_count(*, session: Session, campaign_id: int) -> int:
    """How many outputs the campaign has collected."""
    stmt = select(func.count(Output.id)).where(Output.campaign_id == campaign_id)
    return int(session.scalar(stmt) or 0)


def campaign_summary(
    *, session: Session, campaign: Campaign, on: date | None = None
) -> CampaignSummary:
    """A campaign in a list, with counts."""
    rows = list_assignments(session=session, campaign_id=campaign.id)
    return CampaignSummary(
        id=campaign.id,
        title=campaign.title,
        directive=_directive_label(session, campaign),
        assignments_count=len(rows),
        outputs_count=outputs_count(session=session, campaign_id=campaign.id),
        directive_id=campaign.directive_id,
        status=campaign.status,
        report_deadline=campaign.report_deadline,
        overdue_count=sum(states.is_overdue(a, on=on) for a in rows),
    )


def file_read(row: CampaignFile) -> FileRead:
    """The API shape of a campaign file (content served separately)."""
    return FileRead(
        id=row.id,
        kind=row.kind,
        title=row.title,
        url=row.url,
        filename=row.filename,
        media_type=row.media_type,
        sha256=row.sha256,
        has_content=bool(row.sha256),
    )


def unresolved_read(session: Session, phrase: UnresolvedPhrase) -> UnresolvedRead:
    """The API shape of an unresolved phrase."""
    unit = session.get(Unit, phrase.resolved_unit_id) if phrase.resolved_unit_id else None
    return UnresolvedRead(
        id=phrase.id,
        phrase=phrase.phrase,
        origin=phrase.origin,
        resolved_unit=units.brief(unit) if unit else None,
        dismissed=phrase.dismissed,
    )


def campaign_read(
    *,
    session: Session,
    campaign: Campaign,
    on: date | None = None,
    unit_id: int | None = None,
    actor: User | None = None,
) -> CampaignRead:
    """A campaign in full; with `unit_id`, only that unit's assignment and no phrases."""
    summary = campaign_summary(session=session, campaign=campaign, on=on)
    rows = list_assignments(session=session, campaign_id=campaign.id, unit_id=unit_id)
    phrases = [] if unit_id else list_unresolved(session=session, campaign_id=campaign.id)
    return CampaignRead(
        **summary.model_dump(),
        description=campaign.description,
        period_start=campaign.period_start,
        period_end=campaign.period_end,
        closed_at=campaign.closed_at,
        report_number=campaign.report_number,
        report_date=campaign.report_date,
        copied_from_id=campaign.copied_from_id,
        themes=[theme_read(t) for t in campaign.themes],
        assignments=[assignment_read(a, on=on, actor=actor) for a in rows],
        unresolved=[unresolved_read(session, p) for p in phrases],
        files=[file_read(f) for f in list_files(session=session, campaign_id=campaign.id)],
    )


def theme_read(theme: Theme) -> ThemeRead:
    """The API shape of a theme."""
    return ThemeRead(
        id=theme.id,
        code=theme.code,
        position=theme.position,
        title=theme.title,
        text=theme.text,
        keywords=list(theme.keywords or []),
    )


def transition(
    *,
    session: Session,
    assignment: Assignment,
    to: AssignmentState | str,
    actor: User | None,
    note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """Move an assignment through the state machine (see campaigns.states)."""
    return steering.move(session=session, assignment=assignment, to=to, actor=actor, note=note,
                         version=expected_version)  # fmt: skip
