"""output desk (removal, phrase mappings)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Outputs can be removed (reversibly); recipient phrases can be remembered for a group."""
    with op.batch_alter_table("outputs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("removed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("removed_reason", sa.Text(), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_outputs_removed_at"), ["removed_at"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outputs_removed_by_id_users"),
            "users",
            ["removed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("outputs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outputs_removed_by_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outputs_removed_at"))
        batch_op.drop_column("removed_reason")
        batch_op.drop_column("removed_by_id")
        batch_op.drop_column("removed_at")
