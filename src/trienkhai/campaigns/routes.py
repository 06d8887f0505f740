"""JSON API of campaigns: campaigns, themes, assignments and transitions, unresolved, files."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Response, UploadFile, status
from sqlalchemy.orm import Session

from trienkhai import filenames
from trienkhai.campaigns import lifecycle, opening, steering
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.campaigns.schemas import (
    AssignmentCreate,
    AssignmentDetail,
    AssignmentRead,
    AssignmentUpdate,
    BulkDeadlineChange,
    CampaignClose,
    CampaignCreate,
    CampaignRead,
    CampaignSummary,
    CampaignUpdate,
    DeadlineChange,
    FileRead,
    HandOver,
    ResolveRequest,
    ThemeCreate,
    ThemeRead,
    ThemeUpdate,
    TransitionRequest,
    UnresolvedRead,
)
from trienkhai.deps import (
    Coordinator,
    Reader,
    SessionDep,
    Staff,
    Writer,
    ensure_unit_access,
    read_upload,
)
from trienkhai.documents import service as directives
from trienkhai.units.models import UnitKind
from trienkhai.users.models import Role, User

router = APIRouter(prefix="/api/v1", tags=["campaigns"])


def _editor_unit(user: User) -> int | None:
    """The unit a unit editor is confined to (None for other roles)."""
    return user.unit_id if user.role == Role.unit_editor.value else None


def _campaign(session: Session, user: User, campaign_id: int) -> Campaign:
    """The campaign if the user may read it (404; 403 for an editor whose unit it skips)."""
    campaign = campaigns.require(session=session, campaign_id=campaign_id)
    if user.role == Role.unit_editor.value and not campaigns.is_assigned(
        session=session, campaign_id=campaign.id, unit_id=user.unit_id
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Chiến dịch không giao việc cho đơn vị bạn")
    return campaign


def _assignment(session: Session, user: User, assignment_id: int) -> Assignment:
    """The assignment if the user may see it (editors: their own unit's only)."""
    assignment = campaigns.require_assignment(session=session, assignment_id=assignment_id)
    ensure_unit_access(user, assignment.unit_id)
    return assignment


# --- campaigns ---------------------------------------------------------------------------


@router.get("/campaigns", response_model=list[CampaignSummary])
def list_campaigns(session: SessionDep, user: Reader) -> list[CampaignSummary]:
    """Campaigns (editors: those that assign their unit)."""
    if user.role == Role.unit_editor.value and user.unit_id is None:
        return []
    rows = campaigns.list_campaigns(session=session, unit_id=_editor_unit(user))
    return [campaigns.campaign_summary(session=session, campaign=c) for c in rows]


@router.post("/campaigns", response_model=CampaignRead, status_code=status.HTTP_201_CREATED)
def create_campaign(session: SessionDep, user: Coordinator, data: CampaignCreate) -> CampaignRead:
    """Open a campaign from a stored directive (a second one only with "as_copy": true)."""
    directive = directives.get(session=session, directive_id=data.directive_id)
    if directive is None:
        msg = f"Không có văn bản số {data.directive_id} (directive not found)"
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, msg)
    campaign = opening.open_campaign(
        session=session,
        record=directives.record_of(directive),
        directive_id=directive.id,
        actor=user,
        title=data.title,
        report_deadline=data.report_deadline,
        period_start=data.period_start,
        period_end=data.period_end,
        copy=data.as_copy,
    )
    return campaigns.campaign_read(session=session, campaign=campaign, actor=user)


@router.get("/campaigns/{campaign_id}", response_model=CampaignRead)
def get_campaign(session: SessionDep, user: Reader, campaign_id: int) -> CampaignRead:
    """A campaign in full (editors see their own assignment only)."""
    campaign = _campaign(session, user, campaign_id)
    return campaigns.campaign_read(
        session=session, campaign=campaign, unit_id=_editor_unit(user), actor=user
    )


@router.patch("/campaigns/{campaign_id}", response_model=CampaignRead)
def update_campaign(
    session: SessionDep, user: Coordinator, campaign_id: int, data: CampaignUpdate
) -> CampaignRead:
    """Change title, description, status or dates."""
    campaign = _campaign(session, user, campaign_id)
    campaigns.update_campaign(session=session, campaign=campaign, data=data, actor=user)
    return campaigns.campaign_read(session=session, campaign=campaign, actor=user)


@router.post("/campaigns/{campaign_id}/close", response_model=CampaignRead)
def close_campaign(
    session: SessionDep, user: Coordinator, campaign_id: int, data: CampaignClose
) -> CampaignRead:
    """Close: no more outputs; the final report keeps this number and date."""
    campaign = _campaign(session, user, campaign_id)
    lifecycle.close(session=session, campaign=campaign, actor=user,
                    report_number=data.report_number, report_date=data.report_date)  # fmt: skip
    return campaigns.campaign_read(session=session, campaign=campaign, actor=user)


@router.post("/campaigns/{campaign_id}/reopen", response_model=CampaignRead)
def reopen_campaign(session: SessionDep, user: Coordinator, campaign_id: int) -> CampaignRead:
    """Reopen a closed campaign (its report is no longer final)."""
    campaign = _campaign(session, user, campaign_id)
    lifecycle.set_status(session=session, campaign=campaign, status="active", actor=user)
    return campaigns.campaign_read(session=session, campaign=campaign, actor=user)


@router.post("/campaigns/{campaign_id}/archive", response_model=CampaignRead)
def archive_campaign(session: SessionDep, user: Coordinator, campaign_id: int) -> CampaignRead:
    """Archive a campaign: out of the way, kept whole."""
    campaign = _campaign(session, user, campaign_id)
    lifecycle.set_status(session=session, campaign=campaign, status="archived", actor=user)
    return campaigns.campaign_read(session=session, campaign=campaign, actor=user)


@router.post("/campaigns/{campaign_id}/restore", response_model=CampaignRead)
def restore_campaign(session: SessionDep, user: Coordinator, campaign_id: int) -> CampaignRead:
    """Restore an archived campaign (closed again if it had been closed)."""
    campaign = _campaign(session, user, campaign_id)
    lifecycle.restore(session=session, campaign=campaign, actor=user)
    return campaigns.campaign_read(session=session, campaign=campaign, actor=user)


@router.delete("/campaigns/{campaign_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_campaign(session: SessionDep, user: Coordinator, campaign_id: int) -> Response:
    """Delete a campaign that has no outputs (409 otherwise: close or archive it)."""
    campaigns.delete_campaign(
        session=session, campaign=_campaign(session, user, campaign_id), actor=user
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- themes ------------------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/themes", response_model=list[ThemeRead])
def list_themes(session: SessionDep, user: Reader, campaign_id: int) -> list[ThemeRead]:
    """The campaign's themes in order."""
    return [campaigns.theme_read(t) for t in _campaign(session, user, campaign_id).themes]


@router.post(
    "/campaigns/{campaign_id}/themes", response_model=ThemeRead, status_code=status.HTTP_201_CREATED
)
def add_theme(
    session: SessionDep, user: Coordinator, campaign_id: int, data: ThemeCreate
) -> ThemeRead:
    """Add a theme."""
    campaign = _campaign(session, user, campaign_id)
    theme = campaigns.add_theme(session=session, campaign=campaign, data=data, actor=user)
    return campaigns.theme_read(theme)


@router.patch("/campaigns/{campaign_id}/themes/{theme_id}", response_model=ThemeRead)
def update_theme(
    session: SessionDep, user: Coordinator, campaign_id: int, theme_id: int, data: ThemeUpdate
) -> ThemeRead:
    """Change a theme."""
    campaign = _campaign(session, user, campaign_id)
    theme = campaigns.require_theme(session=session, campaign=campaign, theme_id=theme_id)
    campaigns.update_theme(session=session, theme=theme, data=data, actor=user)
    return campaigns.theme_read(theme)


@router.delete("/campaigns/{campaign_id}/themes/{theme_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_theme(
    session: SessionDep, user: Coordinator, campaign_id: int, theme_id: int
) -> Response:
    """Remove a theme."""
    campaign = _campaign(session, user, campaign_id)
    theme = campaigns.require_theme(session=session, campaign=campaign, theme_id=theme_id)
    campaigns.delete_theme(session=session, theme=theme, actor=user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- unresolved phrases ------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/unresolved", response_model=list[UnresolvedRead])
def list_unresolved(session: SessionDep, user: Staff, campaign_id: int) -> list[UnresolvedRead]:
    """Recipient phrases that matched no unit."""
    campaign = _campaign(session, user, campaign_id)
    rows = campaigns.list_unresolved(session=session, campaign_id=campaign.id)
    return [campaigns.unresolved_read(session, p) for p in rows]


@router.post(
    "/campaigns/{campaign_id}/unresolved/{phrase_id}/resolve", response_model=AssignmentRead
)
def resolve_unresolved(
    session: SessionDep, user: Coordinator, campaign_id: int, phrase_id: int, data: ResolveRequest
) -> AssignmentRead:
    """Point a phrase at a unit; the unit gets the phrase's tasks."""
    campaign = _campaign(session, user, campaign_id)
    phrase = campaigns.require_unresolved(session=session, campaign=campaign, phrase_id=phrase_id)
    assignment = campaigns.resolve_unresolved(
        session=session,
        campaign=campaign,
        phrase=phrase,
        unit_id=data.unit_id,
        actor=user,
        learn_alias=data.learn_alias,
    )
    return campaigns.assignment_read(assignment, actor=user)


@router.post(
    "/campaigns/{campaign_id}/unresolved/{phrase_id}/dismiss", response_model=UnresolvedRead
)
def dismiss_unresolved(
    session: SessionDep, user: Coordinator, campaign_id: int, phrase_id: int
) -> UnresolvedRead:
    """Mark a phrase as naming no unit to assign."""
    campaign = _campaign(session, user, campaign_id)
    phrase = campaigns.require_unresolved(session=session, campaign=campaign, phrase_id=phrase_id)
    campaigns.dismiss_unresolved(session=session, phrase=phrase, actor=user)
    return campaigns.unresolved_read(session, phrase)


# --- files -------------------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/files", response_model=list[FileRead])
def list_files(session: SessionDep, user: Reader, campaign_id: int) -> list[FileRead]:
    """Attachments and references, for every assigned unit."""
    campaign = _campaign(session, user, campaign_id)
    return [
        campaigns.file_read(f)
        for f in campaigns.list_files(session=session, campaign_id=campaign.id)
    ]


@router.post(
    "/campaigns/{campaign_id}/files", response_model=FileRead, status_code=status.HTTP_201_CREATED
)
def upload_file(
    *,
    session: SessionDep,
    user: Coordinator,
    campaign_id: int,
    title: Annotated[str, Form()] = "",
    kind: Annotated[Literal["attachment", "reference"], Form()] = "attachment",
    url: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> FileRead:
    """Upload an attachment (or record a reference link)."""
    campaign = _campaign(session, user, campaign_id)
    content = read_upload(file) if file is not None else None
    row = campaigns.add_file(
        session=session,
        campaign=campaign,
        title=title,
        actor=user,
        filename=(file.filename or "") if file is not None else "",
        content=content or None,
        kind=kind,
        url=url,
    )
    return campaigns.file_read(row)


@router.get("/campaigns/{campaign_id}/files/{file_id}/download")
def download_file(session: SessionDep, user: Reader, campaign_id: int, file_id: int) -> Response:
    """The uploaded file's bytes."""
    campaign = _campaign(session, user, campaign_id)
    row = campaigns.require_file(session=session, campaign=campaign, file_id=file_id)
    if row.content is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Tài liệu này chỉ có đường dẫn, chưa có tệp")
    # Type and disposition from the name's extension (an allow-list), never the stored type.
    headers = filenames.download_headers(row.filename or f"file-{row.id}")
    return Response(row.content, headers=headers)


# --- assignments -------------------------------------------------------------------------


@router.get("/campaigns/{campaign_id}/assignments", response_model=list[AssignmentRead])
def list_assignments(
    *,
    session: SessionDep,
    user: Reader,
    campaign_id: int,
    state: str | None = None,
    kind: UnitKind | None = None,
    overdue: bool | None = None,
    unit_id: int | None = None,
) -> list[AssignmentRead]:
    """Assignments of a campaign, filtered (editors: their own only)."""
    campaign = _campaign(session, user, campaign_id)
    rows = campaigns.list_assignments(
        session=session,
        campaign_id=campaign.id,
        unit_id=_editor_unit(user) or unit_id,
        state=state,
        kind=kind.value if kind else None,
        overdue=overdue,
    )
    return [campaigns.assignment_read(a, actor=user) for a in rows]


@router.post(
    "/campaigns/{campaign_id}/assignments",
    response_model=AssignmentRead,
    status_code=status.HTTP_201_CREATED,
)
def add_assignment(
    session: SessionDep, user: Coordinator, campaign_id: int, data: AssignmentCreate
) -> AssignmentRead:
    """Assign one more unit."""
    campaign = _campaign(session, user, campaign_id)
    row = campaigns.add_assignment(session=session, campaign=campaign, data=data, actor=user)
    return campaigns.assignment_read(row, actor=user)


@router.post("/campaigns/{campaign_id}/deadlines", response_model=list[AssignmentRead])
def change_deadlines(
    session: SessionDep, user: Coordinator, campaign_id: int, data: BulkDeadlineChange
) -> list[AssignmentRead]:
    """One new deadline for several units at once: all of them, or none (409 if one is stale)."""
    campaign = _campaign(session, user, campaign_id)
    picks = [steering.Pick(p.assignment_id, p.version) for p in data.assignments]
    rows = steering.change_deadlines(session=session, campaign=campaign, picks=picks,
                                     deadline=data.deadline, actor=user,
                                     reason=data.reason)  # fmt: skip
    return [campaigns.assignment_read(a, actor=user) for a in rows]


@router.post("/assignments/{assignment_id}/deadline", response_model=AssignmentDetail)
def change_deadline(
    session: SessionDep, user: Coordinator, assignment_id: int, data: DeadlineChange
) -> AssignmentDetail:
    """A new deadline for one unit, kept in the history with its reason."""
    assignment = _assignment(session, user, assignment_id)
    steering.change_deadline(session=session, assignment=assignment, deadline=data.deadline,
                             actor=user, reason=data.reason, version=data.version)  # fmt: skip
    return campaigns.assignment_detail(session=session, assignment=assignment, actor=user)


@router.post("/assignments/{assignment_id}/handover", response_model=AssignmentDetail)
def hand_over(
    session: SessionDep, user: Coordinator, assignment_id: int, data: HandOver
) -> AssignmentDetail:
    """Give the assignment to another unit (it starts again at 'assigned')."""
    assignment = _assignment(session, user, assignment_id)
    steering.hand_over(session=session, assignment=assignment, unit_id=data.unit_id,
                       actor=user, reason=data.reason, version=data.version)  # fmt: skip
    return campaigns.assignment_detail(session=session, assignment=assignment, actor=user)


@router.get("/assignments/{assignment_id}", response_model=AssignmentDetail)
def get_assignment(session: SessionDep, user: Reader, assignment_id: int) -> AssignmentDetail:
    """An assignment with its history."""
    assignment = _assignment(session, user, assignment_id)
    return campaigns.assignment_detail(session=session, assignment=assignment, actor=user)


@router.patch("/assignments/{assignment_id}", response_model=AssignmentRead)
def update_assignment(
    session: SessionDep, user: Coordinator, assignment_id: int, data: AssignmentUpdate
) -> AssignmentRead:
    """Change deadline, tasks or note."""
    assignment = _assignment(session, user, assignment_id)
    campaigns.update_assignment(session=session, assignment=assignment, data=data, actor=user)
    return campaigns.assignment_read(assignment, actor=user)


@router.delete("/assignments/{assignment_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_assignment(session: SessionDep, user: Coordinator, assignment_id: int) -> Response:
    """Take a unit off its campaign."""
    assignment = _assignment(session, user, assignment_id)
    campaigns.remove_assignment(session=session, assignment=assignment, actor=user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/assignments/{assignment_id}/transition", response_model=AssignmentDetail)
def transition(
    session: SessionDep, user: Writer, assignment_id: int, data: TransitionRequest
) -> AssignmentDetail:
    """Move an assignment (editors: their own unit, forward moves only)."""
    assignment = _assignment(session, user, assignment_id)
    campaigns.transition(
        session=session,
        assignment=assignment,
        to=data.to,
        actor=user,
        note=data.note,
        expected_version=data.version,
    )
    return campaigns.assignment_detail(session=session, assignment=assignment, actor=user)
