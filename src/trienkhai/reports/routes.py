"""Reports API: summary, report files, charts, ICS feeds (thin: services do the work)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from sqlalchemy.orm import Session

from trienkhai.deps import (
    SessionDep,
    Staff,
    ensure_unit_access,
    optional_user,
    require_roles,
)
from trienkhai.outputs import ledger
from trienkhai.reports import charts, ics, service
from trienkhai.reports.context import laggard_reason
from trienkhai.reports.exporters import Request as ExportRequest
from trienkhai.reports.exporters import get_exporter
from trienkhai.reports.pdf import ConversionError, ConverterMissingError
from trienkhai.units.models import Unit
from trienkhai.users.models import Role, User

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Reader = Annotated[
    User, Depends(require_roles(Role.admin, Role.coordinator, Role.leader, Role.unit_editor))
]
ICS_TYPE = "text/calendar; charset=utf-8"


def _summary(session: Session, campaign_id: int) -> service.CampaignSummary:
    """The campaign's summary, or 404."""
    try:
        return service.campaign_summary(session=session, campaign_id=campaign_id)
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có chiến dịch này") from exc


@router.get("/campaigns/{campaign_id}/summary")
def summary(campaign_id: int, session: SessionDep, _user: Staff) -> dict[str, Any]:
    """The campaign's figures as JSON (explicit shape, no ORM objects)."""
    s = _summary(session, campaign_id)
    return {
        "campaign_id": s.campaign_id,
        "total": s.total,
        "verified": s.verified,
        "by_theme": s.by_theme,
        "by_theme_confirmed": s.by_theme_confirmed,
        "by_theme_suggested": s.by_theme_suggested,
        "by_channel": s.by_channel,
        "by_group": [{"group": g, "units": u, "outputs": n} for g, u, n in s.by_group],
        "by_week": [{"week": d.isoformat(), "outputs": n} for d, n in s.by_week],
        "by_verification": s.by_verification,
        "states": s.states,
        "units": [
            {
                "unit_id": u.unit_id,
                "code": u.code,
                "name": u.name,
                "total": u.total,
                "verified": u.verified,
                "by_theme": u.by_theme,
                "state": u.effective_state,
            }
            for u in s.units
        ],
        "laggards": [_laggard(lag) for lag in s.laggards],
        "at_risk": [_laggard(lag) for lag in s.at_risk],
        "ledger": ledger.campaign_ledger(session=session, campaign_id=campaign_id).as_dict(),
    }


def _laggard(lag: service.Laggard) -> dict[str, Any]:
    """A late or at-risk unit with its reason in words (as the report and dashboard say it)."""
    return {
        "unit_id": lag.unit_id,
        "name": lag.name,
        "deadline": lag.deadline.isoformat() if lag.deadline else None,
        "overdue_days": lag.overdue_days,
        "days_left": lag.days_left,
        "missing_themes": list(lag.missing_themes),
        "reason": laggard_reason(lag),
    }


def _file(session: Session, scope: str, fmt: str, request: ExportRequest, name: str) -> Response:
    """Export a report file as a download."""
    try:
        exporter = get_exporter(fmt, scope)
        data = exporter.export(session=session, request=request)
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không tìm thấy") from exc
    except (ConverterMissingError, ConversionError) as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from exc
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return Response(data, media_type=exporter.media_type, headers=headers)


@router.get("/campaigns/{campaign_id}/report")
def campaign_report(
    campaign_id: int,
    session: SessionDep,
    _user: Staff,
    fmt: Annotated[str, Query(alias="format")] = "docx",
) -> Response:
    """The results report (docx, pdf) or annexes (xlsx)."""
    request = ExportRequest(campaign_id=campaign_id)
    return _file(session, "campaign", fmt, request, f"bao-cao-chien-dich-{campaign_id}")


@router.get("/campaigns/{campaign_id}/units/{unit_id}/report")
def unit_report(
    campaign_id: int,
    unit_id: int,
    session: SessionDep,
    user: Reader,
    fmt: Annotated[str, Query(alias="format")] = "docx",
) -> Response:
    """A unit's own report; unit editors get only their unit's."""
    ensure_unit_access(user, unit_id)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có đơn vị này")
    request = ExportRequest(campaign_id=campaign_id, unit_code=unit.code)
    return _file(session, "unit", fmt, request, f"bao-cao-{unit.code}")


@router.get("/campaigns/{campaign_id}/chart")
def chart(
    campaign_id: int, session: SessionDep, _user: Staff, name: str = "week", fmt: str = "svg"
) -> Response:
    """One chart (week, theme, channel, group) as SVG or PNG."""
    if name not in charts.CHARTS or fmt not in charts.FORMATS:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Biểu đồ không hỗ trợ")
    data = charts.chart(_summary(session, campaign_id), name, fmt)
    if data is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return Response(data, media_type=charts.FORMATS[fmt])


def _feed_access(
    request: Request, session: Session, user: User | None, scope: str, ident: int
) -> None:
    """Signed-in staff (or the unit's editor), or a valid feed token; else 401/403.

    A token acts for the user who made it, so it opens only what that user may still see.
    """
    token = request.query_params.get("token")
    if token is not None:
        user = ics.token_user(session=session, token=token, scope=scope, ident=ident)
        if user is None:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Mã truy cập lịch không hợp lệ")
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Chưa đăng nhập (not signed in)")
    if scope == "unit":
        ensure_unit_access(user, ident)
    elif user.role == Role.unit_editor.value:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Không có quyền (forbidden)")


OptionalUser = Annotated[User | None, Depends(optional_user)]


@router.get("/campaigns/{campaign_id}/deadlines.ics")
def campaign_ics(
    campaign_id: int, request: Request, session: SessionDep, user: OptionalUser
) -> Response:
    """Deadlines of every assignment of the campaign."""
    _feed_access(request, session, user, "campaign", campaign_id)
    try:
        return Response(
            ics.campaign_feed(session=session, campaign_id=campaign_id), media_type=ICS_TYPE
        )
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có chiến dịch này") from exc


@router.get("/units/{unit_id}/deadlines.ics")
def unit_ics(unit_id: int, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    """Deadlines of every assignment of the unit."""
    _feed_access(request, session, user, "unit", unit_id)
    try:
        return Response(ics.unit_feed(session=session, unit_id=unit_id), media_type=ICS_TYPE)
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Không có đơn vị này") from exc


@router.get("/campaigns/{campaign_id}/ics-link")
def campaign_ics_link(
    campaign_id: int, request: Request, session: SessionDep, user: Staff
) -> dict[str, str]:
    """A subscribable URL of the campaign's feed (carries a signed, expiring token)."""
    token = ics.link_token(session=session, scope="campaign", ident=campaign_id, user=user)
    return {"url": f"{request.url_for('campaign_ics', campaign_id=campaign_id)}?token={token}"}


@router.get("/units/{unit_id}/ics-link")
def unit_ics_link(
    unit_id: int, request: Request, session: SessionDep, user: Reader
) -> dict[str, str]:
    """A subscribable URL of the unit's feed (carries a signed, expiring token)."""
    ensure_unit_access(user, unit_id)
    token = ics.link_token(session=session, scope="unit", ident=unit_id, user=user)
    return {"url": f"{request.url_for('unit_ics', unit_id=unit_id)}?token={token}"}
