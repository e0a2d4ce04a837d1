"""The two in-process contenders of ``bench_pipeline.py``, each run as its own process.

``core``: the analysis core alone (decode JSON, analyze, evaluate the rules) over
articles generated in memory — the compute limit.

``path``: the whole in-process article path, without a broker: decode JSON, clean the
title and body once, fingerprint + one probe of the near-duplicate index, analyze and
evaluate the rules (a copy stops there, as in the worker, whose copies stage raises
what a copy found that its story had not), the story suppression of a new story — every
step the worker does per article but the sends, the decodes of other workers' index
records and the commits.

``bare``: a bare aiokafka loop doing the whole pipeline's work on one prefix:
articles.raw → dedup → articles.unique (copies, analysed: articles.copies) →
analyze → articles.tagged → rules → suppression (``observe``, a dict) → alerts. It reads
in ``getmany`` batches, produces with linger, waits for the batch's outputs to be
acknowledged, then commits — the transport limit for this work. Dedup is either
``--dedup exact`` (canonical-URL id and GUID in a dict) or ``--dedup near`` (the
near-duplicate story index of ``analysis.dedup``: fingerprint, one probe that checks
and adds, and the index record published for every article — what the dedup stage
does, without reading other workers' records back). Every step calls the function the
worker's agents call (``streams.article_path``, ``streams.records``, ``analysis``); only
the transport differs: no Faust, no alerts.candidates hop.

Each prints one JSON line of results on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, Path(__file__).resolve().parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from analysis.fingerprints import guid_key  # noqa: E402
from analysis.rules import load_rules  # noqa: E402
from analysis.suppression import StoryAlert, observe  # noqa: E402
from analysis.text import clean_fields  # noqa: E402
from streams.article_path import (  # noqa: E402
    alert_payload,
    candidates,
    copy_notice,
    emitted,
    tag_article,
)
from streams.records import dump, parse_article  # noqa: E402
from streams.settings import Settings  # noqa: E402

RULES = load_rules(None)
RULES_BY_NAME = {rule.name: rule for rule in RULES.rules}
DEDUP_WINDOW = Settings().dedup_window_seconds  # the worker's default window


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def analyse(payload: bytes) -> tuple[dict[str, Any], list[Any]]:
    """An articles.raw payload decoded, tagged and matched, as the worker's article
    agent does it (the same functions)."""
    tagged = tag_article(parse_article(payload))
    return tagged, candidates(tagged, RULES.rules)


def run_core(n: int, seed: int, warmup: int) -> dict[str, Any]:
    from pipeline_corpus import articles

    payloads = [item.value for item in articles(n + warmup, seed)]
    for value in payloads[:warmup]:
        analyse(value)
    work = payloads[warmup:]
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    matched = 0
    for value in work:
        _tagged, found = analyse(value)
        matched += len(found)
    elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    return {"articles": len(work), "seconds": elapsed, "rate": len(work) / elapsed,
            "cpu_seconds": cpu, "peak_rss_mb": peak_rss_mb(), "matches": matched}


def run_path(n: int, seed: int, warmup: int) -> dict[str, Any]:
    from pipeline_corpus import articles

    from analysis.dedup import StoryIndex, fingerprint

    payloads = [item.value for item in articles(n + warmup, seed)]
    index = StoryIndex()
    stories: dict[str, StoryAlert] = {}
    counts = {"articles": 0, "unique": 0, "copies": 0, "matches": 0, "notified": 0}

    def one(payload: bytes, now: float) -> None:
        article = parse_article(payload)
        cleaned = clean_fields(article["title"], article["text"])
        signature = fingerprint(article, url_key=article["id"], cleaned=cleaned)
        verdict, merge = index.observe(signature, now)
        story_id = merge.winner if merge is not None else verdict.story_id
        article["story_id"] = story_id
        if verdict.kind != "new":  # a copy is analysed too, for what its story lacks
            counts["copies"] += 1
            candidates(tag_article(article, cleaned=cleaned), RULES.rules)
            return
        counts["unique"] += 1
        tagged = tag_article(article, cleaned=cleaned)
        for alert in candidates(tagged, RULES.rules):
            assert alert.story_key is not None
            counts["matches"] += 1
            rule = RULES_BY_NAME[alert.rule]
            decision = observe(stories.get(alert.story_key), key=alert.story_key,
                               story_id=story_id, article_id=article["id"], lang=alert.lang,
                               severity=rule.severity, now=now, suppression=rule.suppression)
            stories[alert.story_key] = decision.state
            counts["notified"] += decision.notify

    start = time.time()
    for i, value in enumerate(payloads[:warmup]):
        one(value, start + i * 0.01)
    counts = dict.fromkeys(counts, 0)
    work = payloads[warmup:]
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    for i, value in enumerate(work, warmup):
        one(value, start + i * 0.01)
        counts["articles"] += 1
    elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    return {**counts, "seconds": elapsed, "rate": len(work) / elapsed, "cpu_seconds": cpu,
            "peak_rss_mb": peak_rss_mb()}


async def run_bare(bootstrap: str, prefix: str, out_prefix: str, group: str,
                   max_records: int, linger_ms: int, dedup: str) -> dict[str, Any]:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    near_index: Any = None
    if dedup == "near":
        from analysis.dedup import IndexRecord, StoryIndex, fingerprint

        near_index = StoryIndex()
    origin = os.urandom(16).hex().encode()

    raw = f"{prefix}articles.raw"
    unique, tagged_topic, alerts = (f"{out_prefix}articles.unique",
                                    f"{out_prefix}articles.tagged", f"{out_prefix}alerts")
    copies = f"{out_prefix}articles.copies"
    index_topic = f"{out_prefix}dedup.index"
    consumer = AIOKafkaConsumer(raw, bootstrap_servers=bootstrap, group_id=group,
                                enable_auto_commit=False, auto_offset_reset="earliest",
                                max_partition_fetch_bytes=8 * 1024 * 1024,
                                fetch_max_bytes=64 * 1024 * 1024)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=linger_ms,
                                max_batch_size=1024 * 1024)
    await producer.start()
    await consumer.start()
    seen: dict[str, tuple[str, float]] = {}
    stories: dict[str, StoryAlert] = {}
    counts = {"consumed": 0, "unique": 0, "alerts": 0}
    cpu0 = t0 = None
    try:
        while not consumer.assignment():
            await consumer.getmany(timeout_ms=100, max_records=1)
        await consumer.seek_to_beginning()
        parts = sorted(consumer.assignment())
        end = await consumer.end_offsets(parts)

        async def behind() -> bool:
            return any([await consumer.position(tp) < end[tp] for tp in parts])

        while await behind():
            batch = await consumer.getmany(timeout_ms=1000, max_records=max_records)
            if t0 is None and batch:
                cpu0, t0 = cpu_seconds(), time.perf_counter()
            pending = []
            for records in batch.values():
                for record in records:
                    counts["consumed"] += 1
                    article = parse_article(record.value)
                    now = time.time()
                    cleaned = None
                    if near_index is not None:
                        cleaned = clean_fields(article["title"], article["text"])
                        signature = fingerprint(article, url_key=article["id"], cleaned=cleaned)
                        verdict, merge = near_index.observe(signature, now)
                        story_id = merge.winner if merge is not None else verdict.story_id
                        # The index record every article gets, as the dedup stage
                        # publishes it for the other workers and for restarts.
                        pending.append(await producer.send(
                            index_topic, IndexRecord(signature, story_id, now).to_bytes(),
                            key=story_id.encode(), headers=[("origin", origin)]))
                        if verdict.kind != "new":
                            notice = copy_notice(article, story_id, verdict.kind)
                            notice["matches"] = [orjson.loads(a.to_json()) for a in candidates(
                                tag_article({**article, "story_id": story_id},
                                            cleaned=cleaned), RULES.rules)]
                            pending.append(await producer.send(
                                copies, orjson.dumps(notice), key=story_id.encode()))
                            continue
                    else:
                        keys = [article["id"]]
                        if article.get("guid"):
                            keys.append(guid_key(article["feed_id"], article["guid"]))
                        if any((e := seen.get(k)) and now - e[1] < DEDUP_WINDOW
                               for k in keys):
                            continue
                        story_id = article["id"]
                        for k in keys:
                            seen[k] = (story_id, now)
                    article["story_id"] = story_id
                    key = story_id.encode()
                    pending.append(await producer.send(unique, dump(article), key=key))
                    counts["unique"] += 1
                    tagged = tag_article(article, cleaned=cleaned)
                    pending.append(await producer.send(tagged_topic, dump(tagged), key=key))
                    for alert in candidates(tagged, RULES.rules):
                        assert alert.story_key is not None
                        rule = RULES_BY_NAME[alert.rule]
                        decision = observe(stories.get(alert.story_key), key=alert.story_key,
                                           story_id=story_id, article_id=article["id"],
                                           lang=alert.lang, severity=rule.severity, now=now,
                                           suppression=rule.suppression)
                        stories[alert.story_key] = decision.state
                        if decision.notify:
                            sent = emitted(alert, decision.state, datetime.now(UTC))
                            pending.append(await producer.send(
                                alerts, alert_payload(sent),
                                key=decision.state.story_id.encode()))
                            counts["alerts"] += 1
            if pending:
                await asyncio.gather(*pending)
            if batch:
                await consumer.commit()
        elapsed = time.perf_counter() - (t0 or time.perf_counter())
        cpu = cpu_seconds() - (cpu0 or cpu_seconds())
    finally:
        await consumer.stop()
        await producer.stop()
    return {**counts, "seconds": elapsed, "rate": counts["consumed"] / max(elapsed, 1e-9),
            "cpu_seconds": cpu, "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    core = sub.add_parser("core")
    core.add_argument("--articles", type=int, default=5000)
    core.add_argument("--warmup", type=int, default=300)
    core.add_argument("--seed", type=int, default=7)
    path = sub.add_parser("path")
    path.add_argument("--articles", type=int, default=20000)
    path.add_argument("--warmup", type=int, default=300)
    path.add_argument("--seed", type=int, default=7)
    bare = sub.add_parser("bare")
    bare.add_argument("--bootstrap", required=True)
    bare.add_argument("--prefix", required=True)
    bare.add_argument("--out-prefix", required=True)
    bare.add_argument("--group", required=True)
    bare.add_argument("--max-records", type=int, default=500)
    bare.add_argument("--linger-ms", type=int, default=20)
    bare.add_argument("--dedup", choices=("exact", "near"), default="exact")
    args = parser.parse_args(argv)
    if args.mode == "core":
        result = run_core(args.articles, args.seed, args.warmup)
    elif args.mode == "path":
        result = run_path(args.articles, args.seed, args.warmup)
    else:
        result = asyncio.run(run_bare(args.bootstrap, args.prefix, args.out_prefix, args.group,
                                      args.max_records, args.linger_ms, args.dedup))
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
