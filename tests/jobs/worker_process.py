"""A procrastinate worker with the test job kinds, run as its own process by the tests."""

from __future__ import annotations

import sys

from tests.jobs.helpers import job_registry
from trienkhai.db import make_engine, session_factory
from trienkhai.jobs.queues import ProcrastinateQueue, Runtime
from trienkhai.jobs.runner import RunnerConfig

FAST = RunnerConfig(heartbeat_seconds=0.2, stale_seconds=1.5, retry_seconds=0.0)


def main(url: str) -> None:
    """Work on the database at `url` until killed."""
    engine = make_engine(url)
    queue = ProcrastinateQueue(Runtime(job_registry(), session_factory(engine), FAST), engine)
    queue.work(concurrency=1, wait=True)


if __name__ == "__main__":
    main(sys.argv[1])
