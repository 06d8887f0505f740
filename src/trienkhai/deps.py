"""FastAPI dependencies: database session per request, current user, role checks."""

from __future__ import annotations

import secrets
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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def optional_user(request: Request, session: Session = SESSION) -> User | None:
    """The signed-in user from a bearer token or the session cookie, or None.

    A cookie names the user and the session version it was issued under; once the user signs
    out, changes password or role, or is deactivated, the version moves on and the cookie is dead.
    """
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return users.user_from_token(session=session, token=header[7:].strip())
    data = request.session if "session" in request.scope else {}
    if data.get("uid") is None:
        return None
    user = users.user_for_session(session=session, uid=data.get("uid"), version=data.get("sv"))
    if user is not None and request.url.path.startswith("/api/"):
        _check_api_csrf(request)
    return user


def _check_api_csrf(request: Request) -> None:
    """A cookie-authenticated API write must carry the session's CSRF token (X-CSRF-Token)."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token", "")
    expected = request.session.get("csrf")
    if not expected or not secrets.compare_digest(str(sent), str(expected)):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token) cho yêu cầu dùng cookie phiên; "
            "dùng mã Bearer hoặc gửi mã của trang.",
        )


def sign_in_session(request: Request, user: User) -> None:
    """Remember the user in a fresh session cookie under their current session version."""
    request.session.clear()
    request.session["uid"] = user.id
    request.session["sv"] = user.session_version


def client_address(request: Request) -> str:
    """The client's address as the server sees it (counted by the sign-in throttle)."""
    return request.client.host if request.client else "unknown"


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
