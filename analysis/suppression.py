"""Story-level alert suppression: one alert per story and rule, updated by later reports.

The state of one story's alert is a small value (``StoryAlert``) kept by the caller —
a dict in tests, a Faust table in the worker. ``observe`` folds one more report into
it and says whether people should be notified again, following the rule's policy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from analysis.errors import AnalysisError
from analysis.jsonlines import error_line
from analysis.rules import (
    SEVERITIES,
    RenotifyPolicy,
    RuleSet,
    Suppression,
    match_dict,
    matched_lines,
    story_day,
    story_key,
)

MAX_ARTICLES = 500  # distinct reports remembered per story (the count keeps going)


@dataclass(frozen=True)
class StoryAlert:
    alert_id: str
    story_id: str          # dedup story id of the first report: the alert's story
    version: int
    first_seen: float
    last_seen: float
    source_count: int
    articles: tuple[str, ...]
    languages: tuple[str, ...]
    severity: str
    notified_sources: int
    notified_languages: tuple[str, ...]
    notified_severity: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryAlert:
        return cls(**{**data, "articles": tuple(data["articles"]),
                      "languages": tuple(data["languages"]),
                      "notified_languages": tuple(data["notified_languages"])})


@dataclass(frozen=True)
class Decision:
    state: StoryAlert
    notify: bool
    reason: str   # new | sources | language | severity | repeat | update


def _alert_id(key: str, first_seen: float) -> str:
    raw = f"{key}\x1f{int(first_seen)}".encode()
    return hashlib.blake2b(raw, digest_size=12).hexdigest()


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def _renotify_reason(state: StoryAlert, policy: RenotifyPolicy) -> str | None:
    crossed = [n for n in policy.sources_at if state.notified_sources < n <= state.source_count]
    if crossed:
        return "sources"
    if policy.new_language and set(state.languages) - set(state.notified_languages):
        return "language"
    if policy.severity_rose and _rank(state.severity) > _rank(state.notified_severity):
        return "severity"
    return None


def primary_language(lang: str | None) -> str:
    """A language tag's primary subtag in lower case ("en-GB", "EN_us" → "en"); "" for
    none."""
    return (lang or "").replace("_", "-").split("-")[0].strip().lower()


def observe(state: StoryAlert | None, *, key: str, story_id: str, article_id: str,
            lang: str, severity: str, now: float, suppression: Suppression) -> Decision:
    """Fold one report of the story ``key`` into its alert state. ``lang`` counts by its
    primary subtag in lower case: a feed's "en-GB" is the "en" the analysis gave.
    ``severity`` is the rule's in force: the story's next version carries it, so a rule
    lowered by a reload is lowered on its stories too, and one raised notifies again
    (``severity_rose``)."""
    lang = primary_language(lang)
    window = suppression.window_hours * 3600.0
    if state is None or now - state.first_seen > window:
        fresh = StoryAlert(
            alert_id=_alert_id(key, now), story_id=story_id, version=1, first_seen=now,
            last_seen=now,
            source_count=1, articles=(article_id,), languages=(lang,), severity=severity,
            notified_sources=1, notified_languages=(lang,), notified_severity=severity)
        return Decision(fresh, notify=True, reason="new")
    if article_id in state.articles:
        return Decision(replace(state, last_seen=now), notify=False, reason="repeat")
    articles = (*state.articles, article_id)[-MAX_ARTICLES:]
    languages = state.languages if lang in state.languages else (*state.languages, lang)
    updated = replace(
        state, last_seen=now, source_count=state.source_count + 1, articles=articles,
        languages=languages, severity=severity)
    reason = _renotify_reason(updated, suppression.renotify)
    if reason is None:
        return Decision(updated, notify=False, reason="update")
    notified = replace(updated, version=updated.version + 1,
                       notified_sources=updated.source_count,
                       notified_languages=updated.languages,
                       notified_severity=updated.severity)
    return Decision(notified, notify=True, reason=reason)


def expired(state: StoryAlert, now: float, suppression: Suppression) -> bool:
    """True when the story's window is over and its state can be dropped."""
    return now - state.first_seen > suppression.window_hours * 3600.0


def simulate_lines(rules: RuleSet, lines: Iterable[str | bytes]) -> Iterator[dict[str, Any]]:
    """The alerts ``rules`` would send on a sequence of articles, story suppression
    included: each article line (``rules.matched_lines``) in order, as one report of
    the story its id names (or ``story_id`` if the line gives one), at its
    ``published_at`` (an undated article at the time and day of the one before).
    Yields ``{"id", "title", "alerts": [...], "suppressed": [...]}``: each alert with
    its ``alert_id``, ``version`` and the ``reason`` it notifies (new, sources,
    language, severity), each suppressed match with its rule and reason (repeat,
    update); a line that is not an article yields ``{"id", "error"}`` (the id it gave,
    or None)."""
    states: dict[str, StoryAlert] = {}
    now = 0.0
    dated: datetime | None = None  # the date of the last dated article
    for item in matched_lines(rules, lines):
        if isinstance(item, AnalysisError):
            yield error_line(item)
            continue
        doc = item.doc
        story = item.line.get("story_id")
        story = story if isinstance(story, str) and story else doc.id
        if doc.published_at is not None:
            dated = doc.published_at
            now = dated.timestamp()
        # an undated report is of the day of the one before, as the worker dates it by
        # its fetch; before any dated one, all undated reports share one day
        day = story_day(dated) if dated else "undated"
        alerts, suppressed = [], []
        for match in item.matches:
            key = story_key(match, story, day)
            decision = observe(states.get(key), key=key, story_id=story, article_id=doc.id,
                               lang=item.lang, severity=match.rule.severity, now=now,
                               suppression=match.rule.suppression)
            states[key] = decision.state
            if decision.notify:
                alerts.append({**match_dict(match), "alert_id": decision.state.alert_id,
                               "version": decision.state.version, "reason": decision.reason,
                               "source_count": decision.state.source_count})
            else:
                suppressed.append({"rule": match.rule.name, "event_type": match.event_type,
                                   "alert_id": decision.state.alert_id,
                                   "reason": decision.reason})
        yield {"id": doc.id, "title": doc.title, "alerts": alerts, "suppressed": suppressed}
