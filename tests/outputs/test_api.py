"""Outputs API: idempotent create, unit scoping, verify, evidence, import, export, template."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.outputs.factories import make_campaign, make_unit, zip_bomb_xlsx
from tests.users.factories import api_client, bearer, make_account
from trienkhai.users.models import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def test_outputs_api_end_to_end(session: Session) -> None:
    unit, other = make_unit(session, websites=["baokontum.com.vn"]), make_unit(session)
    campaign = make_campaign(session, units=[unit])
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    stranger = make_account(session, role=Role.unit_editor, unit_id=other.id)
    coord = make_account(session, role=Role.coordinator)
    client = api_client(session)
    body = {
        "campaign_id": campaign.id,
        "unit_id": unit.id,
        "title": "Nhân quyền ở cơ sở",
        "url": "https://baokontum.com.vn/a",
        "channel": "bao dien tu",
        "published_at": "2024-07-20T09:00:00",
        "themes": ["T2"],
    }
    first = client.post("/api/v1/outputs", headers=bearer(editor), json=body)
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post(
        "/api/v1/outputs",
        headers=bearer(editor),
        json={**body, "url": "https://BAOKONTUM.com.vn/a/?fbclid=1"},
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    oid = first.json()["id"]
    assert client.post("/api/v1/outputs", headers=bearer(stranger), json=body).status_code == 403
    assert client.get(f"/api/v1/outputs/{oid}", headers=bearer(stranger)).status_code == 403
    bad = client.post("/api/v1/outputs", headers=bearer(editor), json={**body, "channel": "bồ câu"})
    assert bad.status_code == 422 and "chấp nhận" in bad.json()["detail"]
    # list: diacritic-insensitive search; strangers see only their unit
    found = client.get(
        "/api/v1/outputs",
        headers=bearer(coord),
        params={"q": "nhan quyen", "campaign_id": campaign.id},
    )
    assert [o["id"] for o in found.json()] == [oid]
    assert (
        client.get(
            "/api/v1/outputs", headers=bearer(stranger), params={"campaign_id": campaign.id}
        ).json()
        == []
    )
    verified = client.post(
        f"/api/v1/outputs/{oid}/verify", headers=bearer(coord), json={"state": "verified"}
    )
    assert verified.json()["verification"] == "verified"
    up = client.post(
        f"/api/v1/outputs/{oid}/evidence",
        headers=bearer(editor),
        files={"file": ("anh.png", PNG, "text/plain")},
    )
    assert up.status_code == 201 and up.json()["media_type"] == "image/png"
    down = client.get(f"/api/v1/outputs/{oid}/evidence/{up.json()['id']}", headers=bearer(coord))
    assert down.content == PNG and down.headers["content-type"] == "image/png"
    fake = client.post(
        f"/api/v1/outputs/{oid}/evidence",
        headers=bearer(editor),
        files={"file": ("a.png", b"<script>", "image/png")},
    )
    assert fake.status_code == 422


def test_import_export_template_api(session: Session) -> None:
    unit = make_unit(session)
    campaign = make_campaign(session, units=[unit])
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    client = api_client(session)
    csv_bad = "\ufeffTiêu đề,Kênh,Ngày đăng\nBài 1,báo in,32/01/2024\n".encode()
    form = {"unit_id": str(unit.id), "campaign_id": str(campaign.id)}
    bad = client.post(
        "/api/v1/outputs/import",
        headers=bearer(editor),
        data=form,
        files={"file": ("kq.csv", csv_bad, "text/csv")},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {
            "row": 2,
            "column": "Ngày đăng",
            "message": "Dòng 2, cột 'Ngày đăng': '32/01/2024' không phải ngày hợp lệ (dd/mm/yyyy)",
        }
    ]
    good = csv_bad.replace(b"32/01", b"31/01")
    ok = client.post(
        "/api/v1/outputs/import",
        headers=bearer(editor),
        data=form,
        files={"file": ("kq.csv", good, "text/csv")},
    )
    assert ok.status_code == 200 and ok.json()["stored"] == 1
    again = client.post(
        "/api/v1/outputs/import",
        headers=bearer(editor),
        data=form,
        files={"file": ("kq.csv", good, "text/csv")},
    )
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, 1)
    xlsx = client.get(
        "/api/v1/outputs/export",
        headers=bearer(editor),
        params={"format": "xlsx", "campaign_id": campaign.id},
    )
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2 and sheet["D2"].value == "Bài 1"
    template = client.get(
        "/api/v1/outputs/template", headers=bearer(editor), params={"format": "csv"}
    )
    assert template.content.startswith(b"\xef\xbb\xbfTi")


def test_dates_out_of_range_are_422_in_vietnamese(session: Session) -> None:
    unit = make_unit(session)
    campaign = make_campaign(session, units=[unit])
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    client = api_client(session)
    body = {"campaign_id": campaign.id, "unit_id": unit.id, "title": "Bài", "channel": "báo in"}
    for day in ("0001-01-01", "0001-01-01T03:00:00"):
        made = client.post(
            "/api/v1/outputs", headers=bearer(editor), json={**body, "published_at": day}
        )
        assert made.status_code == 422 and "Ngày" in made.json()["detail"]
    for name, day in (("date_from", "0001-01-01"), ("date_to", "9999-12-31")):
        listed = client.get("/api/v1/outputs", headers=bearer(editor), params={name: day})
        assert listed.status_code == 422 and "Ngày" in listed.json()["detail"]


def test_only_web_addresses_are_stored_as_links(session: Session) -> None:
    unit = make_unit(session)
    campaign = make_campaign(session, units=[unit])
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    client = api_client(session)
    body = {
        "campaign_id": campaign.id,
        "unit_id": unit.id,
        "title": "Bài",
        "channel": "báo điện tử",
        "published_at": "2024-07-20",
    }
    for url in (
        "javascript://baokontum.com.vn/%0aalert(document.cookie)",
        "JavaScript://x.vn/%0aalert(1)",
        "data://x.vn/text/html,<script>alert(1)</script>",
        "vbscript://x.vn/",
    ):
        made = client.post("/api/v1/outputs", headers=bearer(editor), json={**body, "url": url})
        assert made.status_code == 422, url
        assert "http://" in made.json()["detail"]
    good = client.post(
        "/api/v1/outputs", headers=bearer(editor), json={**body, "url": "baokontum.com.vn/a"}
    )
    assert good.status_code == 201
    patched = client.patch(
        f"/api/v1/outputs/{good.json()['id']}",
        headers=bearer(editor),
        json={"url": "javascript://x.vn/%0aalert(1)"},
    )
    assert patched.status_code == 422


def test_an_editor_changing_a_checked_output_sends_it_back_to_checking(session: Session) -> None:
    unit = make_unit(session)
    campaign = make_campaign(session, units=[unit])
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    coord = make_account(session, role=Role.coordinator)
    client = api_client(session)
    body = {
        "campaign_id": campaign.id,
        "unit_id": unit.id,
        "title": "Bài đã kiểm",
        "url": "https://baokontum.com.vn/da-kiem",
        "channel": "báo điện tử",
        "published_at": "2024-07-20",
    }
    oid = client.post("/api/v1/outputs", headers=bearer(editor), json=body).json()["id"]
    for state in ("verified", "rejected"):
        if state == "rejected":
            client.post(
                f"/api/v1/outputs/{oid}/verify", headers=bearer(coord), json={"state": "unverified"}
            )
        client.post(f"/api/v1/outputs/{oid}/verify", headers=bearer(coord), json={"state": state})
        noted = client.patch(
            f"/api/v1/outputs/{oid}", headers=bearer(editor), json={"note": f"ghi chú {state}"}
        )
        assert noted.json()["verification"] == state  # a note changes nothing that was checked
        moved = client.patch(
            f"/api/v1/outputs/{oid}",
            headers=bearer(editor),
            json={"url": f"https://baokontum.com.vn/khac-{state}"},
        )
        assert moved.status_code == 200
        assert moved.json()["verification"] == "unverified"
    client.post(f"/api/v1/outputs/{oid}/verify", headers=bearer(coord), json={"state": "verified"})
    fixed = client.patch(f"/api/v1/outputs/{oid}", headers=bearer(coord), json={"title": "Sửa"})
    assert fixed.json()["verification"] == "verified"  # the checker's own correction stands


def test_a_zip_bomb_import_is_422_and_stores_nothing(session: Session) -> None:
    unit = make_unit(session)
    campaign = make_campaign(session, units=[unit])
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    client = api_client(session)
    form = {"unit_id": str(unit.id), "campaign_id": str(campaign.id)}
    refused = client.post(
        "/api/v1/outputs/import",
        headers=bearer(editor),
        data=form,
        files={"file": ("bom.xlsx", zip_bomb_xlsx(), "application/octet-stream")},
    )
    assert refused.status_code == 422
    assert "zip bomb" in refused.json()["errors"][0]["message"]
    assert refused.json()["stored"] == 0
    listed = client.get(
        "/api/v1/outputs", headers=bearer(editor), params={"campaign_id": campaign.id}
    )
    assert listed.json() == []


def test_an_editor_may_not_log_for_a_campaign_that_skips_the_unit(session: Session) -> None:
    unit = make_unit(session)
    campaign = make_campaign(session)  # assigns nobody
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    coord = make_account(session, role=Role.coordinator)
    client = api_client(session)
    body = {
        "campaign_id": campaign.id,
        "unit_id": unit.id,
        "title": "Bài không được giao",
        "channel": "báo in",
        "published_at": "2024-07-20",
    }
    made = client.post("/api/v1/outputs", headers=bearer(editor), json=body)
    assert made.status_code == 403
    assert made.json()["detail"] == "Đơn vị không được giao nhiệm vụ trong chiến dịch này"
    csv = "\ufeffTiêu đề,Kênh,Ngày đăng\nBài 1,báo in,20/07/2024\n".encode()
    imported = client.post(
        "/api/v1/outputs/import",
        headers=bearer(editor),
        data={"unit_id": str(unit.id), "campaign_id": str(campaign.id)},
        files={"file": ("kq.csv", csv, "text/csv")},
    )
    assert imported.status_code == 403
    assert "không được giao nhiệm vụ" in imported.json()["detail"]
    listed = client.get(
        "/api/v1/outputs", headers=bearer(coord), params={"campaign_id": campaign.id}
    )
    assert listed.json() == []
    assert client.post("/api/v1/outputs", headers=bearer(coord), json=body).status_code == 201


def test_keyset_pages_cover_every_output_once_in_order(session: Session) -> None:
    unit = make_unit(session)
    campaign = make_campaign(session, units=[unit])
    coordinator = make_account(session, role=Role.coordinator)
    client = api_client(session)
    for i in range(7):  # two share a day: the id breaks the tie
        body = {"campaign_id": campaign.id, "unit_id": unit.id, "title": f"Bài số {i}",
                "channel": "báo in", "published_at": f"2024-07-{10 + i // 2:02d}"}  # fmt: skip
        assert client.post("/api/v1/outputs", headers=bearer(coordinator), json=body).is_success
    everything = client.get(
        "/api/v1/outputs", headers=bearer(coordinator), params={"campaign_id": campaign.id}
    ).json()
    seen, cursor = [], None
    while True:
        params: dict[str, object] = {"campaign_id": campaign.id, "limit": 3}
        if cursor:
            params["after"] = cursor
        page = client.get("/api/v1/outputs", headers=bearer(coordinator), params=params)
        seen += [o["id"] for o in page.json()]
        cursor = page.headers.get("x-next-cursor")
        if not cursor:
            break
    assert seen == [o["id"] for o in everything]
    assert len(seen) == 7
    bad = client.get("/api/v1/outputs", headers=bearer(coordinator), params={"after": "!!"})
    assert bad.status_code == 422
    assert "after" in bad.json()["detail"]
