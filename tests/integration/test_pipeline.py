"""The whole path on the real broker: feed server → producer → Kafka → worker → alerts."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from streams.records import Article

from .conftest import Deployment, FeedServer, end_offsets, loads, produce
from .slackserver import SlackServer

pytestmark = pytest.mark.integration

MEETING_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test Wire</title><link>https://wire.test/</link>
<description>test</description>
<item>
  <title>Lavrov holds talks with Chinese counterpart Wang Yi in Moscow</title>
  <link>https://wire.test/world/lavrov-wang-talks?utm_source=rss</link>
  <guid>wire-1</guid>
  <pubDate>Tue, 24 Nov 2026 08:30:00 +0000</pubDate>
  <description>Russian Foreign Minister Sergei Lavrov held talks with his Chinese
  counterpart Wang Yi in Moscow on Tuesday, the Russian Foreign Ministry said.</description>
</item>
<item>
  <title>City council opens a new public library</title>
  <link>https://wire.test/local/library</link>
  <guid>wire-2</guid>
  <pubDate>Tue, 24 Nov 2026 09:00:00 +0000</pubDate>
  <description>The new library has a reading room, a cafe and a children's corner.</description>
</item>
<item>
  <title>Lavrov holds talks with Chinese counterpart Wang Yi in Moscow</title>
  <link>https://wire.test/world/lavrov-wang-talks/</link>
  <guid>wire-1-copy</guid>
  <pubDate>Tue, 24 Nov 2026 08:31:00 +0000</pubDate>
  <description>Russian Foreign Minister Sergei Lavrov held talks with his Chinese
  counterpart Wang Yi in Moscow on Tuesday.</description>
</item>
</channel></rss>
"""


def feeds_file(deployment: Deployment, url: str) -> str:
    path = deployment.data_dir / "feeds.yaml"
    path.write_text(f"feeds:\n  - id: test-wire\n    url: {url}\n    name: Test Wire\n"
                    f"    language: en\n    interval_seconds: 60\n")
    return str(path)


async def test_feed_entry_becomes_alert_on_kafka_and_slack(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    feeds = feeds_file(deployment, feed_server.write("wire.xml", MEETING_FEED))
    deployment.mediawatch("worker", log_name="worker",
                          MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url)
    out = deployment.run_once("produce", "--feeds", feeds, "--once")
    assert "published 3 entries" in out

    alerts = await deployment.read("alerts", count=1)
    assert len(alerts) == 1, deployment.log("worker")
    key, value = alerts[0]
    event = loads(value)
    assert event["specversion"] == "1.0"
    assert event["type"] == "org.mediawatch.alert.v1"
    data = event["data"]
    assert data["event_type"] == "bilateral_meeting"
    assert data["parties"] == ["CN", "RU"]
    assert data["title"].startswith("Lavrov holds talks")
    assert key == data["story_id"].encode()

    (received,) = slack_server.wait_for(1)
    assert "Lavrov holds talks" in received.body["text"]
    assert any(block["type"] == "header" for block in received.body["blocks"])

    # The copy (same canonical URL) made no second unique article and no second alert.
    unique = await deployment.read("articles.unique", count=3, timeout=5)
    assert len(unique) == 2
    assert await end_offsets(deployment.bootstrap, deployment.topic("alerts")) == 1
    assert "ALERT [bilateral-meetings] bilateral meeting" in deployment.log("worker")


async def test_restarted_producer_does_not_publish_again(
        deployment: Deployment, feed_server: FeedServer) -> None:
    feeds = feeds_file(deployment, feed_server.write("wire.xml", MEETING_FEED))
    raw = deployment.topic("articles.raw")
    first = deployment.run_once("produce", "--feeds", feeds, "--once")
    assert "published 3 entries" in first
    assert await end_offsets(deployment.bootstrap, raw) == 3

    # A new process with the same data directory; the feed changed so that it must be
    # fetched and parsed again rather than answered with 304.
    feed_server.write("wire.xml", MEETING_FEED.replace("<title>Test Wire</title>",
                                                       "<title>Test Wire (updated)</title>"))
    second = deployment.run_once("produce", "--feeds", feeds, "--once")
    assert "published 0 entries" in second
    assert await end_offsets(deployment.bootstrap, raw) == 3

    # A new entry is still published after the restart.
    feed_server.write("wire.xml", MEETING_FEED.replace(
        "<item>", "<item><title>Fresh story</title><link>https://wire.test/fresh</link>"
        "<guid>wire-3</guid><description>Something new happened.</description></item><item>",
        1))
    third = deployment.run_once("produce", "--feeds", feeds, "--once")
    assert "published 1 entries" in third
    assert await end_offsets(deployment.bootstrap, raw) == 4


async def test_poison_message_is_dead_lettered_and_the_stream_goes_on(
        deployment: Deployment) -> None:
    deployment.mediawatch("worker", log_name="worker")
    good = Article(id="a" * 20, url="https://wire.test/good", feed_id="test", source="Test",
                   title="A good article", text="Nothing to see here.",
                   fetched_at=datetime.now(UTC), lang="en")
    await produce(deployment.bootstrap, deployment.topic("articles.raw"), [
        (b"bad-1", b"\xff\xfe this is not JSON"),
        (b"bad-2", orjson.dumps({"id": "missing everything else"})),
        (good.id.encode(), good.to_json()),
    ])
    dead = await deployment.read("articles.deadletter", count=2)
    assert len(dead) == 2, deployment.log("worker")
    records = sorted((loads(value) for _key, value in dead), key=lambda r: r["key"])
    assert [r["key"] for r in records] == ["bad-1", "bad-2"]
    assert all(r["reason"] == "poison_message" for r in records)
    assert records[0]["origin"]["topic"] == deployment.topic("articles.raw")
    assert "value_base64" in records[0]
    assert "not a valid Article" in records[1]["error"]

    unique = await deployment.read("articles.unique", count=1)
    assert [loads(v)["title"] for _k, v in unique] == ["A good article"]
    assert "dead-lettered" in deployment.log("worker")


async def test_a_poison_record_on_every_consumed_topic_is_routed_and_the_streams_go_on(
        deployment: Deployment) -> None:
    """Bytes that are no record, on every topic the worker consumes: each is
    dead-lettered with its origin (the replicated dedup index, read by every worker, is
    skipped and logged), and an article sent after them still becomes an alert."""
    deployment.mediawatch("worker", log_name="worker")
    poison = [(b"poison", b"\xff\x00 not a record"), (b"poison", b'{"json": "but wrong"}')]
    for topic in ("articles.raw", "articles.copies", "alerts.candidates", "alerts",
                  "dedup.index"):
        await produce(deployment.bootstrap, deployment.topic(topic), poison)
    meeting = Article(id="m" * 20, url="https://wire.test/meeting", feed_id="test",
                      source="Test", title="Japan and Kenya hold talks",
                      text="Japan's foreign minister met his Kenyan counterpart in Nairobi "
                           "on Monday for talks on trade.",
                      fetched_at=datetime.now(UTC), lang="en")
    await produce(deployment.bootstrap, deployment.topic("articles.raw"),
                  [(meeting.id.encode(), meeting.to_json())])

    articles_dead = [loads(v) for _k, v in await deployment.read("articles.deadletter",
                                                                count=6)]
    origins = sorted({d["origin"]["topic"].removeprefix(deployment.prefix)
                      for d in articles_dead})
    assert origins == ["alerts.candidates", "articles.copies", "articles.raw"]
    assert {d["reason"] for d in articles_dead} == {"poison_message"}
    alerts_dead = [loads(v) for _k, v in await deployment.read("alerts.deadletter",
                                                              count=2)]
    assert len(alerts_dead) == 2 and {d["reason"] for d in alerts_dead} == {"poison_message"}
    # The streams went on: the meeting is an alert (the poison records on alerts
    # aside, the one valid CloudEvent there).
    alerts = [loads(v) for _k, v in await deployment.read(
        "alerts", count=1, predicate=lambda v: v.startswith(b'{"specversion"'))]
    assert alerts[0]["data"]["parties"] == ["JP", "KE"]
    deployment.check_alive()
    assert "skipping a bad index record" in deployment.log("worker")
