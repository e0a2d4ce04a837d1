"""Route a message that cannot be processed to a dead-letter topic, count and log it."""

from __future__ import annotations

import base64
import hashlib
import logging
from datetime import UTC, datetime
from typing import Any

import orjson
from faust.types import EventT, TopicT

from streams.metrics import metrics

log = logging.getLogger(__name__)


#: A dead-letter record carries at most this much of the original value: a record near
#: the broker's size limit would not fit again with the reason around it. The origin
#: (topic[partition]@offset), the size and the SHA-256 identify the whole.
MAX_VALUE_BYTES = 256 * 1024


def _payload(value: bytes | None) -> dict[str, Any]:
    if value is None:
        return {"value": None}
    extra: dict[str, Any] = {}
    if len(value) > MAX_VALUE_BYTES:
        extra = {"value_truncated": True, "value_bytes": len(value),
                 "value_sha256": hashlib.sha256(value).hexdigest()}
        value = value[:MAX_VALUE_BYTES]
    try:
        return {"value": value.decode("utf-8"), **extra}
    except UnicodeDecodeError:
        if extra:  # cut inside a character: keep what decodes
            return {"value": value.decode("utf-8", "ignore"), **extra}
        return {"value_base64": base64.b64encode(value).decode("ascii")}


async def dead_letter(
    topic: TopicT, event: EventT[Any], reason: str, error: str, **extra: Any
) -> None:
    """Send ``event``'s message with the reason to ``topic``; the stream goes on."""
    message = event.message
    origin = f"{message.topic}[{message.partition}]@{message.offset}"
    record = {
        "reason": reason,
        "error": error,
        "origin": {"topic": message.topic, "partition": message.partition,
                   "offset": message.offset},
        "key": message.key.decode("utf-8", "replace") if message.key else None,
        "dead_lettered_at": datetime.now(UTC).isoformat(),
        **_payload(message.value),
        **extra,
    }
    await topic.send(key=message.key, value=orjson.dumps(record))
    metrics().deadletters.labels(topic=topic.get_topic_name(), reason=reason).inc()
    log.warning("dead-lettered %s to %s: %s: %s", origin, topic.get_topic_name(), reason,
                error, extra={"topic": message.topic, "partition": message.partition,
                              "offset": message.offset, "route": extra.get("route"),
                              "alert_id": extra.get("alert_id")})
