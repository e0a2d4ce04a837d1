"""Topic administration with aiokafka: create the service's topics before use."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError

from streams.settings import Settings

log = logging.getLogger(__name__)


async def wait_for_broker(settings: Settings, timeout: float = 60.0) -> None:
    """Return once the broker answers a metadata request; raise after ``timeout``."""
    deadline = time.monotonic() + timeout
    delay = 0.1
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers,
                                    request_timeout_ms=5000)
        try:
            await admin.start()
            await admin.list_topics()
            return
        except (KafkaConnectionError, KafkaError, OSError) as exc:
            if time.monotonic() > deadline:
                raise ConnectionError(
                    f"Kafka at {settings.broker_url} is not reachable: {exc}"
                ) from None
        finally:
            await admin.close()
        await asyncio.sleep(delay)
        delay = min(delay * 2, 2.0)


async def _create_missing(settings: Settings, names: tuple[str, ...], partitions: int,
                          configs: dict[str, str] | None = None) -> None:
    await wait_for_broker(settings)
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [
            NewTopic(settings.topic(n), partitions, settings.replication_factor,
                     topic_configs=dict(configs or {}))
            for n in names
            if settings.topic(n) not in existing
        ]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(wanted)
            log.info("created topics %s", ", ".join(t.name for t in wanted))
    finally:
        await admin.close()


async def ensure_topics(settings: Settings, names: tuple[str, ...]) -> None:
    """Create the named topics (with the prefix) when they do not exist yet."""
    await _create_missing(settings, names, settings.partitions)


async def ensure_compacted_topics(settings: Settings, names: tuple[str, ...],
                                  partitions: int) -> None:
    """Create the named topics (with the prefix) with ``cleanup.policy=compact``."""
    await _create_missing(settings, names, partitions, {
        "cleanup.policy": "compact",
        "min.cleanable.dirty.ratio": "0.1",
        "segment.ms": str(6 * 3600 * 1000),
    })
