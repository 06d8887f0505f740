"""Large output imports run as jobs: the page and the API hand the file to a worker and poll it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from tests.web.conftest import Desk
from tests.web.helpers import SITE, open_campaign, outputs_xlsx
from tests.web.test_report_jobs import _client, _until_done
from trienkhai.campaigns.models import Campaign
from trienkhai.db import session_scope
from trienkhai.jobs.models import Job, JobFile
from trienkhai.outputs.models import Output
from trienkhai.settings import get_settings
from trienkhai.users.models import Role

DB = tuple[Engine, dict[str, int]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = 400


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any file of 1 KB or more is imported as a job."""
    monkeypatch.setenv("TRIENKHAI_IMPORT_JOB_MIN_KB", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _rows(count: int, day: str = "10/07/2024") -> list[list[str]]:
    """`count` distinct import rows of Báo Kon Tum."""
    return [
        [f"Tuyên truyền về quyền con người, bài số {i}", f"{SITE}/nq-{i}", "báo điện tử", "bài",
         day, ""]
        for i in range(count)
    ]  # fmt: skip


def _campaign(desk: Desk, engine: Engine) -> int:
    """The sample campaign with its period around the rows' dates."""
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    with session_scope(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        campaign.period_start, campaign.period_end = date(2024, 7, 1), date(2024, 12, 31)
    return campaign_id


def _editor_page(desk: Desk, web_db: DB) -> tuple[Engine, int, int]:
    """The campaign opened, then Báo Kon Tum's page open as its editor: engine, unit, campaign."""
    engine, ids = web_db
    campaign_id = _campaign(desk, engine)
    unit = ids["bao-kon-tum"]
    desk.login("baokontum")
    desk.get(f"/units/{unit}?campaign={campaign_id}")
    return engine, unit, campaign_id


def _outputs(engine: Engine, campaign_id: int) -> int:
    """How many outputs the campaign holds."""
    with session_scope(engine) as session:
        query = select(func.count()).select_from(Output).where(Output.campaign_id == campaign_id)
        return int(session.scalar(query) or 0)


def _page_until_done(desk: Desk, url: str) -> str:
    """Reload the job page until it no longer polls itself (a minute at most)."""
    deadline = time.monotonic() + 60
    while 'hx-trigger="every 2s"' in (page := desk.get(url).text):
        assert time.monotonic() < deadline, "the import job never finished"
        time.sleep(0.2)
    return page


def test_a_large_upload_on_the_unit_page_is_imported_by_a_job(desk: Desk, web_db: DB) -> None:
    engine, unit, campaign_id = _editor_page(desk, web_db)
    upload = {"file": ("kq.xlsx", outputs_xlsx(_rows(ROWS)), XLSX)}
    sent = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    assert sent.history and sent.history[0].status_code == 303
    job_url = sent.history[0].headers["location"]
    assert re.fullmatch(r"/jobs/\d+", job_url)
    page = _page_until_done(desk, job_url)
    assert f"Đã lưu {ROWS} sản phẩm mới" in page
    assert _outputs(engine, campaign_id) == ROWS
    job_id = int(job_url.rsplit("/", 1)[1])
    with session_scope(engine) as session:
        assert session.get(JobFile, job_id) is None  # the upload is not kept once imported
        job = session.get(Job, job_id)
        assert job is not None and job.created_by_id is not None
    # The same file again stores nothing twice.
    again = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    page = _page_until_done(desk, again.history[0].headers["location"])
    assert f"{ROWS} đã có" in page
    assert _outputs(engine, campaign_id) == ROWS


def test_a_large_file_with_errors_stores_nothing_and_lists_its_rows(desk: Desk, web_db: DB) -> None:
    engine, unit, campaign_id = _editor_page(desk, web_db)
    rows = _rows(ROWS)
    rows[41][4] = "32/07/2024"  # row 43 of the sheet (the header is row 1)
    upload = {"file": ("kq.xlsx", outputs_xlsx(rows), XLSX)}
    sent = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    page = _page_until_done(desk, sent.history[0].headers["location"])
    assert "Không nhập dòng nào" in page
    assert re.search(r"<td>43</td>", page)
    assert _outputs(engine, campaign_id) == 0


def test_the_import_job_api_checks_access_before_keeping_the_file(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    campaign_id = _campaign(desk, engine)
    body = outputs_xlsx(_rows(ROWS))
    form = {"unit_id": str(ids["bao-kon-tum"]), "campaign_id": str(campaign_id)}
    other = _client(engine, Role.unit_editor, unit_id=ids["h-dak-ha"])
    refused = other.post(
        "/api/v1/outputs/import-jobs", data=form, files={"file": ("kq.xlsx", body, XLSX)}
    )
    assert refused.status_code == 403
    with session_scope(engine) as session:
        query = select(func.count()).select_from(Job).where(Job.kind == "outputs.import")
        assert session.scalar(query) == 0
    editor = _client(engine, Role.unit_editor, unit_id=ids["bao-kon-tum"])
    started = editor.post(
        "/api/v1/outputs/import-jobs", data=form, files={"file": ("kq.xlsx", body, XLSX)}
    )
    assert started.status_code == 202, started.text
    job = _until_done(editor, f"/api/v1/jobs/{started.json()['id']}")
    assert job["status"] == "done", job["error"]
    assert job["result"]["stored"] == ROWS and job["result"]["errors_count"] == 0
    assert _outputs(engine, campaign_id) == ROWS
