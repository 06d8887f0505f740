"""Shared pieces of the web desk: templates, page rendering, HTML errors, CSRF, role guards."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from trienkhai.campaigns.models import Campaign
from trienkhai.deps import SESSION, optional_user
from trienkhai.outputs.channels import channel_label, form_label
from trienkhai.reports import ics
from trienkhai.settings import get_settings
from trienkhai.units.models import Unit
from trienkhai.users.models import Role, User
from trienkhai.web.i18n import pick_language, screen_date, t, translate

WEB_DIR = Path(__file__).resolve().parents[1]
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
templates.env.globals["t"] = t
templates.env.filters["d"] = screen_date
templates.env.filters["channel"] = channel_label
templates.env.filters["form"] = form_label


@pass_context
def directive_number(context: Context, value: str | None) -> str:
    """A directive's number as screens print it: a draft's blank number is said, not hidden."""
    if not value:
        return ""
    if value.startswith("/"):  # "Số: /STTTT-TTBCXB": the number is left for the clerk to fill
        return translate("library.no_number", str(context.get("lang") or "vi")) + value
    return value


templates.env.filters["docnum"] = directive_number

STAFF = (Role.admin, Role.coordinator, Role.leader)
EDITORS = (Role.admin, Role.coordinator)


class LoginRequired(Exception):  # noqa: N818 - a signal, not an error
    """Raised by page guards when nobody is signed in; the app's handler redirects to /login."""


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


SERVER_ERROR = (
    "Máy chủ gặp lỗi khi xử lý yêu cầu; không có thay đổi nào được lưu. "
    "Hãy thử lại, nếu vẫn lỗi hãy báo quản trị viên."
)
# What a numeric path parameter names, for "the address is wrong" messages.
PATH_NOUNS = {
    "campaign_id": "chiến dịch",
    "directive_id": "văn bản",
    "unit_id": "đơn vị",
    "user_id": "người dùng",
    "assignment_id": "nhiệm vụ",
    "output_id": "sản phẩm",
    "phrase_id": "cụm từ",
    "file_id": "tệp",
    "theme_id": "chủ đề",
}
# Messages for the status codes Starlette raises with its English reason phrase.
STATUS_KEYS = {404: "error.404", 405: "error.405", 403: "error.403", 413: "error.413"}


class PageRoute(APIRoute):
    """A desk page's route; its errors become pages in the app's handlers (web/app.py)."""


def error_page(request: Request, code: int, message: str, *, user: User | None = None) -> Response:
    """The HTML error page for a status, with its message in plain Vietnamese."""
    return render(request, "error.html", {"code": code, "message": message}, user=user,
                  status_code=code)  # fmt: skip


def error_response(request: Request, code: int, message: str) -> Response:
    """The error page with the signed-in menu (the user is looked up in a session of its own)."""
    request.state.failed = True  # a session still open for this request must not commit
    factory: sessionmaker[Session] = request.app.state.session_factory
    try:
        with factory() as session:
            user = optional_user(request, session)
            return error_page(request, code, message, user=user)
    except Exception:
        return error_page(request, code, message)


def to_login(request: Request) -> Response:
    """Send an anonymous visitor to sign in, coming back to this page (and its query) afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(f"/login?next={quote(target, safe='/')}")


def http_error_page(request: Request, exc: StarletteHTTPException) -> Response:
    """An HTTP error as a page: 401 goes to sign-in, reason phrases become Vietnamese."""
    if exc.status_code == status.HTTP_401_UNAUTHORIZED:
        return to_login(request)
    detail = exc.detail
    if isinstance(detail, dict):  # {"message", "errors"} of the registry import
        detail = "\n".join(detail.get("errors") or [str(detail.get("message", ""))])
    message = str(detail)
    key = STATUS_KEYS.get(exc.status_code)
    if key and message == HTTPStatus(exc.status_code).phrase:
        message = translate(key, language(request))
    return error_response(request, exc.status_code, message)


def validation_error_page(request: Request, exc: RequestValidationError) -> Response:
    """A wrong address is a 404 saying what does not exist; a wrong form names its fields."""
    for err in exc.errors():
        loc = err.get("loc", ())
        if len(loc) == 2 and loc[0] == "path":
            noun = PATH_NOUNS.get(str(loc[1]), "mục")
            value = err.get("input", "")
            message = f"Địa chỉ không đúng: không có {noun} «{value}» (số {noun} phải là số)."
            return error_response(request, 404, message)
    names = {str(e.get("loc", ("", ""))[-1]) for e in exc.errors()}
    fields = sorted(PATH_NOUNS.get(name, name) for name in names)
    message = "Biểu mẫu thiếu hoặc sai ở: " + ", ".join(fields) + ". Hãy kiểm tra và gửi lại."
    return error_response(request, 422, message)


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


def ics_url(request: Request, scope: str, target: Campaign | Unit, user: User) -> str:
    """The subscribable URL of a deadlines feed, with the user's signed token (as the API's)."""
    url = request.url_for(f"{scope}_ics", **{f"{scope}_id": target.id})
    return f"{url}?token={ics.feed_token(scope, target, user)}"


templates.env.globals["ics_url"] = ics_url

SessionDep = SESSION
UserDep = Depends(page_user)
StaffDep = Depends(page_roles(*STAFF))
EditorDep = Depends(page_roles(*EDITORS))
CsrfDep = Depends(check_csrf)
