"""Directive storage: keep the original bytes with their SHA-256 and the parsed record."""

from __future__ import annotations

import hashlib
import mimetypes
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.documents.models import Directive
from trienkhai.documents.parser import parse_file
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.schemas import DocumentRecord
from trienkhai.errors import InvalidError
from trienkhai.text import fold, nfc
from trienkhai.users.models import User
from trienkhai.users.service import audit


class DirectiveError(InvalidError):
    """A directive that cannot be stored; the message names the file and the reason."""


class UnsupportedUploadError(DirectiveError):
    """An uploaded file of a type the upload form does not offer (HTTP 415)."""

    status_code = 415


# The one list of file types the upload form offers and the API accepts. .odt and .rtf are left
# out on purpose: Decree-30 letters travel as .doc/.docx/.pdf, and each extra LibreOffice import
# filter is more code an attacker's file reaches. Images too: a scan arrives as a PDF (OCR'd).
# The command line (`trienkhai parse`, the operator's own files) still reads every format.
UPLOAD_SUFFIXES = (".docx", ".doc", ".pdf", ".txt")


def check_upload_name(filename: str) -> None:
    """Refuse an upload whose extension the form does not list (UnsupportedUploadError)."""
    if not filename.lower().endswith(UPLOAD_SUFFIXES):
        listed = ", ".join(UPLOAD_SUFFIXES[:-1]) + f" hoặc {UPLOAD_SUFFIXES[-1]}"
        raise UnsupportedUploadError(f"Tệp {filename} không đúng định dạng; hãy chọn tệp {listed}.")


# Read shapes live here because documents/schemas.py is the parser's record schema.
class DirectiveSummary(BaseModel):
    """A stored directive in a list."""

    id: int
    filename: str
    media_type: str
    sha256: str
    size: int
    doc_type: str | None
    number_symbol: str | None
    issuer: str | None
    subject: str | None
    issued_date: date | None


class DirectiveRead(DirectiveSummary):
    """A stored directive with its extracted record."""

    record: dict[str, Any]


def summary_of(directive: Directive) -> DirectiveSummary:
    """The list shape of a directive."""
    return DirectiveSummary(
        id=directive.id,
        filename=directive.filename,
        media_type=directive.media_type,
        sha256=directive.sha256,
        size=directive.size,
        doc_type=directive.doc_type,
        number_symbol=directive.number_symbol,
        issuer=directive.issuer,
        subject=directive.subject,
        issued_date=directive.issued_date,
    )


def read_of(directive: Directive) -> DirectiveRead:
    """The full shape of a directive (without the original bytes)."""
    return DirectiveRead(**summary_of(directive).model_dump(), record=dict(directive.record or {}))


def sha256_of(content: bytes) -> str:
    """Hex SHA-256 of the bytes: the identity of a stored directive."""
    return hashlib.sha256(content).hexdigest()


def get(*, session: Session, directive_id: int) -> Directive | None:
    """The directive with this id, if any."""
    return session.get(Directive, directive_id)


def get_by_sha256(*, session: Session, sha256: str) -> Directive | None:
    """The directive whose original file has this SHA-256, if any."""
    return session.scalar(select(Directive).where(Directive.sha256 == sha256).limit(1))


def ids_by_number_symbol(*, session: Session, numbers: list[str]) -> dict[str, int]:
    """Stored directives whose number and symbol is one of the given ones (number → id)."""
    wanted = {n for n in numbers if n}
    if not wanted:
        return {}
    stmt = select(Directive.number_symbol, Directive.id).where(Directive.number_symbol.in_(wanted))
    return {str(number): int(did) for number, did in session.execute(stmt)}


def list_directives(*, session: Session, q: str | None = None, limit: int = 200) -> list[Directive]:
    """Directives, newest first; every word of `q` is in the number, subject, issuer or body.

    Diacritics are ignored ("doi thoai" finds "Đối thoại"): the stored search text is folded.
    """
    stmt = select(Directive).order_by(Directive.id.desc()).limit(limit)
    for word in fold(q or "").split():
        stmt = stmt.where(Directive.search_text.contains(word, autoescape=True))
    return list(session.scalars(stmt))


def by_ids(*, session: Session, ids: list[int]) -> dict[int, Directive]:
    """The directives with these ids, by id (one query, for lists that name them)."""
    if not ids:
        return {}
    return {d.id: d for d in session.scalars(select(Directive).where(Directive.id.in_(ids)))}


def record_of(directive: Directive) -> DocumentRecord:
    """The stored record as the parser's schema."""
    return DocumentRecord.model_validate(directive.record or {})


def parse_bytes(*, filename: str, content: bytes) -> DocumentRecord:
    """Parse uploaded bytes with the reader registry (a temp file keeps the format's suffix)."""
    suffix = Path(filename).suffix.lower() or ".txt"
    with tempfile.TemporaryDirectory(prefix="trienkhai-") as tmp:
        path = Path(tmp) / f"directive{suffix}"
        path.write_bytes(content)
        try:
            record = parse_file(path)
        except ReadError as exc:
            raise DirectiveError(f"{filename}: {exc.reason}") from exc
    record.source = filename
    return record


def _iso_date(text: str | None) -> date | None:
    """An ISO date, or None for a blank or partial one (drafts have no date)."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _search_text(record: DocumentRecord, filename: str, body: str | None) -> str:
    """Folded text the directive list searches: the header fields, then the whole text."""
    parts = [filename, record.number_symbol, record.subject, record.issuer, record.doc_type, body]
    return " ".join(fold(" | ".join(part for part in parts if part)).split())


def store(
    *, session: Session, filename: str, content: bytes, record: DocumentRecord, actor: User | None
) -> Directive:
    """Store a parsed directive (the caller checked it is new)."""
    filename = nfc(Path(filename).name) or "directive"
    media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    directive = Directive(
        filename=filename,
        media_type=media_type,
        sha256=sha256_of(content),
        size=len(content),
        content=content,
        record=record.model_dump(mode="json", exclude={"text", "body"}),
        doc_type=record.doc_type,
        number_symbol=record.number_symbol,
        issuer=record.issuer,
        subject=record.subject,
        issued_date=_iso_date(record.issued_date),
        text=record.text,
        search_text=_search_text(record, filename, record.text),
        created_by_id=actor.id if actor else None,
    )
    session.add(directive)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="import",
        entity="directive",
        entity_id=directive.id,
        summary=f"Nhập văn bản {filename}",
    )
    return directive


def import_directive(
    *, session: Session, filename: str, content: bytes, actor: User | None
) -> Directive:
    """Parse and store a directive; the same bytes imported again return the stored one."""
    if not content:
        raise DirectiveError(f"{filename}: tệp rỗng (empty file)")
    existing = get_by_sha256(session=session, sha256=sha256_of(content))
    if existing is not None:
        return existing
    record = parse_bytes(filename=filename, content=content)
    return store(session=session, filename=filename, content=content, record=record, actor=actor)


def update_record(
    *, session: Session, directive: Directive, record: DocumentRecord, actor: User | None
) -> Directive:
    """Replace the extracted record after the coordinator reviewed it."""
    directive.record = record.model_dump(mode="json", exclude={"text", "body"})
    directive.doc_type = record.doc_type
    directive.number_symbol = record.number_symbol
    directive.issuer = record.issuer
    directive.subject = record.subject
    directive.issued_date = _iso_date(record.issued_date)
    directive.search_text = _search_text(record, directive.filename, directive.text)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="update",
        entity="directive",
        entity_id=directive.id,
        summary="Sửa bản trích xuất",
    )
    return directive
