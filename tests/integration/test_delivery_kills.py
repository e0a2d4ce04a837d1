"""The duplicate window of delivery, measured: the worker is SIGKILLed at random points
of a Slack backlog, many times (``MEDIAWATCH_TEST_KILLS``, 50 by default), restarted
each time; no alert version may be posted twice, and each must be posted or
dead-lettered as unconfirmed — none lost without a trace.

Slack's webhook API has no idempotency key. Each post is marked in flight in the
delivered-alerts table before the request and delivered after Slack's 200; a kill in
between leaves the mark, and the next worker dead-letters that version as
``unconfirmed`` (for a replay) instead of posting it twice (docs/decisions.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import signal
import time
from collections import Counter

import pytest

from .conftest import Deployment, FeedServer, end_offsets, loads
from .slackserver import SlackServer
from .test_alerts import setup
from .test_delivery_faults import posted

pytestmark = pytest.mark.integration

KILLS = int(os.environ.get("MEDIAWATCH_TEST_KILLS", "50"))

COUNTRIES = ["Japan", "Kenya", "Chile", "Portugal", "Norway", "Vietnam", "Egypt", "Greece",
             "Canada", "Mexico", "Poland", "Peru", "Ghana", "Finland", "Thailand",
             "Morocco", "Austria", "Colombia"]


VERBS = ["held talks with", "met", "received", "hosted", "spoke by phone with"]
TOPICS = ["fisheries quotas", "port investment", "visa rules", "grain exports",
          "climate finance", "rail links", "student exchanges", "energy supplies",
          "customs procedures", "satellite data", "pharmaceutical trade", "tourism flows",
          "water management"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CLOSERS = ["a spokesperson for the {b} ministry said", "according to a joint statement",
           "officials in {a} told reporters", "the {b} embassy said in a statement"]


def stories(count: int) -> list[tuple[str, str, str]]:
    """``count`` (at most 153) bilateral meetings of distinct pairs, worded apart enough
    that none is a near-duplicate of another (my own text)."""
    out = []
    pairs = itertools.islice(itertools.combinations(COUNTRIES, 2), count)
    for i, (a, b) in enumerate(pairs):
        verb, day = VERBS[i % 5], DAYS[(i * 3) % 7]
        first, second = TOPICS[i % 13], TOPICS[(i * 5 + 3) % 12]
        third = TOPICS[(i * 7 + 1) % 11]
        out.append(("en", f"{a} and {b} discuss {first}",
                    f"The foreign minister of {a} {verb} the foreign minister of {b} on "
                    f"{day}. Talks covered {first} and {second}, with {third} left for "
                    f"later; {i + 2} working groups and {(i * 37) % 90 + 10} delegates "
                    f"will report by {DAYS[(i + 1) % 7]}, "
                    f"{CLOSERS[i % 4].format(a=a, b=b)}."))
    return out


async def test_kills_in_a_slack_backlog_post_each_alert_version_once(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    items = stories(min(len(COUNTRIES) * (len(COUNTRIES) - 1) // 2, 2 * KILLS + 20))
    feeds = setup(deployment, feed_server, items)
    env = {"MEDIAWATCH_SLACK_WEBHOOK_URL": slack_server.url,
           # The killed worker's partitions move to the next one after this long.
           "MEDIAWATCH_SESSION_TIMEOUT_SECONDS": "6"}
    deployment.run_once("produce", "--feeds", feeds, "--once")
    kills = 0
    while kills < KILLS:
        before = len(slack_server.accepted())
        worker = deployment.mediawatch("worker", log_name=f"worker-{kills}", **env)
        try:
            # Once this worker delivers, kill it at a random point of the backlog.
            await asyncio.to_thread(slack_server.wait_for, before + 1, 120.0)
        except AssertionError:
            deployment.check_alive()
            raise
        if before + 1 >= len(items):
            break  # the backlog is drained: no more kill points
        await asyncio.sleep(rng.uniform(0.0, 2.0))  # the random kill point
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        deployment.processes.remove(worker)
        kills += 1

    deployment.mediawatch("worker", log_name="worker-last", **env)
    emitted = await distinct_alerts(deployment, len(items))
    # Every version ends posted or dead-lettered as unconfirmed (a kill while its post
    # was in flight: the request may never have left, so it need not arrive).
    deadline = time.monotonic() + 180
    while True:
        dead = await dead_letters(deployment)
        settled = set(posted(slack_server.received)) | {
            (d["alert_id"], d["version"]) for d in dead}
        if emitted <= settled:
            break
        deployment.check_alive()
        assert time.monotonic() < deadline, f"not posted nor dead-lettered: {emitted - settled}"
        with contextlib.suppress(AssertionError):  # no new post within the second
            await asyncio.to_thread(slack_server.wait_for, len(slack_server.accepted()) + 1,
                                    1.0)
    counts = Counter(posted(slack_server.received))
    twice = {alert: n for alert, n in counts.items() if n > 1}
    # A kill while a post was in flight leaves it unconfirmed: dead-lettered for a
    # replay, never posted a second time.
    dead = await dead_letters(deployment)
    assert {d["reason"] for d in dead} <= {"unconfirmed"}
    unconfirmed = {(d["alert_id"], d["version"]) for d in dead}
    print(f"kills={kills} seed={seed} alerts={len(items)} posted twice={len(twice)} "
          f"unconfirmed={len(unconfirmed)} (of which posted: "
          f"{len(unconfirmed & set(counts))})")
    assert kills >= min(KILLS, 10), "the backlog drained before enough kills"
    assert not twice, f"posted more than once after {kills} kills (seed {seed}): {twice}"
    assert set(counts) <= emitted  # nothing made up
    assert emitted <= set(counts) | unconfirmed  # none lost without a trace


async def dead_letters(deployment: Deployment) -> list[dict]:  # type: ignore[type-arg]
    """Every record on alerts.deadletter so far."""
    total = await end_offsets(deployment.bootstrap, deployment.topic("alerts.deadletter"))
    if not total:
        return []
    return [loads(v) for _k, v in await deployment.read("alerts.deadletter", count=total)]


async def distinct_alerts(deployment: Deployment, count: int) -> set[tuple[str, int]]:
    """The first ``count`` distinct alert versions on the alerts topic."""
    seen: set[tuple[str, int]] = set()

    def new(value: bytes) -> bool:
        data = loads(value)["data"]
        alert = (data["alert_id"], data["version"])
        fresh = alert not in seen
        seen.add(alert)
        return fresh

    await deployment.read("alerts", count=count, predicate=new, timeout=180)
    assert len(seen) == count
    return seen
