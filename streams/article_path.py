"""The steps of the article path as plain functions over the path's records, shared by
the worker's agents (``agents/``) and the bare benchmark loop
(``benchmarks/pipeline_bare.py``), so that both do the same work. No Kafka, no app,
no metrics: each step takes what it needs and returns what it made.

    parse_article (streams.records)    articles.raw payload → article dict
    analysis.dedup: fingerprint, StoryIndex.observe, IndexRecord
    copy_notice                        a copy → articles.copies value
    tag_article                        a new story → articles.tagged value
    candidates                         rule matches → Alerts keyed by story key
    emitted, alert_payload             a notifying suppression decision → alerts value
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from analysis import Document, analyze
from analysis.gazetteer import is_country_code
from analysis.rules import Match, Rule, evaluate, story_day, story_key
from analysis.suppression import StoryAlert
from analysis.text import CleanFields
from streams.cloudevents import alert_event
from streams.codecs import json_default
from streams.records import Alert, Article, TaggedArticle

__all__ = ["alert_payload", "candidate", "candidates", "copy_notice", "emitted",
           "tag_article"]


def copy_notice(article: dict[str, Any], story_id: str, kind: str) -> dict[str, Any]:
    """The articles.copies value of an article found to be a copy of ``story_id``."""
    return {"story_id": story_id, "article_id": article["id"], "kind": kind,
            "lang": article["lang"], "feed_id": article["feed_id"],
            "source": article["source"], "title": article["title"],
            "url": article.get("link") or article["url"]}  # the address readers open


def tag_article(article: dict[str, Any], now: datetime | None = None, *,
                cleaned: CleanFields | None = None) -> dict[str, Any]:
    """The tagged form of ``article`` (a dict from ``streams.records.parse_article``) as
    a dict with the fields of ``TaggedArticle`` (pure glue over ``analysis.analyze``);
    ``tagged_at`` is ``now`` (default: the current time). ``cleaned``: the article's
    title and text as its fingerprint cleaned them (``Deduped.cleaned``)."""
    result = analyze(Document(
        id=article["id"], title=article["title"], text=article["text"],
        lang=article["lang"], published_at=article["published_at"],
        # a feed registered before its code was checked against the known countries
        # ("UK") still gets its articles analysed, without an outlet country
        country=country if is_country_code(country := article.get("country")) else None,
    ), cleaned)
    return {
        "article": article,
        "lang": result.lang,
        "countries": list(result.countries),
        "regions": list(result.regions),
        "keywords": list(result.keywords),
        "events": [e.to_dict() for e in result.events],
        "sanctions_rhetoric": result.sanctions_rhetoric.to_dict(),
        "tagged_at": now or datetime.now(UTC),
    }


def candidate(tagged: TaggedArticle, match: Match) -> Alert:
    """The alert a match would make, before suppression gives it an id and version."""
    article = tagged.article
    story_id = article.story_id or article.id
    published = article.published_at or article.fetched_at
    return Alert(
        alert_id="", version=0, rule=match.rule.name, severity=match.rule.severity,
        event_type=match.event_type, story_id=story_id, article_id=article.id,
        title=article.title, url=article.link or article.url, source=article.source,
        lang=tagged.lang,
        countries=tagged.countries, regions=tagged.regions, keywords=tagged.keywords,
        evidence=match.evidence, created_at=tagged.tagged_at,
        # an entry without a usable date is dated by its fetch for the story's day, but
        # consumers are not told a date nobody published
        published_at=None if article.published_at_guessed else published,
        parties=list(match.parties) if match.parties else None, modality=match.modality,
        stance=match.stance, routes=list(match.rule.routes), source_count=1,
        languages=[tagged.lang], spans=[list(s) for s in match.spans] or None,
        feed_id=article.feed_id,
        story_key=story_key(match, story_id, story_day(published)),
    )


def candidates(tagged: dict[str, Any], rules: Iterable[Rule]) -> list[Alert]:
    """The candidate alerts of the rules that match a tagged article (a dict from
    ``tag_article``), each with its story key."""
    # a tagged article holds the fields of the analysis contract under their names
    matches = evaluate(rules, tagged, source=tagged["article"]["feed_id"])
    if not matches:
        return []
    record = TaggedArticle(article=Article(**tagged["article"]),
                           **{k: v for k, v in tagged.items() if k != "article"})
    return [candidate(record, match) for match in matches]


def emitted(alert: Alert, state: StoryAlert, now: datetime) -> Alert:
    """The alert a candidate becomes when its story's suppression decision notifies:
    the story alert's id, version, source count, languages and severity."""
    return alert.derive(
        alert_id=state.alert_id, story_id=state.story_id, version=state.version,
        created_at=now, source_count=state.source_count, languages=list(state.languages),
        severity=state.severity)


def alert_payload(alert: Alert) -> bytes:
    """The alerts topic value: the CloudEvent of ``alert`` as JSON."""
    return orjson.dumps(alert_event(alert), default=json_default)
