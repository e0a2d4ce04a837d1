"""What parsing feeds in a process of their own (producers/isolation.py) costs.

The same bodies parsed one after another in a thread of the producer (``asyncio.to_thread``,
as before the parse had a time limit) and through ``IsolatedParser`` (pickled to a child
process and back), in the same run; wall time per feed, best of ``--repeat``.

    .venv/bin/python benchmarks/bench_isolation.py [--feeds 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from producers.isolation import IsolatedParser
from producers.parsing import parse_feed
from producers.registry import Feed

FEED = Feed(id="bench", url="https://bench.example/rss", name="Bench")
NOW = datetime(2026, 12, 1, tzinfo=UTC)
LEAD = ("Les ministres des affaires étrangères se sont réunis mardi à Genève pour discuter "
        "des sanctions et de la reprise du dialogue. ")


def body(items: int, size: int) -> bytes:
    entries = "".join(
        f"<item><title>Réunion {i}</title><link>https://bench.example/a/{i}</link>"
        f'<guid isPermaLink="false">g{i}</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT'
        f"</pubDate><description><![CDATA[<p>{LEAD * size}</p>]]></description></item>"
        for i in range(items))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench</title><link>https://bench.example/</link>{entries}"
            "</channel></rss>").encode()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    isolated = IsolatedParser(timeout=60.0, memory=1024 * 1024 * 1024)
    await isolated.parse(FEED, body(1, 1), NOW)  # the child started before timing
    print("| feed | bytes | in a thread ms/feed | in its process ms/feed | ratio |")
    print("|---|---|---|---|---|")
    for items, size in ((20, 1), (20, 10), (200, 10)):
        data = body(items, size)
        best = {"thread": float("inf"), "process": float("inf")}
        for _ in range(args.repeat):
            started = time.perf_counter()
            for _ in range(args.feeds):
                await asyncio.to_thread(parse_feed, FEED, data, NOW)
            best["thread"] = min(best["thread"], time.perf_counter() - started)
            started = time.perf_counter()
            for _ in range(args.feeds):
                await isolated.parse(FEED, data, NOW)
            best["process"] = min(best["process"], time.perf_counter() - started)
        thread, process = (best[k] / args.feeds * 1000 for k in ("thread", "process"))
        print(f"| {items} items of {len(LEAD) * size:,} characters | {len(data):,} "
              f"| {thread:.2f} | {process:.2f} | {process / thread:.2f} |")
    await isolated.close()


if __name__ == "__main__":
    asyncio.run(main())
