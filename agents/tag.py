"""Stage 2: run the analysis core over an article (called by agents.articles).

A new story → articles.tagged (key: story id).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from analysis import Document, analyze
from streams.metrics import metrics
from streams.records import Article, TaggedArticle

log = logging.getLogger(__name__)


def tag_article(article: Article) -> TaggedArticle:
    """The tagged form of ``article`` (pure glue over ``analysis.analyze``)."""
    result = analyze(Document(
        id=article.id, title=article.title, text=article.text, lang=article.lang,
        published_at=article.published_at,
    )).to_dict()
    return TaggedArticle(
        article=article,
        lang=result["lang"],
        countries=result["countries"],
        regions=result["regions"],
        keywords=result["keywords"],
        events=result["events"],
        sanctions=result["sanctions_rhetoric"],
        tagged_at=datetime.now(UTC),
    )


def count(tagged: TaggedArticle) -> None:
    m = metrics()
    m.articles.labels(stage="tagged", lang=tagged.lang).inc()
    for region in tagged.regions:
        m.region_tags.labels(region=region).inc()
    for event in tagged.events:
        m.events.labels(type=event["type"], modality=event.get("modality") or "none").inc()
        if event["type"] == "bilateral_meeting" and len(event.get("parties") or ()) == 2:
            m.count_meeting(event["parties"])
    if tagged.sanctions.get("present"):
        m.sanctions.labels(stance=tagged.sanctions.get("stance") or "mention").inc()
        m.count_sanctions(tagged.sanctions.get("stance") or "mention", tagged.countries)
    m.stage_latency.labels(span="ingested_to_tagged").observe(
        max(0.0, (tagged.tagged_at - tagged.article.fetched_at).total_seconds()))
