"""Stage 1: drop duplicates — exact (canonical URL, feed GUID, content hash) and near
(MinHash LSH) — and give each story an id (called by agents.articles).

articles.raw (key: canonical-URL hash)
    → a new story goes on (its story id is its own id, its raw key)
    → articles.copies (key: story id)   later copies: counted as sources of the story,
                                        with the candidates of their own analysis

The story index (analysis.dedup.StoryIndex) is replicated to every worker through the
``dedup.index`` topic: each worker publishes the signature of every article it checked
and applies every worker's records, so a copy is found whichever partition its original
landed on. A worker reads the whole topic (bounded by its retention: the dedup window)
before it checks its first article, which is also how the index survives restarts.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from analysis.dedup import DedupConfig, IndexRecord, StoryIndex, fingerprint
from analysis.errors import InvalidDocumentError
from analysis.text import CleanFields, clean_fields
from streams.admin import topic_partitions
from streams.app import app, settings
from streams.article_path import copy_notice
from streams.metrics import metrics
from streams.topic_names import DEDUP_INDEX
from streams.topics import dedup_index, publish

log = logging.getLogger(__name__)

index = StoryIndex(DedupConfig(window_seconds=settings.dedup_window_seconds))
index_loaded = asyncio.Event()
# Marks this process's index records: applied locally already, skipped when read back.
ORIGIN = uuid.uuid4().hex.encode()


async def _replicate_index() -> None:
    """Apply every worker's index records; set ``index_loaded`` once caught up."""
    topic = settings.topic(DEDUP_INDEX)
    # Fetches wait for 64 KB (or 200 ms): the topic fills a few hundred bytes at a time,
    # and a fetch per produce batch would cost more than applying the records.
    consumer = AIOKafkaConsumer(**settings.kafka_options(),
                                group_id=None, enable_auto_commit=False,
                                fetch_min_bytes=64 * 1024, fetch_max_wait_ms=200,
                                client_id=f"{settings.app_id}-dedup-index")
    partitions = await topic_partitions(settings, topic)
    await consumer.start()
    try:
        assigned = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        targets = await consumer.end_offsets(assigned)
        loaded = 0
        while True:
            batch = await consumer.getmany(timeout_ms=500, max_records=2000)
            for records in batch.values():
                for record in records:
                    loaded += 1
                    if ("origin", ORIGIN) in (record.headers or ()):
                        continue
                    try:
                        entry = IndexRecord.from_bytes(record.value or b"")
                    except InvalidDocumentError as exc:
                        log.warning("skipping a bad index record %s[%d]@%d: %s",
                                    record.topic, record.partition, record.offset, exc)
                        continue
                    merge = index.add(entry.signature, entry.story_id,
                                      now=record.timestamp / 1000.0,
                                      first_seen=entry.first_seen)
                    if merge is not None:
                        metrics().dedup_outcomes.labels(kind="merge").inc()
                        log.info("stories %s and %s are one: %s wins", merge.loser,
                                 merge.winner, merge.winner)
            metrics().dedup_index_articles.set(len(index))
            metrics().dedup_index_bytes.set(index.memory_bytes())
            if not index_loaded.is_set():
                positions = {tp: await consumer.position(tp) for tp in assigned}
                if all(positions[tp] >= targets[tp] for tp in assigned):
                    index_loaded.set()
                    log.info("dedup index loaded: %d records, %d articles held",
                             loaded, len(index))
    finally:
        await consumer.stop()


@app.task
async def replicate_dedup_index() -> None:
    await _replicate_index()


@app.timer(interval=settings.dedup_expiry_interval_seconds)
async def expire_dedup_index() -> None:
    dropped = index.expire(time.time())
    metrics().dedup_index_articles.set(len(index))
    if dropped:
        metrics().dedup_outcomes.labels(kind="expired").inc(dropped)


@dataclass(frozen=True, slots=True)
class Deduped:
    """What dedup made of one article: its story (``new``: it opens one, to be tagged),
    and the index record every worker applies, published by ``index_article`` last."""

    new: bool
    story_id: str
    record: IndexRecord
    cleaned: CleanFields  # the title and text as the fingerprint read them, for tagging
    notice: dict[str, Any] | None = None  # a copy's articles.copies value, to publish


async def deduplicate(article: dict[str, Any], now: float) -> Deduped:
    """Check ``article`` against the story index and index it (one probe). The caller
    forwards a new story, or sends a copy's ``notice`` to articles.copies, then calls
    ``index_article``."""
    # reads id, url, guid, feed_id, title and text; the id is the canonical URL's key
    cleaned = clean_fields(article["title"], article["text"])
    signature = fingerprint(article, url_key=article["id"], cleaned=cleaned)
    verdict, merge = index.observe(signature, now)
    story_id = merge.winner if merge is not None else verdict.story_id
    record = IndexRecord(signature, story_id, now)
    # The story's own first article again — a redelivery after a rebalance, or the
    # same URL posted again under another GUID — is neither new nor another source.
    if verdict.kind != "new" and story_id == article["id"]:
        metrics().dedup_outcomes.labels(kind="replay").inc()
        return Deduped(False, story_id, record, cleaned)
    metrics().dedup_outcomes.labels(kind=verdict.kind).inc()
    if verdict.kind == "new":
        return Deduped(True, story_id, record, cleaned)
    log.debug("duplicate (%s) of story %s: %s", verdict.kind, story_id, article["url"])
    return Deduped(False, story_id, record, cleaned,
                   copy_notice(article, story_id, verdict.kind))


async def index_article(deduped: Deduped) -> None:
    """Publish the article's index record for every worker. Last: a crash before this
    re-reads the article as new after the restart (a duplicate downstream, which the
    later stages absorb) rather than losing it."""
    await publish(dedup_index, deduped.story_id.encode(), deduped.record.to_bytes(),
                  [("origin", ORIGIN)])
