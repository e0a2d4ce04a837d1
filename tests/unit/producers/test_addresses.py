"""The address policy for links and redirects from feeds."""

import pytest

from producers.addresses import AddressRefused, address_allowed, check_link


@pytest.mark.parametrize(("address", "default", "private"), [
    ("93.184.216.34", True, True),          # public
    ("2606:4700::1111", True, True),
    ("127.0.0.1", False, True),             # loopback
    ("::1", False, True),
    ("10.1.2.3", False, True),              # private
    ("172.16.0.5", False, True),
    ("192.168.1.1", False, True),
    ("fd00::1", False, True),
    ("100.64.0.1", False, True),            # shared (CGNAT)
    ("169.254.169.254", False, False),      # link-local: cloud metadata, never
    ("fe80::1", False, False),
    ("224.0.0.1", False, False),            # multicast
    ("0.0.0.0", False, False),              # unspecified
    ("240.0.0.1", False, False),            # reserved
    ("::ffff:127.0.0.1", False, True),      # IPv4-mapped loopback
    ("::ffff:169.254.169.254", False, False),
    ("::ffff:93.184.216.34", True, True),
    # 6to4 (2002::/16) carries the IPv4 address it reaches in its bits 16 to 48
    ("2002:a9fe:a9fe::1", False, False),    # 169.254.169.254
    ("2002:7f00:1::1", False, True),        # 127.0.0.1
    ("2002:a00:1::1", False, True),         # 10.0.0.1
    ("2002:5db8:d822::1", True, True),      # 93.184.216.34
    # NAT64's well-known prefix (64:ff9b::/96) in its last 32 bits
    ("64:ff9b::a9fe:a9fe", False, False),
    ("64:ff9b::7f00:1", False, True),
    ("64:ff9b::5db8:d822", True, True),     # a DNS64 answer for a public host
    ("64:ff9b:1::a9fe:a9fe", False, False),  # the local-use prefix: reserved
    # Teredo (2001::/32): not global; its server and client must be fetchable too
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False, True),  # client 192.0.2.45
    ("2001:0:4136:e378:8000:63bf:5601:5601", False, False),  # client 169.254.169.254
    ("2001:0:a9fe:a9fe::1", False, False),   # server 169.254.169.254
    ("::169.254.169.254", False, False),     # IPv4-compatible: deprecated, reserved
    ("not an address", False, False),
])
def test_address_policy(address: str, default: bool, private: bool) -> None:
    assert address_allowed(address) is default
    assert address_allowed(address, allow_private=True) is private


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "gopher://x.example/", "javascript:alert(1)", "ftp://x.example/f",
    "http://127.0.0.1/", "http://[::1]:8080/", "http://169.254.169.254/latest/meta-data",
    "https://10.0.0.1/admin", "http:///nohost", "http://[2002:a9fe:a9fe::1]/latest/meta-data",
    "http://[64:ff9b::a9fe:a9fe]/", "http://[::ffff:a9fe:a9fe]/",
])
def test_links_refused(url: str) -> None:
    with pytest.raises(AddressRefused):
        check_link(url)


def test_names_and_public_literals_pass_the_static_check() -> None:
    check_link("https://news.example/a")          # resolved and checked at connect time
    check_link("http://93.184.216.34/rss")
    check_link("http://127.0.0.1:8080/", allow_private=True)
    with pytest.raises(AddressRefused):
        check_link("http://169.254.169.254/", allow_private=True)
