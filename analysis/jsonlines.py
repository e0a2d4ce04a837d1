"""JSON lines in, for the line-oriented commands (``mediawatch analyze``, ``dedup``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import orjson

from .errors import InvalidDocumentError


def json_objects(lines: Iterable[str | bytes]) -> Iterator[dict[str, Any] | InvalidDocumentError]:
    """One JSON object per non-blank line, or the error that line makes instead (not
    JSON, not an object, no string ``text``). Blank lines are skipped."""
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield InvalidDocumentError(f"invalid JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            yield InvalidDocumentError("input line is not a JSON object")
        elif not isinstance(obj.get("text", ""), str):
            yield InvalidDocumentError("input object has no string 'text'",
                                       doc_id=given_id(obj))
        else:
            yield obj


def given_id(obj: dict[str, Any]) -> str | None:
    """The ``id`` of an input object as a string (it may be a number), or None."""
    raw = obj.get("id")
    return None if raw is None else str(raw)


def error_line(exc: Exception, obj: object = None) -> dict[str, Any]:
    """The output line answering an input line that is no document (the object read
    from it, if any): the id it gave, if any, and why."""
    doc_id = getattr(exc, "doc_id", None)
    if doc_id is None and isinstance(obj, dict):
        doc_id = given_id(obj)
    return {"id": doc_id, "error": str(exc)}


def iso_datetime(value: Any) -> datetime | None:
    """An ISO 8601 ``published_at`` as an aware datetime (naive is taken as UTC); None
    when absent or unparsable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
