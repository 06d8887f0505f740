"""Demo data: the sample registry, the sample directive's campaign, outputs and users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns import states
from trienkhai.campaigns.models import Assignment, AssignmentState, Campaign
from trienkhai.documents import service as directives
from trienkhai.documents.models import Directive
from trienkhai.outputs import service as outputs
from trienkhai.outputs.schemas import OutputCreate
from trienkhai.units import service as units
from trienkhai.users import service as users
from trienkhai.users.models import Role, User

# Printed for the demo; real installs add users themselves. Long enough for the password policy
# (docs/security.md): demo accounts follow the same rules as every other account.
DEMO_PASSWORD = "trienkhai-demo"  # noqa: S105
SAMPLE_NAME = "cong-van-stttt-nhan-quyen.txt"
# (username, role, unit code or None, full name)
DEMO_USERS: list[tuple[str, Role, str | None, str]] = [
    ("quantri", Role.admin, None, "Quản trị hệ thống"),
    ("dieuphoi", Role.coordinator, "so-tttt", "Phòng TTBCXB - Sở TT&TT"),
    ("lanhdao", Role.leader, None, "Lãnh đạo Sở"),
    ("baokontum", Role.unit_editor, "bao-kon-tum", "Biên tập viên Báo Kon Tum"),
    ("daiptth", Role.unit_editor, "dai-ptth", "Biên tập viên Đài PT-TH"),
    ("dakha", Role.unit_editor, "h-dak-ha", "Văn phòng UBND huyện Đắk Hà"),
]
# Units whose logged work the demo moves forward, and units left behind past their deadline.
PROGRESS = {"dai-ptth": "verified", "bao-kon-tum": "reported", "cong-ttdt": "in_progress"}
LATE_UNITS = ("h-sa-thay", "h-kon-plong", "so-y-te")


@dataclass
class DemoSummary:
    """What the demo loaded."""

    campaign_id: int
    units: int
    assignments: int
    outputs: int
    unresolved: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def sample_directive_path() -> Path:
    """The sample directive shipped with the package (a copy of shared/samples)."""
    return Path(str(resources.files("trienkhai.data").joinpath(SAMPLE_NAME)))


def _user(session: Session, spec: tuple[str, Role, str | None, str]) -> User:
    """Create a demo user unless it exists."""
    username, role, unit_code, full_name = spec
    existing = users.get_by_username(session=session, username=username)
    if existing is not None:
        return existing
    unit = units.get_by_code(session=session, code=unit_code) if unit_code else None
    unit_id = unit.id if unit is not None else None
    return users.create_user(
        session=session,
        username=username,
        password=DEMO_PASSWORD,
        role=role,
        full_name=full_name,
        unit_id=unit_id,
    )


def _campaign(session: Session, actor: User, today: date) -> Campaign:
    """The sample directive's campaign (created once)."""
    path = sample_directive_path()
    directive = directives.import_directive(
        session=session, filename=path.name, content=path.read_bytes(), actor=actor
    )
    found = session.scalar(select(Campaign).where(Campaign.directive_id == directive.id))
    if found is not None:
        return found
    return campaigns.create_from_directive(
        session=session,
        record=directives.record_of(directive),
        directive_id=directive.id,
        actor=actor,
        title="Tuyên truyền, đấu tranh phản bác về Nhân quyền năm 2024",
        report_deadline=today + timedelta(days=7),
        period_start=today - timedelta(days=21),
        period_end=today + timedelta(days=7),
    )


def _outputs(session: Session, campaign: Campaign, actor: User) -> int:
    """Log the demo outputs for several units."""
    spec: list[dict[str, Any]] = yaml.safe_load(
        resources.files("trienkhai.data").joinpath("demo-outputs.yaml").read_text("utf-8")
    )
    start = campaign.period_start or date.today()
    count = 0
    for block in spec:
        unit = units.get_by_code(session=session, code=block["unit"])
        if unit is None:
            continue
        for item in block["items"]:
            when = datetime.combine(start + timedelta(days=item["days"]), time(9, 30))
            data = OutputCreate(
                campaign_id=campaign.id,
                unit_id=unit.id,
                title=item["title"],
                url=item.get("url", ""),
                channel=item["channel"],
                form=item.get("form", ""),
                published_at=when,
                duration_seconds=item.get("duration"),
                reach=item.get("reach"),
                themes=item.get("themes", []),
            )
            outputs.create_output(session=session, actor=actor, data=data)
            count += 1
    return count


def _advance(session: Session, campaign: Campaign, actor: User, today: date) -> None:
    """Move some assignments forward and leave some late, so the board has something to show."""
    by_code: dict[str, Assignment] = {}
    for assignment in campaign.assignments:
        unit = units.get(session=session, unit_id=assignment.unit_id)
        if unit is not None:
            by_code[unit.code] = assignment
    path = ["acknowledged", "in_progress", "reported", "verified"]
    for code, target in PROGRESS.items():
        found = by_code.get(code)
        if found is None or found.state != AssignmentState.assigned.value:
            continue
        for step in path[: path.index(target) + 1]:
            states.transition(session=session, assignment=found, to=step, actor=actor)
    for code in LATE_UNITS:
        late: Assignment | None = by_code.get(code)
        if late is not None:
            late.deadline = today - timedelta(days=2)


def load_demo(*, session: Session, today: date | None = None) -> DemoSummary:
    """Load the registry, the sample campaign, outputs and demo users into the database."""
    today = today or date.today()
    units.load_sample_registry(session=session)
    people = [_user(session, spec) for spec in DEMO_USERS]
    coordinator = people[1]
    campaign = _campaign(session, coordinator, today)
    session.flush()
    added = (
        0
        if campaign.assignments and _has_outputs(session, campaign)
        else _outputs(session, campaign, coordinator)
    )
    _advance(session, campaign, coordinator, today)
    session.flush()
    unresolved = [
        p.phrase for p in campaigns.list_unresolved(session=session, campaign_id=campaign.id)
    ]
    return DemoSummary(
        campaign_id=campaign.id,
        units=len(units.list_units(session=session)),
        assignments=len(campaign.assignments),
        outputs=added,
        unresolved=unresolved,
        logins=[(u.username, DEMO_PASSWORD, u.role) for u in people],
    )


def _has_outputs(session: Session, campaign: Campaign) -> bool:
    """Whether the campaign already has outputs (the demo was loaded before)."""
    return bool(
        outputs.list_outputs(
            session=session, criteria=outputs.OutputFilter(campaign_id=campaign.id), limit=1
        )
    )


class RealDataError(RuntimeError):
    """The database holds work that is not the demo's; the demo will not wipe it."""


def foreign_rows(engine: Engine) -> list[str]:
    """What the database holds beyond the demo data (users, directives), as short descriptions."""
    names = set(inspect(engine).get_table_names())
    if not {"users", "directives"} <= names:
        return []
    demo_users = [spec[0] for spec in DEMO_USERS]
    with engine.connect() as conn:
        users = conn.scalars(select(User.username).where(User.username.not_in(demo_users)))
        found = [f"người dùng {u}" for u in users]
        files = conn.scalars(select(Directive.filename).where(Directive.filename != SAMPLE_NAME))
        found += [f"văn bản {f}" for f in files]
    return found


def fresh_sqlite(engine: Engine) -> None:
    """Delete the SQLite file behind the engine so the demo starts from nothing.

    Refuses when the file holds real work (users or directives the demo did not create): the
    default database of the demo is also the default database of a real installation.
    """
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return
    if Path(engine.url.database).exists() and (extra := foreign_rows(engine)):
        msg = (
            f"{engine.url.database}: CSDL đang có dữ liệu thật ({', '.join(extra[:5])}); "
            "bản demo không xóa nó. Dùng --keep hoặc đặt TRIENKHAI_DATA_DIR khác "
            "(the database holds real data; the demo will not wipe it)"
        )
        raise RealDataError(msg)
    engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(engine.url.database + suffix).unlink(missing_ok=True)
