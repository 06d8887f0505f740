"""FastAPI dependencies: database session per request, current user, role checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, UploadFile, status
from sqlalchemy.orm import Session, sessionmaker

from trienkhai.settings import get_settings
from trienkhai.users import service as users
from trienkhai.users.models import Role, User


def get_session(request: Request) -> Iterator[Session]:
    """A session for the request: committed when the handler succeeds, rolled back otherwise.

    Page routes turn errors into HTML pages instead of raising, so they set
    `request.state.failed`, which rolls back here as a raised error would.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        yield session
        if getattr(request.state, "failed", False):
            session.rollback()  # the page answered with an error: nothing it wrote may stay
        else:
            session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit (or roll back) before the response is sent. With the default
# ("request") the commit ran after the client already had its 201, so a commit that failed
# (database gone, conflict) was an acknowledged write that was lost.
SESSION = Depends(get_session, scope="function")


def optional_user(request: Request, session: Session = SESSION) -> User | None:
    """The signed-in user from a bearer token or the session cookie, or None."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return users.user_from_token(session=session, token=header[7:].strip())
    uid = request.session.get("uid") if "session" in request.scope else None
    if uid is None:
        return None
    user = session.get(User, int(uid))
    return user if user is not None and user.active else None


def current_user(user: User | None = Depends(optional_user)) -> User:  # noqa: B008
    """The signed-in user; 401 otherwise."""
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Chưa đăng nhập (not signed in)")
    return user


def require_roles(*roles: Role) -> Callable[[User], User]:
    """A dependency that admits only the given roles (403 otherwise)."""
    allowed = {r.value for r in roles}

    def check(user: User = Depends(current_user)) -> User:  # noqa: B008
        if user.role not in allowed:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Không có quyền (forbidden)")
        return user

    return check


def ensure_unit_access(user: User, unit_id: int) -> None:
    """Unit editors may touch only their own unit; 403 otherwise."""
    if user.role == Role.unit_editor.value and user.unit_id != unit_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Chỉ được thao tác trên đơn vị của mình")


def read_upload(upload: UploadFile, *, name: str | None = None) -> bytes:
    """The upload's bytes, refused (413) past the size limit without reading the rest."""
    limit = get_settings().max_upload_mb * 1024 * 1024
    upload.file.seek(0)
    content = upload.file.read(limit + 1)
    if len(content) > limit:
        label = name or upload.filename or "tệp"
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"{label}: tệp quá lớn, giới hạn {limit // 2**20} MB (file too large)",
        )
    return content


# Dependency aliases shared by the feature routers, so each role set is spelled once.
SessionDep = Annotated[Session, SESSION]
Reader = Annotated[User, Depends(current_user)]
Staff = Annotated[User, Depends(require_roles(Role.admin, Role.coordinator, Role.leader))]
Coordinator = Annotated[User, Depends(require_roles(Role.admin, Role.coordinator))]
Admin = Annotated[User, Depends(require_roles(Role.admin))]
Writer = Annotated[User, Depends(require_roles(Role.admin, Role.coordinator, Role.unit_editor))]
