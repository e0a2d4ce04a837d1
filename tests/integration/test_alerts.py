"""Alerts people can act on, on the real broker with a local Slack-like server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import time
import urllib.request
from pathlib import Path
from xml.sax.saxutils import escape

import jsonschema
import pytest

from .conftest import (
    REPO,
    Deployment,
    FeedServer,
    committed,
    end_offsets,
    loads,
    produce,
    read_records,
)
from .slackserver import SlackServer

pytestmark = pytest.mark.integration

SCHEMA = json.loads((REPO / "deploy" / "schemas" / "alert.schema.json").read_text())

# One story — the Russian and Chinese foreign ministers' phone call — as ten outlets
# reported it in three languages.
COPIES = [
    ("en", "Lavrov and Wang Yi discuss Ukraine in phone call",
     "Russian Foreign Minister Sergei Lavrov and his Chinese counterpart Wang Yi held a "
     "phone call on Tuesday, the Russian Foreign Ministry said."),
    ("en", "Russia, China foreign ministers hold phone talks",
     "Sergei Lavrov spoke by telephone with Chinese Foreign Minister Wang Yi on Tuesday."),
    ("en", "Lavrov, Wang hold call on bilateral ties",
     "The foreign ministers of Russia and China, Sergei Lavrov and Wang Yi, held a "
     "telephone conversation, Moscow said."),
    ("en", "Moscow says Lavrov spoke with Wang Yi by phone",
     "In a phone call, Lavrov and Chinese Foreign Minister Wang Yi discussed preparations "
     "for upcoming contacts, the ministry said."),
    ("ru", "Лавров и Ван И провели телефонный разговор",
     "Министр иностранных дел России Сергей Лавров провёл телефонный разговор с главой "
     "МИД Китая Ван И."),
    ("ru", "Лавров обсудил с Ван И подготовку контактов",
     "Сергей Лавров и китайский министр иностранных дел Ван И провели телефонный "
     "разговор, сообщили в МИД России."),
    ("ru", "Главы МИД России и Китая созвонились",
     "Глава МИД России Сергей Лавров провёл телефонный разговор со своим китайским "
     "коллегой Ван И во вторник."),
    ("fr", "Lavrov et Wang Yi ont eu un entretien téléphonique",
     "Le ministre russe des Affaires étrangères Sergueï Lavrov s'est entretenu au "
     "téléphone avec son homologue chinois Wang Yi mardi."),
    ("fr", "Entretien téléphonique entre les chefs de la diplomatie russe et chinoise",
     "Sergueï Lavrov a eu mardi un entretien téléphonique avec le ministre chinois des "
     "Affaires étrangères Wang Yi, selon Moscou."),
    ("fr", "Moscou et Pékin : appel entre Lavrov et Wang Yi",
     "Le chef de la diplomatie russe Sergueï Lavrov et son homologue chinois Wang Yi se "
     "sont parlé au téléphone mardi."),
]

OTHER_STORIES = [
    ("en", "Modi and Albanese hold talks in New Delhi",
     "Indian Prime Minister Narendra Modi held talks with his Australian counterpart "
     "Anthony Albanese in New Delhi on Thursday."),
    ("en", "Macron receives Brazil's Lula at the Elysee",
     "French President Emmanuel Macron met Brazilian President Luiz Inacio Lula da Silva "
     "in Paris on Friday for talks on climate and trade."),
]

RULES = """
rules:
  - name: meetings
    severity: high
    routes: [slack]
    when: {event: bilateral_meeting}
    suppression:
      window_hours: 48
      renotify: {sources_at: [5], new_language: false, severity_rose: true}
"""


def rss(items: list[tuple[str, str, str]], prefix: str, day: str = "24 Nov 2026") -> str:
    entries = "".join(
        f"<item><title>{escape(title)}</title>"
        f"<link>https://{prefix}{i}.example/{lang}/story-{i}</link>"
        f"<guid isPermaLink=\"false\">{prefix}-{i}</guid>"
        f"<pubDate>Tue, {day} 0{i % 10}:00:00 +0000</pubDate>"
        f"<description>{escape(text)}</description></item>"
        for i, (lang, title, text) in enumerate(items))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{prefix}</title><link>https://{prefix}.example/</link>"
            f"<description>test</description>{entries}</channel></rss>")


def setup(deployment: Deployment, feed_server: FeedServer, items: list[tuple[str, str, str]],
          name: str = "wire") -> str:
    (deployment.data_dir / "rules.yaml").write_text(RULES)
    deployment.extra_env["MEDIAWATCH_RULES_FILE"] = str(deployment.data_dir / "rules.yaml")
    url = feed_server.write(f"{name}.xml", rss(items, name))
    feeds = deployment.data_dir / f"{name}.yaml"
    feeds.write_text(f"feeds:\n  - {{id: {name}, url: '{url}', name: {name}}}\n")
    return str(feeds)


def accepted(value: bytes | None) -> bool:
    """A delivered-alerts record of an accepted delivery (a positive unix time), not
    the mark of a post in flight (negative) nor its removal (a tombstone)."""
    return value is not None and not value.startswith(b"-")


async def changelog_values(deployment: Deployment, table: str, count: int,
                           predicate) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    topic = f"{deployment.app_id}-{table}-changelog"
    records = await deployment.read_raw(topic, count=count, predicate=predicate)
    return [loads(value) if value.startswith(b"{") else {"raw": value} for _k, value in records]


async def test_ten_copies_in_three_languages_make_one_message_then_one_update(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    feeds = setup(deployment, feed_server, COPIES)
    deployment.mediawatch("worker", log_name="worker",
                          MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url)
    assert "published 10 entries" in deployment.run_once("produce", "--feeds", feeds, "--once")

    # The suppression state saw all ten reports...
    await changelog_values(deployment, "story-alerts", 1,
                           lambda v: b'"source_count":10' in v)
    # ...and two versions of one alert were emitted and delivered.
    messages = slack_server.wait_for(2)
    alerts = [loads(v) for _k, v in await deployment.read("alerts", count=2)]
    assert [a["data"]["version"] for a in alerts] == [1, 2]
    assert len({a["data"]["alert_id"] for a in alerts}) == 1
    assert alerts[1]["data"]["source_count"] == 5
    assert alerts[0]["data"]["parties"] == ["CN", "RU"]
    for alert in alerts:
        jsonschema.validate(alert["data"], SCHEMA)
        assert alert["specversion"] == "1.0" and alert["id"].endswith(
            f".{alert['data']['version']}")
    await changelog_values(deployment, "delivered-alerts", 2, accepted)
    assert await end_offsets(deployment.bootstrap, deployment.topic("alerts")) == 2
    assert len(slack_server.received) == 2
    assert "+4 sources" in json.dumps(messages[1].body, ensure_ascii=False)


async def test_a_rejected_alert_is_dead_lettered_and_the_next_one_goes_out(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    feeds = setup(deployment, feed_server, OTHER_STORIES)
    slack_server.respond(404, "no_service")
    deployment.mediawatch("worker", log_name="worker",
                          MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url)
    deployment.run_once("produce", "--feeds", feeds, "--once")

    (delivered,) = slack_server.wait_for(1)
    dead = [loads(v) for _k, v in await deployment.read("alerts.deadletter", count=1)]
    assert len(dead) == 1
    assert dead[0]["reason"] == "rejected"
    assert "404 no_service" in dead[0]["error"]
    assert dead[0]["route"] == "slack"
    assert slack_server.url not in json.dumps(dead[0])
    assert dead[0]["alert_id"] not in json.dumps(delivered.body)
    assert [r.status for r in slack_server.received] == [404, 200]


async def test_a_dead_lettered_alert_is_replayed_once(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    feeds = setup(deployment, feed_server, OTHER_STORIES[:1])
    slack_server.outage(503, seconds=600)  # longer than the retry budget: gave up
    port = free_port()
    deployment.mediawatch("worker", log_name="worker",
                          MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url,
                          MEDIAWATCH_DELIVERY_RETRY_BUDGET_SECONDS="1",
                          MEDIAWATCH_METRICS_PORT=str(port))
    deployment.run_once("produce", "--feeds", feeds, "--once")
    ((dead_key, dead_value),) = await deployment.read("alerts.deadletter", count=1)
    dead = loads(dead_value)
    assert dead["reason"] == "gave_up" and dead["route"] == "slack"
    assert "retry budget 1s" in dead["error"]
    failed = [r.status for r in slack_server.received]
    assert failed and set(failed) == {503}
    slack_server.recover()

    first = deployment.run_once("deadletter", "replay")
    assert "replayed 1 alert(s) (slack 1)" in first
    (delivered,) = slack_server.wait_for(1)
    assert "Modi and Albanese" in delivered.body["text"]
    again = deployment.run_once("deadletter", "replay")
    assert "replayed 0 alert(s)" in again  # each dead letter once
    # the replayed event went to alerts once, narrowed to the failed route
    replayed = [loads(v) for _k, v in await deployment.read("alerts", count=2)]
    assert replayed[1]["id"] == replayed[0]["id"]
    assert replayed[1]["data"]["routes"] == ["slack"]
    assert await end_offsets(deployment.bootstrap, deployment.topic("alerts")) == 2
    assert [r.status for r in slack_server.received] == [*failed, 200]
    # both are structured-mode CloudEvents by the Kafka binding's header
    records = await read_records(deployment.bootstrap, deployment.topic("alerts"), count=2)
    assert [dict(r.headers).get("content-type") for r in records] == [
        b"application/cloudevents+json; charset=UTF-8"] * 2

    # The same dead letter written twice: replayed, but the route took that version.
    await produce(deployment.bootstrap, deployment.topic("alerts.deadletter"),
                  [(dead_key or b"", dead_value)])
    assert "replayed 1 alert(s) (slack 1)" in deployment.run_once("deadletter", "replay")
    await wait_for_metric(deployment, port, 'mediawatch_deliveries_total{outcome="already_'
                          'delivered",route="slack"}', 1.0)
    assert [r.status for r in slack_server.received] == [*failed, 200]


async def test_a_misconfigured_route_dead_letters_and_the_others_deliver(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    feeds = setup(deployment, feed_server, OTHER_STORIES[:1])
    secret = deployment.data_dir / "empty-secret"
    secret.write_text("\n")
    rules = RULES.replace("routes: [slack]", "routes: [lost, hooks, slack]")
    (deployment.data_dir / "rules.yaml").write_text(
        "routes:\n"
        f"  lost:\n    type: webhook\n    url_file: {deployment.data_dir / 'absent'}\n"
        f"  hooks:\n    type: webhook\n    url: {slack_server.url}\n"
        f"    secret_file: {secret}\n{rules}")
    deployment.mediawatch("worker", log_name="worker",
                          MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url)
    deployment.run_once("produce", "--feeds", feeds, "--once")
    (delivered,) = slack_server.wait_for(1)  # slack still gets it, and only slack
    dead = [loads(v) for _k, v in await deployment.read("alerts.deadletter", count=2)]
    assert sorted(d["route"] for d in dead) == ["hooks", "lost"]
    assert {d["reason"] for d in dead} == {"misconfigured"}
    errors = " ".join(d["error"] for d in dead)
    assert "url_file" in errors and "secret_file" in errors and "is empty" in errors
    assert "blocks" in delivered.body  # the Slack message, not an unsigned webhook call
    deployment.check_alive()


async def test_a_worker_killed_after_sending_does_not_send_again(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    feeds = setup(deployment, feed_server, COPIES[:1])
    env = {"MEDIAWATCH_SLACK_WEBHOOK_URL": slack_server.url,
           # Offsets stay uncommitted: the restart re-reads every stage's input.
           "MEDIAWATCH_COMMIT_INTERVAL_SECONDS": "600",
           # The killed worker's partitions move to the new one after this long.
           "MEDIAWATCH_SESSION_TIMEOUT_SECONDS": "10"}
    worker = deployment.mediawatch("worker", log_name="worker", **env)
    deployment.run_once("produce", "--feeds", feeds, "--once")
    (first,) = slack_server.wait_for(1)
    # The delivery record is durable before the kill.
    await changelog_values(deployment, "delivered-alerts", 1, accepted)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    deployment.processes.remove(worker)

    port = free_port()
    deployment.mediawatch("worker", log_name="worker-restarted",
                          MEDIAWATCH_METRICS_PORT=str(port), **env)
    # The restarted worker reads the alert again and skips it: the route's record of it
    # came back with the table.
    try:
        await wait_for_metric(deployment, port, 'mediawatch_deliveries_total{outcome="'
                              'already_delivered",route="slack"}', 1.0)
    except AssertionError as exc:
        # whether the alert could be read again: its topic's end and the group's commits
        alerts_topic = deployment.topic("alerts")
        raise AssertionError(
            f"{exc}; Slack received {len(slack_server.received)} post(s); alerts: "
            f"{await end_offsets(deployment.bootstrap, alerts_topic)} record(s), "
            f"{await committed(deployment, alerts_topic)} committed by the group") from None
    assert len(slack_server.received) == 1
    # A second story after the restart proves the restarted worker is delivering.
    feed_server.write("wire.xml", rss([*COPIES[:1], *OTHER_STORIES[:1]], "wire"))
    assert "published 1 entries" in deployment.run_once("produce", "--feeds", feeds, "--once")
    received = slack_server.wait_for(2, timeout=120)
    assert len(received) == 2
    assert "Modi" in json.dumps(received[1].body)
    assert "Lavrov" in json.dumps(first.body)
    assert "Lavrov" not in json.dumps(received[1].body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as response:
        return str(response.read().decode())


async def wait_for_metric(deployment: Deployment, port: int, series: str, value: float,
                          timeout: float = 90.0) -> None:
    """Until the process on ``port`` exports ``series`` at ``value`` or more."""
    deadline = time.monotonic() + timeout
    family = series.split("{")[0]
    while True:
        deployment.check_alive()
        try:
            body = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/metrics")
        except OSError:
            body = ""
        for line in body.splitlines():
            if line.startswith(series + " ") and float(line.split()[-1]) >= value:
                return
        if time.monotonic() > deadline:
            # what the family did read instead says which way it went
            seen = [line for line in body.splitlines() if line.startswith(family)]
            raise AssertionError(f"{series} did not reach {value}; {family} read: {seen}")
        await asyncio.sleep(0.2)


def test_alert_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert Path(REPO / "deploy" / "schemas" / "alert.schema.json").exists()


# A story whose feed HTML shows Slack's special sequences as text (entity-escaped), so
# that they reach the analysis literally, plus a bidi override.
HOSTILE = ["<!channel>", "<!here>", "<@U024BE7LH>",
           "<https://attacker.example/login|Verify your account>"]
HOSTILE_STORY = [(
    "en",
    "Lavrov and Wang Yi hold phone call &lt;!channel&gt; &lt;!here&gt; &lt;@U024BE7LH&gt; "
    "&lt;https://attacker.example/login|Verify your account&gt; \u202eevil",
    "Russian Foreign Minister Sergei Lavrov held a phone call with his Chinese counterpart "
    "Wang Yi &lt;!here&gt; on Tuesday.",
)]


async def test_feed_text_reaches_slack_webhooks_and_the_console_inert(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    hooks = SlackServer()  # a generic webhook receiver: any 2xx
    hooks.start()
    try:
        feeds = setup(deployment, feed_server, HOSTILE_STORY, name="tricky")
        rules = RULES.replace("routes: [slack]", "routes: [console, slack, hooks]")
        (deployment.data_dir / "rules.yaml").write_text(
            f"routes:\n  hooks:\n    type: webhook\n    url: {hooks.url}\n{rules}")
        deployment.mediawatch("worker", log_name="worker",
                              MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url)
        deployment.run_once("produce", "--feeds", feeds, "--once")
        (slack,) = slack_server.wait_for(1)
        (hook,) = hooks.wait_for(1)
    finally:
        hooks.stop()
    # Slack: the sequences are shown, never acted on; the only link is the article's.
    body = slack.body
    mrkdwn = [body["text"]] + [
        obj["text"] for block in body["blocks"]
        for obj in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]
        if isinstance(obj, dict) and obj.get("type") == "mrkdwn"]
    text = "\n".join(mrkdwn)
    for sequence in HOSTILE:
        assert sequence not in text
    assert "&lt;!channel&gt;" in body["text"]  # shown as text
    links = [part.split(">")[0] for part in text.split("<")[1:]]
    assert links == ["https://tricky0.example/en/story-0|tricky"]
    assert "\u202e" not in json.dumps(body)
    # The webhook carries the text as JSON data, as the feed gave it.
    data = hook.body["data"]
    for sequence in HOSTILE:
        assert sequence in data["title"]
    for sequence in HOSTILE[:3]:  # the evidence is cleaned text: its URLs are dropped
        assert sequence in data["evidence"]
    # The console line (written before the other routes) is printable: nothing a
    # terminal would act on.
    lines = [x for x in deployment.log("worker").splitlines() if "ALERT [meetings]" in x]
    assert len(lines) == 1, deployment.log("worker")[-4000:]
    (line,) = lines
    assert line.isprintable() and "\u202e" not in line


async def test_the_alert_links_to_the_articles_own_address(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    """A plain-HTTP site's article: the alert links to http://…, as published (tracking
    parameters dropped), not to the https canonical form used to recognise copies."""
    lang, title, text = OTHER_STORIES[0]
    body = rss([(lang, title, text)], "plain").replace(
        "https://plain0.example/en/story-0",
        "http://www.Plain0.example/en/story-0?utm_source=rss&amp;id=7")
    feed_url = feed_server.write("plain.xml", body)
    (deployment.data_dir / "rules.yaml").write_text(RULES)
    deployment.extra_env["MEDIAWATCH_RULES_FILE"] = str(deployment.data_dir / "rules.yaml")
    feeds = deployment.data_dir / "plain.yaml"
    feeds.write_text(f"feeds:\n  - {{id: plain, url: '{feed_url}', name: Plain}}\n")
    deployment.mediawatch("worker", log_name="worker",
                          MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url)
    deployment.run_once("produce", "--feeds", str(feeds), "--once")
    (posted,) = slack_server.wait_for(1)
    context = str(posted.body["blocks"][-1])
    assert "<http://www.Plain0.example/en/story-0?id=7|Plain>" in context
    ((_key, value),) = await deployment.read("alerts", count=1)
    assert loads(value)["data"]["url"] == "http://www.Plain0.example/en/story-0?id=7"
    raw = await deployment.read("articles.raw", count=1)
    assert loads(raw[0][1])["url"] == "https://plain0.example/en/story-0?id=7"


RELOADED_RULES = RULES + """
  - name: watch
    severity: low
    routes: [slack]
    shadow: true
    when: {event: bilateral_meeting}
"""


async def test_sighup_reloads_the_rules_keeping_story_suppression_and_shadow_rules_stay_silent(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer) -> None:
    feeds = setup(deployment, feed_server, OTHER_STORIES[:1], name="first")
    port = free_port()
    worker = deployment.mediawatch("worker", log_name="worker",
                                   MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url,
                                   MEDIAWATCH_METRICS_PORT=str(port))
    deployment.run_once("produce", "--feeds", feeds, "--once")
    (first,) = slack_server.wait_for(1)
    assert "Modi and Albanese" in first.body["text"]

    rules = deployment.data_dir / "rules.yaml"
    rules.write_text(RELOADED_RULES)
    worker.send_signal(signal.SIGHUP)
    await wait_for_metric(deployment, port, 'mediawatch_rules_reloads_total{outcome="ok"}', 1)

    # Another outlet's report of the same meeting the same day (another dedup story, the
    # same alert story) and a new meeting. The live rule remembers the first story, so
    # only the new meeting reaches Slack; the shadow rule counts both and posts nothing.
    second = [("en", "Albanese and Modi discuss trade and security",
               "Australian Prime Minister Anthony Albanese met Indian Prime Minister "
               "Narendra Modi on Thursday to discuss trade and security cooperation, "
               "officials said."), OTHER_STORIES[1]]
    url = feed_server.write("second.xml", rss(second, "second"))
    more = deployment.data_dir / "second.yaml"
    more.write_text(f"feeds:\n  - {{id: second, url: '{url}', name: second}}\n")
    deployment.run_once("produce", "--feeds", str(more), "--once")
    await wait_for_metric(deployment, port,
                          'mediawatch_shadow_alerts_total{rule="watch",severity="low"}', 2)
    await changelog_values(deployment, "story-alerts", 1, lambda v: b'"source_count":2' in v)
    (_, new) = slack_server.wait_for(2)
    assert "Macron" in new.body["text"]
    alerts = [loads(v)["data"] for _k, v in await deployment.read("alerts", count=2)]
    assert [a["rule"] for a in alerts] == ["meetings", "meetings"]
    assert await end_offsets(deployment.bootstrap, deployment.topic("alerts")) == 2

    # A broken file is refused: the rules in force stay, the worker goes on.
    rules.write_text("rules:\n  - name: broken\n    routes: [console]\n    when: {event: x}\n")
    worker.send_signal(signal.SIGHUP)
    await wait_for_metric(deployment, port, 'mediawatch_rules_reloads_total{outcome="error"}', 1)
    assert "rules not reloaded, the rules in force stay" in deployment.log("worker")
    deployment.check_alive()
    assert len(slack_server.received) == 2


async def test_a_replay_of_one_route_keeps_the_other_routes_dead_letters(
        deployment: Deployment) -> None:
    def dead(alert_id: str, route: str) -> tuple[bytes, bytes]:
        event = {"specversion": "1.0", "id": alert_id, "type": "mediawatch.alert",
                 "data": {"alert_id": alert_id, "routes": ["desk", "ops"]}}
        return alert_id.encode(), json.dumps({"reason": "rejected", "route": route,
                                              "value": json.dumps(event)}).encode()

    await produce(deployment.bootstrap, deployment.topic("alerts.deadletter"),
                  [dead("a1", "desk"), dead("a2", "ops"), dead("a3", "desk")])
    first = deployment.run_once("deadletter", "replay", "--route", "desk", "--route", "dsk")
    assert "replayed 2 alert(s) (desk 2)" in first
    assert "kept for a later replay 1 (ops 1)" in first
    assert "no dead letter of route(s) dsk (dead letters of: ops)" in first
    # the ops dead letter is there for the next replay, and the desk ones are not again
    assert "replayed 1 alert(s) (ops 1); left alone 0" in deployment.run_once(
        "deadletter", "replay")
    assert "replayed 0 alert(s)" in deployment.run_once("deadletter", "replay")
    sent = [loads(v) for _k, v in await deployment.read("alerts", count=3)]
    assert sorted((e["id"], e["data"]["routes"][0]) for e in sent) == [
        ("a1", "desk"), ("a2", "ops"), ("a3", "desk")]
