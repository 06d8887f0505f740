"""Shared fixtures: paths to the shared corpora and samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus import SAMPLE, SHARED

# Tests sign with a fixed secret rather than making one in the work tree's var/ folder; the live
# servers the web tests start inherit it. tests/test_security.py checks the generated one.
os.environ.setdefault("TRIENKHAI_SECRET_KEY", "tests-only-secret-" + "0123456789abcdef" * 2)
# Every app a test starts sweeps the periodic jobs at once: the daily link check would fetch the
# made-up links of earlier tests' outputs. tests/ingest/test_verify_jobs.py turns it on.
os.environ.setdefault("TRIENKHAI_VERIFY_EVERY_HOURS", "0")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder beside the repository (samples and corpora)."""
    return SHARED


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The sample directive (PDF-to-text conversion with real artifacts), from the package data."""
    return SAMPLE


pytest_plugins = ["tests.db_fixtures", "tests.smtp_server", "tests.databases"]
