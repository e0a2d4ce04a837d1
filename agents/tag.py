"""Stage 2: run the analysis core over each unique article.

articles.unique (key: story id) → articles.tagged (key: story id).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from agents.deadletter import dead_letter
from analysis import Document, analyze
from analysis.errors import AnalysisError
from streams.app import app
from streams.errors import PoisonMessageError
from streams.metrics import metrics
from streams.records import Article, TaggedArticle, decode
from streams.topics import articles_deadletter, articles_tagged, articles_unique

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


@app.agent(articles_unique)
async def tag_articles(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        try:
            article = decode(Article, event.value)
            tagged = tag_article(article)
        except PoisonMessageError as exc:
            await dead_letter(articles_deadletter, event, exc.reason, str(exc))
            continue
        except AnalysisError as exc:
            await dead_letter(articles_deadletter, event, "analysis_error", str(exc))
            continue
        count(tagged)
        await articles_tagged.send(key=event.key, value=tagged.dumps())
