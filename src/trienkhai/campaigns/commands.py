"""CLI commands of campaigns: list, show, create (contracts in BRIEF.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.schemas import CampaignRead
from trienkhai.db import get_engine, session_scope
from trienkhai.documents import service as directives

app = typer.Typer(help="Chiến dịch tuyên truyền (campaigns)", no_args_is_help=True)

JSON_HELP = "In JSON"


def _echo_json(data: Any) -> None:
    """Print JSON with Vietnamese kept readable."""
    typer.echo(json.dumps(data, ensure_ascii=False, default=str))


@app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """List campaigns with their directive and counts."""
    with session_scope(get_engine()) as session:
        rows = [
            campaigns.campaign_summary(session=session, campaign=c)
            for c in campaigns.list_campaigns(session=session)
        ]
    if as_json:
        keys = {"id", "title", "directive", "assignments_count", "outputs_count"}
        _echo_json([r.model_dump(mode="json", include=keys) for r in rows])
        return
    for r in rows:
        typer.echo(
            f"#{r.id:<4} {r.title}  [{r.directive or '-'}]  "
            f"{r.assignments_count} đơn vị, {r.outputs_count} sản phẩm"
        )


def show_json(read: CampaignRead) -> dict[str, Any]:
    """The `campaign show --json` contract: unit, state and deadline as plain values."""
    data = read.model_dump(mode="json", exclude={"assignments", "unresolved"})
    data["assignments"] = [
        {
            "id": a.id,
            "unit": a.unit.name,
            "unit_code": a.unit.code,
            "unit_id": a.unit.id,
            "state": a.state,
            "effective_state": a.effective_state,
            "overdue": a.overdue,
            "deadline": a.deadline.isoformat() if a.deadline else None,
            "tasks": [t.model_dump() for t in a.tasks],
        }
        for a in read.assignments
    ]
    data["unresolved"] = [
        p.phrase for p in read.unresolved if not p.dismissed and not p.resolved_unit
    ]
    data["unresolved_detail"] = [p.model_dump(mode="json") for p in read.unresolved]
    return data


@app.command("show")
def show_command(
    campaign_id: Annotated[int, typer.Argument(help="Số chiến dịch")],
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Show a campaign: themes, assignments and unresolved phrases."""
    with session_scope(get_engine()) as session:
        campaign = campaigns.get(session=session, campaign_id=campaign_id)
        if campaign is None:
            typer.echo(f"Không có chiến dịch số {campaign_id} (campaign not found)", err=True)
            raise typer.Exit(1)
        read = campaigns.campaign_read(session=session, campaign=campaign)
    if as_json:
        _echo_json(show_json(read))
        return
    typer.echo(f"#{read.id} {read.title}  [{read.directive or '-'}]  hạn: {read.report_deadline}")
    for t in read.themes:
        typer.echo(f"  {t.code}: {t.title}")
    for a in read.assignments:
        typer.echo(f"  - {a.unit.name:<60} {a.effective_state:<13} {a.deadline or ''}")
    for p in read.unresolved:
        typer.echo(f"  ? {p.phrase}{' (bỏ qua)' if p.dismissed else ''}")


@app.command("create")
def create_command(
    directive_file: Annotated[Path, typer.Argument(help="Tệp văn bản chỉ đạo")],
    title: Annotated[str | None, typer.Option("--title", help="Tên chiến dịch")] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="Hạn báo cáo YYYY-MM-DD")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Import a directive and open its campaign."""
    try:
        due = date.fromisoformat(deadline) if deadline else None
    except ValueError:
        typer.echo(f"--deadline: '{deadline}' không phải ngày YYYY-MM-DD (bad date)", err=True)
        raise typer.Exit(2) from None
    try:
        content = directive_file.read_bytes()
    except OSError as exc:
        typer.echo(f"{directive_file}: không đọc được tệp (cannot read): {exc.strerror}", err=True)
        raise typer.Exit(1) from exc
    try:
        with session_scope(get_engine()) as session:
            directive = directives.import_directive(
                session=session, filename=directive_file.name, content=content, actor=None
            )
            campaign = campaigns.create_from_directive(
                session=session,
                record=directives.record_of(directive),
                directive_id=directive.id,
                actor=None,
                title=title,
                report_deadline=due,
            )
            read = campaigns.campaign_read(session=session, campaign=campaign)
    except directives.DirectiveError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    if as_json:
        _echo_json(show_json(read))
        return
    typer.echo(f"Đã mở chiến dịch #{read.id}: {read.title} — {read.assignments_count} đơn vị")
    for p in read.unresolved:
        typer.echo(f"  Chưa khớp đơn vị: {p.phrase}")
