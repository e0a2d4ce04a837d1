"""Outputs that fail never let their input's offset be committed silently, on the real
broker: an output too large to queue dead-letters its input (and the stream goes on);
an output the broker refuses stops the worker before it commits that input."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from .conftest import Deployment, committed, loads, produce

pytestmark = pytest.mark.integration


def raw_article(slug: str, title: str, text: str) -> bytes:
    url = f"https://wire.example/{slug}"
    return orjson.dumps({
        "id": slug, "url": url, "feed_id": "wire", "source": "Wire", "title": title,
        "text": text, "fetched_at": datetime.now(UTC).isoformat(), "lang": "en"})


MEETING = ("Japan's foreign minister met his Kenyan counterpart in Nairobi on Monday for "
           "talks on trade.")


async def test_an_output_too_large_to_queue_dead_letters_its_input(
        deployment: Deployment) -> None:
    deployment.mediawatch("worker", log_name="worker")
    # Under the broker's 1 MB, over the worker producer's 1,000,000-byte requests once
    # the story id is added.
    filler = " ".join(f"word{i}" for i in range(200_000))[:1_020_000]
    big = raw_article("big", "A very long dispatch", filler)
    assert 1_010_000 < len(big) < 1_040_000
    await produce(deployment.bootstrap, deployment.topic("articles.raw"),
                  [(b"big", big), (b"next", raw_article("next", "Japan and Kenya talk",
                                                         MEETING))])
    ((_key, value),) = await deployment.read("articles.deadletter", count=1)
    dead = loads(value)
    assert dead["reason"] == "publish_error"
    assert "articles.unique" in dead["error"] and "MessageSizeTooLarge" in dead["error"]
    assert dead["origin"]["topic"] == deployment.topic("articles.raw")
    assert dead["value_truncated"] is True and dead["value_bytes"] == len(big)
    # The stream went on: the next article was tagged.
    tagged = await deployment.read("articles.tagged", count=1)
    assert loads(tagged[0][1])["article"]["title"] == "Japan and Kenya talk"
    deployment.check_alive()


async def test_an_output_the_broker_refuses_stops_the_worker_before_the_commit(
        deployment: Deployment) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=deployment.bootstrap)
    await admin.start()
    try:  # articles.tagged takes no record over 4 KB
        await admin.alter_configs([ConfigResource(
            ConfigResourceType.TOPIC, deployment.topic("articles.tagged"),
            configs={"max.message.bytes": "4096"})])
    finally:
        await admin.close()
    worker = deployment.mediawatch("worker", log_name="worker",
                                   MEDIAWATCH_COMMIT_INTERVAL_SECONDS="1")
    raw = deployment.topic("articles.raw")
    await produce(deployment.bootstrap, raw, [(b"small", raw_article(
        "small", "Japan and Kenya talk", MEETING))])
    await deployment.read("articles.tagged", count=1)
    for _ in range(120):  # until the first article's offset is committed (60 s)
        if await committed(deployment, raw) >= 1:
            break
        await asyncio.sleep(0.5)
    else:
        raise AssertionError("the first article's offset was never committed")

    text = MEETING + " " + " ".join(f"detail{i}" for i in range(1_500))  # ~13 KB
    await produce(deployment.bootstrap, raw, [(b"large", raw_article(
        "large", "Japan and Kenya hold long talks", text))])
    assert await asyncio.to_thread(worker.wait, 90) != 0  # stopped, not committed
    deployment.processes.remove(worker)
    log = deployment.log("worker")
    assert "send to " + deployment.topic("articles.tagged") + " failed" in log
    assert "offsets of its input are not committed" in log
    assert await committed(deployment, raw) == 1  # the second article will be read again
