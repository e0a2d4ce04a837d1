"""Where a fetch may go: the address policy for links and redirects that come from feeds.

Feed URLs are the operator's choice and are fetched wherever they point. Article links
and redirects to another host come from the feeds, which nobody vouches for: they must
be http(s), and by default they must not reach this machine or its networks — loopback,
private, shared (CGNAT), link-local (cloud metadata), multicast, reserved or unspecified
addresses. ``allow_private`` (``MEDIAWATCH_FETCH_ALLOW_PRIVATE_ADDRESSES``) admits
loopback and the private and shared ranges for on-premises sources; link-local,
multicast, reserved and unspecified addresses are never fetched from a feed's link.

An IPv6 address that carries an IPv4 address is judged by the IPv4 address it reaches:
IPv4-mapped (``::ffff:0:0/96``), 6to4 (``2002::/16``, so that ``2002:a9fe:a9fe::`` is
169.254.169.254) and NAT64's well-known prefix (``64:ff9b::/96``, the answers of a DNS64
resolver). A Teredo address (``2001::/32``, not global) needs its server's and its
client's IPv4 addresses to pass too.

The check runs on the address actually connected to: the fetcher's resolver filters
every DNS answer (so a name that resolves differently between a check and the connect
gains nothing), and IP literals, which are never resolved, are checked here.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from streams.errors import FetchError

__all__ = ["AddressRefused", "address_allowed", "check_link"]

SCHEMES = ("http", "https")


class AddressRefused(FetchError):
    """A link or redirect from a feed that points where the service does not fetch."""


def address_allowed(address: str, allow_private: bool = False) -> bool:
    """True if a fetch from a feed's link may connect to ``address`` (an IP)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.teredo is not None:
            return all(_allowed(a, allow_private) for a in (ip, *ip.teredo))
        ip = _carried(ip) or ip
    return _allowed(ip, allow_private)


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _carried(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, 6to4 or NAT64 address reaches, or None."""
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return ip.ipv4_mapped or ip.sixtofour


def _allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> bool:
    if ip.is_multicast or ip.is_link_local or ip.is_unspecified:
        return False
    if ip.is_loopback:  # before is_reserved: ::1 lies in the reserved ::/8
        return allow_private
    if ip.is_reserved:
        return False
    if ip.is_global:
        return True
    return allow_private and (ip.is_private or ip in _SHARED)


_SHARED = ipaddress.ip_network("100.64.0.0/10")


def check_link(url: str, allow_private: bool = False) -> None:
    """Raise AddressRefused unless ``url`` is http(s) and, when its host is an IP
    literal, an address :func:`address_allowed` admits (names are checked at connect
    time by the fetcher's resolver)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise AddressRefused(f"unusable link {url!r}: {exc}") from None
    if parts.scheme.lower() not in SCHEMES:
        raise AddressRefused(f"link scheme {parts.scheme or '(none)'!r} is not http(s)")
    if not host:
        raise AddressRefused("link has no host")
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return  # a name: its addresses are checked when it is resolved
    if not address_allowed(host, allow_private):
        raise AddressRefused(f"link to {host} refused: not a public address")
