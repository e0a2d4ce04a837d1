"""Delivery through endpoint failures, on the real broker with local Slack-like servers:
Slack down for minutes, a slow route next to a fast one, a worker stopped while alerts
wait on a route."""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections import Counter
from datetime import UTC, datetime

import orjson
import pytest

from streams.admin import ensure_changelog_topics
from streams.cloudevents import alert_event
from streams.codecs import json_default
from streams.records import Alert

from .conftest import Deployment, FeedServer, end_offsets, loads, produce, read_records
from .slackserver import Received, SlackServer
from .test_alerts import COPIES, free_port, rss, setup, wait_for_metric
from .test_disk_full import wait_for_ready

pytestmark = pytest.mark.integration

# Stories of two countries each, one per item (my own text).
STORIES = [
    ("en", "Japan and Kenya foreign ministers hold talks",
     "Japan's foreign minister met his Kenyan counterpart in Nairobi on Monday for talks "
     "on trade."),
    ("en", "Chile's president receives Portugal's prime minister",
     "The Chilean president held talks with the Portuguese prime minister in Santiago on "
     "Monday."),
    ("en", "Norway and Vietnam leaders speak by phone",
     "The Norwegian prime minister spoke by phone with the Vietnamese prime minister on "
     "Monday."),
    ("en", "Egypt's foreign minister visits Greece",
     "Egypt's foreign minister met his Greek counterpart in Athens on Monday for talks."),
    ("en", "Canada and Mexico ministers meet",
     "Canada's foreign minister met her Mexican counterpart in Mexico City on Monday."),
    ("en", "Poland's president hosts Peru's president",
     "The Polish president held talks with the Peruvian president in Warsaw on Monday."),
]

_ALERT = re.compile(r"alert ([0-9a-f]+) v(\d+)")


def posted(received: list[Received]) -> list[tuple[str, int]]:
    """(alert id, version) of each accepted Slack post, in arrival order."""
    out = []
    for request in received:
        if request.status == 200:
            match = _ALERT.search(str(request.body["blocks"][-1]))
            assert match, request.body
            out.append((match.group(1), int(match.group(2))))
    return out


async def alert_versions(deployment: Deployment, count: int) -> list[tuple[str, int]]:
    records = await deployment.read("alerts", count=count)
    return [(loads(v)["data"]["alert_id"], loads(v)["data"]["version"]) for _k, v in records]


async def test_slack_down_for_two_minutes_then_every_alert_arrives_once_in_order(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    # Five outlets on one story (a first alert, then an update at five sources) and six
    # other stories, all while Slack answers 503.
    feeds = setup(deployment, feed_server, [*COPIES[:5], *STORIES])
    slack_server.outage(503, seconds=120)
    outage_ends = time.monotonic() + 120
    deployment.mediawatch("worker", log_name="worker",
                          MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url,
                          MEDIAWATCH_DELIVERY_MAX_BACKOFF_SECONDS="5")
    deployment.run_once("produce", "--feeds", feeds, "--once")
    emitted = await alert_versions(deployment, count=1 + 1 + len(STORIES))
    assert len(set(emitted)) == len(emitted)

    slack_server.wait_for(len(emitted), timeout=120 + 90)
    deployment.check_alive()
    received = list(slack_server.received)
    refused = [r for r in received if r.status != 200]
    assert refused and all(r.status == 503 and r.at < outage_ends for r in refused)
    assert all(r.at >= outage_ends - 0.5 for r in slack_server.accepted())
    delivered = posted(received)
    assert Counter(delivered) == Counter(emitted)  # each alert version once
    # A story's versions arrive in the order they were emitted.
    versions: dict[str, list[int]] = {}
    for alert_id, version in delivered:
        versions.setdefault(alert_id, []).append(version)
    assert any(v == [1, 2] for v in versions.values())
    assert all(v == sorted(v) for v in versions.values())
    # Nothing that should have waited went to the dead letter.
    assert await end_offsets(deployment.bootstrap, deployment.topic("alerts.deadletter")) == 0


async def test_a_slow_route_does_not_hold_the_others(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    slow = SlackServer()
    slow.start()
    try:
        slow.slow(12.0)
        feeds = setup(deployment, feed_server, STORIES[:4])
        rules = (deployment.data_dir / "rules.yaml").read_text()
        (deployment.data_dir / "rules.yaml").write_text(
            f"routes:\n  archive:\n    type: webhook\n    url: {slow.url}\n"
            + rules.replace("routes: [slack]", "routes: [archive, slack]"))
        deployment.mediawatch("worker", log_name="worker",
                              MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url,
                              MEDIAWATCH_DELIVERY_TIMEOUT_SECONDS="30")
        deployment.run_once("produce", "--feeds", feeds, "--once")
        emitted = await alert_versions(deployment, count=4)
        fast = slack_server.wait_for(4, timeout=60)
        # Every Slack post went out while the slow route still had none answered.
        assert not slow.received
        assert Counter(posted(fast)) == Counter(emitted)
        archived = slow.wait_for(4, timeout=120)
        assert sorted(r.body["data"]["alert_id"] for r in archived) == sorted(
            alert_id for alert_id, _ in emitted)
    finally:
        slow.stop()


async def test_a_redefined_webhook_route_and_a_stopped_worker_close_their_connections(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    """A signed webhook keeps its connection open between alerts. A rules reload that
    points the route elsewhere closes the old one, and so does the worker as it stops:
    asyncio reports no unclosed client session or connector."""
    feeds = setup(deployment, feed_server, STORIES[:2])
    rules = deployment.data_dir / "rules.yaml"
    routed = rules.read_text().replace("routes: [slack]", "routes: [archive]")
    rules.write_text(f"routes:\n  archive:\n    type: webhook\n    url: {slack_server.url}\n"
                     + routed)
    port = free_port()
    worker = deployment.mediawatch("worker", log_name="worker",
                                   MEDIAWATCH_METRICS_PORT=str(port))
    deployment.run_once("produce", "--feeds", feeds, "--once")
    slack_server.wait_for(2)

    rules.write_text(f"routes:\n  archive:\n    type: webhook\n    url: {slack_server.url}?v=2\n"
                     + routed)
    worker.send_signal(signal.SIGHUP)
    await wait_for_metric(deployment, port, 'mediawatch_rules_reloads_total{outcome="ok"}', 1)
    url = feed_server.write("more.xml", rss(STORIES[2:4], "more"))
    more = deployment.data_dir / "more.yaml"
    more.write_text(f"feeds:\n  - {{id: more, url: '{url}', name: more}}\n")
    deployment.run_once("produce", "--feeds", str(more), "--once")
    received = slack_server.wait_for(4)
    assert [r.path.endswith("?v=2") for r in received] == [False, False, True, True]

    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0
    deployment.processes.remove(worker)
    log = deployment.log("worker")
    assert "Unclosed client session" not in log and "Unclosed connector" not in log


async def test_a_stopped_worker_puts_waiting_alerts_back_and_they_go_out_once(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    feeds = setup(deployment, feed_server, STORIES[:3])
    slack_server.outage(503, seconds=3600)
    port = free_port()
    env = {"MEDIAWATCH_SLACK_WEBHOOK_URL": slack_server.url,
           "MEDIAWATCH_DELIVERY_MAX_BACKOFF_SECONDS": "2"}
    worker = deployment.mediawatch("worker", log_name="worker",
                                   MEDIAWATCH_METRICS_PORT=str(port), **env)
    deployment.run_once("produce", "--feeds", feeds, "--once")
    emitted = await alert_versions(deployment, count=3)
    await wait_for_metric(deployment, port, "mediawatch_delivery_pending_alerts", 3.0)

    stopping = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0
    assert time.monotonic() - stopping < 30  # not an hour of retries
    deployment.processes.remove(worker)
    assert "put 3 alert(s) waiting on a route back" in deployment.log("worker")
    # The three alerts are on the topic again.
    total = await end_offsets(deployment.bootstrap, deployment.topic("alerts"))
    again = Counter(await alert_versions(deployment, count=total))
    assert set(again) == set(emitted) and all(again[a] >= 2 for a in emitted)
    records = await read_records(deployment.bootstrap, deployment.topic("alerts"), count=total)
    assert {dict(r.headers).get("content-type") for r in records} == {
        b"application/cloudevents+json; charset=UTF-8"}  # put back as they were written

    slack_server.recover()
    deployment.mediawatch("worker", log_name="worker-restarted", **env)
    received = slack_server.wait_for(3, timeout=120)
    assert Counter(posted(received)) == Counter(emitted)
    assert await end_offsets(deployment.bootstrap, deployment.topic("alerts.deadletter")) == 0


async def test_a_worker_joining_while_alerts_wait_gets_them_after_the_first_lets_go(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    """A second worker joins the group while the first holds alerts for a route that is
    down. The first puts them back on their topic when the rebalance starts, so that it
    can give its partitions up (Faust starts the rebalance from its consumer thread: the
    release used to fail there, the held alerts were never acknowledged and the whole
    group waited out the rebalance timeout); both workers become ready, and once Slack
    recovers every alert goes out once."""
    feeds = setup(deployment, feed_server, STORIES[:3])
    slack_server.outage(503, seconds=3600)
    first, second = free_port(), free_port()
    env = {"MEDIAWATCH_SLACK_WEBHOOK_URL": slack_server.url,
           "MEDIAWATCH_DELIVERY_MAX_BACKOFF_SECONDS": "2"}
    deployment.mediawatch("worker", log_name="worker", MEDIAWATCH_METRICS_PORT=str(first),
                          **env)
    deployment.run_once("produce", "--feeds", feeds, "--once")
    emitted = await alert_versions(deployment, count=3)
    await wait_for_metric(deployment, first, "mediawatch_delivery_pending_alerts", 3.0)

    deployment.mediawatch("worker", log_name="worker-2", MEDIAWATCH_METRICS_PORT=str(second),
                          **env)
    await wait_for_log(deployment, "worker", "put 3 alert(s) waiting on a route back")
    await wait_for_ready(deployment, second)
    await wait_for_ready(deployment, first)
    log = deployment.log("worker")
    assert "attached to a different loop" not in log
    assert "releasing held records at a rebalance failed" not in log
    assert "member_id was not recognized" not in log  # it left the group in time

    slack_server.recover()
    received = slack_server.wait_for(3, timeout=120)
    assert Counter(posted(received)) == Counter(emitted)
    assert await end_offsets(deployment.bootstrap, deployment.topic("alerts.deadletter")) == 0


async def wait_for_log(deployment: Deployment, name: str, text: str,
                       timeout: float = 90.0) -> None:
    """Until the log of process ``name`` holds ``text``."""
    deadline = time.monotonic() + timeout
    while text not in deployment.log(name):
        deployment.check_alive()
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} not in the log of {name} within {timeout:.0f}s")
        await asyncio.sleep(0.2)


async def test_a_post_left_in_flight_is_dead_lettered_not_repeated_and_replays_once(
        deployment: Deployment, slack_server: SlackServer) -> None:
    """A worker stopped between marking a Slack post in flight and recording Slack's
    answer: the next worker does not post it again (Slack has no idempotency key) but
    dead-letters it as unconfirmed; the replay command posts it."""
    (deployment.data_dir / "rules.yaml").write_text(
        "rules:\n  - {name: meetings, severity: high, routes: [slack],"
        " when: {event: bilateral_meeting}}\n")
    deployment.extra_env["MEDIAWATCH_RULES_FILE"] = str(deployment.data_dir / "rules.yaml")
    the_alert = Alert(alert_id="inflight01", version=1, rule="meetings", severity="high",
                      event_type="bilateral_meeting", story_id="s-inflight",
                      article_id="a-inflight", title="Japan and Kenya hold talks",
                      url="https://wire.example/a", source="Wire", lang="en",
                      countries=["JP", "KE"], regions=["asia", "africa"], keywords=[],
                      evidence="Japan's foreign minister met his Kenyan counterpart.",
                      created_at=datetime.now(UTC), parties=["JP", "KE"],
                      routes=["slack"])
    event = orjson.dumps(alert_event(the_alert), default=json_default)
    # The mark an earlier worker left: minus the time its attempt began.
    changelog = f"{deployment.app_id}-delivered-alerts-changelog"
    await ensure_changelog_topics(deployment.settings(), (changelog,), partitions=4)
    await produce(deployment.bootstrap, changelog,
                  [(orjson.dumps("inflight01.1/slack"), orjson.dumps(-time.time()))],
                  partition=0)
    await produce(deployment.bootstrap, deployment.topic("alerts"), [(b"s-inflight", event)],
                  partition=0)
    port = free_port()
    deployment.mediawatch("worker", log_name="worker",
                          MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url,
                          MEDIAWATCH_METRICS_PORT=str(port))
    ((_key, value),) = await deployment.read("alerts.deadletter", count=1)
    dead = loads(value)
    assert dead["reason"] == "unconfirmed" and dead["route"] == "slack"
    assert "not posted again" in dead["error"]
    await wait_for_metric(deployment, port, 'mediawatch_deliveries_total{outcome='
                          '"unconfirmed",route="slack"}', 1.0)
    assert slack_server.received == []

    assert "replayed 1 alert(s) (slack 1)" in deployment.run_once("deadletter", "replay")
    (posted_once,) = slack_server.wait_for(1)
    assert "alert inflight01 v1" in str(posted_once.body["blocks"][-1])
