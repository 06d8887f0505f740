"""Shapes of users, tokens and audit rows in and out of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from trienkhai.patch import PatchModel
from trienkhai.users.models import Role


class TokenRequest(BaseModel):
    """Credentials exchanged for a bearer token."""

    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1024)


class TokenRead(BaseModel):
    """A bearer token and how long it lives."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class UserCreate(BaseModel):
    """A new user (admin only)."""

    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1024)  # the policy's own message says why
    role: Role
    full_name: str = ""
    email: str | None = None
    unit_id: int | None = None


class UserUpdate(PatchModel):
    """Fields to change on a user; omitted fields stay as they are."""

    full_name: str | None = None
    email: str | None = None
    role: Role | None = None
    unit_id: int | None = None
    active: bool | None = None
    language: str | None = Field(default=None, pattern="^(vi|en)$")
    password: str | None = Field(default=None, min_length=1, max_length=1024)


class PasswordChange(BaseModel):
    """One's own password change: the current password and the new one."""

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)

    nullable: ClassVar[frozenset[str]] = frozenset({"email", "unit_id"})


class UserRead(BaseModel):
    """A user as the API returns it (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    email: str | None
    role: str
    unit_id: int | None
    language: str
    active: bool


class AuditRead(BaseModel):
    """One audit-log row."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any]
    summary: str
