"""A real server under concurrent writers: 20 editors × 50 outputs, each stored exactly once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tests.db_fixtures import create_pg_database, drop_pg_database, postgres_available
from trienkhai.campaigns.models import Assignment, Campaign, Theme
from trienkhai.db import make_engine, session_scope
from trienkhai.migrate import upgrade
from trienkhai.outputs.models import Output
from trienkhai.units.models import Unit
from trienkhai.users.models import User
from trienkhai.users.service import hash_password

PASSWORD = "mat-khau-dong-thoi"
UNITS = 20
PER_UNIT = 50
REPEATS = 5  # outputs each editor posts twice, to prove create is idempotent under load


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(url: str) -> tuple[int, list[tuple[int, str]]]:
    """Migrate, then 20 units, 20 editors (cheap hashes made once) and one campaign."""
    engine = make_engine(url)
    upgrade(engine)
    password_hash = hash_password(PASSWORD)
    with session_scope(engine) as session:
        campaign = Campaign(title="Chiến dịch đồng thời", themes=[Theme(code="T1", title="Một")])
        session.add(campaign)
        editors = []
        for i in range(UNITS):
            unit = Unit(code=f"cc-{i:02d}", name=f"Đơn vị {i}")
            session.add(unit)
            session.flush()
            user = User(
                username=f"bt{i:02d}",
                password_hash=password_hash,
                role="unit_editor",
                unit_id=unit.id,
            )
            session.add(user)
            campaign.assignments.append(Assignment(unit_id=unit.id))  # editors log only if assigned
            editors.append((unit.id, user.username))
        session.flush()
        campaign_id = campaign.id
    engine.dispose()
    return campaign_id, editors


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'concurrency.db'}"
        return
    if not postgres_available():
        pytest.skip("PostgreSQL not available")
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def _start(env: dict[str, str], log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start uvicorn on a free port; retried because another process may grab the port first."""
    for _attempt in range(3):
        port = _free_port()
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "trienkhai.web.app:create_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return proc, base
            except httpx.TransportError:
                time.sleep(0.1)
        proc.terminate()
        proc.wait(timeout=15)
    pytest.fail("server did not start: " + log_path.read_text()[-3000:])


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[tuple[str, str, int, list[tuple[int, str]]]]:
    """uvicorn serving the app on a free loopback port, against the seeded database."""
    campaign_id, editors = _seed(database)
    env = {**os.environ, "TRIENKHAI_DATABASE_URL": database, "TRIENKHAI_DATA_DIR": str(tmp_path)}
    proc, base = _start(env, tmp_path / "server.log")
    try:
        yield database, base, campaign_id, editors
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _editor_run(base: str, campaign_id: int, unit_id: int, username: str) -> Counter[int]:
    """Sign in, then post 50 outputs plus a few repeats; the status codes seen."""
    codes: Counter[int] = Counter()
    with httpx.Client(base_url=base, timeout=60) as client:
        token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        token.raise_for_status()
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        items = list(range(PER_UNIT)) + list(range(REPEATS))
        for n in items:
            body = {
                "campaign_id": campaign_id,
                "unit_id": unit_id,
                "title": f"Tin số {n} của đơn vị {unit_id}",
                "url": f"https://dv{unit_id}.example.vn/tin-{n}?utm_source=zalo",
                "channel": "báo điện tử",
                "published_at": "2024-07-20T08:00:00",
                "themes": ["T1"],
            }
            codes[client.post("/api/v1/outputs", json=body).status_code] += 1
    return codes


@pytest.mark.slow
def test_concurrent_editors_store_every_output_once(server: tuple) -> None:
    database, base, campaign_id, editors = server
    with ThreadPoolExecutor(max_workers=len(editors)) as pool:
        futures = [pool.submit(_editor_run, base, campaign_id, uid, name) for uid, name in editors]
        results = [f.result() for f in futures]
    codes = sum(results, Counter())
    assert not [c for c in codes if c >= 500], codes
    assert codes[201] == UNITS * PER_UNIT, codes
    assert codes[200] == UNITS * REPEATS, codes
    engine = make_engine(database)
    with session_scope(engine) as session:
        total = session.scalar(select(func.count()).select_from(Output))
        per_unit = dict(
            session.execute(select(Output.unit_id, func.count()).group_by(Output.unit_id)).all()
        )
        distinct = session.scalar(select(func.count(func.distinct(Output.dedup_key))))
    engine.dispose()
    assert total == UNITS * PER_UNIT
    assert distinct == total
    assert sorted(per_unit.values()) == [PER_UNIT] * UNITS
