"""The report counts confirmed themes and, on untagged outputs, the matcher's above threshold."""

from __future__ import annotations

import io

import openpyxl
from sqlalchemy.orm import Session

from tests.factories import report_campaign, report_output, report_unit
from trienkhai.reports import context, service, xlsx
from trienkhai.reports.service import NO_THEME
from trienkhai.themes import service as theme_matching

TRAFFICKING = "Xét xử vụ mua bán người, đưa phụ nữ sang Trung Quốc bán"


def test_counts_say_which_themes_are_confirmed_and_which_only_scored(session: Session) -> None:
    unit = report_unit(session)
    campaign = report_campaign(session)
    t1 = campaign.themes[0]
    report_output(session, campaign=campaign, unit=unit, themes=[t1], title="Phiên bảo vệ UPR")
    machine = report_output(session, campaign=campaign, unit=unit, title=TRAFFICKING)
    report_output(session, campaign=campaign, unit=unit, title="Bóng đá: đội nhà thắng đậm")
    refused = report_output(session, campaign=campaign, unit=unit, title=TRAFFICKING + " (2)")
    session.flush()
    theme_matching.record(session=session, output_id=refused.id, code="T3", accepted=False)

    s = service.campaign_summary(session=session, campaign_id=campaign.id)
    assert s.by_theme_confirmed == {"T1": 1}
    assert s.by_theme_suggested == {"T3": 1}  # the rejected twin is not counted
    assert s.by_theme == {"T1": 1, "T3": 1}
    (row,) = [u for u in s.units if u.unit_id == unit.id]
    assert row.by_theme == {"T1": 1, "T3": 1} and row.total == 4
    untagged = sum(n for u, t, _c, n in s.cells if u == unit.id and t == NO_THEME)
    assert untagged == 2  # football and the rejected one
    lines = {line.split(" ")[3]: line for line in context.theme_lines(s)}
    assert "(0 đã xác nhận, 1 do máy gợi ý trên ngưỡng)" in lines["T3"]
    assert "máy gợi ý" not in lines["T1"]

    book = openpyxl.load_workbook(
        io.BytesIO(xlsx.campaign_xlsx(session=session, campaign_id=campaign.id, summary=s))
    )
    listed = {r[3]: r for r in book["Danh sách"].iter_rows(min_row=2, values_only=True)}
    assert listed[TRAFFICKING][8] in ("", None) and listed[TRAFFICKING][11] == "T3"
    assert listed["Phiên bảo vệ UPR"][8] == "T1" and listed["Phiên bảo vệ UPR"][11] in ("", None)
    totals = {r[2]: r for r in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert totals["T3"][4:7] == (1, 0, 1) and totals["T1"][4:7] == (1, 1, 0)

    theme_matching.record(session=session, output_id=machine.id, code="T3", accepted=True)
    after = service.campaign_summary(session=session, campaign_id=campaign.id)
    assert after.by_theme_confirmed == {"T1": 1, "T3": 1} and after.by_theme_suggested == {}
    assert "máy gợi ý" not in " ".join(context.theme_lines(after))
