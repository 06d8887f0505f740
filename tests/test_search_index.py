"""On PostgreSQL, title search ('%word%' in folded titles) is answered by a trigram index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.databases import migrated

pytestmark = pytest.mark.postgres


def test_folded_title_search_uses_the_trigram_index(tmp_path: Path, urls: list[str]) -> None:
    with migrated("postgres", tmp_path, urls, "trgm") as engine, engine.connect() as connection:
        names = connection.scalars(
            text("SELECT indexname FROM pg_indexes WHERE tablename='outputs'")
        )
        assert "ix_outputs_title_folded_trgm" in set(names)
        connection.execute(text("SET enable_seqscan = off"))  # an empty table: force the choice
        plan = connection.scalars(
            text("EXPLAIN SELECT id FROM outputs WHERE title_folded LIKE '%chuyen doi%'")
        ).all()
        assert any("ix_outputs_title_folded_trgm" in line for line in plan), plan
