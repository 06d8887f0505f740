"""The FastAPI application: JSON API under /api/v1 and the server-rendered web desk."""

from __future__ import annotations

from importlib import import_module

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from trienkhai import __version__
from trienkhai.db import get_engine, session_factory
from trienkhai.errors import ServiceError
from trienkhai.settings import get_settings
from trienkhai.web.pages import common as pages

# Each feature contributes one router module; listed here so the app is assembled in one place.
ROUTERS = [
    "trienkhai.users.routes",
    "trienkhai.units.routes",
    "trienkhai.campaigns.routes",
    "trienkhai.outputs.routes",
    "trienkhai.documents.routes",
    "trienkhai.reports.routes",
    "trienkhai.themes.routes",
    "trienkhai.web.pages",
]


def create_app(engine: Engine | None = None) -> FastAPI:
    """Build the app bound to an engine (the configured database by default)."""
    settings = get_settings()
    app = FastAPI(
        title="trienkhai",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.engine = engine or get_engine()
    app.state.session_factory = session_factory(app.state.engine)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie="trienkhai_session",
        same_site="lax",
        https_only=False,
    )
    for name in ROUTERS:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside an existing module must surface
                raise
            continue
        app.include_router(module.router)

    install_error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app


def _is_api(request: Request) -> bool:
    """Whether the request is for the JSON API (errors as JSON) rather than a desk page."""
    return request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI) -> None:
    """Map every error once: JSON under /api/, the Vietnamese error page everywhere else.

    Errors propagate through `get_session` before reaching these handlers, so what the request
    wrote is already rolled back when the answer is built.
    """

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        """A service's refusal as the HTTP answer its class names, with the Vietnamese message."""
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=exc.status_code)
        return pages.error_response(request, exc.status_code, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """FastAPI's JSON answer for the API; the page (or the sign-in form) for the desk."""
        if _is_api(request):
            return await http_exception_handler(request, exc)
        return pages.http_error_page(request, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        """Field errors: FastAPI's JSON list for the API, one plain sentence on a page."""
        if _is_api(request):
            return await request_validation_exception_handler(request, exc)
        return pages.validation_error_page(request, exc)

    @app.exception_handler(pages.LoginRequired)
    async def login_required(request: Request, exc: pages.LoginRequired) -> Response:
        """A desk page asked for by nobody signed in: to the sign-in form, then back."""
        return pages.to_login(request)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        """A crash: a plain 500 (the traceback goes to the server log, never to the reader)."""
        if _is_api(request):
            return JSONResponse({"detail": pages.SERVER_ERROR}, status_code=500)
        return pages.error_response(request, 500, pages.SERVER_ERROR)
