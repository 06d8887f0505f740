"""The demo data: what `make demo` loads, on both databases, and loading twice changes nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.demo import DEMO_PASSWORD, load_demo
from trienkhai.outputs.models import Output
from trienkhai.users import service as users

TODAY = date(2026, 11, 27)


def test_demo_loads_the_sample_campaign(session: Session) -> None:
    summary = load_demo(session=session, today=TODAY)
    campaign = session.get(Campaign, summary.campaign_id)
    assert campaign is not None
    assert [t.code for t in campaign.themes] == ["T1", "T2", "T3", "T4"]
    assert summary.assignments >= 30  # departments, 10 districts/city, press, portal
    assert summary.unresolved == []
    assert summary.outputs == session.scalar(select(func.count()).select_from(Output))
    assert summary.outputs >= 15
    assert users.authenticate(session=session, username="dieuphoi", password=DEMO_PASSWORD)


def test_demo_is_idempotent(session: Session) -> None:
    first = load_demo(session=session, today=TODAY)
    second = load_demo(session=session, today=TODAY)
    assert second.campaign_id == first.campaign_id
    assert second.outputs == 0
    assert session.scalar(select(func.count()).select_from(Campaign)) == 1
    total = session.scalar(select(func.count()).select_from(Assignment))
    assert total == first.assignments


def test_demo_leaves_some_units_late_and_some_done(session: Session) -> None:
    summary = load_demo(session=session, today=TODAY)
    rows = session.scalars(select(Assignment).where(Assignment.campaign_id == summary.campaign_id))
    states = {a.state for a in rows}
    assert {"assigned", "verified", "reported", "in_progress"} <= states
    late = session.scalars(
        select(Assignment).where(Assignment.deadline < TODAY, Assignment.state == "assigned")
    ).all()
    assert len(late) >= 2


def test_demo_command_without_serving(tmp_path: Path) -> None:
    env = {**os.environ, "TRIENKHAI_DATA_DIR": str(tmp_path), "TRIENKHAI_DATABASE_URL": ""}
    done = subprocess.run(
        [sys.executable, "-m", "trienkhai.cli", "demo", "--no-serve"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "dieuphoi" in done.stdout
    assert (tmp_path / "trienkhai.db").exists()


def _free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_demo_command_serves_the_desk_and_prints_the_login(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "TRIENKHAI_DATA_DIR": str(tmp_path), "TRIENKHAI_DATABASE_URL": "",
           "TRIENKHAI_PORT": str(port)}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "trienkhai.cli", "demo"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                login = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("the demo server did not answer within 120 s")
        assert login.status_code == 200
        assert "Đăng nhập" in login.text
        login_json = {"username": "dieuphoi", "password": DEMO_PASSWORD}
        token = httpx.post(f"http://127.0.0.1:{port}/api/v1/auth/token", json=login_json)
        assert token.status_code == 200, token.text
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out
    assert "dieuphoi" in out


def test_demo_refuses_to_wipe_a_database_with_real_work(tmp_path: Path) -> None:
    env = {**os.environ, "TRIENKHAI_DATA_DIR": str(tmp_path), "TRIENKHAI_DATABASE_URL": ""}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "trienkhai.cli", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=180,
                              check=False)  # fmt: skip

    assert cli("demo", "--no-serve").returncode == 0
    added = cli("users", "add", "that", "--role", "leader", "--password", "mat-khau-that-1")
    assert added.returncode == 0, added.stderr
    again = cli("demo", "--no-serve")
    assert again.returncode == 2
    assert "người dùng that" in again.stderr
    assert "Traceback" not in again.stderr
    kept = cli("demo", "--no-serve", "--keep")
    assert kept.returncode == 0, kept.stderr
