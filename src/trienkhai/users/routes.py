"""JSON API for sign-in tokens, the current user, user administration and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from trienkhai.deps import Admin, Reader, SessionDep, client_address, current_user, require_roles
from trienkhai.users import service
from trienkhai.users.models import Role, User
from trienkhai.users.schemas import (
    AuditRead,
    PasswordChange,
    TokenRead,
    TokenRequest,
    UserCreate,
    UserRead,
    UserUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["users"])
Auditor = Annotated[User, Depends(require_roles(Role.admin, Role.coordinator))]


@router.post("/auth/token", response_model=TokenRead)
def token(body: TokenRequest, request: Request, session: SessionDep) -> TokenRead | JSONResponse:
    """Exchange a username and password for a bearer token (401 bad credentials, 429 locked)."""
    user = service.sign_in(
        session=session,
        username=body.username,
        password=body.password,
        address=client_address(request),
    )
    if user is None:  # answered, not raised: the counted failure must be committed
        return JSONResponse(
            {"detail": "Sai tên đăng nhập hoặc mật khẩu"},
            status_code=status.HTTP_401_UNAUTHORIZED,
            headers={"WWW-Authenticate": "Bearer"},
        )
    service.audit(session=session, actor=user, action="token", entity="user", entity_id=user.id)
    return TokenRead(access_token=service.issue_token(user), expires_in=service.token_max_age())


@router.post("/auth/password")
def change_password(
    body: PasswordChange, request: Request, session: SessionDep, user: Reader
) -> TokenRead:
    """Change one's own password; every other session and token ends; returns a fresh token."""
    service.change_own_password(
        session=session, user=user, current=body.current_password, new=body.new_password
    )
    if request.session.get("uid") == user.id:
        request.session["sv"] = user.session_version  # this browser stays signed in
    return TokenRead(access_token=service.issue_token(user), expires_in=service.token_max_age())


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, session: SessionDep, user: Reader) -> None:
    """End every session and token of the signed-in user."""
    service.end_sessions(session=session, user=user)
    request.session.clear()


@router.post("/auth/calendar-links/revoke", status_code=status.HTTP_204_NO_CONTENT)
def revoke_calendar_links(session: SessionDep, user: Reader) -> None:
    """Revoke every calendar-feed link the signed-in user has made."""
    service.revoke_calendar_links(session=session, user=user)


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
