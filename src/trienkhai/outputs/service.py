"""Outputs: create (idempotent on the natural key), update, delete, verify, evidence, search."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, select, tuple_
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload

from trienkhai.campaigns.models import Assignment, Campaign, Theme
from trienkhai.documents.models import Directive
from trienkhai.errors import ForbiddenError, InvalidError, NotFoundError
from trienkhai.outputs import channels, ledger
from trienkhai.outputs.keys import canonical_url, complete_url, dedup_key
from trienkhai.outputs.models import (
    INCLUDE_REMOVED,
    Evidence,
    Output,
    OutputSource,
    Verification,
    output_themes,
)
from trienkhai.outputs.schemas import (
    EvidenceRead,
    OutputCreate,
    OutputListed,
    OutputRead,
    OutputUpdate,
)
from trienkhai.settings import get_settings
from trienkhai.text import fold, nfc
from trienkhai.units.models import Unit
from trienkhai.users.models import AuditLog, Role, User
from trienkhai.users.service import audit

T = TypeVar("T")
WRITERS = {Role.admin.value, Role.coordinator.value, Role.unit_editor.value}
VERIFIERS = {Role.admin.value, Role.coordinator.value}
# Fields a coordinator's verification vouches for; a unit changing one reopens the check.
CHECKED_FIELDS = frozenset({"title", "url", "canonical_url", "channel", "form", "published_at"})
# Magic bytes of the evidence types we accept; the client's content type is never trusted.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


NOT_ASSIGNED = "Đơn vị không được giao nhiệm vụ trong chiến dịch này"


class OutputError(InvalidError):
    """Bad input for an output; the message is Vietnamese and names the field."""


class OutputNotFoundError(NotFoundError):
    """No such output (or evidence, campaign, unit)."""


class AccessDeniedError(ForbiddenError):
    """The actor's role or unit does not allow this."""


@dataclass
class Prepared:
    """A validated output ready to store: column values, theme rows and its natural key."""

    values: dict[str, object]
    themes: list[Theme]
    key: str


def local_zone() -> ZoneInfo:
    """The deployment's time zone (dates typed by users are local)."""
    return ZoneInfo(get_settings().timezone)


def to_utc(value: datetime | date) -> datetime:
    """A user-typed date or time, read as local when naive, in UTC."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, dtime(0, 0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # 01/01/0001 local is before the first day Python knows
        raise OutputError(f"Ngày '{value:%d/%m/%Y}' nằm ngoài phạm vi cho phép") from exc


def day_after(value: date) -> date:
    """The next calendar day (the end bound of a date filter); OutputError past year 9999."""
    try:
        return value + timedelta(days=1)
    except OverflowError as exc:
        raise OutputError(f"Ngày '{value:%d/%m/%Y}' nằm ngoài phạm vi cho phép") from exc


def as_aware(value: datetime) -> datetime:
    """A stored time as aware UTC (SQLite hands back naive UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def check_write(actor: User | None, unit_id: int) -> None:
    """Coordinators and admins write any unit's outputs, unit editors only their own."""
    if actor is None or actor.role not in WRITERS:
        raise AccessDeniedError("Không có quyền ghi kết quả tuyên truyền")
    if actor.role == Role.unit_editor.value and actor.unit_id != unit_id:
        raise AccessDeniedError("Chỉ được thao tác trên đơn vị của mình")


def check_read(actor: User | None, unit_id: int) -> None:
    """Every signed-in role reads outputs, except unit editors of another unit."""
    if actor is None:
        raise AccessDeniedError("Chưa đăng nhập")
    if actor.role == Role.unit_editor.value and actor.unit_id != unit_id:
        raise AccessDeniedError("Chỉ được xem kết quả của đơn vị mình")


def resolve_channel(text: str) -> str:
    """The channel slug a spelling names; the error lists the accepted channels."""
    term = channels.find_channel(text)
    if term is None:
        accepted = ", ".join(channels.channel_labels())
        raise OutputError(f"Kênh '{text}' không hợp lệ; chấp nhận: {accepted}")
    return term.slug


def resolve_form(text: str) -> str:
    """The form slug a spelling names ('' stays ''); the error lists the accepted forms."""
    if not text.strip():
        return ""
    term = channels.find_form(text)
    if term is None:
        raise OutputError(
            f"Hình thức '{text}' không hợp lệ; chấp nhận: {', '.join(channels.form_labels())}"
        )
    return term.slug


def campaign_themes(*, session: Session, campaign_id: int) -> dict[str, Theme]:
    """The campaign's themes by upper-case code (T1..Tn)."""
    rows = session.scalars(select(Theme).where(Theme.campaign_id == campaign_id))
    return {t.code.upper(): t for t in rows}


def resolve_themes(codes: Sequence[str], known: dict[str, Theme]) -> list[Theme]:
    """Theme rows for codes like 'T1', 't2'; unknown codes are an error naming the valid ones."""
    picked: dict[str, Theme] = {}
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if code not in known:
            valid = (
                ", ".join(sorted(known, key=lambda c: (len(c), c)))
                or "(chiến dịch chưa có nội dung)"
            )
            raise OutputError(
                f"Mã nội dung '{raw.strip()}' không có trong chiến dịch; mã hợp lệ: {valid}"
            )
        picked[code] = known[code]
    return list(picked.values())


def checked_url(url: str) -> str:
    """The canonical form of a link ('' for none); OutputError unless it is an http(s) page."""
    if not url:
        return ""
    if "://" not in url:
        raise OutputError(
            f"Đường dẫn '{url}' không phải địa chỉ web; hãy nhập dạng https://ten-mien.vn/bai-viet"
        )
    try:
        canonical = canonical_url(url)
    except ValueError as exc:  # urlsplit refuses a port that is not a number
        raise OutputError(f"Đường dẫn '{url}' không hợp lệ") from exc
    scheme, _, rest = canonical.partition("://")
    # Why: pages print the link as <a href>; a javascript: or data: link would run in the
    # browser of the coordinator who opens it.
    if scheme not in ("http", "https"):
        raise OutputError(f"Đường dẫn '{url}' không hợp lệ; chỉ nhận địa chỉ http:// hoặc https://")
    host = rest.split("/", 1)[0].split("?", 1)[0]
    if not host or "." not in host:
        raise OutputError(
            f"Đường dẫn '{url}' không hợp lệ: thiếu tên miền (ví dụ baokontum.com.vn)"
        )
    return canonical


def prepare(data: OutputCreate, *, known_themes: dict[str, Theme]) -> Prepared:
    """Validate and normalise one output (NFC text, slugs, canonical URL, UTC time, key)."""
    title = nfc(data.title).strip()
    if not title:
        raise OutputError("Tiêu đề không được để trống")
    channel = resolve_channel(data.channel)
    url = complete_url(nfc(data.url))
    canonical = checked_url(url)
    local_day = to_utc(data.published_at).astimezone(local_zone())
    values: dict[str, object] = {
        "campaign_id": data.campaign_id,
        "unit_id": data.unit_id,
        "title": title,
        "title_folded": fold(title),
        "url": url,
        "canonical_url": canonical,
        "channel": channel,
        "form": resolve_form(data.form),
        "published_at": to_utc(data.published_at),
        "duration_seconds": data.duration_seconds,
        "reach": data.reach,
        "source": OutputSource(data.source).value,
        "excerpt": nfc(data.excerpt),
        "note": nfc(data.note),
    }
    key = dedup_key(
        unit_id=data.unit_id, canonical=canonical, channel=channel, title=title, published=local_day
    )
    return Prepared(values=values, themes=resolve_themes(data.themes, known_themes), key=key)


def find_by_key(*, session: Session, campaign_id: int, unit_id: int, key: str) -> Output | None:
    """The output with this natural key in the campaign and unit, if any (removed ones too)."""
    return session.scalar(
        select(Output)
        .where(
            Output.campaign_id == campaign_id, Output.unit_id == unit_id, Output.dedup_key == key
        )
        .execution_options(**{INCLUDE_REMOVED: True})
    )


def begin_write(session: Session) -> None:
    """On SQLite, take the write lock now (BEGIN IMMEDIATE) unless a transaction is open.

    Why: Python's sqlite3 starts no transaction for SELECTs and begins one implicitly before
    the first INSERT; a SAVEPOINT issued first would instead open a transaction that its own
    RELEASE commits, breaking all-or-nothing. BEGIN IMMEDIATE from a clean state also waits on
    busy_timeout for other writers instead of failing with 'database is locked', which a
    read-then-write (deferred) transaction would do when its snapshot is stale.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def retry_locked(action: Callable[[], T], *, session: Session, attempts: int = 6) -> T:
    """Run a write; on SQLite 'database is locked' roll back and retry with backoff.

    Why: busy_timeout covers waiting for the lock, but SQLite still reports 'locked' when a
    transaction that already read tries to write after another writer committed; the only
    cure is to start over. PostgreSQL errors are never retried here.
    """
    for attempt in range(attempts):
        try:
            return action()
        except OperationalError as exc:
            locked = "locked" in str(exc).lower() or "busy" in str(exc).lower()
            if session.get_bind().dialect.name != "sqlite" or not locked or attempt == attempts - 1:
                raise
            session.rollback()
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def assignment_id_for(*, session: Session, campaign_id: int, unit_id: int) -> int | None:
    """The id of the unit's assignment in the campaign, if it has one."""
    return session.scalar(
        select(Assignment.id).where(
            Assignment.campaign_id == campaign_id, Assignment.unit_id == unit_id
        )
    )


def check_assigned(*, session: Session, actor: User | None, campaign_id: int, unit_id: int) -> None:
    """Unit editors log outputs only for a campaign that assigns their unit.

    Coordinators and admins are not held to it: they can add the assignment themselves.
    """
    if actor is None or actor.role != Role.unit_editor.value:
        return
    if assignment_id_for(session=session, campaign_id=campaign_id, unit_id=unit_id) is None:
        raise AccessDeniedError(NOT_ASSIGNED)


def insert_prepared(*, session: Session, actor: User | None, item: Prepared) -> tuple[Output, bool]:
    """Store a prepared output, or return the one with the same key (race-safe)."""
    campaign_id = int(str(item.values["campaign_id"]))
    unit_id = int(str(item.values["unit_id"]))
    existing = find_by_key(session=session, campaign_id=campaign_id, unit_id=unit_id, key=item.key)
    if existing is not None:
        return existing, False
    output = Output(**item.values, dedup_key=item.key, created_by_id=actor.id if actor else None)
    output.assignment_id = assignment_id_for(
        session=session, campaign_id=campaign_id, unit_id=unit_id
    )
    output.themes = list(item.themes)
    try:
        # A concurrent request may insert the same key between our look-up and this insert;
        # the unique constraint decides, and the savepoint keeps the rest of the transaction.
        with session.begin_nested():
            session.add(output)
            session.flush()
    except IntegrityError:
        again = find_by_key(session=session, campaign_id=campaign_id, unit_id=unit_id, key=item.key)
        if again is None:
            raise
        return again, False
    audit(
        session=session,
        actor=actor,
        action="create",
        entity="output",
        entity_id=output.id,
        summary=output.title[:200],
        detail={"unit_id": unit_id, "campaign_id": campaign_id, "channel": output.channel},
    )
    return output, True


def _check_campaign_and_unit(*, session: Session, campaign_id: int, unit_id: int) -> None:
    """Both must exist, with a clear message otherwise."""
    if session.get(Campaign, campaign_id) is None:
        raise OutputNotFoundError(f"Không có chiến dịch {campaign_id}")
    if session.get(Unit, unit_id) is None:
        raise OutputNotFoundError(f"Không có đơn vị {unit_id}")


def create_output(
    *, session: Session, actor: User | None, data: OutputCreate
) -> tuple[Output, bool]:
    """Create an output, or return the existing one with the same natural key (created=False)."""
    check_write(actor, data.unit_id)

    def attempt() -> tuple[Output, bool]:
        _check_campaign_and_unit(
            session=session, campaign_id=data.campaign_id, unit_id=data.unit_id
        )
        check_assigned(
            session=session, actor=actor, campaign_id=data.campaign_id, unit_id=data.unit_id
        )
        known = campaign_themes(session=session, campaign_id=data.campaign_id)
        item = prepare(data, known_themes=known)
        outside = check_period(
            session=session,
            actor=actor,
            campaign_id=data.campaign_id,
            published=data.published_at,
            accept=data.accept_outside_period,
        )
        begin_write(session)
        output, created = insert_prepared(session=session, actor=actor, item=item)
        if created and outside:
            audit(
                session=session,
                actor=actor,
                action="accept_outside_period",
                entity="output",
                entity_id=output.id,
                summary=outside,
            )
        return output, created

    return retry_locked(attempt, session=session)


def period_text(start: date | None, end: date | None) -> str:
    """A period in words ('01/07/2024 – 31/12/2024', 'từ 01/07/2024'), '' if open."""
    if start and end:
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    if start:
        return f"từ {start:%d/%m/%Y}"
    return f"đến {end:%d/%m/%Y}" if end else ""


def period_bounds(*, session: Session, campaign: Campaign) -> tuple[date | None, date | None]:
    """The first and last day an output of the campaign may carry (None: open).

    Why the start may be open: a campaign opened from a letter without a date starts, by
    default, on the day it was opened; that is a guess, and units often published before the
    campaign was entered. Such a start is not enforced; a start the letter gives, or one that
    differs from the opening day (set by the coordinator), is.
    """
    start = campaign.period_start
    if start is not None and campaign.directive_id is not None:
        directive = session.get(Directive, campaign.directive_id)
        opened = as_aware(campaign.created_at).astimezone(local_zone()).date()
        if directive is not None and directive.issued_date is None and start == opened:
            start = None
    return start, campaign.period_end


def outside_period(*, session: Session, campaign: Campaign, published: datetime | date) -> str:
    """Why the local publication day lies outside the campaign period ('' when it does not)."""
    day = to_utc(published).astimezone(local_zone()).date()
    start, end = period_bounds(session=session, campaign=campaign)
    if (start and day < start) or (end and day > end):
        period = period_text(start, end)
        return f"Ngày đăng {day:%d/%m/%Y} nằm ngoài thời gian chiến dịch ({period})"
    return ""


def check_period(
    *,
    session: Session,
    actor: User | None,
    campaign_id: int,
    published: datetime | date,
    accept: bool,
) -> str:
    """Refuse a day outside the campaign period unless a coordinator accepts it; the reason."""
    campaign = session.get(Campaign, campaign_id)
    reason = (
        outside_period(session=session, campaign=campaign, published=published) if campaign else ""
    )
    if not reason:
        return ""
    if not accept:
        raise OutputError(
            f"{reason}; nếu đúng, điều phối viên đánh dấu 'Chấp nhận ngoài thời gian chiến dịch'"
        )
    if actor is None or actor.role not in VERIFIERS:
        raise AccessDeniedError(
            f"{reason}; chỉ điều phối viên được chấp nhận sản phẩm ngoài thời gian chiến dịch"
        )
    return reason


def duplicate_message(existing: Output) -> str:
    """Which stored output a new one duplicates (same link, or same title, channel and day)."""
    day = as_aware(existing.published_at).astimezone(local_zone())
    removed = " (đã gỡ; có thể khôi phục)" if existing.removed_at is not None else ""
    return (
        f"Sản phẩm này đã có: số {existing.id} «{existing.title}», "
        f"đăng ngày {day:%d/%m/%Y}{removed}; không thêm bản trùng"
    )


def get_output(*, session: Session, output_id: int) -> Output:
    """The output with this id, removed or not; OutputNotFoundError otherwise."""
    output = session.get(Output, output_id, execution_options={INCLUDE_REMOVED: True})
    if output is None:
        raise OutputNotFoundError(f"Không có kết quả {output_id}")
    return output


def update_output(
    *, session: Session, actor: User | None, output: Output, data: OutputUpdate
) -> Output:
    """Change an output's fields; the natural key follows, and must stay unique."""
    check_write(actor, output.unit_id)
    if output.removed_at is not None:
        raise OutputError(f"Sản phẩm số {output.id} đã được gỡ; hãy khôi phục trước khi sửa")
    merged = OutputCreate(
        campaign_id=output.campaign_id,
        unit_id=output.unit_id,
        title=data.title if data.title is not None else output.title,
        url=data.url if data.url is not None else output.url,
        channel=data.channel or output.channel,
        form=data.form if data.form is not None else output.form,
        published_at=data.published_at or as_aware(output.published_at),
        duration_seconds=data.duration_seconds
        if "duration_seconds" in data.model_fields_set
        else output.duration_seconds,
        reach=data.reach if "reach" in data.model_fields_set else output.reach,
        themes=data.themes if data.themes is not None else [t.code for t in output.themes],
        source=OutputSource(output.source),
        excerpt=data.excerpt if data.excerpt is not None else output.excerpt,
        note=data.note if data.note is not None else output.note,
    )
    item = prepare(
        merged, known_themes=campaign_themes(session=session, campaign_id=output.campaign_id)
    )
    if data.published_at is not None and item.values["published_at"] != as_aware(
        output.published_at
    ):
        check_period(
            session=session,
            actor=actor,
            campaign_id=output.campaign_id,
            published=data.published_at,
            accept=data.accept_outside_period,
        )
    if data.themes is not None and not item.themes:
        output.themes = []  # an explicit empty list clears them; omitted keeps them
    apply_prepared(session=session, actor=actor, output=output, item=item)
    return output


def apply_prepared(
    *, session: Session, actor: User | None, output: Output, item: Prepared, action: str = "update"
) -> list[str]:
    """Store prepared values on an existing output (key kept unique, audited); what changed."""
    other = find_by_key(
        session=session, campaign_id=output.campaign_id, unit_id=output.unit_id, key=item.key
    )
    if other is not None and other.id != output.id:
        raise OutputError(
            f"Đã có kết quả trùng (số {other.id}) với cùng đường dẫn hoặc tiêu đề, kênh, ngày"
        )
    changed = _apply(output, item)
    if item.themes and {t.id for t in item.themes} != {t.id for t in output.themes}:
        output.themes = list(item.themes)
        changed.append("themes")
    if (
        actor is not None
        and actor.role not in VERIFIERS
        and output.verification != Verification.unverified.value
        and CHECKED_FIELDS.intersection(changed)
    ):
        # What the coordinator checked is no longer what is stored: it must be checked again.
        output.verification = Verification.unverified.value
        changed.append("verification")
    session.flush()
    if changed:
        audit(
            session=session,
            actor=actor,
            action=action,
            entity="output",
            entity_id=output.id,
            detail={"changed": changed},
            summary=output.title[:200],
        )
    return changed


def _apply(output: Output, item: Prepared) -> list[str]:
    """Copy prepared values onto the output; the names of the fields that changed."""
    changed = []
    for name, value in {**item.values, "dedup_key": item.key}.items():
        current = getattr(output, name)
        if isinstance(current, datetime) and isinstance(value, datetime):
            current = as_aware(current)
        if current != value:
            setattr(output, name, value)
            changed.append(name)
    return changed


def verify_output(
    *, session: Session, actor: User | None, output: Output, state: Verification, note: str = ""
) -> Output:
    """Coordinators mark an unverified output verified, not found or rejected (or reopen it)."""
    if actor is None or actor.role not in VERIFIERS:
        raise AccessDeniedError("Chỉ điều phối viên được xác minh kết quả")
    current = Verification(output.verification)
    allowed = {Verification.unverified: set(Verification) - {Verification.unverified}}
    allowed.update(
        {s: {Verification.unverified} for s in Verification if s is not Verification.unverified}
    )
    if state not in allowed[current]:
        raise OutputError(f"Không thể chuyển trạng thái xác minh từ '{current}' sang '{state}'")
    output.verification = state.value
    if note:
        output.note = (output.note + "\n" if output.note else "") + nfc(note)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="verify",
        entity="output",
        entity_id=output.id,
        detail={"from": current.value, "to": state.value, "note": note},
    )
    return output


def sniff_media_type(content: bytes) -> str | None:
    """The media type the content's magic bytes announce, among the accepted ones."""
    for magic, media_type in _MAGIC:
        if content.startswith(magic):
            return media_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def add_evidence(
    *, session: Session, actor: User | None, output: Output, filename: str, content: bytes
) -> Evidence:
    """Attach a screenshot or PDF, checked by size and by magic bytes."""
    check_write(actor, output.unit_id)
    limit = get_settings().max_upload_mb * 1024 * 1024
    if len(content) > limit:
        raise OutputError(
            f"Tệp '{filename}' quá lớn ({len(content)} byte); "
            f"tối đa {get_settings().max_upload_mb} MB"
        )
    media_type = sniff_media_type(content)
    if media_type is None:
        raise OutputError(f"Tệp '{filename}' không phải ảnh (PNG, JPEG, GIF, WebP) hoặc PDF")
    evidence = Evidence(
        output_id=output.id,
        filename=nfc(filename).replace("/", "_").replace("\\", "_")[:255] or "minh-chung",
        media_type=media_type,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
    )
    session.add(evidence)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="create",
        entity="evidence",
        entity_id=evidence.id,
        detail={"output_id": output.id, "sha256": evidence.sha256},
        summary=evidence.filename,
    )
    return evidence


def get_evidence(*, session: Session, output_id: int, evidence_id: int) -> Evidence:
    """An evidence row of the output; OutputNotFoundError otherwise."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.output_id != output_id:
        raise OutputNotFoundError(f"Không có minh chứng {evidence_id}")
    return evidence


@dataclass
class OutputFilter:
    """Search criteria of the outputs list; None means any."""

    campaign_id: int | None = None
    unit_id: int | None = None
    theme: str | None = None
    channel: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    verification: str | None = None
    source: str | None = None
    ledger: str | None = None  # a reconciliation category (outputs/ledger.py)


def filtered_query(*, session: Session, criteria: OutputFilter) -> Select[Output]:
    """The SELECT for the criteria, newest first."""
    stmt = ledger.apply_filters(select(Output), verification=criteria.verification,
                                source=criteria.source, category=criteria.ledger)  # fmt: skip
    if criteria.campaign_id is not None:
        stmt = stmt.where(Output.campaign_id == criteria.campaign_id)
    if criteria.unit_id is not None:
        stmt = stmt.where(Output.unit_id == criteria.unit_id)
    if criteria.channel:
        stmt = stmt.where(Output.channel == resolve_channel(criteria.channel))
    if criteria.theme:
        theme_ids = select(Theme.id).where(Theme.code == criteria.theme.strip().upper())
        stmt = stmt.where(
            Output.id.in_(
                select(output_themes.c.output_id).where(output_themes.c.theme_id.in_(theme_ids))
            )
        )
    if criteria.date_from:
        stmt = stmt.where(Output.published_at >= to_utc(criteria.date_from))
    if criteria.date_to:
        stmt = stmt.where(Output.published_at < to_utc(day_after(criteria.date_to)))
    if criteria.q and criteria.q.strip():
        for word in fold(criteria.q).split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(Output.title_folded.like(f"%{escaped}%", escape="\\"))
    return stmt.order_by(Output.published_at.desc(), Output.id.desc())


def list_outputs(
    *,
    session: Session,
    criteria: OutputFilter,
    limit: int = 100,
    offset: int = 0,
    after: str | None = None,
) -> list[Output]:
    """Outputs matching the criteria, newest first, one page.

    `after` (a cursor from `page_cursor`) continues after the last row of the previous page by
    its (published_at, id), which an index answers at any depth; `offset` rescans the rows it
    skips, so deep pages of millions of outputs need the cursor.
    """
    stmt = filtered_query(session=session, criteria=criteria)
    if after:
        published, output_id = read_cursor(after)
        stmt = stmt.where(tuple_(Output.published_at, Output.id) < tuple_(published, output_id))
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def page_cursor(output: Output) -> str:
    """The opaque cursor that continues a listing after this output."""
    raw = f"{as_aware(output.published_at).isoformat()}|{output.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def read_cursor(cursor: str) -> tuple[datetime, int]:
    """The (published_at, id) of a cursor, or a 422 naming the field."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        published, output_id = raw.split("|")
        return datetime.fromisoformat(published), int(output_id)
    except ValueError as exc:  # binascii.Error and UnicodeDecodeError are ValueErrors
        msg = f"after: con trỏ trang '{cursor[:40]}' không hợp lệ; dùng giá trị X-Next-Cursor"
        raise OutputError(msg) from exc


UNIT_PAGE = 100  # outputs per page of a unit's list; "Older" continues by cursor
FOUND_MAX = 200  # outputs the system found, awaiting the unit's answer, listed at once


def awaiting_answer() -> ColumnElement[bool]:
    """Outputs the system found that nobody confirmed or rejected yet."""
    return and_(
        Output.source == OutputSource.discovered.value,
        Output.verification == Verification.unverified.value,
    )


@dataclass
class UnitListing:
    """One page of a unit's logged outputs in a campaign, and the found ones to answer."""

    logged: list[Output]
    found: list[Output]
    logged_total: int
    older: str | None  # cursor of the next (older) page, None on the last page


def unit_listing(
    *, session: Session, campaign_id: int, unit_id: int, after: str | None = None,
    limit: int = UNIT_PAGE,
) -> UnitListing:  # fmt: skip
    """A page of the unit's outputs, newest first, by keyset: never every output of the unit."""
    criteria = OutputFilter(campaign_id=campaign_id, unit_id=unit_id)
    base = filtered_query(session=session, criteria=criteria).options(
        selectinload(Output.evidence)  # the list links archived copies: one query, not one a row
    )
    logged = base.where(~awaiting_answer())
    if after:
        published, output_id = read_cursor(after)
        logged = logged.where(tuple_(Output.published_at, Output.id) < (published, output_id))
    rows = list(session.scalars(logged.limit(limit + 1)))
    total = session.scalar(
        select(func.count())
        .select_from(Output)
        .where(Output.campaign_id == campaign_id, Output.unit_id == unit_id)
        .where(Output.removed_at.is_(None), ~awaiting_answer())
    )
    found = [] if after else list(session.scalars(base.where(awaiting_answer()).limit(FOUND_MAX)))
    older = page_cursor(rows[limit - 1]) if len(rows) > limit else None
    return UnitListing(rows[:limit], found, int(total or 0), older)


def to_read(output: Output) -> OutputRead:
    """The API shape of an output."""
    return OutputRead(
        id=output.id,
        campaign_id=output.campaign_id,
        unit_id=output.unit_id,
        assignment_id=output.assignment_id,
        title=output.title,
        url=output.url,
        canonical_url=output.canonical_url,
        channel=output.channel,
        channel_label=channels.channel_label(output.channel),
        form=output.form,
        form_label=channels.form_label(output.form) if output.form else "",
        published_at=as_aware(output.published_at),
        duration_seconds=output.duration_seconds,
        reach=output.reach,
        source=output.source,
        verification=output.verification,
        themes=sorted((t.code for t in output.themes), key=lambda c: (len(c), c)),
        evidence=[EvidenceRead.model_validate(e) for e in output.evidence],
        note=output.note,
        created_at=as_aware(output.created_at),
        updated_at=as_aware(output.updated_at),
        removed_at=as_aware(output.removed_at) if output.removed_at else None,
        removed_reason=output.removed_reason,
    )


# --- a unit's answer on an output the system discovered (added for the web desk) ----------
# Verification stays with coordinators and `source` stays "discovered": the unit's answer is an
# audit entry plus a dated line in the note, so nothing new is stored without a migration.
UNIT_ANSWERS = {
    "unit_confirm": "Đơn vị xác nhận đã đăng, phát sản phẩm này.",
    "unit_reject": "Đơn vị cho biết đây không phải sản phẩm của mình.",
}


def record_unit_answer(
    *, session: Session, actor: User | None, output: Output, confirmed: bool
) -> Output:
    """A unit says whether a discovered output is its own; coordinators still verify it."""
    check_write(actor, output.unit_id)
    if output.source != OutputSource.discovered.value:
        raise OutputError("Chỉ xác nhận được sản phẩm do hệ thống tìm thấy")
    action = "unit_confirm" if confirmed else "unit_reject"
    who = actor.full_name or actor.username if actor else "?"
    line = f"{UNIT_ANSWERS[action]} ({who}, {datetime.now(local_zone()):%d/%m/%Y})"
    output.note = (output.note + "\n" if output.note else "") + line
    session.flush()
    audit(session=session, actor=actor, action=action, entity="output", entity_id=output.id)
    return output


def unit_answers(*, session: Session, output_ids: Sequence[int]) -> dict[int, str]:
    """The latest unit answer ('unit_confirm' or 'unit_reject') per output that has one."""
    if not output_ids:
        return {}
    stmt = (
        select(AuditLog.entity_id, AuditLog.action)
        .where(
            AuditLog.entity == "output",
            AuditLog.action.in_(UNIT_ANSWERS),
            AuditLog.entity_id.in_([str(i) for i in output_ids]),
        )
        .order_by(AuditLog.id)
    )
    return {int(str(eid)): str(action) for eid, action in session.execute(stmt)}


def campaign_listing(*, session: Session, campaign_id: int) -> list[OutputListed]:
    """The campaign's outputs for `outputs list`, oldest first; rejected ones are not outputs."""
    if session.get(Campaign, campaign_id) is None:
        raise OutputNotFoundError(f"Không có chiến dịch số {campaign_id} (campaign not found)")
    query = (
        select(Output, Unit.code)
        .join(Unit, Unit.id == Output.unit_id)
        .where(
            Output.campaign_id == campaign_id,
            Output.verification != Verification.rejected.value,
        )
        .order_by(Output.published_at, Output.id)
    )
    return [
        OutputListed(
            id=output.id,
            unit=code,
            title=output.title,
            url=output.url,
            channel=output.channel,
            published_at=as_aware(output.published_at),
            source=output.source,
            verification=output.verification,
            themes=sorted((t.code for t in output.themes), key=lambda c: (len(c), c)),
            republished_from=output.republished_from,
        )
        for output, code in session.execute(query)
    ]
