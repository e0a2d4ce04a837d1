"""Stage 4: deliver each alert version to its routes: console, Slack, signed webhooks.

alerts → routes; alerts.deadletter when a route rejects an alert or its retry budget is
spent. Each (route, partition) is a lane of its own (streams.lanes): a route that is
down or slow holds its own alerts only, in order, while the other routes and partitions
go on. An alert's record is acknowledged (its offset may be committed) once every route
is finished with it. A route that accepted an alert version is recorded in a table
(changelog-backed) at once, and is never sent that version again, across crashes,
restarts and rebalances.

When the worker stops or a rebalance takes partitions away, alerts still waiting on a
route are put back on ``alerts`` (same key, so same partition and order, with the time
their delivery began in a header so the retry budget goes on) and acknowledged; as it
stops, every route's sender then closes its connection.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from faust.types import EventT

from agents.alert import ActiveRules
from analysis.rules import Route, RouteError, RuleSet, route_problems, unsigned_routes
from streams.app import app, settings
from streams.cloudevents import KAFKA_CONTENT_TYPE, alert_from_event
from streams.deadletter import dead_letter
from streams.delivery import RetryingSender, SignedWebhook, SlackWebhook, console_line
from streams.errors import (
    DeliveryInterrupted,
    DeliveryRejected,
    PoisonMessageError,
    RetryableError,
)
from streams.lanes import Lanes
from streams.metrics import metrics
from streams.records import Alert
from streams.replay import REPLAY_HEADER
from streams.retention import Retention, put
from streams.settings import SettingsError
from streams.topics import alerts, alerts_deadletter

log = logging.getLogger(__name__)

class Delivery:
    """Stage 4's state: the delivered-alerts table and the lanes of the routes. Built by
    ``setup``."""

    def __init__(self, rules: ActiveRules) -> None:
        self.rules = rules
        # "<alert id>.<version>/<route>" → unix time delivered. Keys share the story's
        # partition.
        self.retention = Retention(settings.dedup_window_seconds, table="delivered-alerts")
        self.delivered = app.Table(
            "delivered-alerts", default=None, partitions=settings.partitions,
            key_type=str, value_type=float,
            on_changelog_event=self.retention.on_changelog_event,
        )
        self.lanes: Lanes[Job] = Lanes(deliver_to, _ack,
                                       max_pending=settings.delivery_max_pending,
                                       drain_timeout=settings.delivery_timeout_seconds + 5.0)
        rules.on_reload.append(_forget_changed_senders)
        rules.on_reload.append(lambda _old, new: _check_routes(new))
        _check_routes(rules.ruleset)
        app.on_release(self.release, self.lanes.resume)
        # Faust sends it as the app stops, after the release above (mypy matches no
        # handler to mode's SignalHandlerT, however it is declared)
        app.on_before_shutdown.connect(_close_senders)  # type: ignore[arg-type]

    async def release(self) -> None:
        """Put the alerts waiting on a route back on their topic (stop, rebalance)."""
        await _put_back(await self.lanes.park())
        metrics().delivery_pending.set(len(self.lanes))


_delivery: Delivery | None = None


def setup(rules: ActiveRules) -> Delivery:
    """Create the stage's table and lanes on the app, with the rules in force (their
    routes). Called by ``agents.register`` before the worker starts; a later call
    returns the same stage."""
    global _delivery
    if _delivery is None:
        _delivery = Delivery(rules)
    return _delivery


def delivery() -> Delivery:
    """The stage set up by ``setup``."""
    if _delivery is None:
        raise RuntimeError("agents.deliver is not set up: agents.register() creates its "
                           "table and lanes")
    return _delivery

_senders: dict[str, RetryingSender | None] = {}
#: Senders of routes redefined by a reload, closing once their sends are over.
_retiring: set[asyncio.Task[None]] = set()


def _build_sender(name: str) -> RetryingSender | None:
    options = {"timeout": settings.delivery_timeout_seconds,
               "retry_budget": settings.delivery_retry_budget_seconds,
               "max_delay": settings.delivery_max_backoff_seconds,
               "max_retry_after": settings.delivery_max_retry_after_seconds}
    if name == "slack":
        try:
            url = settings.slack_url()
        except SettingsError as exc:  # a URL file that is set but missing or wrong
            raise RouteError(f"route 'slack': {exc}") from None
        return SlackWebhook(url, **options) if url else None
    route: Route | None = delivery().rules.routes.get(name)
    if route is None:
        raise RouteError(f"route {name!r} is not defined in the rules file")
    url, secret = route.target()
    if route.type == "slack":
        return SlackWebhook(url, **options)
    return SignedWebhook(url, secret, **options)


def _check_routes(ruleset: RuleSet) -> None:
    for problem in route_problems(ruleset, settings.slack_problem()):
        log.error("%s: the alerts sent to it will be dead-lettered (misconfigured) until "
                  "it is mended", problem)
    for name in unsigned_routes(ruleset):
        log.warning("route %r has no secret_file: its requests carry no "
                    "X-Mediawatch-Signature", name)


def _forget_changed_senders(old: RuleSet, new: RuleSet) -> None:
    """After a rules reload, a route defined otherwise (or no more) gets a new sender;
    the one it had closes its connections once the alerts it is sending are through."""
    for name in list(_senders):
        if name != "slack" and old.routes.get(name) != new.routes.get(name):
            dropped = _senders.pop(name)
            if dropped is not None:
                retiring = asyncio.ensure_future(dropped.retire())
                _retiring.add(retiring)
                retiring.add_done_callback(_retiring.discard)


async def _close_senders(_app: object, **_kwargs: object) -> None:
    """The worker stops (its lanes are parked): every sender closes its connections."""
    senders = [s for s in _senders.values() if s is not None]
    _senders.clear()
    await asyncio.gather(*(s.retire() for s in senders), *_retiring)


def sender(name: str) -> RetryingSender | None:
    """The sender of a route (built once); None when the route is not configured."""
    if name not in _senders:
        _senders[name] = _build_sender(name)
    return _senders[name]


def print_alert(alert: Alert) -> None:
    sys.stdout.write(console_line(alert) + "\n")
    sys.stdout.flush()


#: Header of an alert put back on its topic: unix time its delivery began.
SINCE_HEADER = "mediawatch-delivery-since"


@dataclass(eq=False)
class Job:
    """One alert record in delivery."""

    event: EventT[Any]
    alert: Alert
    cloud_event: dict[str, Any]
    since: float  # unix time delivery of this alert began: its retry budget's start
    replayed: bool = False  # sent again by `mediawatch deadletter replay`


def _headers(event: EventT[Any]) -> dict[str, bytes]:
    headers = event.message.headers or {}
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {str(name): value if isinstance(value, bytes) else str(value).encode()
            for name, value in items}


def _since(headers: Mapping[str, bytes]) -> float:
    try:
        return min(float(headers[SINCE_HEADER].decode()), time.time())
    except (KeyError, ValueError, UnicodeDecodeError):
        return time.time()


def _unconfirmed(route: str, target: RetryingSender) -> str | None:
    """Why an attempt left in flight by an earlier worker must not be repeated on
    ``target``, or None when repeating it is harmless."""
    if isinstance(target, SlackWebhook):
        return (f"a worker stopped while posting this alert version to {route}; it may "
                "have been posted, and Slack has no idempotency key, so it is not posted "
                "again: replay it (mediawatch deadletter replay) if it is missing")
    return None  # a signed webhook carries X-Mediawatch-Alert-Id for the receiver


async def deliver_to(route: str, job: Job, interrupt: asyncio.Event) -> bool:
    """Deliver ``job`` to ``route``; True when the route is finished with it (delivered,
    dead-lettered, or skipped), False when interrupted before an outcome.

    The delivered-alerts table holds, per ``<alert id>.<version>/<route>``, the unix
    time the route accepted it, or minus the time an attempt began on a route without
    idempotency (Slack): written to the broker before the request, cleared when the
    attempt failed for sure. A worker that finds such an attempt in flight does not
    repeat it (a post twice) but dead-letters it as ``unconfirmed``."""
    alert, event = job.alert, job.event
    key = f"{alert.alert_id}.{alert.version}/{route}"
    partition = event.message.partition
    stage = delivery()
    state = stage.delivered.get(key)
    if state is not None and state > 0:
        metrics().deliveries.labels(route=route, outcome="already_delivered").inc()
        return True
    if route == "console":
        print_alert(alert)
    else:
        try:
            target = sender(route)
        except RouteError as exc:  # neither delivered nor lost: dead-lettered
            metrics().deliveries.labels(route=route, outcome="misconfigured").inc()
            await dead_letter(alerts_deadletter, event, "misconfigured", str(exc),
                              route=route, alert_id=alert.alert_id, version=alert.version)
            return True
        if target is None:
            metrics().deliveries.labels(route=route, outcome="not_configured").inc()
            return True
        unconfirmed = _unconfirmed(route, target)
        if state is not None and unconfirmed is not None and not job.replayed:
            metrics().deliveries.labels(route=route, outcome="unconfirmed").inc()
            await dead_letter(alerts_deadletter, event, "unconfirmed", unconfirmed,
                              route=route, alert_id=alert.alert_id, version=alert.version)
            return True

        async def in_flight(attempting: bool) -> None:
            await put(stage.delivered, key, -time.time() if attempting else None, partition)
            if attempting:
                stage.retention.touch(key, partition)

        try:
            await target.send(alert, job.cloud_event, since=job.since, interrupt=interrupt,
                              on_attempt=in_flight if unconfirmed is not None else None)
        except DeliveryInterrupted:
            return False
        except (DeliveryRejected, RetryableError) as exc:
            outcome = "rejected" if isinstance(exc, DeliveryRejected) else "gave_up"
            metrics().deliveries.labels(route=route, outcome=outcome).inc()
            await dead_letter(alerts_deadletter, event, outcome, str(exc), route=route,
                              alert_id=alert.alert_id, version=alert.version)
            return True
    # Durable before anything else: a crash from here on must not deliver this version
    # twice.
    await put(stage.delivered, key, time.time(), partition)
    stage.retention.touch(key, partition)
    metrics().deliveries.labels(route=route, outcome="ok").inc()
    metrics().stage_latency.labels(span="alerted_to_delivered").observe(
        max(0.0, (datetime.now(UTC) - alert.created_at).total_seconds()))
    return True


async def _put_back(jobs: list[Job]) -> None:
    """Send ``jobs``' records again to ``alerts`` (in order), then acknowledge them."""
    for job in jobs:
        message = job.event.message
        headers = dict([KAFKA_CONTENT_TYPE, (SINCE_HEADER, repr(job.since).encode())])
        if job.replayed:
            headers[REPLAY_HEADER] = b"1"
        await alerts.send(key=message.key, value=message.value, headers=headers)
    if jobs:
        await app.producer.flush()
        metrics().alerts_put_back.inc(len(jobs))
        log.info("put %d alert(s) waiting on a route back on %s", len(jobs),
                 alerts.get_topic_name())
    for job in jobs:
        job.event.ack()


async def _ack(job: Job) -> None:
    job.event.ack()
    metrics().delivery_pending.set(len(delivery().lanes))


@app.agent(alerts)
async def deliver_alerts(stream):  # type: ignore[no-untyped-def]
    stage = delivery()
    async for event in stream.noack().events():
        try:
            cloud_event = orjson.loads(event.value)
            alert = alert_from_event(cloud_event)
        except (PoisonMessageError, orjson.JSONDecodeError) as exc:
            await dead_letter(alerts_deadletter, event, "poison_message", str(exc))
            event.ack()
            continue
        stage.retention.sweep(stage.delivered, event.message.partition)
        headers = _headers(event)
        job = Job(event, alert, cloud_event, _since(headers), REPLAY_HEADER in headers)
        if not await stage.lanes.submit(job, event.message.partition,
                                  alert.routes or ["console"]):
            await _put_back([job])  # the worker is letting its partitions go
        metrics().delivery_pending.set(len(stage.lanes))
