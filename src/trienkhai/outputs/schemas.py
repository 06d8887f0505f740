"""Shapes of outputs in and out of the API (never ORM objects)."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from trienkhai.outputs.models import OutputSource, Verification
from trienkhai.patch import PatchModel


class OutputCreate(BaseModel):
    """A new output; channel and form accept any known spelling, themes are codes T1..Tn."""

    campaign_id: int
    unit_id: int
    title: str = Field(min_length=1, max_length=1000)
    url: str = Field(default="", max_length=2000)
    channel: str = Field(min_length=1)
    form: str = ""
    published_at: datetime | date
    duration_seconds: int | None = Field(default=None, ge=0)
    reach: int | None = Field(default=None, ge=0)
    themes: list[str] = Field(default_factory=list)
    source: OutputSource = OutputSource.reported
    excerpt: str = ""
    note: str = ""
    # A coordinator's explicit yes to an output dated outside the campaign period.
    accept_outside_period: bool = False


class OutputUpdate(PatchModel):
    """Fields to change on an output; omitted fields stay as they are."""

    title: str | None = Field(default=None, min_length=1, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    channel: str | None = None
    form: str | None = None
    published_at: datetime | date | None = None
    duration_seconds: int | None = Field(default=None, ge=0)
    reach: int | None = Field(default=None, ge=0)
    themes: list[str] | None = None
    excerpt: str | None = None
    note: str | None = None
    accept_outside_period: bool = False

    nullable: ClassVar[frozenset[str]] = frozenset({"duration_seconds", "reach"})


class EvidenceRead(BaseModel):
    """An evidence file's metadata (the content is downloaded separately)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    media_type: str
    sha256: str
    size: int
    created_at: datetime


class OutputRead(BaseModel):
    """An output as the API returns it."""

    id: int
    campaign_id: int
    unit_id: int
    assignment_id: int | None
    title: str
    url: str
    canonical_url: str
    channel: str
    channel_label: str
    form: str
    form_label: str
    published_at: datetime
    duration_seconds: int | None
    reach: int | None
    source: str
    verification: str
    themes: list[str]
    evidence: list[EvidenceRead]
    note: str
    created_at: datetime
    updated_at: datetime
    removed_at: datetime | None = None
    removed_reason: str = ""


class OutputCreated(OutputRead):
    """An output after a create: `created` is false when it already existed (idempotent).

    When false, the answer is the existing output and `message` says which one it is.
    """

    created: bool
    duplicate_of: int | None = None
    message: str = ""
    # What was done to the input on the way in (a link completed with https://).
    notices: list[str] = Field(default_factory=list)


class VerifyRequest(BaseModel):
    """A coordinator's verdict on an output."""

    state: Verification
    note: str = ""


class RowIssue(BaseModel):
    """One problem of an imported file, by row (1 = header) and column."""

    row: int
    column: str
    message: str


class ImportResult(BaseModel):
    """What an import stored, what already existed and what was wrong."""

    stored: int = 0
    # Rows whose natural key matched an output already stored: its changed fields were updated.
    updated: int = 0
    duplicates: int = 0
    errors: list[RowIssue] = Field(default_factory=list)
    warnings: list[RowIssue] = Field(default_factory=list)
    # What was done to rows on the way in (a link completed with https://); never blocks.
    notices: list[RowIssue] = Field(default_factory=list)
    # True when only warnings stopped the import: send again with accept_warnings to store.
    needs_confirmation: bool = False


class OutputListed(BaseModel):
    """One line of `trienkhai outputs list --json` (the contract in docs/cli.md)."""

    id: int
    unit: str
    title: str
    url: str
    channel: str
    published_at: datetime
    source: str
    verification: str
    themes: list[str]
    republished_from: str | None
