"""The reconciliation ledger: every category counted right, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from tests.databases import fresh_url
from tests.databases import kind as kind  # noqa: PLC0414 - the fixture, by name
from tests.databases import urls as urls  # noqa: PLC0414 - the fixture, by name
from tests.factories import report_assignment, report_campaign, report_output, report_unit
from tests.ingest.test_verify import TITLE, article
from tests.ingest.verify_server import Site
from tests.ingest.verify_server import site as site  # noqa: PLC0414 - the fixture, by name
from tests.users.factories import make_account
from trienkhai.campaigns.models import Campaign
from trienkhai.db import make_engine
from trienkhai.ingest import match
from trienkhai.ingest.verify import verify_campaign
from trienkhai.migrate import upgrade
from trienkhai.outputs import ledger, removal, service
from trienkhai.outputs.ledger import Ledger
from trienkhai.outputs.models import Output
from trienkhai.units.models import Unit
from trienkhai.users.models import Role

# Two discovered outputs stored before 0015: the first was confirmed (an audit entry only).
BEFORE_0015 = """
INSERT INTO units (code, name, short_name, kind, contact_name, email, phone, websites, feeds,
    fanpages, active, note, created_at, updated_at)
VALUES ('m15', 'Đơn vị m15', '', 'department', '', '', '', '[]', '[]', '[]', TRUE, '',
    CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
INSERT INTO campaigns (title, status, description, created_at, updated_at)
VALUES ('Chiến dịch m15', 'open', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
INSERT INTO outputs (campaign_id, unit_id, title, url, canonical_url, channel, form,
    published_at, source, verification, dedup_key, content_hash, excerpt, note, created_at,
    updated_at)
SELECT c.id, u.id, 'Bài ' || n.k, '', '', 'cong_ttdt', 'tin', CURRENT_TIMESTAMP, 'discovered',
    'unverified', 'k' || n.k, '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM campaigns c, units u, (SELECT 1 AS k UNION ALL SELECT 2) n
"""
# What each output of the first unit is, and the category it must land in.
KINDS: dict[str, tuple[dict[str, object], Ledger]] = {
    "verified": ({"verification": "verified"}, Ledger.verified),
    "moved": ({"verification": "moved"}, Ledger.moved),
    "not_found": ({"verification": "not_found"}, Ledger.not_found),
    "removed": ({"verification": "removed"}, Ledger.not_found),
    "unchecked": ({}, Ledger.unchecked),
    "no_link": ({"url": "", "channel": "truyen_thanh"}, Ledger.no_link),
    "found_verified": ({"source": "discovered", "verification": "verified"}, Ledger.confirmed),
    "found_confirmed": (
        {"source": "discovered", "confirmed_at": datetime(2024, 7, 21, tzinfo=UTC)},
        Ledger.confirmed,
    ),
    "found_pending": ({"source": "discovered"}, Ledger.pending),
    "copy": (
        {"source": "discovered", "republished_from": "https://baokontum.com.vn/goc"},
        Ledger.shared,
    ),
    "reported_copy": (
        {"verification": "verified", "republished_from": "https://baokontum.com.vn/goc-2"},
        Ledger.shared,
    ),
}


def _world(session: Session) -> tuple[Campaign, Unit, Unit, Unit, dict[str, Output]]:
    """A campaign: one unit with an output of every kind, one idle, one unassigned finder."""
    campaign = report_campaign(session)
    busy, idle, outsider = (report_unit(session) for _ in range(3))
    for unit in (busy, idle):
        report_assignment(session, campaign=campaign, unit=unit)
    made = {
        name: report_output(session, campaign=campaign, unit=busy, **fields)
        for name, (fields, _) in KINDS.items()
    }
    # Neither a rejected output, nor a found item a coordinator marked not found, nor a removed
    # output is counted anywhere.
    for state in ("rejected", "not_found"):
        report_output(
            session, campaign=campaign, unit=busy, verification=state, source="discovered"
        )
    gone = report_output(session, campaign=campaign, unit=busy, verification="verified")
    report_output(session, campaign=campaign, unit=outsider, source="discovered")
    session.flush()
    removal.remove_output(
        session=session, actor=make_account(session, role=Role.admin), output=gone, reason="trùng"
    )
    return campaign, busy, idle, outsider, made


def test_every_category_counted(session: Session) -> None:
    campaign, busy, idle, outsider, _ = _world(session)

    result = ledger.campaign_ledger(session=session, campaign_id=campaign.id)

    rows = {r.unit_id: r for r in result.rows}
    assert set(rows) == {busy.id, idle.id, outsider.id}
    row = rows[busy.id]
    expected = {c.value: 0 for c in Ledger}
    for _, category in KINDS.values():
        expected[category.value] += 1
    assert {c.value: row.count(c) for c in Ledger} == expected
    assert row.removed == 1  # of the two not found, one was gone after a verification
    assert (row.reported, row.discovered, row.shared) == (6, 3, 2)
    assert row.originals == 9 and row.total == 11
    assert rows[idle.id].total == 0 and rows[idle.id].assigned
    assert rows[outsider.id].pending == 1 and not rows[outsider.id].assigned
    assert result.totals.total == 12 and result.totals.pending == 2
    assert result.as_dict()["totals"]["total"] == 12  # type: ignore[index]


def test_list_filter_gives_the_counted_outputs(session: Session) -> None:
    campaign, busy, _, _, made = _world(session)
    for category in Ledger:
        criteria = service.OutputFilter(
            campaign_id=campaign.id, unit_id=busy.id, ledger=category.value
        )
        listed = {o.id for o in service.list_outputs(session=session, criteria=criteria)}
        wanted = {made[name].id for name, (_, c) in KINDS.items() if c is category}
        assert listed == wanted, category


def test_the_categories_partition_the_counted_outputs(session: Session) -> None:
    campaign, *_ = _world(session)
    result = ledger.campaign_ledger(session=session, campaign_id=campaign.id)
    live = session.scalar(
        select(func.count())
        .select_from(Output)
        .where(Output.campaign_id == campaign.id, ledger.counted())
    )
    assert result.totals.total == live == 12


def test_a_republished_copy_counts_as_a_share_not_an_original(session: Session) -> None:
    campaign = report_campaign(session)
    paper, district = report_unit(session), report_unit(session)
    original = report_output(session, campaign=campaign, unit=paper, verification="verified")
    report_output(session, campaign=campaign, unit=district, source="discovered",
                  republished_from=original.url)  # fmt: skip
    session.flush()
    rows = {
        r.unit_id: r for r in ledger.campaign_ledger(session=session, campaign_id=campaign.id).rows
    }
    assert (rows[paper.id].originals, rows[paper.id].shared) == (1, 0)
    assert (rows[district.id].originals, rows[district.id].shared) == (0, 1)
    assert rows[district.id].pending == 0


def test_confirming_and_rejecting_a_discovered_output(session: Session) -> None:
    campaign = report_campaign(session)
    unit = report_unit(session)
    report_assignment(session, campaign=campaign, unit=unit)
    found = [report_output(session, campaign=campaign, unit=unit, source="discovered")
             for _ in range(2)]  # fmt: skip
    session.flush()
    editor = make_account(session, role=Role.unit_editor, unit_id=unit.id)
    coordinator = make_account(session, role=Role.coordinator)

    match.decide(session=session, actor=editor, output_id=found[0].id, accepted=True)
    match.decide(session=session, actor=coordinator, output_id=found[1].id, accepted=False)

    row = ledger.campaign_ledger(session=session, campaign_id=campaign.id, unit_id=unit.id).rows[0]
    assert (row.confirmed, row.pending, row.total) == (1, 0, 1)


def test_removed_after_verification_is_not_found_and_keeps_its_archive(
    session: Session, site: Site
) -> None:
    campaign = report_campaign(session)
    unit = report_unit(session)
    report_assignment(session, campaign=campaign, unit=unit)
    output = report_output(session, campaign=campaign, unit=unit, title=TITLE,
                           url=f"{site.base}/bai/co.html")  # fmt: skip
    session.flush()
    site.page("/bai/co.html", article())
    verify_campaign(session=session, campaign_id=campaign.id)
    first = ledger.campaign_ledger(session=session, campaign_id=campaign.id).totals
    assert (first.verified, first.not_found) == (1, 0)

    del site.routes["/bai/co.html"]
    verify_campaign(session=session, campaign_id=campaign.id)

    after = ledger.campaign_ledger(session=session, campaign_id=campaign.id).totals
    assert (after.verified, after.not_found, after.removed) == (0, 1, 1)
    assert sorted(e.media_type for e in output.evidence) == [
        "application/warc",
        "text/plain; charset=utf-8",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("ledger", "lost"), ("verification", "maybe"), ("source", "rumour")],
)
def test_a_bad_filter_value_names_the_field(session: Session, field: str, value: str) -> None:
    criteria = service.OutputFilter(**{field: value})
    with pytest.raises(ledger.LedgerFilterError, match=f"^{field}: .*{value}"):
        service.list_outputs(session=session, criteria=criteria)


def test_migration_0015_fills_confirmed_at_from_the_audit(
    kind: str, tmp_path: Path, urls: list[str]
) -> None:
    url = fresh_url(kind, tmp_path, "ledger-0015")
    urls.append(url)
    engine = make_engine(url)
    try:
        upgrade(engine, "0014")
        with engine.begin() as conn:
            for statement in BEFORE_0015.split(";"):
                conn.execute(text(statement))
            ids = [r[0] for r in conn.execute(text("SELECT id FROM outputs ORDER BY id"))]
            conn.execute(
                text("INSERT INTO audit_log (at, action, entity, entity_id, detail, summary) "
                     "VALUES (:at, 'unit_confirm', 'output', :id, '{}', '')"),
                {"at": datetime(2025, 8, 2, tzinfo=UTC), "id": str(ids[0])},
            )  # fmt: skip
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT confirmed_at FROM outputs ORDER BY id")).all()
        assert rows[0][0] is not None and rows[1][0] is None
    finally:
        engine.dispose()


def test_cli_ledger(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        campaign = report_campaign(session)
        unit = report_unit(session, code="BKT")
        report_assignment(session, campaign=campaign, unit=unit)
        report_output(session, campaign=campaign, unit=unit, verification="verified")
        report_output(session, campaign=campaign, unit=unit, source="discovered")
        session.commit()
        campaign_id = campaign.id
    engine.dispose()
    env = {**os.environ, "TRIENKHAI_DATABASE_URL": url, "TRIENKHAI_DATA_DIR": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "trienkhai.cli", "outputs", "ledger", *args]
        return subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=120, check=False
        )

    listed = run("--campaign", str(campaign_id), "--json")
    assert listed.returncode == 0, listed.stderr
    book = json.loads(listed.stdout)
    assert [(u["code"], u["verified"], u["pending"]) for u in book["units"]] == [("BKT", 1, 1)]
    lines = run("--campaign", str(campaign_id)).stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["unit", "verified", "moved"]
    assert lines[-1].split("\t")[0] == "total" and lines[-1].split("\t")[-1] == "2"
    assert run("--campaign", "999").returncode == 1
