"""Fixtures of the ingest tests: the loopback sites and test settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ingest.site_server import Fixture, running
from trienkhai.settings import Settings


@pytest.fixture(scope="module")
def sites() -> Iterator[Fixture]:
    """The loopback unit sites, one server each, for the module's tests."""
    with running() as fx:
        yield fx


def crawl_settings(**overrides: object) -> Settings:
    """Settings of a test crawl: loopback allowed, short delays and limits."""
    values: dict[str, object] = {
        "crawl_allow_networks": "127.0.0.1/32",
        "crawl_delay_s": 0.02,
        "crawl_timeout_s": 1.0,
        "crawl_max_bytes": 1_000_000,
        "crawl_max_wait_s": 5.0,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


from tests.ingest.verify_server import site  # noqa: E402, F401 - a fixture, found by name
