"""Alerts as CloudEvents 1.0 structured-mode JSON: the contract with downstream consumers.

The ``data`` member follows deploy/schemas/alert.schema.json.
"""

from __future__ import annotations

from typing import Any

from streams.errors import PoisonMessageError
from streams.records import Alert

SPEC_VERSION = "1.0"
EVENT_TYPE = "org.mediawatch.alert.v1"
EVENT_SOURCE = "urn:mediawatch:alerts"
DATA_SCHEMA = "urn:mediawatch:schema:alert:1"
#: The Kafka header of a structured-mode CloudEvent (Kafka protocol binding, 3.2): a
#: consumer that reads the binding by the book takes a record without it for binary
#: mode and looks for ce_ headers.
KAFKA_CONTENT_TYPE = ("content-type", b"application/cloudevents+json; charset=UTF-8")


def alert_event(alert: Alert) -> dict[str, Any]:
    """The CloudEvent carrying ``alert``; its id is unique per alert id and version."""
    return {
        "specversion": SPEC_VERSION,
        "id": f"{alert.alert_id}.{alert.version}",
        "source": EVENT_SOURCE,
        "type": EVENT_TYPE,
        "subject": alert.story_id,
        "time": alert.created_at.isoformat(),
        "datacontenttype": "application/json",
        "dataschema": DATA_SCHEMA,
        "data": alert.asdict(),
    }


def alert_from_event(event: Any) -> Alert:
    """The Alert inside a decoded CloudEvent, or PoisonMessageError."""
    if not isinstance(event, dict) or event.get("specversion") != SPEC_VERSION:
        raise PoisonMessageError("not a CloudEvents 1.0 structured-mode event")
    if event.get("type") != EVENT_TYPE or not isinstance(event.get("data"), dict):
        raise PoisonMessageError(f"unexpected event type {event.get('type')!r}")
    data = dict(event["data"])
    data.pop("__faust", None)
    try:
        return Alert.from_data(data)
    except (TypeError, ValueError, KeyError) as exc:
        raise PoisonMessageError(f"not a valid Alert: {exc}") from None
