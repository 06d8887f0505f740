"""Jobs on both engines: run once, retried then failed, taken over from a dead runner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from tests.databases import migrated
from tests.jobs.helpers import job_registry
from trienkhai.db import session_factory, utcnow
from trienkhai.errors import InvalidError
from trienkhai.jobs import service
from trienkhai.jobs.models import Job, JobStatus
from trienkhai.jobs.queues import InProcessQueue, Runtime, start_job, sweep
from trienkhai.jobs.registry import default_registry
from trienkhai.jobs.runner import RunnerConfig

FAST = RunnerConfig(heartbeat_seconds=0.2, stale_seconds=1.0, retry_seconds=0.0)


@pytest.fixture
def engine(kind: str, tmp_path: Path, urls: list[str]) -> Iterator[Engine]:
    """A fresh migrated database of each kind."""
    with migrated(kind, tmp_path, urls, "jobs") as eng:
        yield eng


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions on the test database."""
    return session_factory(engine)


@pytest.fixture
def queue(sessions: sessionmaker[Session]) -> Iterator[InProcessQueue]:
    """An in-process queue with the test job kinds (not ticking: tests sweep by hand)."""
    runtime = Runtime(job_registry(), sessions, FAST)
    q = InProcessQueue(runtime, threads=2)
    yield q
    q.stop()


def _job(sessions: sessionmaker[Session], job_id: int) -> Job:
    """The job row as stored now."""
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_job_runs_once_and_keeps_its_result(
    queue: InProcessQueue, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "done.txt"
    job_id = start_job(queue, sessions, "test.record", {"file": str(out)})
    queue.dispatch(job_id)  # woken twice: the second runner finds it taken or done
    queue.drain()
    job = _job(sessions, job_id)
    assert job.status == JobStatus.done.value
    assert job.progress == 1.0
    assert job.result == {"written": str(out)}
    assert job.attempts == 1
    assert out.read_text(encoding="utf-8").split() == [str(job_id)]


def test_a_job_spawns_jobs_that_runners_take_at_once(
    queue: InProcessQueue, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "done.txt"
    first = start_job(queue, sessions, "test.fan_out", {"file": str(out), "left": 3})
    queue.drain()  # no sweep runs: only the spawn's own wake-up can start the others
    done = [int(line) for line in out.read_text(encoding="utf-8").split()]
    assert sorted(done) == [first, first + 1, first + 2, first + 3]
    assert all(_job(sessions, job_id).status == JobStatus.done.value for job_id in done)
    assert _job(sessions, first).result == {"spawned": first + 1}


def test_a_failing_job_is_retried_then_failed_with_its_reason(
    queue: InProcessQueue, sessions: sessionmaker[Session]
) -> None:
    job_id = start_job(queue, sessions, "test.broken", {"source": "rss-7"})
    for _ in range(5):
        queue.drain()
    job = _job(sessions, job_id)
    assert job.status == JobStatus.failed.value
    assert job.attempts == job.max_attempts == 3
    assert "nguồn rss-7 không trả lời" in job.error
    assert job.finished_at is not None


def test_an_unknown_kind_fails_the_job_not_the_runner(
    queue: InProcessQueue, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        job = service.enqueue(session, "không.có", {}, max_attempts=1)
    queue.dispatch(job.id)
    queue.drain()
    stored = _job(sessions, job.id)
    assert stored.status == JobStatus.failed.value
    assert "không.có" in stored.error
    with pytest.raises(InvalidError, match=r"không\.có"):
        job_registry().handler("không.có")


def test_only_one_of_two_runners_claims_a_job(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        job_id = service.enqueue(session, "test.record", {}).id
    first = service.claim(sessions, job_id, stale_seconds=60)
    second = service.claim(sessions, job_id, stale_seconds=60)
    assert first is not None
    assert second is None


def test_a_silent_runner_is_taken_over_and_cannot_complete_afterwards(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        job_id = service.enqueue(session, "test.record", {}).id
    dead = service.claim(sessions, job_id, stale_seconds=60)
    assert dead is not None
    with sessions.begin() as session:  # the runner stopped beating two minutes ago
        session.execute(
            update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow() - timedelta(minutes=2))
        )
    alive = service.claim(sessions, job_id, stale_seconds=60)
    assert alive is not None
    assert alive != dead
    assert not service.beat(sessions, job_id, dead)
    assert not service.complete(sessions, job_id, dead, {"by": "dead"})
    assert service.complete(sessions, job_id, alive, {"by": "alive"})
    job = _job(sessions, job_id)
    assert (job.status, job.result, job.attempts) == ("done", {"by": "alive"}, 2)


def test_sweep_starts_periodic_kinds_once_per_period(
    queue: InProcessQueue, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    queue.runtime.registry.every("test.record", 3600, {"file": str(tmp_path / "tick.txt")})
    assert sweep(queue.runtime, queue) == 1
    queue.drain()
    assert sweep(queue.runtime, queue) == 0  # ran within the hour: not due again
    assert len((tmp_path / "tick.txt").read_text(encoding="utf-8").split()) == 1


def test_sweep_restarts_a_job_left_running_by_a_dead_process(
    queue: InProcessQueue, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "again.txt"
    with sessions.begin() as session:
        job_id = service.enqueue(session, "test.record", {"file": str(out)}).id
    assert service.claim(sessions, job_id, stale_seconds=60) is not None  # then the process died
    with sessions.begin() as session:
        session.execute(
            update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow() - timedelta(seconds=5))
        )
    assert sweep(queue.runtime, queue) == 1
    queue.drain()
    assert _job(sessions, job_id).status == JobStatus.done.value
    assert out.read_text(encoding="utf-8").split() == [str(job_id)]


def test_the_default_kinds_run_crawl_and_prune(sessions: sessionmaker[Session]) -> None:
    registry = default_registry()
    assert {"ingest.crawl", "reports.file", "jobs.prune"} <= set(registry.handlers)
    assert {p.kind for p in registry.periodic} >= {"ingest.crawl", "jobs.prune"}
    queue = InProcessQueue(Runtime(registry, sessions, FAST), threads=1)
    with sessions.begin() as session:
        old = service.enqueue(session, "test.record", {})
        old.status, old.finished_at = "done", utcnow() - timedelta(days=400)
    crawl = start_job(queue, sessions, "ingest.crawl")
    prune = start_job(queue, sessions, "jobs.prune")
    queue.drain()
    queue.stop()
    assert _job(sessions, crawl).result == {
        "sources": 0, "new_items": 0, "pages_fetched": 0, "pages_failed": 0, "requests": 0,
        "extracted": 0, "unreadable": 0, "compared": 0, "duplicates": 0, "republished": 0,
        "discovered": 0, "merged": 0, "busy": False, "spawned": None,
    }  # fmt: skip
    assert _job(sessions, prune).result == {"deleted": 1}
    with sessions() as session:
        assert session.get(Job, old.id) is None
