"""CLI command that serves the web app."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from trienkhai.logs import configure_logging
from trienkhai.settings import get_settings
from trienkhai.web.app import create_app


def serve(
    host: Annotated[str | None, typer.Option(help="Địa chỉ lắng nghe (listen address)")] = None,
    port: Annotated[int | None, typer.Option(help="Cổng (port)")] = None,
) -> None:
    """Serve the web desk and the JSON API."""
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
    proxies = settings.trusted_proxies.strip()
    uvicorn.run(
        create_app(),
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,  # our handler (configure_logging) formats uvicorn's lines too
        access_log=False,  # RequestIdMiddleware writes the access line, with the request id
        # Forwarded headers are believed only from the configured proxies: anyone else could
        # claim another client address (login throttling) or another host (links in e-mails).
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
    )
