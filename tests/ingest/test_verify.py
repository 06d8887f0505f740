"""The link check against a real loopback site: verified, moved, not_found, removed, archives."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from tests.factories import report_assignment, report_campaign, report_output, report_unit
from tests.ingest.verify_server import Site
from tests.users.factories import api_client, bearer, make_account
from trienkhai.campaigns.models import Campaign
from trienkhai.db import make_engine
from trienkhai.ingest.pages import PageResponse, fetch_page
from trienkhai.ingest.verify import judge, titles_match, verify_campaign
from trienkhai.migrate import upgrade
from trienkhai.outputs.models import Output, Verification
from trienkhai.settings import get_settings

TITLE = "Huyện Đăk Hà tuyên truyền phòng, chống mua bán người"
PARAGRAPHS = "".join(
    f"<p>Đoạn {n}: Ủy ban nhân dân huyện tổ chức tuyên truyền về phòng, chống mua bán người "
    "tại các thôn, làng đồng bào dân tộc thiểu số, phát tờ rơi và nói chuyện chuyên đề.</p>"
    for n in range(6)
)


def article(title: str = TITLE) -> str:
    """A portal article page with the title."""
    return (
        f"<html><head><title>UBND huyện Đăk Hà</title></head><body><nav><a href='/'>Trang chủ</a>"
        f"</nav><h1>{title}</h1><p>Thứ hai, 03/11/2025 14:20</p>{PARAGRAPHS}</body></html>"
    )


def test_titles_match_fuzzily() -> None:
    assert titles_match(TITLE, "HUYỆN ĐĂK HÀ TUYÊN TRUYỀN PHÒNG CHỐNG MUA BÁN NGƯỜI")
    assert titles_match(TITLE, "Huyen Dak Ha tuyen truyen phong, chong mua ban nguoi.")
    assert titles_match("Tuyên truyền phòng chống mua bán người", TITLE)
    assert not titles_match(TITLE, "Hội nghị tổng kết công tác dân vận năm 2025")
    assert not titles_match(TITLE, "")


def _outputs(session: Session, site: Site) -> tuple[Campaign, dict[str, Output]]:
    campaign = report_campaign(session)
    unit = report_unit(session)
    made = {
        name: report_output(
            session, campaign=campaign, unit=unit, title=TITLE, url=f"{site.base}/bai/{name}.html"
        )
        for name in ("there", "gone", "moved", "home", "other", "error")
    }
    session.flush()
    return campaign, made


def test_verify_states_and_archive(session: Session, site: Site) -> None:
    site.page("/bai/there.html", article())
    site.redirect("/bai/moved.html", "/tin-tuc/2025/moved-moi.html")
    site.page("/tin-tuc/2025/moved-moi.html", article())
    site.redirect("/bai/home.html", "/", 302)
    site.page("/", article("Trang chủ UBND huyện Đăk Hà"))
    site.page("/bai/other.html", article("Lịch tiếp công dân tháng 11 năm 2025"))
    site.page("/bai/error.html", "lỗi", status=500)
    campaign, made = _outputs(session, site)

    checks = {c.output_id: c for c in verify_campaign(session=session, campaign_id=campaign.id)}
    states = {name: checks[o.id].after for name, o in made.items()}
    assert states == {
        "there": "verified", "gone": "not_found", "moved": "moved", "home": "not_found",
        "other": "not_found", "error": "unverified",
    }  # fmt: skip
    there = made["there"]
    assert there.verified_at is not None and there.checked_at is not None
    assert made["error"].checked_at is not None and made["error"].verified_at is None
    kinds = sorted(e.media_type for e in there.evidence)
    assert kinds == ["application/warc", "text/plain; charset=utf-8"]
    warc = next(e for e in there.evidence if e.media_type == "application/warc")
    records = [
        (r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(warc.content))
    ]
    assert len(records) == 1 and records[0][0] == there.url
    assert TITLE.encode() in records[0][1]
    text = next(e for e in there.evidence if e.media_type.startswith("text/plain"))
    assert "Đoạn 5" in text.content.decode()

    # Checking again archives nothing new; then the page disappears: removed, archive kept.
    verify_campaign(session=session, campaign_id=campaign.id)
    assert len(there.evidence) == 2
    del site.routes["/bai/there.html"]
    checks = {c.output_id: c for c in verify_campaign(session=session, campaign_id=campaign.id)}
    assert checks[there.id].after == "removed"
    assert len(there.evidence) == 2

    coordinator = make_account(session, role="coordinator")
    client = api_client(session)
    got = client.get(f"/api/v1/outputs/{there.id}/evidence/{warc.id}", headers=bearer(coordinator))
    assert got.status_code == 200 and got.content == warc.content
    assert gzip.decompress(got.content).startswith(b"WARC/1")


def test_private_targets_are_refused_unless_allowed(site: Site) -> None:
    site.page("/x", article())
    assert fetch_page(f"{site.base}/x").status == 200
    refused = fetch_page("http://10.255.255.1/bai.html")
    assert refused.status == 0 and "nội bộ" in refused.error
    os.environ["TRIENKHAI_CRAWL_ALLOW_NETWORKS"] = ""
    get_settings.cache_clear()
    asked = len(site.requested)
    assert fetch_page(f"{site.base}/x").status == 0
    assert len(site.requested) == asked  # refused before any connection
    site.redirect("/r", "http://169.254.169.254/latest/meta-data/")
    os.environ["TRIENKHAI_CRAWL_ALLOW_NETWORKS"] = "127.0.0.1/32"
    get_settings.cache_clear()
    hop = fetch_page(f"{site.base}/r")
    assert hop.status == 0 and "169.254.169.254" in hop.error


@pytest.mark.slow
def test_cli_verify_and_outputs_list(tmp_path: Path, site: Site) -> None:
    site.page("/bai/there.html", article())
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        campaign = report_campaign(session)
        unit = report_unit(session, code="BKT")
        report_output(session, campaign=campaign, unit=unit, title=TITLE,
                      url=f"{site.base}/bai/there.html")  # fmt: skip
        gone = f"{site.base}/bai/gone.html"
        report_output(session, campaign=campaign, unit=unit, title=TITLE, url=gone,
                      republished_from="https://a.example/b")  # fmt: skip
        session.commit()
        campaign_id = campaign.id
    engine.dispose()
    env = {**os.environ, "TRIENKHAI_DATABASE_URL": url, "TRIENKHAI_DATA_DIR": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "trienkhai.cli", *args], capture_output=True,
                              text=True, env=env, timeout=120, check=False)  # fmt: skip

    checked = run("verify", "--campaign", str(campaign_id), "--json")
    assert checked.returncode == 0, checked.stderr
    assert sorted(json.loads(line)["after"] for line in checked.stdout.splitlines()) == [
        "not_found", "verified"
    ]  # fmt: skip
    listed = run("outputs", "list", "--campaign", str(campaign_id), "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert {tuple(sorted(r)) for r in rows} == {
        ("channel", "id", "published_at", "republished_from", "source", "themes", "title", "unit",
         "url", "verification")
    }  # fmt: skip
    assert {(r["unit"], r["verification"], r["republished_from"]) for r in rows} == {
        ("BKT", "verified", None), ("BKT", "not_found", "https://a.example/b")
    }  # fmt: skip
    assert run("verify", "--campaign", "999").returncode == 1
    assert run("outputs", "list", "--campaign", "999", "--json").returncode == 1


def test_unit_page_links_the_archived_copies(session: Session, site: Site) -> None:
    site.page("/bai/there.html", article())
    campaign = report_campaign(session, status="active")
    unit = report_unit(session)
    report_assignment(session, campaign=campaign, unit=unit)
    output = report_output(session, campaign=campaign, unit=unit, title=TITLE,
                           url=f"{site.base}/bai/there.html")  # fmt: skip
    session.flush()
    verify_campaign(session=session, campaign_id=campaign.id)
    coordinator = make_account(session, role="coordinator")
    client = api_client(session)
    page = client.get(f"/units/{unit.id}?campaign={campaign.id}", headers=bearer(coordinator))
    assert page.status_code == 200
    for evidence in output.evidence:
        assert f"/api/v1/outputs/{output.id}/evidence/{evidence.id}" in page.text
    assert "Bản lưu (WARC)" in page.text


def test_redirect_loops_and_gone_pages(site: Site) -> None:
    site.redirect("/loop", "/loop", 302)
    looped = fetch_page(f"{site.base}/loop")
    assert looped.status == 0 and "chuyển hướng" in looped.error
    assert site.requested.count("/loop") == 1  # the loop is named at its first repeat
    site.routes["/gone"] = (410, {}, b"")
    assert fetch_page(f"{site.base}/gone").status == 410


def test_judge_is_a_pure_function_of_the_response() -> None:
    gone = PageResponse("http://a.example/x", "http://a.example/x", 410)
    assert judge(TITLE, gone, was_verified=False)[0] is Verification.not_found
    assert judge(TITLE, gone, was_verified=True)[0] is Verification.removed
    busy = PageResponse("http://a.example/x", "http://a.example/x", 503)
    assert judge(TITLE, busy, was_verified=True)[0] is None
    body = article().encode()
    elsewhere = PageResponse("http://a.example/x", "http://b.example/y", 200, body=body)
    assert judge(TITLE, elsewhere, was_verified=False)[0] is Verification.not_found


def test_the_link_check_is_polite_robots_once_and_obeyed(session: Session, site: Site) -> None:
    site.routes["/robots.txt"] = (
        200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /rieng/\n"
    )  # fmt: skip
    for path in ("/bai/a.html", "/bai/b.html", "/rieng/an.html"):
        site.page(path, article())
    campaign = report_campaign(session)
    unit = report_unit(session)
    made = [
        report_output(session, campaign=campaign, unit=unit, title=TITLE, url=f"{site.base}{p}")
        for p in ("/bai/a.html", "/bai/b.html", "/rieng/an.html")
    ]
    session.flush()
    checks = {c.output_id: c for c in verify_campaign(session=session, campaign_id=campaign.id)}
    assert [checks[o.id].after for o in made] == ["verified", "verified", "unverified"]
    assert "robots.txt" in checks[made[2].id].detail  # not judged gone: left as it was
    assert "/rieng/an.html" not in site.requested
    assert site.requested.count("/robots.txt") == 1  # one fetcher for the whole check
