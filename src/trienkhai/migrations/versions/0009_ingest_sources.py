"""ingest sources and items (output discovery)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

URL = sa.String(length=2000)
WHEN = sa.DateTime(timezone=True)


def _sources() -> None:
    """The feeds, sitemaps and listing pages of each unit, with their health."""
    op.create_table(
        "ingest_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("url", URL, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("selector", sa.String(length=500), nullable=False),
        sa.Column("feed_url", URL, nullable=True),
        sa.Column("feed_kind", sa.String(length=20), nullable=True),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("child_validators", sa.JSON(), nullable=False),
        sa.Column("last_success", WHEN, nullable=True),
        sa.Column("last_attempt", WHEN, nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_note", sa.Text(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("next_due", WHEN, nullable=True),
        sa.Column("poll_minutes", sa.Integer(), nullable=False),
        sa.Column("items_found", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_ingest_sources_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_sources")),
        sa.UniqueConstraint("unit_id", "url", name=op.f("uq_ingest_sources_unit_id")),
    )
    op.create_index(op.f("ix_ingest_sources_unit_id"), "ingest_sources", ["unit_id"])
    op.create_index(op.f("ix_ingest_sources_next_due"), "ingest_sources", ["next_due"])


def _items() -> None:
    """Every item seen on a source, once per unit and canonical URL."""
    op.create_table(
        "ingest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("url", URL, nullable=False),
        sa.Column("canonical_url", URL, nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published_at", WHEN, nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("first_seen", WHEN, nullable=False),
        sa.Column("fetched_at", WHEN, nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("final_url", URL, nullable=True),
        sa.Column("fetch_error", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("author", sa.String(length=300), nullable=True),
        sa.Column("extracted_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["ingest_sources.id"],
            name=op.f("fk_ingest_items_source_id_ingest_sources"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_ingest_items_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_items")),
        sa.UniqueConstraint("unit_id", "canonical_url", name=op.f("uq_ingest_items_unit_id")),
    )
    op.create_index(op.f("ix_ingest_items_source_id"), "ingest_items", ["source_id"])
    op.create_index(op.f("ix_ingest_items_published_at"), "ingest_items", ["published_at"])
    op.create_index(op.f("ix_ingest_items_content_hash"), "ingest_items", ["content_hash"])
    op.create_index("ix_ingest_items_status_unit", "ingest_items", ["status", "unit_id"])


def upgrade() -> None:
    """Sources and items of output discovery."""
    _sources()
    _items()


def downgrade() -> None:
    """Drop items, then sources."""
    op.drop_table("ingest_items")
    op.drop_table("ingest_sources")
