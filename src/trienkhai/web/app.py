"""The FastAPI application: JSON API under /api/v1 and the server-rendered web desk."""

from __future__ import annotations

from importlib import import_module

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from starlette.middleware.sessions import SessionMiddleware

from trienkhai import __version__
from trienkhai.db import get_engine, session_factory
from trienkhai.errors import ServiceError
from trienkhai.settings import get_settings

# Each feature contributes one router module; listed here so the app is assembled in one place.
ROUTERS = [
    "trienkhai.users.routes",
    "trienkhai.units.routes",
    "trienkhai.campaigns.routes",
    "trienkhai.outputs.routes",
    "trienkhai.documents.routes",
    "trienkhai.reports.routes",
    "trienkhai.web.pages",
]


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

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        """A service's refusal as the HTTP answer its class names, with the Vietnamese message."""
        return JSONResponse({"detail": str(exc)}, status_code=exc.status_code)

    for error in DB_ERRORS:
        app.add_exception_handler(error, database_unavailable)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
