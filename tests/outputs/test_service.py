"""Outputs service: idempotent create, permissions, update, verify, evidence, search."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.outputs.factories import make_campaign, make_unit
from tests.users.factories import make_account
from trienkhai.outputs import importer, service
from trienkhai.outputs.models import Output, Verification
from trienkhai.outputs.schemas import OutputCreate, OutputUpdate
from trienkhai.users.models import AuditLog, Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _data(campaign_id: int, unit_id: int, **fields: object) -> OutputCreate:
    values: dict[str, object] = {
        "campaign_id": campaign_id,
        "unit_id": unit_id,
        "title": "Tuyên truyền về quyền con người",
        "url": "https://baokontum.com.vn/bai-1?utm_source=zalo",
        "channel": "Báo điện tử",
        "form": "bài",
        "published_at": datetime(2024, 7, 20, 8, 30),
        "themes": ["t1", "T3"],
    }
    values.update(fields)
    return OutputCreate.model_validate(values)


@pytest.fixture
def world(session: Session) -> dict[str, object]:
    unit = make_unit(session, websites=["baokontum.com.vn"])
    other = make_unit(session)
    campaign = make_campaign(session, units=[unit])
    return {
        "unit": unit,
        "other": other,
        "campaign": campaign,
        "coord": make_account(session, role=Role.coordinator),
        "editor": make_account(session, role=Role.unit_editor, unit_id=unit.id),
        "leader": make_account(session, role=Role.leader),
    }


def test_create_normalises_and_is_idempotent(session: Session, world: dict) -> None:
    c, u = world["campaign"], world["unit"]
    out, created = service.create_output(
        session=session, actor=world["editor"], data=_data(c.id, u.id)
    )
    assert created
    assert out.channel == "bao_dien_tu" and out.form == "bai"
    assert out.canonical_url == "https://baokontum.com.vn/bai-1"
    assert sorted(t.code for t in out.themes) == ["T1", "T3"]
    # 08:30 in Hà Nội is 01:30 UTC
    assert service.as_aware(out.published_at) == datetime(2024, 7, 20, 1, 30, tzinfo=UTC)
    again, created_again = service.create_output(
        session=session,
        actor=world["coord"],
        data=_data(c.id, u.id, url="http://BAOKONTUM.com.vn/bai-1/#x", title="khác"),
    )
    assert not created_again and again.id == out.id
    count = session.scalar(
        select(func.count()).select_from(Output).where(Output.campaign_id == c.id)
    )
    assert count == 1
    actions = session.scalars(
        select(AuditLog.action).where(
            AuditLog.entity == "output", AuditLog.entity_id == str(out.id)
        )
    )
    assert list(actions) == ["create"]


def test_same_title_without_url_same_day_is_one_output(session: Session, world: dict) -> None:
    c, u = world["campaign"], world["unit"]
    kw = {"url": "", "channel": "truyền thanh", "title": "Bản tin: Nhân quyền"}
    a, _ = service.create_output(
        session=session, actor=world["coord"], data=_data(c.id, u.id, **kw)
    )
    b, created = service.create_output(
        session=session,
        actor=world["coord"],
        data=_data(
            c.id,
            u.id,
            **{**kw, "title": "ban tin nhan quyen", "published_at": datetime(2024, 7, 20, 22, 0)},
        ),
    )
    assert not created and a.id == b.id
    d, created = service.create_output(
        session=session,
        actor=world["coord"],
        data=_data(c.id, u.id, **{**kw, "published_at": date(2024, 7, 21)}),
    )
    assert created and d.id != a.id


def test_permissions(session: Session, world: dict) -> None:
    c, u, other = world["campaign"], world["unit"], world["other"]
    with pytest.raises(service.AccessDeniedError):
        service.create_output(session=session, actor=world["editor"], data=_data(c.id, other.id))
    with pytest.raises(service.AccessDeniedError):
        service.create_output(session=session, actor=world["leader"], data=_data(c.id, u.id))
    out, _ = service.create_output(session=session, actor=world["editor"], data=_data(c.id, u.id))
    with pytest.raises(service.AccessDeniedError):
        service.verify_output(
            session=session, actor=world["editor"], output=out, state=Verification.verified
        )


def test_bad_inputs_name_the_problem(session: Session, world: dict) -> None:
    c, u = world["campaign"], world["unit"]
    with pytest.raises(
        service.OutputError, match=r"Kênh .báo tường. không hợp lệ; chấp nhận: báo in"
    ):
        service.create_output(
            session=session, actor=world["coord"], data=_data(c.id, u.id, channel="báo tường")
        )
    with pytest.raises(service.OutputError, match=r"T9.*T1, T2, T3, T4"):
        service.create_output(
            session=session, actor=world["coord"], data=_data(c.id, u.id, themes=["T9"])
        )
    with pytest.raises(service.OutputNotFoundError):
        service.create_output(session=session, actor=world["coord"], data=_data(c.id + 999, u.id))


def test_update_recomputes_key_and_refuses_collision(session: Session, world: dict) -> None:
    c, u = world["campaign"], world["unit"]
    a, _ = service.create_output(session=session, actor=world["coord"], data=_data(c.id, u.id))
    b, _ = service.create_output(
        session=session,
        actor=world["coord"],
        data=_data(c.id, u.id, url="https://baokontum.com.vn/bai-2"),
    )
    service.update_output(
        session=session,
        actor=world["editor"],
        output=b,
        data=OutputUpdate(title="Tiêu đề mới", themes=["T2"]),
    )
    assert b.title == "Tiêu đề mới" and [t.code for t in b.themes] == ["T2"]
    with pytest.raises(service.OutputError, match="trùng"):
        service.update_output(
            session=session, actor=world["coord"], output=b, data=OutputUpdate(url=a.url)
        )


def test_verify_transitions(session: Session, world: dict) -> None:
    out, _ = service.create_output(
        session=session, actor=world["coord"], data=_data(world["campaign"].id, world["unit"].id)
    )
    service.verify_output(
        session=session,
        actor=world["coord"],
        output=out,
        state=Verification.not_found,
        note="Không mở được",
    )
    assert out.verification == "not_found" and "Không mở được" in out.note
    with pytest.raises(service.OutputError):
        service.verify_output(
            session=session, actor=world["coord"], output=out, state=Verification.verified
        )
    service.verify_output(
        session=session, actor=world["coord"], output=out, state=Verification.unverified
    )
    service.verify_output(
        session=session, actor=world["coord"], output=out, state=Verification.verified
    )
    assert out.verification == "verified"


def test_evidence_checked_by_magic_bytes_and_size(
    session: Session, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = service.create_output(
        session=session, actor=world["editor"], data=_data(world["campaign"].id, world["unit"].id)
    )
    ev = service.add_evidence(
        session=session, actor=world["editor"], output=out, filename="anh.png", content=PNG
    )
    assert ev.media_type == "image/png" and ev.size == len(PNG)
    assert (
        service.add_evidence(
            session=session,
            actor=world["editor"],
            output=out,
            filename="x.pdf",
            content=b"%PDF-1.7 ...",
        ).media_type
        == "application/pdf"
    )
    with pytest.raises(service.OutputError, match="không phải ảnh"):
        service.add_evidence(
            session=session,
            actor=world["editor"],
            output=out,
            filename="virus.png",
            content=b"MZ\x90\x00",
        )
    monkeypatch.setattr(service.get_settings(), "max_upload_mb", 0)
    with pytest.raises(service.OutputError, match="quá lớn"):
        service.add_evidence(
            session=session, actor=world["editor"], output=out, filename="a.png", content=PNG
        )


def test_search_filters(session: Session, world: dict) -> None:
    c, u = world["campaign"], world["unit"]
    a, _ = service.create_output(
        session=session,
        actor=world["coord"],
        data=_data(c.id, u.id, title="Phòng, chống mua bán người", themes=["T3"]),
    )
    service.create_output(
        session=session,
        actor=world["coord"],
        data=_data(
            c.id,
            u.id,
            url="",
            channel="phát thanh",
            title="Bản tin Nhân quyền",
            themes=["T1"],
            published_at=date(2024, 8, 2),
        ),
    )

    def ids(**kw: object) -> list[int]:
        crit = service.OutputFilter(campaign_id=c.id, **kw)  # type: ignore[arg-type]
        return [o.id for o in service.list_outputs(session=session, criteria=crit)]

    assert ids(q="mua ban NGUOI") == [a.id]
    assert ids(q="chống") == [a.id]
    assert ids(theme="t3") == [a.id]
    assert ids(channel="Báo điện tử") == [a.id]
    assert ids(date_from=date(2024, 7, 20), date_to=date(2024, 7, 20)) == [a.id]
    assert len(ids()) == 2
    assert ids(q="100%") == []


def test_an_editor_logs_only_for_a_campaign_assigning_the_unit(
    session: Session, world: dict
) -> None:
    u, coord, editor = world["unit"], world["coord"], world["editor"]
    elsewhere = make_campaign(session)  # assigns nobody
    with pytest.raises(service.AccessDeniedError, match="không được giao nhiệm vụ"):
        service.create_output(session=session, actor=editor, data=_data(elsewhere.id, u.id))
    refused = "Tiêu đề,Kênh,Ngày đăng\nBài,báo in,20/07/2024\n".encode()
    with pytest.raises(service.AccessDeniedError, match="không được giao nhiệm vụ"):
        importer.import_outputs(
            session=session,
            actor=editor,
            campaign_id=elsewhere.id,
            unit_id=u.id,
            filename="kq.csv",
            content=refused,
        )
    stored = select(func.count()).select_from(Output).where(Output.campaign_id == elsewhere.id)
    assert session.scalar(stored) == 0
    # a coordinator is not held to it (they can add the assignment themselves)
    out, created = service.create_output(
        session=session, actor=coord, data=_data(elsewhere.id, u.id)
    )
    assert created and out.assignment_id is None
    # the editor's own campaign still works
    mine, created = service.create_output(
        session=session, actor=editor, data=_data(world["campaign"].id, u.id)
    )
    assert created and mine.assignment_id is not None
