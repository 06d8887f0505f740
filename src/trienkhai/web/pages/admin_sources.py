"""Administration: the units' sources (feeds, sitemaps, listing pages) and their health."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from trienkhai.ingest import service as ingest
from trienkhai.users.models import User
from trienkhai.web.pages.admin import AdminDep
from trienkhai.web.pages.common import (
    CsrfDep,
    PageRoute,
    SessionDep,
    flash,
    redirect,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/admin/sources")
def source_list(
    request: Request, unit: str = "", user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """Every source with its health: failing and paused ones first."""
    rows = ingest.list_sources(session=session, unit_code=unit.strip() or None)
    rows.sort(key=lambda r: (not r.paused, -r.consecutive_failures, r.unit, r.id))
    response = render(request, "admin_sources.html", {"rows": rows, "unit": unit}, user=user)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/admin/sources/{source_id}/resume", dependencies=[CsrfDep])
def resume(
    request: Request, source_id: int, user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """Crawl a paused source again, its failures forgotten."""
    source = ingest.set_paused(session=session, source_id=source_id, paused=False)
    flash(request, "sources.resumed", url=source.url)
    return redirect("/admin/sources")


@router.post("/admin/sources/{source_id}/pause", dependencies=[CsrfDep])
def pause(
    request: Request, source_id: int, user: User = AdminDep, session: Session = SessionDep
) -> Response:
    """Stop crawling a source."""
    source = ingest.set_paused(session=session, source_id=source_id, paused=True)
    flash(request, "sources.paused_now", url=source.url)
    return redirect("/admin/sources")
