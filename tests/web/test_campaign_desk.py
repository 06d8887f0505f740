"""The campaign desk pages: review drafts, one campaign per directive, settings, closing,
deadlines one or many, the assignment page with its moves, hand-over and history."""

from __future__ import annotations

import re

from sqlalchemy import Engine, func, select

from tests.web.conftest import Desk
from tests.web.helpers import GOOD_ROWS, SAMPLE, open_campaign, outputs_xlsx, review_form
from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.db import session_scope
from trienkhai.outputs.models import Output

DB = tuple[Engine, dict[str, int]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _assignment(engine: Engine, campaign_id: int, unit_id: int) -> Assignment:
    """The unit's assignment (detached, loaded)."""
    with session_scope(engine) as session:
        row = session.scalar(
            select(Assignment).where(
                Assignment.campaign_id == campaign_id, Assignment.unit_id == unit_id
            )
        )
        assert row is not None
        session.expunge(row)
        return row


def _campaigns(engine: Engine) -> list[tuple[int, str, int | None]]:
    """(id, title, copied from) of every campaign."""
    with session_scope(engine) as session:
        return [
            (c.id, c.title, c.copied_from_id)
            for c in session.scalars(select(Campaign).order_by(Campaign.id))
        ]


def _upload_sample(desk: Desk) -> tuple[str, dict[str, str]]:
    """Upload the sample directive; (review path, its form fields)."""
    desk.get("/directives/new")
    files = {"file": ("cong-van.txt", SAMPLE.read_bytes(), "text/plain")}
    review = desk.post("/directives", files=files)
    assert review.status_code == 200
    return str(review.url.path), review_form(review.text)


# --- the two review bugs -----------------------------------------------------------------


def test_save_keeps_the_campaign_title_and_deadline_typed(desk: Desk, web_db: DB) -> None:
    desk.login("dieuphoi")
    path, form = _upload_sample(desk)
    typed = {"campaign_title": "Tuyên truyền nhân quyền 2024", "report_deadline": "2024-08-20"}
    saved = desk.post(path, form | typed | {"action": "save"})
    assert saved.status_code == 200 and "Đã lưu chỉnh sửa" in saved.text
    assert 'value="Tuyên truyền nhân quyền 2024"' in saved.text
    assert 'name="report_deadline" value="2024-08-20"' in saved.text
    again = desk.get(path)  # a later visit too
    assert 'value="2024-08-20"' in again.text
    opened = desk.post(path, review_form(again.text) | {"action": "create"})
    assert opened.status_code == 200
    with session_scope(web_db[0]) as session:
        campaign = session.scalars(select(Campaign)).one()
        assert campaign.title == "Tuyên truyền nhân quyền 2024"
        assert campaign.report_deadline.isoformat() == "2024-08-20"  # type: ignore[union-attr]


def test_second_campaign_is_refused_with_a_link_and_copy_is_explicit(
    desk: Desk, web_db: DB
) -> None:
    engine, _ = web_db
    desk.login("dieuphoi")
    first = open_campaign(desk)
    path, form = _upload_sample(desk)
    page = desk.get(path)
    assert f'href="/campaigns/{first}"' in page.text and 'id="copy-campaign"' in page.text
    refused = desk.post(path, form | {"action": "create"})
    assert refused.status_code == 409
    assert "đã mở chiến dịch" in refused.text and f'href="/campaigns/{first}"' in refused.text
    assert len(_campaigns(engine)) == 1
    copied = desk.post(path, form | {"action": "copy", "campaign_title": "Đợt hai"})
    assert copied.status_code == 200 and copied.url.path != f"/campaigns/{first}"
    assert _campaigns(engine)[-1][1:] == ("Đợt hai (bản sao)", first)


# --- campaign settings, close, archive, delete -------------------------------------------


def test_coordinator_edits_the_campaign_and_others_may_not(desk: Desk, web_db: DB) -> None:
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    board = desk.get(f"/campaigns/{campaign_id}")
    assert f'href="/campaigns/{campaign_id}/settings"' in board.text
    url = f"/campaigns/{campaign_id}/settings"
    fields = {"title": "Nhân quyền (sửa)", "description": "Đợt 1",
              "period_start": "2024-07-01", "period_end": "2024-08-31",
              "report_deadline": "2024-09-05"}  # fmt: skip
    saved = desk.post(url, fields, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == url
    page = desk.get(url)
    assert 'value="Nhân quyền (sửa)"' in page.text and 'value="2024-09-05"' in page.text
    wrong = desk.post(url, fields | {"period_end": "2024-06-01"})
    assert wrong.status_code == 422 and "trước ngày bắt đầu" in wrong.text
    bad_day = desk.post(url, fields | {"report_deadline": "31/02/2024"})
    assert bad_day.status_code == 422 and "Hạn báo cáo" in bad_day.text
    for who in ("lanhdao", "baokontum"):
        desk.login(who)
        assert desk.get(url).status_code == 403
        assert desk.post(url, fields).status_code == 403
        assert desk.post(f"/campaigns/{campaign_id}/close").status_code == 403


def test_close_stops_outputs_by_form_import_and_api(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    unit = ids["bao-kon-tum"]
    closed = desk.post(f"/campaigns/{campaign_id}/close",
                       {"report_number": "15/BC-STTTT", "report_date": "2024-09-02"})  # fmt: skip
    assert closed.status_code == 200 and "Đã đóng chiến dịch" in closed.text
    assert "Báo cáo cuối: số 15/BC-STTTT, ngày 02/09/2024" in closed.text
    api = desk.client.get(f"/api/v1/campaigns/{campaign_id}").json()
    assert (api["status"], api["report_number"], api["report_date"]) == (
        "closed", "15/BC-STTTT", "2024-09-02")  # fmt: skip
    assert api["closed_at"]
    desk.login("baokontum")
    desk.get(f"/units/{unit}?campaign={campaign_id}")
    form = {"campaign_id": campaign_id, "title": "Tin muộn", "channel": "bao_dien_tu",
            "published": "2024-07-20"}  # fmt: skip
    added = desk.post(f"/units/{unit}/outputs", form)
    assert added.status_code == 400 and "không nhận thêm sản phẩm" in added.text
    files = {"file": ("kq.xlsx", outputs_xlsx(GOOD_ROWS), XLSX)}
    imported = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=files)
    assert imported.status_code == 409
    body = {"campaign_id": campaign_id, "unit_id": unit, "title": "Qua API",
            "channel": "báo in", "published_at": "2024-07-02"}  # fmt: skip
    by_api = desk.client.post("/api/v1/outputs", json=body, headers={"X-CSRF-Token": desk.token})
    # The outputs API answers a ValueError with 422; the reason is the closed campaign.
    assert by_api.status_code in (409, 422) and "không nhận thêm sản phẩm" in by_api.text
    with session_scope(engine) as session:
        count = session.scalar(select(func.count(Output.id)))
        assert count == 0


def test_archive_restore_reopen(desk: Desk, web_db: DB) -> None:
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    base = f"/campaigns/{campaign_id}"
    assert desk.post(f"{base}/close", follow_redirects=False).status_code == 303
    assert "Đã lưu trữ chiến dịch" in desk.post(f"{base}/status/archive").text
    assert f'href="{base}"' not in desk.get("/campaigns").text  # off the current list
    assert f'href="{base}"' in desk.get("/campaigns?archived=1").text
    settings = desk.get(f"{base}/settings")
    assert 'id="restore-campaign"' in settings.text and "Đã lưu trữ" in settings.text
    assert "Đã khôi phục" in desk.post(f"{base}/status/restore").text
    assert 'id="reopen-campaign"' in desk.get(f"{base}/settings").text  # closed again
    assert "Đã mở lại" in desk.post(f"{base}/status/reopen").text
    assert desk.post(f"{base}/status/restore").status_code == 409  # not archived
    assert desk.post(f"{base}/status/explode").status_code == 404


def test_delete_needs_the_typed_number_and_no_outputs(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    confirm = desk.get(f"/campaigns/{campaign_id}/delete")
    assert confirm.status_code == 200 and f"({campaign_id})" in confirm.text
    wrong = desk.post(f"/campaigns/{campaign_id}/delete", {"confirm": "xoa"})
    assert wrong.status_code == 422 and "chưa xóa gì" in wrong.text
    unit = ids["bao-kon-tum"]
    desk.get(f"/units/{unit}?campaign={campaign_id}")
    form = {"campaign_id": campaign_id, "title": "Một tin", "channel": "bao_dien_tu",
            "published": "2024-07-20"}  # fmt: skip
    assert desk.post(f"/units/{unit}/outputs", form).status_code == 200
    refused = desk.post(f"/campaigns/{campaign_id}/delete", {"confirm": str(campaign_id)})
    assert refused.status_code == 409 and "1 sản phẩm" in refused.text
    assert "không xóa được" in desk.get(f"/campaigns/{campaign_id}/delete").text
    other = open_campaign(desk)  # an explicit copy with nothing collected
    gone = desk.post(f"/campaigns/{other}/delete", {"confirm": str(other)})
    assert gone.status_code == 200 and "Đã xóa chiến dịch" in gone.text
    assert [c[0] for c in _campaigns(engine)] == [campaign_id]


# --- deadlines ---------------------------------------------------------------------------


def test_bulk_deadline_from_the_board(desk: Desk, web_db: DB) -> None:
    engine, _ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    board = desk.get(f"/campaigns/{campaign_id}")
    picks = re.findall(r'name="pick" value="(\d+:\d+)" form="bulk-deadline"', board.text)
    assert len(picks) > 2
    url = f"/campaigns/{campaign_id}/deadlines"
    body = {"pick": picks[:2], "deadline": "2024-08-25", "reason": "Lùi theo đề nghị"}
    done = desk.post(url, body, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/campaigns/{campaign_id}"
    assert "Đã đổi hạn của 2 đơn vị sang 25/08/2024" in desk.get(done.headers["location"]).text
    stale = desk.post(url, {"pick": picks[:2], "deadline": "2024-08-30"})  # old versions
    assert stale.status_code == 409 and "tải lại trang" in stale.text
    first_id = int(picks[0].split(":")[0])
    with session_scope(engine) as session:
        row = session.get(Assignment, first_id)
        assert row is not None and row.deadline.isoformat() == "2024-08-25"  # type: ignore[union-attr]
        assert row.events[-1].note == "Lùi theo đề nghị"
    assert desk.post(url, {"deadline": "2024-08-30"}).status_code == 422  # nothing ticked
    page = desk.get(f"/assignments/{first_id}")
    assert "Đổi hạn" in page.text and "Lùi theo đề nghị" in page.text and "dieuphoi" in page.text
    desk.login("lanhdao")
    assert desk.post(url, {"pick": picks[:1], "deadline": "2024-08-30"}).status_code == 403
    assert 'name="pick"' not in desk.get(f"/campaigns/{campaign_id}").text


# --- the assignment page -----------------------------------------------------------------


def test_editor_moves_coordinator_returns_with_reason_then_verifies(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    unit = ids["bao-kon-tum"]
    row = _assignment(engine, campaign_id, unit)
    url = f"/assignments/{row.id}"
    desk.login("baokontum")
    page = desk.get(url)
    assert page.status_code == 200 and 'id="move-acknowledged"' in page.text
    assert 'id="deadline-form"' not in page.text  # editors do not steer deadlines
    version = row.version
    for step in ("acknowledged", "in_progress", "reported"):
        moved = desk.post(f"{url}/transition", {"to": step, "version": version},
                          follow_redirects=False)  # fmt: skip
        assert moved.status_code == 303, moved.text
        version += 1
    assert desk.post(f"{url}/transition", {"to": "verified", "version": version}).status_code == 403
    assert (
        desk.post(f"{url}/deadline", {"version": version, "deadline": "2024-09-01"}).status_code
        == 403
    )
    desk.login("dakha")
    assert desk.get(url).status_code == 403
    desk.login("dieuphoi")
    no_reason = desk.post(f"{url}/transition", {"to": "in_progress", "version": version})
    assert no_reason.status_code == 422 and "lý do" in no_reason.text
    assert 'id="action-error"' in no_reason.text
    reason = "Thiếu đường dẫn bài T2"
    back = desk.post(f"{url}/transition", {"to": "in_progress", "version": version,
                                           "note": reason})  # fmt: skip
    assert back.status_code == 200 and reason in back.text
    version += 1
    desk.login("baokontum")
    unit_page = desk.get(f"/units/{unit}?campaign={campaign_id}")
    assert 'id="rework-reason"' in unit_page.text and reason in unit_page.text
    desk.post(f"{url}/transition", {"to": "reported", "version": version})
    version += 1
    desk.login("dieuphoi")
    desk.post(f"{url}/transition", {"to": "verified", "version": version})
    history = desk.get(url).text
    table = history[history.index('id="history"') :]
    assert table.count("<tr>") == 8  # header, opened, 3 editor moves, rework, report, verify
    assert "baokontum" in table and reason in table and "Đã xác minh" in table
    desk.login("lanhdao")  # leaders read the page and its history, and change nothing
    read_only = desk.get(url)
    assert read_only.status_code == 200 and 'id="move-form"' not in read_only.text
    assert (
        desk.post(f"{url}/transition", {"to": "reported", "version": version + 1}).status_code
        == 403
    )


def test_stale_page_gets_a_clear_409(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    row = _assignment(engine, campaign_id, ids["bao-kon-tum"])
    url = f"/assignments/{row.id}"
    desk.post(f"{url}/deadline", {"version": row.version, "deadline": "2024-09-01"})
    stale = desk.post(f"{url}/transition", {"to": "cancelled", "version": row.version})
    assert stale.status_code == 409
    assert "vừa được người khác" in stale.text and 'id="action-error"' in stale.text
    assert _assignment(engine, campaign_id, ids["bao-kon-tum"]).state == "assigned"


def test_cancel_reopen_handover_add_and_remove(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    row = _assignment(engine, campaign_id, ids["bao-kon-tum"])
    url = f"/assignments/{row.id}"
    desk.post(f"{url}/transition", {"to": "cancelled", "version": row.version, "note": "Trùng"})
    page = desk.get(url)
    assert 'id="move-assigned"' in page.text and "Mở lại" in page.text
    desk.post(f"{url}/transition", {"to": "assigned", "version": row.version + 1})
    board = desk.get(f"/campaigns/{campaign_id}")
    pattern = r'<select id="add-unit" name="unit_id" required><option value="">[^<]*</option>'
    free = re.search(pattern + r'\s*<option value="(\d+)">([^<]+)</option>', board.text)
    assert free is not None
    added = desk.post(f"/campaigns/{campaign_id}/assignments", {"unit_id": free.group(1)},
                      follow_redirects=False)  # fmt: skip
    assert added.status_code == 303 and added.headers["location"].startswith("/assignments/")
    again = desk.post(f"/campaigns/{campaign_id}/assignments", {"unit_id": free.group(1)})
    assert again.status_code == 422 and "đã được giao" in again.text
    new_url = added.headers["location"]
    assert "Giao thêm nhiệm vụ" in desk.get(new_url).text
    version = _assignment(engine, campaign_id, int(free.group(1))).version
    removed = desk.post(f"{new_url}/remove", {"version": version}, follow_redirects=False)
    assert removed.status_code == 303
    fresh = _assignment(engine, campaign_id, ids["bao-kon-tum"])
    handed = desk.post(f"{url}/handover", {"version": fresh.version, "unit_id": free.group(1),
                                           "reason": "Đúng chức năng"})  # fmt: skip
    assert handed.status_code == 200 and "Đã chuyển giao" in handed.text
    assert free.group(2) in handed.text and "Đúng chức năng" in handed.text


def test_closed_campaign_hides_and_refuses_steering(desk: Desk, web_db: DB) -> None:
    engine, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    row = _assignment(engine, campaign_id, ids["bao-kon-tum"])
    desk.post(f"/campaigns/{campaign_id}/close")
    board = desk.get(f"/campaigns/{campaign_id}").text
    assert 'id="bulk-deadline"' not in board and "không nhận thêm sản phẩm" in board
    page = desk.get(f"/assignments/{row.id}").text
    assert 'id="move-form"' not in page and 'id="deadline-form"' not in page
    refused = desk.post(f"/assignments/{row.id}/deadline",
                        {"version": row.version, "deadline": "2024-09-01"})  # fmt: skip
    assert refused.status_code == 409 and "mở lại" in refused.text
