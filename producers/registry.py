"""Feed definitions: the feeds YAML file, OPML import and export, and the JSON on the
feeds topic.

The feeds file is ``feeds: [{id, url, name?, language?, country?, interval_seconds?}]``;
``country`` is the outlet's home country (ISO 3166-1 alpha-2), which the analysis uses
for officials the outlet names without a country ("the Crown Prince received…"). The
compacted ``feeds`` topic holds one record per feed, key = feed id, value =
``Feed.to_json()``; a tombstone (null value) removes the feed. Beside them it holds
one record per feeds file applied by ``mediawatch produce --feeds``, under a key no
feed id has (``producers.catalog.applied_key``).
"""

from __future__ import annotations

import hashlib
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml

from analysis import yamlfiles
from analysis.gazetteer import is_country_code
from producers.feedurls import feed_url_identity
from streams.errors import MediawatchError

FEED_FIELDS = {"id", "url", "name", "language", "country", "interval_seconds"}


class FeedsFileError(MediawatchError, ValueError):
    """The feeds file is missing, not YAML, or has an invalid entry."""


@dataclass(frozen=True)
class Feed:
    id: str
    url: str
    name: str
    language: str | None = None
    interval_seconds: float | None = None
    country: str | None = None  # the outlet's home country, ISO 3166-1 alpha-2

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def to_json(self) -> bytes:
        return orjson.dumps(self.as_dict())

    @classmethod
    def from_json(cls, payload: bytes) -> Feed:
        """The feed of a feeds-topic value; FeedsFileError when it is not one."""
        try:
            data = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise FeedsFileError(f"feeds topic: not JSON: {exc}") from None
        (feed,) = parse_feeds({"feeds": [data]}, "feeds topic")
        return feed


def parse_feeds(data: Any, origin: str = "<feeds>") -> list[Feed]:
    if not isinstance(data, dict) or not isinstance(data.get("feeds"), list):
        raise FeedsFileError(f"{origin}: expected a mapping with a 'feeds' list")
    feeds: list[Feed] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["feeds"]):
        where = f"{origin}: feeds[{index}]"
        if not isinstance(entry, dict):
            raise FeedsFileError(f"{where}: expected a mapping")
        unknown = set(entry) - FEED_FIELDS
        if unknown:
            raise FeedsFileError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        feed_id, url = entry.get("id"), entry.get("url")
        if not isinstance(feed_id, str) or not feed_id.strip():
            raise FeedsFileError(f"{where}: 'id' must be a non-empty string")
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise FeedsFileError(f"{where}: 'url' must be an http(s) URL")
        if feed_id in seen:
            raise FeedsFileError(f"{where}: duplicate id {feed_id!r} (feeds[{seen[feed_id]}])")
        seen[feed_id] = index
        interval = entry.get("interval_seconds")
        if interval is not None and (
                isinstance(interval, bool) or not isinstance(interval, int | float)
                or not math.isfinite(interval) or interval <= 0):
            raise FeedsFileError(f"{where} (feed {feed_id}): 'interval_seconds' must be a "
                                 f"positive number of seconds, got {interval!r}")
        language = entry.get("language")
        if language is not None and not isinstance(language, str):
            raise FeedsFileError(f"{where}: 'language' must be a string")
        country = country_code(entry.get("country"), where)
        feeds.append(Feed(id=feed_id, url=url, name=str(entry.get("name") or feed_id),
                          language=language,
                          interval_seconds=float(interval) if interval else None,
                          country=country))
    return feeds


def country_code(value: Any, where: str) -> str | None:
    """A feed's home country, checked: None or an ISO 3166-1 alpha-2 code in capitals."""
    if value is None:
        return None
    if not is_country_code(value):
        raise FeedsFileError(f"{where}: 'country' must be an ISO 3166-1 alpha-2 code "
                             f"in capitals (e.g. SA), got {value!r}")
    return str(value)


def load_feeds(path: Path) -> list[Feed]:
    """The feeds of a YAML feeds file; FeedsFileError names the file and the entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FeedsFileError(f"{path}: cannot read the feeds file: {exc.strerror}") from None
    try:
        data = yamlfiles.load(text)
    except yaml.YAMLError as exc:
        raise FeedsFileError(f"{path}: not valid YAML: {exc}") from None
    return parse_feeds(data, str(path))


_SLUG = re.compile(r"[^a-z0-9]+")


def feed_id_for(title: str, url: str) -> str:
    """A stable id for an imported feed: a slug of its title and a short URL hash."""
    slug = _SLUG.sub("-", title.lower()).strip("-")[:40].strip("-") or "feed"
    return f"{slug}-{hashlib.blake2b(url.encode(), digest_size=3).hexdigest()}"


def parse_opml(text: str | bytes, origin: str = "<opml>") -> list[Feed]:
    """The feeds of an OPML subscription list (every outline with an ``xmlUrl``).

    Outlines whose URL is not http(s) are left out; FeedsFileError when the document
    is not OPML.
    """
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise FeedsFileError(f"{origin}: not valid OPML: {exc}") from None
    if root.tag.lower() != "opml" or root.find("body") is None:
        raise FeedsFileError(f"{origin}: not an OPML document (no <opml><body>)")
    feeds: list[Feed] = []
    ids: set[str] = set()
    urls: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url.lower().startswith(("http://", "https://")):
            continue
        try:  # one feed in two folders of a reader's export: imported once
            identity = feed_url_identity(url)
        except ValueError:
            identity = url  # refused, with its reason, when it is registered
        if identity in urls:
            continue
        urls.add(identity)
        title = (outline.get("title") or outline.get("text") or "").strip()
        own_id = (outline.get("mediawatchId") or "").strip()  # written by to_opml
        feed_id = own_id or feed_id_for(title or url, url)
        if feed_id in ids:
            continue
        ids.add(feed_id)
        language = (outline.get("language") or "").strip() or None
        code = (outline.get("country") or "").strip().upper()
        country = code if is_country_code(code) else None  # not a code: left out
        interval = _positive((outline.get("mediawatchIntervalSeconds") or "").strip())
        feeds.append(Feed(id=feed_id, url=url, name=title or feed_id, language=language,
                          country=country, interval_seconds=interval))
    return feeds


def _positive(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 < value < math.inf else None


def to_opml(feeds: list[Feed], title: str = "mediawatch feeds") -> bytes:
    """An OPML 2.0 subscription list of ``feeds`` (UTF-8 bytes) that feed readers and
    ``parse_opml`` read back: ``xmlUrl``, ``title``/``text``, ``language`` and
    ``country``, plus the feed's id and poll interval as ``mediawatchId`` and
    ``mediawatchIntervalSeconds`` so that an export imports as the same feeds."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in sorted(feeds, key=lambda f: f.id):
        attrs = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url,
                 "mediawatchId": feed.id}
        if feed.language:
            attrs["language"] = feed.language
        if feed.country:
            attrs["country"] = feed.country
        if feed.interval_seconds:
            attrs["mediawatchIntervalSeconds"] = repr(feed.interval_seconds)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    body_bytes: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body_bytes + b"\n"
