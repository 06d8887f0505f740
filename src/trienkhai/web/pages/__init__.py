"""The web desk: one router per area, assembled into `router` (picked up by web/app.py)."""

from __future__ import annotations

from fastapi import APIRouter

from trienkhai.web.pages import (
    admin,
    auth,
    campaigns,
    dashboard,
    directives,
    downloads,
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
    admin,
):
    router.include_router(_area.router)
