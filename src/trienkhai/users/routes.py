"""JSON API for sign-in tokens, the current user, user administration and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy.orm import Session

from trienkhai.deps import Admin, SessionDep, current_user, require_roles
from trienkhai.users import service
from trienkhai.users.models import Role, User
from trienkhai.users.schemas import (
    AuditRead,
    TokenRead,
    TokenRequest,
    UserCreate,
    UserRead,
    UserUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["users"])
Auditor = Annotated[User, Depends(require_roles(Role.admin, Role.coordinator))]


@router.post("/auth/token")
def token(body: TokenRequest, session: SessionDep) -> TokenRead:
    """Exchange a username and password for a bearer token (401 on bad credentials)."""
    user = service.authenticate(session=session, username=body.username, password=body.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Sai tên đăng nhập hoặc mật khẩu",
            headers={"WWW-Authenticate": "Bearer"},
        )
    service.audit(session=session, actor=user, action="token", entity="user", entity_id=user.id)
    return TokenRead(access_token=service.issue_token(user), expires_in=service.TOKEN_MAX_AGE)


@router.get("/auth/me")
def me(user: Annotated[User, Depends(current_user)]) -> UserRead:
    """The signed-in user."""
    return UserRead.model_validate(user)


@router.get("/users")
def list_users(session: SessionDep, _: Admin) -> list[UserRead]:
    """Every user (admin)."""
    return [UserRead.model_validate(u) for u in service.list_users(session=session)]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, actor: Admin) -> UserRead:
    """Add a user (admin)."""
    user = service.create_user(session=session, actor=actor, **body.model_dump())
    return UserRead.model_validate(user)


def _user(session: Session, user_id: int) -> User:
    """The user or 404."""
    user = service.get_user(session=session, user_id=user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Không có người dùng {user_id}")
    return user


@router.get("/users/{user_id}")
def get_user(user_id: int, session: SessionDep, _: Admin) -> UserRead:
    """One user (admin)."""
    return UserRead.model_validate(_user(session, user_id))


@router.patch("/users/{user_id}")
def update_user(user_id: int, body: UserUpdate, session: SessionDep, actor: Admin) -> UserRead:
    """Change a user (admin)."""
    user = _user(session, user_id)
    changes = body.model_dump(exclude_unset=True)
    service.update_user(session=session, actor=actor, user=user, changes=changes)
    return UserRead.model_validate(user)


@router.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: int, session: SessionDep, actor: Admin) -> None:
    """Delete a user (admin; not oneself)."""
    service.delete_user(session=session, actor=actor, user=_user(session, user_id))


@router.get("/audit")
def audit_log(
    *,
    session: SessionDep,
    _: Auditor,
    entity: str | None = None,
    entity_id: str | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AuditRead]:
    """The audit log, newest first (admin, coordinator)."""
    rows = service.list_audit(
        session=session,
        entity=entity,
        entity_id=entity_id,
        actor_id=actor_id,
        since=since,
        limit=limit,
        offset=offset,
    )
    return [AuditRead.model_validate(r) for r in rows]
