"""End-to-end performance of the pipeline on a real broker, against a bare aiokafka loop.

Usage (a broker must be running; the harness only talks to it)::

    python benchmarks/bench_pipeline.py --broker kafka://127.0.0.1:19392 \
        [--articles 100000] [--latency-seconds 90] [--rate 200] [--only core,bare,faust1,...]
    python benchmarks/bench_pipeline.py --broker ... profile [--articles 10000] [--out F.prof]
    python benchmarks/bench_pipeline.py --broker ... soak [--articles 1000000] \
        [--window-seconds 120] [--sample-seconds 10] [--json F.json]

One run measures, on one broker and one load:

``core``     the analysis core alone in one process (JSON decode + analyze + rules).
``path``     the whole in-process article path in one process, without a broker: JSON
             decode, near-duplicate fingerprint + index probe, analyze, rules and
             story suppression (``benchmarks/pipeline_bare.py path``).
``bare``     ``benchmarks/pipeline_bare.py bare``: one process, aiokafka getmany →
             exact dedup dict + analyze + rules + suppression → produce (linger 20 ms,
             acks=all) → commit after the batch's outputs are acknowledged.
``faust1``   ``python -m mediawatch.cli worker`` as shipped, one worker.
``faust2``   the same with two workers (one app id, so one consumer group).
``latency``  one worker at a steady offered load (``--rate`` articles/s, paced producer):
             raw-append → alert latency, aligned by article id.

Every contender gets its own topic prefix and app id (``bench<tag>-<name>.``); its
articles.raw is preloaded with the same ``--articles`` articles before any contender
runs. Definitions:

* throughput = articles on articles.raw / (T_end − T_start), T_start = CreateTime of the
  first record on the contender's articles.unique, T_end = CreateTime of the last record
  on any of its outputs (articles.unique, articles.tagged, alerts.candidates, alerts).
  Completion is checked: the consumer group's committed offsets equal the end offsets
  on every topic it consumes. Start-up (imports, group join) is outside the window.
* CPU s / 1,000 articles = user+system CPU of the contender's processes (``/proc``)
  from the last sample before T_start to completion, per 1,000 raw articles.
* peak RSS = ``VmHWM`` of each process (``ru_maxrss`` for the in-process contenders).
* latency = CreateTime of the alert record on ``alerts`` − CreateTime of the raw record
  of the alert's ``article_id``; warm-up articles are excluded.
* lag = sum over partitions of end offset − committed offset of the group, per consumed
  topic, sampled every second (committed offsets move every commit interval, 2.8 s).

``soak`` (a subcommand) is the memory soak: one worker with short state windows fed
while it consumes; see ``soak`` below and benchmarks/README.md, "Memory soak".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import itertools
import logging
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (ROOT, HERE):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # noqa: E402
from aiokafka.admin import AIOKafkaAdminClient  # noqa: E402
from aiokafka.errors import KafkaError  # noqa: E402
from pipeline_corpus import articles  # noqa: E402

from analysis.rules import parse_rules  # noqa: E402
from streams.admin import create_topics  # noqa: E402
from streams.settings import Settings, process_env  # noqa: E402

PARTITIONS = 4
CLK_TCK = os.sysconf("SC_CLK_TCK")
PIPELINE_TOPICS = ("articles.raw", "articles.unique", "articles.tagged", "articles.deadletter",
                   "articles.copies", "alerts.candidates", "alerts", "alerts.deadletter")
FAUST_CONSUMED = ("articles.raw", "articles.copies",
                  "alerts.candidates", "alerts")
FAUST_OUTPUTS = ("articles.unique", "articles.tagged", "alerts.candidates", "alerts")
BARE_OUTPUTS = ("bare.articles.unique", "bare.articles.copies", "bare.articles.tagged",
                "bare.alerts")


logging.getLogger("aiokafka").setLevel(logging.ERROR)


def log(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def loadavg() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


# ------------------------------------------------------------------ processes
def proc_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_status(pid: int, name: str) -> float | None:
    """A ``kB`` field of /proc/<pid>/status in MB (VmHWM, VmRSS)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def crash(self) -> str | None:
        """The first line of the log that reports a crashed agent, if any."""
        try:
            with self.log_path.open("rb") as log_file:
                log_file.seek(0, os.SEEK_END)
                log_file.seek(max(0, log_file.tell() - 65536))
                tail = log_file.read().decode("utf-8", "replace")
        except OSError:
            return None
        for line in tail.splitlines():
            if "Crashed reason=" in line:
                return line.strip()
        return None

    def stop(self, timeout: float = 30.0) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def worker_env(broker: str, prefix: str, app_id: str, data_dir: Path,
               **settings: object) -> dict[str, str]:
    """A benchmark worker's environment: its topics and group, quiet logs, and
    ``settings`` (Settings field names)."""
    return process_env(**{"broker": broker, "topic_prefix": prefix, "app_id": app_id,
                          "data_dir": data_dir, "partitions": PARTITIONS,
                          "log_level": "WARNING", **settings})


def start_worker(argv: list[str], env: dict[str, str], log_path: Path,
                 cwd: Path = ROOT) -> Worker:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as out:
        process = subprocess.Popen([sys.executable, *argv], cwd=cwd, env=env,
                                   stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    return Worker(process, log_path)


# ------------------------------------------------------------------ broker
class Broker:
    """Admin, offsets and record timestamps for the topics of one run."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                                         enable_auto_commit=False)

    async def __aenter__(self) -> Broker:
        await self.admin.start()
        await self.consumer.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.consumer.stop()
        await self.admin.close()

    async def create(self, topics: Iterable[str],
                     configs: dict[str, str] | None = None) -> None:
        """Create the missing ``topics`` (``configs``: topic configs of the new ones)."""
        await create_topics(Settings(broker=f"kafka://{self.bootstrap}"), topics, PARTITIONS,
                            configs, prefixed=False)

    @staticmethod
    def parts(topic: str) -> list[TopicPartition]:
        return [TopicPartition(topic, p) for p in range(PARTITIONS)]

    async def end_offsets(self, topics: Iterable[str]) -> dict[TopicPartition, int]:
        tps = [tp for t in topics for tp in self.parts(t)]
        return dict(await self.consumer.end_offsets(tps))

    async def committed(self, group: str) -> dict[TopicPartition, int]:
        try:
            offsets = await self.admin.list_consumer_group_offsets(group)
        except KafkaError:  # no coordinator yet: the group has not committed
            return {}
        return {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}

    async def lag(self, group: str, topics: tuple[str, ...]) -> tuple[dict[str, int],
                                                                        dict[str, int]]:
        """(lag per topic, end offset sum per topic)."""
        end = await self.end_offsets(topics)
        done = await self.committed(group)
        lag = {t: 0 for t in topics}
        total = {t: 0 for t in topics}
        for tp, offset in end.items():
            lag[tp.topic] += max(0, offset - done.get(tp, 0))
            total[tp.topic] += offset
        return lag, total

    async def edge_times(self, topics: Iterable[str]) -> tuple[float | None, float | None]:
        """(CreateTime of the first record, of the last record) over ``topics``, seconds."""
        first: float | None = None
        last: float | None = None
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None,
                                    enable_auto_commit=False, max_partition_fetch_bytes=65536)
        await consumer.start()
        try:
            tps = [tp for t in topics for tp in self.parts(t)]
            consumer.assign(tps)
            begin = await consumer.beginning_offsets(tps)
            end = await consumer.end_offsets(tps)
            for tp in tps:
                if end[tp] <= begin[tp]:
                    continue
                for offset in (begin[tp], end[tp] - 1):
                    consumer.seek(tp, offset)
                    records = (await consumer.getmany(tp, timeout_ms=5000, max_records=1)).get(
                        tp, [])
                    if not records:
                        continue
                    ts = records[0].timestamp / 1000.0
                    first = ts if first is None else min(first, ts)
                    last = ts if last is None else max(last, ts)
        finally:
            await consumer.stop()
        return first, last

    async def read_all(self, topic: str, handle: Callable[[Any], None],
                       timeout: float = 300.0) -> int:
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None,
                                    enable_auto_commit=False,
                                    max_partition_fetch_bytes=8 * 1024 * 1024)
        await consumer.start()
        count = 0
        try:
            tps = self.parts(topic)
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            end = await consumer.end_offsets(tps)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if all([await consumer.position(tp) >= end[tp] for tp in tps]):
                    break
                for records in (await consumer.getmany(timeout_ms=1000)).values():
                    for record in records:
                        handle(record)
                        count += 1
        finally:
            await consumer.stop()
        return count


async def preload(bootstrap: str, topics: list[str], n: int, seed: int) -> dict[str, Any]:
    """Write the same ``n`` articles to every topic of ``topics``."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=20,
                                max_batch_size=1024 * 1024)
    await producer.start()
    kinds: dict[str, int] = {}
    nbytes = 0
    t0 = time.perf_counter()
    try:
        pending = []
        for item in articles(n, seed):
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
            nbytes += len(item.value)
            for topic in topics:
                pending.append(await producer.send(topic, item.value, key=item.key))
            if len(pending) >= 4000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return {"articles": n, "kinds": kinds, "mean_bytes": nbytes / max(n, 1),
            "seconds": time.perf_counter() - t0}


# ------------------------------------------------------------------ monitoring
@dataclass
class Sample:
    t: float                       # seconds since the contender started
    lag: dict[str, int]
    cpu: float                     # CPU seconds of the contender's processes so far
    broker_cpu: float | None


@dataclass
class Watch:
    samples: list[Sample] = field(default_factory=list)
    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    cpu_final: float = 0.0
    broker_cpu_final: float | None = None
    drained_at: float | None = None


def broker_pid(data_dir: Path | None) -> int | None:
    if data_dir is None:
        return None
    try:
        return int((data_dir / "kafka.pid").read_text().strip())
    except (OSError, ValueError):
        return None


async def watch_group(broker: Broker, group: str, topics: tuple[str, ...], expected_raw: int,
                      raw_topic: str, workers: list[Worker], bpid: int | None,
                      timeout: float, stop_when_drained: bool = True,
                      until: Callable[[], bool] | None = None,
                      allow_exit: bool = False) -> Watch:
    """Sample lag and CPU every second until the group has consumed everything."""
    watch = Watch()
    t0 = time.monotonic()
    cpu_seen: dict[int, float] = {}
    stable = 0
    last_totals: dict[str, int] | None = None
    while time.monotonic() - t0 < timeout:
        for w in workers:
            cpu = proc_cpu(w.pid)
            if cpu is not None:
                cpu_seen[w.pid] = cpu
            hwm = proc_status(w.pid, "VmHWM")
            if hwm is not None:
                watch.peak_rss_mb[w.pid] = max(hwm, watch.peak_rss_mb.get(w.pid, 0.0))
        lag, totals = await broker.lag(group, topics)
        watch.samples.append(Sample(time.monotonic() - t0, lag, sum(cpu_seen.values()),
                                    proc_cpu(bpid) if bpid else None))
        dead = [w for w in workers if not w.alive()]
        if dead and not (allow_exit and dead[0].process.returncode == 0):
            raise RuntimeError(f"worker {dead[0].pid} exited; log: {dead[0].log_path}")
        for w in workers:
            crash = w.crash()
            if crash:
                raise RuntimeError(f"an agent of worker {w.pid} crashed ({w.log_path}): "
                                   f"{crash[:300]}")
        drained = (totals.get(raw_topic, 0) >= expected_raw and not any(lag.values())
                   and totals == last_totals)
        stable = stable + 1 if drained else 0
        last_totals = totals
        if stable >= 2 and stop_when_drained and (until is None or until()):
            watch.drained_at = time.monotonic() - t0
            break
        await asyncio.sleep(1.0)
    watch.cpu_final = sum(cpu_seen.values())
    watch.broker_cpu_final = proc_cpu(bpid) if bpid else None
    return watch


def cpu_at(watch: Watch, t: float) -> tuple[float, float | None]:
    """CPU of the contender and of the broker at the last sample at or before ``t``."""
    before = [s for s in watch.samples if s.t <= t] or watch.samples[:1]
    return before[-1].cpu, before[-1].broker_cpu


def lag_table(watch: Watch, topics: tuple[str, ...], short: dict[str, str],
              max_rows: int = 25) -> str:
    step = max(1, len(watch.samples) // max_rows)
    rows = watch.samples[::step]
    if watch.samples and rows[-1] is not watch.samples[-1]:
        rows.append(watch.samples[-1])
    head = f"{'t (s)':>6} " + " ".join(f"{short[t]:>10}" for t in topics) + f" {'cpu %':>6}"
    lines = [head]
    prev: Sample | None = None
    for s in rows:
        pct = ""
        if prev is not None and s.t > prev.t:
            pct = f"{100 * (s.cpu - prev.cpu) / (s.t - prev.t):.0f}"
        lines.append(f"{s.t:>6.0f} " + " ".join(f"{s.lag[t]:>10,}" for t in topics)
                     + f" {pct:>6}")
        prev = s
    return "\n".join(lines)


# ------------------------------------------------------------------ contenders
@dataclass
class Result:
    name: str
    rate: float
    cpu_per_1000: float
    peak_rss_mb: str
    window_s: float
    extra: dict[str, Any] = field(default_factory=dict)


def bare_script(ctx: Context) -> Path:
    """pipeline_bare.py of the tree under test (its analysis package), else this one."""
    candidate = ctx.worker_root / "benchmarks" / "pipeline_bare.py"
    return candidate if candidate.exists() else HERE / "pipeline_bare.py"


def run_inprocess(ctx: Context, argv: list[str], timeout: float) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(bare_script(ctx)), *argv], cwd=ctx.worker_root,
                         capture_output=True, timeout=timeout, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"pipeline_bare.py {argv[0]} failed:\n{out.stderr.decode()[-3000:]}")
    return dict(orjson.loads(out.stdout.strip().splitlines()[-1]))


async def measure_bare(broker: Broker, ctx: Context, name: str, dedup: str) -> Result:
    prefix = ctx.prefix(name)
    group = f"{ctx.app(name)}-loop"
    t_start = time.monotonic()
    proc = start_worker([str(bare_script(ctx)), "bare", "--bootstrap",
                         broker.bootstrap, "--prefix", prefix, "--out-prefix", prefix + "bare.",
                         "--group", group, "--dedup", dedup],
                        dict(os.environ), ctx.logs / f"{name}.log", ctx.worker_root)
    watch = await watch_group(broker, group, (prefix + "articles.raw",), ctx.n,
                              prefix + "articles.raw", [proc], ctx.bpid, ctx.timeout,
                              allow_exit=True)
    try:
        proc.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.stop()
    report = orjson.loads(proc.log_path.read_bytes().strip().splitlines()[-1])
    first, last = await broker.edge_times([prefix + t for t in BARE_OUTPUTS])
    assert first is not None and last is not None
    window = last - first
    wall0 = time.time() - (time.monotonic() - t_start)
    _cpu0, b0 = cpu_at(watch, first - wall0)
    bcpu = None if b0 is None or watch.broker_cpu_final is None else watch.broker_cpu_final - b0
    return Result(f"bare aiokafka loop, {dedup} dedup", ctx.n / window,
                  1000 * report["cpu_seconds"] / ctx.n,
                  f"{report['peak_rss_mb']:.0f}", window,
                  {"report": report, "self_rate": report["rate"], "broker_cpu_s": bcpu,
                   "lag": watch, "topics": (prefix + "articles.raw",), "prefix": prefix})


async def measure_faust(broker: Broker, ctx: Context, name: str, workers: int,
                        profile_out: Path | None = None) -> Result:
    prefix, app_id = ctx.prefix(name), ctx.app(name)
    procs = []
    t_start = time.monotonic()
    wall0 = time.time()
    for i in range(workers):
        env = worker_env(ctx.broker, prefix, app_id, ctx.data / f"{name}-{i}")
        argv = (["-m", "mediawatch.cli", "worker"] if profile_out is None
                else [str(HERE / "pipeline_profile.py"), str(profile_out)])
        procs.append(start_worker(argv, env, ctx.logs / f"{name}-{i}.log", ctx.worker_root))
    topics = tuple(prefix + t for t in ctx.consumed)
    try:
        watch = await watch_group(broker, app_id, topics, ctx.n, prefix + "articles.raw",
                                  procs, ctx.bpid, ctx.timeout)
    finally:
        for p in procs:
            p.stop()
    if watch.drained_at is None:
        raise RuntimeError(f"{name}: not drained within {ctx.timeout:.0f} s")
    first, last = await broker.edge_times([prefix + t for t in FAUST_OUTPUTS])
    assert first is not None and last is not None
    window = last - first
    del t_start
    cpu0, b0 = cpu_at(watch, first - wall0)
    cpu = watch.cpu_final - cpu0
    bcpu = None if b0 is None or watch.broker_cpu_final is None else watch.broker_cpu_final - b0
    counts = {t: total for t, total in (await broker.lag(app_id, topics))[1].items()}
    rss = "+".join(f"{v:.0f}" for v in watch.peak_rss_mb.values())
    return Result(f"faust, {workers} worker{'s' if workers > 1 else ''}", ctx.n / window,
                  1000 * cpu / ctx.n, rss, window,
                  {"broker_cpu_s": bcpu, "records": {t.removeprefix(prefix): c
                                                     for t, c in counts.items()},
                   "lag": watch, "topics": topics, "prefix": prefix})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


async def measure_latency(broker: Broker, ctx: Context) -> dict[str, Any]:
    name = "latency"
    prefix, app_id = ctx.prefix(name), ctx.app(name)
    raw = prefix + "articles.raw"
    env = worker_env(ctx.broker, prefix, app_id, ctx.data / name)
    proc = start_worker(["-m", "mediawatch.cli", "worker"], env, ctx.logs / f"{name}.log",
                        ctx.worker_root)
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        # Warm-up: the worker has joined and processed a few articles end to end.
        warm = [item for item in articles(60, ctx.seed + 1000)]
        for item in warm:
            await producer.send(raw, item.value, key=item.key)
        await producer.flush()
        deadline = time.monotonic() + 180
        while True:
            totals = (await broker.lag(app_id, (prefix + "articles.tagged",)))[1]
            if sum(totals.values()) >= 40:
                break
            if not proc.alive() or proc.crash() or time.monotonic() > deadline:
                raise RuntimeError(f"latency worker not warm after start-up "
                                   f"({proc.crash() or 'no output'}); log {proc.log_path}")
            await asyncio.sleep(0.5)
        warm_ids = {item.article_id for item in warm}
        total = int(ctx.rate * ctx.latency_seconds)
        log(f"latency: worker warm; offering {ctx.rate:.0f} articles/s for "
            f"{ctx.latency_seconds:.0f} s ({total} articles)")
        sent = 0
        done = asyncio.Event()

        async def paced() -> None:
            nonlocal sent
            t0 = time.monotonic()
            source = articles(total, ctx.seed + 2000)
            while sent < total:
                due = min(total, int(ctx.rate * (time.monotonic() - t0)) + 1)
                while sent < due:
                    item = next(source)
                    await producer.send(raw, item.value, key=item.key)
                    sent += 1
                await asyncio.sleep(0.01)
            await producer.flush()
            done.set()

        pacer = asyncio.create_task(paced())
        topics = tuple(prefix + t for t in ctx.consumed)
        watch = await watch_group(broker, app_id, topics, total + len(warm), raw, [proc],
                                  ctx.bpid, ctx.latency_seconds + ctx.timeout,
                                  until=done.is_set)
        await pacer
    finally:
        await producer.stop()
        proc.stop()
    raw_ts: dict[str, float] = {}

    def on_raw(record: Any) -> None:
        article_id = record.key.decode()
        raw_ts.setdefault(article_id, record.timestamp / 1000.0)

    alerts: list[tuple[str, float, float, int]] = []

    def on_alert(record: Any) -> None:
        data = orjson.loads(record.value)["data"]
        created = datetime.fromisoformat(data["created_at"]).timestamp()
        alerts.append((data["article_id"], record.timestamp / 1000.0, created,
                       int(data["version"])))

    await broker.read_all(raw, on_raw)
    await broker.read_all(prefix + "alerts", on_alert)
    by_record = [ts - raw_ts[a] for a, ts, _c, _v in alerts if a in raw_ts and a not in warm_ids]
    by_created = [c - raw_ts[a] for a, _ts, c, _v in alerts if a in raw_ts and a not in warm_ids]
    cpu = watch.cpu_final - (watch.samples[0].cpu if watch.samples else 0.0)
    return {"offered_rate": ctx.rate, "articles": total, "alerts": len(by_record),
            "p50_ms": 1000 * percentile(by_record, 50) if by_record else None,
            "p95_ms": 1000 * percentile(by_record, 95) if by_record else None,
            "p99_ms": 1000 * percentile(by_record, 99) if by_record else None,
            "max_ms": 1000 * max(by_record) if by_record else None,
            "mean_ms": 1000 * statistics.fmean(by_record) if by_record else None,
            "p50_created_ms": 1000 * percentile(by_created, 50) if by_created else None,
            "p99_created_ms": 1000 * percentile(by_created, 99) if by_created else None,
            "drained_after_s": watch.drained_at, "cpu_per_1000": 1000 * cpu / max(total, 1),
            "peak_rss_mb": max(watch.peak_rss_mb.values(), default=0.0),
            "lag": watch, "topics": topics, "prefix": prefix}


# ------------------------------------------------------------------ orchestration
@dataclass
class Context:
    broker: str
    n: int
    seed: int
    rate: float
    latency_seconds: float
    timeout: float
    tag: str
    data: Path
    logs: Path
    bpid: int | None
    worker_root: Path = ROOT
    consumed: tuple[str, ...] = FAUST_CONSUMED

    def prefix(self, name: str) -> str:
        return f"bench{self.tag}-{name}."

    def app(self, name: str) -> str:
        return f"bench-{self.tag}-{name}"


def make_context(args: argparse.Namespace, tag: str, data: Path,
                 latency_seconds: float) -> Context:
    return Context(args.broker, args.articles, args.seed, args.rate, latency_seconds,
                   args.timeout, tag, data, data / "logs", broker_pid(args.kafka_data),
                   Path(args.worker_root).resolve(), tuple(args.worker_consumes.split(",")))


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2))


def short_names(topics: tuple[str, ...], prefix: str) -> dict[str, str]:
    names = {"articles.raw": "raw", "articles.unique": "unique", "articles.tagged": "tagged",
             "articles.copies": "copies",
             "alerts.candidates": "candidates", "alerts": "alerts"}
    return {t: names.get(t.removeprefix(prefix), t) for t in topics}


async def run(args: argparse.Namespace) -> int:
    bootstrap = args.broker.removeprefix("kafka://")
    tag = uuid.uuid4().hex[:6]
    data = Path(args.data_dir) / f"run-{tag}"
    ctx = make_context(args, tag, data, args.latency_seconds)
    only = set(args.only.split(","))
    log(f"run {tag}: {args.articles} articles, load average {loadavg()}, "
        f"{os.cpu_count()} CPUs, data {data}, workers from {ctx.worker_root}")
    results: list[Result] = []
    out: dict[str, Any] = {"tag": tag, "articles": args.articles, "cpus": os.cpu_count(),
                           "load_start": loadavg()}
    async with Broker(bootstrap) as broker:
        contenders = [n for n in ("bare", "bare_near", "faust1", "faust2") if n in only]
        topics: list[str] = []
        for name in contenders:
            topics += [ctx.prefix(name) + t for t in PIPELINE_TOPICS]
            if name.startswith("bare"):
                topics += [ctx.prefix(name) + t for t in BARE_OUTPUTS]
        if "latency" in only:
            topics += [ctx.prefix("latency") + t for t in PIPELINE_TOPICS]
        await broker.create(topics)
        if contenders:
            raws = [ctx.prefix(name) + "articles.raw" for name in contenders]
            loaded = await preload(bootstrap, raws, ctx.n, ctx.seed)
            out["preload"] = loaded
            log(f"preloaded {ctx.n} articles x {len(raws)} topics in {loaded['seconds']:.1f} s; "
                f"kinds {loaded['kinds']}, mean {loaded['mean_bytes']:.0f} bytes")
        for mode, label, count in (("core", "analysis core", args.core_articles),
                                   ("path", "article path", args.path_articles)):
            if mode in only:
                report = run_inprocess(ctx, [mode, "--articles", str(min(ctx.n, count)),
                                        "--seed", str(ctx.seed)], ctx.timeout)
                results.append(Result(f"{label} (in-process)", report["rate"],
                                      1000 * report["cpu_seconds"] / report["articles"],
                                      f"{report['peak_rss_mb']:.0f}", report["seconds"],
                                      {"report": report, "load": loadavg()}))
                log(f"{mode}: {report['rate']:.0f} articles/s (load {loadavg()})")
        for name, dedup in (("bare", "exact"), ("bare_near", "near")):
            if name in only:
                results.append(await measure_bare(broker, ctx, name, dedup))
                results[-1].extra["load"] = loadavg()
                log(f"{name}: {results[-1].rate:.0f} articles/s (load {loadavg()})")
        for name, workers in (("faust1", 1), ("faust2", 2)):
            if name in only:
                results.append(await measure_faust(broker, ctx, name, workers))
                results[-1].extra["load"] = loadavg()
                log(f"{name}: {results[-1].rate:.0f} articles/s (load {loadavg()})")
        latency = await measure_latency(broker, ctx) if "latency" in only else None
    out["load_end"] = loadavg()

    print(f"\n## run {tag}: {ctx.n:,} articles on articles.raw, {os.cpu_count()} CPUs, "
          f"load average at start {out['load_start']}, at end {out['load_end']}; "
          f"workers from {ctx.worker_root}")
    if "preload" in out:
        kinds = out["preload"]["kinds"]
        print(f"load: {kinds}, mean payload {out['preload']['mean_bytes']:.0f} bytes")
    print(f"\n{'contender':<30}{'articles/s':>11}{'CPU s/1k':>10}{'peak RSS MB':>13}"
          f"{'window s':>10}{'broker CPU s':>13}{'load avg':>17}")
    for r in results:
        b = r.extra.get("broker_cpu_s")
        print(f"{r.name:<30}{r.rate:>11,.0f}{r.cpu_per_1000:>10.2f}{r.peak_rss_mb:>13}"
              f"{r.window_s:>10.1f}{(f'{b:.1f}' if b is not None else '-'):>13}"
              f"{r.extra.get('load', ''):>17}")
    f1 = next((r for r in results if r.name == "faust, 1 worker"), None)
    f2 = next((r for r in results if r.name == "faust, 2 workers"), None)
    print()
    for bare in (r for r in results if r.name.startswith("bare")):
        if f1:
            print(f"pipeline (1 worker) / {bare.name} = {f1.rate / bare.rate:.2f}, "
                  f"by CPU {bare.cpu_per_1000 / f1.cpu_per_1000:.2f}   (goal >= 0.8)")
    if f1 and f2:
        print(f"2 workers / 1 worker: articles/s {f2.rate / f1.rate:.2f}, "
              f"CPU per article {f2.cpu_per_1000 / f1.cpu_per_1000:.2f}   (goal <= 1.1)")
    for r in results:
        watch = r.extra.get("lag")
        if isinstance(watch, Watch) and "topics" in r.extra:
            print(f"\nconsumer lag, {r.name} (records; cpu % of the worker processes):")
            print(lag_table(watch, r.extra["topics"],
                            short_names(r.extra["topics"], r.extra["prefix"])))
            if "records" in r.extra:
                print(f"records per topic: {r.extra['records']}")
    if latency is not None:
        print(f"\nlatency, raw append → alert record, 1 worker, offered "
              f"{latency['offered_rate']:.0f} articles/s for {ctx.latency_seconds:.0f} s "
              f"({latency['articles']} articles, {latency['alerts']} alerts):")
        if latency["p50_ms"] is not None:
            print(f"  p50 {latency['p50_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms, "
                  f"p99 {latency['p99_ms']:.0f} ms, max {latency['max_ms']:.0f} ms "
                  f"(to created_at: p50 {latency['p50_created_ms']:.0f}, "
                  f"p99 {latency['p99_created_ms']:.0f} ms); CPU s/1k "
                  f"{latency['cpu_per_1000']:.2f}, peak RSS {latency['peak_rss_mb']:.0f} MB")
        print(lag_table(latency["lag"], latency["topics"],
                        short_names(latency["topics"], latency["prefix"]), max_rows=40))
    if args.json:

        def plain(value: Any) -> Any:
            if isinstance(value, Watch):
                return [{"t": s.t, "lag": s.lag, "cpu": s.cpu} for s in value.samples]
            if isinstance(value, Result):
                return {k: plain(v) for k, v in value.__dict__.items()}
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            return value

        out["results"] = plain(results)
        out["latency"] = plain(latency)
        write_json(Path(args.json), out)
    if not args.keep_topics:
        await delete_run_topics(bootstrap, tag)
    return 0


async def profile(args: argparse.Namespace) -> int:
    """One worker under cProfile over a preloaded topic; prints the top costs."""
    bootstrap = args.broker.removeprefix("kafka://")
    tag = uuid.uuid4().hex[:6]
    data = Path(args.data_dir) / f"profile-{tag}"
    ctx = make_context(args, tag, data, 0.0)
    out = prepare_output(Path(args.out or data / "worker.prof"))
    async with Broker(bootstrap) as broker:
        await broker.create([ctx.prefix("profile") + t for t in PIPELINE_TOPICS])
        await preload(bootstrap, [ctx.prefix("profile") + "articles.raw"], ctx.n, ctx.seed)
        result = await measure_faust(broker, ctx, "profile", 1, profile_out=out)
    print(f"profiled worker: {result.rate:,.0f} articles/s under cProfile, "
          f"load average {loadavg()}; stats in {out}")
    print_profile(out)
    if not args.keep_topics:
        await delete_run_topics(bootstrap, tag)
    return 0


async def delete_run_topics(bootstrap: str, tag: str) -> None:
    """Delete every topic of the run ``tag`` (its names carry the tag)."""
    async with Broker(bootstrap) as broker:
        names = [t for t in await broker.admin.list_topics() if tag in t]
        if names:
            await broker.admin.delete_topics(names)


# ------------------------------------------------------------------ memory soak


def soak_rules(root: Path, window: float) -> str:
    """The default rules of ``root`` with every suppression ``window_hours`` set to
    ``window`` seconds; checked by parsing."""
    text = (root / "analysis" / "data" / "rules.yaml").read_text(encoding="utf-8")
    hours = window / 3600.0
    text, replaced = re.subn(r"(?m)^(\s*window_hours:\s*)[^\s#]+", rf"\g<1>{hours!r}", text)
    rules = parse_rules(text, "soak rules").rules
    if not replaced or any(r.suppression.window_hours != hours for r in rules):
        raise RuntimeError("the default rules do not set window_hours on every rule; "
                           "cannot bound the story-alerts table")
    return text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def parse_metrics(text: str) -> dict[str, float]:
    """Prometheus text exposition → {series (name and labels as written): value}."""
    series: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.rpartition("}") if "{" in line else line.partition(" ")
        if "{" in line:
            head += "}"
        try:
            series[head.strip()] = float(rest.split()[0])
        except (IndexError, ValueError):
            continue
    return series


def metric_sum(series: dict[str, float], name: str) -> float | None:
    """Sum of every series of metric ``name``; None when it is not exposed."""
    values = [v for k, v in series.items() if k == name or k.startswith(name + "{")]
    return sum(values) if values else None


async def scrape(port: int, timeout: float = 5.0) -> dict[str, float]:
    """GET http://127.0.0.1:<port>/metrics; {} when the endpoint does not answer."""
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port), timeout)
    except (OSError, TimeoutError):
        return {}
    try:
        writer.write(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), timeout)
    except (OSError, TimeoutError):
        return {}
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    return parse_metrics(response.partition(b"\r\n\r\n")[2].decode("utf-8", "replace"))


# (column, what it is) of a soak sample, in CSV order.
SOAK_COLUMNS = (
    ("t", "seconds since the worker was started"),
    ("articles", "articles consumed: sum of the group's committed offsets on articles.raw"),
    ("produced", "articles written to articles.raw so far"),
    ("rss_mb", "worker VmRSS, MB"),
    ("hwm_mb", "worker VmHWM (peak RSS so far), MB"),
    ("cpu_s", "worker user+system CPU, s"),
    ("index_articles", "mediawatch_dedup_index_articles"),
    ("index_mb", "mediawatch_dedup_index_bytes, MB"),
    ("expired", "mediawatch_dedup_outcomes_total{kind=\"expired\"}: index articles dropped"),
    ("alerts", "mediawatch_alerts_total, all rules"),
    ("broker_cpu_s", "broker JVM user+system CPU, s (with --kafka-data)"),
)


@dataclass
class Feed:
    """What the soak's producer has done; ``ahead`` is the raw lag it last saw."""
    sent: int = 0
    ahead: int = 0
    paused_s: float = 0.0


async def feed_raw(broker: Broker, topic: str, group: str, n: int, seed: int,
                   max_ahead: int, feed: Feed) -> None:
    """Write ``n`` articles to ``topic`` while the group consumes it, never more than
    ``max_ahead`` records beyond the group's committed offsets (the raw lag)."""
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, acks="all", linger_ms=20,
                                max_batch_size=1024 * 1024)
    await producer.start()
    try:
        source = articles(n, seed)
        while feed.sent < n:
            lag, _totals = await broker.lag(group, (topic,))
            feed.ahead = lag[topic]
            room = min(max_ahead - feed.ahead, 2000, n - feed.sent)
            if room <= 0:
                feed.paused_s += 0.5
                await asyncio.sleep(0.5)
                continue
            pending = [await producer.send(topic, item.value, key=item.key)
                       for item in itertools.islice(source, room)]
            if not pending:
                break
            await asyncio.gather(*pending)
            feed.sent += len(pending)
    finally:
        await producer.stop()


async def sample_soak(broker: Broker, worker: Worker, group: str, raw: str, port: int,
                      n: int, every: float, timeout: float, bpid: int | None,
                      feed: Feed, samples: list[dict[str, float | None]]) -> str:
    """Append a sample to ``samples`` every ``every`` s until the group has committed
    ``n`` articles on ``raw``; returns "done", "timeout", "stalled: ..." or
    "crashed: ..."."""
    t0 = time.monotonic()
    stall_after = max(300.0, 5 * every)
    progress_at, progress = t0, -1
    logged = t0
    tick = 0
    while True:
        committed = await broker.committed(group)
        consumed = sum(v for tp, v in committed.items() if tp.topic == raw)
        series = await scrape(port)
        index_bytes = series.get("mediawatch_dedup_index_bytes")
        now = time.monotonic()
        row: dict[str, float | None] = {
            "t": round(now - t0, 2), "articles": consumed, "produced": feed.sent,
            "rss_mb": proc_status(worker.pid, "VmRSS"),
            "hwm_mb": proc_status(worker.pid, "VmHWM"), "cpu_s": proc_cpu(worker.pid),
            "index_articles": series.get("mediawatch_dedup_index_articles"),
            "index_mb": None if index_bytes is None else index_bytes / 2**20,
            "expired": series.get('mediawatch_dedup_outcomes_total{kind="expired"}'),
            "alerts": metric_sum(series, "mediawatch_alerts_total"),
            "broker_cpu_s": proc_cpu(bpid) if bpid else None,
        }
        samples.append(row)
        if now - logged >= 60:
            logged = now
            log(f"soak: t {now - t0:.0f} s, {consumed:,} of {n:,} articles, "
                f"RSS {row['rss_mb'] or 0:.0f} MB, index {row['index_articles'] or 0:,.0f} "
                f"articles, raw lag {feed.ahead:,}, load {loadavg()}")
        if not worker.alive():
            return f"crashed: worker exited with status {worker.process.returncode}"
        crash = worker.crash()
        if crash:
            return f"crashed: {crash[:300]}"
        if consumed >= n:
            return "done"
        if consumed != progress:
            progress_at, progress = now, consumed
        elif now - progress_at > stall_after:
            return f"stalled: no article committed for {now - progress_at:.0f} s"
        if now - t0 > timeout:
            return "timeout"
        tick += 1
        await asyncio.sleep(max(0.0, t0 + tick * every - time.monotonic()))


def soak_verdict(samples: list[dict[str, float | None]], window: float,
                 expiry: float) -> dict[str, Any]:
    """The figures of a soak: RSS when the window first filled, after it, the slope of
    RSS against articles after it, the index size after it and the throughput."""
    started = [s for s in samples if (s["articles"] or 0) > 0]
    if not started:
        return {"filled": False}
    first, last = started[0], samples[-1]
    t_first = float(first["t"] or 0.0)
    t_fill = t_first + 2 * window + expiry
    articles_done = float(last["articles"] or 0) - float(first["articles"] or 0)
    seconds = float(last["t"] or 0.0) - t_first
    cpu = (None if last["cpu_s"] is None or first["cpu_s"] is None
           else float(last["cpu_s"]) - float(first["cpu_s"]))
    verdict: dict[str, Any] = {
        "t_first": t_first, "t_fill": t_fill, "filled": False,
        "rate": articles_done / seconds if seconds > 0 else None,
        "cpu_per_1000": 1000 * cpu / articles_done if cpu is not None and articles_done else None,
        "hwm_mb_end": last["hwm_mb"], "rss_mb_end": last["rss_mb"],
    }
    after = [s for s in samples if float(s["t"] or 0.0) >= t_fill and s["rss_mb"] is not None]
    if not after:
        return verdict
    rss = [float(s["rss_mb"] or 0.0) for s in after]
    xs = [float(s["articles"] or 0) for s in after]
    index = [float(s["index_articles"]) for s in after if s["index_articles"] is not None]
    index_mb = [float(s["index_mb"]) for s in after if s["index_mb"] is not None]
    slope = None
    if len(set(xs)) >= 2:
        slope = 100_000 * statistics.linear_regression(xs, rss).slope
    verdict.update({
        "filled": True, "fill_t": after[0]["t"], "fill_articles": after[0]["articles"],
        "rss_at_fill_mb": rss[0], "rss_min_after_mb": min(rss), "bound_mb": max(rss),
        "slope_mb_per_100k": slope, "samples_after": len(after),
        "articles_after": xs[-1] - xs[0],
        "index_min": min(index, default=None), "index_max": max(index, default=None),
        "index_mb_min": min(index_mb, default=None), "index_mb_max": max(index_mb, default=None),
    })
    return verdict


def soak_table(samples: list[dict[str, float | None]], t_fill: float | None,
               rows: int = 20) -> str:
    """Every ``len/rows``-th sample, the first one after the window filled (``*``) and
    the last; cpu % is the worker's over the preceding printed interval."""
    step = max(1, -(-len(samples) // rows))
    keep = set(range(0, len(samples), step)) | {len(samples) - 1}
    fill = next((i for i, s in enumerate(samples)
                 if t_fill is not None and float(s["t"] or 0.0) >= t_fill), None)
    if fill is not None:
        keep.add(fill)

    def num(value: float | None, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    lines = [f"{'t (s)':>8} {'articles':>10} {'RSS MB':>7} {'HWM MB':>7} {'cpu %':>6} "
             f"{'index art.':>10} {'index MB':>9} {'expired':>10} {'alerts':>7}"]
    prev: dict[str, float | None] | None = None
    for i in sorted(keep):
        s = samples[i]
        pct = None
        if (prev is not None and s["cpu_s"] is not None and prev["cpu_s"] is not None
                and float(s["t"] or 0.0) > float(prev["t"] or 0.0)):
            pct = 100 * (float(s["cpu_s"]) - float(prev["cpu_s"])) / (
                float(s["t"] or 0.0) - float(prev["t"] or 0.0))
        lines.append(f"{num(s['t'], '.0f'):>8} {num(s['articles'], ',.0f'):>10} "
                     f"{num(s['rss_mb'], '.0f'):>7} {num(s['hwm_mb'], '.0f'):>7} "
                     f"{num(pct, '.0f'):>6} {num(s['index_articles'], ',.0f'):>10} "
                     f"{num(s['index_mb'], '.1f'):>9} {num(s['expired'], ',.0f'):>10} "
                     f"{num(s['alerts'], ',.0f'):>7}" + (" *" if i == fill else ""))
        prev = s
    return "\n".join(lines)


async def table_keys(broker: Broker, topic: str) -> dict[str, int]:
    """Keys of a table's changelog: written (still in the log) and live at the end (last
    record not a tombstone) — the table's size when the worker stopped."""
    last: dict[bytes, bool] = {}

    def on_record(record: Any) -> None:
        last[record.key] = record.value is not None

    records = await broker.read_all(topic, on_record)
    return {"records": records, "keys": len(last), "live": sum(last.values())}


async def soak(args: argparse.Namespace) -> int:
    """One worker, short state windows, ``--articles`` fed while it consumes: the RSS
    curve and whether it stops growing once the windows have filled."""
    bootstrap = args.broker.removeprefix("kafka://")
    tag = uuid.uuid4().hex[:6]
    data = Path(args.data_dir) / f"soak-{tag}"
    ctx = make_context(args, tag, data, 0.0)
    name = "soak"
    prefix, app_id = ctx.prefix(name), ctx.app(name)
    raw = prefix + "articles.raw"
    window = float(args.window_seconds)
    expiry = Settings(dedup_window_seconds=window).dedup_expiry_interval_seconds
    rules = data / "rules.yaml"
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_text(soak_rules(ctx.worker_root, window), encoding="utf-8")
    port = args.metrics_port or free_port()
    retention_ms = int(1000 * args.retention_seconds)
    log(f"soak {tag}: {ctx.n:,} articles, window {window:g} s (index expiry every "
        f"{expiry:g} s), sample every {args.sample_seconds:g} s, at most "
        f"{args.max_ahead:,} records ahead; load average {loadavg()}, data {data}")
    out: dict[str, Any] = {
        "tag": tag, "articles": ctx.n, "window_seconds": window,
        "expiry_interval_seconds": expiry, "sample_seconds": args.sample_seconds,
        "max_ahead": args.max_ahead, "retention_seconds": args.retention_seconds,
        "seed": ctx.seed, "cpus": os.cpu_count(), "load_start": loadavg(),
        "worker_root": str(ctx.worker_root), "columns": dict(SOAK_COLUMNS)}
    samples: list[dict[str, float | None]] = []
    feed = Feed()
    async with Broker(bootstrap) as broker:
        await broker.create([prefix + t for t in PIPELINE_TOPICS],
                            {"retention.ms": str(retention_ms),
                             "segment.bytes": str(16 * 1024 * 1024)})
        env = worker_env(ctx.broker, prefix, app_id, data / name,
                         dedup_window_seconds=window, rules_file=rules.resolve(),
                         metrics_port=port)
        worker = start_worker(["-m", "mediawatch.cli", "worker"], env, ctx.logs / f"{name}.log",
                              ctx.worker_root)
        producing = asyncio.create_task(
            feed_raw(broker, raw, app_id, ctx.n, ctx.seed, args.max_ahead, feed))
        try:
            status = await sample_soak(broker, worker, app_id, raw, port, ctx.n,
                                       args.sample_seconds, ctx.timeout, ctx.bpid, feed,
                                       samples)
        finally:
            producing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producing
            worker.stop()
        out["worker_exit"] = worker.process.returncode
        changelogs = sorted(t for t in await broker.admin.list_topics()
                            if t.startswith(app_id + "-") and t.endswith("-changelog"))
        out["tables"] = {t.removeprefix(app_id + "-").removesuffix("-changelog"):
                         await table_keys(broker, t) for t in changelogs}
    out.update({"status": status, "load_end": loadavg(), "produced": feed.sent,
                "producer_paused_s": feed.paused_s, "samples": samples,
                "log": str(worker.log_path)})
    verdict = out["verdict"] = soak_verdict(samples, window, expiry)
    with (data / "samples.csv").open("w", newline="") as sheet:
        writer = csv.DictWriter(sheet, fieldnames=[c for c, _ in SOAK_COLUMNS])
        writer.writeheader()
        writer.writerows(samples)
    if args.json:
        write_json(Path(args.json), out)

    print(f"\n## soak {tag}: {ctx.n:,} articles, 1 worker, window {window:g} s "
          f"(dedup index expiry every {expiry:g} s), {os.cpu_count()} CPUs, load average "
          f"at start {out['load_start']}, at end {out['load_end']}; status: {status}")
    print(f"samples every {args.sample_seconds:g} s: {data / 'samples.csv'}"
          + (f", {args.json}" if args.json else ""))
    print()
    print(soak_table(samples, verdict.get("t_fill")))
    print()
    if verdict.get("t_first") is not None:
        print(f"first article committed at t = {verdict['t_first']:.0f} s; the window "
              f"fills at t = {verdict['t_fill']:.0f} s (+ 2 × {window:g} + {expiry:g} s)")
    if verdict["filled"]:
        print(f"RSS when the window filled: {verdict['rss_at_fill_mb']:.0f} MB "
              f"(t = {verdict['fill_t']:.0f} s, {verdict['fill_articles']:,.0f} articles)")
        print(f"RSS after the window filled: min {verdict['rss_min_after_mb']:.0f} MB, "
              f"max {verdict['bound_mb']:.0f} MB, at the end {verdict['rss_mb_end']:.0f} MB "
              f"(VmHWM {verdict['hwm_mb_end']:.0f} MB)")
        slope = verdict["slope_mb_per_100k"]
        print("slope of RSS against articles after the fill: "
              + (f"{slope:+.2f} MB per 100k articles" if slope is not None else "-")
              + f" (least squares, {verdict['samples_after']} samples, "
              f"{verdict['articles_after']:,.0f} articles)")
        if verdict["index_min"] is not None:
            print(f"dedup index after the fill: {verdict['index_min']:,.0f}–"
                  f"{verdict['index_max']:,.0f} articles, {verdict['index_mb_min']:.1f}–"
                  f"{verdict['index_mb_max']:.1f} MB")
        print(f"bound: {verdict['bound_mb']:.0f} MB (max RSS after the window filled)")
    else:
        print("the window never filled: run more articles or a shorter --window-seconds")
    if verdict.get("rate"):
        cpu = verdict["cpu_per_1000"]
        print(f"worker throughput: {verdict['rate']:,.0f} articles/s overall"
              + (f", {cpu:.2f} CPU s per 1,000 articles" if cpu is not None else "")
              + f" (producer paused {feed.paused_s:.0f} s at {args.max_ahead:,} ahead)")
    for table, keys in out["tables"].items():
        print(f"table {table}: {keys['live']:,} keys live at the end of "
              f"{keys['keys']:,} in its changelog ({keys['records']:,} records)")
    if not args.keep_topics:
        await delete_run_topics(bootstrap, tag)
    return 0 if status == "done" else 1


def prepare_output(path: Path) -> Path:
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def print_profile(out: Path) -> None:
    """Own time by package, then the top functions by own and cumulative time."""
    import pstats

    stats = pstats.Stats(str(out))
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    groups: dict[str, float] = {}
    for (filename, _line, _fn), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        groups[package_of(filename)] = groups.get(package_of(filename), 0.0) + tt
    print(f"\nown time by package (total {total:.1f} s):")
    for name, tt in sorted(groups.items(), key=lambda kv: -kv[1])[:16]:
        print(f"  {name:<28}{tt:>8.1f} s {100 * tt / total:>5.1f} %")
    print()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def package_of(filename: str) -> str:
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C)"
    parts = Path(filename).parts
    for anchor in ("site-packages",):
        if anchor in parts:
            return parts[parts.index(anchor) + 1].removesuffix(".py")
    for local in ("analysis", "streams", "agents"):
        if local in parts:
            return local
    if "python3.11" in parts:
        rest = parts[parts.index("python3.11") + 1:]
        return "stdlib/" + (rest[0].removesuffix(".py") if rest else "?")
    return filename


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--broker", default="kafka://127.0.0.1:19392")
    parser.add_argument("--kafka-data", type=Path, default=ROOT / "var" / "kafka-bench",
                        help="the broker's data directory (its kafka.pid: broker CPU)")
    parser.add_argument("--articles", type=int, default=None,
                        help="articles per contender (default 100,000; soak: 1,000,000)")
    parser.add_argument("--core-articles", type=int, default=5_000,
                        help="articles for the in-process core measurement")
    parser.add_argument("--path-articles", type=int, default=20_000,
                        help="articles for the in-process article path measurement")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=200.0,
                        help="offered load of the latency run, articles/s")
    parser.add_argument("--latency-seconds", type=float, default=90.0)
    parser.add_argument("--timeout", type=float, default=None,
                        help="upper bound per contender, seconds (default 1,800; soak: 24 h)")
    parser.add_argument("--only", default="core,path,bare,bare_near,faust1,faust2,latency",
                        help="contenders: core, path (the in-process article path), bare "
                        "(exact dedup), bare_near (near-duplicate index), faust1, faust2, "
                        "latency")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--json", help="write every figure and lag sample to this file")
    parser.add_argument("--keep-topics", action="store_true")
    parser.add_argument("--worker-root", default=str(ROOT),
                        help="run the workers from this source tree (a modified copy)")
    parser.add_argument("--worker-consumes", default=",".join(FAUST_CONSUMED),
                        help="topics the workers consume (lag and completion)")
    sub = parser.add_subparsers(dest="command")
    prof = sub.add_parser("profile", help="one worker under cProfile")
    prof.add_argument("--out")
    mem = sub.add_parser("soak", help="memory soak: one worker, short state windows, "
                         "articles fed while it consumes; the RSS curve")
    # SUPPRESS: a subcommand's default would overwrite the top-level option's value.
    mem.add_argument("--articles", type=int, default=argparse.SUPPRESS,
                     help="articles to consume (default 1,000,000)")
    mem.add_argument("--json", default=argparse.SUPPRESS,
                     help="write the parameters, every sample and the verdict to this file")
    mem.add_argument("--keep-topics", action="store_true", default=argparse.SUPPRESS)
    mem.add_argument("--window-seconds", type=float, default=120.0,
                     help="MEDIAWATCH_DEDUP_WINDOW_SECONDS and every rule's suppression "
                     "window (default 120)")
    mem.add_argument("--sample-seconds", type=float, default=10.0,
                     help="seconds between samples (default 10)")
    mem.add_argument("--max-ahead", type=int, default=20_000,
                     help="the producer pauses while the raw lag exceeds this (records)")
    mem.add_argument("--retention-seconds", type=float, default=600.0,
                     help="retention.ms of the soak's pipeline topics (default 10 min)")
    mem.add_argument("--metrics-port", type=int, default=0,
                     help="the worker's /metrics port (default: a free port)")
    args = parser.parse_args(argv)
    if args.command == "soak":
        args.articles = args.articles or 1_000_000
        args.timeout = args.timeout or 24 * 3600.0
        return asyncio.run(soak(args))
    args.articles = args.articles or 100_000
    args.timeout = args.timeout or 1800.0
    if args.command == "profile":
        return asyncio.run(profile(args))
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
