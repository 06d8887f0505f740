"""Sign in, sign out, language switch and the vendored static files."""

from __future__ import annotations

import mimetypes
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from trienkhai.deps import optional_user
from trienkhai.users import service as users
from trienkhai.users.models import Role, User
from trienkhai.web.i18n import pick_language, translate
from trienkhai.web.pages.common import (
    WEB_DIR,
    CsrfDep,
    PageRoute,
    SessionDep,
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
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
    session: Session = SessionDep,
) -> Response:
    """Check the password; on success remember the user in the session cookie."""
    user = users.authenticate(session=session, username=username, password=password)
    if user is None:
        message = translate("login.failed", language(request))
        ctx = {"error": message, "username": username, "next": _safe_next(next) or ""}
        return render(request, "login.html", ctx, status_code=401)
    request.session.clear()
    request.session["uid"] = user.id
    users.audit(session=session, actor=user, action="login", entity="user", entity_id=user.id)
    response = redirect(_safe_next(next) or home_for(user))
    response.set_cookie("lang", user.language, max_age=365 * 86400, samesite="lax")
    return response


@router.post("/logout", dependencies=[CsrfDep])
def logout(request: Request) -> Response:
    """Forget the signed-in user."""
    request.session.clear()
    return redirect("/login")


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
