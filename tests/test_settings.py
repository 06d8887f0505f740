"""Settings: every field documented, placeholder secret refused in production."""

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from trienkhai.settings import DEV_SECRET, Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [f for f in Settings.model_fields if f"`TRIENKHAI_{f.upper()}`" not in text]
    assert missing == []


def test_documented_settings_exist() -> None:
    names = re.findall(r"`TRIENKHAI_([A-Z_]+)`", DOC.read_text(encoding="utf-8"))
    assert {n.lower() for n in names} <= set(Settings.model_fields)


def test_published_development_secret_is_refused_everywhere() -> None:
    for env in ("development", "test", "production"):
        with pytest.raises(ValidationError, match="SECRET_KEY"):
            Settings(env=env, secret_key=DEV_SECRET)
    with pytest.raises(ValidationError, match="32"):
        Settings(secret_key="short")


def test_default_database_is_sqlite_in_data_dir(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, database_url="")
    assert s.effective_database_url == f"sqlite:///{tmp_path.resolve() / 'trienkhai.db'}"
