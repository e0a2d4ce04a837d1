"""Keep a Faust table bounded in time.

A table key can only be changed from an event of the partition it was written from
(its changelog partition), so expiry runs inside stream iteration: each agent notes
the keys it writes and, for every event it handles, drops the keys of that partition
last written more than ``ttl_seconds`` ago. After a restart the notes are rebuilt from
the changelog as the table recovers.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Any

import orjson
from faust.types import EventT

from streams.metrics import metrics


async def put(table: Any, key: str, value: Any, partition: int) -> None:
    """``table[key] = value`` (``del table[key]`` for None) from outside stream iteration
    (a delivery lane), with the
    changelog record on ``partition`` (the partition of the event the key belongs to,
    which Faust would otherwise take from the current event). Returns once the broker
    has the changelog record: sent at once, not through the producer's buffer, whose
    flush polls in 0.1 s steps."""
    if value is None:  # a deletion: a tombstone in the changelog
        table.data.pop(key, None)
        sent = await table.changelog_topic.send(
            key=key, value=None, partition=partition,
            key_serializer=table.key_serializer, value_serializer="raw")
    else:
        table.data[key] = value
        sent = await table.changelog_topic.send(
            key=key, value=value, partition=partition,
            key_serializer=table.key_serializer, value_serializer=table.value_serializer)
    await sent


class Retention:
    def __init__(self, ttl_seconds: float, *, sweep_limit: int = 64,
                 table: str | None = None) -> None:
        self.ttl_seconds = ttl_seconds
        self.sweep_limit = sweep_limit
        self.table = table  # its keys held are exported as mediawatch_table_keys
        self._queues: dict[int, deque[tuple[float, str]]] = defaultdict(deque)
        self._written: dict[str, float] = {}
        self._gauge: Any = None

    def _report(self) -> None:
        if self.table is None:
            return
        if self._gauge is None:
            self._gauge = metrics().table_keys.labels(table=self.table)
        self._gauge.set(len(self._written))

    def __len__(self) -> int:
        return len(self._written)

    def touch(self, key: str, partition: int, at: float | None = None) -> None:
        """Note that ``key`` was written from ``partition`` at ``at`` (default: now)."""
        at = time.time() if at is None else at
        self._written[key] = at
        self._queues[partition].append((at, key))
        self._report()

    async def on_changelog_event(self, event: EventT[Any]) -> None:
        """Table callback while recovering: note every key the changelog holds."""
        message = event.message
        try:
            key = orjson.loads(message.key) if message.key is not None else None
        except orjson.JSONDecodeError:
            return
        if not isinstance(key, str):
            return
        if message.value is None:
            self._written.pop(key, None)
            self._report()
        else:
            self.touch(key, message.partition, message.timestamp)  # Faust: seconds

    def sweep(self, table: Any, partition: int, now: float | None = None) -> int:
        """Delete up to ``sweep_limit`` expired keys of ``partition``; returns how many.
        Call it from an event of that partition."""
        queue = self._queues.get(partition)
        now = time.time() if now is None else now
        dropped = 0
        while queue and dropped < self.sweep_limit and now - queue[0][0] > self.ttl_seconds:
            at, key = queue.popleft()
            if self._written.get(key) != at:
                continue  # written again since: a later note covers it
            del self._written[key]
            if key in table:
                del table[key]
            dropped += 1
        if dropped:
            self._report()
        return dropped
