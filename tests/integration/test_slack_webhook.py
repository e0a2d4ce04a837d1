"""The Slack route against a local server that answers like Slack's webhook endpoint."""

from __future__ import annotations

import itertools
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
from streams.errors import DeliveryFailed, DeliveryRejected
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


async def test_persistent_5xx_gives_up_after_the_bound(slack_server: SlackServer) -> None:
    for _ in range(3):
        slack_server.respond(503, "service_unavailable")
    webhook = SlackWebhook(slack_server.url, max_attempts=3, base_delay=0.01, min_interval=0.0)
    with pytest.raises(DeliveryFailed, match="after 3 attempts: HTTP 503"):
        await webhook.send(alert())
    assert len(slack_server.received) == 3


async def test_unreachable_webhook_fails_with_a_retryable_error() -> None:
    webhook = SlackWebhook("http://127.0.0.1:9/services/x", max_attempts=2, base_delay=0.01,
                           min_interval=0.0, timeout=2)
    with pytest.raises(DeliveryFailed, match="after 2 attempts"):
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
