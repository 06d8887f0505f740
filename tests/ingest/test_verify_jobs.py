"""The link check as jobs: one campaign on request, every active campaign periodically, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.databases import migrated
from tests.factories import report_campaign, report_output, report_unit
from tests.ingest.test_verify import TITLE, article
from tests.ingest.verify_server import Site
from trienkhai.db import session_factory, session_scope
from trienkhai.ingest.jobs import VERIFY, VERIFY_ACTIVE, verify_args
from trienkhai.jobs.models import Job
from trienkhai.jobs.queues import InProcessQueue, Runtime, start_job, sweep
from trienkhai.jobs.registry import default_registry
from trienkhai.jobs.runner import RunnerConfig
from trienkhai.outputs.models import Output
from trienkhai.settings import get_settings

FAST = RunnerConfig(heartbeat_seconds=0.2, stale_seconds=30.0, retry_seconds=0.0)


@pytest.fixture
def engine(kind: str, tmp_path: Path, urls: list[str]) -> Iterator[Engine]:
    """A fresh migrated database of each kind."""
    with migrated(kind, tmp_path, urls, "verify_jobs") as eng:
        yield eng


def _campaigns(engine: Engine, site: Site) -> dict[str, int]:
    """An active and a draft campaign, each with a reported output whose page is there."""
    made: dict[str, int] = {}
    with session_scope(engine) as session:
        unit = report_unit(session)
        for status in ("active", "draft"):
            campaign = report_campaign(session, status=status, period_start=date(2025, 1, 1))
            output = report_output(session, campaign=campaign, unit=unit, title=TITLE,
                                   url=f"{site.base}/bai/{status}.html")  # fmt: skip
            session.flush()
            made[status], made[f"{status}_output"] = campaign.id, output.id
    site.page("/bai/active.html", article())
    site.page("/bai/draft.html", article())
    return made


def _run(engine: Engine, kind: str, args: dict[str, object]) -> Job:
    """One job of the kind through the runner; the job as stored after."""
    sessions = session_factory(engine)
    queue = InProcessQueue(Runtime(default_registry(), sessions, FAST), threads=1)
    try:
        job_id = start_job(queue, sessions, kind, args)
        queue.drain()
    finally:
        queue.stop()
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _state(engine: Engine, output_id: int) -> str:
    """An output's verification state now."""
    with session_scope(engine) as session:
        return str(session.scalar(select(Output.verification).where(Output.id == output_id)))


def test_a_verify_job_checks_one_campaign_and_reports_progress(engine: Engine, site: Site) -> None:
    made = _campaigns(engine, site)
    job = _run(engine, VERIFY, verify_args(made["draft"]))
    assert job.status == "done", job.error
    assert job.result == {"campaigns": 1, "checked": 1, "verified": 1}
    assert job.progress == 1.0
    assert _state(engine, made["draft_output"]) == "verified"
    assert _state(engine, made["active_output"]) == "unverified"  # another campaign
    missing = _run(engine, VERIFY, verify_args(999_999))
    assert missing.status != "done" and "999999" in missing.error


def test_the_periodic_run_checks_every_active_campaign(engine: Engine, site: Site) -> None:
    made = _campaigns(engine, site)
    job = _run(engine, VERIFY_ACTIVE, verify_args())
    assert job.status == "done", job.error
    assert job.result["campaigns"] == 1 and job.result["verified"] == 1
    assert _state(engine, made["active_output"]) == "verified"
    assert _state(engine, made["draft_output"]) == "unverified"  # a draft: not re-checked


def test_the_periodic_kind_follows_its_setting(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIENKHAI_VERIFY_EVERY_HOURS", "6")
    get_settings.cache_clear()
    periodic = {p.kind: p.seconds for p in default_registry().periodic}
    assert periodic[VERIFY_ACTIVE] == 6 * 3600 and VERIFY not in periodic
    sessions = session_factory(engine)
    runtime = Runtime(default_registry(), sessions, FAST)
    sweep(runtime, _NoRun())
    with sessions() as session:
        kinds = set(session.scalars(select(Job.kind)))
    assert VERIFY_ACTIVE in kinds and "ingest.crawl" in kinds
    monkeypatch.setenv("TRIENKHAI_VERIFY_EVERY_HOURS", "0")
    get_settings.cache_clear()
    assert VERIFY_ACTIVE not in {p.kind for p in default_registry().periodic}
    get_settings.cache_clear()


class _NoRun:
    """A queue that wakes nobody (the sweep's enqueueing is what is tested)."""

    def dispatch(self, job_id: int, delay: float = 0.0) -> None:
        """Do nothing."""


@pytest.mark.slow  # subprocesses of the whole CLI
def test_cli_verify_job_enqueues_and_a_worker_runs_it(tmp_path: Path, site: Site) -> None:
    with migrated("sqlite", tmp_path, [], "cli") as engine:
        made = _campaigns(engine, site)
        url = str(engine.url)
    env = {**os.environ, "TRIENKHAI_DATABASE_URL": url, "TRIENKHAI_DATA_DIR": str(tmp_path),
           "TRIENKHAI_CRAWL_EVERY_MINUTES": "0", "TRIENKHAI_VERIFY_EVERY_HOURS": "0"}  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "trienkhai.cli", *args], capture_output=True,
                              text=True, env=env, timeout=120, check=False)  # fmt: skip

    queued = run("verify", "--campaign", str(made["active"]), "--job")
    assert queued.returncode == 0, queued.stderr
    job_id = json.loads(queued.stdout)["job"]
    with migrated("sqlite", tmp_path, [], "cli") as engine:
        assert _state(engine, made["active_output"]) == "unverified"  # only queued
    assert run("verify", "--campaign", "999999", "--job").returncode == 1
    worked = run("worker", "--until-idle")
    assert worked.returncode == 0, worked.stderr
    with migrated("sqlite", tmp_path, [], "cli") as engine:
        assert _state(engine, made["active_output"]) == "verified"
        with session_scope(engine) as session:
            job = session.get(Job, job_id)
            assert job is not None and job.status == "done" and job.kind == VERIFY
