"""One frozen settings object, read from ``MEDIAWATCH_*`` environment variables.

Every field documents its variable and default. An unknown ``MEDIAWATCH_*``
variable or a malformed value fails at start-up with a message naming it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from streams.errors import MediawatchError

PREFIX = "MEDIAWATCH_"
# Variables of the local broker script (deploy/kafka/kafka.sh), documented there.
KAFKA_SCRIPT_PREFIX = "MEDIAWATCH_KAFKA_"


class SettingsError(MediawatchError, ValueError):
    """A ``MEDIAWATCH_*`` variable is unknown or its value is malformed."""


def _broker(value: str) -> str:
    parsed = urlparse(value if "://" in value else f"kafka://{value}")
    if parsed.scheme != "kafka" or not parsed.hostname or not parsed.port:
        raise ValueError("expected kafka://host:port")
    return f"kafka://{parsed.hostname}:{parsed.port}"


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("expected a positive integer")
    return number


def _port(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 65535:
        raise ValueError("expected a port number from 0 to 65535 (0 disables)")
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError("expected a positive number")
    return number


def _log_level(value: str) -> str:
    level = value.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("expected one of debug, info, warning, error, critical")
    return level


def _url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ValueError("expected an http(s) URL")
    return value


def _setting(env: str, default: Any, parse: Callable[[str], Any], doc: str) -> Any:
    return field(default=default, metadata={"env": env, "parse": parse, "doc": doc})


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of every mediawatch process."""

    broker: str | None = _setting(
        "BROKER", None, _broker,
        "Kafka bootstrap server, kafka://host:port. Unset: `mediawatch run` starts a "
        "local broker and the other commands use kafka://127.0.0.1:9092.",
    )
    kafka_port: int = _setting(
        "KAFKA_PORT", 9092, _port,
        "Port of the local broker that `mediawatch run` starts when MEDIAWATCH_BROKER is "
        "unset (other MEDIAWATCH_KAFKA_* variables: see deploy/kafka/kafka.sh).",
    )
    app_id: str = _setting(
        "APP_ID", "mediawatch", str,
        "Faust application id: consumer group and changelog topic prefix.",
    )
    topic_prefix: str = _setting(
        "TOPIC_PREFIX", "", str,
        "Prefix for every topic name (isolates deployments sharing a cluster).",
    )
    partitions: int = _setting(
        "PARTITIONS", 4, _positive_int, "Partitions of every topic the service creates."
    )
    replication_factor: int = _setting(
        "REPLICATION_FACTOR", 1, _positive_int, "Replication factor of created topics."
    )
    data_dir: Path = _setting(
        "DATA_DIR", Path("var"), Path,
        "Directory for local state: producer checkpoints, worker tables, broker data.",
    )
    metrics_port: int = _setting(
        "METRICS_PORT", 0, _port,
        "Port of the Prometheus /metrics endpoint of this process; 0 disables it.",
    )
    metrics_host: str = _setting(
        "METRICS_HOST", "127.0.0.1", str,
        "Address the /metrics endpoint binds (0.0.0.0 inside a container).",
    )
    slack_webhook_url: str | None = _setting(
        "SLACK_WEBHOOK_URL", None, _url,
        "Slack incoming-webhook URL; alerts are posted there when set (never logged).",
    )
    slack_webhook_url_file: Path | None = _setting(
        "SLACK_WEBHOOK_URL_FILE", None, Path,
        "File holding the Slack webhook URL, as an alternative to the variable.",
    )
    delivery_timeout_seconds: float = _setting(
        "DELIVERY_TIMEOUT_SECONDS", 10.0, _positive_float,
        "Timeout of one webhook request.",
    )
    delivery_max_attempts: int = _setting(
        "DELIVERY_MAX_ATTEMPTS", 6, _positive_int,
        "Attempts per alert and route before it goes to alerts.deadletter.",
    )
    fetch_timeout_seconds: float = _setting(
        "FETCH_TIMEOUT_SECONDS", 20.0, _positive_float, "Timeout of one feed fetch."
    )
    default_interval_seconds: float = _setting(
        "DEFAULT_INTERVAL_SECONDS", 300.0, _positive_float,
        "Poll interval of a feed that does not set interval_seconds.",
    )
    checkpoint_entries_per_feed: int = _setting(
        "CHECKPOINT_ENTRIES_PER_FEED", 2000, _positive_int,
        "Seen entries remembered per feed across restarts (oldest forgotten first).",
    )
    dedup_window_seconds: float = _setting(
        "DEDUP_WINDOW_SECONDS", 7 * 24 * 3600.0, _positive_float,
        "How long an article fingerprint is remembered for deduplication.",
    )
    log_level: str = _setting(
        "LOG_LEVEL", "INFO", _log_level, "Log level: debug, info, warning, error."
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from ``environ`` (default ``os.environ``).

        Raises SettingsError naming the variable when one is unknown or malformed.
        """
        env = os.environ if environ is None else environ
        known = {PREFIX + f.metadata["env"]: f for f in fields(cls)}
        unknown = sorted(
            k for k in env
            if k.startswith(PREFIX) and k not in known and not k.startswith(KAFKA_SCRIPT_PREFIX)
        )
        if unknown:
            raise SettingsError(
                f"unknown setting {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        values: dict[str, Any] = {}
        for name, spec in known.items():
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            try:
                values[spec.name] = spec.metadata["parse"](raw.strip())
            except ValueError as exc:
                raise SettingsError(f"{name}={raw!r} is malformed: {exc}") from None
        return cls(**values)

    @property
    def broker_url(self) -> str:
        return self.broker or "kafka://127.0.0.1:9092"

    @property
    def bootstrap_servers(self) -> str:
        return self.broker_url.removeprefix("kafka://")

    def topic(self, name: str) -> str:
        """Full name of one of the service's topics."""
        return f"{self.topic_prefix}{name}"

    def slack_url(self) -> str | None:
        """The Slack webhook URL from the variable or the file, or None."""
        if self.slack_webhook_url:
            return self.slack_webhook_url
        if self.slack_webhook_url_file:
            try:
                return _url(self.slack_webhook_url_file.read_text(encoding="utf-8").strip())
            except (OSError, ValueError) as exc:
                raise SettingsError(
                    f"{PREFIX}SLACK_WEBHOOK_URL_FILE: cannot use the file: {exc}"
                ) from None
        return None


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting, for the README and `--help`."""
    rows = []
    for f in fields(Settings):
        default = "unset" if f.default is None else str(f.default)
        rows.append((PREFIX + f.metadata["env"], default, f.metadata["doc"]))
    return rows
