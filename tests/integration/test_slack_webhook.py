"""The Slack route against a local server that answers like Slack's webhook endpoint."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from datetime import UTC, datetime

import pytest

from streams.cloudevents import alert_event
from streams.delivery import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignedWebhook,
    SlackWebhook,
    sign,
)
from streams.errors import DeliveryFailed, DeliveryInterrupted, DeliveryRejected
from streams.records import Alert

from .slackserver import SlackServer


def alert() -> Alert:
    return Alert(alert_id="abc", version=1, rule="diplomacy-watch", severity="medium",
                 event_type="bilateral_meeting", story_id="s", article_id="s",
                 title="Lavrov and Wang Yi hold a phone call", url="https://wire.test/a",
                 source="Test Wire", lang="en", countries=["CN", "RU"], regions=["asia"],
                 keywords=[], evidence="Lavrov and Wang Yi spoke by phone.",
                 created_at=datetime.now(UTC), parties=["CN", "RU"], modality="call")


async def test_429_then_500_then_200_delivers_once_and_honours_retry_after(
        slack_server: SlackServer) -> None:
    slack_server.respond(429, "rate_limited", Retry_After="2")
    slack_server.respond(500, "rollup_error")
    slack_server.respond(200)
    webhook = SlackWebhook(slack_server.url, base_delay=0.05, min_interval=0.0)
    await webhook.send(alert())
    statuses = [r.status for r in slack_server.received]
    assert statuses == [429, 500, 200]
    assert len(slack_server.accepted()) == 1
    first, second, _third = slack_server.received
    assert second.at - first.at >= 2.0
    body = slack_server.accepted()[0].body
    assert "China (CN)" in str(body["blocks"]) and "Russia (RU)" in str(body["blocks"])


async def test_a_huge_retry_after_is_capped(slack_server: SlackServer) -> None:
    slack_server.respond(429, "rate_limited", Retry_After="86400")
    slack_server.respond(200)
    webhook = SlackWebhook(slack_server.url, min_interval=0.0, max_retry_after=0.5)
    await webhook.send(alert())
    first, second = slack_server.received
    assert [first.status, second.status] == [429, 200]
    assert 0.5 <= second.at - first.at < 30  # waited the cap, not a day


async def test_slack_4xx_is_rejected_at_once_with_the_reason(slack_server: SlackServer) -> None:
    slack_server.respond(404, "no_service")
    webhook = SlackWebhook(slack_server.url, min_interval=0.0)
    with pytest.raises(DeliveryRejected, match="404 no_service") as error:
        await webhook.send(alert())
    assert "services/T000" not in str(error.value)
    assert len(slack_server.received) == 1


async def test_persistent_5xx_gives_up_when_the_retry_budget_is_spent(
        slack_server: SlackServer) -> None:
    slack_server.outage(503, seconds=30)
    webhook = SlackWebhook(slack_server.url, retry_budget=1.0, base_delay=0.05,
                           max_delay=0.2, min_interval=0.0)
    started = time.monotonic()
    with pytest.raises(DeliveryFailed, match=r"retry budget 1s\): HTTP 503") as error:
        await webhook.send(alert())
    assert time.monotonic() - started <= 1.5  # never waits past the budget
    attempts = len(slack_server.received)
    assert attempts >= 3 and f"after {attempts} attempts" in str(error.value)


async def test_the_budget_counts_from_when_delivery_began(slack_server: SlackServer) -> None:
    slack_server.outage(503, seconds=30)
    webhook = SlackWebhook(slack_server.url, retry_budget=60.0, base_delay=0.05,
                           min_interval=0.0)
    with pytest.raises(DeliveryFailed, match="retry budget 60s"):
        await webhook.send(alert(), since=time.time() - 60.0)  # began a minute ago
    assert len(slack_server.received) == 1


async def test_an_outage_is_waited_out_and_the_alert_goes_once(
        slack_server: SlackServer) -> None:
    slack_server.outage(503, seconds=1.5)
    webhook = SlackWebhook(slack_server.url, base_delay=0.05, max_delay=0.3,
                           min_interval=0.0)
    await webhook.send(alert())
    statuses = [r.status for r in slack_server.received]
    assert statuses[-1] == 200 and set(statuses[:-1]) == {503} and len(statuses) > 2


async def test_an_interrupt_ends_the_wait_without_an_outcome(
        slack_server: SlackServer) -> None:
    slack_server.outage(503, seconds=30)
    webhook = SlackWebhook(slack_server.url, base_delay=5.0, min_interval=0.0)
    interrupt = asyncio.Event()
    sending = asyncio.ensure_future(webhook.send(alert(), interrupt=interrupt))
    await asyncio.to_thread(slack_server.wait_for, 1, 10.0, False)
    interrupt.set()
    with pytest.raises(DeliveryInterrupted):
        await asyncio.wait_for(sending, 2.0)  # not the 5 s backoff
    assert len(slack_server.received) == 1


class _Seen(logging.Handler):
    """Sets an event when a log line containing ``text`` is emitted."""

    def __init__(self, text: str) -> None:
        super().__init__(logging.INFO)
        self.text = text
        self.event = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.event.set()


async def test_a_retry_after_holds_every_sender_of_the_webhook(
        slack_server: SlackServer) -> None:
    slack_server.respond(429, "rate_limited", Retry_After="1")
    webhook = SlackWebhook(slack_server.url, min_interval=0.0)
    seen = _Seen("attempt 1 failed (HTTP 429")
    logger = logging.getLogger("streams.delivery")
    level = logger.level
    logger.addHandler(seen)
    logger.setLevel(logging.INFO)
    try:
        first = asyncio.ensure_future(webhook.send(alert()))
        await asyncio.wait_for(seen.event.wait(), 10)  # the first sender has read the 429
        await webhook.send(alert())  # another lane of the same webhook: waits too
        await first
    finally:
        logger.removeHandler(seen)
        logger.setLevel(level)
    limited, *later = slack_server.received
    assert limited.status == 429 and len(later) == 2
    assert all(r.at - limited.at >= 0.95 for r in later)


async def test_unreachable_webhook_fails_with_a_retryable_error() -> None:
    webhook = SlackWebhook("http://127.0.0.1:9/services/x", retry_budget=0.5,
                           base_delay=0.01, max_delay=0.05, min_interval=0.0, timeout=2)
    with pytest.raises(DeliveryFailed, match="ClientConnectorError"):
        await webhook.send(alert())


async def test_messages_are_paced_per_webhook(slack_server: SlackServer) -> None:
    webhook = SlackWebhook(slack_server.url, min_interval=0.5)
    for _ in range(3):
        await webhook.send(alert())
    times = [r.at for r in slack_server.received]
    assert len(times) == 3
    assert all(b - a >= 0.45 for a, b in itertools.pairwise(times))


async def test_generic_webhook_is_signed_and_follows_the_same_retry_rules(
        slack_server: SlackServer) -> None:
    slack_server.respond(503, "busy", Retry_After="1")
    slack_server.respond(429, "slow down", Retry_After="1")
    slack_server.respond(200)
    secret = b"s3cret-signing-key"
    the_alert = alert()
    webhook = SignedWebhook(slack_server.url, secret, base_delay=0.01, min_interval=0.0)
    try:
        await webhook.send(the_alert, alert_event(the_alert))
    finally:
        await webhook.close()
    assert [r.status for r in slack_server.received] == [503, 429, 200]
    request = slack_server.accepted()[0]
    timestamp = request.headers[TIMESTAMP_HEADER]
    assert request.headers[SIGNATURE_HEADER] == sign(secret, timestamp, request.raw)
    assert request.headers[SIGNATURE_HEADER] != sign(b"other", timestamp, request.raw)
    assert request.headers[IDEMPOTENCY_HEADER] == "abc.1"
    assert request.body["type"] == "org.mediawatch.alert.v1"
    assert request.body["data"]["alert_id"] == "abc"
