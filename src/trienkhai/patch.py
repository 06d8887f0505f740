"""Update (PATCH) shapes: a field may be left out to keep it, but null only where it clears.

`{"title": null}` used to reach the database as NULL in a NOT NULL column (a server error).
Every Update schema derives from PatchModel and names the fields null may clear.
"""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError


class PatchModel(BaseModel):
    """An update shape: omitted fields stay as they are; null only for the `nullable` fields."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _refuse_null(self) -> Self:
        """Refuse an explicit null for a field the record requires (422 naming the field)."""
        for name in sorted(self.model_fields_set - self.nullable):
            if getattr(self, name) is None:
                raise PydanticCustomError(
                    "null_not_allowed",
                    "Trường '{field}' không được để trống (null); bỏ trường này nếu không đổi",
                    {"field": name},
                )
        return self
