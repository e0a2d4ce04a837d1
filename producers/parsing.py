"""Feed bodies → articles, with feedparser. Pure: bytes in, records out."""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from analysis.text import html_to_text
from analysis.fingerprints import canonical_url, url_id
from producers.registry import Feed
from streams.errors import FeedParseError
from streams.records import Article


@dataclass(frozen=True)
class Entry:
    key: str          # identity of the entry within its feed, for the checkpoint
    article: Article


def entry_key(entry: Any) -> str:
    ident = entry.get("id") or entry.get("link") or entry.get("title") or ""
    return hashlib.blake2b(str(ident).encode(), digest_size=12).hexdigest()


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


def parse_feed(feed: Feed, body: bytes, fetched_at: datetime,
               base_url: str | None = None) -> tuple[list[Entry], int]:
    """The entries of a feed body and the number of entries left out as invalid.

    Raises FeedParseError when the body is not a feed at all.
    """
    parsed = feedparser.parse(body, response_headers={"content-location": base_url or feed.url})
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
        link = urljoin(base_url or feed.url, link)
        try:
            url = canonical_url(link)
        except ValueError:
            invalid += 1
            continue
        published = _published(raw)
        article = Article(
            id=url_id(url), url=url, feed_id=feed.id, source=feed.name, title=title,
            text=_text(raw), fetched_at=fetched_at, guid=raw.get("id") or None,
            lang=feed.language or parsed.feed.get("language") or None,
            published_at=published or fetched_at, published_at_guessed=published is None,
        )
        entries.append(Entry(key=entry_key(raw), article=article))
    return entries, invalid
