"""A real Prometheus scrapes a real producer and worker while sample feeds flow.

Every query of every Grafana dashboard must return data, and every alerting rule must
evaluate without error, against this live pipeline. Prometheus comes from the Debian
package (deploy/prometheus/install.sh); it runs on a free loopback port with its own
storage directory and the local configuration deploy/prometheus/prometheus.local.yml,
its intervals shortened to one second.
"""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from .conftest import REPO, Deployment, FeedServer, produce

pytestmark = pytest.mark.integration

PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
DASHBOARDS_DIR = REPO / "deploy" / "grafana" / "dashboards"
# Grafana's own variables, as a dashboard over the last few minutes would set them.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__range": "1h", "$__interval": "15s",
                     "$job": "mediawatch-.*", "$feed": ".*", "$topk": "20"}

WORLD_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Observability Wire</title>
<link>https://obs-wire.test/</link><description>test</description>
<item>
  <title>Lavrov holds talks with Chinese counterpart Wang Yi in Moscow</title>
  <link>https://obs-wire.test/world/lavrov-wang-talks</link>
  <guid>obs-1</guid>
  <pubDate>Tue, 24 Nov 2026 08:30:00 +0000</pubDate>
  <description>Russian Foreign Minister Sergei Lavrov held talks with his Chinese
  counterpart Wang Yi in Moscow on Tuesday, the Russian Foreign Ministry said.</description>
</item>
<item>
  <title>Washington imposes new sanctions on Iran over drone exports</title>
  <link>https://obs-wire.test/world/iran-sanctions</link>
  <guid>obs-2</guid>
  <pubDate>Tue, 24 Nov 2026 09:00:00 +0000</pubDate>
  <description>The United States on Monday imposed new sanctions on Iran over its drone
  exports, the Treasury Department said. The European Union said it would consider
  similar measures against Tehran.</description>
</item>
<item>
  <title>Modi and Erdogan hold talks in Ankara</title>
  <link>https://obs-wire.test/world/modi-erdogan</link>
  <guid>obs-3</guid>
  <pubDate>Tue, 24 Nov 2026 09:30:00 +0000</pubDate>
  <description>Indian Prime Minister Narendra Modi held talks with Turkish President
  Recep Tayyip Erdogan in Ankara on Wednesday, focusing on trade and the situation in
  the Middle East.</description>
</item>
</channel></rss>
"""

EMPTY_FEED = WORLD_FEED[:WORLD_FEED.index("<item>")] + "</channel></rss>\n"

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(what: str, probe: Callable[[], T | None], timeout: float,
             alive: Callable[[], None] | None = None, interval: float = 0.5) -> T:
    """Poll ``probe`` until it returns something other than None; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        if alive is not None:
            alive()
        last = probe()
        if last is not None:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class Prometheus:
    """A Prometheus server of the test's own, on a free loopback port."""

    def __init__(self, workdir: Path, producer_port: int, worker_port: int) -> None:
        binary = shutil.which("prometheus")
        if binary is None or shutil.which("promtool") is None:
            pytest.fail("prometheus/promtool not installed: run deploy/prometheus/install.sh")
        self.workdir = workdir
        config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.local.yml").read_text())
        config["global"].update(scrape_interval="1s", evaluation_interval="1s",
                                scrape_timeout="1s")
        workdir.mkdir()
        shutil.copytree(PROMETHEUS_DIR / "rules", workdir / "rules")
        (workdir / "targets").mkdir()
        for job, port in (("producer", producer_port), ("worker", worker_port)):
            (workdir / "targets" / f"{job}.json").write_text(
                json.dumps([{"targets": [f"127.0.0.1:{port}"]}]))
        (workdir / "prometheus.yml").write_text(yaml.safe_dump(config))
        check = subprocess.run(["promtool", "check", "config", "prometheus.yml"],
                               cwd=workdir, capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stdout + check.stderr
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir.parent / "prometheus.log"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [binary, "--config.file=prometheus.yml", f"--storage.tsdb.path={workdir}/data",
                 f"--web.listen-address=127.0.0.1:{self.port}",
                 "--storage.tsdb.retention.time=1h"],
                cwd=workdir, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def alive(self) -> None:
        if self.process.poll() is not None:
            raise AssertionError(f"prometheus exited with {self.process.returncode}:\n"
                                 f"{self.log_path.read_text(errors='replace')[-4000:]}")

    def get(self, path: str, **params: str) -> dict[str, Any]:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        try:
            with urllib.request.urlopen(f"{self.url}{path}{query}", timeout=10) as response:
                body: dict[str, Any] = json.load(response)
        except urllib.error.HTTPError as exc:  # 400/422: a bad query, with its error
            body = json.load(exc)
        return body

    def query(self, expr: str) -> dict[str, Any]:
        return self.get("/api/v1/query", query=expr)

    def value(self, expr: str) -> float | None:
        """The single value of a scalar-like vector query, or None when it is empty."""
        body = self.query(expr)
        assert body["status"] == "success", (expr, body)
        result = body["data"]["result"]
        return float(result[0]["value"][1]) if result else None

    def ready(self) -> bool | None:
        try:
            with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as response:
                return True if response.status == 200 else None
        except (urllib.error.URLError, ConnectionError):
            return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def prometheus_ports() -> tuple[int, int]:
    return free_port(), free_port()


@pytest.fixture
def prometheus(deployment: Deployment,
               prometheus_ports: tuple[int, int]) -> Iterator[Prometheus]:
    server = Prometheus(deployment.data_dir / "prometheus", *prometheus_ports)
    yield server
    server.stop()


def dashboard_queries() -> list[tuple[str, str, str]]:
    """(dashboard file, panel title, expression) of every target of every panel."""
    found = []
    for path in sorted(DASHBOARDS_DIR.glob("*.json")):
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel["targets"]:
                found.append((path.name, panel["title"], target["expr"]))
    return found


def rule_expressions() -> list[tuple[str, str]]:
    found = []
    for path in sorted((PROMETHEUS_DIR / "rules").glob("*.yml")):
        for group in yaml.safe_load(path.read_text())["groups"]:
            for rule in group["rules"]:
                found.append((rule.get("alert") or rule["record"], rule["expr"]))
    return found


def substitute(expr: str) -> str:
    for name, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(name, value)
    assert "$" not in expr, f"unknown Grafana variable in {expr}"
    return expr


def finite_values(body: dict[str, Any]) -> list[float]:
    data = body["data"]
    if data["resultType"] == "scalar":
        samples = [data["result"][1]]
    else:
        samples = [item["value"][1] for item in data["result"]]
    return [float(v) for v in samples if math.isfinite(float(v))]


def test_every_panel_and_rule_has_data_from_a_live_pipeline(
        deployment: Deployment, feed_server: FeedServer, prometheus: Prometheus,
        prometheus_ports: tuple[int, int]) -> None:
    producer_port, worker_port = prometheus_ports
    # The feed starts empty: the stories appear once Prometheus watches, as news would.
    url = feed_server.write("world.xml", EMPTY_FEED)
    feeds = deployment.data_dir / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - id: obs-wire\n    url: {url}\n"
                     "    name: Observability Wire\n    language: en\n    interval_seconds: 2\n")
    deployment.mediawatch("worker", log_name="worker",
                          MEDIAWATCH_METRICS_PORT=str(worker_port),
                          MEDIAWATCH_LAG_INTERVAL_SECONDS="1")
    deployment.mediawatch("produce", "--feeds", str(feeds), log_name="producer",
                          MEDIAWATCH_METRICS_PORT=str(producer_port),
                          MEDIAWATCH_FEED_MIN_INTERVAL_SECONDS="1")

    def alive() -> None:
        deployment.check_alive()
        prometheus.alive()

    wait_for("Prometheus ready", prometheus.ready, 60, alive)

    def targets_up() -> bool | None:
        active = prometheus.get("/api/v1/targets")["data"]["activeTargets"]
        jobs = {t["labels"]["job"] for t in active if t["health"] == "up"}
        return True if jobs == {"mediawatch-producer", "mediawatch-worker"} else None

    wait_for("both mediawatch targets up", targets_up, 120, alive)

    def present(expr: str) -> Callable[[], bool | None]:
        return lambda: True if prometheus.value(expr) is not None else None

    wait_for("the empty feed fetched", present(
        'sum(mediawatch_feed_fetches_total{outcome=~"ok|not_modified"}) > 0'), 60, alive)
    wait_for("the consumer lag measured", present(
        "count(mediawatch_consumer_lag_messages)"), 60, alive)
    feed_server.write("world.xml", WORLD_FEED)

    # The stories went all the way through: alerts, a watched and an unwatched dyad,
    # sanctions rhetoric by country, consumer lag measured and back to zero.
    def at_least(expr: str, minimum: float) -> Callable[[], float | None]:
        def probe() -> float | None:
            value = prometheus.value(expr)
            return value if value is not None and value >= minimum else None
        return probe

    wait_for("three alerts", at_least("sum(mediawatch_alerts_total)", 3), 120, alive)
    wait_for("a CN-RU meeting", at_least(
        'sum(mediawatch_bilateral_meetings_total{dyad="CN-RU"})', 1), 30, alive)
    wait_for("an IN-TR meeting counted as other", at_least(
        'sum(mediawatch_bilateral_meetings_total{dyad="other"})', 1), 30, alive)
    wait_for("sanctions on IR and US", at_least(
        'count(mediawatch_sanctions_rhetoric_countries_total{stance="impose",'
        'country=~"IR|US"} > 0)', 2), 30, alive)
    assert prometheus.value('sum(mediawatch_bilateral_meetings_total{dyad="IN-TR"})') is None
    wait_for("consumer lag of articles.raw measured and caught up", at_least(
        f'count(mediawatch_consumer_lag_messages{{topic="{deployment.topic("articles.raw")}"}}'
        " == 0)", 4), 60, alive)
    wait_for("three published → ingested latencies", at_least(
        'sum(mediawatch_stage_latency_seconds_count{span="published_to_ingested"})', 3),
        30, alive)

    # A poison message makes a dead-letter record, and the rule about them fires.
    asyncio.run(produce(deployment.bootstrap, deployment.topic("articles.raw"),
                        [(b"poison", b"\xff not an article")]))

    def dead_letter_alert() -> bool | None:
        alerts = prometheus.get("/api/v1/alerts")["data"]["alerts"]
        return True if any(a["labels"]["alertname"] == "MediawatchDeadLetters"
                           and a["state"] == "firing" for a in alerts) else None

    wait_for("MediawatchDeadLetters firing", dead_letter_alert, 60, alive)

    # Every panel query returns data with at least one finite value.
    queries = dashboard_queries()
    assert len(queries) >= 25
    pending = {(board, title, substitute(expr)) for board, title, expr in queries}

    def all_panels_have_data() -> bool | None:
        for item in sorted(pending):
            body = prometheus.query(item[2])
            assert body["status"] == "success", (item, body)
            if finite_values(body):
                pending.discard(item)
        return True if not pending else None

    try:
        wait_for("data in every panel", all_panels_have_data, 60, alive, interval=1.0)
    except AssertionError:
        empty = "\n".join(f"  {board} / {title}: {expr}" for board, title, expr in
                          sorted(pending))
        raise AssertionError(f"panels without data:\n{empty}") from None

    # Every alerting rule evaluates without error, by hand and in Prometheus' own loop.
    rules = rule_expressions()
    assert len(rules) >= 8
    for name, expr in rules:
        body = prometheus.query(expr)
        assert body["status"] == "success", (name, body)

    def every_rule_evaluated() -> list[dict[str, Any]] | None:
        groups = prometheus.get("/api/v1/rules")["data"]["groups"]
        loaded = [rule for group in groups for rule in group["rules"]]
        evaluated = all(not rule["lastEvaluation"].startswith("0001") for rule in loaded)
        return loaded if len(loaded) == len(rules) and evaluated else None

    loaded = wait_for("every rule evaluated", every_rule_evaluated, 30, alive)
    broken = [(r["name"], r.get("lastError")) for r in loaded if r["health"] != "ok"]
    assert not broken, broken
    # Nothing is wrong with this pipeline but the poison message.
    firing = {a["labels"]["alertname"] for a in prometheus.get("/api/v1/alerts")["data"]
              ["alerts"] if a["state"] == "firing"}
    assert firing == {"MediawatchDeadLetters"}
