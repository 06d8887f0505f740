"""A real HTTP server on loopback whose pages the test changes while it runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from trienkhai.settings import get_settings

Route = tuple[int, dict[str, str], bytes]


@dataclass
class Site:
    """The server's address, its routes (path → status, headers, body) and the paths asked."""

    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def page(self, path: str, body: str, status: int = 200) -> None:
        """Serve an HTML page at the path."""
        self.routes[path] = (status, {"Content-Type": "text/html; charset=utf-8"}, body.encode())

    def redirect(self, path: str, target: str, status: int = 301) -> None:
        """Redirect the path to the target."""
        self.routes[path] = (status, {"Location": target}, b"")


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    """A handler class answering from the site's routes (404 for the rest)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requested.append(self.path)
            status, headers, body = site.routes.get(self.path, (404, {}, b"Not found"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A loopback site; the settings allow 127.0.0.1/32 and nothing else."""
    monkeypatch.setenv("TRIENKHAI_CRAWL_ALLOW_NETWORKS", "127.0.0.1/32")
    # The link check paces requests per origin like a crawl; a test site needs no 1 s pause.
    monkeypatch.setenv("TRIENKHAI_CRAWL_DELAY_S", "0.01")
    get_settings.cache_clear()
    holder = Site("")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    holder.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder
    server.shutdown()
    server.server_close()
    get_settings.cache_clear()
