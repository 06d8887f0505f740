"""The unit page: what we were asked and logged; add/import outputs, confirm found ones, report."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from pydantic import ValidationError
from sqlalchemy.orm import Session

from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns import states
from trienkhai.campaigns.models import Assignment, AssignmentState, Campaign
from trienkhai.deps import ensure_unit_access, read_upload
from trienkhai.ingest import match
from trienkhai.outputs import exporter, importer, ledger, removal
from trienkhai.outputs import jobs as output_jobs
from trienkhai.outputs import service as outputs
from trienkhai.outputs.channels import CHANNELS, FORMS
from trienkhai.outputs.columns import COLUMNS
from trienkhai.outputs.keys import complete_url
from trienkhai.outputs.models import Output
from trienkhai.outputs.schemas import ImportResult, OutputCreate, OutputUpdate
from trienkhai.settings import get_settings
from trienkhai.themes import service as theme_matching
from trienkhai.units import service as units
from trienkhai.units.models import Unit
from trienkhai.users.models import Role, User
from trienkhai.web.i18n import translate
from trienkhai.web.pages.common import (
    CsrfDep,
    PageRoute,
    SessionDep,
    UserDep,
    flash,
    language,
    page_roles,
    redirect,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)
WriterDep = page_roles(Role.admin, Role.coordinator, Role.unit_editor)
# The editor's path to "reported": each step is a legal move of the state machine.
NEXT_STEP = {
    AssignmentState.assigned.value: AssignmentState.acknowledged,
    AssignmentState.acknowledged.value: AssignmentState.in_progress,
    AssignmentState.in_progress.value: AssignmentState.reported,
}
PENDING_MAX = 700 * 1024  # bytes of a file kept in the page for "import anyway" (base64: +33%)


def unit_for(session: Session, user: User, unit_id: int) -> Unit:
    """The unit if the user may see it: 404 when absent, 403 for another unit's editor."""
    ensure_unit_access(user, unit_id)
    unit = units.get(session=session, unit_id=unit_id)
    if unit is None:
        raise HTTPException(404, f"Không có đơn vị số {unit_id}.")
    return unit


def current_campaign(
    session: Session, unit: Unit, campaign_id: int | None
) -> tuple[Campaign | None, Assignment | None]:
    """The chosen (or newest) campaign of the unit and its assignment."""
    mine = campaigns.list_campaigns(session=session, unit_id=unit.id)
    campaign = next((c for c in mine if c.id == campaign_id), mine[0] if mine else None)
    if campaign is None:
        return None, None
    rows = campaigns.list_assignments(session=session, campaign_id=campaign.id, unit_id=unit.id)
    return campaign, (rows[0] if rows else None)


def unit_outputs(
    session: Session,
    unit: Unit,
    campaign: Campaign | None,
    after: str | None = None,
    limit: int = outputs.UNIT_PAGE,
) -> outputs.UnitListing:
    """One page of the unit's outputs in the campaign (newest first), and those the system found."""
    if campaign is None:
        return outputs.UnitListing([], [], 0, None)
    try:
        return outputs.unit_listing(
            session=session, campaign_id=campaign.id, unit_id=unit.id, after=after, limit=limit
        )
    except outputs.OutputError as exc:
        raise HTTPException(422, str(exc)) from exc


def _context(
    session: Session, user: User, unit: Unit, campaign_id: int | None, after: str | None = None
) -> dict[str, Any]:
    """Everything the unit page shows for one campaign (one page of its outputs)."""
    campaign, assignment = current_campaign(session, unit, campaign_id)
    listing = unit_outputs(session, unit, campaign, after)
    logged, found = listing.logged, listing.found
    return {
        "unit": unit,
        "campaign": campaign,
        "assignment": assignment,
        "state": states.effective_state(assignment) if assignment else None,
        "campaigns": campaigns.list_campaigns(session=session, unit_id=unit.id),
        "files": campaigns.list_files(session=session, campaign_id=campaign.id) if campaign else [],
        "logged": logged,
        "logged_total": listing.logged_total,
        "older": listing.older,
        "after": after,
        "found": found,
        "answers": outputs.unit_answers(session=session, output_ids=[o.id for o in found]),
        "suggestions": theme_matching.suggest_many(
            session=session, campaign_id=campaign.id, outputs=logged
        )
        if campaign and user.role != Role.leader.value
        else {},
        "channels": CHANNELS,
        "forms": FORMS,
        "today": states.today().isoformat(),  # the local day, not the server's
        "can_write": user.role != Role.leader.value,
        "import_result": None,
        "column_names": {c.key: c.header for c in COLUMNS},
        "add_error": None,
        "pending": None,
        "removed": removal.list_removed(session=session, campaign_id=campaign.id, unit_id=unit.id)
        if campaign
        else [],
        "can_accept_period": user.role in outputs.VERIFIERS,
        "period": outputs.period_text(*outputs.period_bounds(session=session, campaign=campaign))
        if campaign
        else "",
        "editing": None,
        "edit_error": None,
        "duplicate": None,
        "ledger_row": _ledger_row(session, unit, campaign),
        "ledger_values": ledger.LEDGER_VALUES,
    }


def _ledger_row(session: Session, unit: Unit, campaign: Campaign | None) -> ledger.LedgerRow | None:
    """The unit's line of the campaign's reconciliation ledger (None without a campaign)."""
    if campaign is None:
        return None
    rows = ledger.campaign_ledger(session=session, campaign_id=campaign.id, unit_id=unit.id).rows
    return rows[0] if rows else None


def _editing(session: Session, unit: Unit, output_id: int | None) -> dict[str, Any] | None:
    """The output being edited and its form values (None when absent or not the unit's)."""
    if output_id is None:
        return None
    output = session.get(Output, output_id)
    if output is None or output.unit_id != unit.id:
        return None
    local = outputs.as_aware(output.published_at).astimezone(outputs.local_zone())
    return {
        "output": output,
        "published": local.date().isoformat(),
        "themes": {t.code for t in output.themes},
    }


def _page_url(unit: Unit, campaign_id: int | None) -> str:
    """The unit page's own (GET) address for the campaign."""
    return f"/units/{unit.id}" + (f"?campaign={campaign_id}" if campaign_id else "")


def _again(request: Request, user: User, unit: Unit, ctx: dict[str, Any], code: int) -> Response:
    """The unit page re-rendered after a failed POST, its address bar on the GET page."""
    response = render(request, "unit.html", ctx, user=user, status_code=code)
    # Boosted forms push the POST address; a reload of it would re-post or answer 405.
    campaign = ctx.get("campaign")
    response.headers["HX-Push-Url"] = _page_url(unit, campaign.id if campaign else None)
    return response


def _flash_all(request: Request, *messages: tuple[str, dict[str, Any]]) -> None:
    """Keep several translated messages, in order, as the next page's one flash line."""
    lang = language(request)
    request.session["flash"] = " ".join(translate(k, lang, **v) for k, v in messages)


@router.get("/units/{unit_id}")
def unit_page(
    request: Request,
    *,
    unit_id: int,
    campaign: int | None = None,
    edit: int | None = None,
    after: str | None = None,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """What the unit was asked, and what it logged (?after= pages older); ?edit=ID edits one."""
    unit = unit_for(session, user, unit_id)
    ctx = _context(session, user, unit, campaign, after)
    ctx["editing"] = _editing(session, unit, edit)
    return render(request, "unit.html", ctx, user=user)


@router.get("/units/{unit_id}/outputs")
@router.get("/units/{unit_id}/import")
@router.get("/units/{unit_id}/report")
@router.get("/units/{unit_id}/outputs/{output_id}/{action}")
def after_post(unit_id: int, campaign: int | None = None) -> Response:
    """A reload of a form's address (or a bookmark of it) lands on the unit page."""
    return redirect(f"/units/{unit_id}" + (f"?campaign={campaign}" if campaign else ""))


@router.post("/units/{unit_id}/outputs", dependencies=[CsrfDep])
def add_output(
    request: Request,
    *,
    unit_id: int,
    campaign_id: Annotated[int, Form()],
    title: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "",
    form: Annotated[str, Form()] = "",
    published: Annotated[str, Form()] = "",
    themes: Annotated[list[str] | None, Form()] = None,
    accept_outside_period: Annotated[bool, Form()] = False,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Log one output; the page comes back with the error (or the duplicate) in place."""
    unit = unit_for(session, user, unit_id)
    WriterDep(user)
    try:
        data = OutputCreate(
            campaign_id=campaign_id,
            unit_id=unit.id,
            title=title.strip(),
            url=url,
            channel=channel,
            form=form,
            published_at=date.fromisoformat(published),
            themes=themes or [],
            accept_outside_period=accept_outside_period,
        )
        output, created = outputs.create_output(session=session, actor=user, data=data)
    except outputs.AccessDeniedError as exc:
        raise HTTPException(403, str(exc)) from exc
    except (ValueError, LookupError, ValidationError) as exc:
        ctx = _context(session, user, unit, campaign_id) | {"add_error": _plain(exc)}
        return _again(request, user, unit, ctx, 400)
    if not created:
        request.state.failed = True  # nothing was added: roll back the look-up's transaction
        ctx = _context(session, user, unit, campaign_id) | {"duplicate": output}
        return _again(request, user, unit, ctx, 409)
    _flash_all(request, ("unit.added", {}), *_url_notice(url))
    return redirect(f"/units/{unit.id}?campaign={campaign_id}")


def _url_notice(typed: str) -> list[tuple[str, dict[str, Any]]]:
    """The flash part telling that a link was completed with https:// (none otherwise)."""
    completed = complete_url(typed)
    if completed == typed.strip():
        return []
    return [("unit.url_completed", {"typed": typed.strip(), "url": completed})]


@router.post("/units/{unit_id}/outputs/{output_id}/edit", dependencies=[CsrfDep])
def edit_output(
    request: Request,
    *,
    unit_id: int,
    output_id: int,
    title: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "",
    form: Annotated[str, Form()] = "",
    published: Annotated[str, Form()] = "",
    themes: Annotated[list[str] | None, Form()] = None,
    accept_outside_period: Annotated[bool, Form()] = False,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Correct an output; a changed day is checked against the campaign period again."""
    unit = unit_for(session, user, unit_id)
    WriterDep(user)
    editing = _editing(session, unit, output_id)
    if editing is None:
        raise HTTPException(404, "Không có sản phẩm này trong đơn vị.")
    output: Output = editing["output"]
    try:
        day = date.fromisoformat(published)
        # An unchanged day is left out so the stored time of day stays (the form edits days
        # only); an explicit null would be refused as clearing a required field.
        moved = {} if day.isoformat() == editing["published"] else {"published_at": day}
        data = OutputUpdate(
            title=title.strip(),
            url=url,
            channel=channel,
            form=form,
            themes=themes or [],
            accept_outside_period=accept_outside_period,
            **moved,
        )
        outputs.update_output(session=session, actor=user, output=output, data=data)
    except outputs.AccessDeniedError as exc:
        raise HTTPException(403, str(exc)) from exc
    except (ValueError, LookupError, ValidationError) as exc:
        request.state.failed = True
        session.rollback()
        ctx = _context(session, user, unit, output.campaign_id) | {
            "editing": _editing(session, unit, output_id),
            "edit_error": _plain(exc),
        }
        return _again(request, user, unit, ctx, 422)
    _flash_all(request, ("unit.updated", {"id": output.id}), *_url_notice(url))
    return redirect(f"/units/{unit.id}?campaign={output.campaign_id}#output-{output.id}")


@router.post("/units/{unit_id}/outputs/{output_id}/remove", dependencies=[CsrfDep])
def remove_output(
    request: Request,
    *,
    unit_id: int,
    output_id: int,
    reason: Annotated[str, Form()] = "",
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Take an output out of counts and reports (it can be restored); audited."""
    output = _own_output(session, user, unit_id, output_id)
    try:
        removal.remove_output(session=session, actor=user, output=output, reason=reason)
    except outputs.OutputError as exc:
        raise HTTPException(409, str(exc)) from exc
    flash(request, "unit.removed", id=output.id)
    return redirect(f"/units/{unit_id}?campaign={output.campaign_id}")


@router.post("/units/{unit_id}/outputs/{output_id}/restore", dependencies=[CsrfDep])
def restore_output(
    request: Request,
    *,
    unit_id: int,
    output_id: int,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Bring a removed output back into counts and reports; audited."""
    output = _own_output(session, user, unit_id, output_id)
    try:
        removal.restore_output(session=session, actor=user, output=output)
    except outputs.OutputError as exc:
        raise HTTPException(409, str(exc)) from exc
    flash(request, "unit.restored", id=output.id)
    return redirect(f"/units/{unit_id}?campaign={output.campaign_id}#output-{output.id}")


def _own_output(session: Session, user: User, unit_id: int, output_id: int) -> Output:
    """An output of the unit (removed or not) the user may change; 404/403 otherwise."""
    unit = unit_for(session, user, unit_id)
    WriterDep(user)
    try:
        output = outputs.get_output(session=session, output_id=output_id)
    except outputs.OutputNotFoundError as exc:
        raise HTTPException(404, "Không có sản phẩm này trong đơn vị.") from exc
    if output.unit_id != unit.id:
        raise HTTPException(404, "Không có sản phẩm này trong đơn vị.")
    return output


def _plain(exc: Exception) -> str:
    """A Vietnamese sentence for a validation problem."""
    if isinstance(exc, ValidationError):
        names = {"title": "Tiêu đề", "channel": "Kênh", "published_at": "Ngày đăng"}
        fields = [names.get(str(e["loc"][0]), str(e["loc"][0])) for e in exc.errors() if e["loc"]]
        if not fields:  # a whole-record rule (no field in loc): its own message says which
            return "; ".join(str(e["msg"]) for e in exc.errors())
        return "Thiếu hoặc sai: " + ", ".join(fields)
    text = str(exc)
    return text if any(ord(ch) > 127 for ch in text) else "Ngày đăng không hợp lệ."


@router.post("/units/{unit_id}/import", dependencies=[CsrfDep])
async def import_file(
    request: Request,
    *,
    unit_id: int,
    campaign_id: Annotated[int, Form()],
    file: Annotated[UploadFile | None, File()] = None,
    pending_name: Annotated[str, Form()] = "",
    pending_content: Annotated[str, Form()] = "",
    accept_warnings: Annotated[bool, Form()] = False,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Import an XLSX/CSV of outputs; row errors, or warnings to accept, come back in place."""
    unit = unit_for(session, user, unit_id)
    WriterDep(user)
    filename, content = await _upload(file, pending_name, pending_content)
    if output_jobs.is_large(content):
        return _import_job(request, session, user, (unit.id, campaign_id), (filename, content),
                           accept_warnings=accept_warnings)  # fmt: skip
    try:
        result: ImportResult = importer.import_outputs(
            session=session,
            actor=user,
            campaign_id=campaign_id,
            unit_id=unit.id,
            filename=filename,
            content=content,
            accept_warnings=accept_warnings,
        )
    except outputs.OutputNotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    except outputs.AccessDeniedError as exc:
        raise HTTPException(403, str(exc)) from exc
    if not (result.errors or result.needs_confirmation):
        rows = ", ".join(str(n.row) for n in result.notices)
        notices = [("unit.import_notices", {"rows": rows})] if result.notices else []
        values = {"stored": result.stored, "updated": result.updated, "same": result.duplicates}
        _flash_all(request, ("unit.imported", values), *notices)
        return redirect(f"/units/{unit.id}?campaign={campaign_id}")
    ctx = _context(session, user, unit, campaign_id) | {"import_result": result}
    if result.needs_confirmation:
        ctx["pending"] = _pending(filename, content)
    return _again(request, user, unit, ctx, 422 if result.errors else 200)


def _import_job(
    request: Request,
    session: Session,
    user: User,
    target: tuple[int, int],
    upload: tuple[str, bytes],
    *,
    accept_warnings: bool,
) -> Response:
    """A large file is imported by a worker: store it with a job and show the job's page."""
    unit_id, campaign_id = target
    try:
        importer.check_target(session=session, actor=user, campaign_id=campaign_id, unit_id=unit_id)
    except outputs.OutputNotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    except outputs.AccessDeniedError as exc:
        raise HTTPException(403, str(exc)) from exc
    back = f"/units/{unit_id}?campaign={campaign_id}"
    args = output_jobs.import_args(campaign_id=campaign_id, unit_id=unit_id, actor_id=user.id,
                                   accept_warnings=accept_warnings, back=back)  # fmt: skip
    return redirect(f"/jobs/{output_jobs.start(request, args, *upload, user.id)}")


async def _upload(file: UploadFile | None, name: str, encoded: str) -> tuple[str, bytes]:
    """The chosen file, or the one sent back by "import anyway"; 400/413 in Vietnamese."""
    if file is not None and file.filename:
        return file.filename, read_upload(file)
    if not (encoded and name):
        raise HTTPException(400, "Chưa chọn tệp để nhập.")
    try:
        content = base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise HTTPException(400, "Tệp gửi lại bị hỏng; hãy chọn lại tệp.") from exc
    if len(content) > get_settings().max_upload_mb * 2**20:
        raise HTTPException(413, f"{name}: tệp quá lớn (file too large)")
    return name, content


def _pending(filename: str, content: bytes) -> dict[str, str]:
    """What "import anyway" sends back: the file itself when small, else only its name."""
    # A form field is capped at 1 MB by the multipart parser: bigger files are chosen again.
    if len(content) > PENDING_MAX:
        return {"name": filename, "content": ""}
    return {"name": filename, "content": base64.b64encode(content).decode("ascii")}


@router.get("/units/{unit_id}/template.{fmt}")
def template(
    unit_id: int, fmt: str, user: User = UserDep, session: Session = SessionDep
) -> Response:
    """The import template (XLSX with lists and a guide, or CSV)."""
    unit_for(session, user, unit_id)
    if fmt not in ("xlsx", "csv"):
        raise HTTPException(404, "Chỉ có mẫu .xlsx hoặc .csv.")
    media = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
    }[fmt]
    headers = {"Content-Disposition": f'attachment; filename="mau-nhap-ket-qua.{fmt}"'}
    return Response(exporter.template(fmt), media_type=media, headers=headers)


def _writable_output(
    session: Session, user: User, unit_id: int, output_id: int
) -> tuple[Unit, Output]:
    """The unit and its output, if the user may write there (403 / 404 otherwise)."""
    unit = unit_for(session, user, unit_id)
    WriterDep(user)
    output = session.get(Output, output_id)
    if output is None or output.unit_id != unit.id:
        raise HTTPException(404, "Không có sản phẩm này trong đơn vị.")
    return unit, output


@router.post("/units/{unit_id}/outputs/{output_id}/{decision}", dependencies=[CsrfDep])
def decide(
    request: Request,
    *,
    unit_id: int,
    output_id: int,
    decision: str,
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """The unit says whether an output the system discovered is its own (coordinators verify)."""
    unit, output = _writable_output(session, user, unit_id, output_id)
    if decision not in ("confirm", "reject"):
        raise HTTPException(404, "Không có sản phẩm này trong đơn vị.")
    try:
        # Through ingest.match: a confirmation also teaches the campaign's theme scorer.
        match.decide(
            session=session, actor=user, output_id=output.id, accepted=decision == "confirm"
        )
    except outputs.OutputError as exc:
        raise HTTPException(409, str(exc)) from exc
    flash(request, f"unit.answer.{decision}")
    return redirect(f"/units/{unit.id}?campaign={output.campaign_id}")


@router.post(
    "/units/{unit_id}/outputs/{output_id}/themes/{code}/{decision}", dependencies=[CsrfDep]
)
def decide_theme(
    request: Request,
    *,
    unit_id: int,
    output_id: int,
    code: str,
    decision: str,
    back: Annotated[str, Form()] = "",
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Accept or reject a suggested theme; the decision teaches the campaign's matcher."""
    unit, output = _writable_output(session, user, unit_id, output_id)
    if decision not in ("accept", "reject"):
        raise HTTPException(404, "Không có sản phẩm này trong đơn vị.")
    theme_matching.record(
        session=session, output_id=output.id, code=code, accepted=decision == "accept",
        user_id=user.id,
    )  # fmt: skip
    flash(request, f"theme.answer.{decision}")
    if back == "output":  # a fixed choice of page, never an address taken from the form
        return redirect(f"/outputs/{output.id}")
    return redirect(f"/units/{unit.id}?campaign={output.campaign_id}")


@router.post("/units/{unit_id}/report", dependencies=[CsrfDep])
def submit_report(
    request: Request,
    *,
    unit_id: int,
    campaign_id: Annotated[int, Form()],
    note: Annotated[str, Form()] = "",
    user: User = UserDep,
    session: Session = SessionDep,
) -> Response:
    """Move the unit's assignment to 'reported', through each legal step."""
    unit = unit_for(session, user, unit_id)
    WriterDep(user)
    # The campaign named in the form, never a fallback: reporting must not land elsewhere.
    rows = campaigns.list_assignments(session=session, campaign_id=campaign_id, unit_id=unit.id)
    if not rows:
        raise HTTPException(404, "Đơn vị không có nhiệm vụ trong chiến dịch này.")
    assignment = rows[0]
    if assignment.state not in NEXT_STEP and assignment.state != AssignmentState.reported.value:
        label = states.STATE_LABELS[AssignmentState(assignment.state)]
        raise HTTPException(409, f"Nhiệm vụ đang ở trạng thái '{label}', không thể báo cáo.")
    try:
        while assignment.state in NEXT_STEP:
            step = NEXT_STEP[assignment.state]
            campaigns.transition(session=session, assignment=assignment, to=step, actor=user,
                                 note=note if step is AssignmentState.reported else "")  # fmt: skip
    except (states.TransitionError, states.TransitionForbiddenError) as exc:
        raise HTTPException(
            409 if isinstance(exc, states.TransitionError) else 403, str(exc)
        ) from exc
    flash(request, "unit.reported")
    return redirect(f"/units/{unit.id}?campaign={campaign_id}")
