"""JSON API of outputs: list, create (idempotent), edit, verify, evidence, import, export."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Literal

from fastapi import (
    APIRouter,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    Response,
    UploadFile,
    status,
)
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy.orm import Session

from trienkhai.deps import (
    Coordinator,
    Reader,
    SessionDep,
    Writer,
    ensure_unit_access,
    read_upload,
)
from trienkhai.jobs import service as jobs
from trienkhai.jobs.schemas import JobRead
from trienkhai.outputs import exporter, importer, removal, service
from trienkhai.outputs import jobs as output_jobs
from trienkhai.outputs.keys import complete_url
from trienkhai.outputs.ledger import LEDGER_VALUES, VERIFICATION_VALUES
from trienkhai.outputs.models import Output
from trienkhai.outputs.schemas import (
    EvidenceRead,
    ImportResult,
    OutputCreate,
    OutputCreated,
    OutputRead,
    OutputUpdate,
    VerifyRequest,
)
from trienkhai.users.models import Role, User

router = APIRouter(prefix="/api/v1", tags=["outputs"])
VERIFICATION_HELP = " | ".join(VERIFICATION_VALUES)
LEDGER_HELP = "reconciliation category: " + " | ".join(LEDGER_VALUES)


@contextmanager
def http_errors() -> Iterator[None]:
    """Service exceptions as HTTP errors: 404, 403, 422 with the Vietnamese message."""
    try:
        yield
    except service.OutputNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except service.AccessDeniedError as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from exc
    except (service.OutputError, ValueError) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc


def _readable(session: Session, user: User, output_id: int) -> Output:
    """The output if the user may see it (404 / 403 otherwise)."""
    with http_errors():
        output = service.get_output(session=session, output_id=output_id)
    ensure_unit_access(user, output.unit_id)
    return output


@router.get("/outputs")
def list_outputs(
    *,
    session: SessionDep,
    user: Reader,
    campaign_id: int | None = None,
    unit_id: int | None = None,
    theme: str | None = None,
    channel: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    q: str | None = None,
    verification: Annotated[str | None, Query(description=VERIFICATION_HELP)] = None,
    source: Annotated[str | None, Query(description="reported | discovered")] = None,
    ledger: Annotated[str | None, Query(description=LEDGER_HELP)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    after: Annotated[
        str | None, Query(max_length=200, description="X-Next-Cursor of the previous page")
    ] = None,
    response: Response,
) -> list[OutputRead]:
    """Outputs matching the filters, newest first; unit editors see only their unit's.

    A full page answers the header X-Next-Cursor: pass it as `after` for the next page (fast at
    any depth, unlike `offset`).
    """
    if user.role == Role.unit_editor.value:
        if unit_id is not None:
            ensure_unit_access(user, unit_id)
        unit_id = user.unit_id
    criteria = service.OutputFilter(
        campaign_id=campaign_id,
        unit_id=unit_id,
        theme=theme,
        channel=channel,
        date_from=date_from,
        date_to=date_to,
        q=q,
        verification=verification,
        source=source,
        ledger=ledger,
    )
    with http_errors():
        rows = service.list_outputs(
            session=session, criteria=criteria, limit=limit, offset=offset, after=after
        )
    if len(rows) == limit:
        response.headers["X-Next-Cursor"] = service.page_cursor(rows[-1])
    return [service.to_read(o) for o in rows]


@router.post("/outputs", status_code=status.HTTP_201_CREATED)
def create_output(
    body: OutputCreate, session: SessionDep, user: Writer, response: Response
) -> OutputCreated:
    """Create an output; an existing one with the same natural key is returned with 200."""
    ensure_unit_access(user, body.unit_id)
    with http_errors():
        output, created = service.create_output(session=session, actor=user, data=body)
    notices = [completed_notice(body.url)] if complete_url(body.url) != body.url.strip() else []
    if created:
        return OutputCreated(**service.to_read(output).model_dump(), created=True, notices=notices)
    response.status_code = status.HTTP_200_OK
    return OutputCreated(
        **service.to_read(output).model_dump(),
        created=False,
        duplicate_of=output.id,
        message=service.duplicate_message(output),
        notices=notices,
    )


def completed_notice(url: str) -> str:
    """What the user is told when a link was completed with https://."""
    return f"Đường dẫn '{url.strip()}' thiếu http(s)://; đã lưu thành '{complete_url(url)}'"


# Fixed paths come before /outputs/{output_id}, which would otherwise capture them.
def _file_response(content: bytes, writer: exporter.TableWriter, stem: str) -> Response:
    """A download of generated bytes."""
    return Response(
        content,
        media_type=writer.media_type,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{writer.extension}"'},
    )


@router.get("/outputs/export")
def export_outputs(
    *,
    request: Request,
    session: SessionDep,
    user: Reader,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "xlsx",
    campaign_id: int | None = None,
    unit_id: int | None = None,
    theme: str | None = None,
    channel: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    q: str | None = None,
    verification: Annotated[str | None, Query(description=VERIFICATION_HELP)] = None,
    source: Annotated[str | None, Query(description="reported | discovered")] = None,
    ledger: Annotated[str | None, Query(description=LEDGER_HELP)] = None,
) -> Response:
    """The matching outputs as CSV or XLSX (unit editors: their unit only)."""
    if user.role == Role.unit_editor.value:
        unit_id = user.unit_id
    criteria = service.OutputFilter(
        campaign_id=campaign_id,
        unit_id=unit_id,
        theme=theme,
        channel=channel,
        date_from=date_from,
        date_to=date_to,
        q=q,
        verification=verification,
        source=source,
        ledger=ledger,
    )
    with http_errors():  # a bad filter value is a 422 before the stream starts, not mid-file
        service.filtered_query(session=session, criteria=criteria)
    if fmt == "csv":  # streamed: a national export has millions of rows
        chunks = exporter.stream_outputs_csv(
            sessions=request.app.state.session_factory, criteria=criteria
        )
        disposition = 'attachment; filename="ket-qua-tuyen-truyen.csv"'
        return StreamingResponse(
            chunks,
            media_type=exporter.CsvWriter.media_type,
            headers={"Content-Disposition": disposition},
        )
    with http_errors():
        content = exporter.export_outputs(session=session, criteria=criteria, fmt=fmt)
    return _file_response(content, exporter.writer_for(fmt), "ket-qua-tuyen-truyen")


@router.get("/outputs/template")
def import_template(
    _: Reader, fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "xlsx"
) -> Response:
    """The import template (header in Vietnamese, drop-down lists, example row, guide)."""
    return _file_response(exporter.template(fmt), exporter.writer_for(fmt), "mau-nhap-ket-qua")


@router.get("/outputs/{output_id}")
def get_output(output_id: int, session: SessionDep, user: Reader) -> OutputRead:
    """One output."""
    return service.to_read(_readable(session, user, output_id))


@router.patch("/outputs/{output_id}")
def update_output(
    output_id: int, body: OutputUpdate, session: SessionDep, user: Writer
) -> OutputRead:
    """Change an output."""
    output = _readable(session, user, output_id)
    with http_errors():
        service.update_output(session=session, actor=user, output=output, data=body)
    return service.to_read(output)


@router.delete("/outputs/{output_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_output(output_id: int, session: SessionDep, user: Writer, reason: str = "") -> None:
    """Remove an output (reversible: POST .../restore brings it back); audited."""
    output = _readable(session, user, output_id)
    with http_errors():
        removal.remove_output(session=session, actor=user, output=output, reason=reason)


@router.post("/outputs/{output_id}/restore")
def restore_output(output_id: int, session: SessionDep, user: Writer) -> OutputRead:
    """Bring a removed output back into lists, counts and reports."""
    output = _readable(session, user, output_id)
    with http_errors():
        removal.restore_output(session=session, actor=user, output=output)
    return service.to_read(output)


@router.post("/outputs/{output_id}/verify")
def verify_output(
    output_id: int, body: VerifyRequest, session: SessionDep, user: Coordinator
) -> OutputRead:
    """Mark an output verified, not found or rejected (coordinators)."""
    output = _readable(session, user, output_id)
    with http_errors():
        service.verify_output(
            session=session, actor=user, output=output, state=body.state, note=body.note
        )
    return service.to_read(output)


@router.post("/outputs/{output_id}/evidence", status_code=status.HTTP_201_CREATED)
async def upload_evidence(
    output_id: int,
    session: SessionDep,
    user: Writer,
    file: Annotated[UploadFile, File()],
) -> EvidenceRead:
    """Attach a screenshot or PDF to an output."""
    content = read_upload(file)
    output = _readable(session, user, output_id)
    with http_errors():
        evidence = service.add_evidence(
            session=session,
            actor=user,
            output=output,
            filename=file.filename or "minh-chung",
            content=content,
        )
    return EvidenceRead.model_validate(evidence)


@router.get("/outputs/{output_id}/evidence/{evidence_id}")
def download_evidence(
    output_id: int, evidence_id: int, session: SessionDep, user: Reader
) -> Response:
    """The evidence file, served as an attachment with its sniffed type."""
    _readable(session, user, output_id)
    with http_errors():
        evidence = service.get_evidence(
            session=session, output_id=output_id, evidence_id=evidence_id
        )
    return Response(
        evidence.content,
        media_type=evidence.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(evidence.filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _quote(name: str) -> str:
    """RFC 5987 percent-encoding of a file name."""
    from urllib.parse import quote  # noqa: PLC0415

    return quote(name, safe="")


@router.post("/outputs/import")
async def import_outputs(
    *,
    session: SessionDep,
    user: Writer,
    file: Annotated[UploadFile, File()],
    unit_id: Annotated[int, Form()],
    campaign_id: Annotated[int, Form()],
    accept_warnings: Annotated[bool, Form()] = False,
) -> JSONResponse:
    """Import a CSV/XLSX file for one unit: 200 with counts, or 422 with the row errors."""
    ensure_unit_access(user, unit_id)
    content = read_upload(file)
    with http_errors():
        result = importer.import_outputs(
            session=session,
            actor=user,
            campaign_id=campaign_id,
            unit_id=unit_id,
            filename=file.filename or "tep",
            content=content,
            accept_warnings=accept_warnings,
        )
    code = 422 if result.errors or result.needs_confirmation else 200
    return JSONResponse(ImportResult.model_validate(result).model_dump(), status_code=code)


@router.post("/outputs/import-jobs", status_code=status.HTTP_202_ACCEPTED)
async def start_import_job(
    *,
    request: Request,
    session: SessionDep,
    user: Writer,
    file: Annotated[UploadFile, File()],
    unit_id: Annotated[int, Form()],
    campaign_id: Annotated[int, Form()],
    accept_warnings: Annotated[bool, Form()] = False,
) -> JobRead:
    """Import a large file off the request path: poll GET /jobs/{id}; its result is the import's."""
    ensure_unit_access(user, unit_id)
    content = read_upload(file)
    with http_errors():
        importer.check_target(session=session, actor=user, campaign_id=campaign_id, unit_id=unit_id)
    args = output_jobs.import_args(
        campaign_id=campaign_id, unit_id=unit_id, actor_id=user.id, accept_warnings=accept_warnings
    )
    job_id = output_jobs.start(request, args, file.filename or "tep", content, user.id)
    return JobRead.model_validate(jobs.get_job(session, job_id))
