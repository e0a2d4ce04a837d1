"""Write the Grafana dashboards of mediawatch to deploy/grafana/dashboards/*.json.

    python deploy/grafana/build_dashboards.py          # rewrite the JSON files
    python deploy/grafana/build_dashboards.py --check  # exit 1 when a file is stale

The JSON files are what Grafana loads and what is reviewed; this script only keeps
their panels uniform (data source, grid, units, legends). It uses the standard library
alone. tests/unit/test_dashboards.py checks that the files match this script and that
every query uses known metrics; tests/integration/test_observability.py checks that
every query returns data from a live pipeline.

Portable to any Grafana: the data source is the ``datasource`` variable (any Prometheus
data source, picked on the dashboard), ``job`` (a regular expression, ``mediawatch-.*``
by default) selects the service's scrape jobs, in every query (``scoped`` adds it to each
``mediawatch_*`` selector, so that deployments one Prometheus scrapes are not mixed), and
``feed`` the feeds shown; per-feed
panels show the ``topk`` feeds only, readable at a thousand feeds. Template variables
in queries: ``$__rate_interval``, ``$__range``, ``$job``, ``$feed`` and ``$topk``.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DASHBOARDS_DIR = Path(__file__).resolve().parent / "dashboards"
_SELECTOR = re.compile(r"\b(mediawatch_\w+)(?:\{([^}]*)\})?")


def scoped(expr: str) -> str:
    """``expr`` with ``job=~"$job"`` in the selector of every ``mediawatch_*`` metric."""
    def add(match: re.Match[str]) -> str:
        matchers = ['job=~"$job"', *filter(None, [match.group(2)])]
        return f"{match.group(1)}{{{','.join(matchers)}}}"
    return _SELECTOR.sub(add, expr)

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
TOP = 20  # default of the topk variable: feeds per per-feed panel


FEED_VALUES = scoped("label_values(mediawatch_feed_fetches_total, feed)")


def _variables(feeds: bool) -> list[dict[str, Any]]:
    variables: list[dict[str, Any]] = [
        {"name": "datasource", "label": "Data source", "type": "datasource",
         "query": "prometheus", "current": {}, "hide": 0, "refresh": 1,
         "regex": "", "options": []},
        {"name": "job", "label": "Scrape jobs (regex)", "type": "textbox",
         "query": "mediawatch-.*", "current": {"text": "mediawatch-.*",
                                               "value": "mediawatch-.*"},
         "hide": 0, "options": []},
    ]
    if feeds:
        variables += [
            {"name": "feed", "label": "Feeds", "type": "query", "datasource": DATASOURCE,
             "query": {"query": FEED_VALUES, "refId": "feeds"},
             "definition": FEED_VALUES,
             "multi": True, "includeAll": True, "allValue": ".*",
             "current": {"text": "All", "value": "$__all"}, "refresh": 2, "sort": 1,
             "hide": 0, "options": []},
            {"name": "topk", "label": "Feeds per panel", "type": "custom",
             "query": "10,20,50,100", "current": {"text": str(TOP), "value": str(TOP)},
             "hide": 0, "options": []},
        ]
    return variables
SCHEMA_VERSION = 41  # Grafana 12.0 (deploy/docker-compose.yml)


@dataclass
class Query:
    expr: str
    legend: str = "__auto"
    instant: bool = False


@dataclass
class Panel:
    title: str
    description: str
    queries: list[Query]
    kind: str = "timeseries"  # timeseries | barchart | bargauge | stat | table
    unit: str = "short"
    width: int = 12
    height: int = 8
    stacked: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _panel(panel: Panel, panel_id: int, x: int, y: int) -> dict[str, Any]:
    targets = []
    for ref, query in zip("ABCDEFGH", panel.queries, strict=False):
        target: dict[str, Any] = {
            "refId": ref, "datasource": DATASOURCE, "expr": scoped(query.expr),
            "legendFormat": query.legend, "range": not query.instant,
            "instant": query.instant, "editorMode": "code",
        }
        if panel.kind in ("table", "barchart"):
            target["format"] = "table"
        targets.append(target)
    custom: dict[str, Any] = {}
    options: dict[str, Any] = {}
    if panel.kind == "timeseries":
        custom = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10,
                  "showPoints": "never", "spanNulls": True,
                  "stacking": {"mode": "normal" if panel.stacked else "none", "group": "A"}}
        options = {"legend": {"displayMode": "table", "placement": "right",
                              "calcs": ["lastNotNull", "max"], "showLegend": True},
                   "tooltip": {"mode": "multi", "sort": "desc"}}
    elif panel.kind == "bargauge":
        options = {"orientation": "horizontal", "displayMode": "gradient",
                   "reduceOptions": {"calcs": ["lastNotNull"], "values": False},
                   "showUnfilled": True}
    elif panel.kind == "stat":
        options = {"reduceOptions": {"calcs": ["lastNotNull"], "values": False},
                   "colorMode": "value", "graphMode": "area", "textMode": "auto"}
    elif panel.kind == "barchart":
        options = {"orientation": "horizontal", "stacking": "normal", "showValue": "auto",
                   "legend": {"displayMode": "list", "placement": "bottom",
                              "showLegend": True}}
    elif panel.kind == "table":
        options = {"showHeader": True, "cellHeight": "sm"}
    result: dict[str, Any] = {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": {"h": panel.height, "w": panel.width, "x": x, "y": y},
        "targets": targets,
        "fieldConfig": {"defaults": {"unit": panel.unit, "custom": custom}, "overrides": []},
        "options": options,
    }
    result.update(panel.extra)
    return result


def dashboard(uid: str, title: str, description: str, panels: list[Panel],
              tags: tuple[str, ...] = ()) -> dict[str, Any]:
    laid_out, x, y, row_height = [], 0, 0, 0
    for number, panel in enumerate(panels, start=1):
        if x + panel.width > 24:
            x, y, row_height = 0, y + row_height, 0
        laid_out.append(_panel(panel, number, x, y))
        x += panel.width
        row_height = max(row_height, panel.height)
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["mediawatch", *tags],
        "editable": False,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": SCHEMA_VERSION,
        "time": {"from": "now-6h", "to": "now"},
        "timezone": "utc",
        "templating": {"list": _variables(feeds="feeds" in tags)},
        "annotations": {"list": []},
        "links": [{"title": "mediawatch", "type": "dashboards", "tags": ["mediawatch"],
                   "asDropdown": True}],
        "panels": laid_out,
        "version": 1,
    }


def _p95(span_filter: str, by: str) -> str:
    return (f"histogram_quantile(0.95, sum by (le, {by}) "
            f"(rate(mediawatch_stage_latency_seconds_bucket{{{span_filter}}}"
            f"[$__rate_interval])))")


PIPELINE = dashboard(
    "mediawatch-pipeline", "mediawatch / Pipeline health",
    "Throughput, latency, consumer lag, dead letters and deliveries of every stage.",
    [
        Panel("Processes up", "1 when Prometheus scrapes the process, 0 when it cannot.",
              [Query('up{job=~"$job"}', "{{job}} {{instance}}")], kind="stat",
              width=6),
        Panel("Consumer lag (messages)", "Messages not yet processed by the worker's "
              "consumer group, per consumed topic (measured every "
              "MEDIAWATCH_LAG_INTERVAL_SECONDS).",
              [Query("sum by (topic) (max by (topic, partition) "
                     "(mediawatch_consumer_lag_messages))", "{{topic}}")], width=18),
        Panel("Articles per second by stage", "raw: published by the producers; unique: "
              "after deduplication; tagged: after analysis.",
              [Query("sum by (stage) (rate(mediawatch_articles_total[$__rate_interval]))",
                     "{{stage}}")], unit="ops"),
        Panel("Tagged articles per second by language", "Language detected by the "
              "analysis core.",
              [Query('sum by (lang) (rate(mediawatch_articles_total{stage="tagged"}'
                     "[$__rate_interval]))", "{{lang}}")], unit="ops", stacked=True),
        Panel("Deduplication outcomes", "new: a story seen for the first time; the other "
              "kinds name the fingerprint that matched an earlier article.",
              [Query("sum by (kind) (rate(mediawatch_dedup_outcomes_total"
                     "[$__rate_interval]))", "{{kind}}")], unit="ops", stacked=True),
        Panel("Latency p95 by span", "published→ingested (feed date to fetch), "
              "ingested→tagged, tagged→alerted, alerted→delivered.",
              [Query(_p95("", "span"), "{{span}}")], unit="s"),
        Panel("Dead-letter records", "Records sent to articles.deadletter or "
              "alerts.deadletter, by reason. Any is worth a look in the worker log.",
              [Query("sum by (topic, reason) (increase(mediawatch_deadletter_records_total"
                     "[$__rate_interval]))", "{{topic}} {{reason}}")], stacked=True),
        Panel("Deliveries by route and outcome", "Alert deliveries per route (console, "
              "Slack, webhooks): ok, rejected, gave_up, already_delivered.",
              [Query("sum by (route, outcome) (increase(mediawatch_deliveries_total"
                     "[$__rate_interval]))", "{{route}} {{outcome}}")], stacked=True),
        Panel("Alerts waiting on routes", "Alerts a worker holds while a route fails for "
              "now (retried until the budget is spent), and alerts put back on the topic "
              "when a worker stopped or gave partitions up.",
              [Query("sum by (instance) (mediawatch_delivery_pending_alerts)",
                     "waiting {{instance}}"),
               Query("sum(increase(mediawatch_delivery_put_back_total[$__rate_interval]))",
                     "put back")]),
        Panel("Alerts per rule and severity", "Alerts emitted after story suppression.",
              [Query("sum by (rule, severity) (increase(mediawatch_alerts_total"
                     "[$__rate_interval]))", "{{rule}} ({{severity}})")], stacked=True),
        Panel("Consumer-lag measurements", "Outcomes of the worker's lag measurement; "
              "errors mean the lag panel is stale.",
              [Query("sum by (outcome) (increase(mediawatch_consumer_lag_checks_total"
                     "[$__rate_interval]))", "{{outcome}}")], width=6),
        Panel("CPU per process", "CPU seconds per second of each mediawatch process.",
              [Query('rate(process_cpu_seconds_total{job=~"$job"}'
                     "[$__rate_interval])", "{{job}}")], unit="percentunit", width=9),
        Panel("Resident memory per process", "Resident set size of each process.",
              [Query('process_resident_memory_bytes{job=~"$job"}', "{{job}}")],
              unit="bytes", width=9),
    ], tags=("pipeline",))

FEEDS = dashboard(
    "mediawatch-feeds", "mediawatch / Feeds",
    "Fetch outcomes, freshness and new entries of every feed.",
    [
        Panel("Fetches by outcome", "ok, not_modified (HTTP 304), http_error, timeout, "
              "parse_error, publish_error.",
              [Query("sum by (outcome) (increase(mediawatch_feed_fetches_total"
                     "[$__rate_interval]))", "{{outcome}}")], stacked=True),
        Panel("Failed fetches per feed", "http_error, timeout, parse_error and "
              "publish_error in the dashboard's time range.",
              [Query("sort_desc(topk($topk, sum by (feed) (increase("
                     'mediawatch_feed_fetches_total{outcome!~"ok|not_modified",'
                     'feed=~"$feed"}[$__range]))))', "{{feed}}", instant=True)],
              kind="bargauge"),
        Panel("Time since last successful fetch", "Per feed; MediawatchFeedSilent fires "
              "past 3 poll intervals.",
              [Query("sort_desc(topk($topk, time() - max by (feed) "
                     '(mediawatch_feed_last_success_timestamp_seconds{feed=~"$feed"})))',
                     "{{feed}}", instant=True)], kind="bargauge", unit="s"),
        Panel("Silence in poll intervals", "Time since the last successful fetch divided "
              "by the feed's poll interval (alert at 3).",
              [Query("topk($topk, (time() - max by (feed) "
                     '(mediawatch_feed_last_success_timestamp_seconds{feed=~"$feed"}))'
                     ' / max by (feed) (mediawatch_feed_poll_interval_seconds{feed=~"$feed"}))',
                     "{{feed}}")]),
        Panel("New entries per feed", "Entries published to articles.raw in the "
              "dashboard's time range.",
              [Query("sort_desc(topk($topk, sum by (feed) (increase("
                     'mediawatch_feed_entries_total{outcome="published",feed=~"$feed"}'
                     "[$__range]))))", "{{feed}}", instant=True)],
              kind="bargauge"),
        Panel("Entries by outcome", "published (new), seen (already published), invalid.",
              [Query("sum by (outcome) (increase(mediawatch_feed_entries_total"
                     "[$__rate_interval]))", "{{outcome}}")], stacked=True),
        Panel("Fetch duration p95 per feed", "Including the time to parse and publish.",
              [Query("topk($topk, histogram_quantile(0.95, sum by (le, feed) (rate("
                     'mediawatch_feed_fetch_duration_seconds_bucket{feed=~"$feed"}'
                     "[$__rate_interval]))))", "{{feed}}")], unit="s"),
        Panel("Published → ingested latency", "From the date an entry carries to its "
              "fetch: p50 and p95.",
              [Query("histogram_quantile(0.5, sum by (le) (rate("
                     'mediawatch_stage_latency_seconds_bucket{span="published_to_ingested"}'
                     "[$__rate_interval])))", "p50"),
               Query(_p95('span="published_to_ingested"', "span"), "p95")], unit="s"),
    ], tags=("feeds",))

EVENTS = dashboard(
    "mediawatch-events", "mediawatch / Events",
    "Bilateral meetings by watched country pair, sanctions rhetoric by stance and "
    "country, and alerts by rule.",
    [
        Panel("Bilateral meetings by watched dyad", "Meetings detected per country pair "
              "in MEDIAWATCH_WATCHED_DYADS; \"other\" counts the rest.",
              [Query("sum by (dyad) (increase(mediawatch_bilateral_meetings_total"
                     "[$__rate_interval]))", "{{dyad}}")], stacked=True, width=16),
        Panel("Meetings by dyad in range", "Totals over the dashboard's time range.",
              [Query("sort_desc(sum by (dyad) (increase(mediawatch_bilateral_meetings_total"
                     "[$__range])))", "{{dyad}}", instant=True)], kind="bargauge", width=8),
        Panel("Sanctions rhetoric by stance", "Articles with sanctions rhetoric: impose, "
              "threaten, condemn, lift, mention.",
              [Query("sum by (stance) (increase(mediawatch_sanctions_rhetoric_total"
                     "[$__rate_interval]))", "{{stance}}")], stacked=True),
        Panel("Sanctions rhetoric by country and stance", "Countries named in articles "
              "with sanctions rhetoric, over the dashboard's time range (top 20).",
              [Query("topk(20, sum by (country, stance) (increase("
                     "mediawatch_sanctions_rhetoric_countries_total[$__range])))",
                     "{{country}} {{stance}}", instant=True)], kind="bargauge"),
        Panel("Events by type and modality", "Detected events: bilateral meetings by "
              "modality (call, visit, talks, meeting).",
              [Query("sum by (type, modality) (increase(mediawatch_events_total"
                     "[$__rate_interval]))", "{{type}} {{modality}}")], stacked=True),
        Panel("Alerts by rule", "Alerts emitted per rule and severity over the "
              "dashboard's time range.",
              [Query("sort_desc(sum by (rule, severity) (increase(mediawatch_alerts_total"
                     "[$__range])))", "{{rule}} ({{severity}})", instant=True)],
              kind="bargauge"),
        Panel("Region tags (top 10)", "Regions and blocs named in tagged articles over "
              "the dashboard's time range.",
              [Query("topk(10, sum by (region) (increase(mediawatch_region_tags_total"
                     "[$__range])))", "{{region}}", instant=True)], kind="bargauge"),
        Panel("Tagged articles by language", "Over the dashboard's time range.",
              [Query('sort_desc(sum by (lang) (increase(mediawatch_articles_total'
                     '{stage="tagged"}[$__range])))', "{{lang}}", instant=True)],
              kind="bargauge"),
    ], tags=("events",))

DASHBOARDS = {"pipeline.json": PIPELINE, "feeds.json": FEEDS, "events.json": EVENTS}


def render(board: dict[str, Any]) -> str:
    return json.dumps(board, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, board in DASHBOARDS.items():
        path = DASHBOARDS_DIR / name
        text = render(board)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale dashboards (run {Path(__file__).name}): {', '.join(stale)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
