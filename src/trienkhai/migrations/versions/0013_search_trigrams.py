"""search: trigram index on folded output titles (PostgreSQL)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 23:50:00
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
INDEX = "ix_outputs_title_folded_trgm"


def upgrade() -> None:
    """Search matches '%word%' in folded titles: a trigram GIN index answers that on PostgreSQL.

    pg_trgm ships with PostgreSQL (contrib); creating it needs the right to create extensions.
    Without that right the index is left out and search still works, only slower at national
    size (docs/scaling.md says how a DBA adds it).
    """
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        log.warning("pg_trgm could not be created: output search runs without its index")
        return
    op.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON outputs USING gin (title_folded gin_trgm_ops)"
    )


def downgrade() -> None:
    """Drop the index (the extension stays: other databases' objects may use it)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
