"""Dashboard: unit × theme heat map, outputs by week and channel, mix, laggards, coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from trienkhai.campaigns import service as campaigns
from trienkhai.errors import InvalidError
from trienkhai.outputs import ledger
from trienkhai.outputs.channels import channel_label
from trienkhai.reports import report_settings
from trienkhai.reports import service as reports
from trienkhai.reports.service import AT_RISK, CampaignSummary, Laggard
from trienkhai.themes import service as theme_matching
from trienkhai.units import service as units
from trienkhai.users.models import User
from trienkhai.web import svg
from trienkhai.web.i18n import screen_date, translate
from trienkhai.web.pages.campaigns import campaign_or_404
from trienkhai.web.pages.common import (
    CsrfDep,
    EditorDep,
    PageRoute,
    SessionDep,
    StaffDep,
    flash,
    language,
    redirect,
    render,
)
from trienkhai.web.pages.downloads import csv_file

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CHARTS = ("heatmap", "timeline", "mix", "laggards", "at_risk", "coverage")
CURRENT = "dashboard_campaign"  # session key: the campaign whose dashboard was seen last


@dataclass
class Chart:
    """A chart: its SVG, and the same numbers as a table (header + rows) for the table view/CSV."""

    name: str
    title: str
    svg: str
    header: list[str]
    rows: list[list[str | int]]


def _heatmap(s: CampaignSummary, lang: str) -> Chart:
    """Outputs per unit and theme: every unit the report counts (the issuer's own outputs too)."""
    codes = [th.code for th in s.themes]
    assigned = list(s.units)
    values = [[u.by_theme.get(c, 0) for c in codes] for u in assigned]
    title = translate("dash.heatmap", lang)
    header = [translate("common.unit", lang), *codes, translate("common.total", lang)]
    rows: list[list[str | int]] = [
        [u.name, *v, u.total] for u, v in zip(assigned, values, strict=True)
    ]
    chart = svg.heatmap([u.name for u in assigned], codes, values, title)
    return Chart("heatmap", title, chart, header, rows)


def _timeline(s: CampaignSummary, lang: str) -> Chart:
    """Outputs per week, stacked by channel (the summary's timeline: no query of its own)."""
    weeks = s.by_week_channel
    labels = [screen_date(monday) for monday, _ in weeks]  # a week is named by its Monday
    ticks = [f"{monday.day:02d}/{monday.month:02d}" for monday, _ in weeks]
    channels = sorted({c for _, counts in weeks for c in counts})
    series = {channel_label(c): [counts.get(c, 0) for _, counts in weeks] for c in channels}
    title = translate("dash.timeline", lang)
    header = [translate("dash.week", lang), *series]
    rows: list[list[str | int]] = [
        [label, *(counts.get(c, 0) for c in channels)]
        for label, (_, counts) in zip(labels, weeks, strict=True)
    ]
    return Chart("timeline", title, svg.stacked_columns(ticks, series, title), header, rows)


def _mix(s: CampaignSummary, lang: str) -> Chart:
    """Outputs per channel."""
    items = [(channel_label(c), n) for c, n in s.by_channel.items()]
    title = translate("dash.mix", lang)
    header = [translate("common.channel", lang), translate("common.count", lang)]
    return Chart("mix", title, svg.bar_chart(items, title), header, [[a, b] for a, b in items])


def reason(lag: Laggard, lang: str) -> str:
    """Why the unit is listed, in words of the page's language."""
    deadline = screen_date(lag.deadline)
    if lag.kind == AT_RISK:
        return translate("dash.at_risk_reason", lang, days=lag.days_left, deadline=deadline)
    text = translate("dash.late_reason", lang, days=lag.overdue_days, deadline=deadline)
    if not lag.outputs:
        return text + "; " + translate("dash.nothing_logged", lang)
    if lag.missing_themes:
        themes = ", ".join(lag.missing_themes)
        return text + "; " + translate("dash.no_output_on", lang, theme=themes)
    return text


def _unit_list(name: str, items: list[Laggard], lang: str) -> Chart:
    """A list of units with the reason each is on it (a table: no chart, no bare numbers)."""
    header = [
        translate("common.unit", lang),
        translate("common.deadline", lang),
        translate("dash.reason", lang),
    ]
    rows: list[list[str | int]] = [
        [lag.name, screen_date(lag.deadline), reason(lag, lang)] for lag in items
    ]
    return Chart(name, translate(f"dash.{name}", lang), Markup(""), header, rows)


def _laggards(s: CampaignSummary, lang: str) -> Chart:
    """Late units: past their deadline and not reported."""
    return _unit_list("laggards", s.laggards, lang)


def _at_risk(s: CampaignSummary, lang: str) -> Chart:
    """Units due within three days that have logged nothing yet."""
    return _unit_list("at_risk", s.at_risk, lang)


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
        _timeline(summary, lang),
        _mix(summary, lang),
        _laggards(summary, lang),
        _at_risk(summary, lang),
        _coverage(session, summary, lang),
    ]


@router.get("/dashboard")
def dashboard_home(
    request: Request, c: str = "", user: User = StaffDep, session: Session = SessionDep
) -> Response:
    """The chosen campaign's dashboard: ?c=, else the one seen last, else the newest."""
    listed = campaigns.list_campaigns(session=session)
    known = {campaign.id for campaign in listed}
    for candidate in (c, request.session.get(CURRENT)):
        if str(candidate or "").isdigit() and int(str(candidate)) in known:
            return redirect(f"/campaigns/{int(str(candidate))}/dashboard")
    if listed:
        return redirect(f"/campaigns/{listed[0].id}/dashboard")
    return render(request, "dashboard.html", {"campaign": None}, user=user)


@router.get("/campaigns/{campaign_id}/dashboard")
def dashboard(
    request: Request, campaign_id: int, user: User = StaffDep, session: Session = SessionDep
) -> Response:
    """All charts of a campaign, each with a table view and a CSV link."""
    campaign = campaign_or_404(session, campaign_id)
    request.session[CURRENT] = campaign.id
    summary = reports.campaign_summary(session=session, campaign_id=campaign.id)
    stored = report_settings.get_settings_row(session=session, campaign_id=campaign.id)
    ctx = {
        "campaign": campaign,
        "summary": summary,
        "charts": build_charts(session, summary, language(request, user)),
        "campaigns": campaigns.list_campaigns(session=session),
        "report_number": stored.number if stored else "",
        "noi_nhan": report_settings.noi_nhan_of(session=session, campaign_id=campaign.id),
        "ledger": ledger.campaign_ledger(session=session, campaign_id=campaign.id),
    }
    return render(request, "dashboard.html", ctx, user=user)


@router.post("/campaigns/{campaign_id}/report-settings", dependencies=[CsrfDep])
def save_report_settings(
    request: Request,
    *,
    campaign_id: int,
    number: Annotated[str, Form()] = "",
    noi_nhan: Annotated[str, Form()] = "",
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Keep the report's number and Nơi nhận for this campaign, then back to the dashboard."""
    campaign = campaign_or_404(session, campaign_id)
    try:
        report_settings.save_settings(
            session=session, campaign_id=campaign.id, number=number, noi_nhan=noi_nhan
        )
    except InvalidError as exc:
        raise HTTPException(422, str(exc)) from exc
    flash(request, "dash.settings_saved")
    return redirect(f"/campaigns/{campaign.id}/dashboard#report-settings")


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


BULK_THRESHOLD = 0.8  # what the bulk-accept form offers: well above the suggestion threshold


def _bulk_threshold(value: str) -> float:
    """The threshold typed in the form (a comma is a decimal point too); 422 when not a number."""
    try:
        return float(value.replace(",", ".").strip())
    except ValueError as exc:
        raise HTTPException(422, "Ngưỡng phải là một số từ 0 đến 1.") from exc


@router.get("/campaigns/{campaign_id}/themes/accept-above")
def bulk_accept_preview(
    request: Request,
    *,
    campaign_id: int,
    threshold: str = str(BULK_THRESHOLD),
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """How many untagged outputs a bulk accept would tag, per theme, before it is done."""
    campaign = campaign_or_404(session, campaign_id)
    value = _bulk_threshold(threshold)
    try:
        found = theme_matching.above_threshold(
            session=session, campaign_id=campaign.id, threshold=value
        )
    except InvalidError as exc:
        raise HTTPException(422, str(exc)) from exc
    per_theme: dict[str, int] = {}
    for scores in found.values():
        for score in scores:
            per_theme[score.code] = per_theme.get(score.code, 0) + 1
    ctx = {
        "campaign": campaign,
        "threshold": value,
        "outputs": len(found),
        "tags": sum(per_theme.values()),
        "per_theme": [(t.code, t.title, per_theme.get(t.code, 0)) for t in campaign.themes],
    }
    return render(request, "theme_bulk.html", ctx, user=user)


@router.post("/campaigns/{campaign_id}/themes/accept-above", dependencies=[CsrfDep])
def bulk_accept(
    request: Request,
    *,
    campaign_id: int,
    threshold: Annotated[str, Form()] = "",
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Accept every suggestion at or above the threshold; each becomes a stored decision."""
    campaign = campaign_or_404(session, campaign_id)
    try:
        count = theme_matching.accept_above(
            session=session, campaign_id=campaign.id, threshold=_bulk_threshold(threshold),
            user_id=user.id,
        )  # fmt: skip
    except InvalidError as exc:
        raise HTTPException(422, str(exc)) from exc
    flash(request, "theme.bulk_done", count=count)
    return redirect(f"/campaigns/{campaign.id}/dashboard#theme-bulk")
