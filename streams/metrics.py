"""Every Prometheus metric of the service, built in one container from a registry.

Processes use ``metrics()`` (the default registry, served on /metrics); tests build
``Metrics(CollectorRegistry())`` for a fresh, isolated set. Label values are bounded:
no URLs, titles or free text; country pairs (dyads) only from a configured watchlist,
the rest counted as ``other``.

Series that a dashboard or alert rule reads are created with value 0 when a process
starts (``init_producer_feed``, ``init_worker``), so a query returns data, and a rate
or an increase is right, before the first event of a kind happens. docs/metrics.md
lists every metric and its labels.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    make_wsgi_app,
)

from analysis.errors import MediawatchError
from analysis.gazetteer import is_country_code
from analysis.suppression import primary_language

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400)

# Known label values, created at start-up with value 0.
FETCH_OUTCOMES = ("ok", "not_modified", "http_error", "rate_limited", "server_error",
                  "timeout", "too_large", "redirect_error", "connection_error",
                  "address_refused", "parse_error", "publish_error")
ENTRY_OUTCOMES = ("published", "seen", "invalid")
ARTICLE_STAGES = ("raw", "unique", "tagged")
DEDUP_KINDS = ("new", "url", "guid", "content", "near", "replay", "merge", "expired")
STANCES = ("impose", "threaten", "condemn", "lift", "mention")
MODALITIES = ("call", "visit", "talks", "meeting")
LATENCY_SPANS = ("published_to_ingested", "ingested_to_tagged", "tagged_to_alerted",
                 "alerted_to_delivered")
DELIVERY_OUTCOMES = ("ok", "already_delivered", "rejected", "gave_up", "misconfigured",
                     "not_configured", "unconfirmed")
DEADLETTER_REASONS = {
    "articles": ("poison_message", "parse_error", "quarantine", "analysis_error",
                 "publish_error", "unknown_rule"),
    "alerts": ("poison_message", "rejected", "gave_up", "misconfigured", "publish_error",
               "unconfirmed"),
}
LAG_CHECK_OUTCOMES = ("ok", "error")
RULES_RELOAD_OUTCOMES = ("ok", "error")
OTHER = "other"


def dyad(parties: Sequence[str]) -> str:
    """The label of a country pair: alpha-2 codes sorted and joined, ``"CN-RU"``."""
    return "-".join(sorted(parties))


#: The languages a ``lang`` label takes; a feed may declare anything, a bounded label
#: set keeps the number of series bounded.
LANGUAGES = frozenset({"ar", "en", "es", "fr", "ru", "zh", "de", "fa", "tr", "uk", "ja", "ko",
                       "pt", "it", "hi", "ur", "he", "id", "pl", "nl"})


def language_label(lang: str | None) -> str:
    """A language code for a label: its primary subtag when known ("en-US" → ``en``),
    ``unknown`` when there is none, ``other`` for anything else."""
    if not lang:
        return "unknown"
    primary = primary_language(lang)
    return primary if primary in LANGUAGES else OTHER


def country_label(code: str) -> str:
    """An ISO 3166-1 alpha-2 code as it is, anything else as ``other``."""
    return code if is_country_code(code) else OTHER


class Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        # dyad labels counted under their own name (set by init_worker)
        self.watched_dyads: frozenset[str] = frozenset()
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
        self.dedup_index_articles = Gauge(
            "mediawatch_dedup_index_articles", "Articles held in this worker's story index.",
            registry=registry)
        self.dedup_index_bytes = Gauge(
            "mediawatch_dedup_index_bytes", "Memory of this worker's story index.",
            registry=registry)
        self.table_keys = Gauge(
            "mediawatch_table_keys",
            "Keys held in a state table of this worker (each expires after its window).",
            ["table"], registry=registry)
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
        self.shadow_alerts = Counter(
            "mediawatch_shadow_alerts_total",
            "Alerts a shadow rule would have emitted (after story suppression); never "
            "delivered.", ["rule", "severity"], registry=registry)
        self.rules_reloads = Counter(
            "mediawatch_rules_reloads_total",
            "Rules file reloads on SIGHUP: ok, or error (the rules in force are kept).",
            ["outcome"], registry=registry)
        self.deliveries = Counter(
            "mediawatch_deliveries_total", "Alert deliveries by route and outcome.",
            ["route", "outcome"], registry=registry)
        self.delivery_pending = Gauge(
            "mediawatch_delivery_pending_alerts",
            "Alerts this worker holds while their routes deliver (a route that is down "
            "holds its alerts until it recovers or their retry budget is spent).",
            registry=registry)
        self.alerts_put_back = Counter(
            "mediawatch_delivery_put_back_total",
            "Alerts still waiting on a route put back on the alerts topic when the worker "
            "stopped or gave partitions up.", registry=registry)
        self.send_failures = Counter(
            "mediawatch_send_failures_total",
            "Outputs the broker did not take; the worker stops without committing their "
            "inputs.", ["topic"], registry=registry)
        self.deadletters = Counter(
            "mediawatch_deadletter_records_total", "Records sent to a dead-letter topic.",
            ["topic", "reason"], registry=registry)
        self.stage_latency = Histogram(
            "mediawatch_stage_latency_seconds",
            "Latency between pipeline points (published→ingested, ingested→tagged, "
            "tagged→alerted, alerted→delivered).",
            ["span"], buckets=LATENCY_BUCKETS, registry=registry)
        # In every process, so that a span's first observations count in rate() and the
        # latency panels sum the spans of all processes.
        for span in LATENCY_SPANS:
            self.stage_latency.labels(span=span)
        self.bilateral_meetings = Counter(
            "mediawatch_bilateral_meetings_total",
            "Bilateral meetings detected, by watched dyad (MEDIAWATCH_WATCHED_DYADS; "
            "\"other\" for the rest).", ["dyad"], registry=registry)
        self.sanctions_by_country = Counter(
            "mediawatch_sanctions_rhetoric_countries_total",
            "Countries named in articles with sanctions rhetoric, by stance and ISO 3166-1 "
            "alpha-2 country.", ["stance", "country"], registry=registry)
        # consumer lag of the worker's consumer group (streams/lag.py)
        self.consumer_lag = Gauge(
            "mediawatch_consumer_lag_messages",
            "Messages between the consumer group's committed offset and the end of a "
            "partition it consumes.", ["topic", "partition"], registry=registry)
        self.consumer_lag_checks = Counter(
            "mediawatch_consumer_lag_checks_total", "Consumer-lag measurements by outcome.",
            ["outcome"], registry=registry)
        # feed producers: health, scheduling, group membership
        self.feed_status = Gauge(
            "mediawatch_feed_status", "1 for the feed's current health status (ok, silent, "
            "failing), 0 for the others.", ["feed", "status"], registry=registry)
        self.feed_silent = Counter(
            "mediawatch_feed_silent_reports_total",
            "Times a feed was found silent for longer than expected.", ["feed"],
            registry=registry)
        self.feed_entries_per_day = Gauge(
            "mediawatch_feed_entries_per_day", "New entries per day of a feed (last 7 days).",
            ["feed"], registry=registry)
        self.feed_interval = Gauge(
            "mediawatch_feed_poll_interval_seconds",
            "Adaptive poll interval of a feed (its backoff after failures not included).",
            ["feed"],
            registry=registry)
        self.feed_consecutive_failures = Gauge(
            "mediawatch_feed_consecutive_failures", "Failed polls of a feed in a row.",
            ["feed"], registry=registry)
        self.feed_last_new_entry = Gauge(
            "mediawatch_feed_last_new_entry_timestamp_seconds",
            "Unix time a feed last had a new entry.", ["feed"], registry=registry)
        self.feeds_owned = Gauge(
            "mediawatch_feeds_owned", "Feeds this producer instance polls.",
            registry=registry)
        self.feed_rebalances = Counter(
            "mediawatch_feed_rebalances_total",
            "Partitions of the feeds topic assigned to or revoked from this instance.",
            ["event"], registry=registry)
        self.article_pages = Counter(
            "mediawatch_article_page_fetches_total",
            "Article pages fetched for their main text, by outcome.", ["outcome"],
            registry=registry)


    # ------------------------------------------------------------ initial series
    def init_producer_feed(self, feed: str, interval_seconds: float | None = None) -> None:
        """Create a feed's series with value 0 (and its poll interval, when given).

        Idempotent and cheap: the producer may call it on every poll of the feed.
        """
        for outcome in FETCH_OUTCOMES:
            self.feed_fetches.labels(feed=feed, outcome=outcome)
        for outcome in ENTRY_OUTCOMES:
            self.feed_entries.labels(feed=feed, outcome=outcome)
        self.feed_fetch_duration.labels(feed=feed)
        if interval_seconds is not None:
            self.feed_interval.labels(feed=feed).set(interval_seconds)

    def forget_producer_feed(self, feed: str, statuses: Iterable[str]) -> None:
        """Drop every series of a feed this instance no longer polls (removed, or moved
        to another instance), so that 1,000 feeds come and gone leave no series."""
        single = (self.feed_interval, self.feed_consecutive_failures,
                  self.feed_entries_per_day, self.feed_last_new_entry,
                  self.feed_last_success, self.feed_silent, self.feed_fetch_duration)
        pairs = ((self.feed_fetches, FETCH_OUTCOMES), (self.feed_entries, ENTRY_OUTCOMES),
                 (self.feed_status, tuple(statuses)))
        for metric in single:
            with contextlib.suppress(KeyError):
                metric.remove(feed)
        for metric, values in pairs:
            for value in values:
                with contextlib.suppress(KeyError):
                    metric.remove(feed, value)

    def init_worker(
        self,
        *,
        languages: Iterable[str],
        deadletter_topics: Iterable[tuple[str, str]],
        watched_dyads: Iterable[str],
        watched_countries: Iterable[str],
        tables: Iterable[str] = (),
    ) -> None:
        """Create the worker's series with value 0 (those of the rules: ``init_rules``).

        ``deadletter_topics`` are (kind, full topic name) pairs, kind ``articles`` or
        ``alerts``.
        """
        for stage in ("unique", "tagged"):
            for lang in (*languages, "unknown", OTHER):
                self.articles.labels(stage=stage, lang=lang)
        for kind in DEDUP_KINDS:
            self.dedup_outcomes.labels(kind=kind)
        for table in tables:
            self.table_keys.labels(table=table)
        for modality in MODALITIES:
            self.events.labels(type="bilateral_meeting", modality=modality)
        countries = sorted(set(watched_countries))
        for stance in STANCES:
            self.sanctions.labels(stance=stance)
            for country in countries:
                self.sanctions_by_country.labels(stance=stance, country=country)
        self.watched_dyads = frozenset(watched_dyads)
        for name in (*sorted(self.watched_dyads), OTHER):
            self.bilateral_meetings.labels(dyad=name)
        for outcome in RULES_RELOAD_OUTCOMES:
            self.rules_reloads.labels(outcome=outcome)
        for kind, topic in deadletter_topics:
            for reason in DEADLETTER_REASONS[kind]:
                self.deadletters.labels(topic=topic, reason=reason)
        for outcome in LAG_CHECK_OUTCOMES:
            self.consumer_lag_checks.labels(outcome=outcome)

    def init_rules(self, rules: Iterable[tuple[str, str]],
                   shadow_rules: Iterable[tuple[str, str]], routes: Iterable[str]) -> None:
        """Create the series of the rules in force, (name, severity) pairs, and of their
        routes (at start-up and after a reload)."""
        for rule, severity in rules:
            self.alerts.labels(rule=rule, severity=severity)
        for rule, severity in shadow_rules:
            self.shadow_alerts.labels(rule=rule, severity=severity)
        for route in routes:
            for outcome in DELIVERY_OUTCOMES:
                self.deliveries.labels(route=route, outcome=outcome)

    # ------------------------------------------------------------ bounded labels
    def count_meeting(self, parties: Sequence[str]) -> None:
        """Count a bilateral meeting under its dyad when watched, else under ``other``."""
        name = dyad(parties)
        self.bilateral_meetings.labels(
            dyad=name if name in self.watched_dyads else OTHER).inc()

    def count_sanctions(self, stance: str, countries: Iterable[str]) -> None:
        """Count the countries named by an article with sanctions rhetoric."""
        for country in sorted({country_label(c) for c in countries}):
            self.sanctions_by_country.labels(stance=stance, country=country).inc()


@functools.cache
def metrics() -> Metrics:
    """The process-wide metrics on the default registry."""
    return Metrics(REGISTRY)


class Health:
    """What /healthz and /readyz answer. Live while the process serves at all; ready
    once its main loop has started (the worker: partitions assigned and tables
    recovered; a producer: in its group, feeds loaded), not ready again while it stops
    or rebalances."""

    def __init__(self) -> None:
        self.ready = False
        self.reason = "starting"

    def set(self, ready: bool, reason: str) -> None:
        self.ready, self.reason = ready, reason


HEALTH = Health()


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Probes every few seconds: not worth a log line each."""


def _app(metrics_app: Callable[..., Any]) -> Callable[..., Any]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        if path == "/readyz":
            status = "200 OK" if HEALTH.ready else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain")])
            return [f"{'ready' if HEALTH.ready else 'not ready'}: {HEALTH.reason}\n".encode()]
        return metrics_app(environ, start_response)
    return app


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Serve /metrics, /healthz (liveness) and /readyz (readiness) on ``host``:``port``
    (port 0 disables)."""
    if port:
        try:
            server = make_server(host, port, _app(make_wsgi_app(REGISTRY)), _Server,
                                 handler_class=_Quiet)
        except OSError as exc:
            raise MediawatchError(f"the metrics endpoint cannot listen on {host}:{port} "
                                  f"({exc.strerror}): set MEDIAWATCH_METRICS_PORT to a "
                                  "free port") from None
        threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
        log.info("metrics on http://%s:%d/metrics (and /healthz, /readyz)", host, port)
