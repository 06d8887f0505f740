"""security (sessions, tokens, login throttling, calendar tokens)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 19:00:00
"""

from collections.abc import Sequence

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision (reserved; filled by the feature that owns it)."""


def downgrade() -> None:
    """Undo this revision."""
