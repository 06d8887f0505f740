"""Whole crawls of the loopback sites: faults recorded, nothing outside loopback, 304s next time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.factories import make_unit
from tests.ingest.conftest import ENGINES, crawl_settings, module_engine
from tests.ingest.site_server import Fixture, Hit, Route, article, rss
from trienkhai.db import make_engine, session_scope
from trienkhai.errors import ConflictError, InvalidError, NotFoundError
from trienkhai.ingest import service
from trienkhai.ingest.feeds import FeedEntry
from trienkhai.ingest.models import IngestItem, IngestSource
from trienkhai.ingest.schemas import CrawlSummary, ItemText, SourceRead
from trienkhai.ingest.service import PollPolicy
from trienkhai.migrate import upgrade
from trienkhai.units.models import Unit

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
CONNECTS: list[tuple[str, int]] = []
_RECORDING: list[bool] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Record every socket connection the process makes while a crawl runs."""
    if event == "socket.connect" and _RECORDING:
        address = args[1]
        if isinstance(address, tuple):
            CONNECTS.append((str(address[0]), int(address[1])))


sys.addaudithook(_audit)

FAULTS = {
    "/500.xml": "HTTP 500",
    "/slow.xml": "Quá thời gian chờ",
    "/loop-a": "Vòng chuyển hướng",
    "/out.xml": "169.254.169.254",
    "/huge.xml": "vượt giới hạn 1000000",
    "/bomb.xml": "giải nén vượt",
    "/malformed.xml": "XML không hợp lệ",
    "/xxe.xml": "XXE",
}
FEED_PATHS = {
    "/rss.xml",
    "/atom.xml",
    "/sitemap_index.xml",
    "/sitemap-news.xml",
    "/sitemap-pages.xml",
    "/tin-tuc",
    "/feed.json",
    "/lying.xml",
    "/future.xml",
}


@dataclass
class Crawled:
    """Two crawls of the sites and what they left."""

    engine: Engine
    sites: Fixture
    units: dict[str, str]
    first: CrawlSummary
    second: CrawlSummary
    first_hits: list[Hit]
    second_hits: list[Hit]
    connects: list[tuple[str, int]]


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A fresh migrated database of each kind for the module."""
    yield from module_engine(request, tmp_path_factory, "crawl")


def _add_sources(session: Session, sites: Fixture) -> dict[str, str]:
    """One unit per site, with the sources the tests crawl; returns site -> unit code."""
    units = {name: make_unit(session, kind="press").code for name in sites.sites}
    units["chet"] = make_unit(session).code

    def add(site: str, path: str, kind: str = "auto", selector: str = "") -> None:
        url = sites.url(site, path)
        service.add_source(
            session=session, unit_code=units[site], url=url, kind=kind, selector=selector
        )

    add("baotinh", "/rss.xml", "rss")
    add("dai", "/atom.xml")
    add("cong", "/")  # a home page: the sitemap index is found through robots.txt
    add("huyen", "/tin-tuc", "page", ".news-list h3 a")
    add("huyen", "/")  # the home page links a JSON Feed of the same articles
    for path in [*FAULTS, "/lying.xml", "/future.xml"]:
        add("loi", path)
    # The broadcaster's home page names no feed: the common paths find its Atom feed.
    units["dai-home"] = make_unit(session).code
    service.add_source(session=session, unit_code=units["dai-home"], url=sites.url("dai", "/"))
    # A source that does not answer at all can still be added.
    service.add_source(session=session, unit_code=units["chet"], url="http://127.0.0.1:1/rss")
    return units


@pytest.fixture(scope="module")
def crawled(engine: Engine, sites: Fixture) -> Crawled:
    """Add the sources, crawl twice (an hour apart), keep both request logs."""
    with session_scope(engine) as session:
        units = _add_sources(session, sites)
    sites.clear()
    CONNECTS.clear()
    _RECORDING.append(True)
    try:
        first = service.run_crawl(
            engine=engine, settings=crawl_settings(), everything=True, now=NOW
        )
        first_hits = sites.hits()
        sites.clear()
        second = service.run_crawl(
            engine=engine,
            settings=crawl_settings(crawl_pause_after=2),
            everything=True,
            now=NOW + timedelta(hours=1),
        )
    finally:
        _RECORDING.clear()
    return Crawled(engine, sites, units, first, second, first_hits, sites.hits(), list(CONNECTS))


def sources_of(crawled: Crawled, site: str) -> dict[str, IngestSource]:
    """The site's unit's sources by path."""
    with session_scope(crawled.engine) as session:
        rows = session.scalars(
            select(IngestSource).where(IngestSource.url.startswith(crawled.sites.sites[site].base))
        )
        return {r.url.removeprefix(crawled.sites.sites[site].base): r for r in rows}


def items_of(crawled: Crawled, site: str) -> list[IngestItem]:
    """Items of the site's unit."""
    code = crawled.units[site]
    with session_scope(crawled.engine) as session:
        uid = session.scalar(select(Unit.id).where(Unit.code == code))
        query = select(IngestItem).where(IngestItem.unit_id == uid).order_by(IngestItem.id)
        return list(session.scalars(query))


def test_crawl_finishes_and_counts_sources(crawled: Crawled) -> None:
    assert crawled.first.sources == 17
    assert crawled.first.failed == len(FAULTS) + 1  # the faults and the dead source
    assert crawled.first.succeeded == 17 - crawled.first.failed


def test_every_fault_is_recorded_on_its_source(crawled: Crawled) -> None:
    faults = sources_of(crawled, "loi")
    for path, words in FAULTS.items():
        source = faults[path]
        assert source.last_error and words in source.last_error, (path, source.last_error)
        assert source.last_success is None
    dead = next(iter(sources_of_unit(crawled, "chet")))
    assert dead.last_error and "Lỗi kết nối" in dead.last_error


def sources_of_unit(crawled: Crawled, site: str) -> list[SourceRead]:
    """Sources of one unit, as listed."""
    with session_scope(crawled.engine) as session:
        return service.list_sources(session=session, unit_code=crawled.units[site])


def test_failing_sources_are_slowed_then_paused(crawled: Crawled) -> None:
    source = sources_of(crawled, "loi")["/500.xml"]
    assert source.consecutive_failures == 2 and source.paused  # pause_after=2 in the second crawl
    # The second failure's back-off: the 60-minute interval doubled twice.
    assert source.next_due is not None
    due = source.next_due if source.next_due.tzinfo else source.next_due.replace(tzinfo=UTC)
    assert due == NOW + timedelta(hours=1) + timedelta(minutes=240)
    healthy = sources_of(crawled, "baotinh")["/rss.xml"]
    assert healthy.consecutive_failures == 0 and not healthy.paused and healthy.last_error is None


def test_nothing_outside_loopback_is_contacted(crawled: Crawled) -> None:
    assert crawled.connects, "the audit hook saw the crawl's connections"
    assert {host for host, _ in crawled.connects} == {"127.0.0.1"}
    items = {i.url: i for i in items_of(crawled, "baotinh")}
    for url in ("http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/tin/x.html"):
        assert items[url].status == "failed" and "không được phép" in (items[url].fetch_error or "")


def test_robots_forbidden_path_is_never_requested(crawled: Crawled) -> None:
    paths = [h.path for h in crawled.first_hits + crawled.second_hits]
    assert not [p for p in paths if p.startswith("/noi-bo/")]
    forbidden = [i for i in items_of(crawled, "baotinh") if "/noi-bo/" in i.url]
    assert [i.status for i in forbidden] == ["blocked"]


def test_xxe_entities_are_never_resolved(crawled: Crawled) -> None:
    assert "/xxe-target" not in [h.path for h in crawled.first_hits + crawled.second_hits]
    assert not [i for i in items_of(crawled, "loi") if "root:" in i.title]


def test_items_of_each_kind_are_stored_with_their_pages(crawled: Crawled) -> None:
    base = crawled.sites.url("baotinh", "/tin/")
    rss = [i for i in items_of(crawled, "baotinh") if i.url.startswith(base)]
    assert [i.status for i in rss] == ["fetched"] * 3
    assert rss[0].title == "Tuyên truyền kỷ niệm 80 năm Cách mạng Tháng Tám"
    assert rss[0].published_at is not None
    assert len(items_of(crawled, "dai")) == 3
    portal = items_of(crawled, "cong")
    assert len(portal) == 3 and portal[0].title == "Tuyên truyền kỷ niệm 80 năm Cách mạng Tháng Tám"
    home = sources_of(crawled, "cong")["/"]
    assert home.feed_url and home.feed_url.endswith("/sitemap_index.xml")


def test_common_paths_find_a_feed_the_home_page_does_not_name(crawled: Crawled) -> None:
    home = next(s for s in sources_of_unit(crawled, "dai-home"))
    assert home.feed_url == crawled.sites.url("dai", "/atom.xml") and home.items_found == 3


def test_workers_never_take_the_same_source_or_page(engine: Engine, sites: Fixture) -> None:
    now = NOW + timedelta(days=30)
    with session_scope(engine) as session:
        code = make_unit(session).code
        source = service.add_source(session=session, unit_code=code, url=sites.url("dai", "/x"))
        entries = [FeedEntry(url=sites.url("dai", f"/p{i}")) for i in range(3)]
        service.store_entries(session=session, source=source, entries=entries, now=now)
        source_id = source.id
    with session_scope(engine) as one, session_scope(engine) as two:
        first = service.due_jobs(session=one, now=now)
        one.commit()
        assert source_id in {j.id for j in first}
        assert source_id not in {j.id for j in service.due_jobs(session=two, now=now)}
    with session_scope(engine) as one:
        taken = service.page_jobs(session=one, source_ids=[source_id], per_source=10, now=now)
    with session_scope(engine) as two:
        again = service.page_jobs(session=two, source_ids=[source_id], per_source=10, now=now)
    assert len(taken) == 3 and again == []
    later = now + timedelta(minutes=service.CLAIM_MINUTES + 1)  # the first worker died
    with session_scope(engine) as three:
        retaken = service.page_jobs(session=three, source_ids=[source_id], per_source=10, now=later)
    assert sorted(j.item_id for j in retaken) == sorted(j.item_id for j in taken)


def test_same_article_on_two_sources_of_a_unit_is_stored_once(crawled: Crawled) -> None:
    district = items_of(crawled, "huyen")
    assert len(district) == 3
    fetched = [h.path for h in crawled.first_hits if h.site == "huyen" and "/bai-viet/" in h.path]
    assert sorted(fetched) == sorted(set(fetched)) and len(fetched) == 3
    assert sources_of(crawled, "huyen")["/"].feed_url == crawled.sites.url("huyen", "/feed.json")


def test_lying_dates_are_dropped_not_trusted(crawled: Crawled) -> None:
    by_url = {i.url.rsplit("/", 1)[1]: i for i in items_of(crawled, "loi")}
    assert by_url["ok.html"].published_at is None and by_url["ok3.html"].published_at is None
    assert by_url["ok4.html"].published_at is None  # dated 2100
    lying = sources_of(crawled, "loi")["/lying.xml"]
    assert lying.last_note and "cùng một ngày" in lying.last_note and lying.last_error is None


def test_second_crawl_is_conditional_304_and_fetches_no_article(crawled: Crawled) -> None:
    feeds = [h for h in crawled.second_hits if h.path in FEED_PATHS]
    assert {h.path for h in feeds} == FEED_PATHS
    for hit in feeds:
        assert hit.if_none_match or hit.if_modified_since, hit
        assert hit.status == 304, hit
    pages = [h.path for h in crawled.second_hits if h.path.endswith(".html")]
    assert pages == []
    assert "/" not in [h.path for h in crawled.second_hits]  # found feeds are read directly
    assert crawled.second.new_items == 0 and crawled.second.pages_fetched == 0
    assert crawled.second.not_modified == crawled.first.succeeded


def test_extraction_door_hands_out_fetched_pages_and_takes_text(crawled: Crawled) -> None:
    with session_scope(crawled.engine) as session:
        todo = service.items_to_extract(session=session, limit=500)
        assert todo and all(i.html and "<article>" in i.html for i in todo)
        first = todo[0]
        service.store_extraction(
            session=session,
            item_id=first.id,
            found=ItemText(text="Nội dung bài.", author="Phóng viên", content_hash="ab" * 32),
        )
        left = service.items_to_extract(session=session, limit=500)
        assert first.id not in {i.id for i in left} and len(left) == len(todo) - 1
        assert session.get(IngestItem, first.id).status == "extracted"  # type: ignore[union-attr]
        session.rollback()


def test_adding_sources_checks_unit_url_kind_selector_and_duplicates(engine: Engine) -> None:
    with session_scope(engine) as session:
        code = make_unit(session).code
        with pytest.raises(NotFoundError):
            service.add_source(session=session, unit_code="khong-co", url="http://127.0.0.1/")
        for url in ("ftp://x/", "trang-chu", ""):
            with pytest.raises(InvalidError):
                service.add_source(session=session, unit_code=code, url=url)
        with pytest.raises(InvalidError, match="Loại nguồn"):
            service.add_source(session=session, unit_code=code, url="http://a.vn/", kind="html")
        with pytest.raises(InvalidError, match="CSS"):
            service.add_source(session=session, unit_code=code, url="http://a.vn/", kind="page")
        with pytest.raises(InvalidError, match="CSS"):
            service.add_source(session=session, unit_code=code, url="http://a.vn/", selector="a[[")
        service.add_source(session=session, unit_code=code, url="http://a.vn/rss")
        with pytest.raises(ConflictError):
            service.add_source(session=session, unit_code=code, url="http://a.vn/rss")
        session.rollback()


def test_polling_adapts_to_how_often_a_source_publishes() -> None:
    policy = PollPolicy(first_minutes=60, min_minutes=15, max_minutes=1440)
    assert policy.adapt(60, 0, timedelta(hours=1)) == 90  # nothing new: slower
    assert policy.adapt(60, 4, timedelta(hours=1)) == 38  # halfway to the 15-minute gap
    assert policy.adapt(16, 12, timedelta(hours=1)) == 15  # never below the floor
    assert policy.adapt(60, 1, timedelta(hours=3)) == 120  # halfway to the 180-minute gap
    assert policy.adapt(60, 10, None) == 60  # a first read's backlog says nothing of the pace
    assert policy.adapt(1400, 0, None) == 1440
    assert policy.back_off(60, 1) == timedelta(minutes=120)
    assert policy.back_off(60, 30) == timedelta(minutes=1440)


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`trienkhai ARGS` in a subprocess with the environment."""
    return subprocess.run(
        [sys.executable, "-m", "trienkhai.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


@pytest.mark.slow  # subprocesses of the whole CLI
def test_cli_add_list_and_crawl_once(tmp_path: Path, sites: Fixture) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    eng = make_engine(url)
    upgrade(eng)
    with session_scope(eng) as session:
        code = make_unit(session).code
    eng.dispose()
    env = {
        "TRIENKHAI_DATABASE_URL": url,
        "TRIENKHAI_CRAWL_ALLOW_NETWORKS": "127.0.0.1/32",
        "TRIENKHAI_CRAWL_DELAY_S": "0.02",
        "TRIENKHAI_CRAWL_TIMEOUT_S": "1",
    }
    before = len(sites.hits("dai"))
    added = run_cli(env, "sources", "add", "--unit", code, sites.url("dai", "/atom.xml"))
    assert added.returncode == 0, added.stderr
    assert len(sites.hits("dai")) == before  # adding contacts nobody
    dead = run_cli(env, "sources", "add", "--unit", code, "--kind", "rss", "http://127.0.0.1:1/x")
    assert dead.returncode == 0, dead.stderr
    bad = run_cli(env, "sources", "add", "--unit", "khong-co", "http://127.0.0.1:1/x")
    assert bad.returncode == 1 and "khong-co" in bad.stderr
    crawl = run_cli(env, "crawl", "--once")
    assert crawl.returncode == 0, crawl.stderr
    summary = json.loads(crawl.stdout.strip().splitlines()[-1])
    assert summary["failed"] == 1
    # The chain ran after the fetch: every fetched page was read (no campaign: none discovered).
    assert summary["pages_fetched"] == 3 and summary["extracted"] == 3
    assert (summary["republished"], summary["discovered"], summary["merged"]) == (0, 0, 0)
    listed = json.loads(run_cli(env, "sources", "list", "--json").stdout)
    keys = {
        "id",
        "unit",
        "url",
        "kind",
        "last_success",
        "consecutive_failures",
        "last_error",
        "paused",
    }
    assert all(keys <= set(row) for row in listed)
    by_kind = {row["kind"]: row for row in listed}
    assert by_kind["auto"]["last_success"] and by_kind["auto"]["consecutive_failures"] == 0
    assert by_kind["rss"]["consecutive_failures"] == 1 and by_kind["rss"]["last_error"]


@pytest.mark.slow  # subprocesses of the whole CLI
def test_cli_crawl_names_a_wrong_allowed_network(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    eng = make_engine(url)
    upgrade(eng)
    eng.dispose()
    env = {"TRIENKHAI_DATABASE_URL": url, "TRIENKHAI_CRAWL_ALLOW_NETWORKS": "10.0.0.0/33"}
    done = run_cli(env, "crawl", "--once")
    assert done.returncode == 1 and "10.0.0.0/33" in done.stderr


def test_feed_gone_after_a_redesign_is_found_again(tmp_path: Path, sites: Fixture) -> None:
    routes = sites.sites["loi"].routes
    feed = routes["/future.xml"]

    def portal(href: str) -> Route:
        link = f'<link rel="alternate" type="application/rss+xml" href="{href}">'
        return Route(body=f"<html><head>{link}</head><body>Portal</body></html>".encode())

    routes["/portal"], routes["/feed-a.xml"] = portal("/feed-a.xml"), feed
    eng = make_engine(f"sqlite:///{tmp_path / 'redesign.db'}")
    upgrade(eng)
    with session_scope(eng) as session:
        code = make_unit(session).code
        service.add_source(session=session, unit_code=code, url=sites.url("loi", "/portal"))
    service.run_crawl(engine=eng, settings=crawl_settings(), everything=True, now=NOW)
    del routes["/feed-a.xml"]
    routes["/portal"], routes["/feed-b.xml"] = portal("/feed-b.xml"), feed
    later = service.run_crawl(
        engine=eng, settings=crawl_settings(), everything=True, now=NOW + timedelta(hours=2)
    )
    with session_scope(eng) as session:
        (source,) = service.list_sources(session=session)
    eng.dispose()
    assert later.failed == 0 and source.consecutive_failures == 0
    assert source.feed_url == sites.url("loi", "/feed-b.xml")


def test_scheduler_sleeps_until_the_next_source_is_due(tmp_path: Path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'sched.db'}")
    upgrade(eng)
    with session_scope(eng) as session:
        assert service.seconds_until_due(session=session, now=NOW) == 900.0  # nothing to read
        code = make_unit(session).code
        source = service.add_source(session=session, unit_code=code, url="http://127.0.0.1:1/a")
        assert service.seconds_until_due(session=session, now=NOW) == 0.0  # never read: due
        source.next_due = NOW + timedelta(minutes=5)
        session.flush()
        assert service.seconds_until_due(session=session, now=NOW) == 300.0
        source.paused = True
        session.flush()
        assert service.seconds_until_due(session=session, now=NOW) == 900.0
    eng.dispose()


def test_page_answering_5xx_is_asked_again_later_then_given_up(
    tmp_path: Path, sites: Fixture
) -> None:
    routes = sites.sites["loi"].routes
    items = [(sites.url("loi", p), p, "Mon, 09 Nov 2026 08:00:00 +0700") for p in ("/f1", "/f2")]
    routes["/flaky.xml"] = Route(body=rss(sites.sites["loi"].base, items), content_type="text/xml")
    routes["/f1"] = routes["/f2"] = Route(status=500, body=b"busy", content_type="text/plain")
    eng = make_engine(f"sqlite:///{tmp_path / 'flaky.db'}")
    upgrade(eng)
    with session_scope(eng) as session:
        code = make_unit(session).code
        service.add_source(session=session, unit_code=code, url=sites.url("loi", "/flaky.xml"))

    def statuses(when: datetime) -> dict[str, str]:
        service.run_crawl(engine=eng, settings=crawl_settings(), everything=True, now=when)
        with session_scope(eng) as session:
            rows = session.scalars(select(IngestItem))
            return {i.url.rsplit("/", 1)[1]: i.status for i in rows}

    assert statuses(NOW) == {"f1": "new", "f2": "new"}  # to be asked again
    routes["/f1"] = Route(body=article("Một", "Nội dung.", 9))
    assert statuses(NOW + timedelta(hours=2)) == {"f1": "fetched", "f2": "new"}
    assert statuses(NOW + timedelta(days=4)) == {"f1": "fetched", "f2": "failed"}
    eng.dispose()
