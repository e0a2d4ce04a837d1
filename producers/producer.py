"""The feed producer: poll each feed when due, publish new entries to articles.raw.

Delivery is at-least-once: entries are remembered in the checkpoint only after Kafka
acknowledged them, so a crash can re-publish (dedup drops the copy) but never lose.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from producers.checkpoint import Checkpoint
from producers.fetching import fetch_feed
from producers.parsing import parse_feed
from producers.registry import Feed
from streams.errors import FeedParseError, FetchError
from streams.metrics import Metrics
from streams.settings import Settings

log = logging.getLogger(__name__)

from streams.topic_names import ARTICLES_RAW
MAX_BACKOFF_SECONDS = 3600.0


@dataclass
class PollOutcome:
    feed: str
    outcome: str  # ok | not_modified | http_error | timeout | parse_error | publish_error
    published: int = 0
    seen: int = 0
    invalid: int = 0
    retry_after: float | None = None


class FeedProducer:
    def __init__(self, settings: Settings, feeds: list[Feed], metrics: Metrics) -> None:
        self.settings = settings
        self.feeds = feeds
        self.metrics = metrics
        self.topic = settings.topic(ARTICLES_RAW)
        self.checkpoint = Checkpoint(
            settings.data_dir / "producer" / f"{settings.app_id}-checkpoint.json",
            limit=settings.checkpoint_entries_per_feed)
        self.failures: dict[str, int] = {}
        self._kafka: AIOKafkaProducer | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> FeedProducer:
        self._kafka = AIOKafkaProducer(
            bootstrap_servers=self.settings.bootstrap_servers, acks="all",
            enable_idempotence=True, linger_ms=20, client_id=f"{self.settings.app_id}-producer")
        await self._kafka.start()
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session:
            await self._session.close()
        if self._kafka:
            await self._kafka.stop()

    def interval(self, feed: Feed) -> float:
        return feed.interval_seconds or self.settings.default_interval_seconds

    async def poll(self, feed: Feed) -> PollOutcome:
        """Fetch, parse and publish one feed; never raises for a feed's own failure."""
        assert self._kafka is not None and self._session is not None
        state = self.checkpoint.feed(feed.id)
        started = time.monotonic()
        try:
            result = await fetch_feed(self._session, feed.url, etag=state.etag,
                                      last_modified=state.last_modified,
                                      timeout=self.settings.fetch_timeout_seconds)
        except FetchError as exc:
            kind = "timeout" if "timed out" in str(exc) else "http_error"
            log.warning("feed %s: fetch failed: %s", feed.id, exc)
            return self._done(feed, PollOutcome(feed.id, kind, retry_after=exc.retry_after),
                              started)
        if result.body is None:
            return self._done(feed, PollOutcome(feed.id, "not_modified"), started)
        fetched_at = datetime.now(UTC)
        try:
            entries, invalid = parse_feed(feed, result.body, fetched_at, base_url=result.url)
        except FeedParseError as exc:
            log.warning("feed %s: %s", feed.id, exc)
            return self._done(feed, PollOutcome(feed.id, "parse_error"), started)
        fresh = [e for e in entries if not state.is_seen(e.key)]
        try:
            futures = [
                await self._kafka.send(self.topic, key=e.article.id.encode(),
                                       value=e.article.to_json())
                for e in fresh
            ]
            if futures:
                await asyncio.gather(*futures)
        except KafkaError as exc:
            # Nothing is remembered: the entries are published again on the next poll.
            log.error("feed %s: publishing to %s failed: %s", feed.id, self.topic, exc)
            return self._done(feed, PollOutcome(feed.id, "publish_error"), started)
        for entry in fresh:
            state.remember(entry.key, self.checkpoint.limit)
        state.etag, state.last_modified = result.etag, result.last_modified
        self.checkpoint.save()
        self.metrics.feed_last_success.labels(feed=feed.id).set(time.time())
        for entry in fresh:
            published = entry.article.published_at
            if published and not entry.article.published_at_guessed:
                self.metrics.stage_latency.labels(span="published_to_ingested").observe(
                    max(0.0, (fetched_at - published).total_seconds()))
        outcome = PollOutcome(feed.id, "ok", published=len(fresh),
                              seen=len(entries) - len(fresh), invalid=invalid)
        return self._done(feed, outcome, started)

    def _done(self, feed: Feed, outcome: PollOutcome, started: float) -> PollOutcome:
        m = self.metrics
        m.feed_fetches.labels(feed=feed.id, outcome=outcome.outcome).inc()
        m.feed_fetch_duration.labels(feed=feed.id).observe(time.monotonic() - started)
        for name in ("published", "seen", "invalid"):
            count = getattr(outcome, name)
            if count:
                m.feed_entries.labels(feed=feed.id, outcome=name).inc(count)
        if outcome.outcome in ("ok", "not_modified"):
            self.failures.pop(feed.id, None)
        else:
            self.failures[feed.id] = self.failures.get(feed.id, 0) + 1
        if outcome.published:
            log.info("feed %s: published %d new entries", feed.id, outcome.published)
        return outcome

    def next_delay(self, feed: Feed, outcome: PollOutcome) -> float:
        interval = self.interval(feed)
        failures = self.failures.get(feed.id, 0)
        if not failures:
            return interval
        backoff = min(MAX_BACKOFF_SECONDS, interval * 2 ** min(failures - 1, 10))
        delay = random.uniform(backoff / 2, backoff)
        return max(delay, outcome.retry_after or 0.0)

    async def poll_all(self) -> list[PollOutcome]:
        return list(await asyncio.gather(*(self.poll(f) for f in self.feeds)))

    async def run(self, stop: asyncio.Event) -> None:
        """Poll every feed when it is due until ``stop`` is set."""
        due = {feed.id: time.monotonic() for feed in self.feeds}
        by_id = {feed.id: feed for feed in self.feeds}
        running: dict[str, asyncio.Task[PollOutcome]] = {}
        while not stop.is_set():
            now = time.monotonic()
            for feed_id, when in due.items():
                if when <= now and feed_id not in running:
                    running[feed_id] = asyncio.create_task(self.poll(by_id[feed_id]))
            for feed_id, task in list(running.items()):
                if task.done():
                    del running[feed_id]
                    due[feed_id] = time.monotonic() + self.next_delay(by_id[feed_id],
                                                                      task.result())
            waits = [w for f, w in due.items() if f not in running]
            timeout = max(0.05, min(waits, default=1.0) - time.monotonic())
            pending = set(running.values())
            stopper = asyncio.create_task(stop.wait())
            await asyncio.wait({stopper, *pending}, timeout=min(timeout, 60.0),
                               return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await stopper
        for task in running.values():
            task.cancel()
        await asyncio.gather(*running.values(), return_exceptions=True)
