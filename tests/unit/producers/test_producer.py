"""Polling a feed (``Poller.poll``) with a fetcher that serves bodies from memory and a
Kafka producer that records what it is asked to send: no sockets, no broker."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any, cast

import orjson
from aiokafka import AIOKafkaProducer, ConsumerRecord
from prometheus_client import CollectorRegistry

from producers.fetching import Fetcher, FetchResult
from producers.producer import Poller
from producers.registry import Feed
from producers.service import ProducerService
from producers.state import SEEN_CEILING, SEEN_FLOOR, FeedState
from streams.metrics import Metrics
from streams.settings import Settings

FEED = Feed(id="daily", url="https://daily.example/rss", name="Daily Example")


def rss(items: list[int], pinned: bool = False) -> bytes:
    """A feed of the numbered stories, newest first, and a pinned notice on top."""
    top = ("<item><title>Readers' notice</title><link>https://daily.example/notice</link>"
           "<guid>notice</guid></item>") if pinned else ""
    entries = "".join(
        f"<item><title>Story {n} from the harbour</title>"
        f"<link>https://daily.example/story/{n}</link><guid>story-{n}</guid></item>"
        for n in sorted(items, reverse=True))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Daily</title><link>https://daily.example/</link>{top}{entries}"
            f"</channel></rss>").encode()


@dataclasses.dataclass
class MemoryFetcher:
    """Serves ``body`` for any URL; remembers the URLs asked for."""

    body: bytes = b""
    asked: list[str] = dataclasses.field(default_factory=list)

    async def get(self, url: str, **_options: Any) -> FetchResult:
        self.asked.append(url)
        return FetchResult(200, self.body, None, None, url, "application/rss+xml")


@dataclasses.dataclass
class RecordingKafka:
    sent: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    async def send(self, topic: str, key: bytes, value: bytes) -> asyncio.Future[None]:
        self.sent.append(orjson.loads(value))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def poller(fetcher: MemoryFetcher, kafka: RecordingKafka, **changes: Any
           ) -> tuple[Poller, Metrics]:
    settings = dataclasses.replace(Settings(), **changes)
    metrics = Metrics(CollectorRegistry())
    return Poller(settings, metrics, cast(Fetcher, fetcher),
                  cast(AIOKafkaProducer, kafka)), metrics


async def published_per_poll(bodies: list[bytes] | Callable[[int], bytes], polls: int,
                             state: FeedState | None = None, **changes: Any) -> list[int]:
    fetcher, kafka = MemoryFetcher(), RecordingKafka()
    poll, _ = poller(fetcher, kafka, **changes)
    state = state or FeedState()
    counts = []
    for n in range(polls):
        fetcher.body = bodies(n) if callable(bodies) else bodies[n]
        counts.append((await poll.poll(FEED, state)).published)
    return counts


async def test_a_large_feed_is_published_once() -> None:
    body = rss(list(range(1500)))
    assert await published_per_poll([body] * 3, 3) == [1500, 0, 0]


async def test_a_pinned_entry_is_never_published_again() -> None:
    # One new story a poll, ten in the feed, the notice always on top; the memory
    # for entries gone from the feed is small, so the notice's keys are soon the oldest.
    counts = await published_per_poll(lambda n: rss(list(range(n, n + 10)), pinned=True), 40,
                                      checkpoint_entries_per_feed=24)
    assert counts == [11] + [1] * 39


async def test_a_short_fetch_between_full_ones_forgets_nothing() -> None:
    state = FeedState()
    bodies = [rss(list(range(500))), rss(list(range(491, 501))), rss(list(range(501)))]
    assert await published_per_poll(bodies, 3, state) == [500, 1, 0]


async def test_memory_stays_bounded_for_a_feed_that_keeps_going() -> None:
    state = FeedState()
    counts = await published_per_poll(lambda n: rss(list(range(n * 10, n * 10 + 20))), 150,
                                      state)
    assert counts == [20] + [10] * 149
    assert len(state.seen) == SEEN_FLOOR  # room for ten fetches of 20 keys, no more


def test_the_state_keeps_every_key_a_fetch_holds_up_to_the_ceiling() -> None:
    state = FeedState()
    keys = [(f"u{n}", f"g{n}") for n in range(SEEN_CEILING)]
    assert state.remember_fetch(keys, bound=200) == SEEN_CEILING
    assert len(state.seen) == SEEN_CEILING
    assert "u0" in state.seen and f"u{SEEN_CEILING - 1}" not in state.seen  # newest kept


def test_a_state_from_before_keeps_its_memory() -> None:
    # A state written before held_keys: its 1,000 keys are the feed's window, so a
    # short fetch does not cut them.
    old = orjson.dumps({"seen": [f"k{n}" for n in range(1000)]})
    state = FeedState.from_json(old, SEEN_CEILING)
    assert state.held_keys == 1000
    state.remember_fetch([("new-u", "new-g")], bound=2000)
    assert len(state.seen) == 1002
    assert FeedState.from_json(state.to_json(), SEEN_CEILING).held_keys == 1000


def constant_guid(slugs: list[str]) -> bytes:
    entries = "".join(f"<item><title>Council report {s}</title>"
                      f"<link>https://daily.example/council/{s}</link>"
                      f'<guid isPermaLink="false">0</guid></item>' for s in slugs)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Daily</title><link>https://daily.example/</link>{entries}"
            f"</channel></rss>").encode()


async def test_a_guid_shared_by_several_links_identifies_none_of_them() -> None:
    fetcher, kafka = MemoryFetcher(), RecordingKafka()
    poll, _ = poller(fetcher, kafka)
    state = FeedState()
    counts = []
    for slugs in (["a", "b"], ["c", "b", "a"], ["d"], ["d"]):
        fetcher.body = constant_guid(slugs)
        counts.append((await poll.poll(FEED, state)).published)
    assert counts == [2, 1, 1, 0]
    assert [a["url"].rsplit("/", 1)[1] for a in kafka.sent] == ["a", "b", "c", "d"]
    assert all("guid" not in a or a["guid"] is None for a in kafka.sent)  # dedup: no GUID
    restored = FeedState.from_json(state.to_json(), SEEN_CEILING)
    assert restored.shared_guids == state.shared_guids and len(state.shared_guids) == 1


async def test_a_feed_taken_over_shows_its_health_at_once() -> None:
    # Another instance polled it last; this one reads its state and waits until it is
    # due, hours from now. Its gauges must not read "never fetched" meanwhile.
    settings = Settings()
    metrics = Metrics(CollectorRegistry())
    service = ProducerService(settings, metrics)
    service._poller = Poller(settings, metrics, cast(Fetcher, MemoryFetcher()),
                             cast(AIOKafkaProducer, RecordingKafka()))
    service.partitions = {3}
    state = FeedState(last_poll_at=1_800_000_000.0, last_success_at=1_799_990_000.0,
                      last_new_entry_at=1_799_000_000.0, failures=2, status="failing",
                      next_poll_at=1_800_020_000.0, interval=3600.0)
    service.pending_states[FEED.id] = FeedState.from_json(state.to_json(), SEEN_CEILING)
    service._apply(ConsumerRecord(settings.topic("feeds"), 3, 0, 0, 0, FEED.id.encode(),
                                  FEED.to_json(), None, 0, 0, ()))
    assert FEED.id in service.owned
    sample = metrics.registry.get_sample_value
    labels = {"feed": FEED.id}
    assert sample("mediawatch_feed_last_success_timestamp_seconds", labels) == 1_799_990_000.0
    assert sample("mediawatch_feed_last_new_entry_timestamp_seconds", labels) == 1_799_000_000.0
    assert sample("mediawatch_feed_consecutive_failures", labels) == 2
    assert sample("mediawatch_feed_status", {**labels, "status": "failing"}) == 1


async def test_the_poll_interval_gauge_reads_the_schedule_not_the_backoff() -> None:
    # MediawatchFeedSilent compares the time since the last success with 3 intervals:
    # a gauge that grew with the backoff kept it quiet for hours of failures
    fetcher, kafka = MemoryFetcher(), RecordingKafka()
    poll, metrics = poller(fetcher, kafka)
    state = FeedState()
    fetcher.body = rss([1, 2])
    await poll.poll(FEED, state)
    interval = state.interval
    assert interval is not None
    fetcher.body = b"<html>this is not a feed</html>"
    for _ in range(6):
        outcome = await poll.poll(FEED, state)
        assert outcome.outcome not in ("ok", "not_modified")
    assert state.next_poll_at is not None and state.last_poll_at is not None
    assert state.next_poll_at - state.last_poll_at > 4 * interval  # backing off
    assert metrics.registry.get_sample_value(
        "mediawatch_feed_poll_interval_seconds", {"feed": FEED.id}) == interval
