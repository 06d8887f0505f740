"""Board and unit-page actions on both databases: phrases, discovered outputs, import warnings."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import Engine, select

from tests.outputs.factories import zip_bomb_xlsx
from tests.smtp_server import MailBox
from tests.web.conftest import Desk
from tests.web.helpers import GOOD_ROWS, open_campaign, outputs_xlsx
from trienkhai.campaigns.models import Assignment, UnresolvedPhrase
from trienkhai.db import session_scope
from trienkhai.outputs import service as outputs
from trienkhai.outputs.models import Output, OutputSource
from trienkhai.outputs.schemas import OutputCreate
from trienkhai.settings import Settings, get_settings
from trienkhai.text import fold
from trienkhai.units.models import Unit, UnitAlias
from trienkhai.users.models import User
from trienkhai.web.pages import units as unit_pages

DB = tuple[Engine, dict[str, int]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFF_SITE = ["Tin đăng nhờ trang khác", "https://vnexpress.net/x1", "báo điện tử", "tin",
            "12/07/2024", "T1"]  # fmt: skip


def _phrases(engine: Engine, campaign_id: int, *texts: str) -> list[int]:
    """Recipient phrases that matched no unit, as the planner leaves them."""
    with session_scope(engine) as session:
        rows = [UnresolvedPhrase(campaign_id=campaign_id, phrase=text) for text in texts]
        session.add_all(rows)
        session.flush()
        return [r.id for r in rows]


def _discovered(engine: Engine, campaign_id: int, unit_id: int, title: str) -> int:
    """An output the crawler found on the unit's site."""
    with session_scope(engine) as session:
        crawler = session.scalar(select(User).where(User.username == "dieuphoi"))
        data = OutputCreate(
            campaign_id=campaign_id,
            unit_id=unit_id,
            title=title,
            url=f"https://baokontum.com.vn/{fold(title).replace(' ', '-')}",
            channel="bao_dien_tu",
            published_at=date(2024, 7, 9),
            source=OutputSource.discovered,
        )
        output, _ = outputs.create_output(session=session, actor=crawler, data=data)
        return output.id


def test_coordinator_resolves_a_phrase_and_dismisses_another(any_desk: Desk, any_db: DB) -> None:
    engine, ids = any_db
    any_desk.login("dieuphoi")
    campaign_id = open_campaign(any_desk)
    unit_id = ids["h-dak-ha"]
    with session_scope(engine) as session:
        assigned = session.scalar(select(Assignment).where(
            Assignment.campaign_id == campaign_id, Assignment.unit_id == unit_id))  # fmt: skip
        if assigned is not None:  # the sample may already assign the district: pick another unit
            unit_id = ids["bao-kon-tum"]
            session.delete(assigned)
    phrase = f"Phòng Văn hóa huyện Đắk Hà {campaign_id}"
    resolve_id, dismiss_id = _phrases(engine, campaign_id, phrase, "Các đồng chí Ủy viên")
    board = any_desk.get(f"/campaigns/{campaign_id}")
    assert f'action="/campaigns/{campaign_id}/unresolved/{resolve_id}/map"' in board.text
    assert 'data-filter="unit-' in board.text and "Tìm đơn vị" in board.text
    url = f"/campaigns/{campaign_id}/unresolved"
    done = any_desk.post(f"{url}/{resolve_id}/resolve", {"unit_id": unit_id, "learn_alias": "true"})
    assert done.status_code == 200
    assert "Đã giao nhiệm vụ của" in done.text
    assert f"/units/{unit_id}?campaign={campaign_id}" in done.text  # now a row of the board
    gone = any_desk.post(f"{url}/{dismiss_id}/dismiss")
    assert "Đã bỏ qua" in gone.text
    assert f"/unresolved/{dismiss_id}/resolve" not in gone.text
    again = any_desk.post(f"{url}/{resolve_id}/resolve", {"unit_id": unit_id})
    assert again.status_code == 409
    assert "đã được xử lý" in again.text
    with session_scope(engine) as session:
        aliases = session.scalars(select(UnitAlias.alias).where(UnitAlias.unit_id == unit_id))
        assert phrase in set(aliases)


def test_resolving_is_for_coordinators_and_checks_the_unit(any_desk: Desk, any_db: DB) -> None:
    engine, _ = any_db
    any_desk.login("dieuphoi")
    campaign_id = open_campaign(any_desk)
    (phrase_id,) = _phrases(engine, campaign_id, "Ban Quản lý dự án")
    url = f"/campaigns/{campaign_id}/unresolved/{phrase_id}"
    assert any_desk.post(f"{url}/resolve", {"unit_id": 999999}).status_code == 404
    assert any_desk.post(f"/campaigns/{campaign_id}/unresolved/999999/dismiss").status_code == 404
    any_desk.login("lanhdao")
    board = any_desk.get(f"/campaigns/{campaign_id}")
    assert "Ban Quản lý dự án" in board.text
    assert f"{url}/resolve" not in board.text  # leaders read, they do not resolve
    assert any_desk.post(f"{url}/dismiss").status_code == 403


def test_unit_answers_on_discovered_outputs(any_desk: Desk, any_db: DB) -> None:
    engine, ids = any_db
    unit = ids["bao-kon-tum"]
    any_desk.login("dieuphoi")
    campaign_id = open_campaign(any_desk)
    ours = _discovered(engine, campaign_id, unit, "Bài hệ thống tìm thấy")
    not_ours = _discovered(engine, campaign_id, unit, "Bài của báo khác")
    any_desk.login("baokontum")
    page = any_desk.get(f"/units/{unit}?campaign={campaign_id}")
    assert "Sản phẩm hệ thống tìm thấy" in page.text
    base = f"/units/{unit}/outputs"
    confirmed = any_desk.post(f"{base}/{ours}/confirm")
    assert "Đã ghi nhận: sản phẩm là của đơn vị." in confirmed.text
    assert "Đơn vị đã xác nhận" in confirmed.text
    assert f"{base}/{ours}/confirm" not in confirmed.text  # the other answer stays possible
    assert f"{base}/{ours}/reject" in confirmed.text
    disowned = any_desk.post(f"{base}/{not_ours}/reject")
    assert "Đơn vị báo không phải" in disowned.text
    assert any_desk.post(f"{base}/{ours}/maybe").status_code == 404
    with session_scope(engine) as session:
        for oid in (ours, not_ours):
            output = session.get(Output, oid)
            assert output is not None
            assert (output.source, output.verification) == ("discovered", "unverified")
    any_desk.login("dakha")
    assert any_desk.post(f"{base}/{ours}/reject").status_code == 403


def test_import_stopped_by_warnings_offers_import_anyway(any_desk: Desk, any_db: DB) -> None:
    engine, ids = any_db
    unit = ids["bao-kon-tum"]
    any_desk.login("dieuphoi")
    campaign_id = open_campaign(any_desk)
    any_desk.login("baokontum")
    any_desk.get(f"/units/{unit}?campaign={campaign_id}")
    upload = {"file": ("ket-qua.xlsx", outputs_xlsx([GOOD_ROWS[0], OFF_SITE]), XLSX)}
    held = any_desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    assert held.status_code == 200
    assert "Tệp chưa được nhập: có 1 cảnh báo" in held.text
    assert "Vẫn nhập" in held.text and 'name="accept_warnings"' in held.text
    assert "vnexpress" not in held.text.split("Sản phẩm đã ghi nhận")[1].split("</section>")[0]
    form = dict(re.findall(r'name="(pending_\w+)" value="([^"]*)"', held.text))
    assert form["pending_name"] == "ket-qua.xlsx"
    stored = any_desk.post(f"/units/{unit}/import", {
        "campaign_id": campaign_id, "accept_warnings": "true", **form})  # fmt: skip
    assert stored.status_code == 200
    assert "Đã lưu 2 sản phẩm" in stored.text
    with session_scope(engine) as session:
        titles = session.scalars(select(Output.title).where(Output.campaign_id == campaign_id))
        assert OFF_SITE[0] in set(titles)


def test_import_anyway_asks_for_a_big_file_again(
    desk: Desk, web_db: DB, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, ids = web_db
    monkeypatch.setattr(unit_pages, "PENDING_MAX", 10)
    unit = ids["bao-kon-tum"]
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    desk.login("baokontum")
    desk.get(f"/units/{unit}?campaign={campaign_id}")
    upload = {"file": ("ket-qua.xlsx", outputs_xlsx([OFF_SITE]), XLSX)}
    held = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    assert 'id="i-again"' in held.text and "pending_content" not in held.text
    again = {"campaign_id": campaign_id, "accept_warnings": "true"}
    stored = desk.post(f"/units/{unit}/import", again, files=upload)
    assert "Đã lưu 1 sản phẩm" in stored.text
    broken = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id,
                       "pending_name": "x.csv", "pending_content": "%%%"})  # fmt: skip
    assert broken.status_code == 400
    assert "chọn lại tệp" in broken.text


def test_a_zip_bomb_import_on_the_unit_page_is_refused(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    unit = ids["bao-kon-tum"]
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    desk.login("baokontum")
    desk.get(f"/units/{unit}?campaign={campaign_id}")
    upload = {"file": ("bom.xlsx", zip_bomb_xlsx(), XLSX)}
    refused = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    assert refused.status_code == 422
    assert "zip bomb" in refused.text
    with session_scope(engine) as session:
        stored = session.scalars(select(Output.id).where(Output.campaign_id == campaign_id))
        assert list(stored) == []


def test_an_editor_may_not_log_for_a_campaign_that_skips_the_unit(
    any_desk: Desk, any_db: DB
) -> None:
    engine, ids = any_db
    unit = ids["bao-kon-tum"]
    any_desk.login("dieuphoi")
    campaign_id = open_campaign(any_desk)
    with session_scope(engine) as session:
        for row in session.scalars(
            select(Assignment).where(
                Assignment.campaign_id == campaign_id, Assignment.unit_id == unit
            )
        ):
            session.delete(row)
    any_desk.login("baokontum")
    added = any_desk.post(f"/units/{unit}/outputs", {
        "campaign_id": campaign_id, "title": "Bài không được giao", "channel": "bao_in",
        "published": "2024-07-20"})  # fmt: skip
    assert added.status_code == 403
    assert "Đơn vị không được giao nhiệm vụ trong chiến dịch này" in added.text
    upload = {"file": ("ket-qua.xlsx", outputs_xlsx(GOOD_ROWS), XLSX)}
    imported = any_desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    assert imported.status_code == 403
    assert "không được giao nhiệm vụ" in imported.text
    with session_scope(engine) as session:
        stored = session.scalars(select(Output.id).where(Output.campaign_id == campaign_id))
        assert list(stored) == []
    any_desk.login("dieuphoi")  # a coordinator is not held to it
    logged = any_desk.post(f"/units/{unit}/outputs", {
        "campaign_id": campaign_id, "title": "Bài điều phối ghi", "channel": "bao_in",
        "published": "2024-07-20"})  # fmt: skip
    assert logged.status_code == 200
    with session_scope(engine) as session:
        stored = session.scalars(select(Output.title).where(Output.campaign_id == campaign_id))
        assert list(stored) == ["Bài điều phối ghi"]


def test_timeline_csv_names_weeks_by_their_monday(desk: Desk, web_db: DB) -> None:
    _, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    desk.get(f"/units/{ids['bao-kon-tum']}?campaign={campaign_id}")
    upload = {"file": ("ket-qua.xlsx", outputs_xlsx(GOOD_ROWS), XLSX)}
    desk.post(f"/units/{ids['bao-kon-tum']}/import", {"campaign_id": campaign_id}, files=upload)
    csv = desk.get(f"/campaigns/{campaign_id}/dashboard/timeline.csv").text
    assert csv.splitlines()[1:] == ["08/07/2024,2,0", "15/07/2024,0,1"]
    assert "Tuần (từ thứ Hai)" in csv


def test_reminders_button_is_disabled_without_a_mail_server(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIENKHAI_SMTP_HOST", "")
    get_settings.cache_clear()
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    board = desk.get(f"/campaigns/{campaign_id}")
    assert "Gửi nhắc nhở" in board.text
    assert "disabled" in board.text.split("Gửi nhắc nhở")[0].rsplit("<button", 1)[1]
    assert desk.post(f"/campaigns/{campaign_id}/reminders").status_code == 409


def test_reminders_button_mails_the_campaign_units_through_smtp(
    desk: Desk, web_db: DB, monkeypatch: pytest.MonkeyPatch, smtp_server: tuple[MailBox, Settings]
) -> None:
    inbox, settings = smtp_server
    engine, ids = web_db
    with session_scope(engine) as session:
        for code in ("bao-kon-tum", "dai-ptth"):
            unit = session.get(Unit, ids[code])
            assert unit is not None
            unit.email = f"{code}@example.org"
    monkeypatch.setenv("TRIENKHAI_SMTP_HOST", settings.smtp_host)
    monkeypatch.setenv("TRIENKHAI_SMTP_PORT", str(settings.smtp_port))
    get_settings.cache_clear()
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    board = desk.get(f"/campaigns/{campaign_id}")
    assert "hx-confirm=" in board.text
    done = desk.post(f"/campaigns/{campaign_id}/reminders")
    assert done.status_code == 200
    assert "Đã gửi" in done.text, done.text[:3000]
    addressed = {m["To"] for m in inbox.messages}
    assert addressed == {"bao-kon-tum@example.org", "dai-ptth@example.org"}
    assert all(a in done.text for a in addressed)
    again = desk.post(f"/campaigns/{campaign_id}/reminders")
    assert "Đã gửi 0 thư nhắc" in again.text  # once a day per unit
    desk.login("lanhdao")
    assert desk.post(f"/campaigns/{campaign_id}/reminders").status_code == 403
    get_settings.cache_clear()
