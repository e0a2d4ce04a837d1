"""Stage 4: deliver alerts to the console and, when configured, to Slack.

alerts → console line, Slack webhook; alerts.deadletter on give-up. A route delivered
for an alert id and version is recorded and never sent again, across restarts.
"""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, datetime

import orjson

from agents.deadletter import dead_letter
from streams.app import app, settings
from streams.cloudevents import alert_from_event
from streams.delivery import SlackWebhook, console_line
from streams.errors import DeliveryRejected, PoisonMessageError, RetryableError
from streams.metrics import metrics
from streams.records import Alert
from streams.topics import alerts, alerts_deadletter

log = logging.getLogger(__name__)

# "<alert id>.<version>/<route>" → unix time delivered. Keys share the story's partition.
delivered = app.Table(
    "delivered-alerts", default=None, partitions=settings.partitions,
    key_type=str, value_type=float,
)

_slack: SlackWebhook | None = None


def slack() -> SlackWebhook | None:
    global _slack
    url = settings.slack_url()
    if url and _slack is None:
        _slack = SlackWebhook(url, timeout=settings.delivery_timeout_seconds,
                              max_attempts=settings.delivery_max_attempts)
    return _slack


def print_alert(alert: Alert) -> None:
    sys.stdout.write(console_line(alert) + "\n")
    sys.stdout.flush()


@app.agent(alerts)
async def deliver_alerts(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        try:
            alert = alert_from_event(orjson.loads(event.value))
        except (PoisonMessageError, orjson.JSONDecodeError) as exc:
            await dead_letter(alerts_deadletter, event, "poison_message", str(exc))
            continue
        base = f"{alert.alert_id}.{alert.version}"
        if delivered.get(f"{base}/console") is None:
            print_alert(alert)
            delivered[f"{base}/console"] = time.time()
            metrics().deliveries.labels(route="console", outcome="ok").inc()
        webhook = slack()
        if webhook is None or delivered.get(f"{base}/slack") is not None:
            continue
        try:
            await webhook.send(alert)
        except (DeliveryRejected, RetryableError) as exc:
            reason = "rejected" if isinstance(exc, DeliveryRejected) else "gave_up"
            metrics().deliveries.labels(route="slack", outcome=reason).inc()
            await dead_letter(alerts_deadletter, event, reason, str(exc), route="slack",
                              alert_id=alert.alert_id)
            continue
        delivered[f"{base}/slack"] = time.time()
        metrics().deliveries.labels(route="slack", outcome="ok").inc()
        metrics().stage_latency.labels(span="alerted_to_delivered").observe(
            max(0.0, (datetime.now(UTC) - alert.created_at).total_seconds()))
