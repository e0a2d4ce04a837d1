"""Typed records that travel on the service's topics (orjson codec, UTC datetimes).

``Article``         articles.raw and articles.unique: one feed entry.
``TaggedArticle``   articles.tagged: an article with what the analysis core found.
``Alert``           the ``data`` of the CloudEvent on ``alerts``.

The article path (one event per article) handles articles as plain dicts with the
fields of ``Article`` (``parse_article``, ``dump``): building Faust records costs more
than the rest of the glue. The JSON on the wire is the records' JSON, without the
``__faust`` metadata that Faust's own ``dumps`` adds.

Each record rejects naive datetimes: every time in the service is timezone-aware UTC.
Decoding a payload that is not a valid record raises ``PoisonMessageError``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

import faust
import orjson

from analysis.gazetteer import has_country_code_form
from streams import codecs as _codecs  # registers "orjson"
from streams.errors import PoisonMessageError


def parse_datetime(value: Any) -> datetime:
    """An aware UTC datetime from a datetime or an ISO 8601 string with offset."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    else:
        raise TypeError(f"expected an ISO 8601 datetime, got {type(value).__name__}")
    if parsed.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: a timezone offset is required")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is still year 0 in UTC
        raise ValueError(f"datetime {value!r} is out of range in UTC") from None


class _Record(faust.Record, abstract=True, serializer="orjson",
              coerce=True, date_parser=parse_datetime):
    def __post_init__(self) -> None:
        for name in self._options.fields:
            value = getattr(self, name)
            if isinstance(value, datetime) and value.tzinfo is None:
                raise ValueError(f"{type(self).__name__}.{name} is a naive datetime")

    def to_json(self) -> bytes:
        """The record's JSON form, without Faust's namespace metadata."""
        return orjson.dumps(self.asdict(), default=_codecs.json_default)


#: Field caps of an article as published: a feed entry can carry anything, and one
#: entry over the producer's request size would fail every poll of its feed. A longer
#: title or text is cut (with "…"); a longer URL makes the entry invalid, since a cut
#: URL points elsewhere (and Slack refuses links much longer).
MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 100_000
MAX_URL_CHARS = 2_048


def cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, "…" marking a cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


class Article(_Record):
    """One entry of a feed, as the producer publishes it."""

    id: str                      # canonical-URL hash, the key on articles.raw
    url: str                     # canonical URL: identifies the article (dedup)
    feed_id: str
    source: str                  # human name of the feed / outlet
    title: str
    text: str                    # summary or body text, HTML removed
    fetched_at: datetime
    guid: str | None = None
    lang: str | None = None      # the feed's declared language: a hint only
    published_at: datetime | None = None
    published_at_guessed: bool = False   # no usable date in the entry: fetch time used
    story_id: str | None = None  # set by dedup: the id of the story's first article
    country: str | None = None   # the outlet's home country (the feed's ``country``)
    link: str | None = None      # the article's own address, for readers (alerts)


class TaggedArticle(_Record):
    """An article with the analysis core's findings."""

    article: Article
    lang: str
    countries: list[str]
    regions: list[str]
    keywords: list[str]
    events: list[dict[str, Any]]
    sanctions_rhetoric: dict[str, Any]
    tagged_at: datetime


class Alert(_Record):
    """An alert: one story matched one rule (``data`` of the CloudEvent)."""

    alert_id: str
    version: int
    rule: str
    severity: str
    event_type: str               # bilateral_meeting | sanctions_rhetoric
    story_id: str
    article_id: str
    title: str
    url: str
    source: str
    lang: str
    countries: list[str]
    regions: list[str]
    keywords: list[str]
    evidence: str
    created_at: datetime
    published_at: datetime | None = None
    parties: list[str] | None = None
    modality: str | None = None
    stance: str | None = None
    routes: list[str] | None = None
    source_count: int = 1
    languages: list[str] | None = None
    spans: list[list[Any]] | None = None   # [start, end, surface, role] in ``evidence``
    feed_id: str | None = None
    story_key: str | None = None           # what suppression groups reports by


R = TypeVar("R", bound=_Record)


def _json_object(payload: bytes | None) -> dict[str, Any]:
    """A topic payload's JSON object, or PoisonMessageError."""
    if payload is None:
        raise PoisonMessageError("empty payload (tombstone)")
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise PoisonMessageError(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PoisonMessageError(f"expected a JSON object, got {type(data).__name__}")
    return data


def decode(record_type: type[R], payload: bytes | None) -> R:
    """Decode a topic payload into ``record_type`` or raise PoisonMessageError."""
    data = _json_object(payload)
    data.pop("__faust", None)
    try:
        return record_type.from_data(data)
    except (TypeError, ValueError, KeyError) as exc:
        raise PoisonMessageError(f"not a valid {record_type.__name__}: {exc}") from None


# ---------------------------------------------------------------- the article hot path
_ARTICLE_TEXT = ("id", "url", "feed_id", "source", "title", "text")
_ARTICLE_OPTIONAL = ("guid", "lang")


def parse_article(payload: bytes | None) -> dict[str, Any]:
    """An articles.raw payload as a dict with exactly the fields of ``Article``
    (datetimes parsed to aware UTC), checked field by field; raises PoisonMessageError.
    Unknown fields are dropped."""
    data = _json_object(payload)
    article: dict[str, Any] = {}
    try:
        for name in _ARTICLE_TEXT:
            value = data[name]
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a string, got {type(value).__name__}")
            article[name] = value
        article["fetched_at"] = parse_datetime(data["fetched_at"])
        for name in _ARTICLE_OPTIONAL:
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be a string, got {type(value).__name__}")
            article[name] = value
        published = data.get("published_at")
        article["published_at"] = None if published is None else parse_datetime(published)
        guessed = data.get("published_at_guessed", False)
        if not isinstance(guessed, bool):
            raise TypeError("published_at_guessed must be a boolean")
        article["published_at_guessed"] = guessed
        story_id = data.get("story_id")
        if story_id is not None and not isinstance(story_id, str):
            raise TypeError(f"story_id must be a string, got {type(story_id).__name__}")
        article["story_id"] = story_id
        country = data.get("country")
        if country is not None and not has_country_code_form(country):
            raise TypeError(f"country must be an ISO 3166-1 alpha-2 code, got {country!r}")
        article["country"] = country
        link = data.get("link")  # last: the record's field order, for byte-equal JSON
        if link is not None and not isinstance(link, str):
            raise TypeError(f"link must be a string, got {type(link).__name__}")
        article["link"] = link
    except KeyError as exc:
        raise PoisonMessageError(f"not a valid Article: missing field {exc}") from None
    except (TypeError, ValueError) as exc:
        raise PoisonMessageError(f"not a valid Article: {exc}") from None
    return article


def dump(data: dict[str, Any]) -> bytes:
    """JSON of a plain record dict (datetimes in RFC 3339, as the records write them)."""
    return orjson.dumps(data, default=_codecs.json_default)
