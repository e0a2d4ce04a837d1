"""Exact-duplicate fingerprints: canonical URLs, their ids, GUID keys, content hashes.

Pure functions over plain strings; the dedup agent and ``mediawatch dedup`` share them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote_plus, urlencode, urlsplit, urlunsplit

from .text import clean_text

# Query parameters that identify a campaign or a click, never the article.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
    "ref", "ref_src", "ref_url", "referrer", "cmpid", "ocid", "smid", "sr_share", "spm",
    "share", "src", "ito", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
    "outputtype", "amp", "_ga", "_gl", "at_medium", "at_campaign", "rss", "from",
    "xtor", "wt.mc_id", "ncid", "cmp", "taid",  # AT Internet, Webtrends, Yahoo, Guardian
})
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
MOBILE_HOST_PREFIXES = ("m.", "mobile.", "amp.", "www.")
AMP_PATH = re.compile(r"(?:/amp)+/?$|\.amp(?=\.html?$|$)|/amp(?=/)", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """The URL an article is known by: lower-case scheme and host, no default port,
    no fragment, no tracking parameters, no AMP or mobile variant, sorted query,
    no trailing slash; canonical_url(canonical_url(u)) == canonical_url(u). Raises
    ValueError on a string that is not an absolute URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    host = parts.hostname.lower().rstrip(".")
    changed = True
    while changed:
        changed = False
        for prefix in MOBILE_HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") >= 2:
                host = host[len(prefix):]
                changed = True
    port = parts.port
    # the default port of the URL's scheme, or of https, which every canonical URL has
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme), 443) else f"{host}:{port}"
    path = _canonical_path(parts.path)
    # Read byte for byte (Latin-1 both ways): a percent-encoded byte that is no UTF-8
    # ("?q=%E9t%E9") stays itself, where UTF-8 decoding made every one U+FFFD and two
    # articles one. A character outside ASCII is its UTF-8 bytes, as before.
    query = sorted(
        (k, v)
        for k, v in parse_qsl(_ascii(parts.query), keep_blank_values=True,
                              encoding="latin-1")
        if not _tracking(k)
    )
    # Both schemes name one article: http and https variants are the same story.
    return urlunsplit(("https", netloc, path, urlencode(query, encoding="latin-1"), ""))


#: Every printable ASCII character: left as it is by ``_ascii``.
_ASCII_SAFE = "".join(chr(c) for c in range(0x20, 0x7F))


def _ascii(query: str) -> str:
    """``query`` with each character outside ASCII percent-encoded as UTF-8."""
    return query if query.isascii() else quote(query, safe=_ASCII_SAFE)


def _tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _canonical_path(path: str) -> str:
    """No AMP suffix, no repeated or trailing slash — until nothing changes, so that a
    canonical URL is its own canonical form ("/a.amp.amp" → "/a")."""
    while True:
        folded = re.sub(r"/{2,}", "/", AMP_PATH.sub("", path) or "/")
        if len(folded) > 1:
            folded = folded.rstrip("/") or "/"
        if folded == path:
            return folded
        path = folded


def clean_link(url: str) -> str:
    """The address a reader should open: the article's own URL (its scheme, host, port,
    path and query as published) without tracking parameters nor fragment. Unlike
    :func:`canonical_url` it identifies nothing; raises ValueError likewise."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    # The query's parts as written (a bare "?12345" stays so, an encoding stays as it
    # was), but for the tracking parameters.
    query = "&".join(
        piece for piece in parts.query.split("&")
        if piece and not _tracking(unquote_plus(piece.split("=", 1)[0], encoding="latin-1"))
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", query, ""))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


def url_id(url: str) -> str:
    """Stable 20-hex-digit id of an article's canonical URL (the key on articles.raw)."""
    try:
        return canonical_url_id(canonical_url(url))
    except ValueError:
        return _digest(url.strip())


def canonical_url_id(canonical: str) -> str:
    """``url_id`` of a URL that is canonical already (``canonical_url``'s result)."""
    return _digest(canonical)


def guid_key(feed_id: str, guid: str) -> str:
    """Key of a feed entry's GUID; a GUID is only unique within its feed."""
    return _digest(f"{feed_id}\x1f{guid.strip()}")


_WORD = re.compile(r"\w+", re.UNICODE)
#: A byte of UTF-8 text → a space for an ASCII character that is not a word character,
#: else itself (the bytes of a non-ASCII character are all 0x80 or above).
_UTF8_WORDS = bytes(c if c >= 0x80 or _WORD.match(chr(c)) else 0x20 for c in range(256))
_ASCII_BYTES = bytes(range(0x80))
_NON_ASCII_NON_WORD = re.compile(r"[^\w\x00-\x7f]")


def _words_utf8(text: str) -> bytes:
    """``" ".join(_WORD.findall(text)).encode()``, faster.

    A non-ASCII character is a word character exactly when it is alphanumeric
    (``str.isalnum``; the regular expression engine tests the same Unicode property,
    and the underscore is ASCII). When every non-ASCII character of the text is one,
    the words are the runs of its UTF-8 bytes between ASCII non-word characters: those
    bytes become spaces (``bytes.translate``) and ``bytes.split`` cuts there, without a
    regular expression scanning each character. Otherwise the non-ASCII non-word
    characters are made spaces first."""
    if text.isascii():
        return b" ".join(text.encode().translate(_UTF8_WORDS).split())
    if 8 * text.count(" ") < len(text):
        # Few spaces (Chinese, Japanese): few, long runs of word characters between
        # punctuation, which findall finds at less cost.
        return " ".join(_WORD.findall(text)).encode()
    try:
        raw = text.encode()
    except UnicodeEncodeError:  # lone surrogates (not word characters)
        return " ".join(_WORD.findall(text)).encode()
    if not raw.translate(None, _ASCII_BYTES).decode().isalnum():
        raw = _NON_ASCII_NON_WORD.sub(" ", text).encode()
    return b" ".join(raw.translate(_UTF8_WORDS).split())


def _normalized_utf8(title: str, text: str, cleaned: bool) -> bytes:
    """``normalized_content`` in UTF-8."""
    cleaned_text = f"{title}\n{text}" if cleaned else f"{clean_text(title)}\n{clean_text(text)}"
    if not cleaned_text.isascii():  # ASCII text is NFKC already
        cleaned_text = unicodedata.normalize("NFKC", cleaned_text)
    return _words_utf8(cleaned_text.casefold())


def normalized_content(title: str, text: str, *, cleaned: bool = False) -> str:
    """Title and text folded for comparison: HTML and boilerplate lines removed (share
    buttons, bylines, "Source:" lines, bare URLs; see :func:`analysis.text.clean_text`;
    ``cleaned``: the caller did that already), NFKC, case-folded, words only."""
    return _normalized_utf8(title, text, cleaned).decode()


def content_hash(title: str, text: str, *, cleaned: bool = False) -> str | None:
    """Hash of the normalised title and text; None when there is too little text
    (fewer than 40 characters)."""
    content = _normalized_utf8(title, text, cleaned)
    # A character is one to four bytes: only a short content needs decoding to count.
    if len(content) < 40 or (len(content) < 160 and len(content.decode()) < 40):
        return None
    return hashlib.blake2b(content, digest_size=10).hexdigest()
