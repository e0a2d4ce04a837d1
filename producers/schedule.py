"""When to poll a feed next, and how healthy it is. Pure functions of plain values.

Adaptive interval (after Media Cloud's rss-fetcher, which shortens the poll period of
feeds whose fixed-size window fills up between polls and lengthens it for feeds that
stay unchanged):

* every entry of the fetched feed is new (and it is not the first poll): the window
  overflowed, entries may have been missed → the minimum interval at once;
* some new entries → interval halved (not below the minimum);
* nothing new, or 304 Not Modified → interval × 1.25 (not above the maximum).

Failures back off exponentially from the current interval, with full jitter in the
upper half, up to a maximum; a Retry-After from the server is a floor. A failing feed
is retried at the maximum backoff for ever: it is never dropped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from producers.state import FeedState
from streams.settings import Settings

GROWTH = 1.25
SHRINK = 0.5
MAX_RETRY_AFTER = 24 * 3600.0


@dataclass(frozen=True)
class Policy:
    default_interval: float
    min_interval: float
    max_interval: float
    max_backoff: float
    failing_after: float
    silence_factor: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        low = settings.feed_min_interval_seconds
        high = max(low, settings.feed_max_interval_seconds)
        return cls(default_interval=settings.default_interval_seconds, min_interval=low,
                   max_interval=high, max_backoff=settings.feed_max_backoff_seconds,
                   failing_after=settings.feed_failing_after_seconds,
                   silence_factor=settings.feed_silence_factor)

    def clamp(self, seconds: float) -> float:
        return min(self.max_interval, max(self.min_interval, seconds))

    def start_interval(self, configured: float | None) -> float:
        return self.clamp(configured or self.default_interval)


def next_interval(policy: Policy, current: float, *, new: int, total: int,
                  first_poll: bool) -> float:
    if new and new >= total and not first_poll:
        return policy.min_interval
    if new:
        return policy.clamp(current * SHRINK)
    return policy.clamp(current * GROWTH)


def backoff(policy: Policy, interval: float, failures: int, retry_after: float | None,
            uniform: Callable[[float, float], float] = random.uniform) -> float:
    """Seconds to wait after the ``failures``-th failure in a row (failures >= 1)."""
    ceiling = min(policy.max_backoff, interval * 2 ** min(failures - 1, 20))
    delay = uniform(ceiling / 2, ceiling)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def health(policy: Policy, state: FeedState, now: float) -> str:
    """``failing`` (no success for ``failing_after``), ``silent`` (nothing new for far
    longer than usual) or ``ok``."""
    if state.failures and state.first_failure_at is not None \
            and now - state.first_failure_at >= policy.failing_after:
        return "failing"
    gap = state.usual_gap()
    if gap is not None and state.last_new_entry_at is not None:
        allowed = max(policy.silence_factor * gap, 2 * policy.max_interval)
        if now - state.last_new_entry_at > allowed:
            return "silent"
    return "ok"
