"""JSON API of stored directives: upload (parse and store), list, get with record, original."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, HTTPException, Response, UploadFile, status
from sqlalchemy.orm import Session

from trienkhai.campaigns import service as campaigns
from trienkhai.deps import (
    Coordinator,
    Reader,
    SessionDep,
    Staff,
    read_upload,
)
from trienkhai.documents import service as directives
from trienkhai.documents.models import Directive
from trienkhai.users.models import Role, User

router = APIRouter(prefix="/api/v1", tags=["directives"])


def _readable(session: Session, user: User, directive_id: int) -> Directive:
    """The directive if the user may read it: staff, or an editor whose unit it assigns."""
    directive = directives.get(session=session, directive_id=directive_id)
    if directive is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Không có văn bản số {directive_id}")
    if user.role == Role.unit_editor.value and not campaigns.unit_sees_directive(
        session=session, directive_id=directive.id, unit_id=user.unit_id
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Văn bản không giao việc cho đơn vị của bạn")
    return directive


def content_disposition(filename: str) -> str:
    """An attachment header that carries a Vietnamese file name (RFC 6266)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@router.post("/directives", response_model=directives.DirectiveRead)
def upload_directive(
    session: SessionDep, user: Coordinator, response: Response, file: Annotated[UploadFile, File()]
) -> directives.DirectiveRead:
    """Upload a directive (.docx .doc .pdf .txt): parse, store; the same bytes again give 200."""
    name = file.filename or "directive.txt"
    directives.check_upload_name(name)
    content = read_upload(file, name=name)
    existing = directives.get_by_sha256(session=session, sha256=directives.sha256_of(content))
    stored = directives.import_directive(
        session=session, filename=name, content=content, actor=user
    )
    response.status_code = status.HTTP_200_OK if existing else status.HTTP_201_CREATED
    return directives.read_of(stored)


@router.get("/directives", response_model=list[directives.DirectiveSummary])
def list_directives(
    session: SessionDep, _user: Staff, q: str | None = None
) -> list[directives.DirectiveSummary]:
    """Stored directives, newest first; `q` searches number, subject, issuer."""
    return [directives.summary_of(d) for d in directives.list_directives(session=session, q=q)]


@router.get("/directives/{directive_id}", response_model=directives.DirectiveRead)
def get_directive(session: SessionDep, user: Reader, directive_id: int) -> directives.DirectiveRead:
    """A directive with its extracted record."""
    return directives.read_of(_readable(session, user, directive_id))


@router.get("/directives/{directive_id}/original")
def download_original(session: SessionDep, user: Reader, directive_id: int) -> Response:
    """The original file as uploaded."""
    directive = _readable(session, user, directive_id)
    headers = {"Content-Disposition": content_disposition(directive.filename)}
    return Response(directive.content, media_type=directive.media_type, headers=headers)
