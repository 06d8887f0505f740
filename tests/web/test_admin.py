"""Administration pages: users and the unit registry, for the admin role only."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import Engine, select

from tests.web.conftest import PASSWORD, Desk
from tests.web.test_i18n import RAW_KEY, Recording, visible
from trienkhai.db import session_scope
from trienkhai.units import service as units
from trienkhai.units.models import Unit, UnitGroup
from trienkhai.users import service as users
from trienkhai.users.models import User
from trienkhai.web import i18n

DB = tuple[Engine, dict[str, int]]
ONE_TIME = re.compile(r'id="one-time">.*?value="([^"]+)"', re.S)


@pytest.fixture
def admin(desk: Desk, web_db: DB) -> Desk:
    """The desk signed in as an administrator."""
    with session_scope(web_db[0]) as session:
        users.create_user(session=session, username="quantri", password=PASSWORD, role="admin")
    desk.login("quantri")
    return desk


def _user(engine: Engine, username: str) -> User | None:
    with session_scope(engine) as session:
        found = users.get_by_username(session=session, username=username)
        if found is not None:
            session.expunge(found)
        return found


def _signs_in(desk: Desk, username: str, password: str) -> bool:
    """Whether the username and password open a session (checked on a fresh cookie jar)."""
    desk.client.cookies.clear()
    desk.get("/login")
    response = desk.post("/login", {"username": username, "password": password})
    return response.status_code == 200 and "/login" not in str(response.url)


@pytest.mark.parametrize("username", ["dieuphoi", "lanhdao", "baokontum"])
@pytest.mark.parametrize(
    "path", ["/admin/users", "/admin/users/1", "/admin/units", "/admin/units/1", "/admin/groups"]
)
def test_only_admins_open_the_admin_pages(desk: Desk, username: str, path: str) -> None:
    desk.login(username)
    response = desk.get(path)
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.text
    assert 'href="/admin/users"' not in response.text  # no "Quản trị" menu entry either


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/admin/users", {"username": "x1", "role": "leader", "password": PASSWORD}),
        ("/admin/users/1/active", {"active": "false"}),
        ("/admin/users/1/password", {"password": "moi-mat-khau-1"}),
        ("/admin/units", {"code": "moi", "name": "Mới"}),
        ("/admin/groups", {"code": "nhom", "name": "Nhóm"}),
    ],
)
def test_non_admin_posts_are_refused_and_write_nothing(
    desk: Desk, web_db: DB, path: str, data: dict[str, str]
) -> None:
    desk.login("dieuphoi")
    assert desk.post(path, data).status_code == 403
    assert _user(web_db[0], "x1") is None
    assert _user(web_db[0], "dieuphoi").active  # type: ignore[union-attr]
    assert _signs_in(desk, "dieuphoi", PASSWORD)


def test_anonymous_visitor_is_sent_to_sign_in(desk: Desk) -> None:
    response = desk.client.get("/admin/users", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/users"


def test_admin_sees_the_menu_entry(admin: Desk) -> None:
    page = admin.get("/campaigns")
    assert '<a href="/admin/users">Quản trị</a>' in page.text


def test_admin_creates_a_user_with_a_one_time_password_shown_once(admin: Desk, web_db: DB) -> None:
    unit = web_db[1]["h-dak-ha"]
    created = admin.post(
        "/admin/users",
        {
            "username": "dakha2",
            "full_name": "Nguyễn Văn A",
            "role": "unit_editor",
            "unit_id": str(unit),
        },
    )
    assert created.status_code == 200
    assert created.url.path.startswith("/admin/users/")  # redirected (post/redirect/get)
    assert created.headers["cache-control"] == "no-store"
    password = ONE_TIME.search(created.text)
    assert password, created.text
    assert "Đã thêm người dùng dakha2." in created.text
    assert "one-time" not in admin.get(created.url.path).text  # shown once only
    person = _user(web_db[0], "dakha2")
    assert person is not None and person.unit_id == unit and person.role == "unit_editor"
    assert _signs_in(admin, "dakha2", password.group(1))


def test_a_unit_editor_without_a_unit_is_refused_and_not_created(admin: Desk, web_db: DB) -> None:
    response = admin.post(
        "/admin/users", {"username": "lac", "role": "unit_editor", "password": PASSWORD}
    )
    assert response.status_code == 422
    assert "phải thuộc một đơn vị" in response.text
    assert 'href="/admin/users"' in response.text  # the error page keeps the admin's menu
    assert _user(web_db[0], "lac") is None


def test_admin_changes_role_and_unit(admin: Desk, web_db: DB) -> None:
    person = _user(web_db[0], "lanhdao")
    assert person is not None
    unit = web_db[1]["bao-kon-tum"]
    saved = admin.post(
        f"/admin/users/{person.id}",
        {"role": "unit_editor", "unit_id": str(unit), "full_name": "Trần B", "email": ""},
    )
    assert saved.status_code == 200
    assert "Đã lưu người dùng lanhdao." in saved.text
    after = _user(web_db[0], "lanhdao")
    assert after is not None
    assert (after.role, after.unit_id, after.full_name) == ("unit_editor", unit, "Trần B")


def test_admin_deactivates_and_reactivates_an_account(admin: Desk, web_db: DB) -> None:
    person = _user(web_db[0], "dieuphoi")
    assert person is not None
    off = admin.post(f"/admin/users/{person.id}/active", {"active": "false"})
    assert "Đã khóa tài khoản dieuphoi." in off.text
    assert not _user(web_db[0], "dieuphoi").active  # type: ignore[union-attr]
    assert not _signs_in(admin, "dieuphoi", PASSWORD)
    admin.login("quantri")
    admin.post(f"/admin/users/{person.id}/active", {"active": "true"})
    assert _signs_in(admin, "dieuphoi", PASSWORD)


def test_admin_cannot_lock_themself_out(admin: Desk, web_db: DB) -> None:
    me = _user(web_db[0], "quantri")
    assert me is not None
    refused = admin.post(f"/admin/users/{me.id}/active", {"active": "false"})
    assert refused.status_code == 422
    assert "Không thể tự khóa" in refused.text
    demoted = admin.post(f"/admin/users/{me.id}", {"role": "leader"})
    assert demoted.status_code == 422
    after = _user(web_db[0], "quantri")
    assert after is not None and after.active and after.role == "admin"


def test_admin_resets_a_password_typed_or_generated(admin: Desk, web_db: DB) -> None:
    person = _user(web_db[0], "dakha")
    assert person is not None
    typed = admin.post(f"/admin/users/{person.id}/password", {"password": "mat-khau-moi-9"})
    assert "Đã đặt lại mật khẩu của dakha." in typed.text
    assert not ONE_TIME.search(typed.text)
    short = admin.post(f"/admin/users/{person.id}/password", {"password": "ngan"})
    assert short.status_code == 422 and "ít nhất 10 ký tự" in short.text
    generated = admin.post(f"/admin/users/{person.id}/password", {"password": ""})
    found = ONE_TIME.search(generated.text)
    assert found
    assert not _signs_in(admin, "dakha", "mat-khau-moi-9")
    assert _signs_in(admin, "dakha", found.group(1))


def test_unit_registry_search_ignores_diacritics(admin: Desk) -> None:
    page = admin.get("/admin/units", params={"q": "dak ha"})
    assert page.status_code == 200
    table = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "Ủy ban nhân dân huyện Đắk Hà" in table
    assert "Sở Tư pháp" not in table


def test_admin_creates_and_edits_a_unit(admin: Desk, web_db: DB) -> None:
    created = admin.post(
        "/admin/units",
        {
            "code": "dai-truyen-thanh-dak-to",
            "name": "Đài Truyền thanh huyện Đắk Tô",
            "kind": "broadcaster",
            "aliases": "Đài TT Đắk Tô\nĐài truyền thanh Đắk Tô",
            "websites": "https://daktô.example\n",
            "active": "1",
        },
    )
    assert created.status_code == 200, created.text
    assert "Đã lưu đơn vị Đài Truyền thanh huyện Đắk Tô." in created.text
    unit_path = created.url.path
    edited = admin.post(
        unit_path,
        {
            "name": "Đài Truyền thanh - Truyền hình huyện Đắk Tô",
            "kind": "broadcaster",
            "parent": "h-dak-to",
            "note": "Đổi tên 2024",
        },
    )
    assert edited.status_code == 200
    with session_scope(web_db[0]) as session:
        unit = units.get_by_code(session=session, code="dai-truyen-thanh-dak-to")
        assert unit is not None
        assert unit.name == "Đài Truyền thanh - Truyền hình huyện Đắk Tô"
        assert unit.parent_id == web_db[1]["h-dak-to"]
        assert not unit.active  # the box was left unticked
        assert "Đài TT Đắk Tô" in units.aliases_of(unit)


def test_a_bad_unit_is_refused_with_the_field_named(admin: Desk, web_db: DB) -> None:
    response = admin.post("/admin/units", {"code": "Mã Có Dấu", "name": "X", "kind": "press"})
    assert response.status_code == 422
    assert "trường 'code'" in unescape(response.text)
    taken = admin.post("/admin/units", {"code": "moi", "name": "Huyện Đắk Hà", "kind": "press"})
    assert taken.status_code == 422
    assert "đã thuộc đơn vị 'h-dak-ha'" in unescape(taken.text)
    with session_scope(web_db[0]) as session:
        assert units.get_by_code(session=session, code="moi") is None


def test_admin_adds_and_removes_an_alias(admin: Desk, web_db: DB) -> None:
    unit_id = web_db[1]["h-dak-ha"]
    added = admin.post(f"/admin/units/{unit_id}/aliases", {"alias": "Chính quyền Đắk Hà thử"})
    assert "Đã thêm bí danh &#39;Chính quyền Đắk Hà thử&#39;." in added.text
    with session_scope(web_db[0]) as session:
        resolved = units.resolve_phrase(session=session, phrase="Chính quyền Đắk Hà thử")
        assert resolved.unit is not None and resolved.unit.id == unit_id
    clash = admin.post(f"/admin/units/{unit_id}/aliases", {"alias": "Sở Tư pháp"})
    assert clash.status_code == 422
    assert "đã thuộc đơn vị 'so-tu-phap'" in unescape(clash.text)
    removed = admin.post(
        f"/admin/units/{unit_id}/aliases/remove", {"alias": "Chính quyền Đắk Hà thử"}
    )
    assert removed.status_code == 200
    with session_scope(web_db[0]) as session:
        assert not units.resolve_phrase(session=session, phrase="Chính quyền Đắk Hà thử").resolved


def test_admin_creates_a_group_and_sets_its_members(admin: Desk, web_db: DB) -> None:
    ids = web_db[1]
    created = admin.post(
        "/admin/groups",
        {"code": "bao-dai", "name": "Báo, đài của tỉnh", "aliases": "Khối báo đài thử nghiệm"},
    )
    assert created.status_code == 200 and created.url.path == "/admin/groups/bao-dai"
    members = [str(ids["bao-kon-tum"]), str(ids["h-dak-ha"])]
    saved = admin.post(
        "/admin/groups/bao-dai",
        {"name": "Báo, đài", "aliases": "Khối báo đài thử nghiệm", "members": members},
    )
    assert "Đã lưu nhóm Báo, đài." in saved.text
    again = admin.post("/admin/groups", {"code": "bao-dai", "name": "Trùng"})
    assert again.status_code == 422
    with session_scope(web_db[0]) as session:
        group = session.scalars(select(UnitGroup).where(UnitGroup.code == "bao-dai")).one()
        assert {u.id for u in group.units} == {ids["bao-kon-tum"], ids["h-dak-ha"]}
        resolved = units.resolve_phrase(session=session, phrase="Khối báo đài thử nghiệm")
        assert {u.id for u in resolved.units} == {ids["bao-kon-tum"], ids["h-dak-ha"]}


GOOD_YAML = """units:
  - code: xa-moi
    name: Ủy ban nhân dân xã Mới
    kind: commune
    aliases: [UBND xã Mới]
"""
BAD_YAML = """units:
  - code: xa-moi-2
    name: Xã Mới 2
    kind: commune
  - code: Sai Ma
    name: ""
    kind: planet
"""


def test_registry_import_is_all_or_nothing_with_row_errors(admin: Desk, web_db: DB) -> None:
    bad = admin.post(
        "/admin/units/import", files={"file": ("don-vi.yaml", BAD_YAML.encode(), "text/yaml")}
    )
    assert bad.status_code == 422
    assert "units[2] (dòng 5)" in bad.text and "trường &#39;kind&#39;" in bad.text
    with session_scope(web_db[0]) as session:
        assert units.get_by_code(session=session, code="xa-moi-2") is None
    good = admin.post(
        "/admin/units/import", files={"file": ("don-vi.yaml", GOOD_YAML.encode(), "text/yaml")}
    )
    assert good.status_code == 200 and good.url.path == "/admin/units"
    assert "1 đơn vị mới, 0 cập nhật" in good.text
    with session_scope(web_db[0]) as session:
        assert units.get_by_code(session=session, code="xa-moi") is not None


def test_registry_exports_yaml_and_csv_that_import_back(admin: Desk, web_db: DB) -> None:
    for fmt in ("yaml", "csv"):
        exported = admin.get("/admin/units/export", params={"format": fmt})
        assert exported.status_code == 200
        assert "h-dak-ha" in exported.text and "Đắk Hà" in exported.text
        back = admin.post(
            "/admin/units/import", files={"file": (f"don-vi.{fmt}", exported.content, "text")}
        )
        assert back.status_code == 200, back.text
        assert "0 đơn vị mới" in back.text
    with session_scope(web_db[0]) as session:
        count = len(session.scalars(select(Unit)).all())
    assert count == len(web_db[1])
    assert admin.get("/admin/units/export", params={"format": "xml"}).status_code == 422


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_admin_pages_have_no_untranslated_key(
    admin: Desk, web_db: DB, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = Recording(i18n.MESSAGES)
    monkeypatch.setattr(i18n, "MESSAGES", catalogue)
    admin.get(f"/lang/{lang}?next=/admin/users")
    person = _user(web_db[0], "dieuphoi")
    assert person is not None
    unit = web_db[1]["h-dak-ha"]
    urls = ["/admin/users", f"/admin/users/{person.id}", "/admin/units", f"/admin/units/{unit}",
            "/admin/groups", "/admin/groups/ubnd-huyen"]  # fmt: skip
    for url in urls:
        page = admin.get(url)
        assert page.status_code == 200, url
        assert f'<html lang="{lang}">' in page.text, url
        assert RAW_KEY.findall(visible(page.text)) == [], url
    assert catalogue.missing == set()
