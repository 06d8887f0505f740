"""The FastAPI application: JSON API under /api/v1 and the server-rendered web desk."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import Engine, text
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from trienkhai import __version__
from trienkhai.db import get_engine, pool_capacity, session_factory
from trienkhai.errors import ServiceError
from trienkhai.jobs.queues import InProcessQueue
from trienkhai.jobs.setup import make_queue
from trienkhai.security import app_secret
from trienkhai.settings import get_settings
from trienkhai.web.middleware import (
    BodyLimitMiddleware,
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
    upload_matcher,
)
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
    "trienkhai.jobs.routes",
    "trienkhai.web.pages",
]

SWAGGER = "/static/vendor/swagger-ui-5.35.0"
DOCS_HTML = f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>trienkhai API</title>
<link rel="stylesheet" href="{SWAGGER}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{SWAGGER}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body></html>"""


DB_UNAVAILABLE = (
    "Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau ít phút "
    "(the database is unreachable; try again shortly)"
)
DB_ERRORS = (OperationalError, DisconnectionError, InterfaceError)


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """The database gone (restart, network cut): 503 with a Vietnamese message, no traceback.

    The pool pings connections before use, so the first request after the database returns
    gets a fresh connection and the server recovers by itself.
    """
    headers = {"Retry-After": "10", "Cache-Control": "no-store"}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": DB_UNAVAILABLE}, status_code=503, headers=headers)
    page = f"<!doctype html><html lang=vi><meta charset=utf-8><title>503</title><p>{DB_UNAVAILABLE}"
    return HTMLResponse(page, status_code=503, headers=headers)


# anyio runs sync handlers on 40 threads; the gate stays below them and below the pool.
MAX_REQUESTS_AT_ONCE = 32


def requests_at_once() -> int:
    """How many requests the gate admits: below both the database pool and the threads."""
    return max(1, min(pool_capacity() - 2, MAX_REQUESTS_AT_ONCE))


class RequestGate:
    """Admit a bounded number of requests at once; the others wait in the event loop.

    Why: sync dependencies and handlers run in a pool of 40 threads, and a request's session holds
    its database connection from the sign-in check to the commit, between threads. With more
    requests in flight than connections, threads blocked on the pool starved the requests holding
    connections of the thread they needed to finish: 200 editors deadlocked the server until
    the pool timed out (500s). Waiting here holds neither a thread nor a connection.
    """

    def __init__(self, app: ASGIApp, limit: int | None = None) -> None:
        self.app = app
        self.gate = asyncio.Semaphore(limit or requests_at_once())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass HTTP requests through the gate; lifespan and websockets go straight in."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self.gate:
            await self.app(scope, receive, send)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While serving: the in-process job ticker runs (SQLite); workers do it on PostgreSQL."""
    queue = app.state.jobs
    if isinstance(queue, InProcessQueue):
        queue.start()
    try:
        yield
    finally:
        if isinstance(queue, InProcessQueue):
            queue.stop()


def create_app(engine: Engine | None = None) -> FastAPI:
    """Build the app bound to an engine (the configured database by default)."""
    settings = get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="trienkhai",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served below from the vendored Swagger UI: no CDN, no inline script
        redoc_url=None,
    )
    app.state.engine = engine or get_engine()
    app.state.session_factory = session_factory(app.state.engine)
    app.state.jobs = make_queue(settings, app.state.engine, app.state.session_factory)
    app.add_middleware(
        SessionMiddleware,
        secret_key=app_secret(settings),
        session_cookie="trienkhai_session",
        max_age=settings.session_days * 86400,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    # Outermost: an oversized body is refused before any other layer reads it.
    app.add_middleware(
        BodyLimitMiddleware,
        is_upload=upload_matcher(app),
        upload_mb=settings.max_upload_mb,
        body_kb=settings.max_body_kb,
    )
    app.add_middleware(RequestGate)  # a waiting request holds nothing
    app.add_middleware(RequestIdMiddleware)  # outermost: every answer, even a 413, has its id
    for name in ROUTERS:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside an existing module must surface
                raise
            continue
        app.include_router(module.router)

    install_error_handlers(app)

    @app.get("/api/v1/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """The interactive API reference, from the vendored Swagger UI."""
        return HTMLResponse(DOCS_HTML)

    for error in DB_ERRORS:
        app.add_exception_handler(error, database_unavailable)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        """For a load balancer: 200 when the database answers, 503 when it does not."""
        try:
            with app.state.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except DB_ERRORS:
            body = {"status": "unavailable", "version": __version__, "database": "down"}
            return JSONResponse(body, status_code=503)
        jobs = type(app.state.jobs).__name__
        return JSONResponse(
            {"status": "ok", "version": __version__, "database": "ok", "jobs": jobs}
        )

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
