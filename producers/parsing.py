"""Feed bodies → articles. Pure: bytes in, records out.

RSS 0.9x/1.0/2.0 and Atom go through feedparser; JSON Feed (which feedparser does
not read) is parsed here. Before feedparser sees an XML body its encoding is settled:
a body that is valid UTF-8 is read as UTF-8 whatever it declares (a single-byte text
almost never is valid UTF-8 by accident); otherwise the declared encoding (HTTP
charset, then XML declaration) is used when it decodes the body, and a guess
(charset_normalizer) when nothing is declared or the declaration is wrong.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import charset_normalizer
import feedparser
import orjson

from analysis.fingerprints import canonical_url, url_id
from analysis.text import html_to_text
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
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
UTF8_NAMES = frozenset({"utf-8", "utf8"})
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


def _published(entry: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _text(entry: Any) -> str:
    contents = entry.get("content") or []
    bodies = [c.get("value", "") for c in contents if c.get("value")]
    raw = max(bodies, key=len) if bodies else entry.get("summary", "")
    return html_to_text(raw or "").strip()


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decodes(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def settle_encoding(body: bytes, content_type: str | None = None,
                    language: str | None = None) -> tuple[bytes, str | None]:
    """The XML body re-encoded as UTF-8 with a matching declaration, and the encoding
    it was read with (None when the body was left as it was). ``language``, the feed's
    declared language, picks the legacy encoding to try when none is declared."""
    declared: list[str] = []
    http = HTTP_CHARSET.search(content_type or "")
    if http:
        declared.append(http.group(1))
    xml_declaration = XML_DECLARATION.match(body[:512])
    if xml_declaration:
        in_xml = DECLARED_ENCODING.search(xml_declaration.group(0))
        if in_xml:
            declared.append(in_xml.group(1).decode("ascii", "replace"))
    if body.startswith((b"\xff\xfe", b"\xfe\xff")) or body[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return body, None  # UTF-16 with a BOM or a visible declaration: feedparser knows it
    if _is_utf8(body):
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
        legacy = LEGACY_ENCODINGS.get((language or "").split("-")[0].lower())
        if not encoding and legacy and not declared:
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


def looks_like_json(body: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _article(feed: Feed, link: str, base_url: str, title: str, text: str, guid: str | None,
             published: datetime | None, lang: str | None, fetched_at: datetime) -> Article:
    url = canonical_url(urljoin(base_url, link))
    if len(url) > MAX_URL_CHARS:
        raise ValueError(f"link longer than {MAX_URL_CHARS} characters")
    if guid is not None and len(guid) > MAX_URL_CHARS:
        guid = "sha256:" + hashlib.sha256(guid.encode("utf-8", "replace")).hexdigest()
    return Article(
        id=url_id(url), url=url, feed_id=feed.id, source=feed.name,
        title=cut(title, MAX_TITLE_CHARS), text=cut(text, MAX_TEXT_CHARS),
        fetched_at=fetched_at, guid=guid or None,
        lang=feed.language or lang or None, country=feed.country,
        published_at=published or fetched_at, published_at_guessed=published is None,
    )


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
        if not isinstance(link, str) or not isinstance(title, str) or not title.strip():
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
                feed, link, base, html_to_text(title).strip(),
                html_to_text(raw_text).strip() if isinstance(raw_text, str) else "",
                str(guid) if guid is not None else None, published,
                item.get("language") if isinstance(item.get("language"), str) else feed_lang,
                fetched_at)
        except ValueError:
            invalid += 1
            continue
        entries.append(Entry(entry_keys(article.guid, article.id), article))
    return ParsedFeed(entries, invalid, "utf-8")


def parse_feed(feed: Feed, body: bytes, fetched_at: datetime, base_url: str | None = None,
               content_type: str | None = None) -> ParsedFeed:
    """The entries of a feed body and the number of entries left out as invalid.

    Raises FeedParseError when the body is not a feed at all.
    """
    if looks_like_json(body, content_type):
        return parse_json_feed(feed, body, fetched_at, base_url)
    data, encoding = settle_encoding(body, content_type, feed.language)
    base = base_url or feed.url
    headers = {"content-location": base}
    if encoding:
        headers["content-type"] = "application/xml; charset=utf-8"
    parsed = feedparser.parse(data, response_headers=headers)
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
    return ParsedFeed(entries, invalid, encoding)
