"""A crawl shared by several workers: each job claims a share of the due sources and starts the
next job first; the chain after the crawl runs in one process at a time (a named lock)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.databases import migrated
from tests.factories import report_unit
from tests.ingest.conftest import ENGINES, module_engine
from tests.ingest.site_server import Fixture, Route, Site, article, rss
from trienkhai.db import session_factory, session_scope
from trienkhai.ingest import pipeline, service
from trienkhai.ingest.jobs import CRAWL
from trienkhai.ingest.models import IngestItem, ItemStatus
from trienkhai.jobs.models import Job
from trienkhai.jobs.queues import InProcessQueue, Runtime, start_job
from trienkhai.jobs.registry import default_registry
from trienkhai.jobs.runner import RunnerConfig
from trienkhai.locks import try_exclusive
from trienkhai.settings import get_settings

SITES = 5
FAST = RunnerConfig(heartbeat_seconds=0.2, stale_seconds=30.0, retry_seconds=0.0)
TEXT = (
    "Ủy ban nhân dân huyện tổ chức hội nghị tuyên truyền pháp luật về phòng, chống mua bán người "
    "cho cán bộ, hội viên và người dân các xã biên giới, với nhiều hình thức phong phú."
)


@pytest.fixture(scope="module")
def five_sites() -> Iterator[Fixture]:
    """Five units' sites, each its own origin with a feed of two articles."""
    fx = Fixture([Site(f"s{i}") for i in range(SITES)])
    fx.start()
    for name, site in fx.sites.items():
        links = []
        for k in (1, 2):
            path = f"/tin/{name}-{k}.html"
            title = f"Tin {k} của trang {name}: hội nghị số {k}"
            site.routes[path] = Route(body=article(title, f"{TEXT} Trang {name}, tin {k}.", k))
            links.append((site.base + path, title, "Tue, 10 Nov 2026 08:30:00 +0700"))
        site.routes["/rss.xml"] = Route(body=rss(site.base, links), content_type="application/xml")
    try:
        yield fx
    finally:
        fx.stop()


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A fresh migrated database of each kind for the module."""
    yield from module_engine(request, tmp_path_factory, "share")


@pytest.fixture(scope="module")
def shared_crawl(engine: Engine, five_sites: Fixture) -> Iterator[list[Job]]:
    """Five due sources, two per job, two runner threads: the crawl jobs once all ended."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRIENKHAI_CRAWL_ALLOW_NETWORKS", "127.0.0.1/32")
        env.setenv("TRIENKHAI_CRAWL_DELAY_S", "0.02")
        env.setenv("TRIENKHAI_CRAWL_BATCH_SOURCES", "2")
        get_settings.cache_clear()
        five_sites.clear()  # the sites serve both engines' runs
        try:
            with session_scope(engine) as session:
                for name in five_sites.sites:
                    unit = report_unit(session)
                    session.flush()
                    url = five_sites.url(name, "/rss.xml")
                    service.add_source(session=session, unit_code=unit.code, url=url, kind="rss")
            sessions = session_factory(engine)
            queue = InProcessQueue(Runtime(default_registry(), sessions, FAST), threads=2)
            try:
                start_job(queue, sessions, CRAWL, {})
                queue.drain()
            finally:
                queue.stop()
            with sessions() as session:
                yield list(session.scalars(select(Job).where(Job.kind == CRAWL).order_by(Job.id)))
        finally:
            get_settings.cache_clear()


def test_the_crawl_is_shared_out_and_every_source_is_read_once(
    shared_crawl: list[Job], five_sites: Fixture
) -> None:
    assert len(shared_crawl) >= 3  # five sources, at most two per job
    assert all(job.status == "done" for job in shared_crawl), [j.error for j in shared_crawl]
    assert sum(int((job.result or {})["sources"]) for job in shared_crawl) == SITES
    assert all((job.result or {})["sources"] <= 2 for job in shared_crawl)
    feeds = Counter(h.site for h in five_sites.hits() if h.path == "/rss.xml")
    assert feeds == Counter(dict.fromkeys(five_sites.sites, 1))


def test_the_chain_after_a_shared_crawl_leaves_no_item_behind(
    shared_crawl: list[Job], engine: Engine
) -> None:
    with session_scope(engine) as session:
        statuses = Counter(session.scalars(select(IngestItem.status)))
    assert statuses == Counter({ItemStatus.extracted.value: 2 * SITES})
    extracted = sum(int((job.result or {})["extracted"]) for job in shared_crawl)
    assert extracted == 2 * SITES  # each page extracted once, whichever job held the chain


@pytest.mark.parametrize("kind", ENGINES)
def test_a_named_lock_is_held_by_one_holder_at_a_time(
    kind: str, tmp_path: Path, urls: list[str]
) -> None:
    with migrated(kind, tmp_path, urls, "locks") as engine:
        seen: list[bool] = []
        with try_exclusive(engine, "x") as first:
            other = threading.Thread(target=lambda: _try(engine, "x", seen))
            other.start()
            other.join()
            _try(engine, "y", seen)  # another name is free
        _try(engine, "x", seen)  # free again once let go
        assert first and seen == [False, True, True]


def _try(engine: Engine, name: str, seen: list[bool]) -> None:
    """Try the named lock from this thread and note whether it was had."""
    with try_exclusive(engine, name) as held:
        seen.append(held)


def test_the_chain_is_left_to_the_process_that_holds_it(engine: Engine) -> None:
    with try_exclusive(engine, pipeline.CHAIN_LOCK):
        found = pipeline.process_items(engine=engine, settings=get_settings())
    assert found.busy and found.extracted == 0
