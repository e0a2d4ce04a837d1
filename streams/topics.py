"""Every topic of the service, declared once (names from DESIGN.md, prefix from settings).

Payloads are raw bytes: agents decode them with ``streams.records.decode`` so that a
malformed message becomes a dead-letter record instead of a stopped stream.
"""

from __future__ import annotations

import logging
from asyncio import Future
from typing import Any

from aiokafka.errors import KafkaError
from faust.exceptions import ProducerSendError

from streams.app import app, settings
from streams.errors import MediawatchError
from streams.metrics import metrics
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


class PublishError(MediawatchError):
    """An output cannot be queued at all (e.g. a record larger than the producer's
    request size): the agent dead-letters its input with reason ``publish_error``."""


class SendFailed(MediawatchError):
    """A queued output failed at the broker. Raised by the producer's flush, before
    Faust commits the offsets consumed: the worker stops instead of committing inputs
    whose outputs are gone, and the next worker reads them again."""


_failed: list[tuple[str, BaseException]] = []


def _on_sent(topic: str, future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("send to %s failed: %r", topic, future.exception())
        _failed.append((topic, future.exception()))  # type: ignore[arg-type]


def check_sends() -> None:
    """Raise SendFailed when an output failed since the worker started."""
    if _failed:
        topic, exc = _failed[0]
        metrics().send_failures.labels(topic=topic).inc(len(_failed))
        raise SendFailed(f"send to {topic} failed ({type(exc).__name__}: {exc}); the "
                         "offsets of its input are not committed: stopping")


app.on_flush(check_sends)


async def publish(topic: Any, key: bytes, value: bytes,
                  headers: list[tuple[str, bytes]] | None = None) -> None:
    """Queue a message for ``topic`` on the app's producer, without Faust's per-message
    bookkeeping (``Topic.send``): the agents' outputs are the producer's, and Faust
    flushes the producer before it commits the offsets of the events that produced
    them, so an output is acknowledged before its input counts as processed. A send
    that fails later stops that commit (``check_sends``); one that cannot be queued
    raises PublishError at once."""
    name = topic.get_topic_name()
    try:
        future = await app.producer.send(name, key, value, None, None, headers)
    except (KafkaError, ProducerSendError) as exc:
        cause = exc.__cause__ if isinstance(exc, ProducerSendError) and exc.__cause__ else exc
        raise PublishError(f"cannot publish to {name}: {type(cause).__name__}: "
                           f"{cause}") from None
    future.add_done_callback(lambda f: _on_sent(name, f))  # type: ignore[attr-defined]
