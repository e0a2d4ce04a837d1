"""Each agent alone, through Faust's ``agent.test_context()``: the events it is given,
the records it sends, the state its tables keep (see conftest)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import pytest_asyncio
from aiohttp import web

from agents import deliver
from agents.alert import alerting, count_copies, emit_alerts
from agents.articles import process_articles
from agents.deliver import deliver_alerts, delivery
from analysis.dedup import IndexRecord
from analysis.fingerprints import url_id
from analysis.rules import RuleSet, parse_rules
from analysis.suppression import observe
from streams.app import app
from streams.article_path import alert_payload, emitted
from streams.cloudevents import alert_from_event
from streams.records import Alert, dump
from streams.topics import (
    alerts,
    alerts_candidates,
    alerts_deadletter,
    articles_copies,
    articles_deadletter,
    articles_tagged,
    articles_unique,
    dedup_index,
)

from ..localhttp import serving
from .conftest import TEST_RULES, RecordingProducer

# One event loop for the module: the stages' lanes and tables live as long as the app.
pytestmark = [pytest.mark.usefixtures("empty_index"), pytest.mark.asyncio(loop_scope="module")]

NOW = datetime.now(UTC).replace(microsecond=0)
TITLE = "Kenya's Ruto receives Germany's Steinmeier"
TEXT = ("Kenyan President William Ruto received German President Frank-Walter "
        "Steinmeier at State House in Nairobi on Monday for talks on trade and climate "
        "finance, the two presidents said in a joint statement.")


def raw(url: str, title: str = TITLE, text: str = TEXT) -> tuple[bytes, bytes]:
    """An articles.raw record (key, value) as the producer writes it."""
    key = url_id(url)
    value = dump({"id": key, "url": url, "feed_id": "wire", "source": "Wire", "title": title,
                  "text": text, "fetched_at": NOW, "lang": None, "published_at": NOW})
    return key.encode(), value


def unique_url(outlet: str) -> str:
    return f"https://{outlet}.example/world/{uuid.uuid4().hex}"


async def test_a_new_story_goes_to_every_output_of_the_article_path(
        rules: RuleSet, producer: RecordingProducer) -> None:
    key, value = raw(unique_url("wire"))
    async with process_articles.test_context() as agent:
        await agent.put(value, key=key, partition=2)

    (unique,) = producer.to(articles_unique)
    assert unique.key == key and unique.json()["story_id"] == key.decode()
    (tagged,) = producer.to(articles_tagged)
    assert [e["parties"] for e in tagged.json()["events"]] == [["DE", "KE"]]
    (candidate,) = producer.to(alerts_candidates)
    alert = Alert.from_data(candidate.json())
    assert (alert.rule, alert.story_id, alert.parties) == ("meetings", key.decode(),
                                                            ["DE", "KE"])
    assert candidate.key == (alert.story_key or "").encode()
    # indexed last, so that a crash before it reads the article again as new
    assert producer.sent[-1].topic == dedup_index.get_topic_name()
    record = IndexRecord.from_bytes(producer.sent[-1].value or b"")
    assert record.story_id == key.decode()
    # the story's matches are kept for its later copies
    assert alerting().story_matches[key.decode()][0]["rule"] == "meetings"
    assert not producer.to(articles_copies) and not producer.to(articles_deadletter)


async def test_a_copy_is_counted_not_tagged_and_its_story_raises_a_candidate(
        rules: RuleSet, producer: RecordingProducer) -> None:
    first_key, first = raw(unique_url("wire"))
    copy_key, copy = raw(unique_url("outlet"))
    async with process_articles.test_context() as agent:
        await agent.put(first, key=first_key, partition=0)
        before = len(producer.to(articles_unique))
        await agent.put(copy, key=copy_key, partition=1)
    assert len(producer.to(articles_unique)) == before == 1
    (notice,) = producer.to(articles_copies)
    assert notice.key == first_key
    assert (notice.json()["story_id"], notice.json()["article_id"]) == (first_key.decode(),
                                                                      copy_key.decode())

    async with count_copies.test_context() as agent:
        await agent.put(notice.value, key=notice.key, partition=0)
    from_copy = [Alert.from_data(s.json()) for s in producer.to(alerts_candidates)
                 if s.json()["article_id"] == copy_key.decode()]
    assert [(a.story_id, a.rule) for a in from_copy] == [(first_key.decode(), "meetings")]


async def test_a_copy_candidate_has_the_language_read_not_its_feeds_tag(
        rules: RuleSet, producer: RecordingProducer) -> None:
    # a feed registered without a language gives the document's tag ("fr-FR"); the
    # alerts topic's schema takes ISO 639 codes only
    first_key, first = raw(unique_url("wire"))
    copy_key, copy = raw(unique_url("outlet"))
    copy = dump({**orjson.loads(copy), "lang": "en-GB"})
    async with process_articles.test_context() as agent:
        await agent.put(first, key=first_key, partition=0)
        await agent.put(copy, key=copy_key, partition=1)
    (notice,) = producer.to(articles_copies)
    assert notice.json()["lang"] == "en"
    refused = {**notice.json(), "lang": "fr-FR", "matches": None}  # not analysed
    async with count_copies.test_context() as agent:
        await agent.put(notice.value, key=notice.key, partition=0)
        await agent.put(orjson.dumps(refused), key=notice.key, partition=0)
        await agent.put(orjson.dumps({**refused, "lang": "Français"}), key=notice.key,
                        partition=0)
    assert [s.json()["lang"] for s in producer.to(alerts_candidates)
            if s.json()["article_id"] == copy_key.decode()] == ["en", "fr", "en"]


async def test_a_copy_that_names_what_its_story_did_not_raises_its_own_candidate(
        rules: RuleSet, producer: RecordingProducer) -> None:
    # the same entry of one feed (its GUID), first as a short flash, then in full
    guid = uuid.uuid4().hex
    flash_key, flash = raw(unique_url("wire"), "Talks in Nairobi",
                           "Talks were held in Nairobi on Monday, officials said.")
    full_key, full = raw(unique_url("wire"))
    flash = dump({**orjson.loads(flash), "guid": guid})
    full = dump({**orjson.loads(full), "guid": guid})
    async with process_articles.test_context() as agent:
        await agent.put(flash, key=flash_key, partition=0)
        await agent.put(full, key=full_key, partition=1)
    assert not producer.to(alerts_candidates)  # the flash names no meeting
    (notice,) = producer.to(articles_copies)
    assert notice.json()["story_id"] == flash_key.decode()

    async with count_copies.test_context() as agent:
        await agent.put(notice.value, key=notice.key, partition=0)
        await agent.put(notice.value, key=notice.key, partition=0)  # once is enough
    raised = [Alert.from_data(s.json()) for s in producer.to(alerts_candidates)]
    assert [(a.story_id, a.article_id, a.parties) for a in raised] == [
        (flash_key.decode(), full_key.decode(), ["DE", "KE"])] * 2
    # later copies of the story count as sources of the meeting
    assert [m["parties"] for m in alerting().story_matches[flash_key.decode()]] == [
        ["DE", "KE"]]


async def test_a_poison_article_is_dead_lettered_with_its_origin(
        rules: RuleSet, producer: RecordingProducer) -> None:
    async with process_articles.test_context() as agent:
        await agent.put(b'{"id": "x", "title": 3}', key=b"x", partition=3)
    (dead,) = producer.to(articles_deadletter)
    record = dead.json()
    assert record["reason"] == "poison_message"
    assert record["origin"]["partition"] == 3
    assert record["value"] == '{"id": "x", "title": 3}'
    assert not producer.to(articles_unique) and not producer.to(dedup_index)


def candidate(story: str, article: str, rule: str = "meetings") -> tuple[bytes, bytes]:
    alert = Alert(alert_id="", version=0, rule=rule, severity="high",
                  event_type="bilateral_meeting", story_id=story, article_id=article,
                  title=TITLE, url=f"https://wire.example/{article}", source="Wire",
                  lang="en", countries=["DE", "KE"], regions=[], keywords=[],
                  evidence=TEXT, created_at=NOW, parties=["DE", "KE"], routes=["console"],
                  story_key=f"{rule}|bilateral_meeting|DE-KE|{story}")
    assert alert.story_key is not None
    return alert.story_key.encode(), alert.dumps()


async def test_one_alert_per_story_until_a_renotify_threshold(
        rules: RuleSet, producer: RecordingProducer) -> None:
    story = uuid.uuid4().hex[:20]
    key, _ = candidate(story, "a1")
    async with emit_alerts.test_context() as agent:
        for article in ("a1", "a2", "a3"):
            await agent.put(candidate(story, article)[1], key=key, partition=1)

    sent = [alert_from_event(orjson.loads(s.value or b"")) for s in producer.to(alerts)]
    # the first report alerts; the second is suppressed; the third reaches sources_at 3
    assert [(a.version, a.source_count) for a in sent] == [(1, 1), (2, 3)]
    assert {a.alert_id for a in sent} == {sent[0].alert_id}
    assert all(s.key == story.encode() for s in producer.to(alerts))
    assert all(dict(s.headers)["content-type"] == b"application/cloudevents+json; charset=UTF-8"
               for s in producer.to(alerts))  # structured mode, by the Kafka binding
    assert alerting().story_alerts[key.decode()]["source_count"] == 3


async def test_a_story_alert_takes_the_severity_of_the_rule_in_force(
        rules: RuleSet, producer: RecordingProducer) -> None:
    # candidates made before a reload that lowered the rule still say "high"
    story = uuid.uuid4().hex[:20]
    key, _ = candidate(story, "a1")
    async with emit_alerts.test_context() as agent:
        await agent.put(candidate(story, "a1")[1], key=key, partition=1)
        alerting().rules.set(parse_rules(TEST_RULES.replace("severity: high",
                                                            "severity: low")))
        for article in ("a2", "a3"):
            await agent.put(candidate(story, article)[1], key=key, partition=1)

    sent = [alert_from_event(orjson.loads(s.value or b"")) for s in producer.to(alerts)]
    assert [(a.version, a.severity) for a in sent] == [(1, "high"), (2, "low")]


async def test_shadow_rules_are_kept_and_removed_rules_dead_lettered(
        rules: RuleSet, producer: RecordingProducer) -> None:
    story = uuid.uuid4().hex[:20]
    async with emit_alerts.test_context() as agent:
        key, value = candidate(story, "a1", rule="watched")
        await agent.put(value, key=key, partition=0)
        key, value = candidate(story, "a1", rule="gone")
        await agent.put(value, key=key, partition=0)
    assert not producer.to(alerts)
    assert alerting().story_alerts[candidate(story, "a1", rule="watched")[0].decode()]
    (dead,) = producer.to(articles_deadletter)
    assert dead.json()["reason"] == "unknown_rule"


def alert_record(story: str, routes: list[str]) -> tuple[bytes, bytes]:
    """An alerts record (key, CloudEvent) of a story's first alert version."""
    key, value = candidate(story, "a1")
    alert = Alert.from_data({**orjson.loads(value), "routes": routes})
    rule = next(r for r in alerting().rules.rules if r.name == "meetings")
    state = observe(None, key=key.decode(), story_id=story, article_id="a1", lang="en",
                    severity="high", now=NOW.timestamp(), suppression=rule.suppression).state
    return story.encode(), alert_payload(emitted(alert, state, NOW + timedelta(seconds=1)))


async def test_an_alert_version_reaches_the_console_once(
        rules: RuleSet, producer: RecordingProducer, capsys: pytest.CaptureFixture[str]) -> None:
    story = uuid.uuid4().hex[:20]
    key, value = alert_record(story, ["console"])
    async with deliver_alerts.test_context() as agent:
        await agent.put(value, key=key, partition=0)
        await agent.put(value, key=key, partition=0)  # the same version again
        await delivery().lanes.drained()
    printed = [line for line in capsys.readouterr().out.splitlines() if story in line
               or TITLE in line]
    assert len(printed) == 1
    alert = alert_from_event(orjson.loads(value))
    assert delivery().delivered[f"{alert.alert_id}.1/console"] > 0
    assert not producer.to(alerts_deadletter)


async def test_a_slack_url_file_that_is_missing_dead_letters_as_misconfigured(
        rules: RuleSet, producer: RecordingProducer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a Kubernetes secret mounted as optional and never created: alerts wait in the
    # dead-letter topic for a replay, they are not dropped
    missing = replace(deliver.settings, slack_webhook_url=None,
                      slack_webhook_url_file=tmp_path / "absent")
    monkeypatch.setattr(deliver, "settings", missing)
    monkeypatch.delitem(deliver._senders, "slack", raising=False)
    (dead,) = await dead_letters_of_an_alert_to(["slack"], producer)
    assert (dead["reason"], dead["route"]) == ("misconfigured", "slack")
    assert "SLACK_WEBHOOK_URL_FILE" in dead["error"]
    assert "slack" not in deliver._senders  # read again for the next alert


async def test_an_alert_of_an_unknown_route_is_dead_lettered_as_misconfigured(
        rules: RuleSet, producer: RecordingProducer) -> None:
    (dead,) = await dead_letters_of_an_alert_to(["pager"], producer)
    assert (dead["reason"], dead["route"]) == ("misconfigured", "pager")


async def dead_letters_of_an_alert_to(routes: list[str],
                                      producer: RecordingProducer) -> list[dict[str, Any]]:
    """The alerts.deadletter records of a new story's first alert delivered to ``routes``."""
    key, value = alert_record(uuid.uuid4().hex[:20], routes)
    async with deliver_alerts.test_context() as agent:
        await agent.put(value, key=key, partition=0)
        await delivery().lanes.drained()
    return [dead.json() for dead in producer.to(alerts_deadletter)]


@pytest_asyncio.fixture(loop_scope="module")  # the loop of the stages' lanes and tables
async def endpoint() -> AsyncIterator[str]:
    """The URL of a local webhook endpoint that accepts every post."""

    async def accept(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async with serving("POST", "/{name}", accept) as url:
        yield url


def _archived_to(url: str) -> RuleSet:
    return parse_rules(f"routes:\n  archive: {{type: webhook, url: '{url}'}}\n"
                       "rules:\n  - name: meetings\n    routes: [archive]\n"
                       "    when: {event: bilateral_meeting}\n")


async def _connected_sender(route: str) -> deliver.RetryingSender:
    """The route's sender once it has posted an alert (its connection kept open)."""
    target = deliver.sender(route)
    assert target is not None
    _key, value = alert_record(uuid.uuid4().hex[:20], [route])
    await target.send(alert_from_event(orjson.loads(value)), orjson.loads(value))
    assert target._session is not None and not target._session.closed
    return target


async def test_a_route_redefined_by_a_reload_closes_its_old_sender(
        rules: RuleSet, endpoint: str) -> None:
    old, new = _archived_to(f"{endpoint}/a"), _archived_to(f"{endpoint}/b")
    alerting().rules.set(old)
    target = await _connected_sender("archive")
    session = target._session
    deliver._forget_changed_senders(old, new)
    assert "archive" not in deliver._senders  # the next alert gets a sender for /b
    await asyncio.gather(*deliver._retiring)
    assert session is not None and session.closed


async def test_a_stopping_worker_closes_the_route_senders(
        rules: RuleSet, endpoint: str) -> None:
    alerting().rules.set(_archived_to(f"{endpoint}/a"))
    target = await _connected_sender("archive")
    session = target._session
    await app.on_before_shutdown.send()  # Faust sends it as the app stops
    assert session is not None and session.closed
    assert not deliver._senders
