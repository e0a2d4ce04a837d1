"""Polling one feed: fetch, parse, publish new entries to articles.raw, update its state.

Delivery is at-least-once: entries are remembered in the feed's state only after
Kafka acknowledged them, so a crash can re-publish (dedup drops the copy) but never
lose. Which feeds an instance polls, and when, is ``producers.service``'s business.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from producers import pages
from producers.fetching import FeedFetchError, Fetcher
from producers.parsing import ParsedFeed, distrust_shared_guids, parse_feed
from producers.registry import Feed
from producers.schedule import Policy, backoff, health, next_interval
from producers.state import SEEN_CEILING, FeedState
from streams.errors import FeedParseError
from streams.metrics import Metrics, language_label
from streams.settings import Settings
from streams.topic_names import ARTICLES_RAW

log = logging.getLogger(__name__)

SUCCESS = frozenset({"ok", "not_modified"})
STATUSES = ("ok", "silent", "failing")


@dataclass
class PollOutcome:
    feed: str
    # ok | not_modified | http_error | rate_limited | server_error | timeout | too_large
    # | redirect_error | connection_error | address_refused | parse_error | publish_error
    outcome: str
    published: int = 0
    seen: int = 0
    invalid: int = 0
    total: int = 0
    retry_after: float | None = None


#: How a poll parses a body: ``parse_feed``'s arguments, its result or FeedParseError.
Parse = Callable[[Feed, bytes, datetime, str | None, str | None], Awaitable[ParsedFeed]]


async def parse_in_thread(feed: Feed, body: bytes, fetched_at: datetime,
                          base_url: str | None, content_type: str | None) -> ParsedFeed:
    """``parse_feed`` in a thread, without a time limit (the producer service parses in
    a process of its own: ``producers.isolation``)."""
    return await asyncio.to_thread(parse_feed, feed, body, fetched_at, base_url, content_type)


class Poller:
    def __init__(self, settings: Settings, metrics: Metrics, fetcher: Fetcher,
                 kafka: AIOKafkaProducer, parse: Parse = parse_in_thread,
                 read_page: pages.ReadPage = pages.read_in_thread) -> None:
        self.settings = settings
        self.metrics = metrics
        self.fetcher = fetcher
        self.kafka = kafka
        self.parse = parse
        self.read_page = read_page
        self.policy = Policy.from_settings(settings)
        self.topic = settings.topic(ARTICLES_RAW)

    async def poll(self, feed: Feed, state: FeedState,
                   on_request: Callable[[], None] | None = None) -> PollOutcome:
        """Fetch, parse and publish one feed and update ``state``; never raises for a
        feed's own failure. Cancelled before ``on_request`` was called, it leaves
        ``state`` untouched and has sent nothing."""
        started = time.monotonic()
        if state.url != feed.url:  # new feed, or its URL changed: validators are void
            state.url, state.etag, state.last_modified = feed.url, None, None
        try:
            result = await self.fetcher.get(feed.url, etag=state.etag,
                                            last_modified=state.last_modified,
                                            on_request=on_request)
        except FeedFetchError as exc:
            log.warning("feed %s: fetch failed (%s): %s", feed.id, exc.outcome, exc,
                        extra={"feed": feed.id})
            return self._done(feed, state, PollOutcome(feed.id, exc.outcome,
                                                       retry_after=exc.retry_after), started)
        if result.permanent_redirect:
            log.info("feed %s: permanently redirected to %s (update the feed's URL)",
                     feed.id, result.permanent_redirect)
        if result.body is None:
            state.etag, state.last_modified = result.etag, result.last_modified
            return self._done(feed, state, PollOutcome(feed.id, "not_modified"), started)
        fetched_at = datetime.now(UTC)
        try:
            parsed = await self.parse(feed, result.body, fetched_at, result.url,
                                      result.content_type)
        except FeedParseError as exc:
            # the parser's message names the feed already
            log.warning("feed %s: %s", feed.id, str(exc).removeprefix(f"feed {feed.id}: "),
                        extra={"feed": feed.id})
            return self._done(feed, state, PollOutcome(feed.id, "parse_error"), started)
        entries, shared = distrust_shared_guids(parsed.entries, state.shared_guids)
        fresh = [e for e in entries if not state.is_seen(e.keys)]
        unstable = sum(1 for e in entries
                       if len(e.keys) > 1 and e.keys[0] in state.seen
                       and e.keys[1] not in state.seen)
        if unstable:
            log.debug("feed %s: %d seen entries came with a new GUID", feed.id, unstable)
        moved = sum(1 for e in entries if len(e.keys) > 1 and e.keys[0] not in state.seen
                    and e.keys[1] in state.seen)
        if moved:
            log.info("feed %s: %d entries with a new link came with a GUID seen before: "
                     "taken as seen (an article that moved)", feed.id, moved,
                     extra={"feed": feed.id})
        if fresh and self.settings.fetch_article_pages:
            await pages.enrich(self.fetcher, fresh, self.settings.article_page_min_chars,
                               self.metrics, self.read_page)
        try:
            futures = [await self.kafka.send(self.topic, key=e.article.id.encode(),
                                             value=e.article.to_json()) for e in fresh]
            if futures:
                await asyncio.gather(*futures)
        except KafkaError as exc:
            # Nothing is remembered: the entries are published again on the next poll.
            log.error("feed %s: publishing to %s failed: %s", feed.id, self.topic, exc)
            return self._done(feed, state, PollOutcome(feed.id, "publish_error"), started)
        # Every entry the feed holds is remembered (seen ones again), and some older
        # ones, within the configured bound: the states of all feeds are read again at
        # every rebalance, so they stay small.
        held = [e.keys for e in entries]
        lost = state.remember_fetch(held, self.settings.checkpoint_entries_per_feed)
        if lost:
            log.warning("feed %s: holds %d entries, more than its state can remember "
                        "(%d keys): its oldest entries may be published again",
                        feed.id, len(held), SEEN_CEILING, extra={"feed": feed.id})
        if shared or parsed.shared_guids:
            state.note_shared_guids(shared | parsed.shared_guids)
        state.etag, state.last_modified = result.etag, result.last_modified
        for entry in fresh:
            self.metrics.articles.labels(stage="raw", lang=language_label(entry.article.lang)).inc()
            published = entry.article.published_at
            if published and not entry.article.published_at_guessed:
                self.metrics.stage_latency.labels(span="published_to_ingested").observe(
                    max(0.0, (fetched_at - published).total_seconds()))
        outcome = PollOutcome(feed.id, "ok", published=len(fresh),
                              seen=len(parsed.entries) - len(fresh), invalid=parsed.invalid,
                              total=len(parsed.entries))
        return self._done(feed, state, outcome, started)

    def _done(self, feed: Feed, state: FeedState, outcome: PollOutcome,
              started: float) -> PollOutcome:
        now = time.time()
        self._schedule(feed, state, outcome, now)
        m = self.metrics
        m.init_producer_feed(feed.id)
        m.feed_fetches.labels(feed=feed.id, outcome=outcome.outcome).inc()
        m.feed_fetch_duration.labels(feed=feed.id).observe(time.monotonic() - started)
        for name in ("published", "seen", "invalid"):
            count = getattr(outcome, name)
            if count:
                m.feed_entries.labels(feed=feed.id, outcome=name).inc(count)
        if outcome.outcome in SUCCESS:
            m.feed_last_success.labels(feed=feed.id).set(now)
        if state.last_new_entry_at is not None:
            m.feed_last_new_entry.labels(feed=feed.id).set(state.last_new_entry_at)
        # the schedule's interval, not a failure's backoff: MediawatchFeedSilent counts
        # the time since the last success in these
        if state.interval is not None:
            m.feed_interval.labels(feed=feed.id).set(state.interval)
        m.feed_consecutive_failures.labels(feed=feed.id).set(state.failures)
        m.feed_entries_per_day.labels(feed=feed.id).set(state.entries_per_day(now))
        self._health(feed, state, now)
        if outcome.published:
            log.info("feed %s: published %d new entries", feed.id, outcome.published,
                     extra={"feed": feed.id})
        return outcome

    def _schedule(self, feed: Feed, state: FeedState, outcome: PollOutcome,
                  now: float) -> None:
        policy = self.policy
        first_poll = state.last_poll_at is None
        current = state.interval or policy.start_interval(feed.interval_seconds)
        if state.created_at is None:
            state.created_at = now
        state.last_poll_at = now
        state.last_outcome = outcome.outcome
        if outcome.outcome in SUCCESS:
            state.failures, state.first_failure_at = 0, None
            state.last_success_at = now
            state.interval = next_interval(policy, current, new=outcome.published,
                                           total=outcome.total, first_poll=first_poll)
            if outcome.published:
                state.record_new(now, outcome.published)
            state.next_poll_at = now + state.interval
        else:
            state.failures += 1
            if state.first_failure_at is None:
                state.first_failure_at = now
            state.interval = current
            state.next_poll_at = now + backoff(policy, current, state.failures,
                                               outcome.retry_after)

    def _health(self, feed: Feed, state: FeedState, now: float) -> None:
        status = health(self.policy, state, now)
        if status != state.status:
            if status == "silent":
                self.metrics.feed_silent.labels(feed=feed.id).inc()
                log.warning("feed %s: silent: nothing new since %s, longer than expected",
                            feed.id, datetime.fromtimestamp(state.last_new_entry_at or now,
                                                            UTC).isoformat())
            elif status == "failing":
                log.warning("feed %s: failing for %.0f s (%d failures in a row); backing "
                            "off, not dropped", feed.id, now - (state.first_failure_at or now),
                            state.failures)
            else:
                log.info("feed %s: back to ok (was %s)", feed.id, state.status)
            state.status = status
        for name in STATUSES:
            self.metrics.feed_status.labels(feed=feed.id, status=name).set(
                1.0 if name == status else 0.0)

    def restore_metrics(self, feed_id: str, state: FeedState) -> None:
        """Set a feed's health gauges from the state it was handed over with (after a
        restart or a rebalance), so that they read what they read before the move,
        not nothing until the feed is next due."""
        m = self.metrics
        if state.last_success_at is not None:
            m.feed_last_success.labels(feed=feed_id).set(state.last_success_at)
        if state.last_new_entry_at is not None:
            m.feed_last_new_entry.labels(feed=feed_id).set(state.last_new_entry_at)
        m.feed_consecutive_failures.labels(feed=feed_id).set(state.failures)
        m.feed_entries_per_day.labels(feed=feed_id).set(state.entries_per_day(time.time()))
        for name in STATUSES:
            m.feed_status.labels(feed=feed_id, status=name).set(
                1.0 if name == state.status else 0.0)

    def forget_metrics(self, feed_id: str) -> None:
        """Drop the per-feed series of a feed this instance no longer polls."""
        self.metrics.forget_producer_feed(feed_id, STATUSES)
