"""Shared fixtures: the sample directive's themes (parsed by the real reader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trienkhai.themes.scorer import ThemeSpec
from trienkhai.themes.sources import directive_themes

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "trienkhai"
    / "data"
    / ("cong-van-stttt-nhan-quyen.txt")
)


@pytest.fixture(scope="session")
def themes() -> list[ThemeSpec]:
    """T1..T4 of the sample directive."""
    return directive_themes(SAMPLE)
