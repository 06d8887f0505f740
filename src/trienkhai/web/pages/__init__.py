"""The web desk: one router per area, assembled into `router` (picked up by web/app.py)."""

from __future__ import annotations

from fastapi import APIRouter

from trienkhai.web.pages import (
    admin,
    admin_sources,
    auth,
    campaigns,
    dashboard,
    directives,
    downloads,
    jobs,
    output_page,
    phrases,
    search,
    units,
)

router = APIRouter(include_in_schema=False)
for _area in (
    auth,
    directives,
    campaigns,
    phrases,
    dashboard,
    units,
    output_page,
    search,
    downloads,
    jobs,
    admin,
    admin_sources,
):
    router.include_router(_area.router)
