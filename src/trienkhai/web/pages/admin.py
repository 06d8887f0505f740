"""Administration pages (admin role only): users, and the unit registry with aliases and groups."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, Response, UploadFile
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from trienkhai.deps import read_upload
from trienkhai.units import service as units
from trienkhai.units.models import Unit, UnitGroup, UnitKind
from trienkhai.units.registry_io import RegistryError
from trienkhai.units.schemas import UnitCreate, UnitUpdate
from trienkhai.users import service as users
from trienkhai.users.models import Role, User
from trienkhai.web.pages.common import (
    CsrfDep,
    PageRoute,
    SessionDep,
    flash,
    page_roles,
    redirect,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)
AdminDep = Depends(page_roles(Role.admin))
ROLES = [r.value for r in Role]
KINDS = [k.value for k in UnitKind]
NO_STORE = {"Cache-Control": "no-store"}  # pages may show a one-time password
Text = Annotated[str, Form()]
M = TypeVar("M", bound=BaseModel)


def _page(
    request: Request, name: str, ctx: dict[str, Any], user: User, code: int = 200
) -> Response:
    """An admin page, never cached."""
    response = render(request, name, ctx, user=user, status_code=code)
    response.headers.update(NO_STORE)
    return response


def _lines(text: str) -> list[str]:
    """One entry per non-blank line of a textarea."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _unit_id(value: str) -> int | None:
    """The unit chosen in a select ('' = none)."""
    return int(value) if value.strip().isdigit() else None


def _validated(model: type[M], data: dict[str, Any]) -> M:
    """The form as a registry shape; each wrong field named in Vietnamese (422)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = [f"trường '{'.'.join(str(p) for p in e['loc'])}': {e['msg']}" for e in exc.errors()]
        raise RegistryError(lines) from exc


# --- users ---------------------------------------------------------------------------------


@router.get("/admin")
def admin_home(user: User = AdminDep) -> Response:
    """The administration area starts with the users."""
    return redirect("/admin/users")


def _user_or_404(session: Session, user_id: int) -> User:
    """The user, or the 404 page."""
    found = users.get_user(session=session, user_id=user_id)
    if found is None:
        raise HTTPException(404, f"Không có người dùng số {user_id}.")
    return found


@router.get("/admin/users")
def user_list(request: Request, user: User = AdminDep, session: Session = SessionDep) -> Response:
    """Every account with its role, unit and state; the form to add one."""
    ctx = {
        "people": users.list_users(session=session),
        "unit_names": {u.id: u.name for u in units.list_units(session=session)},
        "units": units.list_units(session=session, active=True),
        "roles": ROLES,
        "one_time": request.session.pop("one_time_password", None),
    }
    return _page(request, "admin_users.html", ctx, user)


def _hand_over(request: Request, person: User, password: str) -> None:
    """Keep a generated password for the next page only, which shows it once."""
    request.session["one_time_password"] = {"username": person.username, "password": password}


@router.post("/admin/users", dependencies=[CsrfDep])
def create_user(
    request: Request,
    *,
    username: Text,
    role: Text,
    full_name: Text = "",
    email: Text = "",
    unit_id: Text = "",
    password: Text = "",
    user: User = AdminDep,
    session: Session = SessionDep,
) -> Response:
    """Add an account; without a typed password a one-time password is made and shown once."""
    secret = password or users.generate_password()
    person = users.create_user(session=session, username=username, password=secret, role=role,
                               full_name=full_name, email=email.strip() or None,
                               unit_id=_unit_id(unit_id), actor=user)  # fmt: skip
    if not password:
        _hand_over(request, person, secret)
    flash(request, "admin.user_created", name=person.username)
    return redirect(f"/admin/users/{person.id}")


@router.get("/admin/users/{user_id}")
def user_page(
    request: Request, user_id: int, user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """One account: profile, role and unit, sign-in state, password reset, recent activity."""
    person = _user_or_404(session, user_id)
    ctx = {
        "person": person,
        "units": units.list_units(session=session, active=True),
        "roles": ROLES,
        "one_time": request.session.pop("one_time_password", None),
        "history": users.list_audit(
            session=session, entity="user", entity_id=str(person.id), limit=20
        ),
    }
    return _page(request, "admin_user.html", ctx, user)


@router.post("/admin/users/{user_id}", dependencies=[CsrfDep])
def update_user(
    request: Request,
    *,
    user_id: int,
    role: Text,
    full_name: Text = "",
    email: Text = "",
    unit_id: Text = "",
    user: User = AdminDep,
    session: Session = SessionDep,
) -> Response:
    """Change the name, e-mail, role and unit of an account."""
    person = _user_or_404(session, user_id)
    changes = {"full_name": full_name, "email": email.strip() or None, "role": role,
               "unit_id": _unit_id(unit_id)}  # fmt: skip
    users.update_user(session=session, actor=user, user=person, changes=changes)
    flash(request, "admin.user_saved", name=person.username)
    return redirect(f"/admin/users/{person.id}")


@router.post("/admin/users/{user_id}/active", dependencies=[CsrfDep])
def set_active(
    request: Request,
    *,
    user_id: int,
    active: Annotated[bool, Form()],
    user: User = AdminDep,
    session: Session = SessionDep,
) -> Response:
    """Deactivate an account (it can no longer sign in) or reactivate it."""
    person = _user_or_404(session, user_id)
    users.update_user(session=session, actor=user, user=person, changes={"active": active})
    key = "admin.user_reactivated" if active else "admin.user_deactivated"
    flash(request, key, name=person.username)
    return redirect(f"/admin/users/{person.id}")


@router.post("/admin/users/{user_id}/password", dependencies=[CsrfDep])
def reset_password(
    request: Request,
    *,
    user_id: int,
    password: Text = "",
    user: User = AdminDep,
    session: Session = SessionDep,
) -> Response:
    """Set the typed password, or make a one-time password shown once on the next page."""
    person = _user_or_404(session, user_id)
    secret = password or users.generate_password()
    users.update_user(session=session, actor=user, user=person, changes={"password": secret})
    if not password:
        _hand_over(request, person, secret)
    flash(request, "admin.password_reset", name=person.username)
    return redirect(f"/admin/users/{person.id}")


# --- units ---------------------------------------------------------------------------------


def _unit_or_404(session: Session, unit_id: int) -> Unit:
    """The unit, or the 404 page."""
    unit = units.get(session=session, unit_id=unit_id)
    if unit is None:
        raise HTTPException(404, f"Không có đơn vị số {unit_id}.")
    return unit


def _units_context(session: Session, q: str) -> dict[str, Any]:
    """What the registry page lists."""
    return {"items": units.list_units(session=session, q=q or None), "q": q, "kinds": KINDS,
            "all_units": units.list_units(session=session), "errors": []}  # fmt: skip


@router.get("/admin/units")
def unit_list(
    request: Request, q: str = "", user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """The registry: units found by name, code or alias; add, import and export."""
    return _page(request, "admin_units.html", _units_context(session, q), user)


def _unit_fields(form: dict[str, str]) -> dict[str, Any]:
    """The unit form's fields as the registry shapes take them."""
    plain = ("name", "short_name", "kind", "contact_name", "email", "phone", "note")
    data: dict[str, Any] = {k: form.get(k, "").strip() for k in plain}
    for name in ("websites", "feeds", "fanpages"):
        data[name] = _lines(form.get(name, ""))
    data["parent"] = form.get("parent", "").strip() or None
    data["active"] = form.get("active") == "1"
    return data


async def _form(request: Request) -> dict[str, str]:
    """The posted form's text fields."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


@router.post("/admin/units", dependencies=[CsrfDep])
async def create_unit(
    request: Request, user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """Add a unit to the registry."""
    form = await _form(request)
    fields = _unit_fields(form) | {"code": form.get("code", "").strip()}
    data = _validated(UnitCreate, fields | {"aliases": _lines(form.get("aliases", ""))})
    unit = units.create_unit(session=session, data=data, actor=user)
    flash(request, "admin.unit_saved", name=unit.name)
    return redirect(f"/admin/units/{unit.id}")


@router.get("/admin/units/export")
def export_units(
    format: str = "yaml", user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """The whole registry as a YAML or CSV download (the file the import reads back)."""
    text = units.export_text(session=session, fmt=format)
    media = "text/csv" if format == "csv" else "application/yaml"
    headers = {"Content-Disposition": f'attachment; filename="don-vi.{format}"'}
    return Response(text, media_type=f"{media}; charset=utf-8", headers=headers)


@router.post("/admin/units/import", dependencies=[CsrfDep])
def import_units(
    request: Request,
    *,
    file: Annotated[UploadFile, File()],
    user: User = AdminDep,
    session: Session = SessionDep,
) -> Response:
    """Import a YAML or CSV registry: all or nothing; the page lists every row error."""
    name = file.filename or "don-vi.yaml"
    try:
        text = read_upload(file, name=name).decode("utf-8-sig")
        registry = units.parse_registry(text=text, filename=name)
        summary = units.import_registry(session=session, registry=registry, actor=user,
                                        source=name)  # fmt: skip
    except UnicodeDecodeError:
        return _import_refused(request, session, user, [f"{name}: tệp phải là UTF-8"])
    except RegistryError as exc:
        return _import_refused(request, session, user, exc.errors)
    flash(request, "admin.imported", created=summary.created, updated=summary.updated,
          groups=summary.groups)  # fmt: skip
    return redirect("/admin/units")


def _import_refused(request: Request, session: Session, user: User, errors: list[str]) -> Response:
    """The registry page again, with the file's problems; nothing of the file is kept."""
    request.state.failed = True
    ctx = _units_context(session, "") | {"errors": errors}
    return _page(request, "admin_units.html", ctx, user, code=422)


@router.get("/admin/units/{unit_id}")
def unit_page(
    request: Request, unit_id: int, user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """One unit: its fields, its aliases and the groups it belongs to."""
    unit = _unit_or_404(session, unit_id)
    parent = units.get(session=session, unit_id=unit.parent_id) if unit.parent_id else None
    ctx = {"unit": unit, "aliases": units.aliases_of(unit), "kinds": KINDS,
           "parent_code": parent.code if parent else "",
           "all_units": units.list_units(session=session)}  # fmt: skip
    return _page(request, "admin_unit.html", ctx, user)


@router.post("/admin/units/{unit_id}", dependencies=[CsrfDep])
async def update_unit(
    request: Request, unit_id: int, user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """Change a unit's fields (its aliases and groups stay)."""
    unit = _unit_or_404(session, unit_id)
    data = _validated(UnitUpdate, _unit_fields(await _form(request)))
    units.update_unit(session=session, unit=unit, data=data, actor=user)
    flash(request, "admin.unit_saved", name=unit.name)
    return redirect(f"/admin/units/{unit.id}")


@router.post("/admin/units/{unit_id}/aliases", dependencies=[CsrfDep])
def add_alias(
    request: Request,
    *,
    unit_id: int,
    alias: Text,
    user: User = AdminDep,
    session: Session = SessionDep,
) -> Response:
    """Add a name under which directives name the unit."""
    unit = _unit_or_404(session, unit_id)
    units.add_alias(session=session, unit=unit, alias=alias, actor=user)
    flash(request, "admin.alias_added", alias=alias.strip())
    return redirect(f"/admin/units/{unit.id}")


@router.post("/admin/units/{unit_id}/aliases/remove", dependencies=[CsrfDep])
def remove_alias(
    request: Request,
    *,
    unit_id: int,
    alias: Text,
    user: User = AdminDep,
    session: Session = SessionDep,
) -> Response:
    """Remove one alias of the unit."""
    unit = _unit_or_404(session, unit_id)
    units.remove_alias(session=session, unit=unit, alias=alias, actor=user)
    flash(request, "admin.alias_removed", alias=alias)
    return redirect(f"/admin/units/{unit.id}")


# --- groups --------------------------------------------------------------------------------


def _group_or_404(session: Session, code: str) -> UnitGroup:
    """The group, or the 404 page."""
    group = units.get_group_by_code(session=session, code=code)
    if group is None:
        raise HTTPException(404, f"Không có nhóm đơn vị mã '{code}'.")
    return group


@router.get("/admin/groups")
def group_list(request: Request, user: User = AdminDep, session: Session = SessionDep) -> Response:
    """Every group of units with its size; the form to add one."""
    return _page(request, "admin_groups.html", {"groups": units.list_groups(session=session)}, user)


@router.post("/admin/groups", dependencies=[CsrfDep])
def create_group(
    request: Request,
    *,
    code: Text,
    name: Text,
    aliases: Text = "",
    user: User = AdminDep,
    session: Session = SessionDep,
) -> Response:
    """Add a group (members are chosen on its page)."""
    if units.get_group_by_code(session=session, code=code) is not None:
        raise RegistryError([f"trường 'code': nhóm mã '{code.strip()}' đã có (already exists)"])
    group = units.save_group(session=session, code=code, name=name, aliases=_lines(aliases),
                             unit_ids=[], actor=user)  # fmt: skip
    flash(request, "admin.group_saved", name=group.name)
    return redirect(f"/admin/groups/{group.code}")


@router.get("/admin/groups/{code}")
def group_page(
    request: Request, code: str, user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """One group: its name, the phrases naming it and its members."""
    group = _group_or_404(session, code)
    ctx = {"group": group, "members": {u.id for u in group.units},
           "all_units": units.list_units(session=session)}  # fmt: skip
    return _page(request, "admin_group.html", ctx, user)


@router.post("/admin/groups/{code}", dependencies=[CsrfDep])
async def update_group(
    request: Request, code: str, user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """Change the group's name, phrases and members."""
    group = _group_or_404(session, code)
    form = await request.form()
    members = [int(v) for v in form.getlist("members") if isinstance(v, str) and v.isdigit()]
    units.save_group(session=session, code=group.code, name=str(form.get("name") or ""),
                     aliases=_lines(str(form.get("aliases") or "")), unit_ids=members,
                     actor=user)  # fmt: skip
    flash(request, "admin.group_saved", name=group.name)
    return redirect(f"/admin/groups/{group.code}")
