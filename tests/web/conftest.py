"""Web desk fixtures: a seeded SQLite database, a signed-in TestClient, a live server, a browser."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Route, sync_playwright
from sqlalchemy import Engine

from tests.db_fixtures import _require_pg, create_pg_database, drop_pg_database
from trienkhai.db import make_engine, session_scope
from trienkhai.migrate import upgrade
from trienkhai.units import service as units
from trienkhai.users import service as users
from trienkhai.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
# The screenshots in docs/ are refreshed by `make screenshots`; ordinary runs write them to a
# temporary folder so a test run leaves the work tree as it was.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("TRIENKHAI_UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "trienkhai-screenshots"
)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "mat-khau-thu-123"
# username, role, unit code
PEOPLE = [
    ("dieuphoi", "coordinator", None),
    ("lanhdao", "leader", None),
    ("baokontum", "unit_editor", "bao-kon-tum"),
    ("dakha", "unit_editor", "h-dak-ha"),
]


def seed(engine: Engine) -> dict[str, int]:
    """Load the sample registry and one user per role; returns unit ids by code."""
    with session_scope(engine) as session:
        units.load_sample_registry(session=session)
        ids = {u.code: u.id for u in units.list_units(session=session)}
        for username, role, code in PEOPLE:
            users.create_user(
                session=session,
                username=username,
                password=PASSWORD,
                role=role,
                full_name=username,
                unit_id=ids[code] if code else None,
            )
    return ids


def fresh_database(path: Path) -> tuple[Engine, dict[str, int]]:
    """A migrated, seeded SQLite file."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine, seed(engine)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """One seeded database file per session; each test gets a copy (seeding costs seconds)."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    engine, ids = fresh_database(path)
    engine.dispose()
    return path, ids


@pytest.fixture
def web_db(
    tmp_path: Path, seeded_template: tuple[Path, dict[str, int]]
) -> Iterator[tuple[Engine, dict[str, int]]]:
    """A fresh copy of the seeded database per test (the web tests commit)."""
    path = tmp_path / "web.db"
    shutil.copyfile(seeded_template[0], path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine, seeded_template[1]
    engine.dispose()


def csrf_of(html: str) -> str:
    """The CSRF token a page carries in its forms."""
    found = re.search(r'name="csrf(?:-token)?" (?:value|content)="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


class Desk:
    """A TestClient that signs in and posts forms with the page's CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.token = ""

    def get(self, url: str, **kw: Any) -> httpx.Response:
        """GET, remembering the CSRF token of HTML pages."""
        response = self.client.get(url, **kw)
        if "csrf" in response.text:
            self.token = csrf_of(response.text)
        return response

    def post(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        """POST a form with the CSRF token."""
        if not self.token:
            self.get("/login")
        return self.client.post(url, data={"csrf": self.token, **(data or {})}, **kw)

    def login(self, username: str) -> httpx.Response:
        """Sign in as one of PEOPLE."""
        self.get("/login")
        response = self.post("/login", {"username": username, "password": PASSWORD})
        self.get("/login")
        return response


@pytest.fixture
def desk(web_db: tuple[Engine, dict[str, int]]) -> Iterator[Desk]:
    """An anonymous desk client on a fresh database."""
    with TestClient(create_app(web_db[0])) as client:
        yield Desk(client)


@pytest.fixture(scope="session")
def pg_seeded() -> Iterator[tuple[Engine, dict[str, int]]]:
    """One migrated, seeded PostgreSQL database for the session; tests open their own campaigns."""
    _require_pg()
    url = create_pg_database()
    engine = make_engine(url)
    upgrade(engine)
    ids = seed(engine)
    yield engine, ids
    engine.dispose()
    drop_pg_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest) -> tuple[Engine, dict[str, int]]:
    """The seeded database on SQLite (a fresh copy) and on PostgreSQL (shared, committed to)."""
    name = "web_db" if request.param == "sqlite" else "pg_seeded"
    db: tuple[Engine, dict[str, int]] = request.getfixturevalue(name)
    return db


@pytest.fixture
def any_desk(any_db: tuple[Engine, dict[str, int]]) -> Iterator[Desk]:
    """An anonymous desk client on each database."""
    with TestClient(create_app(any_db[0])) as client:
        yield Desk(client)


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn process on 127.0.0.1 serving a fresh, seeded SQLite database."""
    path = tmp_path_factory.mktemp("live") / "live.db"
    engine, _ = fresh_database(path)
    engine.dispose()
    yield from serve(path)


def serve(path: Path) -> Iterator[str]:
    """Run uvicorn on a database file until the generator is closed; yields the base URL."""
    port = free_port()
    env = {**os.environ, "TRIENKHAI_DATABASE_URL": f"sqlite:///{path}", "TRIENKHAI_ENV": "test"}
    command = [sys.executable, "-m", "uvicorn", "trienkhai.web.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    proc = subprocess.Popen(command, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_until_up(base: str, proc: subprocess.Popen[bytes]) -> None:
    """Poll /healthz until the server answers (fail if it died)."""
    for _ in range(100):
        if proc.poll() is not None:
            pytest.fail("the web server exited during start-up")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail("the web server did not start")


@pytest.fixture
def browser_page(live_server: str) -> Iterator[Any]:
    """A Chromium page that may talk only to the local server; any other request fails the test."""
    outside: list[str] = []

    def guard(route: Route) -> None:
        host = route.request.url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        context.route("**/*", guard)
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
    assert not outside, f"requests left the server: {outside}"
