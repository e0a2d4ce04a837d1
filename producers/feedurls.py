"""Feed URLs: the form a feed is fetched at and the identity duplicates are found by.

Article URLs are canonicalised by ``analysis.fingerprints.canonical_url``, which folds
http into https and drops mobile/AMP variants: right for articles, wrong for feeds,
where ``m.example.org/rss`` or an http-only feed may be a feed of its own. A feed URL
keeps its scheme and host; only what never changes the resource is normalised.

``feed_url_identity`` is coarser on purpose: it is what two registrations must not
share. It ignores the scheme and a leading ``www.``, because polling
``http://www.example.org/rss`` next to ``https://example.org/rss`` is exactly the
duplicate polling that gets a reader blocked.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from analysis.fingerprints import TRACKING_PARAMS, TRACKING_PREFIXES

DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_feed_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking
    parameters, sorted query; path kept (but ``//`` collapsed). ValueError when the
    string is not an absolute http(s) URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"bad port in {url!r}") from None
    host = parts.hostname.lower().rstrip(".")
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        raise ValueError(f"credentials in a feed URL are not accepted: {url!r}")
    # The article canonicaliser's list of tracking parameters applies to feeds too.
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in TRACKING_PARAMS
                   and not k.lower().startswith(TRACKING_PREFIXES))
    path = parts.path or "/"
    while "//" in path:
        path = path.replace("//", "/")
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def feed_url_identity(url: str) -> str:
    """What two feeds must not share: the canonical feed URL without its scheme, a
    leading ``www.`` or a trailing slash."""
    parts = urlsplit(canonical_feed_url(url))
    netloc = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", netloc, path, parts.query, "")).removeprefix("//")


def feed_host(url: str) -> str:
    """The host a feed's requests count against for politeness."""
    return (urlsplit(url).hostname or "").lower().rstrip(".")
