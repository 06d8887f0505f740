"""Shared fixtures: paths to the shared corpora and samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import SAMPLE, SHARED


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder beside the repository (samples and corpora)."""
    return SHARED


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The sample directive (PDF-to-text conversion with real artifacts), from the package data."""
    return SAMPLE


pytest_plugins = ["tests.db_fixtures", "tests.smtp_server"]
