"""Inputs the API fuzz broke: integers beyond 64 bits, null in updates, a DOCTYPE in .xlsx."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.outputs.factories import make_campaign, make_unit
from tests.users.factories import api_client, bearer, make_account
from trienkhai.outputs.models import Output
from trienkhai.users.models import Role

HUGE = 2**63
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/campaigns/{HUGE}",
        f"/api/v1/outputs/{HUGE}",
        f"/api/v1/units/{HUGE}",
        f"/api/v1/directives/{10**30}",
        f"/api/v1/outputs?offset={HUGE}",
        f"/api/v1/outputs?campaign_id={HUGE}",
    ],
)
def test_integers_beyond_64_bits_are_a_4xx(session: Session, url: str) -> None:
    admin = make_account(session, role=Role.admin)
    response = api_client(session).get(url, headers=bearer(admin))
    assert response.status_code == 422, response.text
    assert "vượt quá giới hạn số nguyên" in response.text


def test_huge_integer_in_a_json_body_is_a_422(session: Session) -> None:
    unit = make_unit(session)
    coord = make_account(session, role=Role.coordinator)
    response = api_client(session).post(
        "/api/v1/outputs",
        headers=bearer(coord),
        json={
            "campaign_id": HUGE,
            "unit_id": unit.id,
            "title": "Tin",
            "channel": "báo in",
            "published_at": "2024-07-02",
        },
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("field", ["title", "status", "description"])
def test_null_for_a_required_campaign_field_is_a_422(session: Session, field: str) -> None:
    campaign = make_campaign(session)
    admin = make_account(session, role=Role.admin)
    response = api_client(session).patch(
        f"/api/v1/campaigns/{campaign.id}", headers=bearer(admin), json={field: None}
    )
    assert response.status_code == 422, response.text
    assert f"Trường '{field}' không được để trống" in response.text


def test_null_clears_a_nullable_date(session: Session) -> None:
    campaign = make_campaign(session)
    admin = make_account(session, role=Role.admin)
    response = api_client(session).patch(
        f"/api/v1/campaigns/{campaign.id}", headers=bearer(admin), json={"report_deadline": None}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/users/{admin}", {"role": None}),
        ("/api/v1/users/{admin}", {"active": None}),
        ("/api/v1/units/{unit}", {"name": None}),
        ("/api/v1/outputs/{output}", {"title": None}),
    ],
)
def test_null_in_other_update_schemas_is_a_422(session: Session, url: str, body: dict) -> None:
    unit = make_unit(session)
    campaign = make_campaign(session, units=[unit])
    admin = make_account(session, role=Role.admin)
    client = api_client(session)
    made = client.post(
        "/api/v1/outputs",
        headers=bearer(admin),
        json={
            "campaign_id": campaign.id,
            "unit_id": unit.id,
            "title": "Tin",
            "channel": "báo in",
            "published_at": "2024-07-02",
        },
    )
    assert made.status_code == 201, made.text
    target = url.format(admin=admin.id, unit=unit.id, output=made.json()["id"])
    response = client.patch(target, headers=bearer(admin), json=body)
    assert response.status_code == 422, response.text


def doctype_xlsx(header: list[str]) -> bytes:
    """A real workbook whose sheet XML declares a DOCTYPE and uses an undefined entity."""
    book = openpyxl.Workbook()
    book.active.append(header)
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                doctype = b'<!DOCTYPE worksheet [<!ENTITY a "b">]>'
                if data.startswith(b"<?xml"):
                    head, rest = data.split(b"?>", 1)
                    data = head + b"?>" + doctype + rest
                else:
                    data = doctype + data
                data = data.replace(b"<sheetData>", b"<sheetData>&undefined;", 1)
            target.writestr(info, data)
    return out.getvalue()


def test_xlsx_with_a_doctype_is_refused_cleanly(session: Session) -> None:
    unit = make_unit(session)
    campaign = make_campaign(session, units=[unit])
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    before = session.scalar(select(func.count()).select_from(Output))
    response = api_client(session).post(
        "/api/v1/outputs/import",
        headers=bearer(editor),
        files={"file": ("ket-qua.xlsx", doctype_xlsx(["Tiêu đề", "Kênh"]), XLSX)},
        data={"unit_id": str(unit.id), "campaign_id": str(campaign.id)},
    )
    assert response.status_code == 422, response.text
    message = response.json()["errors"][0]["message"]
    assert message.startswith("ket-qua.xlsx: Tệp Excel bị từ chối")
    assert "DOCTYPE" in message and "xl/worksheets/sheet1.xml" in message
    assert session.scalar(select(func.count()).select_from(Output)) == before


@pytest.mark.parametrize("unit_id", [False, 0, 987654])
def test_user_with_a_unit_that_does_not_exist_is_a_422(session: Session, unit_id: object) -> None:
    """Found by the API fuzz: `"unit_id": false` became unit 0 and broke the foreign key."""
    admin = make_account(session, role=Role.admin)
    client = api_client(session)
    body = {"username": f"u-{unit_id}", "password": "mat-khau-dai-du", "role": "admin"}
    created = client.post("/api/v1/users", headers=bearer(admin), json=body | {"unit_id": unit_id})
    assert created.status_code == 422, created.text
    assert "unit_id" in created.text
    changed = client.patch(
        f"/api/v1/users/{admin.id}", headers=bearer(admin), json={"unit_id": unit_id}
    )
    assert changed.status_code == 422, changed.text


@pytest.mark.parametrize("name", ["\v", " \t ", "\u3000"])
def test_unit_name_of_only_whitespace_is_a_422(session: Session, name: str) -> None:
    """Found by the API fuzz: a name of one vertical tab was stored empty, then unreadable."""
    admin = make_account(session, role=Role.admin)
    client = api_client(session)
    created = client.post(
        "/api/v1/units", headers=bearer(admin), json={"code": "ws-unit", "name": name}
    )
    assert created.status_code == 422, created.text
    unit = make_unit(session)
    changed = client.patch(f"/api/v1/units/{unit.id}", headers=bearer(admin), json={"name": name})
    assert changed.status_code == 422, changed.text
