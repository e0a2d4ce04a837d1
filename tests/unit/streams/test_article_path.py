"""The article path's steps alone, without Kafka or the app: what each stage of the
worker makes of an article (the agents are thin glue over these)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import orjson

from analysis.dedup import IndexRecord, StoryIndex, fingerprint
from analysis.rules import parse_rules
from analysis.suppression import observe
from streams.article_path import alert_payload, candidates, copy_notice, emitted, tag_article
from streams.cloudevents import alert_from_event
from streams.records import dump, parse_article

SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "deploy" / "schemas"
                     / "alert.schema.json").read_text())
FETCHED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
RULES = parse_rules(
    "rules:\n"
    "  - name: meetings\n    severity: high\n    routes: [console, slack]\n"
    "    when: {event: bilateral_meeting}\n"
    "  - name: sanctions\n    routes: [console]\n    when: {event: sanctions_rhetoric}\n")


def raw(article_id: str, title: str, text: str, url: str) -> bytes:
    return dump({"id": article_id, "url": url, "feed_id": "wire", "source": "Wire",
                 "title": title, "text": text, "fetched_at": FETCHED, "lang": None,
                 "published_at": FETCHED, "link": url + "?ref=rss"})


MEETING = raw("a1", "Kenya's Ruto receives Germany's Steinmeier",
              "Kenyan President William Ruto received German President Frank-Walter "
              "Steinmeier at State House in Nairobi on Monday for talks on trade.",
              "https://wire.example/ruto-steinmeier")
COPY = raw("a2", "Kenya's Ruto receives Germany's Steinmeier",
           "Kenyan President William Ruto received German President Frank-Walter "
           "Steinmeier at State House in Nairobi on Monday for talks on trade.",
           "https://other.example/world/ruto-steinmeier")


def test_a_new_story_is_tagged_matched_suppressed_and_emitted_as_a_cloudevent() -> None:
    article = parse_article(MEETING)
    index = StoryIndex()
    verdict, merge = index.observe(fingerprint(article), FETCHED.timestamp())
    assert (verdict.kind, verdict.story_id, merge) == ("new", "a1", None)

    tagged = tag_article({**article, "story_id": verdict.story_id}, now=FETCHED)
    assert [e["parties"] for e in tagged["events"]] == [["DE", "KE"]]
    assert tagged["sanctions_rhetoric"]["present"] is False and tagged["tagged_at"] == FETCHED

    (alert,) = candidates(tagged, RULES.rules)
    assert (alert.rule, alert.severity, alert.parties) == ("meetings", "high", ["DE", "KE"])
    assert alert.story_key == "meetings|bilateral_meeting|DE-KE|2026-11-24"
    assert alert.url == "https://wire.example/ruto-steinmeier?ref=rss"  # its own link

    rule = RULES.rules[0]
    decision = observe(None, key=alert.story_key, story_id="a1", article_id="a1",
                       lang=alert.lang, severity=rule.severity, now=FETCHED.timestamp(),
                       suppression=rule.suppression)
    assert decision.notify
    sent = emitted(alert, decision.state, FETCHED)
    assert (sent.alert_id, sent.version) == (decision.state.alert_id, 1)
    event = orjson.loads(alert_payload(sent))
    jsonschema.validate(event["data"], SCHEMA)
    assert event["id"] == f"{sent.alert_id}.1"
    assert alert_from_event(event) == sent


def test_a_copy_becomes_a_notice_and_no_candidate() -> None:
    index = StoryIndex()
    first, copy = parse_article(MEETING), parse_article(COPY)
    index.observe(fingerprint(first), FETCHED.timestamp())
    verdict, _merge = index.observe(fingerprint(copy), FETCHED.timestamp() + 60)
    assert (verdict.kind, verdict.story_id) == ("content", "a1")
    notice = copy_notice(copy, verdict.story_id, verdict.kind)
    assert notice == {"story_id": "a1", "article_id": "a2", "kind": "content", "lang": None,
                      "feed_id": "wire", "source": "Wire", "title": copy["title"],
                      "url": "https://other.example/world/ruto-steinmeier?ref=rss"}
    record = IndexRecord.from_bytes(
        IndexRecord(fingerprint(copy), verdict.story_id, FETCHED.timestamp()).to_bytes())
    assert record.story_id == "a1"


def test_an_article_no_rule_wants_makes_no_candidate() -> None:
    weather = parse_article(raw("w1", "Sunny weekend ahead", "Forecasters expect sun.",
                                "https://wire.example/weather"))
    assert candidates(tag_article(weather), RULES.rules) == []


def test_an_undated_entry_alerts_with_no_publication_date() -> None:
    # the producer dates such an entry by its fetch (published_at_guessed); the story's
    # day follows that, the alert's published_at says nothing was published
    dated = parse_article(MEETING)
    undated = parse_article(dump({**orjson.loads(MEETING), "published_at_guessed": True}))
    (alert,) = candidates(tag_article({**dated, "story_id": "a1"}, now=FETCHED), RULES.rules)
    (guessed,) = candidates(tag_article({**undated, "story_id": "a1"}, now=FETCHED),
                            RULES.rules)
    assert alert.published_at == FETCHED and guessed.published_at is None
    assert guessed.story_key == alert.story_key
    state = observe(None, key="k", story_id="a1", article_id="a1", lang="en",
                    severity="high", now=FETCHED.timestamp(),
                    suppression=RULES.rules[0].suppression).state
    data = orjson.loads(alert_payload(emitted(guessed, state, FETCHED)))["data"]
    jsonschema.validate(data, SCHEMA)
    assert data["published_at"] is None
