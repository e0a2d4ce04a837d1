"""Alert rules and their evaluation over an analysis result.

A rule names the event types it fires on; ``evaluate`` returns one ``Match`` per rule
and event type found in an analysed article. Pure: plain values in, plain values out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

BILATERAL_MEETING = "bilateral_meeting"
SANCTIONS_RHETORIC = "sanctions_rhetoric"
EVENT_TYPES = frozenset({BILATERAL_MEETING, SANCTIONS_RHETORIC})


@dataclass(frozen=True)
class Rule:
    name: str
    event_types: frozenset[str] = EVENT_TYPES
    severity: str = "medium"
    routes: tuple[str, ...] = ("console", "slack")


@dataclass(frozen=True)
class Match:
    """One rule fired on one event type of one article."""

    rule: Rule
    event_type: str
    evidence: str
    parties: tuple[str, ...] | None = None
    modality: str | None = None
    stance: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(name="diplomacy-watch", severity="medium"),
)


def evaluate(rules: Iterable[Rule], analysis: Mapping[str, Any]) -> list[Match]:
    """Matches of ``rules`` against an analysis dict (the ``mediawatch analyze`` contract)."""
    events: Sequence[Mapping[str, Any]] = analysis.get("events") or ()
    meetings = [e for e in events if e.get("type") == BILATERAL_MEETING]
    sanctions: Mapping[str, Any] = analysis.get("sanctions_rhetoric") or {}
    matches: list[Match] = []
    for rule in rules:
        if BILATERAL_MEETING in rule.event_types and meetings:
            first = meetings[0]
            matches.append(Match(
                rule=rule,
                event_type=BILATERAL_MEETING,
                evidence=str(first.get("evidence") or ""),
                parties=tuple(first.get("parties") or ()),
                modality=first.get("modality"),
            ))
        if SANCTIONS_RHETORIC in rule.event_types and sanctions.get("present"):
            matches.append(Match(
                rule=rule,
                event_type=SANCTIONS_RHETORIC,
                evidence=str(sanctions.get("evidence") or ""),
                stance=sanctions.get("stance"),
            ))
    return matches


def alert_id(rule_name: str, story_id: str, event_type: str) -> str:
    """Stable id of the alert of one rule on one story and event type."""
    raw = f"{rule_name}\x1f{story_id}\x1f{event_type}".encode()
    return hashlib.blake2b(raw, digest_size=12).hexdigest()
