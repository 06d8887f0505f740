"""campaign desk (status, closing, assignment steering)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Closing fields and copies on campaigns, kinds of history rows, review drafts."""
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("report_number", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("report_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("copied_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_campaigns_copied_from_id_campaigns"),
            "campaigns",
            ["copied_from_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("assignment_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), server_default="transition", nullable=False)
        )
        batch_op.add_column(sa.Column("detail", sa.JSON(), nullable=True))
    op.create_table(
        "campaign_drafts",
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("report_deadline", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directives.id"],
            name=op.f("fk_campaign_drafts_directive_id_directives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("directive_id", name=op.f("pk_campaign_drafts")),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("campaign_drafts")
    with op.batch_alter_table("assignment_events", schema=None) as batch_op:
        batch_op.drop_column("detail")
        batch_op.drop_column("kind")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_campaigns_copied_from_id_campaigns"), type_="foreignkey"
        )
        batch_op.drop_column("copied_from_id")
        batch_op.drop_column("report_date")
        batch_op.drop_column("report_number")
        batch_op.drop_column("closed_at")
