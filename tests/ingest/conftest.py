"""Fixtures of the ingest tests: the loopback sites and test settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.databases import migrated
from tests.db_fixtures import drop_pg_database
from tests.ingest.site_server import Fixture, running
from trienkhai.settings import Settings

ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module")
def sites() -> Iterator[Fixture]:
    """The loopback unit sites, one server each, for the module's tests."""
    with running() as fx:
        yield fx


def module_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str
) -> Iterator[Engine]:
    """A fresh migrated database of the fixture's kind for one module (dropped afterwards)."""
    urls: list[str] = []
    try:
        with migrated(str(request.param), tmp_path_factory.mktemp(name), urls, name) as engine:
            yield engine
    finally:
        for url in urls:
            if url.startswith("postgresql"):
                drop_pg_database(url)


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
