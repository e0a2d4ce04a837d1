"""Every topic of the service, declared once (names from DESIGN.md, prefix from settings).

Payloads are raw bytes: agents decode them with ``streams.records.decode`` so that a
malformed message becomes a dead-letter record instead of a stopped stream.
"""

from __future__ import annotations

import logging
from asyncio import Future
from typing import Any

from streams.app import app, settings
from streams.topic_names import (
    ALERTS,
    ALERTS_CANDIDATES,
    ALERTS_DEADLETTER,
    ARTICLES_COPIES,
    ARTICLES_DEADLETTER,
    ARTICLES_RAW,
    ARTICLES_TAGGED,
    ARTICLES_UNIQUE,
    DEDUP_INDEX,
)


def _topic(name: str):  # type: ignore[no-untyped-def]
    return app.topic(
        settings.topic(name),
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.partitions,
        replicas=settings.replication_factor,
    )


articles_raw = _topic(ARTICLES_RAW)
articles_unique = _topic(ARTICLES_UNIQUE)
articles_tagged = _topic(ARTICLES_TAGGED)
articles_deadletter = _topic(ARTICLES_DEADLETTER)
articles_copies = _topic(ARTICLES_COPIES)
dedup_index = _topic(DEDUP_INDEX)
alerts_candidates = _topic(ALERTS_CANDIDATES)
alerts = _topic(ALERTS)
alerts_deadletter = _topic(ALERTS_DEADLETTER)

log = logging.getLogger(__name__)


def _on_sent(topic: str, future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("send to %s failed: %r", topic, future.exception())


async def publish(topic: Any, key: bytes, value: bytes,
                  headers: list[tuple[str, bytes]] | None = None) -> None:
    """Queue a message for ``topic`` on the app's producer, without Faust's per-message
    bookkeeping (``Topic.send``): the agents' outputs are the producer's, and Faust
    flushes the producer before it commits the offsets of the events that produced
    them, so an output is acknowledged before its input counts as processed."""
    name = topic.get_topic_name()
    future = await app.producer.send(name, key, value, None, None, headers)
    future.add_done_callback(lambda f: _on_sent(name, f))  # type: ignore[attr-defined]
