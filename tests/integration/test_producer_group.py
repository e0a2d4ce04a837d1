"""Two producer instances on the real broker share 200 feeds through the consumer
group over the feeds topic: no feed polled twice within its interval, none forgotten
when an instance joins or leaves, nothing published twice."""

from __future__ import annotations

import itertools
import re
import signal
import socket
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator

import pytest

from .conftest import Deployment, end_offsets
from .producer_fixtures import FeedFarm, running_farm

pytestmark = pytest.mark.integration

FEEDS = 200
INTERVAL = 4.0


@pytest.fixture
def farm() -> Iterator[FeedFarm]:
    with running_farm() as farm:
        yield farm


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def owned(port: int) -> int | None:
    """The instance's mediawatch_feeds_owned, or None while it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as reply:
            text = reply.read().decode()
    except OSError:
        return None
    match = re.search(r"^mediawatch_feeds_owned (\S+)$", text, re.MULTILINE)
    return int(float(match.group(1))) if match else None


def polled_since(farm: FeedFarm, since: float, times: int) -> bool:
    counts: dict[str, int] = defaultdict(int)
    for request in farm.log():
        if request.at >= since:
            counts[request.name] += 1
    return len(counts) == FEEDS and all(n >= times for n in counts.values())


def test_two_instances_share_the_feeds_and_hand_them_over(
        deployment: Deployment, farm: FeedFarm) -> None:
    lines = ["feeds:"]
    for index in range(FEEDS):
        name = f"feed{index:03d}"
        url = farm.add(name, items=[(f"s{index}", f"Story number {index} from {name}")])
        lines.append(f"  - {{id: {name}, url: '{url}', name: Feed {index}, language: en}}")
    feeds_file = deployment.data_dir / "feeds.yaml"
    feeds_file.write_text("\n".join(lines) + "\n")
    env = {"MEDIAWATCH_FEED_MIN_INTERVAL_SECONDS": str(INTERVAL),
           "MEDIAWATCH_FEED_MAX_INTERVAL_SECONDS": str(INTERVAL),
           "MEDIAWATCH_DEFAULT_INTERVAL_SECONDS": str(INTERVAL),
           "MEDIAWATCH_HOST_MIN_SPACING_SECONDS": "0", "MEDIAWATCH_HOST_CONCURRENCY": "64",
           "MEDIAWATCH_FEEDS_PARTITIONS": "8"}
    port_a, port_b = free_port(), free_port()
    started = time.time()

    first = deployment.mediawatch("produce", "--feeds", str(feeds_file), log_name="producer-a",
                                  MEDIAWATCH_METRICS_PORT=str(port_a), **env)
    farm.wait_for(lambda: polled_since(farm, 0, 1), 90, "instance A polling all feeds",
                  alive=deployment.check_alive)
    assert owned(port_a) == FEEDS

    second = deployment.mediawatch("produce", log_name="producer-b",
                                   MEDIAWATCH_METRICS_PORT=str(port_b), **env)
    farm.wait_for(lambda: (owned(port_b) or 0) > 0 and (owned(port_a) or 0) > 0
                  and (owned(port_a) or 0) + (owned(port_b) or 0) == FEEDS, 90,
                  "the feeds shared by A and B", alive=deployment.check_alive)
    shared = time.time()
    farm.wait_for(lambda: polled_since(farm, shared, 2), 60,
                  "every feed polled twice while shared", alive=deployment.check_alive)

    first.terminate()
    assert first.wait(timeout=60) == 0, deployment.log("producer-a")
    stopped = time.time()

    def second_alive() -> None:
        assert second.poll() is None, deployment.log("producer-b")[-4000:]

    farm.wait_for(lambda: owned(port_b) == FEEDS, 60, "B owning every feed",
                  alive=second_alive)
    farm.wait_for(lambda: polled_since(farm, stopped, 2), 60,
                  "every feed polled twice by B alone", alive=second_alive)
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=60) == 0, deployment.log("producer-b")

    # No feed was polled twice within its interval, across both hand-overs.
    by_feed: dict[str, list[float]] = defaultdict(list)
    for request in farm.log():
        by_feed[request.name].append(request.at)
    assert len(by_feed) == FEEDS
    early = {name: [round(t - started, 2) for t in times] for name, times in by_feed.items()
             if any(b - a < INTERVAL - 0.05 for a, b in itertools.pairwise(times))}
    assert not early, (f"polled early (B joined at {shared - started:.2f}, A stopped at "
                       f"{stopped - started:.2f}): {early}")
    # Every entry was published exactly once, whoever polled its feed.
    assert end_offsets_sync(deployment) == FEEDS
    assert "released partitions" in deployment.log("producer-a")
    assert "assigned partitions" in deployment.log("producer-b")


def end_offsets_sync(deployment: Deployment) -> int:
    import asyncio

    return asyncio.run(end_offsets(deployment.bootstrap, deployment.topic("articles.raw")))
