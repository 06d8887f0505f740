"""Shapes of campaigns, themes, assignments, unresolved phrases and files for the API and CLI."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trienkhai.campaigns.models import AssignmentState, CampaignStatus
from trienkhai.patch import PatchModel
from trienkhai.text import nfc
from trienkhai.units.schemas import UnitBrief


def _clean(value: str) -> str:
    """NFC with outer spaces removed."""
    return nfc(value).strip()


class _Strict(BaseModel):
    """Input shapes refuse unknown fields so typos fail loudly."""

    model_config = ConfigDict(extra="forbid")


class TaskItem(_Strict):
    """One task of an assignment as extracted from section II (and edited)."""

    label: str | None = None
    group: str = ""
    task: str = ""
    channels: list[str] = Field(default_factory=list)
    forms: list[str] = Field(default_factory=list)

    @field_validator("group", "task")
    @classmethod
    def _nfc(cls, value: str) -> str:
        """NFC on entry."""
        return _clean(value)


class ThemeCreate(_Strict):
    """A new theme; the code defaults to the next free Tn."""

    code: str | None = Field(default=None, pattern=r"^T\d{1,3}$")
    title: str = ""
    text: str = Field(min_length=1)
    keywords: list[str] = Field(default_factory=list)

    @field_validator("title", "text")
    @classmethod
    def _nfc(cls, value: str) -> str:
        """NFC on entry."""
        return _clean(value)


class ThemeUpdate(_Strict, PatchModel):
    """A partial change of a theme."""

    title: str | None = None
    text: str | None = Field(default=None, min_length=1)
    keywords: list[str] | None = None
    position: int | None = None


class ThemeRead(BaseModel):
    """A theme as the API returns it."""

    id: int
    code: str
    position: int
    title: str
    text: str
    keywords: list[str]


class EventRead(BaseModel):
    """One history row of an assignment: a state move, or a deadline/hand-over/creation."""

    id: int
    kind: str = "transition"
    detail: dict[str, Any] = Field(default_factory=dict)
    at: datetime
    actor_id: int | None
    actor: str | None
    from_state: str | None
    to_state: str
    note: str


class AssignmentRead(BaseModel):
    """An assignment with its derived overdue flag and effective state."""

    id: int
    campaign_id: int
    unit: UnitBrief
    state: str
    effective_state: str
    overdue: bool
    deadline: date | None
    tasks: list[TaskItem]
    channels: list[str]
    forms: list[str]
    note: str
    version: int
    allowed_moves: list[str] = Field(default_factory=list)


class AssignmentDetail(AssignmentRead):
    """An assignment with its history."""

    events: list[EventRead]


class AssignmentCreate(_Strict):
    """Add a unit to a campaign."""

    unit_id: int
    deadline: date | None = None
    tasks: list[TaskItem] = Field(default_factory=list)
    note: str = ""


class AssignmentUpdate(_Strict, PatchModel):
    """A partial change of an assignment (not its state: that goes through transitions)."""

    deadline: date | None = None
    tasks: list[TaskItem] | None = None
    note: str | None = None
    version: int | None = None  # optimistic lock: the version the client read (409 if stale)

    nullable: ClassVar[frozenset[str]] = frozenset({"deadline", "version"})


class TransitionRequest(_Strict):
    """Move an assignment to another state."""

    to: AssignmentState
    note: str = ""
    version: int | None = None  # optimistic lock: the version the client saw


class UnresolvedRead(BaseModel):
    """A recipient phrase that matched no unit."""

    id: int
    phrase: str
    origin: str
    resolved_unit: UnitBrief | None
    dismissed: bool


class ResolveRequest(_Strict):
    """Resolve an unresolved phrase to a unit."""

    unit_id: int
    learn_alias: bool = True  # remember the phrase so the next directive resolves it


class FileRead(BaseModel):
    """An attachment or reference source of a campaign."""

    id: int
    kind: str
    title: str
    url: str
    filename: str
    media_type: str
    sha256: str
    has_content: bool


class CampaignCreate(_Strict):
    """Open a campaign from a stored directive."""

    directive_id: int
    title: str | None = None
    report_deadline: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    # The directive already has a campaign: `as_copy` opens a copy ("… (bản sao)"), else 409.
    as_copy: bool = False


class CampaignUpdate(_Strict, PatchModel):
    """A partial change of a campaign."""

    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = None
    status: CampaignStatus | None = None
    period_start: date | None = None
    period_end: date | None = None
    report_deadline: date | None = None

    nullable: ClassVar[frozenset[str]] = frozenset(
        {"period_start", "period_end", "report_deadline"}
    )


class CampaignSummary(BaseModel):
    """A campaign in a list (the `campaign list --json` contract keys first)."""

    id: int
    title: str
    directive: str | None
    assignments_count: int
    outputs_count: int
    directive_id: int | None = None
    status: str = CampaignStatus.active.value
    report_deadline: date | None = None
    overdue_count: int = 0


class CampaignRead(CampaignSummary):
    """A campaign with themes, assignments, unresolved phrases and files."""

    description: str
    period_start: date | None
    period_end: date | None
    # Frozen when the campaign is closed: the final report prints this number and date.
    closed_at: datetime | None = None
    report_number: str = ""
    report_date: date | None = None
    copied_from_id: int | None = None
    themes: list[ThemeRead]
    assignments: list[AssignmentRead]
    unresolved: list[UnresolvedRead]
    files: list[FileRead]


class CampaignClose(_Strict):
    """Close a campaign: the final report's number and date (today when omitted)."""

    report_number: str = Field(default="", max_length=100)
    report_date: date | None = None

    @field_validator("report_number")
    @classmethod
    def _nfc(cls, value: str) -> str:
        """NFC on entry."""
        return _clean(value)


class DeadlineChange(_Strict):
    """A new deadline for one assignment."""

    deadline: date | None
    reason: str = ""
    version: int | None = None  # optimistic lock: the version the client read (409 if stale)


class AssignmentPick(_Strict):
    """One assignment of a bulk change, with the version the client read."""

    assignment_id: int
    version: int | None = None


class BulkDeadlineChange(_Strict):
    """One new deadline for several assignments of a campaign: all applied, or none."""

    assignments: list[AssignmentPick] = Field(min_length=1)
    deadline: date | None
    reason: str = ""


class HandOver(_Strict):
    """Give an assignment to another unit."""

    unit_id: int
    reason: str = ""
    version: int | None = None
