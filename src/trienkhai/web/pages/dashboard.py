"""Dashboard: unit × theme heat map, outputs by week and channel, mix, laggards, coverage."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session

from trienkhai.campaigns import service as campaigns
from trienkhai.outputs.channels import channel_label
from trienkhai.reports import service as reports
from trienkhai.reports.service import CampaignSummary
from trienkhai.units import service as units
from trienkhai.users.models import User
from trienkhai.web import svg
from trienkhai.web.i18n import screen_date, translate
from trienkhai.web.pages.campaigns import campaign_or_404
from trienkhai.web.pages.common import PageRoute, SessionDep, StaffDep, language, redirect, render
from trienkhai.web.pages.downloads import csv_file

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CHARTS = ("heatmap", "timeline", "mix", "laggards", "coverage")


@dataclass
class Chart:
    """A chart: its SVG, and the same numbers as a table (header + rows) for the table view/CSV."""

    name: str
    title: str
    svg: str
    header: list[str]
    rows: list[list[str | int]]


def _heatmap(s: CampaignSummary, lang: str) -> Chart:
    """Outputs per unit and theme."""
    codes = [th.code for th in s.themes]
    assigned = [u for u in s.units if u.assignment_id is not None]
    values = [[u.by_theme.get(c, 0) for c in codes] for u in assigned]
    title = translate("dash.heatmap", lang)
    header = [translate("common.unit", lang), *codes, translate("common.total", lang)]
    rows: list[list[str | int]] = [
        [u.name, *v, u.total] for u, v in zip(assigned, values, strict=True)
    ]
    chart = svg.heatmap([u.name for u in assigned], codes, values, title)
    return Chart("heatmap", title, chart, header, rows)


def _timeline(session: Session, s: CampaignSummary, lang: str) -> Chart:
    """Outputs per week, stacked by channel."""
    weeks = reports.outputs_by_week_channel(session=session, campaign_id=s.campaign_id)
    labels = [screen_date(monday) for monday, _ in weeks]  # a week is named by its Monday
    channels = sorted({c for _, counts in weeks for c in counts})
    series = {channel_label(c): [counts.get(c, 0) for _, counts in weeks] for c in channels}
    title = translate("dash.timeline", lang)
    header = [translate("dash.week", lang), *series]
    rows: list[list[str | int]] = [
        [label, *(counts.get(c, 0) for c in channels)]
        for label, (_, counts) in zip(labels, weeks, strict=True)
    ]
    return Chart("timeline", title, svg.stacked_columns(labels, series, title), header, rows)


def _mix(s: CampaignSummary, lang: str) -> Chart:
    """Outputs per channel."""
    items = [(channel_label(c), n) for c, n in s.by_channel.items()]
    title = translate("dash.mix", lang)
    header = [translate("common.channel", lang), translate("common.count", lang)]
    return Chart("mix", title, svg.bar_chart(items, title), header, [[a, b] for a, b in items])


def _laggards(s: CampaignSummary, lang: str) -> Chart:
    """Units past deadline or silent on a theme (a table; the bars count missing themes)."""
    title = translate("dash.laggards", lang)
    rows: list[list[str | int]] = []
    for lag in s.laggards:
        reasons = [translate("dash.no_output_on", lang, theme=c) for c in lag.missing_themes]
        if lag.overdue_days is not None:
            reasons.insert(0, f"{translate('dash.past_deadline', lang)} ({lag.overdue_days})")
        rows.append([lag.name, "; ".join(reasons), len(lag.missing_themes)])
    items = [(str(r[0]), int(r[2])) for r in rows]
    header = [translate("common.unit", lang), translate("dash.reason", lang), "n"]
    return Chart("laggards", title, svg.bar_chart(items, title), header, rows)


def _coverage(session: Session, s: CampaignSummary, lang: str) -> Chart:
    """Per group and theme: units of the group with at least one output on the theme."""
    by_unit = {u.unit_id: u for u in s.units if u.assignment_id is not None}
    codes = [th.code for th in s.themes]
    names: list[str] = []
    values: list[list[int]] = []
    rows: list[list[str | int]] = []
    for group, members in units.groups_with_members(session=session):
        assigned = [by_unit[m] for m in members if m in by_unit]
        if not assigned:
            continue
        covered = [sum(1 for u in assigned if u.by_theme.get(c)) for c in codes]
        pct = [round(100 * n / len(assigned)) for n in covered]
        names.append(group.name)
        values.append(pct)
        rows.append([group.name, len(assigned), *(f"{n}/{len(assigned)}" for n in covered)])
    title = translate("dash.coverage", lang) + " (%)"
    header = [translate("common.group", lang), translate("common.unit", lang), *codes]
    return Chart("coverage", title, svg.heatmap(names, codes, values, title), header, rows)


def build_charts(session: Session, summary: CampaignSummary, lang: str) -> list[Chart]:
    """Every dashboard chart of a campaign."""
    return [
        _heatmap(summary, lang),
        _timeline(session, summary, lang),
        _mix(summary, lang),
        _laggards(summary, lang),
        _coverage(session, summary, lang),
    ]


@router.get("/dashboard")
def dashboard_home(
    request: Request, c: int | None = None, user: User = StaffDep, session: Session = SessionDep
) -> Response:
    """The picked campaign's dashboard (?c=, no script needed), else the newest, else empty."""
    if c is not None:
        return redirect(f"/campaigns/{c}/dashboard")
    latest = campaigns.list_campaigns(session=session)
    if latest:
        return redirect(f"/campaigns/{latest[0].id}/dashboard")
    return render(request, "dashboard.html", {"campaign": None}, user=user)


@router.get("/campaigns/{campaign_id}/dashboard")
def dashboard(
    request: Request, campaign_id: int, user: User = StaffDep, session: Session = SessionDep
) -> Response:
    """All charts of a campaign, each with a table view and a CSV link."""
    campaign = campaign_or_404(session, campaign_id)
    summary = reports.campaign_summary(session=session, campaign_id=campaign.id)
    ctx = {
        "campaign": campaign,
        "summary": summary,
        "charts": build_charts(session, summary, language(request, user)),
        "campaigns": campaigns.list_campaigns(session=session),
    }
    return render(request, "dashboard.html", ctx, user=user)


@router.get("/campaigns/{campaign_id}/dashboard/{name}.csv")
def chart_csv(
    request: Request,
    *,
    campaign_id: int,
    name: str,
    user: User = StaffDep,
    session: Session = SessionDep,
) -> Response:
    """One chart's numbers as CSV (UTF-8 with BOM so Excel shows Vietnamese right; no formulas)."""
    if name not in CHARTS:
        raise HTTPException(404, f"Không có biểu đồ '{name}'.")
    campaign = campaign_or_404(session, campaign_id)
    summary = reports.campaign_summary(session=session, campaign_id=campaign.id)
    chart = next(
        c for c in build_charts(session, summary, language(request, user)) if c.name == name
    )
    filename = f"chien-dich-{campaign.id}-{name}.csv"
    return csv_file(request, filename, chart.header, chart.rows)
