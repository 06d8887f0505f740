"""Shapes of the theme API: a decision in, the output's themes and suggestions out."""

from __future__ import annotations

from pydantic import BaseModel


class Decision(BaseModel):
    """Confirm (true) or reject (false) a theme on an output."""

    accepted: bool


class DecisionRead(BaseModel):
    """The decision stored and the output's themes after it."""

    output_id: int
    code: str
    accepted: bool
    themes: list[str]


class SuggestionRead(BaseModel):
    """A theme the output reaches the threshold on, its score and the words behind it."""

    code: str
    score: float
    drivers: list[str]


class BulkAccept(BaseModel):
    """Accept every suggestion at or above this score on the campaign's untagged outputs."""

    threshold: float


class BulkAccepted(BaseModel):
    """How many themes were accepted."""

    accepted: int
