"""ingest items: the earlier item an item republishes (dedup across units)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """An item points at the earlier item it republishes (another unit's) or repeats (its own)."""
    with op.batch_alter_table("ingest_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_item_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_ingest_items_original_item_id"), ["original_item_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_ingest_items_original_item_id_ingest_items"),
            "ingest_items",
            ["original_item_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("ingest_items", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_ingest_items_original_item_id_ingest_items"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_ingest_items_original_item_id"))
        batch_op.drop_column("original_item_id")
