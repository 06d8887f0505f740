"""The data generator (bench/generate.py): counts as asked, skewed, readable by the API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.generate import SIZES, generate
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.databases import migrated
from trienkhai.db import session_scope
from trienkhai.outputs.models import Output
from trienkhai.users.models import Role
from trienkhai.users.service import create_user, issue_token
from trienkhai.web.app import create_app


@pytest.fixture
def engine(kind: str, tmp_path: Path, urls: list[str]) -> Iterator[Engine]:
    """A fresh migrated database of each kind."""
    with migrated(kind, tmp_path, urls, "generate") as eng:
        yield eng


@pytest.mark.slow
def test_small_size_is_made_skewed_and_readable_through_the_api(engine: Engine) -> None:
    made = generate(engine, "small")
    size = SIZES["small"]
    assert (made.units, made.outputs) == (size.units_per_province, size.outputs)
    assert made.campaigns == size.campaigns_per_province
    assert made.output_themes >= made.outputs  # every output has at least one theme

    with session_scope(engine) as session:
        per_unit = Counter(session.scalars(select(Output.unit_id)))
        top = sum(n for _, n in per_unit.most_common(len(per_unit) // 10))
        assert top / made.outputs > 0.5, "a tenth of the units should publish most"
        admin = create_user(
            session=session, username="gen-admin", password="mat-khau-thu-123", role=Role.admin
        )
        token = issue_token(admin)
        campaign_id = session.scalar(select(Output.campaign_id).limit(1))

    client = TestClient(create_app(engine), headers={"Authorization": f"Bearer {token}"})
    campaign = client.get(f"/api/v1/campaigns/{campaign_id}")
    assert campaign.status_code == 200, campaign.text
    assignments = client.get(f"/api/v1/campaigns/{campaign_id}/assignments")
    assert assignments.status_code == 200
    assert len(assignments.json()) > 50
    summary = client.get(f"/api/v1/reports/campaigns/{campaign_id}/summary")
    assert summary.status_code == 200, summary.text
    assert summary.json()["total"] > 100


def test_generating_into_a_database_with_units_is_refused(engine: Engine) -> None:
    generate(engine, "small")
    with pytest.raises(SystemExit, match="empty database"):
        generate(engine, "small")
