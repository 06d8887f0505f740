"""Shapes of units and groups for the API, the CLI and the YAML/CSV registry files."""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trienkhai.patch import PatchModel
from trienkhai.text import nfc
from trienkhai.units.models import UnitKind

_CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")


def _clean(value: str) -> str:
    """NFC with outer spaces removed: how every registry text is stored."""
    return " ".join(nfc(value).split())


def check_code(value: str) -> str:
    """A registry code: a short lower-case slug, so files and URLs can carry it."""
    value = value.strip()
    if not _CODE.match(value):
        msg = "mã phải là chữ thường không dấu, số, '-', '_' hoặc '.' (a lower-case slug)"
        raise ValueError(msg)
    return value


def _clean_list(values: list[str]) -> list[str]:
    """Cleaned, non-empty, de-duplicated texts in their original order."""
    seen: dict[str, None] = {}
    for value in values:
        text = _clean(value)
        if text:
            seen.setdefault(text, None)
    return list(seen)


class UnitBase(BaseModel):
    """Fields a unit shares between create, import and read."""

    # Stripped before the length checks: a name of only a vertical tab was stored as "" (fuzz).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=255)
    short_name: str = Field(default="", max_length=120)
    kind: UnitKind = UnitKind.other
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    websites: list[str] = Field(default_factory=list)
    feeds: list[str] = Field(default_factory=list)
    fanpages: list[str] = Field(default_factory=list)
    active: bool = True
    note: str = ""

    @field_validator("name", "short_name", "contact_name", "email", "phone", "note")
    @classmethod
    def _nfc(cls, value: str) -> str:
        """NFC on entry."""
        return _clean(value)

    @field_validator("websites", "feeds", "fanpages")
    @classmethod
    def _nfc_list(cls, value: list[str]) -> list[str]:
        """NFC on entry, duplicates dropped."""
        return _clean_list(value)


class UnitCreate(UnitBase):
    """A new unit (or one row of an import file)."""

    code: str
    parent: str | None = None  # parent unit code
    aliases: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)  # group codes

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        """Codes are short lower-case slugs."""
        return check_code(value)

    @field_validator("aliases", "groups")
    @classmethod
    def _nfc_aliases(cls, value: list[str]) -> list[str]:
        """NFC on entry, duplicates dropped."""
        return _clean_list(value)


class UnitUpdate(PatchModel):
    """A partial change of a unit; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=255)
    short_name: str | None = None
    kind: UnitKind | None = None
    parent: str | None = None
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    websites: list[str] | None = None
    feeds: list[str] | None = None
    fanpages: list[str] | None = None
    active: bool | None = None
    note: str | None = None
    aliases: list[str] | None = None
    groups: list[str] | None = None

    nullable: ClassVar[frozenset[str]] = frozenset({"parent"})


class UnitRead(UnitBase):
    """A unit as the API returns it."""

    model_config = ConfigDict(extra="ignore")

    id: int
    code: str
    parent: str | None = None
    aliases: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)


class UnitBrief(BaseModel):
    """A unit named inside another record (assignment, resolution)."""

    id: int
    code: str
    name: str
    kind: str


class GroupCreate(BaseModel):
    """A group of units; members are explicit codes, every unit of some kinds, or other groups."""

    model_config = ConfigDict(extra="forbid")

    code: str
    name: str = Field(min_length=1, max_length=255)
    aliases: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    kinds: list[UnitKind] = Field(default_factory=list)
    include: list[str] = Field(default_factory=list)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        """Codes are short lower-case slugs."""
        return check_code(value)

    @field_validator("name")
    @classmethod
    def _nfc(cls, value: str) -> str:
        """NFC on entry."""
        return _clean(value)

    @field_validator("aliases", "units", "include")
    @classmethod
    def _nfc_list(cls, value: list[str]) -> list[str]:
        """NFC on entry, duplicates dropped."""
        return _clean_list(value)


class GroupRead(BaseModel):
    """A group as the API returns it."""

    id: int
    code: str
    name: str
    aliases: list[str]
    units: list[UnitBrief]


class RegistryFile(BaseModel):
    """A whole registry file: units then groups."""

    model_config = ConfigDict(extra="ignore")

    province: str = ""
    as_of: str = ""
    units: list[UnitCreate] = Field(default_factory=list)
    groups: list[GroupCreate] = Field(default_factory=list)


class ResolutionRead(BaseModel):
    """What a recipient phrase resolved to."""

    phrase: str
    resolved: bool
    via: str  # "unit", "group", "split" or "none"
    group: str | None = None
    units: list[UnitBrief]


class ImportSummary(BaseModel):
    """Counts of an import."""

    created: int = 0
    updated: int = 0
    groups: int = 0
