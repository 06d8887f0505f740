"""JSON API of the units registry: units, groups, resolution, import and export."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Literal

from fastapi import APIRouter, File, HTTPException, Query, Response, UploadFile, status
from sqlalchemy.orm import Session

from trienkhai.deps import (
    Admin,
    Reader,
    SessionDep,
    Staff,
)
from trienkhai.units import service as units
from trienkhai.units.models import Unit, UnitKind
from trienkhai.units.registry_io import RegistryError
from trienkhai.units.schemas import (
    GroupRead,
    ImportSummary,
    ResolutionRead,
    UnitCreate,
    UnitRead,
    UnitUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["units"])


@contextmanager
def http_errors() -> Iterator[None]:
    """Registry errors as 422 with every problem listed."""
    try:
        yield
    except RegistryError as exc:
        detail = {"message": exc.errors[0] if exc.errors else str(exc), "errors": exc.errors}
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail) from exc


def _unit(session: Session, unit_id: int) -> Unit:
    """The unit or 404."""
    unit = units.get(session=session, unit_id=unit_id)
    if unit is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Không có đơn vị số {unit_id}")
    return unit


@router.get("/units", response_model=list[UnitRead])
def list_units(
    session: SessionDep,
    _user: Reader,
    q: str | None = None,
    kind: UnitKind | None = None,
    active: bool | None = None,
) -> list[UnitRead]:
    """Units; `q` searches names and aliases ignoring diacritics."""
    found = units.list_units(session=session, q=q, kind=kind.value if kind else None, active=active)
    return [units.to_read(u) for u in found]


@router.get("/units/export")
def export_units(
    session: SessionDep, _user: Staff, fmt: Literal["yaml", "csv"] = Query("yaml", alias="format")
) -> Response:
    """The registry as a YAML or CSV download."""
    text = units.export_text(session=session, fmt=fmt)
    media = "text/csv" if fmt == "csv" else "application/yaml"
    headers = {"Content-Disposition": f'attachment; filename="units.{fmt}"'}
    return Response(text, media_type=f"{media}; charset=utf-8", headers=headers)


@router.post("/units/import", response_model=ImportSummary)
def import_units(
    session: SessionDep, user: Admin, file: Annotated[UploadFile, File()]
) -> ImportSummary:
    """Import a YAML or CSV registry file: all or nothing, updates by code."""
    raw = file.file.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = f"{file.filename}: tệp phải là UTF-8 (file must be UTF-8)"
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, msg) from exc
    name = file.filename or "registry.yaml"
    with http_errors():
        registry = units.parse_registry(text=text, filename=name)
        return units.import_registry(session=session, registry=registry, actor=user, source=name)


@router.get("/units/resolve", response_model=ResolutionRead)
def resolve(session: SessionDep, _user: Staff, phrase: str) -> ResolutionRead:
    """Which units a recipient phrase names."""
    return units.resolve_phrase(session=session, phrase=phrase).read()


@router.get("/units/{unit_id}", response_model=UnitRead)
def get_unit(session: SessionDep, _user: Reader, unit_id: int) -> UnitRead:
    """One unit."""
    return units.to_read(_unit(session, unit_id))


@router.post("/units", response_model=UnitRead, status_code=status.HTTP_201_CREATED)
def create_unit(session: SessionDep, user: Admin, data: UnitCreate) -> UnitRead:
    """Add a unit."""
    with http_errors():
        return units.to_read(units.create_unit(session=session, data=data, actor=user))


@router.patch("/units/{unit_id}", response_model=UnitRead)
def update_unit(session: SessionDep, user: Admin, unit_id: int, data: UnitUpdate) -> UnitRead:
    """Change a unit."""
    unit = _unit(session, unit_id)
    with http_errors():
        return units.to_read(units.update_unit(session=session, unit=unit, data=data, actor=user))


@router.delete("/units/{unit_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_unit(session: SessionDep, user: Admin, unit_id: int) -> Response:
    """Remove a unit no campaign assigns (409 otherwise)."""
    unit = _unit(session, unit_id)
    try:
        units.delete_unit(session=session, unit=unit, actor=user)
    except RegistryError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/groups", response_model=list[GroupRead])
def list_groups(session: SessionDep, _user: Reader) -> list[GroupRead]:
    """Groups with their members."""
    return [units.group_read(g) for g in units.list_groups(session=session)]


@router.get("/groups/{code}", response_model=GroupRead)
def get_group(session: SessionDep, _user: Reader, code: str) -> GroupRead:
    """One group."""
    group = units.get_group_by_code(session=session, code=code)
    if group is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Không có nhóm mã '{code}'")
    return units.group_read(group)
