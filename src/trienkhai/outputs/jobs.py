"""Large output imports as jobs: the file is kept with the job, a worker validates and stores it.

A 10,000-row workbook takes seconds to check row by row; the page that uploaded it polls the
job instead of holding a request open. The import itself is the same all-or-nothing service
call as the direct one, and it is idempotent (a row equal to a stored output counts as "same"),
so a worker that dies after storing and is retried stores nothing twice.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from trienkhai.jobs.models import JobFile
from trienkhai.jobs.queues import start_job
from trienkhai.jobs.registry import JobContext, Registry
from trienkhai.outputs import importer
from trienkhai.outputs.schemas import ImportResult
from trienkhai.settings import get_settings
from trienkhai.users.models import User

IMPORT = "outputs.import"
MAX_ISSUES = 500  # row problems kept in the job's result; the count says how many there were


def import_args(
    *, campaign_id: int, unit_id: int, actor_id: int, accept_warnings: bool, back: str = ""
) -> dict[str, Any]:
    """The arguments of an import job (the file itself is kept with the job)."""
    return {
        "campaign_id": campaign_id,
        "unit_id": unit_id,
        "actor_id": actor_id,
        "accept_warnings": accept_warnings,
        "back": back,
    }


def is_large(content: bytes) -> bool:
    """Whether an uploaded file is imported as a job rather than inside the request."""
    return len(content) >= get_settings().import_job_min_kb * 1024


def start(
    request: Request, args: dict[str, Any], filename: str, content: bytes, user_id: int
) -> int:
    """Store the file with a new import job and wake a worker; the job's id."""
    state = request.app.state
    upload = (filename, "application/octet-stream", content)
    return start_job(
        state.jobs, state.session_factory, IMPORT, args, created_by_id=user_id, upload=upload
    )


def run_import(context: JobContext) -> dict[str, Any]:
    """Import the job's file for its unit and campaign; the result replaces the file."""
    args = context.args
    context.progress(0.05, "Đang đọc tệp")
    with context.sessions.begin() as session:
        upload = session.get(JobFile, context.job_id)
        if upload is None:
            msg = f"Việc {context.job_id} không còn tệp để nhập"
            raise ValueError(msg)
        actor = session.get(User, int(args["actor_id"]))
        result = importer.import_outputs(
            session=session,
            actor=actor,
            campaign_id=int(args["campaign_id"]),
            unit_id=int(args["unit_id"]),
            filename=upload.filename,
            content=upload.content,
            accept_warnings=bool(args.get("accept_warnings")),
        )
        filename = upload.filename
        session.delete(upload)  # the upload is not the job's product: nothing to download
    return summary(filename, ImportResult.model_validate(result))


def summary(filename: str, result: ImportResult) -> dict[str, Any]:
    """The job's result: the import's counts and its first MAX_ISSUES problems of each kind."""
    data = result.model_dump()
    for key in ("errors", "warnings", "notices"):
        data[f"{key}_count"] = len(data[key])
        data[key] = data[key][:MAX_ISSUES]
    data["filename"] = filename
    return data


def register(registry: Registry) -> None:
    """The import job kind."""
    registry.add(IMPORT, run_import)
