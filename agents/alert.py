"""Stage 3: evaluate the rules over tagged articles; one alert per story and rule.

a new story (in agents.articles, on its articles.raw partition = its story id's)
    → raise_candidates: rule matches, re-keyed by story key → alerts.candidates
articles.copies (key: story id; copies that dedup kept from tagging)
    → count_copies: the story's cached matches, as this copy, and what the copy's own
      analysis found that they had not → alerts.candidates
alerts.candidates (key: story key)
    → emit_alerts: story-level suppression (a table keyed by story key)
    → alerts (CloudEvents JSON, key: story id)

Re-keying by story key puts every report of one story (whatever its language, outlet
or worker) on one partition, so the suppression table sees them all.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from analysis.langid import is_language_code
from analysis.rules import (
    Route,
    Rule,
    RulesError,
    RuleSet,
    load_rules,
)
from analysis.suppression import StoryAlert, observe, primary_language
from streams.app import app, settings
from streams.article_path import alert_payload, candidates, emitted
from streams.cloudevents import KAFKA_CONTENT_TYPE
from streams.deadletter import dead_letter
from streams.errors import PoisonMessageError
from streams.metrics import metrics
from streams.records import Alert, decode
from streams.retention import Retention
from streams.topics import (
    PublishError,
    alerts,
    alerts_candidates,
    alerts_deadletter,
    articles_copies,
    articles_deadletter,
    publish,
)

log = logging.getLogger(__name__)


class ActiveRules:
    """The rules in force, replaced whole by ``reload`` (SIGHUP). Story suppression
    state lives in the ``story-alerts`` table, keyed by story key, so it outlives a
    reload: a rule kept under its name goes on suppressing the stories it alerted on."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        #: called with the old and the new rules after a reload
        self.on_reload: list[Callable[[RuleSet, RuleSet], None]] = []
        self.set(load_rules(path))

    def set(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.by_name: dict[str, Rule] = {rule.name: rule for rule in ruleset.rules}

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.ruleset.rules

    @property
    def routes(self) -> Mapping[str, Route]:
        return self.ruleset.routes

    def reload(self) -> bool:
        """Read the rules file again; on an error keep the rules in force (logged and
        counted). Returns whether the new rules are in force."""
        try:
            ruleset = load_rules(self.path)
        except RulesError as exc:
            metrics().rules_reloads.labels(outcome="error").inc()
            log.error("rules not reloaded, the rules in force stay: %s", exc)
            return False
        before, old = set(self.by_name), self.ruleset
        self.set(ruleset)
        for callback in self.on_reload:
            callback(old, ruleset)
        init_rule_metrics(ruleset)
        metrics().rules_reloads.labels(outcome="ok").inc()
        now = set(self.by_name)
        log.warning("rules reloaded from %s: %d rule(s); added %s, removed %s",
                    self.path or "the shipped rules", len(ruleset.rules),
                    ", ".join(sorted(now - before)) or "none",
                    ", ".join(sorted(before - now)) or "none")
        return True


def suppression_seconds(ruleset: RuleSet) -> float:
    """How long the story-alerts table keeps a story: the longest suppression window."""
    return max(rule.suppression.window_hours for rule in ruleset.rules) * 3600.0


def init_rule_metrics(ruleset: RuleSet) -> None:
    """Create the series of the rules in force and of their routes (start-up, reload)."""
    metrics().init_rules(
        [(r.name, r.severity) for r in ruleset.rules if not r.shadow],
        [(r.name, r.severity) for r in ruleset.rules if r.shadow],
        {"console", *(route for r in ruleset.rules if not r.shadow for route in r.routes)})


class Alerting:
    """Stage 3's state: the rules in force and its two tables. Built by ``setup``."""

    def __init__(self, rules: ActiveRules) -> None:
        self.rules = rules
        # story id → the candidates its first article made (plain JSON). A new story's
        # id is its articles.raw key, and articles.copies is keyed by story id: same
        # partitions, so one worker holds both.
        self.matches_retention = Retention(settings.dedup_window_seconds,
                                           table="story-matches")
        self.story_matches = app.Table(
            "story-matches", default=None, partitions=settings.partitions, key_type=str,
            on_changelog_event=self.matches_retention.on_changelog_event,
        )
        # story key → StoryAlert as a dict. Keys are the message keys of
        # alerts.candidates.
        self.alerts_retention = Retention(suppression_seconds(rules.ruleset),
                                          table="story-alerts")
        self.story_alerts = app.Table(
            "story-alerts", default=None, partitions=settings.partitions,
            key_type=str,  # values: StoryAlert.to_dict()
            on_changelog_event=self.alerts_retention.on_changelog_event,
        )
        rules.on_reload.append(self._rules_reloaded)

    def _rules_reloaded(self, _old: RuleSet, new: RuleSet) -> None:
        self.alerts_retention.ttl_seconds = suppression_seconds(new)


_alerting: Alerting | None = None


def setup(rules: ActiveRules | None = None) -> Alerting:
    """Load the rules (``rules``, else the settings' rules file) and create the stage's
    tables on the app. Called by ``agents.register`` before the worker starts; a later
    call returns the same stage."""
    global _alerting
    if _alerting is None:
        _alerting = Alerting(rules if rules is not None else ActiveRules(settings.rules_file))
    return _alerting


def alerting() -> Alerting:
    """The stage set up by ``setup``."""
    if _alerting is None:
        raise RuntimeError("agents.alert is not set up: agents.register() loads the rules "
                           "and creates the tables")
    return _alerting


async def raise_candidates(tagged: dict[str, Any], partition: int) -> None:
    """Evaluate the rules over a tagged article (a dict from ``agents.tag.tag_article``)
    and send each match, keyed by its story key, to alerts.candidates; remember the
    story's matches for its later copies. Runs inside the event of ``partition`` (the
    story id's partition)."""
    stage = alerting()
    found = candidates(tagged, stage.rules.rules)
    if found:
        cached = []
        for alert in found:
            assert alert.story_key is not None
            await publish(alerts_candidates, alert.story_key.encode(), alert.dumps())
            cached.append(orjson.loads(alert.to_json()))
        story = found[0].story_id
        stage.story_matches[story] = cached
        stage.matches_retention.touch(story, partition)
    stage.matches_retention.sweep(stage.story_matches, partition)


def copy_candidates(tagged: dict[str, Any]) -> list[dict[str, Any]]:
    """The candidates of the rules over a copy's own analysis (plain JSON, for its
    articles.copies notice): ``count_copies`` raises those its story has not."""
    return [orjson.loads(alert.to_json())
            for alert in candidates(tagged, alerting().rules.rules)]


@app.task
async def reload_rules_on_sighup() -> None:
    """SIGHUP reloads the rules file (``kill -HUP``, ``kubectl exec … sh -c 'kill -HUP 1'``)."""
    asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, alerting().rules.reload)


@app.agent(articles_copies)
async def count_copies(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        try:
            notice = orjson.loads(event.value)
            story = str(notice["story_id"])
            cached = alerting().story_matches.get(story) or []
            # a notice of a copy the analysis refused has its feed's tag ("fr-FR")
            lang = primary_language(notice.get("lang"))
            copies = [Alert.from_data(data).derive(
                article_id=str(notice["article_id"]),
                lang=lang if is_language_code(lang) else data["lang"],
                url=str(notice["url"]), source=str(notice["source"]),
                title=str(notice["title"]), feed_id=notice.get("feed_id"))
                for data in cached]
            # what the copy's own analysis found that the story's articles had not
            known = {data.get("story_key") for data in cached}
            added = [data for data in notice.get("matches") or ()
                     if data.get("story_key") not in known]
            copies += [Alert.from_data(data) for data in added]
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError,
                AttributeError) as exc:
            await dead_letter(articles_deadletter, event, "poison_message", str(exc))
            continue
        if added:  # later copies count as sources of these too
            stage = alerting()
            stage.story_matches[story] = [*cached, *added]
            stage.matches_retention.touch(story, event.message.partition)
        try:
            for copy in copies:
                assert copy.story_key is not None
                await publish(alerts_candidates, copy.story_key.encode(), copy.dumps())
        except PublishError as exc:
            await dead_letter(articles_deadletter, event, "publish_error", str(exc))


@app.agent(alerts_candidates)
async def emit_alerts(stream):  # type: ignore[no-untyped-def]
    stage = alerting()
    async for event in stream.events():
        try:
            alert = decode(Alert, event.value)
        except PoisonMessageError as exc:
            await dead_letter(articles_deadletter, event, "poison_message", str(exc))
            continue
        rule = stage.rules.by_name.get(alert.rule)
        if rule is None:  # a candidate of a rule that a reload removed
            await dead_letter(articles_deadletter, event, "unknown_rule",
                              f"no rule {alert.rule!r} in the rules in force")
            continue
        key = event.key.decode()
        stored = stage.story_alerts.get(key)
        state = StoryAlert.from_dict(stored) if stored else None
        decision = observe(state, key=key, story_id=alert.story_id,
                           article_id=alert.article_id, lang=alert.lang,
                           severity=rule.severity, now=time.time(),
                           suppression=rule.suppression)
        stage.story_alerts[key] = decision.state.to_dict()
        stage.alerts_retention.touch(key, event.message.partition)
        stage.alerts_retention.sweep(stage.story_alerts, event.message.partition)
        if not decision.notify:
            continue
        new = decision.state
        if rule.shadow:  # watched, never delivered
            metrics().shadow_alerts.labels(rule=rule.name, severity=new.severity).inc()
            log.info("shadow alert %s v%d (%s) of rule %s for story %s", new.alert_id,
                     new.version, decision.reason, rule.name, key,
                     extra={"alert_id": new.alert_id, "story_id": new.story_id})
            continue
        sent = emitted(alert, new, datetime.now(UTC))
        # Every version of an alert has the same key, so the same partition and order.
        try:
            await publish(alerts, new.story_id.encode(), alert_payload(sent),
                          [KAFKA_CONTENT_TYPE])
        except PublishError as exc:
            await dead_letter(alerts_deadletter, event, "publish_error", str(exc))
            continue
        metrics().alerts.labels(rule=sent.rule, severity=sent.severity).inc()
        metrics().stage_latency.labels(span="tagged_to_alerted").observe(
            max(0.0, (sent.created_at - alert.created_at).total_seconds()))
        log.info("alert %s v%d (%s) for story %s", new.alert_id, new.version,
                 decision.reason, key,
                 extra={"alert_id": new.alert_id, "story_id": new.story_id})
