"""One log format for every process and library (Faust, aiokafka and mediawatch alike),
as text for a terminal or as JSON lines for a log pipeline (``MEDIAWATCH_LOG_FORMAT``).

A JSON line: ``ts`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, ``pid``, the
fields a call passes with ``extra=`` among :data:`FIELDS` (``feed``, ``alert_id``,
``story_id``, ``route``, ``topic``, ``partition``, ``offset``) and ``exc`` with the
traceback. Logs go to standard error; standard output carries the console route's
alerts.

A text record starts its line with ``[``; its further lines (a message over several
lines, a traceback) are indented, so that no text a message quotes (a redirect's
address, an exception from a server) can pass for a record of its own. Control
characters (C0 but tab and line feed, DEL, C1), line and paragraph separators and
bidirectional embeddings, overrides and isolates show as escapes (``\\x1b``, ``\\r``,
``\\u009b``): none reaches the terminal to move its cursor, rewrite a line or set its
title. JSON escapes them anyway.
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
#: What starts each line of a text record after its first.
INDENT = "    "

#: Characters a text record shows as escapes: C0 controls but tab and line feed, DEL,
#: C1 controls, line and paragraph separators, bidirectional embeddings, overrides and
#: isolates.
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)}
_ESCAPES |= {c: f"\\u{c:04x}" for c in (*range(0x80, 0xA0), 0x2028, 0x2029,
                                        *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_ESCAPES[0x0D] = "\\r"


def shown(text: str) -> str:
    """``text`` as a text record shows it: control characters as escapes, each line
    after the first indented by :data:`INDENT`."""
    return text.translate(_ESCAPES).replace("\n", "\n" + INDENT)


class TextFormatter(logging.Formatter):
    """:data:`TEXT_FORMAT` through :func:`shown`: each record starts a line, its further
    lines are indented, and control characters show as escapes, whatever the message or
    the traceback quotes."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return shown(super().format(record))


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
        {"()": JsonFormatter if fmt == "json" else TextFormatter})
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
