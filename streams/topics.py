"""Every topic of the service, declared once (names from DESIGN.md, prefix from settings).

Payloads are raw bytes: agents decode them with ``streams.records.decode`` so that a
malformed message becomes a dead-letter record instead of a stopped stream.
"""

from __future__ import annotations

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
