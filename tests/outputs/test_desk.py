"""Correcting outputs: reversible removal, the campaign period, links, duplicates, re-imports."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests.factories import report_assignment, report_campaign, report_output, report_unit
from tests.outputs.factories import make_campaign, make_unit
from tests.users.factories import api_client, bearer, make_account
from trienkhai.campaigns import service as campaigns
from trienkhai.outputs import exporter, importer, removal, service
from trienkhai.outputs.models import Output
from trienkhai.outputs.schemas import OutputCreate, OutputUpdate
from trienkhai.reports import service as reports
from trienkhai.users.models import AuditLog, Role


@pytest.fixture
def world(session: Session) -> dict[str, object]:
    unit = make_unit(session, websites=["baokontum.com.vn"])
    campaign = make_campaign(session, units=[unit])
    campaign.period_start, campaign.period_end = date(2024, 7, 1), date(2024, 12, 31)
    session.flush()
    return {
        "unit": unit,
        "campaign": campaign,
        "coord": make_account(session, role=Role.coordinator),
        "editor": make_account(session, role=Role.unit_editor, unit_id=unit.id),
    }


def _data(world: dict, **fields: object) -> OutputCreate:
    values: dict[str, object] = {
        "campaign_id": world["campaign"].id,
        "unit_id": world["unit"].id,
        "title": "Tuyên truyền về quyền con người",
        "url": "https://baokontum.com.vn/bai-1",
        "channel": "báo điện tử",
        "published_at": datetime(2024, 7, 20, 8, 30),
        "themes": ["T1"],
    }
    values.update(fields)
    return OutputCreate.model_validate(values)


def _actions(session: Session, output_id: int) -> list[str]:
    stmt = select(AuditLog.action).where(
        AuditLog.entity == "output", AuditLog.entity_id == str(output_id)
    )
    return list(session.scalars(stmt.order_by(AuditLog.id)))


def test_a_removed_output_leaves_every_count_report_export_and_search(session: Session) -> None:
    unit = report_unit(session)
    campaign = report_campaign(session)
    report_assignment(session, campaign=campaign, unit=unit)
    t1 = campaign.themes[0]
    kept = report_output(
        session, campaign=campaign, unit=unit, themes=[t1], verification="verified"
    )
    gone = report_output(
        session, campaign=campaign, unit=unit, themes=[t1], verification="verified", title="Sai"
    )
    session.flush()
    coord = make_account(session, role=Role.coordinator)
    removal.remove_output(session=session, actor=coord, output=gone, reason="Nhập nhầm")

    today = date(2024, 8, 1)
    summary = reports.campaign_summary(session=session, campaign_id=campaign.id, today=today)
    assert summary.total == 1
    assert summary.by_theme == {"T1": 1}
    assert sum(summary.by_channel.values()) == 1
    assert sum(n for _d, n in summary.by_week) == 1
    assert [u.total for u in summary.units] == [1]
    assert reports.unit_channel_counts(session=session, campaign_id=campaign.id) == {
        unit.id: {"bao_dien_tu": 1}
    }
    weeks = reports.outputs_by_week_channel(session=session, campaign_id=campaign.id)
    assert sum(sum(c.values()) for _m, c in weeks) == 1
    rows = list(reports.iter_outputs(session=session, campaign_id=campaign.id))
    assert [r[0] for r in rows] == [kept.id]
    notable = reports.notable_outputs(session=session, campaign_id=campaign.id)
    assert [r[0] for r in notable] == [kept.id]
    assert campaigns.outputs_count(session=session, campaign_id=campaign.id) == 1
    found = service.list_outputs(
        session=session, criteria=service.OutputFilter(campaign_id=campaign.id)
    )
    assert [o.id for o in found] == [kept.id]
    content = exporter.export_outputs(
        session=session, criteria=service.OutputFilter(campaign_id=campaign.id), fmt="csv"
    )
    assert "Sai" not in content.decode("utf-8-sig")

    # Reversible: a restore brings it back everywhere, and both steps are in the audit log.
    removal.restore_output(session=session, actor=coord, output=gone)
    again = reports.campaign_summary(session=session, campaign_id=campaign.id, today=today)
    assert again.total == 2
    assert _actions(session, gone.id) == ["remove", "restore"]


def test_remove_keeps_who_when_why_and_refuses_twice(session: Session, world: dict) -> None:
    out, _ = service.create_output(session=session, actor=world["editor"], data=_data(world))
    removal.remove_output(session=session, actor=world["editor"], output=out, reason=" Trùng ")
    assert out.removed_at is not None and out.removed_by_id == world["editor"].id
    assert out.removed_reason == "Trùng"
    assert removal.list_removed(
        session=session, campaign_id=world["campaign"].id, unit_id=world["unit"].id
    ) == [out]
    with pytest.raises(service.OutputError, match="đã được gỡ"):
        removal.remove_output(session=session, actor=world["editor"], output=out)
    with pytest.raises(service.OutputError, match="khôi phục"):
        service.update_output(
            session=session, actor=world["editor"], output=out, data=OutputUpdate(title="Mới")
        )
    # Adding it again says which removed output it is, instead of adding a copy.
    same, created = service.create_output(session=session, actor=world["editor"], data=_data(world))
    assert not created and same.id == out.id
    assert f"số {out.id}" in service.duplicate_message(same)
    assert "đã gỡ" in service.duplicate_message(same)


def test_a_date_outside_the_period_is_refused_with_the_period(
    session: Session, world: dict
) -> None:
    late = _data(world, published_at=datetime(2027, 5, 1, 9, 0))
    with pytest.raises(service.OutputError) as refused:
        service.create_output(session=session, actor=world["editor"], data=late)
    assert "01/05/2027" in str(refused.value)
    assert "01/07/2024 – 31/12/2024" in str(refused.value)
    # A unit editor cannot accept it; a coordinator can, and the acceptance is audited.
    accepted = late.model_copy(update={"accept_outside_period": True})
    with pytest.raises(service.AccessDeniedError, match="điều phối viên"):
        service.create_output(session=session, actor=world["editor"], data=accepted)
    out, created = service.create_output(session=session, actor=world["coord"], data=accepted)
    assert created
    assert _actions(session, out.id) == ["create", "accept_outside_period"]
    # Moving an output out of the period by an edit is refused the same way.
    inside, _ = service.create_output(
        session=session, actor=world["editor"], data=_data(world, url="", title="Tin khác")
    )
    with pytest.raises(service.OutputError, match="ngoài thời gian chiến dịch"):
        service.update_output(
            session=session,
            actor=world["editor"],
            output=inside,
            data=OutputUpdate(published_at=date(2024, 6, 30)),
        )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("baokontum.com.vn/so-dac-biet", "https://baokontum.com.vn/so-dac-biet"),
        ("www.baokontum.com.vn", "https://www.baokontum.com.vn"),
        ("//baokontum.com.vn/a", "https://baokontum.com.vn/a"),
        ("http://baokontum.com.vn/b", "http://baokontum.com.vn/b"),
    ],
)
def test_a_link_without_a_scheme_is_completed(
    session: Session, world: dict, typed: str, stored: str
) -> None:
    out, _ = service.create_output(
        session=session, actor=world["editor"], data=_data(world, url=typed)
    )
    assert out.url == stored
    assert out.canonical_url.startswith(("https://", "http://"))


@pytest.mark.parametrize("typed", ["bai viet so 1", "so-dac-biet", "javascript:alert(1)", "abc"])
def test_what_is_not_a_web_address_is_refused(session: Session, world: dict, typed: str) -> None:
    with pytest.raises(service.OutputError, match="Đường dẫn"):
        service.create_output(session=session, actor=world["editor"], data=_data(world, url=typed))


def _csv(*rows: str, header: str = "Tiêu đề,Đường dẫn,Kênh,Ngày đăng") -> bytes:
    return ("\ufeff" + "\n".join([header, *rows]) + "\n").encode()


def _import(session: Session, world: dict, content: bytes, **kw: object) -> object:
    return importer.import_outputs(
        session=session,
        actor=kw.pop("actor", world["editor"]),
        campaign_id=world["campaign"].id,
        unit_id=world["unit"].id,
        filename="kq.csv",
        content=content,
        **kw,
    )


def _titles(session: Session, world: dict) -> list[str]:
    stmt = select(Output.title).where(Output.campaign_id == world["campaign"].id)
    return sorted(session.scalars(stmt))


def test_a_corrected_reimport_updates_instead_of_adding_copies(
    session: Session, world: dict
) -> None:
    first = _csv(
        "Hưởng ứng ngày quyền con nguoi,https://baokontum.com.vn/a,báo điện tử,20/07/2024",
        "Bản tin truyền thanh số 12 về quyen con người,,truyền thanh cơ sở,21/07/2024",
        "Tin ngắn,,báo in,22/07/2024",
    )
    assert _import(session, world, first).stored == 3
    fixed = _csv(
        "Hưởng ứng Ngày Quyền con người,https://baokontum.com.vn/a,báo điện tử,20/07/2024",
        "Bản tin truyền thanh số 12 về quyền con người,,truyền thanh cơ sở,21/07/2024",
        "Tin ngắn,,báo in,22/07/2024",
    )
    result = _import(session, world, fixed)
    assert (result.stored, result.updated, result.duplicates) == (0, 2, 1)
    assert _titles(session, world) == [
        "Bản tin truyền thanh số 12 về quyền con người",
        "Hưởng ứng Ngày Quyền con người",
        "Tin ngắn",
    ]
    # A really different title on the same day is a new output, not a correction.
    other = _csv("Phóng sự về phòng chống mua bán người,,truyền thanh cơ sở,21/07/2024")
    assert _import(session, world, other).stored == 1


def test_the_exported_number_names_the_output_a_row_corrects(session: Session, world: dict) -> None:
    out, _ = service.create_output(
        session=session, actor=world["editor"], data=_data(world, url="", title="Tin A")
    )
    sheet = load_workbook(
        filename=__import__("io").BytesIO(
            exporter.export_outputs(
                session=session,
                criteria=service.OutputFilter(campaign_id=world["campaign"].id),
                fmt="xlsx",
            )
        )
    ).active
    assert sheet.cell(1, 1).value == "Mã" and sheet.cell(2, 1).value == out.id
    header = "Mã,Tiêu đề,Kênh,Ngày đăng"
    result = _import(
        session, world, _csv(f"{out.id},Bài hoàn toàn khác,báo điện tử,20/07/2024", header=header)
    )
    assert (result.stored, result.updated) == (0, 1)
    assert out.title == "Bài hoàn toàn khác"
    wrong = _import(session, world, _csv("999999,Tin B,báo in,20/07/2024", header=header))
    assert wrong.errors and "999999" in wrong.errors[0].message


def test_import_dates_outside_the_period(session: Session, world: dict) -> None:
    late = _csv("Tin muon ve quyen con nguoi,,báo in,01/05/2027")
    refused = _import(session, world, late)
    assert refused.errors and "01/05/2027" in refused.errors[0].message
    assert "01/07/2024 – 31/12/2024" in refused.errors[0].message
    held = _import(session, world, late, actor=world["coord"])
    assert held.needs_confirmation and not held.errors and held.stored == 0
    stored = _import(session, world, late, actor=world["coord"], accept_warnings=True)
    assert stored.stored == 1
    # The unit re-imports its sheet with that row corrected: the accepted day is not refused.
    again = _import(session, world, _csv("Tin muộn về quyền con người,,báo in,01/05/2027"))
    assert not again.errors and again.updated == 1


def test_import_completes_links_and_says_so(session: Session, world: dict) -> None:
    result = _import(
        session, world, _csv("Tin,baokontum.com.vn/so-dac-biet,báo điện tử,20/07/2024")
    )
    assert result.stored == 1
    assert result.notices and "https://baokontum.com.vn/so-dac-biet" in result.notices[0].message
    bad = _import(session, world, _csv("Tin 2,so dac biet,báo điện tử,20/07/2024"))
    assert bad.errors and bad.errors[0].column == "Đường dẫn"


def test_api_removes_restores_names_duplicates_and_completes_links(session: Session) -> None:
    unit = make_unit(session, websites=["baokontum.com.vn"])
    campaign = make_campaign(session, units=[unit])
    campaign.period_start, campaign.period_end = date(2024, 7, 1), date(2024, 12, 31)
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    coord = make_account(session, role=Role.coordinator)
    client = api_client(session)
    body = {
        "campaign_id": campaign.id,
        "unit_id": unit.id,
        "title": "Số đặc biệt",
        "url": "baokontum.com.vn/so-dac-biet",
        "channel": "báo điện tử",
        "published_at": "2024-07-20",
    }
    first = client.post("/api/v1/outputs", headers=bearer(editor), json=body)
    assert first.status_code == 201
    assert first.json()["url"] == "https://baokontum.com.vn/so-dac-biet"
    assert "https://baokontum.com.vn/so-dac-biet" in first.json()["notices"][0]
    oid = first.json()["id"]
    again = client.post("/api/v1/outputs", headers=bearer(editor), json=body).json()
    assert again["created"] is False and again["duplicate_of"] == oid
    assert f"số {oid}" in again["message"]
    late = client.post(
        "/api/v1/outputs", headers=bearer(editor), json={**body, "published_at": "2027-05-01"}
    )
    assert late.status_code == 422 and "01/07/2024 – 31/12/2024" in late.json()["detail"]
    gone = client.delete(f"/api/v1/outputs/{oid}", headers=bearer(editor), params={"reason": "Sai"})
    assert gone.status_code == 204
    shown = client.get(f"/api/v1/outputs/{oid}", headers=bearer(coord)).json()
    assert shown["removed_at"] and shown["removed_reason"] == "Sai"
    listed = client.get(
        "/api/v1/outputs", headers=bearer(coord), params={"campaign_id": campaign.id}
    )
    assert listed.json() == []
    patched = client.patch(f"/api/v1/outputs/{oid}", headers=bearer(editor), json={"note": "x"})
    assert patched.status_code == 422
    back = client.post(f"/api/v1/outputs/{oid}/restore", headers=bearer(editor))
    assert back.status_code == 200 and back.json()["removed_at"] is None
    assert client.post(f"/api/v1/outputs/{oid}/restore", headers=bearer(editor)).status_code == 422


def test_a_reimport_looks_up_its_own_rows_not_every_output_of_the_unit(
    session: Session, world: dict
) -> None:
    """600 stored outputs on other days: a 2-row sheet corrects one by (channel, day) and title,
    and loads only the outputs its rows touch, not the unit's 600."""
    unit, campaign = world["unit"], world["campaign"]
    for i in range(600):
        session.add(
            Output(
                campaign_id=campaign.id, unit_id=unit.id, title=f"Tin cũ số {i}", channel="bao_in",
                published_at=datetime(2024, 8, 1 + i % 28, 2), dedup_key=f"cu-{i}",
            )
        )  # fmt: skip
    first = _csv("Bản tin truyền thanh số 12 về quyen con người,,truyền thanh cơ sở,21/07/2024")
    assert _import(session, world, first).stored == 1
    session.expunge_all()
    sheet = _csv(
        "Bản tin truyền thanh số 12 về quyền con người,,truyền thanh cơ sở,21/07/2024",
        "Bản tin truyền thanh số 12 về quyền con người,,báo in,21/07/2024",  # other channel
    )
    loaded: list[int] = []

    def count(target: Output, _context: object) -> None:
        loaded.append(target.id)

    event.listen(Output, "load", count)
    try:
        result = _import(session, world, sheet)
    finally:
        event.remove(Output, "load", count)
    assert (result.stored, result.updated) == (1, 1)
    assert len(loaded) <= 3, f"{len(loaded)} outputs loaded for a 2-row sheet"


def test_a_bulk_sheet_on_one_day_matches_identical_titles_only(
    session: Session, world: dict
) -> None:
    """300 link-less rows on one channel and day against 300 stored: all-pairs title comparison
    is skipped (it grows as rows x stored); an identical title still corrects its output."""
    rows = [f"Bản tin số {i} về quyền con người,,báo in,21/07/2024" for i in range(300)]
    assert _import(session, world, _csv(*rows)).stored == 300
    again = [f"Bản tin số {i} về quyền con người ngày 21,,báo in,21/07/2024" for i in range(299)]
    again.append("Bản tin số 7 về quyền con người,,báo in,21/07/2024")  # identical: the same one
    result = _import(session, world, _csv(*again))
    assert (result.stored, result.updated, result.duplicates) == (299, 0, 1)
