"""Sign in, sign out, language switch and the vendored static files."""

from __future__ import annotations

import mimetypes
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from trienkhai.deps import client_address, optional_user, sign_in_session
from trienkhai.users import service as users
from trienkhai.users.models import Role, User
from trienkhai.users.throttle import LockedOutError
from trienkhai.web.i18n import pick_language, translate
from trienkhai.web.pages.common import (
    WEB_DIR,
    CsrfDep,
    PageRoute,
    SessionDep,
    UserDep,
    flash,
    language,
    redirect,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)
STATIC = (WEB_DIR / "static").resolve()


def home_for(user: User) -> str:
    """Where a user lands after signing in: their unit for unit editors, the campaigns otherwise."""
    if user.role == Role.unit_editor.value and user.unit_id is not None:
        return f"/units/{user.unit_id}"
    return "/campaigns"


def _safe_next(target: str | None) -> str | None:
    """A local path to return to after sign-in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read "/\\host" as "//host" and drop tabs and line breaks: all would leave the site.
    if "\\" in target or any(ord(ch) < 0x20 for ch in target):
        return None
    return target


@router.get("/")
def index(request: Request, session: Session = SessionDep) -> Response:
    """The start page: sign in, or the user's home."""
    user = optional_user(request, session)
    return redirect(home_for(user) if user else "/login")


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    return render(request, "login.html", {"next": _safe_next(next) or ""})


@router.post("/login", dependencies=[CsrfDep])
def login(
    request: Request,
    *,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "",
    session: Session = SessionDep,
) -> Response:
    """Check the password (throttled); on success remember the user in the session cookie."""
    ctx = {"username": username, "next": _safe_next(next) or ""}
    try:
        user = users.sign_in(
            session=session, username=username, password=password, address=client_address(request)
        )
    except LockedOutError as exc:
        return render(request, "login.html", {**ctx, "error": str(exc)}, status_code=429)
    if user is None:
        ctx["error"] = translate("login.failed", language(request))
        return render(request, "login.html", ctx, status_code=401)
    sign_in_session(request, user)
    response = redirect(_safe_next(next) or home_for(user))
    response.set_cookie("lang", user.language, max_age=365 * 86400, samesite="lax")
    return response


@router.post("/logout", dependencies=[CsrfDep])
def logout(request: Request, session: Session = SessionDep) -> Response:
    """Sign out: every session and token of the user ends, not only this browser's."""
    user = optional_user(request, session)
    if user is not None:
        users.end_sessions(session=session, user=user)
    request.session.clear()
    return redirect("/login")


@router.get("/account/password")
def password_form(request: Request, user: User = UserDep) -> Response:
    """The form to change one's own password."""
    return render(request, "password.html", {}, user=user)


@router.post("/account/password", dependencies=[CsrfDep])
def change_password(
    request: Request,
    *,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
    confirm: Annotated[str, Form(max_length=1024)],
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Change one's own password; other browsers and tokens are signed out."""
    try:
        if new != confirm:
            raise users.UserError(translate("password.mismatch", language(request, user)))
        users.change_own_password(session=session, user=user, current=current, new=new)
    except users.UserError as exc:
        request.state.failed = True
        return render(request, "password.html", {"error": str(exc)}, user=user, status_code=422)
    sign_in_session(request, user)  # the new session version: this browser stays signed in
    flash(request, "password.changed")
    return redirect(home_for(user))


@router.post("/account/calendar-links/revoke", dependencies=[CsrfDep])
def revoke_calendar_links(
    request: Request, user: User = UserDep, session: Session = SessionDep
) -> Response:
    """Revoke every calendar link the user has made."""
    users.revoke_calendar_links(session=session, user=user)
    flash(request, "password.calendar_revoked")
    return redirect("/account/password")


@router.get("/lang/{code}")
def switch_language(
    request: Request,
    *,
    code: str,
    next: str | None = None,
    session: Session = SessionDep,
) -> Response:
    """Switch the interface language (cookie, and the user's setting when signed in)."""
    lang = pick_language(code)
    user = optional_user(request, session)
    if user is not None:
        user.language = lang
    response = redirect(_safe_next(next) or "/")
    response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/static/{path:path}")
def static(path: str) -> Response:
    """A vendored asset (no CDN anywhere); long cache, versioned file names."""
    target = (STATIC / path).resolve()
    if not target.is_file() or STATIC not in target.parents:
        raise HTTPException(404, "Không tìm thấy tệp.")
    media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target, media_type=media, headers={"Cache-Control": "max-age=86400"})
