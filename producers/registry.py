"""The feeds file: ``feeds: [{id, url, name?, language?, interval_seconds?}]``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from streams.errors import MediawatchError

FEED_FIELDS = {"id", "url", "name", "language", "interval_seconds"}


class FeedsFileError(MediawatchError, ValueError):
    """The feeds file is missing, not YAML, or has an invalid entry."""


@dataclass(frozen=True)
class Feed:
    id: str
    url: str
    name: str
    language: str | None = None
    interval_seconds: float | None = None


def parse_feeds(data: Any, origin: str = "<feeds>") -> list[Feed]:
    if not isinstance(data, dict) or not isinstance(data.get("feeds"), list):
        raise FeedsFileError(f"{origin}: expected a mapping with a 'feeds' list")
    feeds: list[Feed] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["feeds"]):
        where = f"{origin}: feeds[{index}]"
        if not isinstance(entry, dict):
            raise FeedsFileError(f"{where}: expected a mapping")
        unknown = set(entry) - FEED_FIELDS
        if unknown:
            raise FeedsFileError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        feed_id, url = entry.get("id"), entry.get("url")
        if not isinstance(feed_id, str) or not feed_id.strip():
            raise FeedsFileError(f"{where}: 'id' must be a non-empty string")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise FeedsFileError(f"{where}: 'url' must be an http(s) URL")
        if feed_id in seen:
            raise FeedsFileError(f"{where}: duplicate id {feed_id!r} (feeds[{seen[feed_id]}])")
        seen[feed_id] = index
        interval = entry.get("interval_seconds")
        if interval is not None and (not isinstance(interval, int | float) or interval <= 0):
            raise FeedsFileError(f"{where}: 'interval_seconds' must be a positive number")
        language = entry.get("language")
        if language is not None and not isinstance(language, str):
            raise FeedsFileError(f"{where}: 'language' must be a string")
        feeds.append(Feed(id=feed_id, url=url, name=str(entry.get("name") or feed_id),
                          language=language,
                          interval_seconds=float(interval) if interval else None))
    return feeds


def load_feeds(path: Path) -> list[Feed]:
    """The feeds of a YAML feeds file; FeedsFileError names the file and the entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FeedsFileError(f"{path}: cannot read the feeds file: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FeedsFileError(f"{path}: not valid YAML: {exc}") from None
    return parse_feeds(data, str(path))
