"""Aggregates: every figure equals a direct count of the rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import (
    realistic_campaign,
    report_assignment,
    report_campaign,
    report_output,
    report_unit,
)
from trienkhai.outputs.models import Output, output_themes
from trienkhai.reports import service

TODAY = date(2024, 8, 20)


def test_summary_matches_direct_counts(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    s = service.campaign_summary(session=session, campaign_id=campaign.id, today=TODAY)
    total = session.scalar(
        select(func.count()).select_from(Output).where(Output.campaign_id == campaign.id)
    )
    assert s.total == total == 310
    assert sum(u.total for u in s.units) == total
    assert sum(s.by_channel.values()) == total
    for theme in campaign.themes:
        n = session.scalar(
            select(func.count())
            .select_from(output_themes)
            .where(output_themes.c.theme_id == theme.id)
        )
        assert s.by_theme.get(theme.code, 0) == n
        assert sum(u.by_theme.get(theme.code, 0) for u in s.units) == n
    for row in s.units:
        assert sum(row.by_channel.values()) == row.total
    assert sum(n for _d, n in s.by_week) == total
    assert {name for name, _u, _n in s.by_group} == {
        "Các cơ quan báo chí tỉnh",
        "Các sở, ban, ngành",
        "UBND các huyện, thành phố",
    }
    assert sum(n for _name, _u, n in s.by_group) == total  # each unit is in exactly one group
    assert sum(s.states.values()) == 12


def test_overdue_is_derived_and_laggards_listed(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    s = service.campaign_summary(session=session, campaign_id=campaign.id, today=TODAY)
    late = service.late_assignments(summary=s)
    assert late, "the realistic campaign has overdue assignments"
    for row in late:
        assert row.deadline is not None and row.deadline < TODAY
        assert row.state not in service.SETTLED_STATES
    assert s.states.get("overdue") == len(late)
    silent = next(lag for lag in s.laggards if lag.code == "RP12")
    assert silent.missing_themes == ("T1", "T2", "T3", "T4")


def test_effective_state() -> None:
    assert service.effective_state("assigned", date(2024, 1, 1), TODAY) == "overdue"
    assert service.effective_state("reported", date(2024, 1, 1), TODAY) == "reported"
    assert service.effective_state("in_progress", TODAY, TODAY) == "in_progress"
    assert service.effective_state("assigned", None, TODAY) == "assigned"


def test_week_uses_local_day(session: Session) -> None:
    campaign = report_campaign(session, themes=1)
    unit = report_unit(session)
    report_assignment(session, campaign=campaign, unit=unit)
    # Sunday 18:00 UTC is Monday 01:00 in Asia/Ho_Chi_Minh: next week locally.
    report_output(
        session, campaign=campaign, unit=unit, published_at=datetime(2024, 7, 21, 18, tzinfo=UTC)
    )
    session.flush()
    weeks = service.outputs_by_week(session=session, campaign_id=campaign.id)
    assert weeks == [(date(2024, 7, 22), 1)]


def test_notable_are_verified_with_links(session: Session) -> None:
    campaign = realistic_campaign(session, today=TODAY)
    notable = service.notable_outputs(session=session, campaign_id=campaign.id, limit=5)
    assert len(notable) == 5
    assert all(o.verification == "verified" and o.url for o in notable)


def test_the_three_grouped_queries_agree_with_direct_counts(session: Session) -> None:
    """The summary's channels, verification, timeline and groups, summed from 3 GROUP BYs,
    equal plain counts; a removed output leaves every one of them."""
    campaign = realistic_campaign(session, today=TODAY)
    removed = session.scalar(select(Output).where(Output.campaign_id == campaign.id).limit(1))
    assert removed is not None
    removed.removed_at = datetime(2024, 8, 1, tzinfo=UTC)
    session.flush()
    s = service.campaign_summary(session=session, campaign_id=campaign.id, today=TODAY)
    live = (Output.campaign_id == campaign.id, Output.removed_at.is_(None))
    for column, figures in (
        (Output.channel, s.by_channel),
        (Output.verification, s.by_verification),
    ):
        stmt = select(column, func.count()).where(*live).group_by(column)
        direct = dict(session.execute(stmt).all())
        assert figures == direct
    assert s.total == 309
    assert s.by_week_channel == service.outputs_by_week_channel(
        session=session, campaign_id=campaign.id
    )
    assert [(m, sum(c.values())) for m, c in s.by_week_channel] == s.by_week
    assert s.by_group == service.outputs_by_group(session=session, campaign_id=campaign.id)
    assert list(s.by_channel.values()) == sorted(s.by_channel.values(), reverse=True)
