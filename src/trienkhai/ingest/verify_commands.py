"""CLI of the link check: `trienkhai verify --campaign ID [--job]`."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from trienkhai.campaigns import service as campaigns
from trienkhai.db import get_engine, session_scope
from trienkhai.errors import NotFoundError
from trienkhai.ingest.jobs import VERIFY, verify_args
from trienkhai.ingest.verify import verify_campaign
from trienkhai.jobs.setup import enqueue_for_workers
from trienkhai.settings import get_settings


def verify(
    campaign: Annotated[int, typer.Option("--campaign", help="Số chiến dịch")],
    as_json: Annotated[bool, typer.Option("--json", help="Mỗi dòng một kết quả JSON")] = False,
    as_job: Annotated[
        bool, typer.Option("--job", help="Queue it as a job for the workers; print the job id")
    ] = False,
) -> None:
    """Fetch every reported output's link and record verified, moved, not_found or removed."""
    if as_job:
        _enqueue(campaign)
        return
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


def _enqueue(campaign_id: int) -> None:
    """Queue the campaign's link check; the job id as JSON (exit 1 on an unknown campaign)."""
    engine = get_engine()
    with session_scope(engine) as session:
        try:
            campaigns.require(session=session, campaign_id=campaign_id)
        except NotFoundError as exc:
            typer.echo(f"Lỗi: {exc}", err=True)
            raise typer.Exit(1) from exc
    job_id = enqueue_for_workers(get_settings(), engine, VERIFY, verify_args(campaign_id))
    typer.echo(json.dumps({"job": job_id, "kind": VERIFY, "campaign": campaign_id}))
