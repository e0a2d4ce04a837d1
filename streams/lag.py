"""Consumer lag of the worker's consumer group, measured periodically for /metrics.

Every ``MEDIAWATCH_LAG_INTERVAL_SECONDS`` the worker asks the broker for the group's
committed offsets and for the end offsets of every partition of the topics its agents
consume, and sets ``mediawatch_consumer_lag_messages{topic, partition}`` to the
difference. A partition without a committed offset yet counts from its beginning
offset (the worker reads from the earliest message), so the gauge exists, with value 0
on an empty topic, from the first measurement on. The measurement asks the broker, not
the worker's own fetch state, so it is right for every partition of the group whichever
worker instance owns it; several instances report the same values (take ``max``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from mode import Service

from streams.metrics import Metrics
from streams.settings import Settings

log = logging.getLogger(__name__)


def lag(
    committed: Mapping[TopicPartition, int],
    beginning: Mapping[TopicPartition, int],
    end: Mapping[TopicPartition, int],
) -> dict[TopicPartition, int]:
    """Messages not yet committed per partition of ``end`` (never negative)."""
    result = {}
    for tp, end_offset in end.items():
        start = committed.get(tp)
        if start is None or start < 0:
            start = beginning.get(tp, 0)
        result[tp] = max(0, end_offset - start)
    return result


class ConsumerLagMonitor(Service):
    """A worker service that exports the consumer group's lag as a gauge."""

    def __init__(self, settings: Settings, metrics: Metrics, group_id: str,
                 topics: Iterable[str], **kwargs: object) -> None:
        self.settings = settings
        self.metrics = metrics
        self.group_id = group_id
        self.topics = tuple(sorted(set(topics)))
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None
        super().__init__(**kwargs)  # type: ignore[arg-type]

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None:
            admin = AIOKafkaAdminClient(**self.settings.kafka_options(),
                                        client_id=f"{self.group_id}-lag")
            await admin.start()
            self._admin = admin
        if self._consumer is None:
            consumer = AIOKafkaConsumer(**self.settings.kafka_options(),
                                        group_id=None, enable_auto_commit=False,
                                        client_id=f"{self.group_id}-lag")
            await consumer.start()
            self._consumer = consumer
        return self._admin, self._consumer

    async def _close(self) -> None:
        admin, consumer = self._admin, self._consumer
        self._admin = self._consumer = None
        if consumer is not None:
            await consumer.stop()
        if admin is not None:
            await admin.close()

    async def measure(self) -> dict[TopicPartition, int]:
        """Measure the lag of every partition of the topics and set the gauge."""
        admin, consumer = await self._clients()
        partitions = []
        for topic in await admin.describe_topics(list(self.topics)):
            if topic.get("error_code"):
                continue
            name = topic["topic"]
            partitions += [TopicPartition(name, p["partition"]) for p in topic["partitions"]]
        if not partitions:
            return {}
        offsets = await admin.list_consumer_group_offsets(self.group_id, partitions=partitions)
        committed = {tp: meta.offset for tp, meta in offsets.items()}
        missing = [tp for tp in partitions if committed.get(tp, -1) < 0]
        beginning = await consumer.beginning_offsets(missing) if missing else {}
        end = await consumer.end_offsets(partitions)
        measured = lag(committed, beginning, end)
        for tp, value in measured.items():
            self.metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(
                value)
        return measured

    @Service.task
    async def _measure_periodically(self) -> None:
        while not self.should_stop:
            try:
                await self.measure()
            except (KafkaError, OSError) as exc:
                self.metrics.consumer_lag_checks.labels(outcome="error").inc()
                log.warning("consumer lag of %s not measured: %s", self.group_id, exc)
                await self._close()
            else:
                self.metrics.consumer_lag_checks.labels(outcome="ok").inc()
            await self.sleep(self.settings.lag_interval_seconds)

    async def on_stop(self) -> None:
        await self._close()
