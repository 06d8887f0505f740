"""Report work as jobs: a report file made off the request path, and the hourly reminder run."""

from __future__ import annotations

from typing import Any

from trienkhai.jobs import service as jobs
from trienkhai.jobs.registry import JobContext, Registry
from trienkhai.reports import reminders
from trienkhai.reports.exporters import Request, get_exporter
from trienkhai.reports.service import local_today
from trienkhai.settings import get_settings

REPORT_FILE = "reports.file"
REMINDERS = "reports.reminders"
REMINDER_PERIOD_SECONDS = 3600  # reminders_sent claims keep an hourly run from sending twice


def report_filename(campaign_id: int, fmt: str, unit_code: str | None) -> str:
    """The name a report file is saved under (as the direct download names it)."""
    if unit_code:
        return f"bao-cao-{unit_code}-chien-dich-{campaign_id}.{fmt}"
    name = "phu-luc" if fmt == "xlsx" else "bao-cao"
    return f"{name}-chien-dich-{campaign_id}.{fmt}"


def report_args(campaign_id: int, fmt: str, unit_code: str | None = None) -> dict[str, Any]:
    """The arguments of a report job, checked now so a bad request never becomes a job."""
    get_exporter(fmt, "unit" if unit_code else "campaign")  # ValueError names the formats
    return {"campaign_id": campaign_id, "format": fmt, "unit_code": unit_code}


def make_report(context: JobContext) -> dict[str, Any]:
    """Render the report file and keep it with the job."""
    args = context.args
    fmt, unit_code = str(args["format"]), args.get("unit_code")
    campaign_id = int(args["campaign_id"])
    exporter = get_exporter(fmt, "unit" if unit_code else "campaign")
    context.progress(0.1, "Đang lập báo cáo")
    with context.sessions.begin() as session:
        data = exporter.export(
            session=session, request=Request(campaign_id=campaign_id, unit_code=unit_code)
        )
        context.progress(0.9, "Đang lưu tệp")
        name = report_filename(campaign_id, fmt, unit_code)
        jobs.store_file(session, context.job_id, name, exporter.media_type, data)
    return {"filename": name, "size": len(data)}


def send_reminders(context: JobContext) -> dict[str, Any]:
    """Send the day's deadline reminders and digests (each at most once, by their claims)."""
    with context.sessions.begin() as session:
        result = reminders.run(session=session, today=local_today())
    return {"sent": len(result.sent), "failed": len(result.failed), "digests": len(result.digests)}


def register(registry: Registry) -> None:
    """The report job kinds; reminders run every hour once an SMTP server is configured."""
    registry.add(REPORT_FILE, make_report)
    registry.add(REMINDERS, send_reminders)
    if get_settings().smtp_host:
        registry.every(REMINDERS, REMINDER_PERIOD_SECONDS)
