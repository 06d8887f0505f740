"""Every /api/v1 route against every role: the status class must match the POLICY table.

A route with no POLICY entry fails the test, so no route can be added unguarded. To extend:
add the (method, path) with the roles allowed; if it has a new path parameter, teach PARAMS how
to make a fresh target; if it needs a body to get past validation, add it to BODIES.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute, Route

from tests.db_fixtures import create_pg_database, drop_pg_database, postgres_available
from trienkhai.campaigns.models import Assignment, Campaign, CampaignFile, Theme, UnresolvedPhrase
from trienkhai.db import make_engine, session_scope
from trienkhai.documents.models import Directive
from trienkhai.jobs.models import Job
from trienkhai.migrate import upgrade
from trienkhai.outputs.models import Evidence, Output
from trienkhai.units.models import Unit
from trienkhai.users.models import User
from trienkhai.users.service import create_user, issue_token
from trienkhai.web.app import create_app

PASSWORD = "mat-khau-vai-tro"
ANON, ADMIN, COORD, LEADER, EDITOR, OTHER = (
    "anonymous",
    "admin",
    "coordinator",
    "leader",
    "editor",  # unit editor of the unit that owns the targets
    "other_editor",  # unit editor of another unit
)
ROLES = (ANON, ADMIN, COORD, LEADER, EDITOR, OTHER)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANON}
READERS = frozenset({ADMIN, COORD, LEADER, EDITOR})  # read one unit's record
WRITERS = frozenset({ADMIN, COORD, EDITOR})  # change one unit's record
STAFF = frozenset({ADMIN, COORD})
ADMINS = frozenset({ADMIN})

# (method, path) -> roles that get 2xx/404/422; every other role must get 401/403.
POLICY: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/v1/openapi.json"): EVERYONE,
    ("GET", "/api/v1/docs"): EVERYONE,
    # users
    ("POST", "/api/v1/auth/token"): EVERYONE,
    ("GET", "/api/v1/auth/me"): SIGNED_IN,
    ("POST", "/api/v1/auth/password"): SIGNED_IN,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("POST", "/api/v1/auth/calendar-links/revoke"): SIGNED_IN,
    ("GET", "/api/v1/users"): ADMINS,
    ("POST", "/api/v1/users"): ADMINS,
    ("GET", "/api/v1/users/{user_id}"): ADMINS,
    ("PATCH", "/api/v1/users/{user_id}"): ADMINS,
    ("DELETE", "/api/v1/users/{user_id}"): ADMINS,
    ("GET", "/api/v1/audit"): STAFF,
    # outputs
    ("GET", "/api/v1/outputs"): SIGNED_IN,
    ("POST", "/api/v1/outputs"): WRITERS,
    ("GET", "/api/v1/outputs/export"): SIGNED_IN,
    ("GET", "/api/v1/outputs/template"): SIGNED_IN,
    ("POST", "/api/v1/outputs/import"): WRITERS,
    ("POST", "/api/v1/outputs/import-jobs"): WRITERS,
    ("GET", "/api/v1/outputs/{output_id}"): READERS,
    ("PATCH", "/api/v1/outputs/{output_id}"): WRITERS,
    ("DELETE", "/api/v1/outputs/{output_id}"): WRITERS,
    ("POST", "/api/v1/outputs/{output_id}/restore"): WRITERS,
    ("POST", "/api/v1/outputs/{output_id}/themes/{code}"): WRITERS,
    ("GET", "/api/v1/outputs/{output_id}/theme-suggestions"): READERS,
    # jobs: a campaign report job is for staff; a job is seen by its starter and coordinators
    ("POST", "/api/v1/campaigns/{campaign_id}/report-jobs"): frozenset({ADMIN, COORD, LEADER}),
    ("GET", "/api/v1/jobs/{job_id}"): STAFF,
    ("GET", "/api/v1/jobs/{job_id}/file"): STAFF,
    ("POST", "/api/v1/campaigns/{campaign_id}/themes/accept-above"): STAFF,
    ("POST", "/api/v1/outputs/{output_id}/verify"): STAFF,
    ("POST", "/api/v1/outputs/{output_id}/evidence"): WRITERS,
    ("GET", "/api/v1/outputs/{output_id}/evidence/{evidence_id}"): READERS,
    # units registry (units engineer)
    ("GET", "/api/v1/units"): SIGNED_IN,
    ("POST", "/api/v1/units"): ADMINS,
    ("GET", "/api/v1/units/export"): frozenset({ADMIN, COORD, LEADER}),
    ("POST", "/api/v1/units/import"): ADMINS,
    ("GET", "/api/v1/units/resolve"): frozenset({ADMIN, COORD, LEADER}),
    ("GET", "/api/v1/units/{unit_id}"): SIGNED_IN,
    ("PATCH", "/api/v1/units/{unit_id}"): ADMINS,
    ("DELETE", "/api/v1/units/{unit_id}"): ADMINS,
    ("GET", "/api/v1/groups"): SIGNED_IN,
    ("GET", "/api/v1/groups/{code}"): SIGNED_IN,
    # directives (campaigns engineer): editors read only directives that assign their unit
    ("POST", "/api/v1/directives"): STAFF,
    ("GET", "/api/v1/directives"): frozenset({ADMIN, COORD, LEADER}),
    ("GET", "/api/v1/directives/{directive_id}"): READERS,
    ("GET", "/api/v1/directives/{directive_id}/original"): READERS,
    # campaigns, themes, unresolved phrases, files, assignments (campaigns engineer)
    ("GET", "/api/v1/campaigns"): SIGNED_IN,
    ("POST", "/api/v1/campaigns"): STAFF,
    ("GET", "/api/v1/campaigns/{campaign_id}"): READERS,
    ("PATCH", "/api/v1/campaigns/{campaign_id}"): STAFF,
    ("DELETE", "/api/v1/campaigns/{campaign_id}"): STAFF,
    ("GET", "/api/v1/campaigns/{campaign_id}/themes"): READERS,
    ("POST", "/api/v1/campaigns/{campaign_id}/themes"): STAFF,
    ("PATCH", "/api/v1/campaigns/{campaign_id}/themes/{theme_id}"): STAFF,
    ("DELETE", "/api/v1/campaigns/{campaign_id}/themes/{theme_id}"): STAFF,
    ("GET", "/api/v1/campaigns/{campaign_id}/unresolved"): frozenset({ADMIN, COORD, LEADER}),
    ("POST", "/api/v1/campaigns/{campaign_id}/unresolved/{phrase_id}/resolve"): STAFF,
    ("POST", "/api/v1/campaigns/{campaign_id}/unresolved/{phrase_id}/dismiss"): STAFF,
    ("GET", "/api/v1/campaigns/{campaign_id}/files"): READERS,
    ("POST", "/api/v1/campaigns/{campaign_id}/files"): STAFF,
    ("GET", "/api/v1/campaigns/{campaign_id}/files/{file_id}/download"): READERS,
    ("GET", "/api/v1/campaigns/{campaign_id}/assignments"): READERS,
    ("POST", "/api/v1/campaigns/{campaign_id}/assignments"): STAFF,
    ("GET", "/api/v1/assignments/{assignment_id}"): READERS,
    ("PATCH", "/api/v1/assignments/{assignment_id}"): STAFF,
    ("DELETE", "/api/v1/assignments/{assignment_id}"): STAFF,
    ("POST", "/api/v1/assignments/{assignment_id}/transition"): WRITERS,
    # campaign desk (issue 8): closing, archiving, deadlines, hand-over; coordinators only
    ("POST", "/api/v1/campaigns/{campaign_id}/close"): STAFF,
    ("POST", "/api/v1/campaigns/{campaign_id}/reopen"): STAFF,
    ("POST", "/api/v1/campaigns/{campaign_id}/archive"): STAFF,
    ("POST", "/api/v1/campaigns/{campaign_id}/restore"): STAFF,
    ("POST", "/api/v1/campaigns/{campaign_id}/deadlines"): STAFF,
    ("POST", "/api/v1/assignments/{assignment_id}/deadline"): STAFF,
    ("POST", "/api/v1/assignments/{assignment_id}/handover"): STAFF,
    # reports
    ("GET", "/api/v1/reports/campaigns/{campaign_id}/summary"): frozenset({ADMIN, COORD, LEADER}),
    ("GET", "/api/v1/reports/campaigns/{campaign_id}/report"): frozenset({ADMIN, COORD, LEADER}),
    ("GET", "/api/v1/reports/campaigns/{campaign_id}/units/{unit_id}/report"): READERS,
    ("GET", "/api/v1/reports/campaigns/{campaign_id}/chart"): frozenset({ADMIN, COORD, LEADER}),
    ("GET", "/api/v1/reports/campaigns/{campaign_id}/deadlines.ics"): frozenset(
        {ADMIN, COORD, LEADER}
    ),
    ("GET", "/api/v1/reports/units/{unit_id}/deadlines.ics"): READERS,
    ("GET", "/api/v1/reports/campaigns/{campaign_id}/ics-link"): frozenset({ADMIN, COORD, LEADER}),
    ("GET", "/api/v1/reports/units/{unit_id}/ics-link"): READERS,
}


@dataclass
class World:
    """The dedicated database and the rows every call aims at."""

    engine: Engine
    unit_id: int
    other_unit_id: int
    campaign_id: int
    assignment_id: int
    directive_id: int
    users: dict[str, User]

    def add(self, row: Any) -> Any:
        """Commit one row and return it (detached, ids loaded)."""
        with session_scope(self.engine) as session:
            session.add(row)
            session.flush()
            return row


def fresh_output(world: World) -> int:
    """A new output of the editor's unit (each call gets its own, so deletes do not interfere)."""
    n = uuid.uuid4().hex
    row = Output(
        campaign_id=world.campaign_id,
        unit_id=world.unit_id,
        title=f"Bài {n}",
        title_folded=f"bai {n}",
        channel="bao_in",
        published_at=datetime(2024, 7, 1, tzinfo=UTC),
        dedup_key=hashlib.sha256(n.encode()).hexdigest(),
    )
    return int(world.add(row).id)


def fresh_evidence(world: World, output_id: int) -> int:
    """A PDF evidence row of the output."""
    content = b"%PDF-1.4 minh chung"
    row = Evidence(
        output_id=output_id,
        filename="mc.pdf",
        media_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
    )
    return int(world.add(row).id)


def fresh_unit(world: World) -> int:
    """A new unit nothing refers to (a target that DELETE can really remove)."""
    code = f"tmp-{uuid.uuid4().hex[:8]}"
    return int(world.add(Unit(code=code, name=f"Đơn vị {code}")).id)


def fresh_campaign(world: World) -> tuple[int, int]:
    """A new campaign assigning the editor's unit; (campaign id, assignment id)."""
    campaign = world.add(Campaign(title=f"Chiến dịch {uuid.uuid4().hex[:6]}"))
    assignment = world.add(Assignment(campaign_id=campaign.id, unit_id=world.unit_id))
    return int(campaign.id), int(assignment.id)


def fresh_theme(world: World, campaign_id: int) -> int:
    """A new theme of the campaign."""
    return int(world.add(Theme(campaign_id=campaign_id, code=f"X{uuid.uuid4().hex[:4]}")).id)


def fresh_phrase(world: World, campaign_id: int) -> int:
    """A new unresolved recipient phrase of the campaign."""
    return int(world.add(UnresolvedPhrase(campaign_id=campaign_id, phrase="Đơn vị lạ")).id)


def fresh_file(world: World, campaign_id: int) -> int:
    """A new attachment of the campaign."""
    row = CampaignFile(
        campaign_id=campaign_id, title="Tài liệu", filename="tl.pdf", content=b"%PDF-1.4"
    )
    return int(world.add(row).id)


def fresh_job(world: World) -> int:
    """A queued job the coordinator started (only its starter and staff may see it)."""
    return int(world.add(Job(kind="reports.file", created_by_id=world.users[COORD].id)).id)


def fresh_user(world: World) -> int:
    """A throwaway leader account (target of user administration)."""
    return int(
        world.add(User(username=f"tmp-{uuid.uuid4().hex[:8]}", password_hash="x", role="leader")).id
    )


# Path parameter -> a plausible value, given the method and the params already made. Unit-scoped
# reads aim at the editor's unit; a DELETE gets a fresh unit so it cannot break later calls.
PARAMS: dict[str, Callable[[World, str, dict[str, int]], int | str]] = {
    "output_id": lambda w, _m, _p: fresh_output(w),
    "evidence_id": lambda w, _m, made: fresh_evidence(w, made["output_id"]),
    "user_id": lambda w, _m, _p: fresh_user(w),
    "unit_id": lambda w, m, _p: fresh_unit(w) if m == "DELETE" else w.unit_id,
    "campaign_id": lambda w, m, _p: fresh_campaign(w)[0] if m == "DELETE" else w.campaign_id,
    "theme_id": lambda w, _m, made: fresh_theme(w, made["campaign_id"]),
    "phrase_id": lambda w, _m, made: fresh_phrase(w, made["campaign_id"]),
    "file_id": lambda w, _m, made: fresh_file(w, made["campaign_id"]),
    # Transitions and deletes change an assignment: each call gets its own (editor's unit).
    "assignment_id": lambda w, _m, _p: fresh_campaign(w)[1],
    "directive_id": lambda w, _m, _p: w.directive_id,
    "code": lambda _w, _m, _p: "T1",  # a theme code of the world's campaign
    "job_id": lambda w, _m, _p: fresh_job(w),
}

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
CSV = "\ufeffTiêu đề,Kênh,Ngày đăng\nBài nhập {n},báo in,01/07/2024\n"


def _bodies(world: World) -> dict[tuple[str, str], Callable[[], dict[str, Any]]]:
    """Request arguments that pass validation, so the status reflects the permission."""
    return {
        ("POST", "/api/v1/auth/token"): lambda: {
            "json": {"username": "admin-r", "password": PASSWORD}
        },
        ("POST", "/api/v1/users"): lambda: {
            "json": {
                "username": f"n-{uuid.uuid4().hex[:8]}",
                "password": PASSWORD,
                "role": "leader",
            }
        },
        ("PATCH", "/api/v1/users/{user_id}"): lambda: {"json": {"full_name": "Nguyễn Văn B"}},
        ("POST", "/api/v1/outputs"): lambda: {
            "json": {
                "campaign_id": world.campaign_id,
                "unit_id": world.unit_id,
                "title": f"Tin {uuid.uuid4().hex}",
                "channel": "báo in",
                "published_at": "2024-07-02",
            }
        },
        ("PATCH", "/api/v1/outputs/{output_id}"): lambda: {"json": {"note": "sửa"}},
        ("POST", "/api/v1/outputs/{output_id}/themes/{code}"): lambda: {"json": {"accepted": True}},
        ("POST", "/api/v1/campaigns/{campaign_id}/themes/accept-above"): lambda: {
            "json": {"threshold": 0.99}
        },
        ("POST", "/api/v1/campaigns/{campaign_id}/report-jobs"): lambda: {
            "json": {"format": "xlsx"}
        },
        ("GET", "/api/v1/units/resolve"): lambda: {"params": {"phrase": "Đơn vị A"}},
        ("POST", "/api/v1/assignments/{assignment_id}/transition"): lambda: {
            "json": {"to": "acknowledged"}
        },
        ("POST", "/api/v1/directives"): lambda: {
            "files": {"file": ("cv.txt", "Số: 12/STTTT\nV/v tuyên truyền".encode(), "text/plain")}
        },
        ("PATCH", "/api/v1/units/{unit_id}"): lambda: {"json": {"note": "sửa"}},
        ("POST", "/api/v1/campaigns/{campaign_id}/close"): lambda: {"json": {}},
        ("POST", "/api/v1/campaigns/{campaign_id}/deadlines"): lambda: {
            "json": {
                "assignments": [{"assignment_id": world.assignment_id}],
                "deadline": "2024-08-01",
            }
        },
        ("POST", "/api/v1/assignments/{assignment_id}/deadline"): lambda: {
            "json": {"deadline": "2024-08-01", "reason": "lùi hạn"}
        },
        ("POST", "/api/v1/assignments/{assignment_id}/handover"): lambda: {
            "json": {"unit_id": world.other_unit_id}
        },
        ("POST", "/api/v1/outputs/{output_id}/verify"): lambda: {"json": {"state": "verified"}},
        ("POST", "/api/v1/outputs/{output_id}/evidence"): lambda: {
            "files": {"file": ("anh.png", PNG, "image/png")}
        },
        ("POST", "/api/v1/outputs/import"): lambda: {
            "files": {
                "file": ("kq.csv", io.BytesIO(CSV.format(n=uuid.uuid4().hex).encode()), "text/csv")
            },
            "data": {"unit_id": str(world.unit_id), "campaign_id": str(world.campaign_id)},
        },
        ("POST", "/api/v1/outputs/import-jobs"): lambda: {
            "files": {
                "file": ("kq.csv", io.BytesIO(CSV.format(n=uuid.uuid4().hex).encode()), "text/csv")
            },
            "data": {"unit_id": str(world.unit_id), "campaign_id": str(world.campaign_id)},
        },
    }


def api_routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, descending into included routers."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:  # FastAPI >= 0.13x wraps included routers
            context = getattr(route, "include_context", None)
            yield from api_routes(original.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute | Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, prefix + route.path


def _seed(engine: Engine) -> World:
    """Two units, a campaign, and one account per role."""
    with session_scope(engine) as session:
        unit, other = Unit(code="role-a", name="Đơn vị A"), Unit(code="role-b", name="Đơn vị B")
        directive = Directive(filename="cv.txt", sha256="0" * 64, content=b"V/v tuyen truyen")
        session.add(directive)
        session.flush()
        campaign = Campaign(
            title="Chiến dịch vai trò", directive_id=directive.id, themes=[Theme(code="T1")]
        )
        session.add_all([unit, other, campaign])
        session.flush()
        assignment = Assignment(campaign_id=campaign.id, unit_id=unit.id)
        session.add(assignment)
        session.flush()
        spec = {
            ADMIN: ("admin", None),
            COORD: ("coordinator", None),
            LEADER: ("leader", None),
            EDITOR: ("unit_editor", unit.id),
            OTHER: ("unit_editor", other.id),
        }
        users = {
            key: create_user(
                session=session, username=f"{key}-r", password=PASSWORD, role=role, unit_id=uid
            )
            for key, (role, uid) in spec.items()
        }
        return World(engine, unit.id, other.id, campaign.id, assignment.id, directive.id, users)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """A dedicated, migrated database of each kind with the seed rows."""
    if request.param == "postgres":
        if not postgres_available():
            pytest.skip("PostgreSQL not available")
        url = create_pg_database()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('roles') / 'roles.db'}"
    engine = make_engine(url)
    upgrade(engine)
    yield _seed(engine)
    engine.dispose()
    if request.param == "postgres":
        drop_pg_database(url)


def test_every_api_route_has_a_policy(world: World) -> None:
    app = create_app(world.engine)
    found = {r for r in api_routes(app.routes) if r[1].startswith("/api/v1")}
    missing = sorted(found - POLICY.keys())
    assert not missing, f"routes without a POLICY entry (add them, with their roles): {missing}"
    stale = sorted(set(POLICY) - found)
    assert not stale, f"POLICY entries for routes that no longer exist: {stale}"


def _token(world: World, role: str) -> str:
    """A token under the user's current session version (a sign-out call moves it on)."""
    with Session(world.engine) as session:
        user = session.get(User, world.users[role].id)
        assert user is not None
        return issue_token(user)


def _call(client: TestClient, world: World, method: str, path: str, role: str) -> int:
    """One request as the role, with fresh path targets and a plausible body."""
    made: dict[str, int] = {}
    url = path
    for name in [p.strip("{}") for p in path.split("/") if p.startswith("{")]:
        made[name] = PARAMS[name](world, method, made) if name in PARAMS else 1
        url = url.replace("{" + name + "}", str(made[name]))
    headers = {} if role == ANON else {"Authorization": f"Bearer {_token(world, role)}"}
    body = _bodies(world).get((method, path), dict)()
    return client.request(method, url, headers=headers, **body).status_code


@pytest.mark.slow
def test_roles_match_policy(world: World) -> None:
    app = create_app(world.engine)
    client = TestClient(app, raise_server_exceptions=False)
    wrong: list[str] = []
    for method, path in sorted(r for r in api_routes(app.routes) if r[1].startswith("/api/v1")):
        allowed = POLICY.get((method, path))
        if allowed is None:
            continue  # reported by test_every_api_route_has_a_policy
        for role in ROLES:
            code = _call(client, world, method, path, role)
            ok = 200 <= code < 300 or code in (404, 409, 422)  # past the guard
            denied = code in (401, 403)
            if code >= 500 or (role in allowed and not ok) or (role not in allowed and not denied):
                wrong.append(f"{method} {path} as {role}: {code} (allowed: {role in allowed})")
    assert not wrong, "\n".join(wrong)
