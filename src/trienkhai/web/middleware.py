"""Pure ASGI middleware: request-body limits before the body is read, and security headers."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from re import Pattern

from fastapi import FastAPI, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trienkhai.logs import request_id

MB = 1024 * 1024
MULTIPART_OVERHEAD = MB  # boundaries, part headers and small fields beside the file

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # htmx adds its indicator style at run time; styles cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


class BodyTooLargeError(Exception):
    """The body passed its limit while it streamed in."""


UploadRoute = tuple[set[str], Pattern[str]]


def _upload_routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[UploadRoute]:
    """(methods, path pattern) of every route taking a file, descending into included routers."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:  # FastAPI wraps included routers (with their prefix)
            context = getattr(route, "include_context", None)
            yield from _upload_routes(
                original.routes, prefix + (getattr(context, "prefix", "") or "")
            )
        elif isinstance(route, APIRoute) and _takes_file(route.dependant):
            yield set(route.methods or ()), compile_path(prefix + route.path)[0]


def _takes_file(dependant: Dependant) -> bool:
    """Whether the endpoint or one of its dependencies declares a File() parameter."""
    if any(isinstance(f.field_info, params.File) for f in dependant.body_params):
        return True
    return any(_takes_file(sub) for sub in dependant.dependencies)


def upload_matcher(app: FastAPI) -> Callable[[Scope], bool]:
    """A test telling whether a request goes to a route that takes a file upload."""
    found: list[UploadRoute] | None = None

    def matches(scope: Scope) -> bool:
        nonlocal found
        if found is None:  # the routers are all included by the first request
            found = list(_upload_routes(app.routes))
        path, method = scope["path"], scope["method"]
        return any(method in methods and regex.match(path) for methods, regex in found)

    return matches


class BodyLimitMiddleware:
    """Refuse a body over its route's limit: at once from Content-Length, or while it streams.

    Upload routes may take `max_upload_mb` plus multipart overhead; every other route
    `max_body_kb`. Nothing over the limit is read into memory or spooled to disk.
    """

    def __init__(
        self, app: ASGIApp, *, is_upload: Callable[[Scope], bool], upload_mb: int, body_kb: int
    ) -> None:
        self.app = app
        self.is_upload = is_upload
        self.upload_limit = upload_mb * MB + MULTIPART_OVERHEAD
        self.body_limit = body_kb * 1024

    def limit_for(self, scope: Scope) -> int:
        """The byte limit of this request's body."""
        return self.upload_limit if self.is_upload(scope) else self.body_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, then count what actually arrives."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        state = {"received": 0, "over": False, "started": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["over"] = True
                    raise BodyTooLargeError
            return message

        async def guarded(message: Message) -> None:
            if state["over"]:  # the app caught the error and answered otherwise: ours wins
                return
            state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except BodyTooLargeError:
            if state["started"]:
                raise
        if state["over"] and not state["started"]:
            await _too_large(send, limit)


async def _too_large(send: Send, limit: int) -> None:
    """The 413 answer, in Vietnamese, closing the connection."""
    size = f"{limit // MB} MB" if limit >= MB else f"{limit // 1024} KB"
    body = json.dumps(
        {"detail": f"Dữ liệu gửi lên quá lớn, giới hạn {size} (request body too large)"},
        ensure_ascii=False,
    ).encode("utf-8")
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """CSP, frame and sniffing protections on every answer; no-store on everything not static."""

    def __init__(self, app: ASGIApp, *, csp: str = CSP) -> None:
        self.app = app
        self.headers = {**HEADERS, "content-security-policy": csp}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers as the answer starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
                if not static:  # private pages, API answers and downloads: never cached
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
access_log = logging.getLogger("trienkhai.access")


class RequestIdMiddleware:
    """Give every request an id (a proxy's X-Request-ID when well formed), answer it in the
    response header, and log one access line with the id, status and duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request with its id in the logging context."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        rid = given if _SAFE_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "client": (scope.get("client") or ("", 0))[0],
                },
            )
            request_id.reset(token)
