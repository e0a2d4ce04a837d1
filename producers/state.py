"""The poll state of one feed, which travels with the feed between producer instances.

It is written to the compacted ``feeds.state`` topic (key = feed id, value =
``FeedState.to_json()``) after every poll, and read by whichever instance owns the
feed next, so that a new owner neither polls early nor publishes again what was
already published. Everything in it is bounded: ``seen`` keeps the keys of every
entry the feed held at its last fetch and the newest keys of older entries, sized from
the feed's largest fetch (``remember_fetch``, never more than ``SEEN_CEILING``),
``recent`` the newest ``RECENT_LIMIT`` polls that found something.

Times are Unix seconds (wall clock): they are compared across processes.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import orjson

RECENT_LIMIT = 100
#: Seen keys kept per feed at most, whatever the feed holds: the state is one Kafka
#: record (about 20 bytes a key), re-read at every rebalance.
SEEN_CEILING = 20_000
SHARED_GUIDS_LIMIT = 100   # GUID keys a feed gave to items with different links
SEEN_FLOOR = 200      # seen keys kept per feed at least (two per entry: URL and GUID)
SEEN_WINDOWS = 4      # ... and enough for this many of the feed's largest fetches
DAY = 86400.0


@dataclass
class FeedState:
    url: str | None = None                 # the URL the validators belong to
    etag: str | None = None
    last_modified: str | None = None
    seen: OrderedDict[str, None] = field(default_factory=OrderedDict)
    held_keys: int = 0                     # the most keys one fetch of the feed held
    shared_guids: list[str] = field(default_factory=list)  # GUID keys not trusted
    interval: float | None = None          # current adaptive interval
    last_poll_at: float | None = None
    next_poll_at: float | None = None
    last_outcome: str | None = None
    failures: int = 0                      # failed polls in a row
    first_failure_at: float | None = None  # start of the current failure streak
    last_success_at: float | None = None
    last_new_entry_at: float | None = None
    created_at: float | None = None        # first poll
    status: str = "ok"                     # ok | silent | failing
    recent: list[tuple[float, int]] = field(default_factory=list)  # (poll time, new entries)

    def is_seen(self, keys: tuple[str, ...]) -> bool:
        return any(key in self.seen for key in keys)

    def remember(self, keys: tuple[str, ...], limit: int) -> None:
        for key in keys:
            self.seen[key] = None
            self.seen.move_to_end(key)
        while len(self.seen) > limit:
            self.seen.popitem(last=False)

    def remember_fetch(self, keys: list[tuple[str, ...]], bound: int) -> int:
        """Remember the keys of every entry of a fetch, new or seen before: an entry
        seen again is recent again, so nothing the feed still holds is forgotten.
        Memory is sized from the most keys a fetch of the feed held (``held_keys``): at
        least that many, and room for ``SEEN_WINDOWS`` such fetches (at least
        ``SEEN_FLOOR`` keys, at most ``bound``), so a short fetch between two full
        ones forgets nothing; never more than ``SEEN_CEILING``. Returns how many of the
        fetch's keys could not be kept (a feed holding more than the ceiling)."""
        held = sum(len(k) for k in keys)
        self.held_keys = max(self.held_keys, held)
        spare = min(bound, max(SEEN_FLOOR, SEEN_WINDOWS * self.held_keys))
        limit = min(SEEN_CEILING, max(self.held_keys, spare))
        # The feed lists its newest entries first: remembered last, they are kept.
        for entry_keys in reversed(keys):
            self.remember(entry_keys, limit)
        return max(0, held - limit)

    def note_shared_guids(self, keys: set[str]) -> None:
        """Remember GUID keys the feed gave to items with different links (newest
        last, at most ``SHARED_GUIDS_LIMIT``)."""
        self.shared_guids = [k for k in self.shared_guids if k not in keys] + sorted(keys)
        del self.shared_guids[:-SHARED_GUIDS_LIMIT]

    def record_new(self, at: float, count: int) -> None:
        self.recent.append((at, count))
        del self.recent[:-RECENT_LIMIT]
        self.last_new_entry_at = at

    def entries_per_day(self, now: float) -> float:
        """New entries per day over the last 7 days (or the feed's life, if shorter)."""
        since = now - 7 * DAY
        count = sum(n for at, n in self.recent if at >= since)
        created = self.created_at if self.created_at is not None else now
        span = min(7 * DAY, now - created)
        return count * DAY / max(span, DAY)

    def usual_gap(self) -> float | None:
        """Mean time between polls that found new entries, when known."""
        if len(self.recent) < 3:
            return None
        return (self.recent[-1][0] - self.recent[0][0]) / (len(self.recent) - 1)

    def to_json(self) -> bytes:
        data: dict[str, Any] = {k: v for k, v in self.__dict__.items()
                                if k not in ("seen", "recent")}
        data["seen"] = list(self.seen)
        data["recent"] = [list(r) for r in self.recent]
        return orjson.dumps(data)

    @classmethod
    def from_json(cls, payload: bytes, limit: int) -> FeedState:
        """The state of a ``feeds.state`` value; a value that cannot be read gives a
        fresh state (the feed is then polled as new, never lost)."""
        try:
            data = orjson.loads(payload)
        except orjson.JSONDecodeError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        state = cls()
        for name in ("url", "etag", "last_modified", "last_outcome", "status"):
            value = data.get(name)
            if isinstance(value, str):
                setattr(state, name, value)
        for name in ("interval", "last_poll_at", "next_poll_at", "first_failure_at",
                     "last_success_at", "last_new_entry_at", "created_at"):
            value = data.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                setattr(state, name, float(value))
        failures = data.get("failures")
        state.failures = failures if isinstance(failures, int) and failures >= 0 else 0
        seen = data.get("seen")
        if isinstance(seen, list):
            state.seen = OrderedDict.fromkeys(k for k in seen[-limit:] if isinstance(k, str))
        shared = data.get("shared_guids")
        if isinstance(shared, list):
            state.shared_guids = [k for k in shared[-SHARED_GUIDS_LIMIT:]
                                  if isinstance(k, str)]
        held = data.get("held_keys")
        # A state written before held_keys existed: its memory is taken as the window.
        state.held_keys = (held if isinstance(held, int) and not isinstance(held, bool)
                           and held >= 0 else len(state.seen))
        recent = data.get("recent")
        if isinstance(recent, list):
            state.recent = [(float(r[0]), int(r[1])) for r in recent[-RECENT_LIMIT:]
                            if isinstance(r, list) and len(r) == 2
                            and all(isinstance(x, int | float) for x in r)]
        return state
