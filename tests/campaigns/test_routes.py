"""JSON API of units, directives, campaigns and assignments, per role, on a dedicated database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from tests.db_fixtures import _require_pg, create_pg_database, drop_pg_database
from tests.factories import make_user, unique
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.db import make_engine, session_scope
from trienkhai.migrate import upgrade
from trienkhai.units import service as units
from trienkhai.users.models import Role
from trienkhai.users.service import issue_token
from trienkhai.web.app import create_app


@dataclass
class Api:
    """A client on a committed database holding the sample registry and one user per role."""

    client: TestClient
    tokens: dict[str, str]
    engine: Engine

    def as_(self, role: str) -> dict[str, str]:
        """Authorization header of the role's user."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    if request.param == "postgres":
        _require_pg()
        url = create_pg_database()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        units.load_sample_registry(session=session)
        dak_ha = units.get_by_code(session=session, code="h-dak-ha")
        so_tttt = units.get_by_code(session=session, code="so-tttt")
        assert dak_ha is not None and so_tttt is not None
        users = {
            "admin": make_user(session, Role.admin),
            "coordinator": make_user(session, Role.coordinator),
            "leader": make_user(session, Role.leader),
            "editor": make_user(session, Role.unit_editor, unit_id=dak_ha.id),
            "outsider": make_user(session, Role.unit_editor, unit_id=so_tttt.id),
        }
        tokens = {role: issue_token(user) for role, user in users.items()}
    with TestClient(create_app(engine)) as client:
        yield Api(client=client, tokens=tokens, engine=engine)
    engine.dispose()
    if request.param == "postgres":
        drop_pg_database(url)


@pytest.fixture(scope="module")
def campaign_id(api: Api, sample_path: Path) -> int:
    """A campaign opened through the API from the uploaded sample directive."""
    content = sample_path.read_bytes()
    files = {"file": ("cong-van.txt", content, "text/plain")}
    up = api.client.post("/api/v1/directives", files=files, headers=api.as_("coordinator"))
    assert up.status_code == 201, up.text
    again = api.client.post("/api/v1/directives", files=files, headers=api.as_("coordinator"))
    assert again.status_code == 200
    assert again.json()["id"] == up.json()["id"]
    body = {"directive_id": up.json()["id"], "title": "Nhân quyền", "report_deadline": "2024-08-15"}
    made = api.client.post("/api/v1/campaigns", json=body, headers=api.as_("coordinator"))
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_unauthenticated_is_401(api: Api) -> None:
    assert api.client.get("/api/v1/units").status_code == 401
    assert api.client.get("/api/v1/campaigns").status_code == 401


def test_units_search_and_get(api: Api) -> None:
    found = api.client.get("/api/v1/units", params={"q": "dak ha"}, headers=api.as_("editor"))
    assert [u["code"] for u in found.json()] == ["h-dak-ha"]
    unit_id = found.json()[0]["id"]
    one = api.client.get(f"/api/v1/units/{unit_id}", headers=api.as_("leader")).json()
    assert "ubnd-huyen" in one["groups"]
    assert api.client.get("/api/v1/units/999999", headers=api.as_("admin")).status_code == 404
    res = api.client.get(
        "/api/v1/units/resolve", params={"phrase": "UBND H. Đắk Hà"}, headers=api.as_("coordinator")
    )
    assert res.json()["units"][0]["code"] == "h-dak-ha"
    groups = api.client.get("/api/v1/groups", headers=api.as_("leader")).json()
    assert "bao-chi-tinh" in {g["code"] for g in groups}


def test_unit_writes_are_admin_only(api: Api) -> None:
    code = unique("api")
    body = {"code": code, "name": f"Đơn vị API {code}", "kind": "press"}
    for role in ("coordinator", "leader", "editor"):
        assert api.client.post("/api/v1/units", json=body, headers=api.as_(role)).status_code == 403
    made = api.client.post("/api/v1/units", json=body, headers=api.as_("admin"))
    assert made.status_code == 201, made.text
    dup = api.client.post("/api/v1/units", json=body, headers=api.as_("admin"))
    assert dup.status_code == 422
    assert "đã có" in dup.json()["detail"]["message"]
    unit_id = made.json()["id"]
    patched = api.client.patch(
        f"/api/v1/units/{unit_id}", json={"aliases": ["Bí danh API"]}, headers=api.as_("admin")
    )
    assert "Bí danh API" in patched.json()["aliases"]
    gone = api.client.delete(f"/api/v1/units/{unit_id}", headers=api.as_("admin"))
    assert gone.status_code == 204


def test_units_import_and_export(api: Api) -> None:
    code = unique("imp")
    good = f"code,name,kind\n{code},Đơn vị nhập {code},press\n".encode()
    files = {"file": ("units.csv", good, "text/csv")}
    assert (
        api.client.post(
            "/api/v1/units/import", files=files, headers=api.as_("coordinator")
        ).status_code
        == 403
    )
    done = api.client.post("/api/v1/units/import", files=files, headers=api.as_("admin"))
    assert done.json()["created"] == 1
    bad = {"file": ("bad.csv", b"code,name,kind\nx1,Sai,xyz\n", "text/csv")}
    failed = api.client.post("/api/v1/units/import", files=bad, headers=api.as_("admin"))
    assert failed.status_code == 422
    assert "bad.csv, dòng 2" in failed.json()["detail"]["errors"][0]
    exported = api.client.get(
        "/api/v1/units/export", params={"format": "csv"}, headers=api.as_("leader")
    )
    assert exported.status_code == 200
    assert code in exported.text
    assert api.client.get("/api/v1/units/export", headers=api.as_("editor")).status_code == 403


def test_directives_access(api: Api, campaign_id: int) -> None:
    listed = api.client.get("/api/v1/directives", headers=api.as_("leader"))
    assert listed.status_code == 200
    directive_id = listed.json()[0]["id"]
    assert api.client.get("/api/v1/directives", headers=api.as_("editor")).status_code == 403
    full = api.client.get(f"/api/v1/directives/{directive_id}", headers=api.as_("editor"))
    assert full.status_code == 200  # the editor's unit is assigned by this directive
    assert "recipients" in full.json()["record"]
    original = api.client.get(
        f"/api/v1/directives/{directive_id}/original", headers=api.as_("coordinator")
    )
    assert original.content.startswith(b"\n\nUBND") or b"UBND" in original.content[:50]
    upload = {"file": ("x.txt", b"abc", "text/plain")}
    assert (
        api.client.post("/api/v1/directives", files=upload, headers=api.as_("leader")).status_code
        == 403
    )
    empty = {"file": ("empty.txt", b"", "text/plain")}
    refused = api.client.post("/api/v1/directives", files=empty, headers=api.as_("coordinator"))
    assert refused.status_code == 422
    assert "empty.txt" in refused.json()["detail"]


def test_campaign_read_per_role(api: Api, campaign_id: int) -> None:
    full = api.client.get(f"/api/v1/campaigns/{campaign_id}", headers=api.as_("leader")).json()
    assert full["assignments_count"] == len(full["assignments"])
    own = api.client.get(f"/api/v1/campaigns/{campaign_id}", headers=api.as_("editor")).json()
    assert [a["unit"]["code"] for a in own["assignments"]] == ["h-dak-ha"]
    assert own["unresolved"] == []
    # The issuer (Sở TT&TT) is not assigned its own letter: its editor sees nothing.
    outsider = api.client.get(f"/api/v1/campaigns/{campaign_id}", headers=api.as_("outsider"))
    assert outsider.status_code == 403
    assert api.client.get("/api/v1/campaigns", headers=api.as_("outsider")).json() == []
    mine = api.client.get("/api/v1/campaigns", headers=api.as_("editor")).json()
    assert campaign_id in {c["id"] for c in mine}


def test_campaign_edit_and_themes(api: Api, campaign_id: int) -> None:
    url = f"/api/v1/campaigns/{campaign_id}"
    assert api.client.patch(url, json={"title": "X"}, headers=api.as_("leader")).status_code == 403
    ok = api.client.patch(url, json={"title": "Nhân quyền 2024"}, headers=api.as_("coordinator"))
    assert ok.json()["title"] == "Nhân quyền 2024"
    theme = api.client.post(
        f"{url}/themes", json={"text": "Chủ đề thêm"}, headers=api.as_("coordinator")
    )
    assert theme.status_code == 201
    theme_id = theme.json()["id"]
    edited = api.client.patch(
        f"{url}/themes/{theme_id}", json={"keywords": ["thêm"]}, headers=api.as_("coordinator")
    )
    assert edited.json()["keywords"] == ["thêm"]
    assert (
        api.client.delete(f"{url}/themes/{theme_id}", headers=api.as_("coordinator")).status_code
        == 204
    )
    assert (
        api.client.delete(f"{url}/themes/{theme_id}", headers=api.as_("coordinator")).status_code
        == 404
    )


def test_assignment_transitions_per_role(api: Api, campaign_id: int) -> None:
    rows = api.client.get(
        f"/api/v1/campaigns/{campaign_id}/assignments", headers=api.as_("editor")
    ).json()
    assert len(rows) == 1
    assignment = rows[0]
    assert assignment["overdue"] is True  # deadline 2024-08-15 has passed
    assert assignment["effective_state"] == "overdue"
    url = f"/api/v1/assignments/{assignment['id']}"
    leader = api.client.post(
        f"{url}/transition", json={"to": "acknowledged"}, headers=api.as_("leader")
    )
    assert leader.status_code == 403
    outsider = api.client.post(
        f"{url}/transition", json={"to": "acknowledged"}, headers=api.as_("outsider")
    )
    assert outsider.status_code == 403
    bad = api.client.post(f"{url}/transition", json={"to": "verified"}, headers=api.as_("editor"))
    assert bad.status_code == 409
    for target in ("acknowledged", "in_progress", "reported"):
        moved = api.client.post(
            f"{url}/transition", json={"to": target, "note": target}, headers=api.as_("editor")
        )
        assert moved.status_code == 200, moved.text
    detail = moved.json()
    assert detail["state"] == "reported"
    assert detail["overdue"] is False
    assert [e["to_state"] for e in detail["events"]] == ["acknowledged", "in_progress", "reported"]
    forbidden = api.client.post(
        f"{url}/transition", json={"to": "verified"}, headers=api.as_("editor")
    )
    assert forbidden.status_code == 403
    stale = api.client.post(
        f"{url}/transition", json={"to": "verified", "version": 1}, headers=api.as_("coordinator")
    )
    assert stale.status_code == 409
    verified = api.client.post(
        f"{url}/transition",
        json={"to": "verified", "version": detail["version"]},
        headers=api.as_("coordinator"),
    )
    assert verified.json()["state"] == "verified"
    others = api.client.get(
        f"/api/v1/campaigns/{campaign_id}/assignments",
        params={"state": "overdue"},
        headers=api.as_("coordinator"),
    ).json()
    assert assignment["id"] not in {a["id"] for a in others}
    assert others  # every other unit is still late


def test_editor_cannot_read_another_units_assignment(api: Api, campaign_id: int) -> None:
    rows = api.client.get(
        f"/api/v1/campaigns/{campaign_id}/assignments",
        params={"kind": "press"},
        headers=api.as_("coordinator"),
    ).json()
    assert rows
    assert {a["unit"]["kind"] for a in rows} == {"press"}
    other = rows[0]["id"]
    assert (
        api.client.get(f"/api/v1/assignments/{other}", headers=api.as_("editor")).status_code == 403
    )
    patch = api.client.patch(
        f"/api/v1/assignments/{other}", json={"deadline": "2024-09-01"}, headers=api.as_("editor")
    )
    assert patch.status_code == 403


def test_campaign_files(api: Api, campaign_id: int) -> None:
    url = f"/api/v1/campaigns/{campaign_id}/files"
    files = {"file": ("tài liệu.txt", "Nội dung UPR".encode(), "text/plain")}
    up = api.client.post(
        url, files=files, data={"title": "Tài liệu UPR"}, headers=api.as_("coordinator")
    )
    assert up.status_code == 201, up.text
    assert api.client.post(url, files=files, headers=api.as_("editor")).status_code == 403
    listed = api.client.get(url, headers=api.as_("editor")).json()
    assert "Tài liệu UPR" in {f["title"] for f in listed}
    got = api.client.get(f"{url}/{up.json()['id']}/download", headers=api.as_("editor"))
    assert got.content.decode() == "Nội dung UPR"
    assert "filename*=UTF-8''t%C3%A0i" in got.headers["content-disposition"]
    link = api.client.post(
        url,
        data={"kind": "reference", "url": "https://example.org"},
        headers=api.as_("coordinator"),
    )
    assert link.status_code == 201
    nothing = api.client.post(url, data={"title": "rỗng"}, headers=api.as_("coordinator"))
    assert nothing.status_code == 422
    script = api.client.post(
        url,
        data={"kind": "reference", "url": "javascript://x.vn/%0aalert(1)"},
        headers=api.as_("coordinator"),
    )
    assert script.status_code == 422 and "http://" in script.json()["detail"]


def test_unresolved_list_is_staff_only(api: Api, campaign_id: int) -> None:
    url = f"/api/v1/campaigns/{campaign_id}/unresolved"
    assert api.client.get(url, headers=api.as_("leader")).status_code == 200
    assert api.client.get(url, headers=api.as_("editor")).status_code == 403


def test_concurrent_assignment_edit_or_removal_is_409(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(api.engine) as session:
        unit = units.get_by_code(session=session, code="so-tttt")
        assert unit is not None
        campaign = Campaign(title="Chiến dịch sửa đồng thời")
        campaign.assignments.append(Assignment(unit_id=unit.id, note="gốc"))
        session.add(campaign)
        session.flush()
        assignment_id = campaign.assignments[0].id
    loaded = campaigns.require_assignment

    def someone_else_edits_first(**kw: Any) -> Assignment:
        # The route has read the row; another coordinator saves before the route writes.
        row = loaded(**kw)
        with session_scope(api.engine) as other:
            other.execute(
                update(Assignment)
                .where(Assignment.id == assignment_id)
                .values(note="người khác", version=Assignment.version + 1)
            )
        return row

    monkeypatch.setattr(campaigns, "require_assignment", someone_else_edits_first)
    url = f"/api/v1/assignments/{assignment_id}"
    patched = api.client.patch(
        url, json={"note": "của tôi", "deadline": "2030-01-01"}, headers=api.as_("coordinator")
    )
    assert patched.status_code == 409
    assert "người khác" in patched.json()["detail"]
    removed = api.client.delete(url, headers=api.as_("coordinator"))
    assert removed.status_code == 409
    monkeypatch.undo()
    with session_scope(api.engine) as session:
        row = session.get(Assignment, assignment_id)
        assert row is not None  # nothing half-written: neither the edit nor the removal
        assert (row.note, row.deadline, row.version) == ("người khác", None, 3)
    assert api.client.delete(url, headers=api.as_("coordinator")).status_code == 204


def test_campaign_desk_through_the_api(api: Api, campaign_id: int) -> None:
    coord = api.as_("coordinator")
    first = api.client.get(f"/api/v1/campaigns/{campaign_id}", headers=coord).json()
    body = {"directive_id": first["directive_id"], "title": "Đợt hai"}
    twice = api.client.post("/api/v1/campaigns", json=body, headers=coord)
    assert twice.status_code == 409 and f"số {campaign_id}" in twice.json()["detail"]
    made = api.client.post("/api/v1/campaigns", json=body | {"as_copy": True}, headers=coord)
    assert made.status_code == 201
    copy = made.json()
    assert (copy["title"], copy["copied_from_id"]) == ("Đợt hai (bản sao)", campaign_id)
    url = f"/api/v1/campaigns/{copy['id']}"
    picks = [{"assignment_id": a["id"], "version": a["version"]} for a in copy["assignments"][:2]]
    bulk = {"assignments": picks, "deadline": "2030-01-10", "reason": "Lùi hạn"}
    assert (
        api.client.post(f"{url}/deadlines", json=bulk, headers=api.as_("leader")).status_code == 403
    )
    moved = api.client.post(f"{url}/deadlines", json=bulk, headers=coord)
    assert [a["deadline"] for a in moved.json()] == ["2030-01-10", "2030-01-10"]
    assert api.client.post(f"{url}/deadlines", json=bulk, headers=coord).status_code == 409
    one = moved.json()[0]
    history = api.client.get(f"/api/v1/assignments/{one['id']}", headers=coord).json()["events"]
    assert (history[-1]["kind"], history[-1]["detail"]["to"], history[-1]["note"]) == (
        "deadline", "2030-01-10", "Lùi hạn")  # fmt: skip
    closed = api.client.post(f"{url}/close", json={"report_number": "20/BC-STTTT"}, headers=coord)
    assert closed.json()["status"] == "closed" and closed.json()["report_number"] == "20/BC-STTTT"
    late = {"deadline": "2030-02-01", "version": one["version"]}
    refused = api.client.post(f"/api/v1/assignments/{one['id']}/deadline", json=late, headers=coord)
    assert refused.status_code == 409 and "mở lại" in refused.json()["detail"]
    assert api.client.post(f"{url}/archive", headers=coord).json()["status"] == "archived"
    assert api.client.post(f"{url}/restore", headers=coord).json()["status"] == "closed"
    assert api.client.post(f"{url}/reopen", headers=coord).json()["status"] == "active"
    assert api.client.delete(url, headers=coord).status_code == 204


@pytest.mark.parametrize(
    ("sent", "stored", "media_type", "mode"),
    [
        ("..\\..\\evil.html", "evil.html", "application/octet-stream", "attachment"),
        ("../../x/\u202egnp.svg", "gnp.svg", "application/octet-stream", "attachment"),
        ("ke-hoach\u200b\u2028.pdf", "ke-hoach.pdf", "application/pdf", "inline"),
        ("bao-cao.docx", "bao-cao.docx", "application/vnd.openxmlformats-officedocument"
         ".wordprocessingml.document", "attachment"),
    ],
)  # fmt: skip
def test_campaign_file_name_and_type_are_decided_by_the_server(
    api: Api, campaign_id: int, sent: str, stored: str, media_type: str, mode: str
) -> None:
    url = f"/api/v1/campaigns/{campaign_id}/files"
    files = {"file": (sent, b"<script>alert(1)</script>", "text/html")}
    up = api.client.post(url, files=files, headers=api.as_("coordinator"))
    assert up.status_code == 201, up.text
    assert up.json()["filename"] == stored
    assert up.json()["media_type"] == media_type
    got = api.client.get(f"{url}/{up.json()['id']}/download", headers=api.as_("editor"))
    assert got.headers["content-type"] == media_type
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith(f'{mode}; filename="{stored}"')
