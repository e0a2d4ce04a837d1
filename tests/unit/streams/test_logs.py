"""The one log format: text or JSON lines with the ids as fields."""

from __future__ import annotations

import io
import logging
import logging.config
import unicodedata

import orjson
import pytest

from streams import logs
from streams.settings import Settings, SettingsError


def configured(fmt: str) -> logging.Formatter:
    """The formatter of ``logs.config``, built as ``dictConfig`` builds it."""
    config = logs.config("INFO", fmt)
    formatter: logging.Formatter = logging.config.DictConfigurator(config).configure_formatter(
        config["formatters"]["mediawatch"])
    return formatter


def emit(fmt: str, **extra: object) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured(fmt))
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


#: A redirect's Location as a hostile server could send it: it sets the terminal's
#: title, moves up a line, erases it and writes a line of its own.
FORGED = ("http://feeds.example/ok\x1b]0;pwned\x07\x1b[1A\x1b[2K\r"
          "[2026-01-01 00:00:00,000] [1] [ERROR] forged: x")


def text_lines(logger_name: str, message: str, *args: object, error: str | None = None) -> str:
    """What the configured text handler writes for one record of ``logger_name``."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configured("text"))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        if error is None:
            logger.warning(message, *args)
        else:
            try:
                raise ValueError(error)
            except ValueError:
                logger.exception(message, *args)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    return stream.getvalue()


def raw_controls(text: str) -> list[str]:
    """The control characters of ``text`` but the line feeds that end its lines."""
    return [c for c in text if unicodedata.category(c) == "Cc" and c != "\n"]


@pytest.mark.parametrize("logger_name", ["producers.producer", "aiohttp.client",
                                         "aiokafka.conn", "faust.worker"])
def test_text_lines_show_control_characters_as_escapes(logger_name: str) -> None:
    out = text_lines(logger_name, "feed %s: permanently redirected to %s", "f1",
                     FORGED + " \x9b2J \x7f \x00")
    assert raw_controls(out) == []
    assert ("redirected to http://feeds.example/ok\\x1b]0;pwned\\x07\\x1b[1A\\x1b[2K\\r"
            "[2026-01-01 00:00:00,000] [1] [ERROR] forged: x \\u009b2J \\x7f \\x00") in out
    assert len(out.splitlines()) == 1


def test_a_line_break_in_a_message_cannot_start_a_record_of_its_own() -> None:
    out = text_lines("producers.pages", "article page %s: %s", "http://news.example/a",
                     "bad\n[2026-01-01 00:00:00,000] [1] [ERROR] forged: x")
    first, *rest = out.splitlines()
    assert first.endswith("article page http://news.example/a: bad")
    assert rest == ["    [2026-01-01 00:00:00,000] [1] [ERROR] forged: x"]


def test_a_multi_line_message_keeps_its_shape() -> None:
    # a YAML error quotes the line it stops at with a caret under the column
    out = text_lines("agents.alert", "rules not reloaded: %s",
                     'not valid YAML: mapping values are not allowed here\n'
                     '  in "rules.yaml", line 3, column 7:\n      a: b: c\n          ^')
    assert out.splitlines()[1:] == ['      in "rules.yaml", line 3, column 7:',
                                    "          a: b: c", "              ^"]


def test_a_traceback_keeps_its_lines_and_escapes_the_rest() -> None:
    out = text_lines("streams.lanes", "delivery lane %s failed", "ops",
                     error="bad header \x1b[2K\r\n[2026-01-01 00:00:00,000] [1] [ERROR] forged")
    lines = out.splitlines()
    assert lines[0].endswith("[ERROR] streams.lanes: delivery lane ops failed")
    assert lines[1] == "    Traceback (most recent call last):"
    assert any(line.startswith('      File "') for line in lines)
    assert lines[-2:] == ["    ValueError: bad header \\x1b[2K\\r",
                          "    [2026-01-01 00:00:00,000] [1] [ERROR] forged"]
    assert raw_controls(out) == []
    assert all(line.startswith("    ") for line in lines[1:])
