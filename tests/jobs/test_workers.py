"""procrastinate workers on PostgreSQL: a job deferred by one process runs in another; a worker
killed mid-job leaves it to the next worker, which completes it once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.databases import migrated
from tests.jobs.helpers import job_registry
from tests.jobs.worker_process import FAST
from trienkhai.db import session_factory
from trienkhai.jobs.models import Job, JobStatus
from trienkhai.jobs.queues import ProcrastinateQueue, Runtime, start_job

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine(tmp_path: Path, urls: list[str]) -> Iterator[Engine]:
    """A fresh migrated database on PostgreSQL (with procrastinate tables)."""
    with migrated("postgres", tmp_path, urls, "workers") as eng:
        yield eng


@pytest.fixture
def queue(engine: Engine) -> Iterator[ProcrastinateQueue]:
    """A procrastinate queue with the test job kinds."""
    q = ProcrastinateQueue(Runtime(job_registry(), session_factory(engine), FAST), engine)
    yield q
    q.close()


def _status(engine: Engine, job_id: int) -> Job:
    """The job row as stored now."""
    with session_factory(engine)() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_deferred_job_is_run_by_a_worker(
    engine: Engine, queue: ProcrastinateQueue, tmp_path: Path
) -> None:
    out = tmp_path / "done.txt"
    job_id = start_job(queue, queue.runtime.sessions, "test.record", {"file": str(out)})
    queue.dispatch(job_id)  # a second wake-up while the first waits is not a second job
    queue.work(concurrency=1, wait=False)
    job = _status(engine, job_id)
    assert job.status == JobStatus.done.value
    assert out.read_text(encoding="utf-8").split() == [str(job_id)]


@pytest.mark.slow
def test_a_killed_worker_leaves_its_job_to_another_that_completes_it_once(
    engine: Engine, queue: ProcrastinateQueue, tmp_path: Path
) -> None:
    out, started = tmp_path / "done.txt", tmp_path / "started.txt"
    args = {"file": str(out), "started": str(started), "seconds": 2}
    job_id = start_job(queue, queue.runtime.sessions, "test.slow", args)
    url = engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.worker_process", url], cwd=ROOT, env=env
    )
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert time.monotonic() < deadline, "the first worker never started the job"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    assert _status(engine, job_id).status == JobStatus.running.value
    time.sleep(FAST.stale_seconds + 0.5)  # its heartbeat goes stale
    queue._sweep(0)  # what the periodic sweep of any live worker does once a minute
    queue.work(concurrency=1, wait=False)
    job = _status(engine, job_id)
    assert job.status == JobStatus.done.value
    assert job.attempts == 2
    assert out.read_text(encoding="utf-8").split() == [str(job_id)]  # completed once
