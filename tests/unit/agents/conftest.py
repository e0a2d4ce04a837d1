"""Each stage's agent run alone with Faust's ``agent.test_context()``: events are put
on the agent's own in-memory channel, and what the agent sends is kept by a producer
that records instead of producing (no broker: the integration tests run the same
agents against a real one)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from faust.types import TP, RecordMetadata

import agents
from analysis.dedup import StoryIndex
from analysis.rules import RuleSet, parse_rules
from streams.app import app


@dataclass(frozen=True)
class Sent:
    topic: str
    key: bytes | None
    value: bytes | None
    headers: Any

    def json(self) -> dict[str, Any]:
        assert self.value is not None
        data = orjson.loads(self.value)
        assert isinstance(data, dict)
        return data


@dataclass
class RecordingProducer:
    """What the app's producer was asked to send, in order. Table changelog writes
    (``send_soon``) are kept apart: they are the tables' business."""

    sent: list[Sent] = field(default_factory=list)
    changelog: list[Any] = field(default_factory=list)
    started: bool = True

    async def maybe_start(self) -> None:
        return None

    async def send(self, topic: str, key: bytes | None, value: bytes | None,
                   partition: int | None, timestamp: float | None, headers: Any,
                   *, transactional_id: str | None = None) -> asyncio.Future[RecordMetadata]:
        self.sent.append(Sent(topic, key, value, headers))
        future: asyncio.Future[RecordMetadata] = asyncio.get_running_loop().create_future()
        future.set_result(RecordMetadata(topic=topic, partition=partition or 0,
                                         topic_partition=TP(topic, partition or 0),
                                         offset=len(self.sent) - 1, timestamp=timestamp,
                                         timestamp_type=0))
        return future

    async def send_and_wait(self, *args: Any, **kwargs: Any) -> RecordMetadata:
        return await (await self.send(*args, **kwargs))

    def send_soon(self, fut: Any) -> None:
        self.changelog.append(fut)

    async def flush(self) -> None:
        return None

    def to(self, topic: Any) -> list[Sent]:
        """What was sent to ``topic`` (a topic of ``streams.topics``)."""
        name = topic.get_topic_name()
        return [s for s in self.sent if s.topic == name]


TEST_RULES = (
    "rules:\n"
    "  - name: meetings\n    severity: high\n    routes: [console]\n"
    "    when: {event: bilateral_meeting}\n"
    "    suppression: {window_hours: 48, renotify: {sources_at: [3]}}\n"
    "  - name: watched\n    shadow: true\n    routes: [console]\n"
    "    when: {event: sanctions_rhetoric}\n"
)


@pytest.fixture(scope="session")
def stages() -> None:
    """The stages set up as the worker sets them up (once per process: the app is one)."""
    agents.register()


@pytest.fixture
def rules(stages: None) -> Iterator[RuleSet]:
    """The test's rules in force; the stage's own come back afterwards."""
    from agents.alert import alerting

    active = alerting().rules
    before = active.ruleset
    ruleset = parse_rules(TEST_RULES)
    active.set(ruleset)
    yield ruleset
    active.set(before)


@pytest.fixture
def producer(stages: None) -> Iterator[RecordingProducer]:
    before = app._producer
    recording = RecordingProducer()
    app.producer = recording  # type: ignore[assignment]
    yield recording
    app.producer = before  # type: ignore[assignment]


@pytest.fixture
def empty_index(stages: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty story index, counted as read (the worker reads the dedup.index topic
    before its first article)."""
    from agents import dedup

    monkeypatch.setattr(dedup, "index", StoryIndex(dedup.index.config))
    dedup.index_loaded.set()
