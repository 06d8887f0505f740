"""The address guard: public addresses pass, private ones only inside an allowed network."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from trienkhai.errors import InvalidError
from trienkhai.ingest.guard import AddressGuard, BlockedAddressError, parse_networks

REFUSED = [
    "http://127.0.0.1/",
    "http://127.1.2.3:8080/x",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped loopback
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://localhost/",
]


def check(guard: AddressGuard, url: str) -> str:
    """The address the guard lets the URL connect to."""
    return asyncio.run(guard.check(url)).address


@pytest.mark.parametrize("url", REFUSED)
def test_private_loopback_link_local_and_reserved_targets_are_refused(url: str) -> None:
    with pytest.raises(BlockedAddressError):
        check(AddressGuard(), url)


def test_public_literal_address_passes_without_any_lookup() -> None:
    assert check(AddressGuard(), "https://203.113.131.2/rss") == "203.113.131.2"


@pytest.mark.parametrize(
    "url", ["ftp://1.1.1.1/", "file:///etc/passwd", "http:///x", "gopher://a/"]
)
def test_only_http_and_https_with_a_host(url: str) -> None:
    with pytest.raises(BlockedAddressError):
        check(AddressGuard(), url)


def test_allowed_network_opens_exactly_that_network() -> None:
    guard = AddressGuard.from_text("127.0.0.1/32")
    assert check(guard, "http://127.0.0.1:8080/") == "127.0.0.1"
    with pytest.raises(BlockedAddressError):
        check(guard, "http://127.0.0.2/")
    with pytest.raises(BlockedAddressError):
        check(guard, "http://10.0.0.1/")


def test_allow_list_parses_several_cidrs_and_names_a_wrong_one() -> None:
    nets = parse_networks(" 10.20.0.0/16, ,fd00::/8 ")
    assert nets == (ipaddress.ip_network("10.20.0.0/16"), ipaddress.ip_network("fd00::/8"))
    assert parse_networks("") == ()
    with pytest.raises(InvalidError, match=r"10\.0\.0\.300"):
        parse_networks("10.0.0.300/8")


def test_name_resolving_to_loopback_is_refused_and_checked_after_resolution() -> None:
    # "localhost" resolves through the hosts file (no network); every address it has is checked.
    guard = AddressGuard.from_text("127.0.0.1/32")
    try:
        address = check(guard, "http://localhost:9/")
    except BlockedAddressError as exc:
        assert "::1" in str(exc)  # localhost also names ::1, which is not allowed
    else:
        assert address == "127.0.0.1"
