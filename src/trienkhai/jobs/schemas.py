"""What the API says of a job: enough for a page to draw a progress bar and fetch the result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class JobRead(BaseModel):
    """A job's state as the page polls it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    status: str
    progress: float
    message: str
    result: dict[str, Any] | None
    error: str
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ReportJob(BaseModel):
    """Which report file to make: the campaign's, or one unit's (by its code)."""

    model_config = ConfigDict(extra="forbid")

    format: str = Field(pattern="^(docx|pdf|xlsx)$", description="docx, pdf or xlsx")
    unit_code: str | None = Field(default=None, max_length=60)
