"""Theme decisions stored per campaign, applied to the output, and learnt by its scorer."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import report_campaign, report_output, report_unit
from trienkhai.campaigns.models import Campaign
from trienkhai.errors import InvalidError, NotFoundError
from trienkhai.outputs.models import Output
from trienkhai.themes import service
from trienkhai.themes.models import ThemeExample

FAIR = "Hội chợ việc làm số {n} tại khu công nghiệp thu hút doanh nghiệp tuyển dụng"
SPORT = "Giải bóng đá thiếu niên số {n} khai mạc tại sân vận động"


def _outputs(session: Session, template: str, count: int) -> list[Output]:
    campaign = report_campaign(session, title="Chiến dịch chủ đề")
    unit = report_unit(session)
    made = [
        report_output(session, campaign=campaign, unit=unit, title=template.format(n=n))
        for n in range(count)
    ]
    session.flush()
    return made


def test_confirm_and_reject_update_the_output_and_the_stored_example(session: Session) -> None:
    (output,) = _outputs(session, FAIR, 1)
    service.record(session=session, output_id=output.id, code="T4", accepted=True)
    assert [t.code for t in output.themes] == ["T4"]
    service.record(session=session, output_id=output.id, code="T4", accepted=False)
    assert output.themes == []
    examples = session.scalars(select(ThemeExample).where(ThemeExample.output_id == output.id))
    assert [e.accepted for e in examples] == [False]  # one row per output and theme, the last word


def test_unknown_theme_or_output_is_refused(session: Session) -> None:
    (output,) = _outputs(session, FAIR, 1)
    with pytest.raises(InvalidError, match="T9"):
        service.record(session=session, output_id=output.id, code="T9", accepted=True)
    with pytest.raises(NotFoundError):
        service.record(session=session, output_id=10**9, code="T1", accepted=True)


def test_stored_decisions_rebuild_the_scorer_and_drive_suggestions(session: Session) -> None:
    fairs = _outputs(session, FAIR, 13)
    campaign_id = fairs[0].campaign_id
    unit = report_unit(session)
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    sports = [
        report_output(session, campaign=campaign, unit=unit, title=SPORT.format(n=n))
        for n in range(12)
    ]
    session.flush()
    probe = fairs.pop()
    assert "T4" not in [s.code for s in service.suggest(session=session, output_id=probe.id)]
    for fair, sport in zip(fairs, sports, strict=True):
        service.record(session=session, output_id=fair.id, code="T4", accepted=True)
        service.record(session=session, output_id=sport.id, code="T4", accepted=False)
    suggestions = service.suggest(session=session, output_id=probe.id)
    assert [s.code for s in suggestions] == ["T4"]
    assert suggestions[0].drivers


def test_the_fitted_model_is_cached_changed_by_a_decision_and_rebuilt_alike(
    session: Session,
) -> None:
    fairs = _outputs(session, FAIR, 7)
    campaign_id = fairs[0].campaign_id
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    unit = report_unit(session)
    sports = [
        report_output(session, campaign=campaign, unit=unit, title=SPORT.format(n=n))
        for n in range(6)
    ]
    session.flush()
    probe = fairs.pop()
    for fair, sport in zip(fairs[:-1], sports[:-1], strict=True):
        service.record(session=session, output_id=fair.id, code="T4", accepted=True)
        service.record(session=session, output_id=sport.id, code="T4", accepted=False)
    first = service.campaign_scorer(session=session, campaign_id=campaign_id)
    assert service.campaign_scorer(session=session, campaign_id=campaign_id) is first  # no refit
    before = service.score_output(session=session, output_id=probe.id)

    service.record(session=session, output_id=fairs[-1].id, code="T4", accepted=True)
    second = service.campaign_scorer(session=session, campaign_id=campaign_id)
    assert second is not first
    after = service.score_output(session=session, output_id=probe.id)
    assert after["T4"].score != before["T4"].score  # one more confirmation moved the model

    service.record(session=session, output_id=fairs[-1].id, code="T4", accepted=False)
    flipped = service.campaign_scorer(session=session, campaign_id=campaign_id)
    assert flipped is not second  # a changed mind (same row) is a new version too

    service.clear_cache()  # a restart: the model comes back from the stored examples alone
    rebuilt = service.score_output(session=session, output_id=probe.id)
    assert service.campaign_scorer(session=session, campaign_id=campaign_id) is not flipped
    assert rebuilt == flipped.score(service.article_of(probe))


def test_a_rejected_theme_is_not_suggested_again_on_that_output(session: Session) -> None:
    campaign = report_campaign(session)
    unit = report_unit(session)
    title = "Xét xử vụ mua bán người, đưa phụ nữ sang Trung Quốc bán"
    output, twin = (
        report_output(session, campaign=campaign, unit=unit, title=title) for _ in range(2)
    )
    session.flush()
    assert "T3" in [s.code for s in service.suggest(session=session, output_id=output.id)]
    service.record(session=session, output_id=output.id, code="T3", accepted=False)
    assert "T3" not in [s.code for s in service.suggest(session=session, output_id=output.id)]
    found = service.suggest_many(session=session, campaign_id=campaign.id, outputs=[output, twin])
    assert "T3" not in [s.code for s in found.get(output.id, [])]
    assert "T3" in [s.code for s in found[twin.id]]  # the twin has no decision: still suggested
    lines = {line.code: line for line in service.theme_lines(session=session, output_id=output.id)}
    assert lines["T3"].status == "rejected" and lines["T3"].drivers
