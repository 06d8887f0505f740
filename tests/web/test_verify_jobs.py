"""The link check as a job: started from the board by a coordinator, polled, states stored."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.factories import report_output
from tests.ingest.verify_server import Site, site  # noqa: F401 - `site` is a fixture
from tests.web.conftest import Desk
from tests.web.helpers import open_campaign
from trienkhai.campaigns.models import Campaign
from trienkhai.db import session_scope
from trienkhai.jobs.models import Job
from trienkhai.outputs.models import Output
from trienkhai.units.models import Unit
from trienkhai.web.app import create_app

TITLE = "Tuyên truyền phòng, chống mua bán người tại các xã biên giới"


def _page(title: str) -> str:
    """An article page carrying the title."""
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        + "".join(f"<p>Đoạn {n}: nội dung bài viết về công tác tuyên truyền.</p>" for n in range(6))
        + "</article></body></html>"
    )


def _reported(engine: Engine, campaign_id: int, site: Site) -> dict[str, int]:  # noqa: F811
    """Two reported outputs of the sample paper: one whose page is there, one gone."""
    with session_scope(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        unit = session.scalars(select(Unit).where(Unit.code == "bao-kon-tum")).one()
        assert campaign is not None
        made = {
            name: report_output(
                session,
                campaign=campaign,
                unit=unit,
                title=TITLE,
                url=f"{site.base}/bai/{name}.html",
            )
            for name in ("there", "gone")
        }
        session.flush()
        return {name: o.id for name, o in made.items()}


def _until_result(desk: Desk, job_url: str) -> str:
    """The job page once the job is done (a minute at most)."""
    deadline = time.monotonic() + 60
    while 'id="job-result"' not in (shown := desk.get(job_url).text):
        assert 'id="job-error"' not in shown, shown
        assert time.monotonic() < deadline, "the link check did not finish"
        time.sleep(0.2)
    return shown


def test_a_coordinator_starts_the_link_check_from_the_board(
    desk: Desk,
    web_db: tuple[Engine, dict[str, int]],
    site: Site,  # noqa: F811 - the loopback site fixture imported above
) -> None:
    engine = web_db[0]
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    site.page("/bai/there.html", _page(TITLE))
    ids = _reported(engine, campaign_id, site)
    board = desk.get(f"/campaigns/{campaign_id}")
    assert f'action="/campaigns/{campaign_id}/verify-job"' in board.text
    assert 'id="verify-start"' in board.text
    started = desk.post(f"/campaigns/{campaign_id}/verify-job", follow_redirects=False)
    assert started.status_code == 303
    job_url = started.headers["location"]
    shown = _until_result(desk, job_url)
    assert "Kiểm tra đường dẫn sản phẩm" in shown and "not_found" in shown
    with session_scope(engine) as session:
        job = session.get(Job, int(job_url.rsplit("/", 1)[1]))
        assert job is not None and job.kind == "ingest.verify"
        assert job.args["campaign_id"] == campaign_id and job.progress == 1.0
        assert job.result["checked"] >= 2 and job.result["verified"] >= 1
        states = {n: session.get(Output, i) for n, i in ids.items()}
        assert states["there"] is not None and states["there"].verification == "verified"
        assert states["gone"] is not None and states["gone"].verification == "not_found"
        assert states["there"].checked_at is not None and len(states["there"].evidence) == 2
    assert "/bai/there.html" in site.requested and "/bai/gone.html" in site.requested


def test_only_coordinators_start_it_and_only_with_the_form_token(
    desk: Desk, web_db: tuple[Engine, dict[str, int]]
) -> None:
    engine = web_db[0]
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    url = f"/campaigns/{campaign_id}/verify-job"
    forged = desk.client.post(url, data={"csrf": "sai"}, follow_redirects=False)
    assert forged.status_code == 403
    assert desk.post("/campaigns/999999/verify-job", follow_redirects=False).status_code == 404
    with TestClient(create_app(engine)) as client:
        editor = Desk(client)
        editor.login("baokontum")
        assert editor.post(url, follow_redirects=False).status_code == 403
        assert 'id="verify-start"' not in editor.get(f"/campaigns/{campaign_id}").text
    with TestClient(create_app(engine)) as client:
        leader = Desk(client)
        leader.login("lanhdao")
        assert leader.post(url, follow_redirects=False).status_code == 403
    with session_scope(engine) as session:
        kinds = list(session.scalars(select(Job.kind).where(Job.kind == "ingest.verify")))
        assert kinds == []  # nothing was queued by the refused requests
