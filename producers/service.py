"""A producer instance: a member of the consumer group over the ``feeds`` topic.

Each instance polls the feeds of the ``feeds`` partitions it owns. The poll state of
a feed (``producers.state.FeedState``) is written after every poll to the
compacted ``feeds.state`` topic, in the partition numbered like the feed's ``feeds``
partition, so that whoever owns feeds partition *p* reads its states from
feeds.state partition *p* only.

Hand-over (docs/decisions.md, "Producers"), with aiokafka's eager rebalancing:

1. revoked: the instance stops starting polls of those feeds, cancels the polls still
   waiting for their host's turn (nothing was sent), waits for the polls under way,
   and flushes its Kafka producer, so every state it wrote is on the broker;
2. assigned (after every member has finished step 1): the instance reads the
   feeds.state partitions of its new partitions to their end, then the ``feeds``
   partitions from the beginning; a feed with a state is due at the state's
   ``next_poll_at``, a feed without one soon (with jitter).

So a feed is never polled by two instances, never polled before its interval is over
because it changed hands, and never left without an owner while the group has members.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import random
import time
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener

from producers import pages
from producers.catalog import ensure_feed_topics, is_feed_key, read_topic_to_end
from producers.fetching import Fetcher, new_session
from producers.isolation import IsolatedParser, ParserPool
from producers.producer import Poller, PollOutcome
from producers.registry import Feed, FeedsFileError
from producers.state import SEEN_CEILING, FeedState
from streams.admin import ensure_topics
from streams.errors import MediawatchError
from streams.metrics import HEALTH, Metrics
from streams.settings import Settings
from streams.topic_names import ARTICLES_RAW, FEEDS, FEEDS_STATE

log = logging.getLogger(__name__)

NEW_FEED_SPREAD_SECONDS = 30.0   # new feeds start within this (or their interval)


@dataclass
class Owned:
    feed: Feed
    state: FeedState
    partition: int
    due: float
    task: asyncio.Task[PollOutcome | None] | None = None
    requested: bool = False        # the running poll has sent its first request
    released: bool = False


@dataclass
class _Ready:
    """End offsets of the feeds partitions at assignment: caught up once reached."""

    ends: dict[TopicPartition, int] = field(default_factory=dict)
    event: asyncio.Event = field(default_factory=asyncio.Event)


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, service: ProducerService) -> None:
        self.service = service

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        await self.service.release({tp.partition for tp in revoked})

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        await self.service.acquire({tp.partition for tp in assigned})


class ProducerService:
    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.feeds_topic = settings.topic(FEEDS)
        self.state_topic = settings.topic(FEEDS_STATE)
        self.group_id = f"{settings.app_id}-producers"
        self.owned: dict[str, Owned] = {}
        self.partitions: set[int] = set()
        self.pending_states: dict[str, FeedState] = {}
        self.loading: set[int] = set()
        self._held: list[ConsumerRecord[bytes, bytes]] = []
        self.ready = _Ready()
        self._heap: list[tuple[float, str]] = []
        self._wake = asyncio.Event()
        self._kafka: AIOKafkaProducer | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._poller: Poller | None = None
        self._parser: ParserPool | None = None
        self._pages: IsolatedParser | None = None  # article pages, when they are read

    # ------------------------------------------------------------ life cycle
    async def __aenter__(self) -> ProducerService:
        await ensure_topics(self.settings, (ARTICLES_RAW,))
        await ensure_feed_topics(self.settings)
        self._kafka = AIOKafkaProducer(
            **self.settings.kafka_options(), acks="all",
            enable_idempotence=True, linger_ms=20,
            client_id=f"{self.settings.app_id}-producer")
        await self._kafka.start()
        try:
            await self._check_partitions()
        except BaseException:
            await self._kafka.stop()
            raise
        self._session = new_session(self.settings)
        self._parser = ParserPool(self.settings.parse_processes,
                                  self.settings.parse_timeout_seconds,
                                  self.settings.parse_max_memory_bytes or None)
        read_page = pages.read_in_thread
        if self.settings.fetch_article_pages:
            self._pages = IsolatedParser(self.settings.page_timeout_seconds,
                                         self.settings.parse_max_memory_bytes or None)
            read_page = self._pages.read_page
        self._poller = Poller(self.settings, self.metrics, Fetcher(self._session, self.settings),
                              self._kafka, self._parser.parse, read_page)
        self._consumer = AIOKafkaConsumer(
            **self.settings.kafka_options(), group_id=self.group_id,
            client_id=f"{self.settings.app_id}-producer", enable_auto_commit=False,
            auto_offset_reset="earliest")
        self._consumer.subscribe([self.feeds_topic], listener=_Listener(self))
        await self._consumer.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        # Hand the feeds over cleanly: finish the polls under way, write their states,
        # then leave the group so that the others take over at once.
        await self.release(set(self.partitions))
        if self._parser is not None:
            await self._parser.close()  # a parse the release let go of ends now
        if self._pages is not None:
            await self._pages.close()
        if self._consumer is not None:
            await self._consumer.stop()
        if self._poller is not None:
            await self._poller.fetcher.close()
        await self._session.close()
        if self._kafka is not None:
            await self._kafka.stop()

    async def _check_partitions(self) -> None:
        assert self._kafka is not None
        feeds = await self._kafka.partitions_for(self.feeds_topic)
        states = await self._kafka.partitions_for(self.state_topic)
        if len(states) < len(feeds):
            raise MediawatchError(
                f"{self.state_topic} has {len(states)} partitions, fewer than the "
                f"{len(feeds)} of {self.feeds_topic}: add partitions to it")

    # ------------------------------------------------------------ rebalancing
    async def release(self, partitions: set[int]) -> None:
        if not partitions:
            return
        victims = [o for o in self.owned.values() if o.partition in partitions]
        for owned in victims:
            owned.released = True
            if owned.task is not None and not owned.requested:
                owned.task.cancel()
        running = [o.task for o in victims if o.task is not None]
        if running:
            await asyncio.gather(*running, return_exceptions=True)
        if self._kafka is not None:
            await self._kafka.flush()
        assert self._poller is not None
        for owned in victims:
            del self.owned[owned.feed.id]
            self._poller.forget_metrics(owned.feed.id)
        self.partitions -= partitions
        self.pending_states = {}
        self.metrics.feed_rebalances.labels(event="revoked").inc(len(partitions))
        self.metrics.feeds_owned.set(len(self.owned))
        log.info("released partitions %s (%d feeds); %d feeds left", sorted(partitions),
                 len(victims), len(self.owned))

    async def acquire(self, partitions: set[int]) -> None:
        assert self._consumer is not None
        # The states first: the feed records of these partitions that arrive
        # meanwhile are held back, so no feed is scheduled without the state its
        # previous owner left. (No offsets are ever committed: a newly assigned
        # partition is read from its beginning.)
        self.loading |= partitions
        try:
            states = await read_topic_to_end(self.settings, self.state_topic, partitions)
            for key, (_partition, value) in states.items():
                if value is not None:
                    state = FeedState.from_json(value, SEEN_CEILING)
                    self.pending_states[key.decode()] = state
            tps = [TopicPartition(self.feeds_topic, p) for p in sorted(partitions)]
            self.ready = _Ready(ends=await self._consumer.end_offsets(tps) if tps else {})
        finally:
            self.loading -= partitions
        self.partitions |= partitions
        held, self._held = self._held, []
        for record in held:
            self._apply(record)
        self.metrics.feed_rebalances.labels(event="assigned").inc(len(partitions))
        log.info("assigned partitions %s of %s: %d feed states read", sorted(partitions),
                 self.feeds_topic, len(self.pending_states))

    async def _caught_up(self) -> bool:
        assert self._consumer is not None
        for tp, end in self.ready.ends.items():
            if tp.partition in self.partitions and await self._consumer.position(tp) < end:
                return False
        return bool(self.ready.ends) or not self.partitions

    # ------------------------------------------------------------ the feeds topic
    def _apply(self, record: ConsumerRecord[bytes, bytes]) -> None:
        if record.partition in self.loading:
            self._held.append(record)
            return
        if record.key is None or record.partition not in self.partitions:
            return
        if not is_feed_key(record.key):  # the record of an applied feeds file
            return
        feed_id = record.key.decode(errors="replace")
        owned = self.owned.get(feed_id)
        if record.value is None:
            self.pending_states.pop(feed_id, None)
            if owned is not None:
                owned.released = True
                del self.owned[feed_id]
                assert self._poller is not None
                self._poller.forget_metrics(feed_id)
                log.info("feed %s removed", feed_id)
            self.metrics.feeds_owned.set(len(self.owned))
            return
        try:
            feed = Feed.from_json(record.value)
        except FeedsFileError as exc:
            log.warning("%s[%d]@%d: feed record left out: %s", record.topic,
                        record.partition, record.offset, exc)
            return
        if owned is not None:
            owned.feed = feed
            return
        state = self.pending_states.pop(feed_id, None) or FeedState()
        now = time.time()
        if state.next_poll_at is not None:
            due = state.next_poll_at
        else:
            interval = feed.interval_seconds or self.settings.default_interval_seconds
            due = now + random.uniform(0, min(interval, NEW_FEED_SPREAD_SECONDS))
        self.owned[feed_id] = Owned(feed, state, record.partition, due)
        self.metrics.init_producer_feed(feed_id, state.interval or feed.interval_seconds
                                        or self.settings.default_interval_seconds)
        if state.last_poll_at is not None:  # polled before, by this instance or another
            assert self._poller is not None
            self._poller.restore_metrics(feed_id, state)
        heapq.heappush(self._heap, (due, feed_id))
        self._wake.set()
        self.metrics.feeds_owned.set(len(self.owned))

    async def _consume(self, stop: asyncio.Event) -> None:
        assert self._consumer is not None
        while not stop.is_set():
            batch = await self._consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    self._apply(record)
            if not self.ready.event.is_set() and self.partitions and await self._caught_up():
                self.ready.event.set()

    # ------------------------------------------------------------ polling
    async def _poll(self, owned: Owned) -> PollOutcome | None:
        assert self._poller is not None and self._kafka is not None

        def requested() -> None:
            owned.requested = True

        try:
            outcome = await self._poller.poll(owned.feed, owned.state, on_request=requested)
            await self._kafka.send(self.state_topic, key=owned.feed.id.encode(),
                                   value=owned.state.to_json(), partition=owned.partition)
        finally:
            owned.task, owned.requested = None, False
        if not owned.released and owned.state.next_poll_at is not None:
            owned.due = owned.state.next_poll_at
            heapq.heappush(self._heap, (owned.due, owned.feed.id))
            self._wake.set()
        return outcome

    def _start(self, owned: Owned) -> asyncio.Task[PollOutcome | None]:
        owned.task = asyncio.create_task(self._poll(owned), name=f"poll {owned.feed.id}")
        return owned.task

    async def _schedule(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            now = time.time()
            while self._heap and self._heap[0][0] <= now:
                due, feed_id = heapq.heappop(self._heap)
                owned = self.owned.get(feed_id)
                if owned is None or owned.released or owned.task is not None \
                        or owned.due != due:
                    continue
                self._start(owned)
            wait = min(self._heap[0][0] - now, 5.0) if self._heap else 5.0
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(wait, 0.005))

    async def run(self, stop: asyncio.Event) -> None:
        """Poll the owned feeds when due until ``stop`` is set."""
        HEALTH.set(True, "in the producers' group, polling its feeds")
        tasks = [asyncio.create_task(self._consume(stop), name="feeds consumer"),
                 asyncio.create_task(self._schedule(stop), name="feed scheduler")]
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait({stopper, *tasks}, return_when=asyncio.FIRST_COMPLETED)
        HEALTH.set(False, "stopping")
        stop.set()
        for task in (*tasks, stopper):
            task.cancel()
        results = await asyncio.gather(*tasks, stopper, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(
                    result, asyncio.CancelledError):
                raise result

    async def poll_once(self, timeout: float = 60.0) -> list[PollOutcome]:
        """Join the group, wait for the owned feeds, poll each of them once (due or
        not), write their states, and return the outcomes."""
        stop = asyncio.Event()
        consumer = asyncio.create_task(self._consume(stop), name="feeds consumer")
        try:
            deadline = time.monotonic() + timeout
            while not self.ready.event.is_set():
                if consumer.done():
                    consumer.result()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise MediawatchError(f"no partitions of {self.feeds_topic} assigned "
                                          f"within {timeout:.0f}s (group {self.group_id})")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.ready.event.wait(), timeout=min(remaining, 1))
            owned = list(self.owned.values())
            tasks = [self._start(o) for o in owned if o.task is None]
            results = await asyncio.gather(*tasks)
            return [r for r in results if r is not None]
        finally:
            stop.set()
            consumer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await consumer
