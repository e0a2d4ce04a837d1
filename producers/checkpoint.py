"""What a producer has already published, per feed, kept across restarts.

A small JSON file (written atomically) per producer: for each feed the ETag and
Last-Modified validators and the keys of the last ``limit`` entries published.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import orjson


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    seen: OrderedDict[str, None] = field(default_factory=OrderedDict)

    def is_seen(self, key: str) -> bool:
        return key in self.seen

    def remember(self, key: str, limit: int) -> None:
        self.seen[key] = None
        self.seen.move_to_end(key)
        while len(self.seen) > limit:
            self.seen.popitem(last=False)


class Checkpoint:
    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.feeds: dict[str, FeedState] = {}
        if path.exists():
            raw = orjson.loads(path.read_bytes())
            for feed_id, state in raw.get("feeds", {}).items():
                self.feeds[feed_id] = FeedState(
                    etag=state.get("etag"), last_modified=state.get("last_modified"),
                    seen=OrderedDict.fromkeys(state.get("seen", [])[-limit:]))

    def feed(self, feed_id: str) -> FeedState:
        return self.feeds.setdefault(feed_id, FeedState())

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"feeds": {
            fid: {"etag": s.etag, "last_modified": s.last_modified, "seen": list(s.seen)}
            for fid, s in self.feeds.items()}}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(orjson.dumps(data))
        os.replace(tmp, self.path)
