"""One log format for every process and library (Faust, aiokafka and mediawatch alike),
as text for a terminal or as JSON lines for a log pipeline (``MEDIAWATCH_LOG_FORMAT``).

A JSON line: ``ts`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, ``pid``, the
fields a call passes with ``extra=`` among :data:`FIELDS` (``feed``, ``alert_id``,
``story_id``, ``route``, ``topic``, ``partition``, ``offset``) and ``exc`` with the
traceback. Logs go to standard error; standard output carries the console route's
alerts.
"""

from __future__ import annotations

import logging
import logging.config
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

#: Record attributes that become JSON fields of their own when a call sets them.
FIELDS = ("feed", "alert_id", "story_id", "route", "topic", "partition", "offset")
FORMATS = ("text", "json")
TEXT_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def config(level: str, fmt: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dict: one stderr handler in format ``fmt``."""
    formatter: dict[str, Any] = (
        {"()": JsonFormatter} if fmt == "json" else {"format": TEXT_FORMAT})
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"mediawatch": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": sys.stderr,
                                "formatter": "mediawatch", "level": level}},
        "root": {"level": level, "handlers": ["stderr"]},
    }


def setup(level: str, fmt: str) -> None:
    """Configure the root logger of this process."""
    logging.config.dictConfig(config(level, fmt))
