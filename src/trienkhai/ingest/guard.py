"""Address guard: the crawler fetches public addresses only, plus the networks an admin allows.

A unit's feed may link anywhere, and a redirect may point anywhere, so every request and every
redirect hop is checked after the host name is resolved; the request then goes to the very
address that was checked (no second lookup a rebinding DNS server could answer differently).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from trienkhai.errors import InvalidError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
SCHEMES = frozenset({"http", "https"})


class BlockedAddressError(InvalidError):
    """A URL the crawler refuses: not http(s), no host, or an address it may not reach."""


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """The CIDRs of TRIENKHAI_CRAWL_ALLOW_NETWORKS; a wrong one is named."""
    networks: list[IPNetwork] = []
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError as exc:
            raise InvalidError(
                f"TRIENKHAI_CRAWL_ALLOW_NETWORKS: '{part.strip()}' không phải dải CIDR"
            ) from exc
    return tuple(networks)


def is_public(ip: IPAddress) -> bool:
    """Whether the address is globally routable (not private, loopback, link-local, reserved)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return is_public(ip.ipv4_mapped)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


@dataclass(frozen=True)
class Target:
    """A checked request target: the host as written and the address to connect to."""

    host: str
    address: str
    port: int


@dataclass(frozen=True)
class AddressGuard:
    """Refuses targets outside the public internet unless an allowed network contains them."""

    allow: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_text(cls, text: str) -> AddressGuard:
        """A guard allowing the comma-separated CIDRs."""
        return cls(parse_networks(text))

    def permits(self, ip: IPAddress) -> bool:
        """Whether the crawler may connect to this address."""
        if any(ip in net for net in self.allow):
            return True
        mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
        if mapped is not None and any(mapped in net for net in self.allow):
            return True
        return is_public(ip)

    def check_address(self, ip: IPAddress, url: str) -> None:
        """Raise BlockedAddressError unless the address is allowed."""
        if not self.permits(ip):
            raise BlockedAddressError(
                f"Địa chỉ {ip} của {url} không được phép truy cập (mạng nội bộ)"
            )

    async def check(self, url: str) -> Target:
        """Resolve the URL's host and check every address it resolves to; the first is used."""
        host, port = split_host(url)
        addresses = await resolve(host, port)
        if not addresses:
            raise BlockedAddressError(f"Không phân giải được tên miền '{host}' của {url}")
        for ip in addresses:
            self.check_address(ip, url)
        return Target(host=host, address=str(addresses[0]), port=port)


def split_host(url: str) -> tuple[str, int]:
    """Host and port of an http(s) URL; BlockedAddressError for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise BlockedAddressError(f"Chỉ tải được địa chỉ http/https, không phải '{url}'")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise BlockedAddressError(f"Cổng không hợp lệ trong {url}") from exc
    if not parts.hostname:
        raise BlockedAddressError(f"Thiếu tên máy trong {url}")
    return parts.hostname, port


async def resolve(host: str, port: int) -> Sequence[IPAddress]:
    """Every address of the host (a literal address is itself), without blocking the loop."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return []
    seen: dict[str, IPAddress] = {}
    for info in infos:
        # The scope suffix of an IPv6 link-local address ("fe80::1%eth0") is dropped here.
        text = str(info[4][0]).split("%", 1)[0]
        seen.setdefault(text, ipaddress.ip_address(text))
    return list(seen.values())
