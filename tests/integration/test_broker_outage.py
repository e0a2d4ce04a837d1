"""The broker stopped for 20 s under load and started again, on a broker of the test's
own (the shared test broker stays up for the other tests): the producer and the worker
reconnect by themselves, no article or alert is lost, none is delivered twice."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.admin import ensure_topics
from streams.topic_names import ALL_TOPICS

from .conftest import Deployment, FeedServer, OwnBroker, end_offsets, loads
from .slackserver import SlackServer
from .test_alerts import free_port, rss
from .test_delivery_faults import STORIES, alert_versions, posted

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 20.0

# Articles with no event, the traffic around the stories (my own text).
FILLER = [("en", f"Regional weather outlook, part {i}",
           f"Rain is expected in the northern districts on day {i}, forecasters said.")
          for i in range(40)]


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[OwnBroker]:
    port = free_port()
    controller = next(p for p in iter(free_port, None) if p != port)  # KRaft's own port
    broker = OwnBroker(tmp_path / "kafka", port, controller)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


async def test_broker_down_for_20_seconds_loses_nothing_and_delivers_once(
        own_broker: OwnBroker, tmp_path: Path, feed_server: FeedServer,
        slack_server: SlackServer) -> None:
    tag = uuid.uuid4().hex[:8]
    deployment = Deployment(broker=f"kafka://{own_broker.bootstrap}", prefix=f"t{tag}.",
                            app_id=f"mw-test-{tag}", data_dir=tmp_path / "deployment")
    deployment.data_dir.mkdir()
    await ensure_topics(deployment.settings(), ALL_TOPICS)
    (deployment.data_dir / "rules.yaml").write_text(
        "rules:\n  - name: meetings\n    severity: high\n    routes: [slack]\n"
        "    when: {event: bilateral_meeting}\n")
    before, after = STORIES[:3], STORIES[3:]
    url = feed_server.write("wire.xml", rss(before, "wire"))
    feeds = deployment.data_dir / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - {{id: wire, url: '{url}', name: wire}}\n")
    deployment.extra_env.update({
        "MEDIAWATCH_RULES_FILE": str(deployment.data_dir / "rules.yaml"),
        "MEDIAWATCH_SLACK_WEBHOOK_URL": slack_server.url,
        "MEDIAWATCH_FEED_MIN_INTERVAL_SECONDS": "1", "MEDIAWATCH_DEFAULT_INTERVAL_SECONDS": "1",
        "MEDIAWATCH_FEED_MAX_INTERVAL_SECONDS": "2", "MEDIAWATCH_FEED_MAX_BACKOFF_SECONDS": "2",
        "MEDIAWATCH_HOST_MIN_SPACING_SECONDS": "0"})
    try:
        deployment.mediawatch("worker", log_name="worker")
        deployment.mediawatch("produce", "--feeds", str(feeds), log_name="producer")
        slack_server.wait_for(len(before), timeout=120)

        own_broker.stop()
        down = time.monotonic()
        # The feed grows while the broker is away: the producer sees the new entries
        # and must keep them until it can publish.
        items = [*before, *after, *FILLER]
        feed_server.write("wire.xml", rss(items, "wire"))
        await asyncio.sleep(OUTAGE_SECONDS - (time.monotonic() - down))  # the outage
        deployment.check_alive()
        own_broker.start()

        received = slack_server.wait_for(len(STORIES), timeout=240)
        deployment.check_alive()
        # Every entry reached the broker; the stories' alerts went out once each.
        seen: set[str] = set()

        def first_copy(value: bytes) -> bool:
            title = loads(value)["title"]
            new = title not in seen
            seen.add(title)
            return new

        raw = await deployment.read("articles.raw", count=len(items), timeout=120,
                                    predicate=first_copy)
        titles = {loads(v)["title"] for _k, v in raw}
        assert titles == {title for _lang, title, _text in items}
        emitted = await alert_versions(deployment, count=len(STORIES))
        assert len(set(emitted)) == len(STORIES)
        assert Counter(posted(received)) == Counter(emitted)
        assert await end_offsets(deployment.bootstrap,
                                 deployment.topic("alerts.deadletter")) == 0
    finally:
        deployment.stop()
