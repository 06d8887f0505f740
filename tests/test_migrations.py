"""Every migration goes down and up again on a populated database, keeping the rows it does not own.

The revisions come from Alembic's script directory, so migrations added later are covered too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, table

from tests.databases import fresh_url
from trienkhai.db import make_engine, session_scope
from trienkhai.demo import load_demo
from trienkhai.migrate import alembic_config, downgrade, upgrade

TODAY = date(2026, 11, 27)


def revisions() -> list[str]:
    """Revision ids from base to head, as the script directory lists them."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]


def counts(engine: Engine) -> dict[str, int]:
    """Rows per table (Alembic's and the job queue's own tables left out: not our schema)."""
    names = [
        n
        for n in inspect(engine).get_table_names()
        if n != "alembic_version" and not n.startswith("procrastinate_")
    ]
    with engine.connect() as conn:
        return {n: conn.scalar(select(func.count()).select_from(table(n))) or 0 for n in names}


def kept(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Tables present on both sides whose row count changed."""
    return {n: (before[n], after[n]) for n in before.keys() & after.keys() if before[n] != after[n]}


@pytest.fixture
def engine(kind: str, tmp_path: Path, urls: list[str]) -> Iterator[Engine]:
    """A migrated database holding the demo data."""
    url = fresh_url(kind, tmp_path, "migrations")
    urls.append(url)
    eng = make_engine(url)
    upgrade(eng)
    with session_scope(eng) as session:
        load_demo(session=session, today=TODAY)
    yield eng
    eng.dispose()


@pytest.mark.slow
def test_down_to_base_and_up_again_on_populated_data(engine: Engine) -> None:
    chain = revisions()
    assert chain[0] == "0001"
    populated = counts(engine)
    assert populated["outputs"] > 0
    for target in [*reversed(chain[:-1]), "base"]:
        before = counts(engine)
        downgrade(engine, target)
        after = counts(engine)
        assert not kept(before, after), f"downgrade to {target} lost rows"
    assert set(counts(engine)) == set()
    for target in chain:
        upgrade(engine, target)
    assert set(counts(engine)) == set(populated)
    with session_scope(engine) as session:
        assert load_demo(session=session, today=TODAY).outputs > 0


def test_one_step_down_and_up_keeps_rows(engine: Engine) -> None:
    """Down through every revision above 0001 and back, the populated rows all survive."""
    chain = revisions()
    populated = counts(engine)
    downgrade(engine, "0001")
    assert not kept(populated, counts(engine))
    upgrade(engine, chain[-1])
    assert counts(engine) == populated


def test_the_board_index_covers_live_outputs_and_goes_down_cleanly(engine: Engine) -> None:
    """0016: the partial covering index of the board and output_themes by theme, both ways."""
    board = {i["name"]: i for i in inspect(engine).get_indexes("outputs")}
    assert board["ix_outputs_campaign_board"]["column_names"][:5] == [
        "campaign_id", "unit_id", "channel", "verification", "published_at",
    ]  # fmt: skip
    with engine.connect() as conn:  # partial: only live outputs are indexed
        if engine.dialect.name == "postgresql":
            sql = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_outputs_campaign_board'"
        else:
            sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_outputs_campaign_board'"
        assert "removed_at IS NULL" in str(conn.exec_driver_sql(sql).scalar())
    themes = {i["name"] for i in inspect(engine).get_indexes("output_themes")}
    assert "ix_output_themes_theme_id" in themes
    downgrade(engine, "0015")
    assert "ix_outputs_campaign_board" not in {
        i["name"] for i in inspect(engine).get_indexes("outputs")
    }
    upgrade(engine)
