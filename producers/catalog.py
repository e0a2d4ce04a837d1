"""The feed registry on Kafka: the compacted ``feeds`` topic (key = feed id, value =
feed config JSON, tombstone = removed) and the ``feeds.state`` topic beside it.

Adding refuses a feed whose URL identity (``producers.feedurls.feed_url_identity``)
is already registered under another id, naming that feed. A feed stored in the
canonical form of earlier versions (tracking parameters dropped from its query, the
query sorted and re-encoded) is rewritten with its URL as given when it is added
again, with or without --update; its id, and so its poll state, stay. Two registrations racing
each other are not serialised: the registry is edited by operators, not by machines.

A feeds file given to ``mediawatch produce --feeds`` is applied the way ``kubectl
apply`` applies a manifest: what the file held when it was last applied is kept in the
feeds topic too, under a key of its own (``applied_key``), and each start writes only
the file's changes since (``plan_apply``), so that what operators did with ``mediawatch
feeds`` in between stays. No feed id has such a key: feed ids are text, written as
UTF-8, and no UTF-8 text starts with the byte 0xFF. Whatever reads the feeds topic
leaves these records out (``is_feed_key``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from os import fsencode
from os.path import abspath

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from producers.feedurls import (
    canonical_feed_url,
    earlier_canonical_feed_url,
    feed_url_identity,
)
from producers.registry import Feed, FeedsFileError, parse_feeds
from streams.admin import ensure_compacted_topics
from streams.settings import Settings
from streams.topic_names import FEEDS, FEEDS_STATE

log = logging.getLogger(__name__)

APPLIED_KEY_PREFIX = b"\xffapplied "


def applied_key(path: str) -> bytes:
    """The feeds-topic key of what the feeds file at ``path`` held when it was last
    applied: its absolute path, symbolic links left as they are. A ConfigMap mounted in
    several pods has one path in all of them; resolving its links would give a directory
    named after the time the kubelet wrote it, another in every pod and at every
    update."""
    return APPLIED_KEY_PREFIX + fsencode(abspath(path))


def is_feed_key(key: bytes) -> bool:
    """Whether a feeds-topic key is a feed id's (not a record of an applied file)."""
    return not key.startswith(b"\xff")


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
    return feeds_of(await read_topic_to_end(settings, settings.topic(FEEDS)))


def feeds_of(records: dict[bytes, tuple[int, bytes | None]]) -> dict[str, Feed]:
    """The feeds of the feeds topic's records, by id: tombstones, unreadable records
    and the records of applied feeds files left out."""
    feeds: dict[str, Feed] = {}
    for key, (_partition, value) in records.items():
        if value is None or not is_feed_key(key):
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


class _Placement:
    """Feeds placed one at a time into the registry ``existing``, with the URL
    identities taken so far."""

    def __init__(self, existing: dict[str, Feed]) -> None:
        self.existing = existing
        self.identities = {feed_url_identity(f.url): fid for fid, f in existing.items()}

    def place(self, feed: Feed, *, update: bool) -> str:
        """What becomes of ``feed`` (normalised): "added", "updated" or "unchanged".
        DuplicateFeedError, with nothing taken, for a URL registered under another id
        or, unless ``update``, for an id registered with another configuration."""
        identity = feed_url_identity(feed.url)
        holder = self.identities.get(identity)
        if holder is not None and holder != feed.id:
            other = self.existing.get(holder)
            if other is None:  # not registered: given twice in what is being added
                raise DuplicateFeedError(_given_twice(feed, holder))
            raise DuplicateFeedError(
                f"feed {feed.id}: {feed.url} is already registered as feed {holder} "
                f"({other.name}, {other.url}); remove it first "
                f"(`mediawatch feeds remove {holder}`) or keep it")
        current = self.existing.get(feed.id)
        if current == feed:
            outcome = "unchanged"
        elif current is not None and not update and not _stored_before(current, feed):
            raise DuplicateFeedError(f"feed {feed.id} exists already ({current.url}); "
                                     "use --update to change it")
        else:
            outcome = "updated" if current is not None else "added"
        if current is not None:
            self.identities.pop(feed_url_identity(current.url), None)
        self.identities[identity] = feed.id
        return outcome


def _given_twice(feed: Feed, other_id: str) -> str:
    return (f"feed {feed.id}: {feed.url} is given twice, as feeds {other_id} and "
            f"{feed.id}: keep one of them")


def plan_registration(existing: dict[str, Feed], feeds: list[Feed], *,
                      update: bool) -> tuple[list[Feed], RegisterReport]:
    """The feeds to write and what becomes of each; DuplicateFeedError (naming the
    existing feed) for a URL registered under another id, or, unless ``update``, for
    an id registered with another configuration."""
    placement = _Placement(existing)
    report = RegisterReport()
    writes: list[Feed] = []
    for raw in feeds:
        feed = _normalised(raw)
        outcome = placement.place(feed, update=update)
        getattr(report, outcome).append(feed.id)
        if outcome != "unchanged":
            writes.append(feed)
    return writes, report


@dataclass
class ApplyReport:
    """What applying a feeds file did: feed ids, and for each skipped entry why."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)  # gone from the file, changed since

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, "
                f"{len(self.removed)} removed, {len(self.unchanged)} unchanged, "
                f"{len(self.skipped)} skipped")


@dataclass
class ApplyPlan:
    writes: list[Feed]      # feeds to register, normalised
    removals: list[str]     # feed ids to remove
    applied: list[Feed]     # the file's entries as applied once the plan is written
    report: ApplyReport


def _as_registered(feed: Feed) -> Feed | None:
    """``feed`` as registering it stores it; None when its URL is refused."""
    try:
        return _normalised(feed)
    except FeedsFileError:
        return None


def plan_apply(existing: dict[str, Feed], last: dict[str, Feed] | None,
               feeds: list[Feed]) -> ApplyPlan:
    """The changes the feeds file ``feeds`` makes to the registry ``existing``, given
    the file's entries when it was last applied (``last``; None when it never was).

    - An entry new in the file, or changed in it since, is registered (added or
      updated); when the file was never applied, every entry is.
    - An entry as it was last applied is left alone, whatever the registry holds for it
      now: an operator's removal or change stays.
    - An entry gone from the file is removed when the registry still holds what the
      file put there; changed since, it is kept.
    - An entry that cannot be registered (its URL is registered under another id) is
      skipped, with the reason; ``applied`` keeps what was applied of it before, if
      anything, so it is tried again at the next start.

    FeedsFileError when the file is not one the registry can take whatever it holds: an
    entry's URL is refused, or two entries share a URL.
    """
    normalised = [_normalised(f) for f in feeds]
    taken: dict[str, str] = {}
    for feed in normalised:
        holder = taken.setdefault(feed_url_identity(feed.url), feed.id)
        if holder != feed.id:
            raise DuplicateFeedError(_given_twice(feed, holder))
    report = ApplyReport()
    in_file = {f.id for f in feeds}
    for feed_id, put in (last or {}).items():
        current = existing.get(feed_id)
        if feed_id in in_file or current is None:
            continue
        if current in (put, _as_registered(put)):
            report.removed.append(feed_id)
        else:
            report.kept.append(feed_id)
    placement = _Placement({fid: f for fid, f in existing.items()
                            if fid not in report.removed})
    writes: list[Feed] = []
    applied: list[Feed] = []
    for raw, feed in zip(feeds, normalised, strict=True):
        before = (last or {}).get(raw.id)
        if before == raw:
            report.unchanged.append(raw.id)
            applied.append(raw)
            continue
        try:
            outcome = placement.place(feed, update=True)
        except DuplicateFeedError as exc:
            report.skipped[raw.id] = str(exc)
            if before is not None:
                applied.append(before)
            continue
        getattr(report, outcome).append(raw.id)
        if outcome != "unchanged":
            writes.append(feed)
        applied.append(raw)
    return ApplyPlan(writes, list(report.removed), applied, report)


def applied_record(path: str, feeds: list[Feed]) -> bytes:
    """The feeds-topic value that records ``feeds`` as the entries of the feeds file
    at ``path`` last applied: a feeds document, with the file's path."""
    return orjson.dumps({"file": abspath(path),
                         "feeds": [f.as_dict() for f in feeds]})


def read_applied(value: bytes | None, path: str) -> dict[str, Feed] | None:
    """The entries of the feeds file at ``path`` last applied, by id, from the value of
    its record; None when there is none, or it cannot be read (then the file is
    applied as a whole, as when it never was)."""
    if value is None:
        return None
    try:
        feeds = parse_feeds(orjson.loads(value), f"feeds topic, {path} as applied")
    except (orjson.JSONDecodeError, FeedsFileError) as exc:
        log.warning("feeds file %s: the record of what it held when last applied is "
                    "unreadable (%s): every entry is applied", path, exc)
        return None
    return {f.id: f for f in feeds}


async def apply_feeds_file(settings: Settings, path: str, feeds: list[Feed]) -> ApplyReport:
    """Apply the feeds file at ``path``, whose entries are ``feeds``, to the feeds topic
    (see ``plan_apply``), then record its entries as applied. Instances started together
    with one file read the same records and write the same ones; the record is written
    last, so a start cut short is completed by the next."""
    await ensure_feed_topics(settings)
    topic = settings.topic(FEEDS)
    records = await read_topic_to_end(settings, topic)
    key = applied_key(path)
    stored = records.get(key, (0, None))[1]
    plan = plan_apply(feeds_of(records), read_applied(stored, path), feeds)
    for feed_id, reason in plan.report.skipped.items():
        log.error("feeds file %s: %s; the entry is not applied (it is tried again at the "
                  "next start)", path, reason, extra={"feed": feed_id})
    for feed_id in plan.report.kept:
        log.info("feeds file %s: feed %s left the file but was changed in the registry "
                 "since the file put it there: it stays", path, feed_id,
                 extra={"feed": feed_id})
    record = applied_record(path, plan.applied)
    if not plan.writes and not plan.removals and record == stored:
        return plan.report
    producer = AIOKafkaProducer(**settings.kafka_options(), acks="all",
                                enable_idempotence=True, linger_ms=5,
                                compression_type="gzip")
    await producer.start()
    try:
        futures = [await producer.send(topic, key=f.id.encode(), value=f.to_json())
                   for f in plan.writes]
        for future in futures:
            await future
        for feed_id in plan.removals:  # the feed and its poll state, as unregister
            written = await producer.send_and_wait(topic, key=feed_id.encode(), value=None)
            await producer.send_and_wait(settings.topic(FEEDS_STATE), key=feed_id.encode(),
                                         value=None, partition=written.partition)
        if record != stored:
            await producer.send_and_wait(topic, key=key, value=record)
    finally:
        await producer.stop()
    return plan.report


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
