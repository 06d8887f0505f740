"""CLI command that serves the web app."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from trienkhai.settings import get_settings
from trienkhai.web.app import create_app


def serve(
    host: Annotated[str | None, typer.Option(help="Địa chỉ lắng nghe (listen address)")] = None,
    port: Annotated[int | None, typer.Option(help="Cổng (port)")] = None,
) -> None:
    """Serve the web desk and the JSON API."""
    settings = get_settings()
    uvicorn.run(
        create_app(),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        proxy_headers=False,
    )
