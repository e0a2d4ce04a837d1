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
    ("not an address", False, False),
])
def test_address_policy(address: str, default: bool, private: bool) -> None:
    assert address_allowed(address) is default
    assert address_allowed(address, allow_private=True) is private


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "gopher://x.example/", "javascript:alert(1)", "ftp://x.example/f",
    "http://127.0.0.1/", "http://[::1]:8080/", "http://169.254.169.254/latest/meta-data",
    "https://10.0.0.1/admin", "http:///nohost",
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
