"""The article path in one agent: dedup, tagging and rules on each article's partition.

articles.raw (key: canonical-URL hash)
    → agents.dedup.deduplicate     copies → articles.copies, with their own candidates
    → agents.tag.tag_article       → articles.unique, articles.tagged (for downstream)
    → agents.alert.raise_candidates → alerts.candidates

The stages stay separate modules; they share one agent because a new story's id is its
articles.raw key, so they share the partition — and every extra topic a message passes
through costs the worker a consume (docs/decisions.md, "Performance").
"""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson

from agents.alert import copy_candidates, raise_candidates
from agents.dedup import Deduped, deduplicate, index_article, index_loaded
from agents.tag import count, tag_article
from analysis.errors import AnalysisError, InvalidDocumentError
from streams.app import app
from streams.deadletter import dead_letter
from streams.errors import PoisonMessageError
from streams.metrics import language_label, metrics
from streams.records import dump, parse_article
from streams.topics import (
    PublishError,
    articles_copies,
    articles_deadletter,
    articles_raw,
    articles_tagged,
    articles_unique,
    publish,
)

log = logging.getLogger(__name__)


@app.agent(articles_raw)
async def process_articles(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        await index_loaded.wait()
        try:
            await process_article(event)
        except PublishError as exc:  # an output that cannot be queued at all
            await dead_letter(articles_deadletter, event, "publish_error", str(exc))


async def process_article(event) -> None:  # type: ignore[no-untyped-def]
    """One articles.raw event through dedup, tagging and rules."""
    try:
        article = parse_article(event.value)
    except PoisonMessageError as exc:
        await dead_letter(articles_deadletter, event, exc.reason, str(exc))
        return
    try:
        deduped = await deduplicate(article, time.time())
    except InvalidDocumentError as exc:  # not fingerprinted: nothing to index
        await dead_letter(articles_deadletter, event, "poison_message", str(exc))
        return
    if not deduped.new:
        if deduped.notice is not None:
            await publish_copy(article, deduped, deduped.notice)
        await index_article(deduped)
        return
    unique = {**article, "story_id": deduped.story_id}
    try:
        tagged = tag_article(unique, cleaned=deduped.cleaned)
    except InvalidDocumentError as exc:
        await dead_letter(articles_deadletter, event, "poison_message", str(exc))
        await index_article(deduped)
        return
    except AnalysisError as exc:
        await dead_letter(articles_deadletter, event, "analysis_error", str(exc))
        await index_article(deduped)
        return
    key = deduped.story_id.encode()
    # Not indexed when an output fails: a later copy then makes a story of its own.
    await publish(articles_unique, key, dump(unique))
    metrics().articles.labels(stage="unique", lang=language_label(article["lang"])).inc()
    await publish(articles_tagged, key, dump(tagged))
    count(tagged)
    await raise_candidates(tagged, event.message.partition)
    await index_article(deduped)


async def publish_copy(article: dict[str, Any], deduped: Deduped,
                       notice: dict[str, Any]) -> None:
    """Send a copy's notice to articles.copies with the candidates of its own analysis:
    a later, fuller version of a story can name a meeting its first article did not,
    and its language is the one the analysis read. A copy the analysis refuses is still
    counted as a source of its story."""
    try:
        tagged = tag_article({**article, "story_id": deduped.story_id},
                             cleaned=deduped.cleaned)
        notice["matches"] = copy_candidates(tagged)
        notice["lang"] = tagged["lang"]  # the language read, not the feed's tag
    except AnalysisError as exc:
        log.warning("copy %s of story %s counted without its own analysis: %s",
                    article["id"], deduped.story_id, exc)
    await publish(articles_copies, deduped.story_id.encode(), orjson.dumps(notice))
