"""Directive intake: upload or paste, review each field beside the text, open the campaign."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from sqlalchemy.orm import Session

from trienkhai.campaigns import lifecycle, opening
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Campaign
from trienkhai.deps import read_upload
from trienkhai.documents import service as documents
from trienkhai.documents.checker import Finding, check_record
from trienkhai.documents.models import Directive
from trienkhai.documents.readers.ocr import OCR_LOW_CONFIDENCE
from trienkhai.documents.schemas import DocumentRecord, PageConfidence
from trienkhai.reports.service import local_today
from trienkhai.users.models import User
from trienkhai.users.service import audit
from trienkhai.web.pages.common import (
    CsrfDep,
    EditorDep,
    PageRoute,
    SessionDep,
    StaffDep,
    flash,
    redirect,
    render,
)
from trienkhai.web.pages.review_form import HEADER, SIGNER, changed_fields, record_from_form

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/directives/new")
def intake_form(request: Request, user: User = EditorDep) -> Response:
    """Upload a file or paste the text of a directive."""
    return render(
        request, "directive_new.html", {"accepted": ",".join(documents.UPLOAD_SUFFIXES)}, user=user
    )


async def _upload_bytes(file: UploadFile | None, text: str) -> tuple[str, bytes]:
    """The uploaded file (or the pasted text as a .txt) as name and bytes; 400 when neither."""
    if file is not None and file.filename:
        name = file.filename
        try:
            documents.check_upload_name(name)
        except documents.UnsupportedUploadError as exc:
            raise HTTPException(415, str(exc)) from exc
        content = read_upload(file, name=name)
        if not content:
            raise HTTPException(400, f"Tệp {name} rỗng, không có nội dung.")
        return name, content
    if text.strip():
        return "van-ban-dan.txt", text.encode("utf-8")
    raise HTTPException(400, "Chưa chọn tệp và chưa dán nội dung văn bản.")


@router.post("/directives", dependencies=[CsrfDep])
async def intake(
    request: Request,
    *,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "",
    user: User = EditorDep,
    session: Session = SessionDep,
) -> Response:
    """Read the document and store it; then review it."""
    name, content = await _upload_bytes(file, text)
    try:
        directive = documents.import_directive(
            session=session, filename=name, content=content, actor=user
        )
    except documents.DirectiveError as exc:
        raise HTTPException(422, f"Không đọc được văn bản: {exc}") from exc
    return redirect(f"/directives/{directive.id}/review")


def _directive(session: Session, directive_id: int) -> Directive:
    """The directive, or a 404 page."""
    directive = documents.get(session=session, directive_id=directive_id)
    if directive is None:
        raise HTTPException(404, f"Không có văn bản số {directive_id} trong thư viện.")
    return directive


def _full_record(directive: Directive) -> DocumentRecord:
    """The stored record with the original text (kept in its own column)."""
    return documents.record_of(directive).model_copy(update={"text": directive.text or ""})


def _findings(record: DocumentRecord) -> list[Finding]:
    """The format checker's findings on the record."""
    return check_record(record, today=local_today())


def low_confidence_pages(record: DocumentRecord) -> list[PageConfidence]:
    """The OCR'd pages whose mean word confidence is below OCR_LOW_CONFIDENCE (or unknown)."""
    return [
        p
        for p in record.page_confidence
        if p.confidence is None or p.confidence < OCR_LOW_CONFIDENCE
    ]


def _review_context(session: Session, directive: Directive) -> dict[str, object]:
    """Everything the review page shows."""
    record = _full_record(directive)
    numbers = [c.number_symbol or "" for c in record.footnote_citations]
    draft = lifecycle.get_draft(session=session, directive_id=directive.id)
    return {
        "directive": directive,
        "record": record,
        "findings": _findings(record),
        "low_confidence": low_confidence_pages(record),
        "header_fields": HEADER,
        "signer_fields": SIGNER,
        "in_library": documents.ids_by_number_symbol(session=session, numbers=numbers),
        "campaign_title": (draft.title if draft else "") or record.subject or directive.filename,
        "report_deadline": draft.report_deadline if draft else None,
        "existing": lifecycle.campaign_of_directive(session=session, directive_id=directive.id),
        "duplicate_error": None,
    }


@router.get("/directives/{directive_id}/review")
def review(
    request: Request, directive_id: int, user: User = EditorDep, session: Session = SessionDep
) -> Response:
    """The original text beside every extracted field, with the format findings."""
    ctx = _review_context(session, _directive(session, directive_id))
    return render(request, "directive_review.html", ctx | {"editable": True}, user=user)


@router.get("/directives/{directive_id}")
def show(
    request: Request, directive_id: int, user: User = StaffDep, session: Session = SessionDep
) -> Response:
    """A library document, read only."""
    ctx = _review_context(session, _directive(session, directive_id))
    return render(request, "directive_review.html", ctx | {"editable": False}, user=user)


@router.get("/directives/{directive_id}/original")
def original(directive_id: int, user: User = StaffDep, session: Session = SessionDep) -> Response:
    """The original file as uploaded."""
    directive = _directive(session, directive_id)
    disposition = f"attachment; filename*=UTF-8''{quote(directive.filename)}"
    return Response(
        directive.content,
        media_type=directive.media_type,
        headers={"Content-Disposition": disposition},
    )


def _parse_deadline(value: str) -> date | None:
    """The report deadline from the date input (yyyy-mm-dd), None when blank; 400 when wrong."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise HTTPException(400, "Hạn báo cáo không hợp lệ; chọn một ngày.") from exc


@router.post("/directives/{directive_id}/review", dependencies=[CsrfDep])
async def save_review(
    request: Request, directive_id: int, user: User = EditorDep, session: Session = SessionDep
) -> Response:
    """Save the coordinator's corrections; with action=create also open the campaign."""
    directive = _directive(session, directive_id)
    form = await request.form()
    before = _full_record(directive)
    record = record_from_form(before, form)
    documents.update_record(session=session, directive=directive, record=record, actor=user)
    audit(
        session=session,
        actor=user,
        action="review",
        entity="directive",
        entity_id=directive.id,
        detail={"changed": changed_fields(before, record)},
    )
    # What the coordinator typed for the campaign is kept with every save, not only on "open".
    title = str(form.get("campaign_title") or "").strip()
    deadline = _parse_deadline(str(form.get("report_deadline") or ""))
    lifecycle.save_draft(
        session=session, directive_id=directive.id, title=title, report_deadline=deadline
    )
    action = form.get("action")
    if action not in ("create", "copy"):
        flash(request, "review.saved")
        return redirect(f"/directives/{directive.id}/review")
    try:
        campaign = opening.open_campaign(
            session=session,
            directive_id=directive.id,
            record=record,
            title=title or record.subject or directive.filename,
            report_deadline=deadline,
            actor=user,
            copy=action == "copy",
        )
    except lifecycle.DuplicateCampaignError as exc:
        # The corrections are kept (committed); only the second campaign is refused.
        ctx = _review_context(session, directive) | {"editable": True}
        ctx["duplicate_error"] = str(exc)[:1].upper() + str(exc)[1:]
        return render(request, "directive_review.html", ctx, user=user, status_code=409)
    return redirect(f"/campaigns/{campaign.id}")


@router.get("/library")
def library(
    request: Request, q: str = "", user: User = StaffDep, session: Session = SessionDep
) -> Response:
    """Every imported document, with its citations linked when the cited one is here too."""
    items = documents.list_directives(session=session, q=q or None)
    numbers = [
        c.get("number_symbol") or ""
        for d in items
        for c in (d.record or {}).get("footnote_citations", [])
    ]
    in_library = documents.ids_by_number_symbol(session=session, numbers=numbers)
    opened: dict[int, list[Campaign]] = {}
    for campaign in campaigns.list_campaigns(session=session):
        if campaign.directive_id is not None:
            opened.setdefault(campaign.directive_id, []).append(campaign)
    ctx = {"items": items, "q": q, "in_library": in_library, "campaigns": opened}
    return render(request, "library.html", ctx, user=user)
