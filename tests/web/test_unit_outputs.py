"""The unit page corrects outputs: edit, remove and restore, period, links, duplicates, PRG."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from tests.web.conftest import Desk
from tests.web.helpers import GOOD_ROWS, open_campaign, outputs_xlsx
from trienkhai.campaigns.models import Campaign
from trienkhai.db import session_scope
from trienkhai.outputs.models import INCLUDE_REMOVED, Output
from trienkhai.users.models import AuditLog

DB = tuple[Engine, dict[str, int]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _setup(desk: Desk, web_db: DB, *, period: bool = True) -> tuple[int, int]:
    """The sample campaign (period July-December 2024), Báo Kon Tum's page open as its editor."""
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    with session_scope(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        campaign.period_start = date(2024, 7, 1) if period else None
        campaign.period_end = date(2024, 12, 31) if period else None
    unit = ids["bao-kon-tum"]
    desk.login("baokontum")
    desk.get(f"/units/{unit}?campaign={campaign_id}")
    return unit, campaign_id


def _form(campaign_id: int, **fields: object) -> dict[str, object]:
    return {
        "campaign_id": campaign_id,
        "title": "Hưởng ứng ngày quyền con người",
        "url": "",
        "channel": "bao_dien_tu",
        "published": "2024-07-20",
        "themes": ["T1"],
    } | fields


def _outputs(engine: Engine, campaign_id: int) -> list[Output]:
    with session_scope(engine) as session:
        stmt = select(Output).where(Output.campaign_id == campaign_id).order_by(Output.id)
        rows = list(session.scalars(stmt.execution_options(**{INCLUDE_REMOVED: True})))
        session.expunge_all()
        return rows


def test_add_completes_a_bare_link_and_says_so(desk: Desk, web_db: DB) -> None:
    unit, campaign_id = _setup(desk, web_db)
    page = desk.post(
        f"/units/{unit}/outputs", _form(campaign_id, url="baokontum.com.vn/so-dac-biet")
    )
    assert page.status_code == 200
    assert str(page.url).endswith(f"/units/{unit}?campaign={campaign_id}")  # redirected (PRG)
    assert "đã lưu thành https://baokontum.com.vn/so-dac-biet" in page.text
    assert 'href="https://baokontum.com.vn/so-dac-biet"' in page.text
    refused = desk.post(f"/units/{unit}/outputs", _form(campaign_id, url="so dac biet", title="B"))
    assert refused.status_code == 400
    assert "Đường dẫn 'so dac biet' không phải địa chỉ web" in html.unescape(refused.text)
    assert refused.headers["HX-Push-Url"] == f"/units/{unit}?campaign={campaign_id}"


def test_a_duplicate_names_the_output_it_duplicates(desk: Desk, web_db: DB) -> None:
    engine, _ = web_db
    unit, campaign_id = _setup(desk, web_db)
    assert "Đã thêm sản phẩm." in desk.post(f"/units/{unit}/outputs", _form(campaign_id)).text
    (first,) = _outputs(engine, campaign_id)
    again = desk.post(f"/units/{unit}/outputs", _form(campaign_id))
    assert again.status_code == 409
    assert "Đã thêm sản phẩm." not in again.text
    assert f"sản phẩm này đã có (số {first.id}" in again.text
    assert f'href="#output-{first.id}"' in again.text and f'id="output-{first.id}"' in again.text
    assert len(_outputs(engine, campaign_id)) == 1


def test_a_date_outside_the_period_needs_a_coordinator(desk: Desk, web_db: DB) -> None:
    engine, _ = web_db
    unit, campaign_id = _setup(desk, web_db)
    page = desk.get(f"/units/{unit}?campaign={campaign_id}")
    assert "accept_outside_period" not in page.text  # not offered to unit editors
    late = _form(campaign_id, published="2027-05-01")
    refused = desk.post(f"/units/{unit}/outputs", late)
    assert refused.status_code == 400
    assert "Ngày đăng 01/05/2027 nằm ngoài thời gian chiến dịch (01/07/2024 – 31/12/2024)" in (
        refused.text
    )
    assert _outputs(engine, campaign_id) == []
    desk.login("dieuphoi")
    assert "accept_outside_period" in desk.get(f"/units/{unit}?campaign={campaign_id}").text
    accepted = desk.post(f"/units/{unit}/outputs", late | {"accept_outside_period": "true"})
    assert accepted.status_code == 200 and "Đã thêm sản phẩm." in accepted.text
    assert len(_outputs(engine, campaign_id)) == 1


def test_edit_remove_and_restore_from_the_unit_page(desk: Desk, web_db: DB) -> None:
    engine, _ = web_db
    unit, campaign_id = _setup(desk, web_db)
    desk.post(f"/units/{unit}/outputs", _form(campaign_id, title="Tiêu đề sai chính tả"))
    (output,) = _outputs(engine, campaign_id)
    page = desk.get(f"/units/{unit}?campaign={campaign_id}&edit={output.id}")
    assert f'action="/units/{unit}/outputs/{output.id}/edit"' in page.text
    assert 'value="Tiêu đề sai chính tả"' in page.text and 'value="2024-07-20"' in page.text
    edited = desk.post(
        f"/units/{unit}/outputs/{output.id}/edit",
        {
            "title": "Tiêu đề đúng chính tả",
            "url": "",
            "channel": "bao_dien_tu",
            "published": "2024-07-20",
            "themes": ["T1", "T2"],
        },
    )
    assert edited.status_code == 200 and f"Đã lưu chỉnh sửa sản phẩm số {output.id}" in edited.text
    (fixed,) = _outputs(engine, campaign_id)
    assert fixed.title == "Tiêu đề đúng chính tả"
    assert fixed.published_at == output.published_at  # an unchanged day keeps the time

    removed = desk.post(f"/units/{unit}/outputs/{output.id}/remove", {"reason": "Nhập nhầm"})
    assert removed.status_code == 200 and f"Đã gỡ sản phẩm số {output.id}" in removed.text
    assert 'id="logged-count">0<' in removed.text and 'id="removed-count">1<' in removed.text
    assert "Nhập nhầm" in removed.text
    desk.login("dieuphoi")
    board = desk.get(f"/campaigns/{campaign_id}").text
    search = desk.get("/search", params={"q": "chính tả"}).text
    assert "Tiêu đề đúng chính tả" not in board and "Tiêu đề đúng chính tả" not in search
    restored = desk.post(f"/units/{unit}/outputs/{output.id}/restore")
    assert f"Đã khôi phục sản phẩm số {output.id}" in restored.text
    assert 'id="logged-count">1<' in restored.text
    assert "Tiêu đề đúng chính tả" in desk.get("/search", params={"q": "chính tả"}).text
    with session_scope(engine) as session:
        actions = session.scalars(
            select(AuditLog.action)
            .where(AuditLog.entity == "output", AuditLog.entity_id == str(output.id))
            .order_by(AuditLog.id)
        )
        assert list(actions) == ["create", "update", "remove", "restore"]
    desk.login("dakha")  # another unit's editor
    assert desk.post(f"/units/{unit}/outputs/{output.id}/remove").status_code == 403


def test_import_redirects_and_a_reload_lands_on_the_unit_page(desk: Desk, web_db: DB) -> None:
    unit, campaign_id = _setup(desk, web_db)
    upload = {"file": ("kq.xlsx", outputs_xlsx(GOOD_ROWS), XLSX)}
    stored = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    assert stored.history and stored.history[0].status_code == 303
    assert str(stored.url).endswith(f"/units/{unit}?campaign={campaign_id}")
    assert "Đã lưu 3 sản phẩm mới" in stored.text
    # A reload of the form's address (or a bookmark) is the unit page, never JSON.
    for path in ("import", "outputs", "report", "outputs/1/remove"):
        again = desk.client.get(f"/units/{unit}/{path}?campaign={campaign_id}")
        assert again.status_code == 200 and "detail" not in again.text[:50]
        assert str(again.url).endswith(f"/units/{unit}?campaign={campaign_id}")
    # Row errors stay visible in place, with the address bar on the unit page.
    bad = outputs_xlsx([["Bài", "", "báo in", "", "32/07/2024", ""]])
    failed = desk.post(
        f"/units/{unit}/import", {"campaign_id": campaign_id}, files={"file": ("x.xlsx", bad, XLSX)}
    )
    assert failed.status_code == 422 and "Dòng 2" in failed.text
    assert failed.headers["HX-Push-Url"] == f"/units/{unit}?campaign={campaign_id}"
    # A corrected re-import updates the matching output instead of adding a copy.
    fixed = [[GOOD_ROWS[0][0] + " (sửa)", *GOOD_ROWS[0][1:]], *GOOD_ROWS[1:]]
    upload = {"file": ("kq.xlsx", outputs_xlsx(fixed), XLSX)}
    again = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=upload)
    assert "Đã lưu 0 sản phẩm mới, cập nhật 1, 2 đã có." in again.text
    assert re.search(r'id="logged-count">3<', again.text)


def _many(engine: Engine, campaign_id: int, unit_id: int, n: int) -> None:
    """n outputs of the unit, one a day from 1 July 2024 (no two on the same instant)."""
    start = datetime(2024, 7, 1, 3, tzinfo=UTC)
    with session_scope(engine) as session:
        for i in range(n):
            session.add(
                Output(
                    campaign_id=campaign_id, unit_id=unit_id, title=f"Tin thứ {i}",
                    channel="bao_dien_tu", published_at=start + timedelta(hours=i),
                    dedup_key=f"trang-{i}",
                )
            )  # fmt: skip


def test_the_outputs_list_pages_by_cursor_never_all_at_once(desk: Desk, web_db: DB) -> None:
    """250 outputs: pages of 100, 100 and 50 through "Older", newest first, none twice."""
    unit, campaign_id = _setup(desk, web_db)
    _many(web_db[0], campaign_id, unit, 250)
    page = desk.get(f"/units/{unit}?campaign={campaign_id}")
    assert 'id="logged-count">250<' in page.text
    seen: list[str] = []
    for expected in (100, 100, 50):
        rows = re.findall(r'<tr id="output-(\d+)"', page.text)
        assert len(rows) == expected
        seen += rows
        older = re.search(r'href="([^"]+)" rel="next" id="older-outputs"', page.text)
        if expected == 50:
            assert older is None and "Mới nhất" in page.text
            break
        assert older is not None and "Cũ hơn" in page.text
        page = desk.get(html.unescape(older.group(1)))
        assert 'id="logged-count">250<' in page.text
    assert len(set(seen)) == 250
    titles = re.findall(
        r"Tin thứ (\d+) <small", desk.get(f"/units/{unit}?campaign={campaign_id}").text
    )
    assert titles[:2] == ["249", "248"]  # newest first


def test_a_broken_cursor_is_a_422_naming_it(desk: Desk, web_db: DB) -> None:
    unit, campaign_id = _setup(desk, web_db)
    page = desk.get(f"/units/{unit}?campaign={campaign_id}&after=khong-hop-le")
    assert page.status_code == 422
    assert "after" in html.unescape(page.text)
