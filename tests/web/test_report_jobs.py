"""Report files as jobs: started from the API and the dashboard, polled, downloaded; roles."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.web.conftest import Desk
from tests.web.helpers import open_campaign
from trienkhai.db import session_scope
from trienkhai.errors import ConflictError
from trienkhai.jobs import service
from trienkhai.users.models import Role
from trienkhai.users.service import create_user, issue_token
from trienkhai.web.app import create_app


def _until_done(client: TestClient, url: str) -> dict[str, Any]:
    """Poll a job's JSON until it ends (a minute at most)."""
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, Any] = client.get(url).json()
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"job still {job['status']}"
        time.sleep(0.2)


def _client(engine: Engine, role: Role, unit_id: int | None = None) -> TestClient:
    """An API client signed in with a new user of the role."""
    with session_scope(engine) as session:
        user = create_user(
            session=session,
            username=f"job-{role.value}-{time.monotonic_ns()}",
            password="mat-khau-thu-123",
            role=role,
            unit_id=unit_id,
        )
        token = issue_token(user)
    return TestClient(create_app(engine), headers={"Authorization": f"Bearer {token}"})


def _campaign(desk: Desk) -> int:
    """The coordinator opens the sample campaign from the desk."""
    desk.login("dieuphoi")
    return open_campaign(desk)


def test_a_report_job_makes_the_docx_off_the_request_path(
    desk: Desk, web_db: tuple[Engine, dict[str, int]]
) -> None:
    campaign_id = _campaign(desk)
    client = _client(web_db[0], Role.coordinator)
    started = client.post(f"/api/v1/campaigns/{campaign_id}/report-jobs", json={"format": "docx"})
    assert started.status_code == 202, started.text
    job = _until_done(client, f"/api/v1/jobs/{started.json()['id']}")
    assert job["status"] == "done", job["error"]
    assert job["result"]["filename"] == f"bao-cao-chien-dich-{campaign_id}.docx"
    got = client.get(f"/api/v1/jobs/{job['id']}/file")
    assert got.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(got.content)).paragraphs)
    assert "BÁO CÁO" in text.upper()


def test_report_jobs_refuse_bad_formats_and_other_units(
    desk: Desk, web_db: tuple[Engine, dict[str, int]]
) -> None:
    campaign_id = _campaign(desk)
    engine, ids = web_db
    url = f"/api/v1/campaigns/{campaign_id}/report-jobs"
    coordinator = _client(engine, Role.coordinator)
    assert coordinator.post(url, json={"format": "odt"}).status_code == 422
    editor = _client(engine, Role.unit_editor, unit_id=ids["bao-kon-tum"])
    assert editor.post(url, json={"format": "docx"}).status_code == 403  # the campaign's report
    other = editor.post(url, json={"format": "docx", "unit_code": "h-dak-ha"})
    assert other.status_code == 403
    own = editor.post(url, json={"format": "docx", "unit_code": "bao-kon-tum"})
    assert own.status_code == 202, own.text
    assert coordinator.get(f"/api/v1/jobs/{own.json()['id']}").status_code == 200
    assert _client(engine, Role.leader).get(f"/api/v1/jobs/{own.json()['id']}").status_code == 403


def test_no_file_before_the_job_is_done(web_db: tuple[Engine, dict[str, int]]) -> None:
    with session_scope(web_db[0]) as session:
        job = service.enqueue(session, "reports.file", {})
        with pytest.raises(ConflictError, match="chưa xong"):
            service.job_file(session, job)


def test_the_dashboard_starts_a_report_job_and_its_page_offers_the_file(desk: Desk) -> None:
    campaign_id = _campaign(desk)
    page = desk.get(f"/campaigns/{campaign_id}/dashboard")
    assert 'id="dl-report-pdf"' in page.text
    assert f'action="/campaigns/{campaign_id}/report-jobs"' in page.text
    started = desk.post(
        f"/campaigns/{campaign_id}/report-jobs", {"fmt": "docx"}, follow_redirects=False
    )
    assert started.status_code == 303
    job_url = started.headers["location"]
    deadline = time.monotonic() + 60
    while 'id="job-file"' not in (shown := desk.get(job_url).text):
        assert 'id="job-error"' not in shown
        assert 'hx-trigger="every 2s"' in shown  # the page polls itself while the job runs
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert 'hx-trigger="every 2s"' not in shown  # and stops once it is done
    got = desk.client.get(f"{job_url}/file")
    assert got.status_code == 200
    assert got.content.startswith(b"PK")
