"""Stage 4: deliver each alert version to its routes: console, Slack, signed webhooks.

alerts → routes; alerts.deadletter when a route rejects an alert or gives up. A route
that accepted an alert version is recorded in a table (changelog-backed) before the
offset is committed, and is never sent that version again, across crashes and restarts.
"""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson

from agents.alert import RULES
from agents.deadletter import dead_letter
from agents.retention import Retention
from analysis.rules import Route
from streams.app import app, settings
from streams.cloudevents import alert_from_event
from streams.delivery import RetryingSender, SignedWebhook, SlackWebhook, console_line
from streams.errors import (
    DeliveryRejected,
    MediawatchError,
    PoisonMessageError,
    RetryableError,
)
from streams.metrics import metrics
from streams.records import Alert
from streams.topics import alerts, alerts_deadletter

log = logging.getLogger(__name__)

# "<alert id>.<version>/<route>" → unix time delivered. Keys share the story's partition.
DELIVERED_RETENTION = Retention(settings.dedup_window_seconds, table="delivered-alerts")
delivered = app.Table(
    "delivered-alerts", default=None, partitions=settings.partitions,
    key_type=str, value_type=float,
    on_changelog_event=DELIVERED_RETENTION.on_changelog_event,
)

_senders: dict[str, RetryingSender | None] = {}


class RouteError(MediawatchError):
    """A route of the rules cannot be built: unknown, or a secret file missing or empty."""


def _read_secret(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise RouteError(f"{what} {path!r} cannot be read: {exc.strerror}") from None


def _build_sender(name: str) -> RetryingSender | None:
    options = {"timeout": settings.delivery_timeout_seconds,
               "max_attempts": settings.delivery_max_attempts,
               "max_retry_after": settings.delivery_max_retry_after_seconds}
    if name == "slack":
        url = settings.slack_url()
        return SlackWebhook(url, **options) if url else None
    route: Route | None = RULES.routes.get(name)
    if route is None:
        raise RouteError(f"route {name!r} is not defined in the rules file")
    url = route.url or _read_secret(route.url_file or "", f"route {name!r}: url_file")
    if not url:
        raise RouteError(f"route {name!r}: its url_file is empty")
    if route.type == "slack":
        return SlackWebhook(url, **options)
    secret = None
    if route.secret_file:
        secret = _read_secret(route.secret_file, f"route {name!r}: secret_file").encode()
        if not secret:  # never send unsigned what was meant to be signed
            raise RouteError(f"route {name!r}: its secret_file is empty")
    return SignedWebhook(url, secret, **options)


def sender(name: str) -> RetryingSender | None:
    """The sender of a route (built once); None when the route is not configured."""
    if name not in _senders:
        _senders[name] = _build_sender(name)
    return _senders[name]


def print_alert(alert: Alert) -> None:
    sys.stdout.write(console_line(alert) + "\n")
    sys.stdout.flush()


@app.agent(alerts)
async def deliver_alerts(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        try:
            cloud_event = orjson.loads(event.value)
            alert = alert_from_event(cloud_event)
        except (PoisonMessageError, orjson.JSONDecodeError) as exc:
            await dead_letter(alerts_deadletter, event, "poison_message", str(exc))
            continue
        DELIVERED_RETENTION.sweep(delivered, event.message.partition)
        base = f"{alert.alert_id}.{alert.version}"
        for route in alert.routes or ["console"]:
            key = f"{base}/{route}"
            if delivered.get(key) is not None:
                metrics().deliveries.labels(route=route, outcome="already_delivered").inc()
                continue
            if route == "console":
                print_alert(alert)
            else:
                try:
                    target = sender(route)
                except RouteError as exc:  # neither delivered nor lost: dead-lettered
                    metrics().deliveries.labels(route=route, outcome="misconfigured").inc()
                    await dead_letter(alerts_deadletter, event, "misconfigured", str(exc),
                                      route=route, alert_id=alert.alert_id,
                                      version=alert.version)
                    continue
                if target is None:
                    metrics().deliveries.labels(route=route, outcome="not_configured").inc()
                    continue
                try:
                    await target.send(alert, cloud_event)
                except (DeliveryRejected, RetryableError) as exc:
                    outcome = "rejected" if isinstance(exc, DeliveryRejected) else "gave_up"
                    metrics().deliveries.labels(route=route, outcome=outcome).inc()
                    await dead_letter(alerts_deadletter, event, outcome, str(exc),
                                      route=route, alert_id=alert.alert_id,
                                      version=alert.version)
                    continue
            delivered[key] = time.time()
            DELIVERED_RETENTION.touch(key, event.message.partition)
            # Make the record durable now: a crash before the offset commit must not
            # deliver this version twice.
            await app.producer.flush()
            metrics().deliveries.labels(route=route, outcome="ok").inc()
            metrics().stage_latency.labels(span="alerted_to_delivered").observe(
                max(0.0, (datetime.now(UTC) - alert.created_at).total_seconds()))
