"""CLI of the link check: `trienkhai verify --campaign ID`."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from trienkhai.db import get_engine, session_scope
from trienkhai.errors import NotFoundError
from trienkhai.ingest.verify import verify_campaign


def verify(
    campaign: Annotated[int, typer.Option("--campaign", help="Số chiến dịch")],
    as_json: Annotated[bool, typer.Option("--json", help="Mỗi dòng một kết quả JSON")] = False,
) -> None:
    """Fetch every reported output's link and record verified, moved, not_found or removed."""
    with session_scope(get_engine()) as session:
        try:
            checks = verify_campaign(session=session, campaign_id=campaign)
        except NotFoundError as exc:
            typer.echo(f"Lỗi: {exc}", err=True)
            raise typer.Exit(1) from exc
    for check in checks:
        if as_json:
            typer.echo(json.dumps(asdict(check), ensure_ascii=False))
        else:
            typer.echo(f"{check.output_id}\t{check.after}\t{check.url}\t{check.detail}")
    counts: dict[str, int] = {}
    for check in checks:
        counts[check.after] = counts.get(check.after, 0) + 1
    summary = ", ".join(f"{state}: {n}" for state, n in sorted(counts.items())) or "không có"
    typer.echo(f"Đã kiểm tra {len(checks)} đường dẫn ({summary})", err=True)
