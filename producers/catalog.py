"""The feed registry on Kafka: the compacted ``feeds`` topic (key = feed id, value =
feed config JSON, tombstone = removed) and the ``feeds.state`` topic beside it.

Adding refuses a feed whose URL identity (``producers.feedurls.feed_url_identity``)
is already registered under another id, naming that feed. A feed stored in the
canonical form of earlier versions (tracking parameters dropped from its query, the
query sorted and re-encoded) is rewritten with its URL as given when it is added
again, with or without --update; its id, and so its poll state, stay. Two registrations racing
each other are not serialised: the registry is edited by operators, not by machines.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from producers.feedurls import (
    canonical_feed_url,
    earlier_canonical_feed_url,
    feed_url_identity,
)
from producers.registry import Feed, FeedsFileError
from streams.admin import ensure_compacted_topics
from streams.settings import Settings
from streams.topic_names import FEEDS, FEEDS_STATE

log = logging.getLogger(__name__)


class DuplicateFeedError(FeedsFileError):
    """A feed's URL is registered already under another id, or its id is taken."""


class UnknownFeedError(FeedsFileError):
    """No feed with that id is registered."""


@dataclass
class RegisterReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


async def ensure_feed_topics(settings: Settings) -> None:
    await ensure_compacted_topics(settings, (FEEDS, FEEDS_STATE), settings.feeds_partitions)


async def read_topic_to_end(settings: Settings, topic: str,
                            partitions: set[int] | None = None
                            ) -> dict[bytes, tuple[int, bytes | None]]:
    """The latest value per key of ``topic`` (only ``partitions`` when given), read
    up to the end offsets taken at the start: key → (partition, value or None)."""
    consumer = AIOKafkaConsumer(**settings.kafka_options(), group_id=None,
                                enable_auto_commit=False)
    await consumer.start()
    latest: dict[bytes, tuple[int, bytes | None]] = {}
    try:
        available = consumer.partitions_for_topic(topic)
        if not available:
            await consumer._client.force_metadata_update()
            available = consumer.partitions_for_topic(topic) or set()
        wanted = [TopicPartition(topic, p) for p in sorted(available)
                  if partitions is None or p in partitions]
        if not wanted:
            return latest
        consumer.assign(wanted)
        await consumer.seek_to_beginning(*wanted)
        ends = await consumer.end_offsets(wanted)
        remaining = {tp for tp in wanted if ends[tp] > 0}
        for tp in wanted:
            if ends[tp] > 0 and await consumer.position(tp) >= ends[tp]:
                remaining.discard(tp)
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset < ends[tp] and record.key is not None:
                        latest[record.key] = (tp.partition, record.value)
            for tp in list(remaining):
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()
    return latest


async def read_catalog(settings: Settings) -> dict[str, Feed]:
    """Every registered feed, by id (tombstoned and unreadable records left out)."""
    await ensure_feed_topics(settings)
    feeds: dict[str, Feed] = {}
    for key, (_partition, value) in (
            await read_topic_to_end(settings, settings.topic(FEEDS))).items():
        if value is None:
            continue
        try:
            feeds[key.decode()] = Feed.from_json(value)
        except (FeedsFileError, UnicodeDecodeError) as exc:
            log.warning("feeds topic: record %r left out: %s", key, exc)
    return feeds


def _normalised(feed: Feed) -> Feed:
    try:
        return replace(feed, url=canonical_feed_url(feed.url))
    except ValueError as exc:
        raise FeedsFileError(f"feed {feed.id}: {exc}") from None


def _stored_before(current: Feed, feed: Feed) -> bool:
    """``current`` is ``feed`` as stored before feed URLs kept their query as written:
    rewriting it with the URL as given needs no --update."""
    return current == replace(feed, url=earlier_canonical_feed_url(feed.url))


def plan_registration(existing: dict[str, Feed], feeds: list[Feed], *,
                      update: bool) -> tuple[list[Feed], RegisterReport]:
    """The feeds to write and what becomes of each; DuplicateFeedError (naming the
    existing feed) for a URL registered under another id, or, unless ``update``, for
    an id registered with another configuration."""
    identities = {feed_url_identity(f.url): fid for fid, f in existing.items()}
    report = RegisterReport()
    writes: list[Feed] = []
    for raw in feeds:
        feed = _normalised(raw)
        identity = feed_url_identity(feed.url)
        holder = identities.get(identity)
        if holder is not None and holder != feed.id:
            other = existing.get(holder)
            if other is None:  # not registered: given twice in what is being added
                raise DuplicateFeedError(
                    f"feed {feed.id}: {feed.url} is given twice, as feeds {holder} and "
                    f"{feed.id}: keep one of them")
            raise DuplicateFeedError(
                f"feed {feed.id}: {feed.url} is already registered as feed {holder} "
                f"({other.name}, {other.url}); remove it first "
                f"(`mediawatch feeds remove {holder}`) or keep it")
        current = existing.get(feed.id)
        if current == feed:
            report.unchanged.append(feed.id)
        elif current is not None and not update and not _stored_before(current, feed):
            raise DuplicateFeedError(f"feed {feed.id} exists already ({current.url}); "
                                     "use --update to change it")
        else:
            (report.updated if current is not None else report.added).append(feed.id)
            writes.append(feed)
        if current is not None:
            identities.pop(feed_url_identity(current.url), None)
        identities[identity] = feed.id
    return writes, report


async def register(settings: Settings, feeds: list[Feed], *,
                   update: bool = True) -> RegisterReport:
    """Write ``feeds`` to the feeds topic (see ``plan_registration``)."""
    existing = await read_catalog(settings)
    writes, report = plan_registration(existing, feeds, update=update)
    if writes:
        producer = AIOKafkaProducer(**settings.kafka_options(), acks="all",
                                    enable_idempotence=True, linger_ms=5)
        await producer.start()
        try:
            futures = [await producer.send(settings.topic(FEEDS), key=f.id.encode(),
                                           value=f.to_json()) for f in writes]
            for future in futures:
                await future
        finally:
            await producer.stop()
    return report


def plan_removal(records: dict[bytes, tuple[int, bytes | None]],
                 feed_ids: Iterable[str]) -> dict[str, Feed | None]:
    """The feeds ``feed_ids`` name in the feeds topic's ``records`` (as
    ``read_topic_to_end`` returns them), each once and in order: the feed, or None for a
    record that reads as no feed. UnknownFeedError naming every id that is not
    registered when there is one: then nothing is to be removed."""
    plan: dict[str, Feed | None] = {}
    unknown: list[str] = []
    for feed_id in dict.fromkeys(feed_ids):
        value = records.get(feed_id.encode(), (0, None))[1]
        if value is None:
            unknown.append(feed_id)
            continue
        try:
            plan[feed_id] = Feed.from_json(value)
        except FeedsFileError:
            plan[feed_id] = None
    if unknown:
        names = ", ".join(repr(feed_id) for feed_id in unknown)
        message = (f"no feed {names} is registered" if len(unknown) == 1
                   else f"no feeds {names} are registered")
        if plan:
            message += "; nothing was removed"
        raise UnknownFeedError(message)
    return plan


async def unregister(settings: Settings, feed_ids: Iterable[str]) -> dict[str, Feed | None]:
    """Tombstone feeds and their poll states, all of them or, when an id is not
    registered, none (UnknownFeedError naming every such id). Returns the feeds by id,
    None for a record that reads as no feed (written by an earlier version, or by hand):
    it is removed all the same."""
    await ensure_feed_topics(settings)
    plan = plan_removal(await read_topic_to_end(settings, settings.topic(FEEDS)), feed_ids)
    producer = AIOKafkaProducer(**settings.kafka_options(), acks="all",
                                enable_idempotence=True)
    await producer.start()
    try:
        for feed_id in plan:
            written = await producer.send_and_wait(settings.topic(FEEDS),
                                                   key=feed_id.encode(), value=None)
            # The state lives in the feeds.state partition numbered like the feed's.
            await producer.send_and_wait(settings.topic(FEEDS_STATE), key=feed_id.encode(),
                                         value=None, partition=written.partition)
    finally:
        await producer.stop()
    return plan
