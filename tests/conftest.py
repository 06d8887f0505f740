"""Shared fixtures: paths to the shared corpora and samples."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder beside the repository (samples and corpora)."""
    return SHARED


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The sample directive (PDF-to-text conversion with real artifacts)."""
    return SHARED / "samples" / "cong-van-stttt-nhan-quyen.txt"


pytest_plugins = ["tests.db_fixtures", "tests.smtp_server", "tests.databases"]
