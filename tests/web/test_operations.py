"""Operations: health answer, request ids, JSON access logs, forwarded headers only from proxies."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.factories import report_campaign
from tests.web.conftest import (
    PASSWORD,
    ROOT,
    _wait_until_up,
    csrf_of,
    free_port,
    fresh_database,
)
from trienkhai.db import make_engine, session_scope
from trienkhai.web.app import create_app


def test_health_says_ok_with_the_database_and_503_without(
    web_db: tuple[Engine, dict[str, int]],
) -> None:
    engine, _ = web_db
    ok = TestClient(create_app(engine)).get("/healthz")
    assert ok.status_code == 200
    assert ok.json()["database"] == "ok"
    gone = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    down = TestClient(create_app(gone)).get("/healthz")
    assert down.status_code == 503
    assert down.json()["database"] == "down"


def test_every_answer_carries_a_request_id(web_db: tuple[Engine, dict[str, int]]) -> None:
    client = TestClient(create_app(web_db[0]))
    made = client.get("/healthz").headers["x-request-id"]
    assert len(made) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "lb-42.a"}).headers["x-request-id"] == (
        "lb-42.a"
    )
    forged = client.get("/healthz", headers={"X-Request-ID": "x\r\nSet-Cookie: a=b"})
    assert forged.headers["x-request-id"] != "x\r\nSet-Cookie: a=b"
    assert client.get("/no-such-page").headers["x-request-id"]  # errors too


def _serve(tmp_path: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`trienkhai serve` with JSON logs on a fresh database; yields its address and process."""
    path = tmp_path / "ops.db"
    engine = fresh_database(path)[0]
    with session_scope(engine) as session:
        report_campaign(session)  # a campaign whose board links its calendar feed (absolute)
    engine.dispose()
    port = free_port()
    environ = {
        **os.environ,
        "TRIENKHAI_DATABASE_URL": f"sqlite:///{path}",
        "TRIENKHAI_ENV": "test",
        "TRIENKHAI_LOG_FORMAT": "json",
        "TRIENKHAI_DATA_DIR": str(tmp_path),
        **env,
    }
    command = [sys.executable, "-m", "trienkhai.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(command, env=environ, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)  # type: ignore[arg-type]
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _access_line(proc: subprocess.Popen[str], rid: str) -> dict[str, object]:
    """The JSON access line of the request with this id (the server is stopped first)."""
    proc.terminate()
    _, err = proc.communicate(timeout=10)
    for line in err.splitlines():
        if line.startswith("{") and f'"{rid}"' in line:
            record: dict[str, object] = json.loads(line)
            if record.get("logger") == "trienkhai.access":
                return record
    pytest.fail(f"no access line for {rid} in:\n{err[-2000:]}")


@pytest.mark.slow
@pytest.mark.parametrize(("proxies", "client"), [("", "127.0.0.1"), ("127.0.0.1", "203.0.113.9")])
def test_json_access_log_and_forwarded_client_only_from_trusted_proxies(
    tmp_path: Path, proxies: str, client: str
) -> None:
    for base, proc in _serve(tmp_path, TRIENKHAI_TRUSTED_PROXIES=proxies):
        headers = {"X-Request-ID": "req-7", "X-Forwarded-For": "203.0.113.9"}
        assert httpx.get(f"{base}/healthz", headers=headers).status_code == 200
        line = _access_line(proc, "req-7")
        assert line["path"] == "/healthz"
        assert line["status"] == 200
        assert line["client"] == client
        assert isinstance(line["duration_ms"], float)


@pytest.mark.slow
@pytest.mark.parametrize(("proxies", "scheme"), [("", "http"), ("127.0.0.1", "https")])
def test_absolute_links_follow_the_proxy_only_when_it_is_trusted(
    tmp_path: Path, proxies: str, scheme: str
) -> None:
    """Behind a trusted TLS proxy the calendar link a page prints is https on the public host;
    an untrusted sender's X-Forwarded-Proto changes nothing."""
    for base, _proc in _serve(tmp_path, TRIENKHAI_TRUSTED_PROXIES=proxies):
        headers = {"Host": "trienkhai.example.gov.vn", "X-Forwarded-Proto": "https"}
        with httpx.Client(base_url=base, headers=headers) as client:
            token = csrf_of(client.get("/login").text)
            form = {"csrf": token, "username": "dieuphoi", "password": PASSWORD}
            client.post("/login", data=form)
            board = client.get("/campaigns")
            assert board.status_code == 200
            first = re.search(r'href="/campaigns/(\d+)"', board.text)
            assert first is not None
            page = client.get(f"/campaigns/{first.group(1)}").text
        link = re.search(r'(https?)://trienkhai\.example\.gov\.vn/[^"?]+\.ics', page)
        assert link is not None and link.group(1) == scheme
