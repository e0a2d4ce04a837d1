"""Stage 3: evaluate the rules over tagged articles; one alert per story, rule and event.

articles.tagged (key: story id) → alerts (CloudEvents JSON, key: story id).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import orjson

from agents.deadletter import dead_letter
from analysis.rules import DEFAULT_RULES, Match, alert_id, evaluate
from streams.app import app, settings
from streams.cloudevents import alert_event
from streams.errors import PoisonMessageError
from streams.metrics import metrics
from streams.records import Alert, TaggedArticle, decode
from streams.topics import alerts, articles_deadletter, articles_tagged

log = logging.getLogger(__name__)

# alert id → version already emitted. Keys share the partition of the story.
emitted_alerts = app.Table(
    "alert-versions", default=int, partitions=settings.partitions,
    key_type=str, value_type=int,
)


def build_alert(tagged: TaggedArticle, match: Match, version: int) -> Alert:
    article = tagged.article
    story_id = article.story_id or article.id
    return Alert(
        alert_id=alert_id(match.rule.name, story_id, match.event_type),
        version=version,
        rule=match.rule.name,
        severity=match.rule.severity,
        event_type=match.event_type,
        story_id=story_id,
        article_id=article.id,
        title=article.title,
        url=article.url,
        source=article.source,
        lang=tagged.lang,
        countries=tagged.countries,
        regions=tagged.regions,
        keywords=tagged.keywords,
        evidence=match.evidence,
        created_at=datetime.now(UTC),
        published_at=article.published_at,
        parties=list(match.parties) if match.parties else None,
        modality=match.modality,
        stance=match.stance,
        routes=list(match.rule.routes),
        source_count=1,
        languages=[tagged.lang],
    )


@app.agent(articles_tagged)
async def alert_on_articles(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        try:
            tagged = decode(TaggedArticle, event.value)
        except PoisonMessageError as exc:
            await dead_letter(articles_deadletter, event, exc.reason, str(exc))
            continue
        analysis = {"events": tagged.events, "sanctions_rhetoric": tagged.sanctions}
        for match in evaluate(DEFAULT_RULES, analysis):
            alert = build_alert(tagged, match, version=1)
            if emitted_alerts[alert.alert_id] >= alert.version:
                continue
            await alerts.send(key=event.key, value=orjson.dumps(alert_event(alert)))
            emitted_alerts[alert.alert_id] = alert.version
            metrics().alerts.labels(rule=alert.rule, severity=alert.severity).inc()
            metrics().stage_latency.labels(span="tagged_to_alerted").observe(
                max(0.0, (alert.created_at - tagged.tagged_at).total_seconds()))
