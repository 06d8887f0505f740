"""Users service and API: passwords, tokens, admin CRUD, audit log."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.outputs.factories import make_unit
from tests.users.factories import PASSWORD, api_client, bearer, make_account
from trienkhai.users import service
from trienkhai.users.models import Role


def test_create_user_rules_and_audit(session: Session) -> None:
    admin = make_account(session, role=Role.admin)
    user = service.create_user(
        session=session, actor=admin, username=" Lan ", password="đủ-dài-rồi", role="leader"
    )
    assert user.username == "Lan" and user.password_hash.startswith("$argon2id$")
    with pytest.raises(service.UserError, match="đã tồn tại"):
        service.create_user(session=session, username="Lan", password="đủ-dài-rồi", role="leader")
    with pytest.raises(service.UserError, match="ít nhất 10"):
        service.create_user(session=session, username="b", password="ngắn", role="leader")
    with pytest.raises(service.UserError, match="phải thuộc một đơn vị"):
        service.create_user(
            session=session, username="c", password="đủ-dài-rồi", role="unit_editor"
        )
    with pytest.raises(service.UserError, match="Vai trò 'boss'"):
        service.create_user(session=session, username="d", password="đủ-dài-rồi", role="boss")
    rows = service.list_audit(session=session, entity="user", entity_id=str(user.id))
    assert [(r.action, r.actor_id) for r in rows] == [("create", admin.id)]


def test_authenticate(session: Session) -> None:
    user = make_account(session, role=Role.leader)
    assert service.authenticate(session=session, username=user.username, password=PASSWORD) is user
    assert service.authenticate(session=session, username=user.username, password="sai") is None
    assert service.authenticate(session=session, username="không-có-ai", password=PASSWORD) is None
    service.update_user(session=session, actor=None, user=user, changes={"active": False})
    assert service.authenticate(session=session, username=user.username, password=PASSWORD) is None


def test_token_me_and_bad_credentials(session: Session) -> None:
    user = make_account(session, role=Role.coordinator)
    client = api_client(session)
    bad = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": "sai-mat-khau"}
    )
    assert bad.status_code == 401 and bad.json()["detail"] == "Sai tên đăng nhập hoặc mật khẩu"
    unknown = client.post(
        "/api/v1/auth/token", json={"username": "ai-do", "password": "sai-mat-khau"}
    )
    assert unknown.status_code == 401 and unknown.json() == bad.json()
    ok = client.post("/api/v1/auth/token", json={"username": user.username, "password": PASSWORD})
    assert ok.status_code == 200
    me = client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {ok.json()['access_token']}"}
    )
    assert me.json()["username"] == user.username and "password_hash" not in me.json()
    forged = {"Authorization": "Bearer gia-mao"}
    assert client.get("/api/v1/auth/me", headers=forged).status_code == 401


def test_admin_crud_and_audit_api(session: Session) -> None:
    admin = make_account(session, role=Role.admin)
    unit = make_unit(session)
    client = api_client(session)
    h = bearer(admin)
    made = client.post(
        "/api/v1/users",
        headers=h,
        json={
            "username": "bientap1",
            "password": "mat-khau-dai",
            "role": "unit_editor",
            "unit_id": unit.id,
        },
    )
    assert made.status_code == 201, made.text
    uid = made.json()["id"]
    assert (
        client.post(
            "/api/v1/users",
            headers=h,
            json={"username": "bientap1", "password": "mat-khau-dai", "role": "leader"},
        ).status_code
        == 422
    )
    patched = client.patch(
        f"/api/v1/users/{uid}", headers=h, json={"full_name": "Trần Thị C", "active": False}
    )
    assert patched.json()["full_name"] == "Trần Thị C" and patched.json()["active"] is False
    assert client.delete(f"/api/v1/users/{admin.id}", headers=h).status_code == 422  # not oneself
    assert client.delete(f"/api/v1/users/{uid}", headers=h).status_code == 204
    assert client.get(f"/api/v1/users/{uid}", headers=h).status_code == 404
    log = client.get("/api/v1/audit", headers=h, params={"entity": "user", "entity_id": uid}).json()
    assert [r["action"] for r in log] == ["delete", "update", "create"]
    assert all(r["actor_id"] == admin.id for r in log)
