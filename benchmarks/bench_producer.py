"""Feed producer throughput: feeds polled per minute by one instance.

A local feed farm (aiohttp on 127.0.0.1, in a thread of this process) serves N RSS
feeds of 20 entries with ETags. One producer instance (producers.service, real Kafka
broker) joins its group and polls every feed once (round 1: all 200, all entries new,
published); then a new instance polls them all again after a share of the feeds
changed (round 2: a mix of 200 and 304, the state read back from feeds.state).

    .venv/bin/python benchmarks/bench_producer.py --broker kafka://127.0.0.1:19192 \\
        [--feeds 2000] [--changed 0.5]

All feeds share one host (127.0.0.1), so the per-host politeness limits are lifted for
the run (HOST_MIN_SPACING_SECONDS=0, HOST_CONCURRENCY=FETCH_CONCURRENCY).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
import time
import uuid
from pathlib import Path

from prometheus_client import CollectorRegistry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from producers.catalog import register
from producers.registry import Feed
from producers.service import ProducerService
from streams.metrics import Metrics
from streams.settings import Settings
from tests.integration.producer_fixtures import running_farm

ENTRIES = 20


def items(index: int, version: int) -> list[tuple[str, str]]:
    return [(f"{index}-{version}-{n}", f"Story {n} of feed {index}, edition {version}")
            for n in range(ENTRIES)]


async def round_(settings: Settings) -> tuple[float, dict[str, int], int]:
    async with ProducerService(settings, Metrics(CollectorRegistry())) as service:
        started = time.perf_counter()
        outcomes = await service.poll_once(timeout=120)
        elapsed = time.perf_counter() - started
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
    return elapsed, counts, sum(o.published for o in outcomes)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--broker", default=os.environ.get("MEDIAWATCH_BROKER",
                                                           "kafka://127.0.0.1:9092"))
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--changed", type=float, default=0.5,
                        help="share of the feeds with new entries in round 2")
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    tag = uuid.uuid4().hex[:8]
    settings = dataclasses.replace(
        Settings(), broker=args.broker, topic_prefix=f"bench{tag}.", app_id=f"bench-{tag}",
        fetch_concurrency=args.concurrency, host_concurrency=args.concurrency,
        host_min_spacing_seconds=0.0, feed_min_interval_seconds=3600.0,
        feed_max_interval_seconds=3600.0)
    with running_farm() as farm:
        feeds = [Feed(id=f"bench{i:05d}", url=farm.add(f"bench{i:05d}", items=items(i, 0)),
                     name=f"Bench {i}") for i in range(args.feeds)]
        await register(settings, feeds)
        print(f"{args.feeds} feeds of {ENTRIES} entries; fetch concurrency {args.concurrency}")
        for number in (1, 2):
            if number == 2:
                for i in range(int(args.feeds * args.changed)):
                    farm.set_items(f"bench{i:05d}", items(i, 1))
            elapsed, counts, published = await round_(settings)
            rate = len(feeds) / elapsed * 60
            print(f"round {number}: {len(feeds)} feeds in {elapsed:.1f} s = {rate:,.0f} "
                  f"feeds/min; outcomes {counts}; {published} entries published")


if __name__ == "__main__":
    asyncio.run(main())
