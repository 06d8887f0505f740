"""scale: covering index of the board's outputs, index of output_themes by theme

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOARD = "ix_outputs_campaign_board"
BY_THEME = "ix_output_themes_theme_id"
LIVE = sa.text("removed_at IS NULL")


def upgrade() -> None:
    """The board's three GROUP BYs read (campaign, unit, channel, verification, day) from one index.

    Partial on live outputs (every query carries removed_at IS NULL) and covering (id included
    on PostgreSQL; SQLite indexes hold the rowid), so the counts never visit the table: a
    campaign's outputs lie scattered over years of pages at national size.
    """
    op.create_index(
        BOARD,
        "outputs",
        ["campaign_id", "unit_id", "channel", "verification", "published_at"],
        postgresql_include=["id"],
        postgresql_where=LIVE,
        sqlite_where=LIVE,
    )
    # A theme's outputs (the list filtered by theme, a theme's deletion) without a full scan.
    op.create_index(BY_THEME, "output_themes", ["theme_id"])


def downgrade() -> None:
    """Drop both indexes."""
    op.drop_index(BY_THEME, table_name="output_themes")
    op.drop_index(BOARD, table_name="outputs")
