"""outputs: when a discovered output was confirmed (the ledger's confirmed/pending split)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The confirmations made before this column existed are audit entries (action unit_confirm).
BACKFILL = """
UPDATE outputs SET confirmed_at = (
    SELECT MAX(audit_log.at) FROM audit_log
    WHERE audit_log.entity = 'output' AND audit_log.action = 'unit_confirm'
      AND audit_log.entity_id = CAST(outputs.id AS VARCHAR(40))
)
WHERE outputs.source = 'discovered' AND EXISTS (
    SELECT 1 FROM audit_log
    WHERE audit_log.entity = 'output' AND audit_log.action = 'unit_confirm'
      AND audit_log.entity_id = CAST(outputs.id AS VARCHAR(40))
)
"""


def upgrade() -> None:
    """Add outputs.confirmed_at and fill it from the audited confirmations."""
    with op.batch_alter_table("outputs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(BACKFILL)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("outputs", schema=None) as batch_op:
        batch_op.drop_column("confirmed_at")
