"""Watchlist topics: which topic ids an article mentions.

Topic terms live in ``data/watchlists.yaml`` (topic -> language -> terms) and are
compiled into the same per-language automaton as the gazetteer
(:func:`analysis.lexicon.patterns`), so topic matching costs no extra pass.
"""

from __future__ import annotations

from collections.abc import Iterable

from .lexicon import watchlists
from .matcher import Kind, Match

__all__ = ["topic_ids", "topics"]


def topic_ids() -> list[str]:
    """All topic ids of the watchlists, sorted."""
    return sorted(watchlists())


_TOPIC = Kind.TOPIC


def topics(matches: Iterable[Match]) -> list[str]:
    """Sorted topic ids among ``matches``."""
    return sorted({m[3] for m in matches if m[2] == _TOPIC})  # Match.value, .kind
