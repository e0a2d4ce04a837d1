"""Feed bodies → articles. Pure: bytes in, records out.

RSS 0.9x/1.0/2.0 and Atom go through feedparser; JSON Feed (which feedparser does
not read) is parsed here. Before feedparser sees an XML body its encoding is settled:
a body that starts as UTF-16 or UTF-32 does (a byte order mark, or "<?" in UTF-16)
and decodes so is read so; a body that is valid UTF-8 is read as UTF-8 whatever it
declares (a single-byte text almost never is valid UTF-8 by accident); otherwise the
declared encoding (HTTP charset, then XML declaration) is used when it decodes the
body; when nothing is declared or the declaration does not decode it, the legacy
encoding of the feed's language, then a guess (charset_normalizer). The body then
goes to feedparser as UTF-8, numeric character references that XML cannot carry (lone
surrogates, beyond U+10FFFF) repaired first, unless an element carries more attributes
than ``producers.markup`` allows (feedparser's time is quadratic in them).

Any body gives a ``ParsedFeed`` or ``FeedParseError``; tests/unit/test_fuzz.py holds
the inputs that once gave anything else.
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import feedparser
import orjson

from analysis.fingerprints import canonical_url, canonical_url_id, clean_link
from analysis.text import html_to_text
from producers import markup
from producers.registry import Feed
from streams.errors import FeedParseError
from streams.records import (
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    Article,
    cut,
    parse_datetime,
)

XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\?>", re.IGNORECASE)
DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
#: Runs of numeric character references, and one of them.
CHAR_REFS = re.compile(rb"(?:&#(?:[xX][0-9a-fA-F]+|[0-9]+);)+")
CHAR_REF = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")
#: A number too long for int() (sys.get_int_max_str_digits()) after "#": escaped
#: ("&amp;#…") it reaches feedparser's HTML processing as a reference all the same.
LONG_NUMBER = re.compile(rb"#([0-9]{4300,})")
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
UTF8_NAMES = frozenset({"utf-8", "utf8"})
#: Python text codecs that are no character sets: escape notations (which warn on a bad
#: escape and make lone surrogates), domain-name encodings, one that always fails.
NOT_CHARSETS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode",
                          "undefined"})
#: How a UTF-32 or UTF-16 body starts (UTF-32 first: its marks begin like UTF-16's).
WIDE_SIGNATURES = (
    ((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
    ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16"),
    ((b"<\x00?\x00",), "utf-16-le"),
    ((b"\x00<\x00?",), "utf-16-be"),
)
# The legacy encoding a feed in a language most likely uses when it declares none.
LEGACY_ENCODINGS = {
    "ru": "cp1251", "uk": "cp1251", "bg": "cp1251", "sr": "cp1251", "be": "cp1251",
    "ar": "cp1256", "fa": "cp1256", "ur": "cp1256", "he": "cp1255", "el": "cp1253",
    "tr": "cp1254", "pl": "cp1250", "cs": "cp1250", "hu": "cp1250", "ro": "cp1250",
    "zh": "gb18030", "ja": "shift_jis", "ko": "euc-kr", "vi": "cp1258",
    "en": "cp1252", "fr": "cp1252", "es": "cp1252", "de": "cp1252", "it": "cp1252",
    "pt": "cp1252", "nl": "cp1252",
}


@dataclass(frozen=True)
class Entry:
    keys: tuple[str, ...]   # identities of the entry within its feed (GUID, URL)
    article: Article


@dataclass(frozen=True)
class ParsedFeed:
    entries: list[Entry]
    invalid: int
    encoding: str | None = None     # the encoding the body was read with
    shared_guids: frozenset[str] = frozenset()  # GUID keys given to different links


def _key(kind: str, value: str) -> str:
    return kind + hashlib.blake2b(value.encode(), digest_size=8).hexdigest()


def entry_keys(guid: str | None, article_id: str) -> tuple[str, ...]:
    """An entry is seen when its GUID or its canonical URL was: a feed that changes
    its GUIDs on every fetch is not re-published, nor is one that changes its URLs'
    tracking parameters."""
    keys = [_key("u", article_id)]
    if guid:
        keys.append(_key("g", guid))
    return tuple(keys)


def distrust_shared_guids(entries: list[Entry], shared: Collection[str] = ()
                          ) -> tuple[list[Entry], set[str]]:
    """``entries`` with the GUID taken off those whose GUID the feed gives to items
    with different links (some CMSs write one constant GUID): it would make every
    later item with it look seen. Such an entry is known by its URL alone. ``shared``
    holds GUID keys found shared before; returns the entries and the GUID keys found
    shared now (in this fetch or before)."""
    links: dict[str, set[str]] = {}
    for entry in entries:
        if len(entry.keys) > 1:
            links.setdefault(entry.keys[1], set()).add(entry.keys[0])
    found = {key for key, ids in links.items() if len(ids) > 1 or key in shared}
    if not found:
        return entries, found
    kept: list[Entry] = []
    for entry in entries:
        if len(entry.keys) > 1 and entry.keys[1] in found:
            entry.article.guid = None
            entry = Entry(entry.keys[:1], entry.article)
        kept.append(entry)
    return kept, found


def _published(entry: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        # ``in`` first: feedparser's get("updated_parsed") falls back to the published
        # date (tried already) with a DeprecationWarning.
        value = entry.get(name) if name in entry else None
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _text(entry: Any) -> str:
    """The richest text of the entry's bodies and summary: a body of images alone
    (``content:encoded`` holding an ``<img>``) gives no text, and the summary is used."""
    contents = entry.get("content") or []
    raws = [c.get("value", "") for c in contents] + [entry.get("summary", "")]
    texts = [html_to_text(raw).strip() for raw in raws if isinstance(raw, str) and raw]
    return max(texts, key=len, default="")


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decodes(body: bytes, encoding: str) -> str | None:
    """``body`` read as ``encoding``; None when it does not decode, when ``encoding`` is
    no character set a document is written in (rot13, base64, unicode_escape, idna,
    "undefined"), or when what it yields cannot be written as UTF-8 (lone surrogates,
    as utf-7 makes)."""
    try:
        if codecs.lookup(encoding).name in NOT_CHARSETS:
            return None
        text = body.decode(encoding)
        text.encode("utf-8")
    except (UnicodeError, LookupError):
        return None
    return text


def _wide_text(body: bytes) -> tuple[str, str] | None:
    """The text and encoding of a body that starts as UTF-32 or UTF-16 does (a byte
    order mark, or "<?" in UTF-16 without one) and decodes as such; else None."""
    for signatures, name in WIDE_SIGNATURES:
        if body.startswith(signatures):
            text = _decodes(body, name)
            return None if text is None else (text.lstrip("\ufeff"), name)
    return None


def settle_encoding(body: bytes, content_type: str | None = None,
                    language: str | None = None) -> tuple[bytes, str]:
    """The XML body re-encoded as UTF-8 with a matching declaration, and the encoding
    it was read with. ``language``, the feed's declared language, picks the legacy
    encoding to try when none is declared."""
    declared: list[str] = []
    http = HTTP_CHARSET.search(content_type or "")
    if http:
        declared.append(http.group(1))
    xml_declaration = XML_DECLARATION.match(body[:512])
    if xml_declaration:
        in_xml = DECLARED_ENCODING.search(xml_declaration.group(0))
        if in_xml:
            declared.append(in_xml.group(1).decode("ascii", "replace"))
    wide = _wide_text(body)
    if wide is not None:
        text, encoding = wide
    elif _is_utf8(body):
        encoding = "utf-8"
        text = body.decode("utf-8-sig")
    else:
        encoding, text = "", ""
        for name in declared:
            if name.lower() in UTF8_NAMES:
                continue
            decoded = _decodes(body, name)
            if decoded is not None:
                encoding, text = name.lower(), decoded
                break
        # Nothing declared, or the declaration does not decode the body: the legacy
        # encoding of the feed's language before a guess (a short body guesses badly).
        legacy = LEGACY_ENCODINGS.get((language or "").split("-")[0].lower())
        if not encoding and legacy:
            decoded = _decodes(body, legacy)
            if decoded is not None:
                encoding, text = legacy, decoded
        if not encoding:
            guess = charset_normalizer.from_bytes(body[:200_000]).best()
            encoding = guess.encoding if guess is not None else "windows-1252"
            text = _decodes(body, encoding) or body.decode("windows-1252", "replace")
    data = text.encode("utf-8")
    data = XML_DECLARATION.sub(b'<?xml version="1.0" encoding="utf-8"?>', data, count=1)
    return data, encoding


def _code_point(ref: bytes) -> int | None:
    hexadecimal = ref[:1] in (b"x", b"X")
    digits = (ref[1:] if hexadecimal else ref).lstrip(b"0") or b"0"
    if len(digits) > 8:
        return None  # far beyond U+10FFFF (and int() refuses 4,300 digits and more)
    return int(digits, 16 if hexadecimal else 10)


def _is_xml_char(point: int) -> bool:
    return (point in (0x9, 0xA, 0xD) or 0x20 <= point <= 0xD7FF
            or 0xE000 <= point <= 0xFFFD or 0x10000 <= point <= 0x10FFFF)


def _repair_refs(run: re.Match[bytes]) -> bytes:
    refs = CHAR_REF.findall(run.group())
    points = [_code_point(ref) for ref in refs]
    out: list[bytes] = []
    i = 0
    while i < len(refs):
        point, following = points[i], points[i + 1] if i + 1 < len(refs) else None
        if (point is not None and following is not None and 0xD800 <= point <= 0xDBFF
                and 0xDC00 <= following <= 0xDFFF):  # a UTF-16 pair written as two refs
            joined = 0x10000 + ((point - 0xD800) << 10) + (following - 0xDC00)
            out.append(b"&#x%X;" % joined)
            i += 2
            continue
        if point is not None and _is_xml_char(point):
            out.append(b"&#" + refs[i] + b";")
        elif point is None or point >= 0x20:
            out.append(b"&#xFFFD;")  # lone surrogate, U+FFFE/U+FFFF, beyond U+10FFFF
        # C0 controls are dropped, as html_to_text drops them from the text
        i += 1
    return b"".join(out)


def _shorten(number: re.Match[bytes]) -> bytes:
    digits = number.group(1).lstrip(b"0") or b"0"
    return b"#" + (digits if len(digits) <= 7 else b"99999999")  # still beyond U+10FFFF


def repair_char_refs(data: bytes) -> bytes:
    """UTF-8 ``data`` with numeric character references to what XML cannot carry
    replaced: a surrogate pair written as two references becomes its character, a lone
    surrogate or a number beyond U+10FFFF becomes U+FFFD, a control character goes.
    Such a reference makes the XML not well-formed, and feedparser's lenient fallback
    parser fails on it (``chr()`` of it) instead of reading the rest. A reference of
    thousands of digits, escaped or not, is shortened to one that means the same."""
    if b"#" not in data:
        return data
    data = LONG_NUMBER.sub(_shorten, data)
    return CHAR_REFS.sub(_repair_refs, data) if b"&#" in data else data


def looks_like_json(body: bytes, content_type: str | None) -> bool:
    """True for a JSON Feed body: it opens with "{", or the server says JSON of a body
    that does not open with "<" (XML served as JSON is read as XML)."""
    first = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if content_type and "json" in content_type.lower():
        return first != b"<"
    return first == b"{"


def _reads_back(url: str) -> bool:
    """True when ``url`` parses back with a host and a readable port: canonical_url
    writes an IPv6 host without its brackets ("https://::1/a"), which reads back with
    no host, or a wrong one and a port that is no number."""
    parts = urlsplit(url)
    try:
        _ = parts.port
    except ValueError:
        return False
    return bool(parts.hostname)


def _article(feed: Feed, link: str, base_url: str, title: str, text: str, guid: str | None,
             published: datetime | None, lang: str | None, fetched_at: datetime) -> Article:
    absolute = urljoin(base_url, link)
    url = canonical_url(absolute)
    address = clean_link(absolute)  # what a reader opens; url is what identifies
    if max(len(url), len(address)) > MAX_URL_CHARS:
        raise ValueError(f"link longer than {MAX_URL_CHARS} characters")
    if not _reads_back(url):
        raise ValueError(f"link {link!r} does not read back as a URL with a host")
    if guid is not None and len(guid) > MAX_URL_CHARS:
        guid = "sha256:" + hashlib.sha256(guid.encode("utf-8", "replace")).hexdigest()
    if published is not None and not _plausible(published, fetched_at):
        published = None  # a CMS's zero date ("1970-01-01"), a year 2100: no date at all
    return Article(
        id=canonical_url_id(url), url=url, link=address, feed_id=feed.id, source=feed.name,
        title=cut(title, MAX_TITLE_CHARS), text=cut(text, MAX_TEXT_CHARS),
        fetched_at=fetched_at, guid=guid or None,
        lang=feed.language or lang or None, country=feed.country,
        published_at=published or fetched_at, published_at_guessed=published is None,
    )


#: Dates an entry may carry: from 1971 (a CMS's zero date is 1970-01-01) to a day after
#: its fetch (clocks and time zones written wrong).
EARLIEST_DATE = datetime(1971, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)


def _plausible(published: datetime, fetched_at: datetime) -> bool:
    return EARLIEST_DATE <= published <= fetched_at + FUTURE_SLACK


def parse_json_feed(feed: Feed, body: bytes, fetched_at: datetime,
                    base_url: str | None = None) -> ParsedFeed:
    """The entries of a JSON Feed (versions 1 and 1.1)."""
    try:
        data = orjson.loads(body.lstrip(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        raise FeedParseError(f"feed {feed.id}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
            JSON_FEED_VERSION) or not isinstance(data.get("items"), list):
        raise FeedParseError(f"feed {feed.id}: JSON but not a JSON Feed "
                             "(no jsonfeed.org version or no items)")
    base = base_url or feed.url
    home = data.get("home_page_url")
    if isinstance(home, str) and home.startswith(("http://", "https://")):
        base = home
    feed_lang = data.get("language") if isinstance(data.get("language"), str) else None
    entries: list[Entry] = []
    invalid = 0
    for item in data["items"]:
        if not isinstance(item, dict):
            invalid += 1
            continue
        link = item.get("url") or item.get("external_url")
        title = item.get("title")
        raw_text = item.get("content_html") or item.get("content_text") or item.get("summary")
        # The title as text: markup alone ("<b></b>") is no title.
        title = html_to_text(title).strip() if isinstance(title, str) else ""
        if not isinstance(link, str) or not title:
            invalid += 1
            continue
        published: datetime | None = None
        for name in ("date_published", "date_modified"):
            value = item.get(name)
            if isinstance(value, str):
                try:
                    published = parse_datetime(value)
                    break
                except (TypeError, ValueError):
                    continue
        guid = item.get("id")
        try:
            article = _article(
                feed, link, base, title,
                html_to_text(raw_text).strip() if isinstance(raw_text, str) else "",
                str(guid) if guid is not None else None, published,
                item.get("language") if isinstance(item.get("language"), str) else feed_lang,
                fetched_at)
        except ValueError:
            invalid += 1
            continue
        entries.append(Entry(entry_keys(article.guid, article.id), article))
    entries, shared = distrust_shared_guids(entries)
    return ParsedFeed(entries, invalid, "utf-8", frozenset(shared))


def parse_feed(feed: Feed, body: bytes, fetched_at: datetime, base_url: str | None = None,
               content_type: str | None = None) -> ParsedFeed:
    """The entries of a feed body and the number of entries left out as invalid.

    Raises FeedParseError when the body is not a feed at all.
    """
    if looks_like_json(body, content_type):
        return parse_json_feed(feed, body, fetched_at, base_url)
    data, encoding = settle_encoding(body, content_type, feed.language)
    data = repair_char_refs(data)
    refused = markup.refusal(data)
    if refused:
        raise FeedParseError(f"feed {feed.id}: not parsed: {refused}")
    base = base_url or feed.url
    headers = {"content-location": base, "content-type": "application/xml; charset=utf-8"}
    try:
        parsed = feedparser.parse(data, response_headers=headers)
    except ValueError as exc:  # a feedparser bug the repairs above do not yet avoid
        raise FeedParseError(f"feed {feed.id}: not a usable feed: feedparser failed: "
                             f"{type(exc).__name__}: {exc}") from None
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        error = parsed.get("bozo_exception") or "no RSS, Atom or RDF document found"
        raise FeedParseError(f"feed {feed.id}: not a usable feed: {error}")
    entries: list[Entry] = []
    invalid = 0
    for raw in parsed.entries:
        link = raw.get("link")
        title = html_to_text(raw.get("title", "")).strip()
        if not link or not title:
            invalid += 1
            continue
        try:
            article = _article(feed, link, base, title, _text(raw), raw.get("id") or None,
                               _published(raw), parsed.feed.get("language") or None,
                               fetched_at)
        except ValueError:
            invalid += 1
            continue
        entries.append(Entry(entry_keys(article.guid, article.id), article))
    entries, shared = distrust_shared_guids(entries)
    return ParsedFeed(entries, invalid, encoding, frozenset(shared))
