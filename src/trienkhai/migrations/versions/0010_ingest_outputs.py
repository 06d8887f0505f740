"""ingest outputs (republication, link-check times)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
# The lead rechains this onto 0009 (sources and crawled items) when both branches merge.
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Outputs say which item they republish and when their link was checked and verified."""
    with op.batch_alter_table("outputs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("republished_from", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("outputs", schema=None) as batch_op:
        batch_op.drop_column("verified_at")
        batch_op.drop_column("checked_at")
        batch_op.drop_column("republished_from")
