"""Grafana dashboards and Prometheus configuration: structure, names, promtool checks.

Whether every query returns data from a live pipeline is tested in
tests/integration/test_observability.py.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from streams.metrics import Metrics

REPO = Path(__file__).resolve().parents[2]
GRAFANA = REPO / "deploy" / "grafana"
PROMETHEUS = REPO / "deploy" / "prometheus"
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))
RULE_FILES = sorted((PROMETHEUS / "rules").glob("*.yml"))
DATASOURCE_UID = "${datasource}"

# Metrics that are not in streams/metrics.py: Prometheus' own, and prometheus_client's
# process collector (Linux).
KNOWN_OTHER_METRICS = {"up", "process_cpu_seconds_total", "process_resident_memory_bytes",
                       "process_start_time_seconds", "process_open_fds"}
PROMQL_WORDS = {
    # aggregations, functions and keywords used in the queries
    "sum", "max", "min", "avg", "count", "topk", "bottomk", "by", "without", "on",
    "ignoring", "group_left", "group_right", "and", "or", "unless", "rate", "increase",
    "irate", "delta", "deriv", "time", "histogram_quantile", "sort_desc", "sort", "abs",
    "clamp_min", "clamp_max", "absent", "vector", "scalar", "offset", "bool",
}


def exposed_names() -> set[str]:
    """Every sample name the service's metrics expose (``_total``, ``_bucket``…)."""
    metrics = Metrics(CollectorRegistry())
    metrics.init_producer_feed("f", 60.0)
    metrics.init_rules([("r", "low")], [("s", "low")], ["console"])
    metrics.init_worker(languages=["en"],
                        deadletter_topics=[("articles", "articles.deadletter")],
                        watched_dyads=["CN-RU"], watched_countries=["CN"])
    metrics.feed_last_success.labels(feed="f").set(1)
    metrics.feed_status.labels(feed="f", status="ok").set(1)
    for attr in ("feed_entries_per_day", "feed_consecutive_failures", "feed_last_new_entry"):
        getattr(metrics, attr).labels(feed="f").set(1)
    metrics.feed_silent.labels(feed="f")
    metrics.feed_rebalances.labels(event="assigned")
    metrics.article_pages.labels(outcome="extracted")
    metrics.region_tags.labels(region="europe")
    metrics.consumer_lag.labels(topic="articles.raw", partition="0").set(0)
    text = generate_latest(metrics.registry).decode()
    return {sample.name for family in text_string_to_metric_families(text)
            for sample in family.samples}


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression (label names, strings and words removed)."""
    stripped = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)
    stripped = re.sub(r"\{[^}]*\}", "", stripped)
    stripped = re.sub(r"\[[^\]]*\]", "", stripped)
    stripped = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ",
                      stripped)
    stripped = re.sub(r"\$\w+", "", stripped)
    words = set(re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", stripped))
    return words - PROMQL_WORDS


def panels() -> list[tuple[str, dict[str, Any]]]:
    return [(path.name, panel) for path in DASHBOARDS
            for panel in json.loads(path.read_text())["panels"]]


def rules() -> list[dict[str, Any]]:
    return [rule for path in RULE_FILES for group in yaml.safe_load(path.read_text())["groups"]
            for rule in group["rules"]]


def test_the_three_dashboards_exist_with_unique_uids() -> None:
    boards = [json.loads(path.read_text()) for path in DASHBOARDS]
    assert sorted(b["uid"] for b in boards) == [
        "mediawatch-events", "mediawatch-feeds", "mediawatch-pipeline"]
    for board in boards:
        assert board["title"].startswith("mediawatch / ")
        assert board["panels"], board["title"]
        ids = [p["id"] for p in board["panels"]]
        assert len(ids) == len(set(ids))


def test_dashboards_match_their_generator() -> None:
    spec = importlib.util.spec_from_file_location("build_dashboards",
                                                  GRAFANA / "build_dashboards.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    for name, board in module.DASHBOARDS.items():
        assert (GRAFANA / "dashboards" / name).read_text() == module.render(board), (
            f"{name} is stale: run python deploy/grafana/build_dashboards.py")


@pytest.mark.parametrize(("board", "panel"), panels(),
                         ids=[f"{b}:{p['title']}" for b, p in panels()])
def test_panel_has_datasource_and_queries_of_known_metrics(board: str,
                                                           panel: dict[str, Any]) -> None:
    assert panel["datasource"] == {"type": "prometheus", "uid": DATASOURCE_UID}
    assert panel["title"] and panel["description"]
    assert panel["targets"], "a panel without queries"
    grid = panel["gridPos"]
    assert grid["w"] > 0 and grid["h"] > 0 and grid["x"] + grid["w"] <= 24
    names = exposed_names() | KNOWN_OTHER_METRICS
    for target in panel["targets"]:
        assert target["datasource"]["uid"] == DATASOURCE_UID
        expr = target["expr"].strip()
        assert expr
        assert set(re.findall(r"\$\w+", expr)) <= {"$__rate_interval", "$__range", "$job",
                                                     "$feed", "$topk"}
        if "by (feed)" in expr or "by (le, feed)" in expr:  # readable at 1,000 feeds
            assert "topk($topk," in expr and 'feed=~"$feed"' in expr, expr
        used = metric_names(expr)
        assert used, f"no metric in {expr}"
        assert used <= names, f"unknown metric(s) {used - names} in {expr}"


def test_events_dashboard_shows_what_analysts_asked_for() -> None:
    exprs = " ".join(t["expr"] for board, p in panels() if board == "events.json"
                     for t in p["targets"])
    for needed in ("mediawatch_bilateral_meetings_total", "by (dyad)",
                   "mediawatch_sanctions_rhetoric_countries_total", "by (country, stance)",
                   "mediawatch_alerts_total", "by (rule, severity)"):
        assert needed in exprs


def test_rules_use_known_metrics_and_are_documented() -> None:
    names = exposed_names() | KNOWN_OTHER_METRICS
    found = rules()
    assert {r["alert"] for r in found} >= {
        "MediawatchFeedSilent", "MediawatchLanguageSilent", "MediawatchConsumerLagGrowing",
        "MediawatchDeadLetters", "MediawatchDeliveriesFailing"}
    for rule in found:
        used = metric_names(rule["expr"])
        assert used and used <= names, (rule["alert"], used - names)
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["annotations"]["summary"]


def test_grafana_provisioning_matches_the_compose_file() -> None:
    compose = yaml.safe_load((REPO / "deploy" / "docker-compose.yml").read_text())
    grafana_volumes = compose["services"]["grafana"]["volumes"]
    assert "./grafana/provisioning:/etc/grafana/provisioning:ro" in grafana_volumes
    assert "./grafana/dashboards:/var/lib/grafana/dashboards:ro" in grafana_volumes
    prometheus_volumes = compose["services"]["prometheus"]["volumes"]
    assert "./prometheus/rules:/etc/prometheus/rules:ro" in prometheus_volumes
    provider = yaml.safe_load(
        (GRAFANA / "provisioning" / "dashboards" / "mediawatch.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    datasource = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text())
    (source,) = datasource["datasources"]
    # The dashboards pick any Prometheus data source; the bundled one is the default.
    assert source["type"] == "prometheus" and source["isDefault"] is True
    assert source["url"] == "http://prometheus:9090"
    # Prometheus scrapes the compose services on the port the compose file gives them.
    port = compose["x-app"]["environment"]["MEDIAWATCH_METRICS_PORT"]
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    targets = {job["job_name"]: job["static_configs"][0]["targets"]
               for job in config["scrape_configs"]}
    assert targets["mediawatch-producer"] == [f"producer:{port}"]
    assert targets["mediawatch-worker"] == [f"worker:{port}"]
    assert set(compose["services"]) >= {"producer", "worker"}


def test_the_kubernetes_scrape_config_names_the_jobs_the_rules_select() -> None:
    # Debian's promtool is built without Kubernetes discovery, so the relabelling is
    # checked here against the Deployments' pod labels
    config = yaml.safe_load((PROMETHEUS / "prometheus.kubernetes.yml").read_text())
    (job,) = config["scrape_configs"]
    relabel = job["relabel_configs"]
    name_label = "__meta_kubernetes_pod_label_app_kubernetes_io_name"
    keep = next(r for r in relabel if r.get("action") == "keep"
                and r["source_labels"] == [name_label])
    (naming,) = [r for r in relabel if r.get("target_label") == "job"]
    assert naming["source_labels"] == [name_label] and "regex" not in naming
    up = next(r["expr"] for r in rules() if r.get("alert") == "MediawatchTargetDown")
    selected = re.search(r'job=~"([^"]+)"', up)
    assert selected is not None
    base = REPO / "deploy" / "kubernetes" / "base"
    for manifest in ("worker.yaml", "producer.yaml"):
        deployment = yaml.safe_load((base / manifest).read_text())
        pod = deployment["spec"]["template"]
        name = pod["metadata"]["labels"]["app.kubernetes.io/name"]
        assert re.fullmatch(keep["regex"], name), manifest
        assert re.fullmatch(selected.group(1), name), manifest  # the job it gets
        ports = [p["name"] for c in pod["spec"]["containers"] for p in c.get("ports", [])]
        assert "metrics" in ports, manifest


def promtool(*args: str, cwd: Path = PROMETHEUS) -> str:
    if shutil.which("promtool") is None:
        pytest.fail("promtool is not installed: run deploy/prometheus/install.sh")
    result = subprocess.run(["promtool", *args], cwd=cwd, capture_output=True, text=True,
                            check=False, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.mark.parametrize("config", ["prometheus.yml", "prometheus.local.yml"])
def test_promtool_check_config(config: str) -> None:
    assert "SUCCESS" in promtool("check", "config", config)


def test_promtool_check_rules() -> None:
    output = promtool("check", "rules", *(str(p) for p in RULE_FILES))
    assert f"SUCCESS: {len(rules())} rules found" in output


def test_promtool_rule_unit_tests() -> None:
    assert "SUCCESS" in promtool("test", "rules", "tests/rules_test.yml")


def test_promtool_rule_unit_tests_can_fail(tmp_path: Path) -> None:
    """A wrong expectation fails, so the passing rule tests mean something."""
    text = (PROMETHEUS / "tests" / "rules_test.yml").read_text()
    broken = text.replace("exp_labels: {severity: warning, lang: ar}",
                          "exp_labels: {severity: warning, lang: en}")
    assert broken != text
    (tmp_path / "rules").mkdir()
    shutil.copy(RULE_FILES[0], tmp_path / "rules" / RULE_FILES[0].name)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "rules_test.yml").write_text(broken)
    result = subprocess.run(["promtool", "test", "rules", "tests/rules_test.yml"],
                            cwd=tmp_path, capture_output=True, text=True, check=False,
                            timeout=60)
    assert result.returncode != 0


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.name for p in DASHBOARDS])
def test_dashboards_import_into_any_grafana(path: Path) -> None:
    """No data source uid of the bundled stack: a datasource variable, a job regex."""
    data = json.loads(path.read_text())
    variables = {v["name"]: v for v in data["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert variables["job"]["query"] == "mediawatch-.*"
    assert '"uid": "prometheus"' not in json.dumps(data)
    if any('feed=~"$feed"' in t["expr"] for p in data["panels"] for t in p["targets"]):
        assert variables["feed"]["includeAll"] and variables["topk"]["current"]["value"]


SELECTOR = re.compile(r"\b(mediawatch_\w+)(\{[^}]*\})?")


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.name for p in DASHBOARDS])
def test_every_service_metric_is_read_from_the_chosen_scrape_jobs(path: Path) -> None:
    """Several deployments scraped by one Prometheus are not mixed: each selector of a
    mediawatch_* metric, in panels and in variables, matches job=~"$job"."""
    data = json.loads(path.read_text())
    exprs = [t["expr"] for p in data["panels"] for t in p["targets"]]
    exprs += [v["definition"] for v in data["templating"]["list"] if "definition" in v]
    unscoped = [(expr, m.group(0)) for expr in exprs for m in SELECTOR.finditer(expr)
                if 'job=~"$job"' not in (m.group(2) or "")]
    assert unscoped == []
    assert any(SELECTOR.search(expr) for expr in exprs)


def test_docs_list_every_alert_rule() -> None:
    text = (REPO / "docs" / "metrics.md").read_text()
    table = text[text.index("## Alert rules"):]
    documented = re.findall(r"^\| (Mediawatch\w+) \|", table, re.MULTILINE)
    assert sorted(documented) == sorted(r["alert"] for r in rules())
