"""Migration 0008 goes down and up again on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from trienkhai.db import make_engine
from trienkhai.migrate import alembic_config, upgrade


def test_0008_downgrades_and_upgrades(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    assert "theme_examples" in inspect(engine).get_table_names()
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0007")
    assert "theme_examples" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "theme_examples" in inspect(engine).get_table_names()
    engine.dispose()
