"""The one log format: text or JSON lines with the ids as fields."""

from __future__ import annotations

import io
import logging

import orjson
import pytest

from streams import logs
from streams.settings import Settings, SettingsError


def emit(fmt: str, **extra: object) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    formatter = logs.config("INFO", fmt)["formatters"]["mediawatch"]
    handler.setFormatter(logs.JsonFormatter() if fmt == "json"
                         else logging.Formatter(formatter["format"]))
    logger = logging.getLogger("mediawatch.test.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        logger.info("alert %s v%d for story %s", "a1", 2, "s1", extra=extra)
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed\nover two lines")
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_json_lines_carry_the_ids_as_fields() -> None:
    first, second = (orjson.loads(line) for line in emit(
        "json", alert_id="a1", story_id="s1", feed=None).splitlines())
    assert first["message"] == "alert a1 v2 for story s1"
    assert first["alert_id"] == "a1" and first["story_id"] == "s1"
    assert "feed" not in first  # absent, not null
    assert first["level"] == "info" and first["logger"] == "mediawatch.test.logs"
    assert first["ts"].endswith("+00:00")
    assert second["level"] == "error" and "ValueError: boom" in second["exc"]
    assert second["message"] == "failed\nover two lines"  # one record, one line


def test_text_format_is_one_readable_line() -> None:
    line = emit("text").splitlines()[0]
    assert "[INFO] mediawatch.test.logs: alert a1 v2 for story s1" in line


def test_the_format_is_a_setting() -> None:
    assert Settings.from_env({"MEDIAWATCH_LOG_FORMAT": "JSON"}).log_format == "json"
    assert Settings.from_env({}).log_format == "text"
    with pytest.raises(SettingsError, match="LOG_FORMAT"):
        Settings.from_env({"MEDIAWATCH_LOG_FORMAT": "xml"})
