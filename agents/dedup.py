"""Stage 1: drop exact duplicates (canonical URL, feed GUID) and give each story an id.

articles.raw (key: canonical-URL hash) → articles.unique (key: story id).
"""

from __future__ import annotations

import logging
import time

from agents.deadletter import dead_letter
from analysis.fingerprints import guid_key
from streams.app import app, settings
from streams.errors import PoisonMessageError
from streams.metrics import metrics
from streams.records import Article, decode
from streams.topics import articles_deadletter, articles_raw, articles_unique

log = logging.getLogger(__name__)

# fingerprint → [story id, first seen (unix seconds)]; entries older than the window
# count as unseen. Keys share the partition of articles.raw (the canonical-URL hash).
seen_fingerprints = app.Table(
    "dedup-fingerprints", default=None, partitions=settings.partitions,
    key_type=str,  # values: [story id, first seen]
)


def _lookup(keys: list[tuple[str, str]], now: float) -> tuple[str, str] | None:
    for kind, key in keys:
        entry = seen_fingerprints.get(key)
        if entry and now - float(entry[1]) < settings.dedup_window_seconds:
            return kind, str(entry[0])
    return None


@app.agent(articles_raw)
async def deduplicate_articles(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        try:
            article = decode(Article, event.value)
        except PoisonMessageError as exc:
            await dead_letter(articles_deadletter, event, exc.reason, str(exc))
            continue
        now = time.time()
        keys = [("url", article.id)]
        if article.guid:
            keys.append(("guid", guid_key(article.feed_id, article.guid)))
        found = _lookup(keys, now)
        if found:
            kind, story_id = found
            metrics().dedup_outcomes.labels(kind=kind).inc()
            log.debug("duplicate (%s) of story %s: %s", kind, story_id, article.url)
            continue
        story_id = article.id
        for _kind, key in keys:
            seen_fingerprints[key] = [story_id, now]
        metrics().dedup_outcomes.labels(kind="new").inc()
        unique = article.derive(story_id=story_id)
        await articles_unique.send(key=story_id.encode(), value=unique.dumps())
        metrics().articles.labels(stage="unique", lang=article.lang or "unknown").inc()
