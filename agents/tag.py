"""Stage 2: run the analysis core over an article (called by agents.articles;
``tag_article`` is ``streams.article_path.tag_article``).

A new story → articles.tagged (key: story id).
"""

from __future__ import annotations

import logging
from typing import Any

from streams.article_path import tag_article
from streams.metrics import language_label, metrics

__all__ = ["count", "tag_article"]

log = logging.getLogger(__name__)


def count(tagged: dict[str, Any]) -> None:
    m = metrics()
    m.articles.labels(stage="tagged", lang=language_label(tagged["lang"])).inc()
    for region in tagged["regions"]:
        m.region_tags.labels(region=region).inc()
    for event in tagged["events"]:
        m.events.labels(type=event["type"], modality=event.get("modality") or "none").inc()
        if event["type"] == "bilateral_meeting" and len(event.get("parties") or ()) == 2:
            m.count_meeting(event["parties"])
    sanctions = tagged["sanctions_rhetoric"]
    if sanctions.get("present"):
        m.sanctions.labels(stance=sanctions.get("stance") or "mention").inc()
        m.count_sanctions(sanctions.get("stance") or "mention", tagged["countries"])
    m.stage_latency.labels(span="ingested_to_tagged").observe(
        max(0.0, (tagged["tagged_at"] - tagged["article"]["fetched_at"]).total_seconds()))
