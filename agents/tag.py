"""Stage 2: run the analysis core over an article (called by agents.articles).

A new story → articles.tagged (key: story id).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from analysis import Document, analyze
from streams.metrics import language_label, metrics

log = logging.getLogger(__name__)


def tag_article(article: dict[str, Any]) -> dict[str, Any]:
    """The tagged form of ``article`` (a dict from ``streams.records.parse_article``) as
    a dict with the fields of ``TaggedArticle`` (pure glue over ``analysis.analyze``)."""
    result = analyze(Document(
        id=article["id"], title=article["title"], text=article["text"],
        lang=article["lang"], published_at=article["published_at"],
        country=article.get("country"),
    )).to_dict()
    return {
        "article": article,
        "lang": result["lang"],
        "countries": result["countries"],
        "regions": result["regions"],
        "keywords": result["keywords"],
        "events": result["events"],
        "sanctions": result["sanctions_rhetoric"],
        "tagged_at": datetime.now(UTC),
    }


def count(tagged: dict[str, Any]) -> None:
    m = metrics()
    m.articles.labels(stage="tagged", lang=language_label(tagged["lang"])).inc()
    for region in tagged["regions"]:
        m.region_tags.labels(region=region).inc()
    for event in tagged["events"]:
        m.events.labels(type=event["type"], modality=event.get("modality") or "none").inc()
        if event["type"] == "bilateral_meeting" and len(event.get("parties") or ()) == 2:
            m.count_meeting(event["parties"])
    sanctions = tagged["sanctions"]
    if sanctions.get("present"):
        m.sanctions.labels(stance=sanctions.get("stance") or "mention").inc()
        m.count_sanctions(sanctions.get("stance") or "mention", tagged["countries"])
    m.stage_latency.labels(span="ingested_to_tagged").observe(
        max(0.0, (tagged["tagged_at"] - tagged["article"]["fetched_at"]).total_seconds()))
