"""What the markup scan (producers/markup.py) costs, and what it spares.

For bodies of ordinary shape, the scan's time next to the parse it guards (feedparser
for a feed, trafilatura for a page), in the same run. For crowded shapes, the parse
time at a few sizes without the scan (quadratic in one element's attributes: the sizes
stay small enough to finish) next to the scan's refusal at the largest body a fetch
reads. Process CPU time, best of ``--repeat``.

    .venv/bin/python benchmarks/bench_markup.py [--repeat 3]

Needs the ``pages`` extra (trafilatura) for the page rows.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from producers.markup import MAX_PAGE_MARKUP, refusal
from producers.pages import extract_main_text
from producers.parsing import parse_feed
from producers.registry import Feed

FEED = Feed(id="bench", url="https://bench.example/rss", name="Bench")
NOW = datetime(2026, 12, 1, tzinfo=UTC)
LIMIT = 10 * 1024 * 1024  # MEDIAWATCH_FETCH_MAX_BYTES
SENTENCE = ("Les ministres des affaires étrangères se sont réunis mardi à Genève pour "
            "discuter des sanctions et de la reprise du dialogue.")


def best(repeat: int, work: Callable[..., object], *args: Any, **kwargs: Any) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work(*args, **kwargs)
        times.append(time.process_time() - started)
    return min(times)


def ordinary_feed(items: int) -> bytes:
    body = "".join(
        f'<item><title>Réunion {i}</title><link>https://bench.example/a/{i}</link>'
        f'<guid isPermaLink="false">g{i}</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT'
        f'</pubDate><description><![CDATA[<p class="lead">{SENTENCE}</p>]]></description>'
        f'<media:content url="https://bench.example/i/{i}.jpg" medium="image" width="800"'
        f' height="450"/></item>' for i in range(items))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Bench</title>'
            f'<link>https://bench.example/</link>{body}</channel></rss>').encode()


def ordinary_page(paragraphs: int) -> bytes:
    body = "".join(f'<div class="para" id="p{i}"><p data-n="{i}">{SENTENCE}</p></div>'
                   for i in range(paragraphs))
    return (f'<html><head><title>Réunion</title></head><body><nav><a href="/">Accueil</a>'
            f'</nav><article><h1>Réunion à Genève</h1>{body}</article></body></html>'
            ).encode()


def crowded_feed(attributes: int) -> bytes:
    crowd = " ".join(f'data-n{i}="{i}"' for i in range(attributes))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            '<title>Bench</title><link>https://bench.example/</link>'
            f'<item><title {crowd}>Réunion</title><link>https://bench.example/a</link>'
            '</item></channel></rss>').encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    r = args.repeat

    print("| body | bytes | scan s | parse s | scan / parse |")
    print("|---|---|---|---|---|")
    for items in (100, 2_000):
        body = ordinary_feed(items)
        scan = best(r, refusal, body)
        parse = best(r, parse_feed, FEED, body, NOW)
        print(f"| feed, {items:,} items | {len(body):,} | {scan:.4f} | {parse:.3f} "
              f"| {scan / parse:.1%} |")
    for paragraphs in (200, 20_000):
        page = ordinary_page(paragraphs)
        scan = best(r, refusal, page, markup_limit=MAX_PAGE_MARKUP)
        extract = best(r, extract_main_text, page)
        print(f"| page, {paragraphs:,} paragraphs | {len(page):,} | {scan:.4f} "
              f"| {extract:.3f} | {scan / extract:.1%} |")

    print()
    print("| crowded body | bytes | feedparser without the scan, s | scan, s | refused |")
    print("|---|---|---|---|---|")
    for attributes in (4_000, 8_000, 16_000):
        body = crowded_feed(attributes)
        parse = best(1, feedparser.parse, body)
        scan = best(r, refusal, body)
        print(f"| one feed element, {attributes:,} attributes | {len(body):,} | "
              f"{parse:.2f} | {scan:.4f} | {refusal(body) is not None} |")
    attributes = 1
    while len(crowded_feed(attributes * 2)) < LIMIT:
        attributes *= 2
    body = crowded_feed(attributes)
    scan = best(r, refusal, body)
    print(f"| one feed element, {attributes:,} attributes | {len(body):,} | not run "
          f"(quadratic) | {scan:.4f} | {refusal(body) is not None} |")
    page = ("<html><body>" + "<p>a</p>" * ((LIMIT - 30) // 8) + "</body></html>").encode()
    scan = best(r, refusal, page, markup_limit=MAX_PAGE_MARKUP)
    print(f"| page of `<p>a</p>` | {len(page):,} | not run | {scan:.4f} | "
          f"{refusal(page, markup_limit=MAX_PAGE_MARKUP) is not None} |")


if __name__ == "__main__":
    main()
