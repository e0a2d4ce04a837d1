"""Every Prometheus metric of the service, built in one container from a registry.

Processes use ``metrics()`` (the default registry, served on /metrics); tests build
``Metrics(CollectorRegistry())`` for a fresh, isolated set. Label values are bounded:
no URLs, titles or free text.
"""

from __future__ import annotations

import functools
import logging

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    start_http_server,
)

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400)


class Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        # feeds
        self.feed_fetches = Counter(
            "mediawatch_feed_fetches_total", "Feed fetches by outcome.",
            ["feed", "outcome"], registry=registry)
        self.feed_entries = Counter(
            "mediawatch_feed_entries_total", "Feed entries by what became of them "
            "(published, seen, invalid).", ["feed", "outcome"], registry=registry)
        self.feed_last_success = Gauge(
            "mediawatch_feed_last_success_timestamp_seconds",
            "Unix time of the last successful fetch of a feed.", ["feed"], registry=registry)
        self.feed_fetch_duration = Histogram(
            "mediawatch_feed_fetch_duration_seconds", "Duration of one feed fetch.",
            ["feed"], registry=registry)
        # pipeline
        self.articles = Counter(
            "mediawatch_articles_total", "Articles leaving a stage, by stage and language.",
            ["stage", "lang"], registry=registry)
        self.dedup_outcomes = Counter(
            "mediawatch_dedup_outcomes_total", "Deduplication outcomes by kind.",
            ["kind"], registry=registry)
        self.events = Counter(
            "mediawatch_events_total", "Detected events by type and modality.",
            ["type", "modality"], registry=registry)
        self.sanctions = Counter(
            "mediawatch_sanctions_rhetoric_total", "Articles with sanctions rhetoric by stance.",
            ["stance"], registry=registry)
        self.region_tags = Counter(
            "mediawatch_region_tags_total", "Region tags given to articles.",
            ["region"], registry=registry)
        self.alerts = Counter(
            "mediawatch_alerts_total", "Alerts emitted by rule and severity.",
            ["rule", "severity"], registry=registry)
        self.deliveries = Counter(
            "mediawatch_deliveries_total", "Alert deliveries by route and outcome.",
            ["route", "outcome"], registry=registry)
        self.deadletters = Counter(
            "mediawatch_deadletter_records_total", "Records sent to a dead-letter topic.",
            ["topic", "reason"], registry=registry)
        self.stage_latency = Histogram(
            "mediawatch_stage_latency_seconds",
            "Latency between pipeline points (published→ingested, ingested→tagged, "
            "tagged→alerted, alerted→delivered).",
            ["span"], buckets=LATENCY_BUCKETS, registry=registry)


@functools.cache
def metrics() -> Metrics:
    """The process-wide metrics on the default registry."""
    return Metrics(REGISTRY)


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Serve /metrics on ``host``:``port`` (port 0 disables)."""
    if port:
        start_http_server(port, addr=host)
        log.info("metrics on http://%s:%d/metrics", host, port)
