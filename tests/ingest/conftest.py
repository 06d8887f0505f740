"""Fixtures of the ingest tests: the loopback site."""

from tests.ingest.site_server import site  # noqa: F401 - a fixture, found by name
