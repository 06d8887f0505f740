"""What the API says of a job: enough for a page to draw a progress bar and fetch the result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


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
