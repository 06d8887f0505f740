"""Shared pieces of the web desk: templates, page rendering, HTML errors, CSRF, role guards."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from fastapi import Depends, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from trienkhai.deps import SESSION, optional_user
from trienkhai.outputs.channels import channel_label, form_label
from trienkhai.reports import ics
from trienkhai.settings import get_settings
from trienkhai.users.models import Role, User
from trienkhai.web.i18n import pick_language, screen_date, t, translate

WEB_DIR = Path(__file__).resolve().parents[1]
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
templates.env.globals["t"] = t
templates.env.filters["d"] = screen_date
templates.env.filters["channel"] = channel_label
templates.env.filters["form"] = form_label

STAFF = (Role.admin, Role.coordinator, Role.leader)
EDITORS = (Role.admin, Role.coordinator)


class LoginRequired(Exception):  # noqa: N818 - a signal, not an error
    """Raised by page guards when nobody is signed in; the page route redirects to /login."""


def language(request: Request, user: User | None = None) -> str:
    """The page language: ?lang=, then the cookie, then the user's setting, then the default."""
    return pick_language(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        user.language if user else None,
        get_settings().language,
    )


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    user: User | None = None,
    status_code: int = 200,
) -> Response:
    """Render a page template with the language, user, CSRF token and flash message."""
    lang = language(request, user)
    ctx: dict[str, Any] = {
        "lang": lang,
        "user": user,
        "csrf": csrf_token(request),
        "flash": request.session.pop("flash", None),
        "path": request.url.path,
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    if request.query_params.get("lang") in ("vi", "en"):
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    return response


def flash(request: Request, key: str, **values: Any) -> None:
    """Keep a translated message for the next page."""
    request.session["flash"] = translate(key, language(request), **values)


def redirect(url: str) -> RedirectResponse:
    """A 303 redirect after a POST (the browser follows with a GET)."""
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def error_page(request: Request, code: int, message: str) -> Response:
    """The HTML error page for a 4xx, with its message in plain Vietnamese."""
    return render(request, "error.html", {"code": code, "message": message}, status_code=code)


class PageRoute(APIRoute):
    """A route whose HTTP errors render the HTML error page and whose 401 redirects to sign-in."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the handler so HTTP and validation errors become pages."""
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except LoginRequired:
                return redirect(f"/login?next={request.url.path}")
            except HTTPException as exc:
                request.state.failed = True  # get_session rolls back what the route wrote
                if exc.status_code == status.HTTP_401_UNAUTHORIZED:
                    return redirect(f"/login?next={request.url.path}")
                return error_page(request, exc.status_code, str(exc.detail))
            except RequestValidationError as exc:
                request.state.failed = True
                return error_page(request, 422, _validation_message(exc))

        return handler


def _validation_message(exc: RequestValidationError) -> str:
    """A plain Vietnamese sentence naming the fields that were missing or wrong."""
    fields = sorted({str(e.get("loc", ("", ""))[-1]) for e in exc.errors()})
    return "Dữ liệu gửi lên thiếu hoặc sai ở: " + ", ".join(fields)


def page_user(user: User | None = Depends(optional_user)) -> User:  # noqa: B008
    """The signed-in user of a page; anonymous visitors are sent to sign in."""
    if user is None:
        raise LoginRequired
    return user


def page_roles(*roles: Role) -> Callable[[User], User]:
    """A page guard admitting only the given roles (403 page otherwise)."""
    allowed = {r.value for r in roles}

    def check(user: User = Depends(page_user)) -> User:  # noqa: B008
        if user.role not in allowed:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Bạn không có quyền xem trang này.")
        return user

    return check


async def check_csrf(request: Request) -> None:
    """Refuse a POST whose form (or HX header) does not carry the session's CSRF token."""
    form = await request.form()
    value = form.get("csrf")
    sent = value if isinstance(value, str) else request.headers.get("x-csrf-token")
    if not sent or sent != request.session.get("csrf"):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; hãy tải lại trang và thử lại.",
        )


def ics_url(request: Request, scope: str, ident: int) -> str:
    """The subscribable URL of a deadlines feed, with its signed token (as the API offers it)."""
    url = request.url_for(f"{scope}_ics", **{f"{scope}_id": ident})
    return f"{url}?token={ics.feed_token(scope, ident)}"


templates.env.globals["ics_url"] = ics_url

SessionDep = SESSION
UserDep = Depends(page_user)
StaffDep = Depends(page_roles(*STAFF))
EditorDep = Depends(page_roles(*EDITORS))
CsrfDep = Depends(check_csrf)
