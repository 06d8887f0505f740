"""The chain after a crawl, end to end: two units' sites, one republishing the other's article.

Sources are added, the periodic crawl job runs through the job runner (fetch → extract → dedup
across units → match), on SQLite and PostgreSQL, against real loopback sites.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from tests.factories import report_assignment, report_campaign, report_output, report_unit
from tests.ingest.conftest import ENGINES, module_engine
from tests.ingest.site_server import Fixture, Route, Site, article, rss
from trienkhai.campaigns.models import Campaign
from trienkhai.db import session_factory, session_scope
from trienkhai.ingest import pipeline, service
from trienkhai.ingest.jobs import CRAWL
from trienkhai.ingest.models import IngestItem, IngestSource
from trienkhai.jobs.models import Job
from trienkhai.jobs.queues import InProcessQueue, Runtime, start_job
from trienkhai.jobs.registry import default_registry
from trienkhai.jobs.runner import RunnerConfig
from trienkhai.outputs.models import INCLUDE_REMOVED, Output
from trienkhai.settings import get_settings
from trienkhai.units.models import UnitKind

TRAFFICKING = (
    "Công an tỉnh đã triệt phá đường dây mua bán người qua biên giới, giải cứu 5 phụ nữ bị lừa "
    "bán sang nước ngoài. Các đối tượng mua bán người dụ dỗ nạn nhân bằng việc làm lương cao. "
    "Lực lượng chức năng tuyên truyền phòng, chống mua bán người tại các xã biên giới, hỗ trợ "
    "nạn nhân trở về tái hòa nhập cộng đồng và cảnh giác trước các thủ đoạn mới."
)
TITLE = "Triệt phá đường dây mua bán người qua biên giới"
COPY_TITLE = "Giải cứu 5 phụ nữ bị lừa bán qua biên giới"
FOOTBALL = (
    "Trận chung kết diễn ra sôi nổi trên sân vận động với hàng nghìn cổ động viên. Đội bóng đá "
    "thiếu niên thắng 3-1 và nhận cúp vô địch giải bóng đá mùa đông."
)
LABOUR = (
    "Liên đoàn lao động tỉnh tổ chức đối thoại với người lao động về tiền lương, bảo hiểm xã hội "
    "và an toàn lao động, bảo đảm quyền của người lao động tại các doanh nghiệp trong khu công "
    "nghiệp, giải quyết kịp thời kiến nghị của công nhân."
)
EMPTY_PAGE = b"<!doctype html><html><head><title>x</title></head><body></body></html>"
FAST = RunnerConfig(heartbeat_seconds=0.2, stale_seconds=30.0, retry_seconds=0.0)


def _date(day: int) -> str:
    """An RSS date in November 2026, 08:30 local time."""
    return format_datetime(datetime(2026, 11, day, 8, 30, tzinfo=timezone(timedelta(hours=7))))


def _paper(site: Site) -> None:
    """The provincial paper: the original article, a sports story, a reported one, a blank page."""
    site.routes["/tin/mua-ban-nguoi.html"] = Route(body=article(TITLE, TRAFFICKING, 10))
    site.routes["/tin/bong-da.html"] = Route(body=article("Đội bóng giành cúp", FOOTBALL, 11))
    site.routes["/tin/lao-dong.html"] = Route(body=article("Đối thoại với công nhân", LABOUR, 12))
    site.routes["/tin/trang-trong.html"] = Route(body=EMPTY_PAGE)
    links = [
        (site.base + "/tin/mua-ban-nguoi.html", TITLE, _date(10)),
        (site.base + "/tin/bong-da.html", "Đội bóng giành cúp", _date(11)),
        (site.base + "/tin/lao-dong.html", "Đối thoại với công nhân", _date(12)),
        (site.base + "/tin/trang-trong.html", "Trang lỗi", _date(13)),
    ]
    site.routes["/rss.xml"] = Route(body=rss(site.base, links), content_type="application/xml")


def _district(site: Site) -> None:
    """The district portal: the paper's article republished, cut short, under its own title."""
    copy = TRAFFICKING.rsplit(".", 2)[0] + ". (Nguồn: Báo tỉnh)"
    site.routes["/bai-viet/chia-se.html"] = Route(body=article(COPY_TITLE, copy, 14))
    links = [(site.base + "/bai-viet/chia-se.html", COPY_TITLE, _date(14))]
    site.routes["/rss.xml"] = Route(body=rss(site.base, links), content_type="application/xml")


@pytest.fixture(scope="module")
def two_sites() -> Iterator[Fixture]:
    """The paper's and the district's sites on loopback, each its own origin."""
    fx = Fixture([Site("bao"), Site("huyen")])
    fx.start()
    _paper(fx.sites["bao"])
    _district(fx.sites["huyen"])
    try:
        yield fx
    finally:
        fx.stop()


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A fresh migrated database of each kind for the module."""
    yield from module_engine(request, tmp_path_factory, "pipeline")


@dataclass
class World:
    """What the module set up and what the two crawl jobs returned."""

    engine: Engine
    sites: Fixture
    campaign_id: int
    paper_id: int
    district_id: int
    reported_id: int
    first: dict[str, int]
    second: dict[str, int]
    outputs_after_first: int


def _run_crawl_job(engine: Engine) -> dict[str, int]:
    """One `ingest.crawl` job through the job runner; its result."""
    sessions = session_factory(engine)
    queue = InProcessQueue(Runtime(default_registry(), sessions, FAST), threads=1)
    try:
        job_id = start_job(queue, sessions, CRAWL, {})
        queue.drain()
    finally:
        queue.stop()
    with sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "done", job and job.error
        return dict(job.result)


def _setup(session: Session, sites: Fixture) -> tuple[int, int, int, int]:
    """Two assigned units with their sources, an active campaign, one output already reported."""
    campaign = report_campaign(session, status="active", period_start=date(2026, 11, 1),
                               period_end=date(2026, 12, 31))  # fmt: skip
    paper = report_unit(session, kind=UnitKind.press.value)
    district = report_unit(session)
    for unit in (paper, district):
        report_assignment(session, campaign=campaign, unit=unit)
    reported = report_output(
        session, campaign=campaign, unit=paper, title="Đối thoại với công nhân",
        url=sites.url("bao", "/tin/lao-dong.html"),
    )  # fmt: skip
    session.flush()
    for unit, site in ((paper, "bao"), (district, "huyen")):
        service.add_source(
            session=session, unit_code=unit.code, url=sites.url(site, "/rss.xml"), kind="rss"
        )
    return campaign.id, paper.id, district.id, reported.id


@pytest.fixture(scope="module")
def world(engine: Engine, two_sites: Fixture) -> Iterator[World]:
    """Set up, run the crawl job, make every source due again, run it a second time."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRIENKHAI_CRAWL_ALLOW_NETWORKS", "127.0.0.1/32")
        env.setenv("TRIENKHAI_CRAWL_DELAY_S", "0.02")
        env.setenv("TRIENKHAI_CRAWL_TIMEOUT_S", "2")
        env.setenv("TRIENKHAI_PIPELINE_BATCH", "2")  # several batches, one index across them
        get_settings.cache_clear()
        try:
            with session_scope(engine) as session:
                ids = _setup(session, two_sites)
            first = _run_crawl_job(engine)
            with session_scope(engine) as session:
                outputs = _outputs(session, ids[0])
                session.execute(update(IngestSource).values(next_due=None))
            second = _run_crawl_job(engine)
            yield World(engine, two_sites, *ids, first, second, len(outputs))
        finally:
            get_settings.cache_clear()


def _outputs(session: Session, campaign_id: int) -> list[Output]:
    """Every output of the campaign (removed ones too), oldest first."""
    query = (
        select(Output)
        .where(Output.campaign_id == campaign_id)
        .order_by(Output.id)
        .execution_options(**{INCLUDE_REMOVED: True})
    )
    return list(session.scalars(query))


def _items(session: Session, unit_id: int) -> dict[str, IngestItem]:
    """The unit's items by path."""
    rows = session.scalars(select(IngestItem).where(IngestItem.unit_id == unit_id))
    return {r.url.split("/", 3)[-1]: r for r in rows}


def test_the_crawl_job_extracts_every_readable_page(world: World) -> None:
    assert world.first["pages_fetched"] == 5
    assert (world.first["extracted"], world.first["unreadable"]) == (4, 1)
    with session_scope(world.engine) as session:
        paper = _items(session, world.paper_id)
        original = paper["tin/mua-ban-nguoi.html"]
        assert original.status == "extracted" and original.content_hash
        text = session.scalar(select(IngestItem.text).where(IngestItem.id == original.id))
        assert text and "giải cứu 5 phụ nữ" in text


def test_a_page_that_breaks_extraction_is_marked_and_the_rest_proceed(world: World) -> None:
    with session_scope(world.engine) as session:
        blank = _items(session, world.paper_id)["tin/trang-trong.html"]
        assert blank.status == "unreadable"
        assert blank.fetch_error and "nội dung" in blank.fetch_error
        later = _items(session, world.district_id)["bai-viet/chia-se.html"]
        assert later.status == "extracted"  # crawled in a later batch, still processed


def test_the_copy_is_linked_to_the_original(world: World) -> None:
    assert world.first["republished"] == 1
    with session_scope(world.engine) as session:
        original = _items(session, world.paper_id)["tin/mua-ban-nguoi.html"]
        copy = _items(session, world.district_id)["bai-viet/chia-se.html"]
        assert copy.original_item_id == original.id
        assert original.original_item_id is None


def test_discovered_outputs_with_themes_and_the_republished_one_marked(world: World) -> None:
    with session_scope(world.engine) as session:
        found = [o for o in _outputs(session, world.campaign_id) if o.source == "discovered"]
        by_unit = {o.unit_id: o for o in found}
        assert len(found) == 2 and set(by_unit) == {world.paper_id, world.district_id}
        original, copy = by_unit[world.paper_id], by_unit[world.district_id]
        assert original.url == world.sites.url("bao", "/tin/mua-ban-nguoi.html")
        assert original.republished_from is None and original.channel == "bao_dien_tu"
        assert "T3" in [t.code for t in original.themes]  # anti-trafficking
        assert copy.url == world.sites.url("huyen", "/bai-viet/chia-se.html")
        assert copy.republished_from == original.url and copy.channel == "cong_ttdt"
        assert "T3" in [t.code for t in copy.themes]
    assert world.first["discovered"] == 2


def test_a_reported_output_whose_page_is_crawled_is_merged(world: World) -> None:
    with session_scope(world.engine) as session:
        rows = _outputs(session, world.campaign_id)
        at_url = [o for o in rows if o.url.endswith("/tin/lao-dong.html")]
        assert [o.id for o in at_url] == [world.reported_id]
        assert at_url[0].source == "reported" and "Liên đoàn lao động" in at_url[0].excerpt
        assert at_url[0].content_hash
        assert not [o for o in rows if o.url.endswith("/tin/bong-da.html")]  # no theme
    assert world.first["merged"] >= 1


def test_a_second_run_creates_nothing(world: World) -> None:
    assert world.second["sources"] == 2 and world.second["new_items"] == 0
    assert world.second["extracted"] == world.second["discovered"] == 0
    with session_scope(world.engine) as session:
        assert len(_outputs(session, world.campaign_id)) == world.outputs_after_first
    again = pipeline.process_items(engine=world.engine, settings=get_settings())
    assert again.extracted == 0 and again.discovered == 0


def test_the_index_is_rebuilt_from_stored_items_of_every_unit(world: World) -> None:
    """A restart loses nothing: a new copy is linked to the original stored by an earlier run."""
    with session_scope(world.engine) as session:
        other = report_unit(session)
        source = service.add_source(
            session=session, unit_code=other.code, url="http://127.0.0.1:1/rss", kind="rss"
        )
        original = _items(session, world.paper_id)["tin/mua-ban-nguoi.html"]
        copy = IngestItem(
            source_id=source.id, unit_id=other.id, url="http://127.0.0.1:1/tin/ban-sao.html",
            canonical_url="http://127.0.0.1:1/tin/ban-sao.html", title="Bản sao",
            status="fetched", html=article("Bản sao", TRAFFICKING, 20).decode(),
        )  # fmt: skip
        session.add(copy)
        session.flush()
        copy_id, original_id, other_id = copy.id, original.id, other.id
    done = pipeline.process_items(engine=world.engine, settings=get_settings())
    assert (done.extracted, done.republished) == (1, 1)
    assert done.compared >= 4
    with session_scope(world.engine) as session:
        stored = session.get(IngestItem, copy_id)
        assert stored is not None and stored.original_item_id == original_id
        count = select(func.count(Output.id)).where(Output.unit_id == other_id)
        assert session.scalar(count) == 0  # the unit is not assigned in the campaign


def _fetched(session: Session, unit_id: int, path: str, title: str, text: str, day: int) -> int:
    """An item stored as a crawl leaves it (fetched, with its page); its id."""
    url = f"http://127.0.0.1:9/{path}"
    item = IngestItem(unit_id=unit_id, url=url, canonical_url=url, title=title, status="fetched",
                      html=article(title, text, day).decode(),
                      published_at=datetime(2026, 11, day, 1, 30, tzinfo=UTC))  # fmt: skip
    session.add(item)
    session.flush()
    return item.id


def test_an_original_crawled_after_its_copy_takes_its_place(world: World) -> None:
    story = (
        "Bộ đội biên phòng tỉnh phối hợp với Hội Liên hiệp phụ nữ tổ chức buổi nói chuyện về "
        "phòng, chống mua bán người cho học sinh các trường dân tộc nội trú. Cán bộ biên phòng "
        "kể lại những vụ án lừa đưa người sang biên giới, hướng dẫn các em nhận biết lời mời "
        "làm việc nhẹ lương cao trên mạng xã hội và cách báo tin cho đồn biên phòng gần nhất."
    )
    with session_scope(world.engine) as session:
        campaign = session.get(Campaign, world.campaign_id)
        assert campaign is not None
        first, late = report_unit(session), report_unit(session)
        for unit in (first, late):
            report_assignment(session, campaign=campaign, unit=unit)
        copy_id = _fetched(session, first.id, "ban-sao.html", "Bản sao", story, 20)
    pipeline.process_items(engine=world.engine, settings=get_settings())
    with session_scope(world.engine) as session:
        original_id = _fetched(session, late.id, "goc.html", "Bài gốc", story, 18)
    done = pipeline.process_items(engine=world.engine, settings=get_settings())
    assert done.compared >= 5 and done.discovered == 1
    with session_scope(world.engine) as session:
        copy = session.get(IngestItem, copy_id)
        assert copy is not None and copy.original_item_id == original_id
        outputs = {o.unit_id: o for o in _outputs(session, world.campaign_id)}
        assert outputs[first.id].republished_from == "http://127.0.0.1:9/goc.html"
        assert outputs[late.id].republished_from is None
