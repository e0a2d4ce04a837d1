"""Deduplication across workers on the real broker: the replicated story index."""

from __future__ import annotations

import asyncio
import socket
import time
import urllib.request
from datetime import UTC, datetime

import pytest

from streams.records import Article

from .conftest import Deployment, loads, produce

pytestmark = pytest.mark.integration

STORIES = [
    ("Port workers in Rotterdam begin a three-day strike over pay",
     "Dock workers at the port of Rotterdam walked off the job on Monday at the start of a "
     "three-day strike over wages, halting container traffic at Europe's busiest port. "
     "Union leaders said talks with terminal operators had stalled after six rounds."),
    ("Heavy rain floods parts of Porto Alegre for a second week",
     "Rivers burst their banks again in southern Brazil, flooding low-lying districts of "
     "Porto Alegre and forcing thousands of families into shelters. Forecasters expect "
     "more rain before the weekend."),
    ("Central bank of Chile holds its policy rate at five percent",
     "Chile's central bank kept its benchmark interest rate unchanged at five percent on "
     "Wednesday, citing persistent services inflation and a weaker peso. Two board members "
     "had argued for a quarter-point cut."),
    ("Kenyan runners sweep the podium at the Berlin marathon",
     "Kenyan athletes took all three podium places in the men's race in Berlin on Sunday, "
     "with the winner finishing in two hours and three minutes on a cool, windless "
     "morning along the course."),
    ("Iceland volcano erupts again near Grindavik",
     "A new fissure opened on the Reykjanes peninsula late on Tuesday, sending lava "
     "fountains into the night sky. Authorities evacuated the nearby fishing town and "
     "closed the famous geothermal spa as a precaution."),
    ("Japanese carmaker recalls 400,000 vehicles over airbag fault",
     "A leading Japanese carmaker said it would recall about 400,000 vehicles worldwide "
     "because a sensor fault could stop front airbags from deploying in a crash. Dealers "
     "will replace the part free of charge."),
    ("Lunar lander sends first pictures from the far side",
     "A robotic lander that touched down on the far side of the Moon has sent back its "
     "first panoramic images, showing a boulder-strewn crater floor, the mission's "
     "control centre said on Thursday."),
    ("Wheat prices jump after drought cuts Argentine harvest estimate",
     "Futures for wheat rose sharply in Chicago after the Rosario grain exchange cut its "
     "forecast for Argentina's harvest by a fifth, blaming months of drought across the "
     "Pampas farming belt."),
]


def article(i: int, title: str, text: str, host: str) -> Article:
    from analysis.fingerprints import url_id
    url = f"https://{host}/news/{i:03d}-{title.split()[0].lower()}"
    return Article(id=url_id(url), url=url, feed_id=host, source=host, title=title,
                   text=text, fetched_at=datetime.now(UTC), lang="en")


def copy_of(i: int, title: str, text: str) -> Article:
    """The same story from another outlet: new URL, dateline, share buttons, source."""
    return article(i, title, f"LONDON (Wire) - {text}\nShare this article\n"
                   f"Source: Wire services", f"mirror{i}.example.net")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def index_size(port: int) -> float:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
            body = r.read().decode()
    except OSError:
        return -1.0
    for line in body.splitlines():
        if line.startswith("mediawatch_dedup_index_articles "):
            return float(line.split()[1])
    return -1.0


async def wait_for_index(deployment: Deployment, ports: list[int], size: int,
                         timeout: float = 60.0) -> None:
    """Until every worker's replicated index holds ``size`` articles."""
    deadline = time.monotonic() + timeout
    while True:
        deployment.check_alive()
        sizes = [index_size(p) for p in ports]
        if all(s >= size for s in sizes):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"index sizes {sizes}, expected {size}")
        await asyncio.sleep(0.2)


def start_workers(deployment: Deployment, count: int, **env: str) -> list[int]:
    ports = []
    for n in range(count):
        port = free_port()
        deployment.mediawatch("worker", log_name=f"worker{n}",
                              MEDIAWATCH_METRICS_PORT=str(port), **env)
        ports.append(port)
    return ports


async def test_two_workers_find_every_copy_and_a_restart_keeps_the_index(
        deployment: Deployment) -> None:
    ports = start_workers(deployment, 2)
    originals = [article(i, t, x, f"outlet{i}.example.org") for i, (t, x) in enumerate(STORIES)]
    raw = deployment.topic("articles.raw")
    await produce(deployment.bootstrap, raw, [(a.id.encode(), a.to_json()) for a in originals])
    unique = await deployment.read("articles.unique", count=len(originals))
    assert len(unique) == len(originals)
    await wait_for_index(deployment, ports, len(originals))

    async def unique_ids() -> set[str]:
        # At-least-once: a rebalance may redeliver an original; it keeps its story id.
        records = await deployment.read("articles.unique", count=10_000, timeout=3)
        assert all(loads(v)["story_id"] == loads(v)["id"] for _k, v in records)
        return {loads(v)["id"] for _k, v in records}


    copies = [copy_of(i, t, x) for i, (t, x) in enumerate(STORIES)]
    partitions = {hash(c.id) % 4 for c in copies} | {hash(o.id) % 4 for o in originals}
    assert len(partitions) > 1
    await produce(deployment.bootstrap, raw, [(c.id.encode(), c.to_json()) for c in copies])
    notices = [loads(v) for _k, v in await deployment.read("articles.copies",
                                                            count=len(copies))]
    story_of = {o.id: o.id for o in originals}
    got = sorted((n["article_id"], n["story_id"]) for n in notices)
    assert got == sorted(
        (c.id, story_of[o.id]) for c, o in zip(copies, originals, strict=True))
    assert {n["kind"] for n in notices} <= {"content", "near"}
    assert await unique_ids() == {o.id for o in originals}

    # Restart: the index comes back from the dedup.index topic.
    deployment.stop()
    deployment.processes.clear()
    (port,) = start_workers(deployment, 1)
    await wait_for_index(deployment, [port], 2 * len(originals))
    again = [article(i, t, x, f"third{i}.example.com") for i, (t, x) in enumerate(STORIES)]
    await produce(deployment.bootstrap, raw, [(a.id.encode(), a.to_json()) for a in again])
    notices = await deployment.read("articles.copies", count=2 * len(copies))
    assert {loads(v)["article_id"] for _k, v in notices} == {
        a.id for a in [*copies, *again]}
    assert await unique_ids() == {o.id for o in originals}


async def test_an_expired_story_is_new_again(deployment: Deployment) -> None:
    window = 3.0
    (port,) = start_workers(deployment, 1, MEDIAWATCH_DEDUP_WINDOW_SECONDS=str(window))
    title, text = STORIES[0]
    first = article(0, title, text, "outlet.example.org")
    raw = deployment.topic("articles.raw")
    await produce(deployment.bootstrap, raw, [(first.id.encode(), first.to_json())])
    await deployment.read("articles.unique", count=1)
    indexed_at = time.monotonic()
    await wait_for_index(deployment, [port], 1)
    # The story's window has to pass: this wait is the behaviour under test.
    await asyncio.sleep(max(0.0, window + 1.0 - (time.monotonic() - indexed_at)))
    later = copy_of(0, title, text)
    await produce(deployment.bootstrap, raw, [(later.id.encode(), later.to_json())])
    unique = [loads(v) for _k, v in await deployment.read("articles.unique", count=2)]
    assert [u["id"] for u in unique] == [first.id, later.id]
    assert unique[1]["story_id"] == later.id
