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

from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from analysis.fingerprints import TRACKING_PARAMS, TRACKING_PREFIXES

DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_feed_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, ``//`` in the path
    collapsed; the query kept as written (``index.php?rss``, ``?id=5;cat=2``,
    ``?q=%E9``, ``?from=world`` name feeds of their own). ValueError when the string is
    not an absolute http(s) URL."""
    parts = _checked(url)
    path = parts.path or "/"
    while "//" in path:
        path = path.replace("//", "/")
    return urlunsplit((parts.scheme.lower(), _netloc(parts), path, parts.query, ""))


def _checked(url: str) -> SplitResult:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    try:
        _ = parts.port
    except ValueError:
        raise ValueError(f"bad port in {url!r}") from None
    if parts.username:
        shown = parts._replace(netloc=f"…@{parts.netloc.rpartition('@')[2]}")
        raise ValueError("credentials in a feed URL are not accepted (give them to no "
                         f"one in a URL): {urlunsplit(shown)!r}")
    return parts


def _netloc(parts: SplitResult) -> str:
    assert parts.hostname is not None
    host = parts.hostname.lower().rstrip(".")
    port = parts.port
    return host if port in (None, DEFAULT_PORTS[parts.scheme.lower()]) else f"{host}:{port}"


def earlier_canonical_feed_url(url: str) -> str:
    """The form feed URLs were stored in before the query was kept as written (the
    article list of tracking parameters dropped, the rest decoded, sorted and encoded
    again): a registration in that form is the same registration."""
    parts = _checked(url)
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in TRACKING_PARAMS
                   and not k.lower().startswith(TRACKING_PREFIXES))
    path = parts.path or "/"
    while "//" in path:
        path = path.replace("//", "/")
    return urlunsplit((parts.scheme.lower(), _netloc(parts), path, urlencode(query), ""))


def feed_url_identity(url: str) -> str:
    """What two feeds must not share: the canonical feed URL without its scheme, a
    leading ``www.``, a trailing slash or ``utm_`` parameters, its query's parts in
    any order (each compared as written)."""
    parts = urlsplit(canonical_feed_url(url))
    netloc = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    query = "&".join(sorted(p for p in parts.query.split("&")
                            if p and not p.lower().startswith("utm_")))
    return urlunsplit(("", netloc, path, query, "")).removeprefix("//")


def feed_host(url: str) -> str:
    """The host a feed's requests count against for politeness."""
    return (urlsplit(url).hostname or "").lower().rstrip(".")
