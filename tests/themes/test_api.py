"""Theme API: an editor confirms and rejects themes on the unit's outputs; suggestions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories import report_campaign, report_output, report_unit
from tests.users.factories import api_client, bearer, make_account
from trienkhai.users.models import Role


def test_editor_confirms_rejects_and_reads_suggestions(session: Session) -> None:
    unit, other = report_unit(session), report_unit(session)
    campaign = report_campaign(session)
    output = report_output(
        session, campaign=campaign, unit=unit, title="Xét xử vụ mua bán người sang Trung Quốc"
    )
    session.flush()
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    stranger = make_account(session, role=Role.unit_editor, unit_id=other.id)
    client = api_client(session)
    url = f"/api/v1/outputs/{output.id}"

    confirmed = client.post(f"{url}/themes/T3", headers=bearer(editor), json={"accepted": True})
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json() == {"output_id": output.id, "code": "T3", "accepted": True,
                                "themes": ["T3"]}  # fmt: skip
    rejected = client.post(f"{url}/themes/T3", headers=bearer(editor), json={"accepted": False})
    assert rejected.json()["themes"] == []

    unknown = client.post(f"{url}/themes/T9", headers=bearer(editor), json={"accepted": True})
    assert unknown.status_code == 422
    assert "T9" in unknown.text
    foreign = client.post(f"{url}/themes/T3", headers=bearer(stranger), json={"accepted": True})
    assert foreign.status_code == 403
    missing = client.post(
        "/api/v1/outputs/999999999/themes/T3", headers=bearer(editor), json={"accepted": True}
    )
    assert missing.status_code == 404

    found = client.get(f"{url}/theme-suggestions", headers=bearer(editor))
    assert found.status_code == 200
    assert all(set(s) == {"code", "score", "drivers"} for s in found.json())


def test_coordinator_bulk_accepts_suggestions_above_a_threshold(session: Session) -> None:
    unit = report_unit(session)
    campaign = report_campaign(session)
    trafficking = report_output(
        session, campaign=campaign, unit=unit, title="Phòng, chống mua bán người: xét xử vụ án"
    )
    football = report_output(session, campaign=campaign, unit=unit, title="Bóng đá: đội nhà thắng")
    session.flush()
    coord = make_account(session, role=Role.coordinator)
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    client = api_client(session)
    url = f"/api/v1/campaigns/{campaign.id}/themes/accept-above"

    assert client.post(url, headers=bearer(editor), json={"threshold": 0.5}).status_code == 403
    assert client.post(url, headers=bearer(coord), json={"threshold": 0}).status_code == 422
    done = client.post(url, headers=bearer(coord), json={"threshold": 0.5})
    assert done.status_code == 200, done.text
    assert done.json()["accepted"] >= 1
    session.refresh(trafficking)
    session.refresh(football)
    assert "T3" in [t.code for t in trafficking.themes]
    assert football.themes == []
