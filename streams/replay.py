"""``mediawatch deadletter replay``: send dead-lettered alerts again.

A route that rejected an alert or gave up on it wrote the alert's CloudEvent to
``alerts.deadletter`` with the route's name. Replaying publishes that CloudEvent to
``alerts`` again with its ``routes`` narrowed to the route that failed, so the delivery
agent sends it there once (its ``delivered-alerts`` table still skips an alert version a
route already took) and the other routes are not touched. Downstream consumers of
``alerts`` see the event id once more, as CloudEvents allow.

Each dead letter is replayed once: the command reads ``alerts.deadletter`` in its own
consumer group from where the previous replay stopped up to the end at its start, and
commits after the replayed alerts are written. Poison messages (an input that is no
alert) and dead letters without a route are counted and left alone. A replay of some
routes only (``--route``) writes the dead letters of the other routes again at the end
of the topic, where the next replay finds them: committing past them lost them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.admin import wait_for_broker
from streams.cloudevents import KAFKA_CONTENT_TYPE
from streams.settings import Settings
from streams.topic_names import ALERTS, ALERTS_DEADLETTER

__all__ = ["REPLAYABLE_REASONS", "REPLAY_HEADER", "ReplayReport", "replay", "replay_event"]

#: Dead-letter reasons of a delivery route (agents.deliver): the alert can be sent again.
REPLAYABLE_REASONS = frozenset({"rejected", "gave_up", "misconfigured", "unconfirmed"})

#: Header of a replayed alert: sent even when an earlier attempt may have reached the
#: route (an ``unconfirmed`` dead letter: the operator asked for it).
REPLAY_HEADER = "mediawatch-replay"


@dataclass
class ReplayReport:
    """What a replay did: alerts sent again per route, dead letters left alone per reason."""

    replayed: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)  # other routes': for a later replay
    asked: set[str] = field(default_factory=set)  # the routes asked for, if any

    def summary(self) -> str:
        sent = ", ".join(f"{route} {n}" for route, n in sorted(self.replayed.items()))
        left = ", ".join(f"{reason} {n}" for reason, n in sorted(self.skipped.items()))
        line = (f"replayed {sum(self.replayed.values())} alert(s)"
                f"{f' ({sent})' if sent else ''}; left alone {sum(self.skipped.values())}"
                f"{f' ({left})' if left else ''}")
        if self.kept:
            kept = ", ".join(f"{route} {n}" for route, n in sorted(self.kept.items()))
            line += f"; kept for a later replay {sum(self.kept.values())} ({kept})"
        if absent := sorted(self.asked - set(self.replayed)):
            line += (f"; no dead letter of route(s) {', '.join(absent)} (dead letters "
                     f"of: {', '.join(sorted(set(self.kept))) or 'no other route'})")
        return line


def replay_event(record: dict[str, Any], routes: set[str] | None = None
                 ) -> tuple[dict[str, Any] | None, str]:
    """The CloudEvent to publish again for one dead-letter ``record`` (its ``routes``
    narrowed to the failed route), or None; and the route, or why it is left alone."""
    reason = str(record.get("reason"))
    if reason not in REPLAYABLE_REASONS:
        return None, reason
    route = record.get("route")
    if not isinstance(route, str) or not route:
        return None, "no_route"
    if routes is not None and route not in routes:
        return None, "other_route"
    try:
        event = orjson.loads(record.get("value") or "")
    except orjson.JSONDecodeError:
        return None, "not_an_alert"
    if not isinstance(event, dict) or not isinstance(event.get("data"), dict):
        return None, "not_an_alert"
    return {**event, "data": {**event["data"], "routes": [route]}}, route


async def replay(settings: Settings, routes: set[str] | None = None) -> ReplayReport:
    """Replay the dead letters written since the last replay (see the module docstring)."""
    await wait_for_broker(settings)  # BrokerUnreachableError: one line, no traceback
    source = settings.topic(ALERTS_DEADLETTER)
    report = ReplayReport(asked=set(routes or ()))
    consumer = AIOKafkaConsumer(**settings.kafka_options(),
                                group_id=f"{settings.app_id}-deadletter-replay",
                                enable_auto_commit=False, auto_offset_reset="earliest")
    producer = AIOKafkaProducer(**settings.kafka_options(), acks="all",
                                enable_idempotence=True)
    await consumer.start()
    await producer.start()
    try:
        # the producer fetches the topic's metadata (waits for it if it is new)
        partitions = [TopicPartition(source, p)
                      for p in sorted(await producer.partitions_for(source))]
        if not partitions:
            return report
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if await consumer.position(tp) < ends[tp]}
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batch.items():
                for message in records:
                    if message.offset >= ends[tp]:
                        continue
                    try:
                        record = orjson.loads(message.value or b"")
                    except orjson.JSONDecodeError:
                        report.skipped["unreadable"] += 1
                        continue
                    event, outcome = replay_event(record if isinstance(record, dict) else {},
                                                  routes)
                    if outcome == "other_route":  # kept: written again after the end
                        await producer.send(source, message.value, key=message.key,
                                            headers=list(message.headers or ()))
                        report.kept[str(record.get("route"))] += 1
                        continue
                    if event is None:
                        report.skipped[outcome] += 1
                        continue
                    await producer.send(settings.topic(ALERTS), orjson.dumps(event),
                                        key=message.key,
                                        headers=[KAFKA_CONTENT_TYPE, (REPLAY_HEADER, b"1")])
                    report.replayed[outcome] += 1
            for tp in list(remaining):
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
        await producer.flush()
        await consumer.commit({tp: ends[tp] for tp in partitions})
    finally:
        await producer.stop()
        await consumer.stop()
    return report
