"""Names, types and labels of every metric, on a fresh registry; initial series."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from streams.metrics import (
    FETCH_OUTCOMES,
    LATENCY_SPANS,
    STANCES,
    Metrics,
    country_label,
    dyad,
)
from streams.settings import Settings

# attribute, exposed family name, type, label names
EXPECTED = [
    ("feed_fetches", "mediawatch_feed_fetches", "counter", ("feed", "outcome")),
    ("feed_entries", "mediawatch_feed_entries", "counter", ("feed", "outcome")),
    ("feed_last_success", "mediawatch_feed_last_success_timestamp_seconds", "gauge",
     ("feed",)),
    ("feed_fetch_duration", "mediawatch_feed_fetch_duration_seconds", "histogram", ("feed",)),
    ("feed_status", "mediawatch_feed_status", "gauge", ("feed", "status")),
    ("feed_silent", "mediawatch_feed_silent_reports", "counter", ("feed",)),
    ("feed_entries_per_day", "mediawatch_feed_entries_per_day", "gauge", ("feed",)),
    ("feed_interval", "mediawatch_feed_poll_interval_seconds", "gauge", ("feed",)),
    ("feed_consecutive_failures", "mediawatch_feed_consecutive_failures", "gauge", ("feed",)),
    ("feed_last_new_entry", "mediawatch_feed_last_new_entry_timestamp_seconds", "gauge",
     ("feed",)),
    ("feeds_owned", "mediawatch_feeds_owned", "gauge", ()),
    ("feed_rebalances", "mediawatch_feed_rebalances", "counter", ("event",)),
    ("article_pages", "mediawatch_article_page_fetches", "counter", ("outcome",)),
    ("articles", "mediawatch_articles", "counter", ("stage", "lang")),
    ("dedup_outcomes", "mediawatch_dedup_outcomes", "counter", ("kind",)),
    ("dedup_index_articles", "mediawatch_dedup_index_articles", "gauge", ()),
    ("dedup_index_bytes", "mediawatch_dedup_index_bytes", "gauge", ()),
    ("table_keys", "mediawatch_table_keys", "gauge", ("table",)),
    ("events", "mediawatch_events", "counter", ("type", "modality")),
    ("sanctions", "mediawatch_sanctions_rhetoric", "counter", ("stance",)),
    ("sanctions_by_country", "mediawatch_sanctions_rhetoric_countries", "counter",
     ("stance", "country")),
    ("bilateral_meetings", "mediawatch_bilateral_meetings", "counter", ("dyad",)),
    ("region_tags", "mediawatch_region_tags", "counter", ("region",)),
    ("alerts", "mediawatch_alerts", "counter", ("rule", "severity")),
    ("shadow_alerts", "mediawatch_shadow_alerts", "counter", ("rule", "severity")),
    ("rules_reloads", "mediawatch_rules_reloads", "counter", ("outcome",)),
    ("deliveries", "mediawatch_deliveries", "counter", ("route", "outcome")),
    ("delivery_pending", "mediawatch_delivery_pending_alerts", "gauge", ()),
    ("send_failures", "mediawatch_send_failures", "counter", ("topic",)),
    ("alerts_put_back", "mediawatch_delivery_put_back", "counter", ()),
    ("deadletters", "mediawatch_deadletter_records", "counter", ("topic", "reason")),
    ("stage_latency", "mediawatch_stage_latency_seconds", "histogram", ("span",)),
    ("consumer_lag", "mediawatch_consumer_lag_messages", "gauge", ("topic", "partition")),
    ("consumer_lag_checks", "mediawatch_consumer_lag_checks", "counter", ("outcome",)),
]


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(CollectorRegistry())


def test_every_metric_has_its_name_type_and_labels(metrics: Metrics) -> None:
    declared = {attr: value for attr, value in vars(metrics).items() if hasattr(value, "_name")}
    assert sorted(declared) == sorted(attr for attr, *_ in EXPECTED), \
        "a metric was added or removed: update EXPECTED and docs/metrics.md"
    for attr, name, kind, labels in EXPECTED:
        metric = declared[attr]
        assert (metric._name, metric._type, tuple(metric._labelnames)) == (name, kind, labels)
    families = {family.name: family for family in metrics.registry.collect()}
    assert sorted(families) == sorted(name for _attr, name, *_ in EXPECTED)
    for family in families.values():
        assert family.name.startswith("mediawatch_")
        assert family.documentation
        if family.type == "counter":
            assert not family.name.endswith("_total")  # the client appends it


def test_no_label_carries_free_text(metrics: Metrics) -> None:
    forbidden = {"url", "title", "text", "evidence", "id", "article", "story", "alert_id"}
    for _attr, _name, _kind, labels in EXPECTED:
        assert not forbidden & set(labels)


def exposed(metrics: Metrics) -> dict[str, list[dict[str, str]]]:
    """Sample name → label sets, as Prometheus would scrape them."""
    samples: dict[str, list[dict[str, str]]] = {}
    text = generate_latest(metrics.registry).decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(dict(sample.labels))
    return samples


def test_producer_series_start_at_zero_for_every_outcome(metrics: Metrics) -> None:
    metrics.init_producer_feed("wire", 300.0)
    metrics.init_producer_feed("wire", 300.0)  # idempotent
    samples = exposed(metrics)
    assert sorted(s["outcome"] for s in samples["mediawatch_feed_fetches_total"]) == sorted(
        FETCH_OUTCOMES)
    assert {s["outcome"] for s in samples["mediawatch_feed_entries_total"]} == {
        "published", "seen", "invalid"}
    assert samples["mediawatch_feed_poll_interval_seconds"] == [{"feed": "wire"}]
    assert {"feed": "wire"} in samples["mediawatch_feed_fetch_duration_seconds_count"]
    value = metrics.registry.get_sample_value(
        "mediawatch_feed_fetches_total", {"feed": "wire", "outcome": "timeout"})
    assert value == 0.0


def init_worker(metrics: Metrics, dyads: tuple[str, ...] = ("CN-RU", "RU-US")) -> None:
    metrics.init_rules([("diplomacy-watch", "medium")], [("new-watch", "high")],
                       ["console", "slack"])
    metrics.init_worker(
        languages=("en", "ru"),
        deadletter_topics=[("articles", "p.articles.deadletter"),
                           ("alerts", "p.alerts.deadletter")],
        watched_dyads=dyads, watched_countries={"CN", "RU", "US"})


def test_worker_series_start_at_zero(metrics: Metrics) -> None:
    init_worker(metrics)
    samples = exposed(metrics)
    assert {(s["stage"], s["lang"]) for s in samples["mediawatch_articles_total"]} == {
        (stage, lang)
        for stage in ("unique", "tagged")
        for lang in ("en", "ru", "unknown", "other")}
    assert {s["dyad"] for s in samples["mediawatch_bilateral_meetings_total"]} == {
        "CN-RU", "RU-US", "other"}
    assert {s["stance"] for s in samples["mediawatch_sanctions_rhetoric_total"]} == set(STANCES)
    assert len(samples["mediawatch_sanctions_rhetoric_countries_total"]) == 3 * len(STANCES)
    assert samples["mediawatch_alerts_total"] == [{"rule": "diplomacy-watch",
                                                   "severity": "medium"}]
    assert samples["mediawatch_shadow_alerts_total"] == [{"rule": "new-watch",
                                                          "severity": "high"}]
    assert {s["outcome"] for s in samples["mediawatch_rules_reloads_total"]} == {"ok", "error"}
    assert {(s["route"], s["outcome"]) for s in samples["mediawatch_deliveries_total"]} >= {
        ("slack", "gave_up"), ("slack", "rejected"), ("console", "ok")}
    assert {s["topic"] for s in samples["mediawatch_deadletter_records_total"]} == {
        "p.articles.deadletter", "p.alerts.deadletter"}
    assert {s["span"] for s in samples["mediawatch_stage_latency_seconds_count"]} == set(
        LATENCY_SPANS)
    assert {s["outcome"] for s in samples["mediawatch_consumer_lag_checks_total"]} == {
        "ok", "error"}
    values = [metrics.registry.get_sample_value(name, labels)
              for name, label_sets in samples.items() if name.endswith("_total")
              for labels in label_sets]
    assert values and all(v == 0.0 for v in values)


def test_meetings_count_under_watched_dyads_or_other(metrics: Metrics) -> None:
    init_worker(metrics)
    metrics.count_meeting(["RU", "CN"])
    metrics.count_meeting(["IN", "TR"])
    metrics.count_meeting(["TR", "IN"])
    get = metrics.registry.get_sample_value
    assert get("mediawatch_bilateral_meetings_total", {"dyad": "CN-RU"}) == 1
    assert get("mediawatch_bilateral_meetings_total", {"dyad": "other"}) == 2
    assert get("mediawatch_bilateral_meetings_total", {"dyad": "IN-TR"}) is None


def test_sanctions_count_each_country_once_and_bound_the_label(metrics: Metrics) -> None:
    metrics.count_sanctions("impose", ["US", "IR", "US", "not a code"])
    get = metrics.registry.get_sample_value
    assert get("mediawatch_sanctions_rhetoric_countries_total",
               {"stance": "impose", "country": "US"}) == 1
    assert get("mediawatch_sanctions_rhetoric_countries_total",
               {"stance": "impose", "country": "other"}) == 1


@pytest.mark.parametrize(("parties", "label"), [
    (["RU", "CN"], "CN-RU"), (("US", "RU"), "RU-US"), (["CN", "RU"], "CN-RU")])
def test_dyad_label_is_sorted(parties: list[str], label: str) -> None:
    assert dyad(parties) == label


@pytest.mark.parametrize(("code", "label"), [
    ("US", "US"), ("us", "other"), ("USA", "other"), ("", "other"), ("Z9", "other")])
def test_country_label(code: str, label: str) -> None:
    assert country_label(code) == label


def test_watched_dyads_setting_is_parsed_sorted_and_checked() -> None:
    settings = Settings.from_env({"MEDIAWATCH_WATCHED_DYADS": "ru-cn, US-RU,CN-RU"})
    assert tuple(settings.watched_dyads) == ("CN-RU", "RU-US")
    assert str(settings.watched_dyads) == "CN-RU,RU-US"
    assert "CN-RU" in Settings().watched_dyads
    for bad in ("CN", "CN-CN", "CHN-RUS", "CN-RU-US", "C1-RU"):
        with pytest.raises(ValueError, match="MEDIAWATCH_WATCHED_DYADS"):
            Settings.from_env({"MEDIAWATCH_WATCHED_DYADS": bad})


def test_known_label_values_match_the_analysis_core() -> None:
    from analysis.events import MODALITY_ORDER
    from analysis.rules import STANCES as CORE_STANCES
    from streams.metrics import MODALITIES

    assert set(STANCES) == set(CORE_STANCES)
    assert set(MODALITIES) == set(MODALITY_ORDER)


def test_consumer_lag_counts_from_the_commit_or_the_beginning() -> None:
    from aiokafka import TopicPartition

    from streams.lag import lag

    a0, a1, a2 = (TopicPartition("articles.raw", p) for p in range(3))
    end = {a0: 10, a1: 7, a2: 5}
    committed = {a0: 4, a1: -1}
    beginning = {a1: 2, a2: 5}
    assert lag(committed, beginning, end) == {a0: 6, a1: 5, a2: 0}
    assert lag({a0: 12}, {}, {a0: 10}) == {a0: 0}


def test_language_labels_are_a_bounded_set() -> None:
    from streams.metrics import language_label
    assert language_label("en") == "en" and language_label("en-US") == "en"
    assert language_label("ZH_cn") == "zh"
    assert language_label(None) == "unknown" and language_label("") == "unknown"
    assert language_label("klingon") == "other"
    assert language_label("x" * 10_000) == "other"


def test_a_feed_forgotten_leaves_no_series() -> None:
    from prometheus_client import CollectorRegistry

    from streams.metrics import Metrics

    m = Metrics(CollectorRegistry())
    for feed in ("kept", "gone"):
        m.init_producer_feed(feed, 300.0)
        m.feed_fetches.labels(feed=feed, outcome="ok").inc()
        m.feed_fetch_duration.labels(feed=feed).observe(0.2)
        m.feed_silent.labels(feed=feed).inc()
        m.feed_status.labels(feed=feed, status="ok").set(1)
        m.feed_last_success.labels(feed=feed).set(1.0)
    m.forget_producer_feed("gone", ("ok", "silent", "failing"))
    feeds = {sample.labels.get("feed") for family in m.registry.collect()
             for sample in family.samples if "feed" in sample.labels}
    assert feeds == {"kept"}


def test_health_and_readiness_beside_the_metrics() -> None:
    import socket
    import urllib.error
    import urllib.request

    from streams.metrics import HEALTH, serve

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serve(port)
    base = f"http://127.0.0.1:{port}"

    def get(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    HEALTH.set(False, "rebalancing")
    assert get("/healthz") == (200, "ok\n")
    assert get("/readyz") == (503, "not ready: rebalancing\n")
    HEALTH.set(True, "partitions assigned")
    assert get("/readyz") == (200, "ready: partitions assigned\n")
    status, body = get("/metrics")
    assert status == 200 and "python_info" in body


def test_fetch_outcomes_created_at_zero_are_the_documented_and_raised_ones() -> None:
    """Every outcome docs/metrics.md lists, and every outcome a failed fetch is counted
    as, is a series created at 0 (so that rate() sees its first fetch)."""
    import re
    from pathlib import Path

    from producers.fetching import FeedFetchError

    docs = (Path(__file__).resolve().parents[3] / "docs" / "metrics.md").read_text()
    row = next(line for line in docs.splitlines()
               if line.startswith("| `mediawatch_feed_fetches_total`"))
    listed = re.sub(r"\([^)]*\)", "", row.split("fetches by outcome:")[1]).strip(" |")
    documented = {word.strip() for word in listed.split(",")}
    doc = FeedFetchError.__doc__ or ""
    raised = {word.strip(" .\n") for word in doc.split("metrics:")[1].split(",")}
    assert "address_refused" in documented & raised
    assert documented == set(FETCH_OUTCOMES)
    assert raised <= set(FETCH_OUTCOMES)
