"""One frozen settings object, read from ``MEDIAWATCH_*`` environment variables.

Every field documents its variable and default. An unknown ``MEDIAWATCH_*``
variable or a malformed value fails at start-up with a message naming it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from streams import __version__
from streams.errors import MediawatchError

PREFIX = "MEDIAWATCH_"
# The variables the local broker script (deploy/kafka/kafka.sh) reads besides
# MEDIAWATCH_KAFKA_PORT, documented there; any other MEDIAWATCH_KAFKA_* is unknown.
KAFKA_SCRIPT_VARIABLES = tuple(f"{PREFIX}KAFKA_{name}" for name in (
    "CACHE", "CONTROLLER_PORT", "DATA", "EXTRA_PROPERTIES", "HEAP_OPTS", "JVM_OPTS",
    "SCRAM_USERS", "START_TIMEOUT", "STOP_TIMEOUT", "VERSION"))


class SettingsError(MediawatchError, ValueError):
    """A ``MEDIAWATCH_*`` variable is unknown or its value is malformed."""


class _HoldsSecret(ValueError):
    """A malformed value that holds a secret: the error about it never quotes it."""


def _one_broker(value: str) -> str:
    # Before urlparse, whose errors quote the address, user:password and all.
    if "@" in value.split("://", 1)[-1].split("/", 1)[0]:
        raise _HoldsSecret(
            f"expected no user:password@ in the broker URL (the client would not use it): "
            f"set {PREFIX}KAFKA_SECURITY_PROTOCOL, {PREFIX}KAFKA_SASL_USERNAME and "
            f"{PREFIX}KAFKA_SASL_PASSWORD_FILE")
    try:
        parsed = urlparse(value if "://" in value else f"kafka://{value}")
        host, port = parsed.hostname, parsed.port
    except ValueError:  # an unclosed "[", a port out of range
        raise ValueError("expected kafka://host:port[,host:port…]") from None
    if parsed.scheme != "kafka" or not host or not port:
        raise ValueError("expected kafka://host:port[,host:port…]")
    return f"{host}:{port}"


def _broker(value: str) -> str:
    servers = [_one_broker(v.strip()) for v in value.replace(";", ",").split(",")
               if v.strip()]
    if not servers:
        raise ValueError("expected kafka://host:port[,host:port…]")
    return "kafka://" + ",".join(servers)


SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


def _choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.upper() not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return value.upper()
    return parse


def _text(value: str) -> str:
    if not value:
        raise ValueError("expected a value that is not blank")
    return value


def _path(value: str) -> Path:
    if not value:
        raise ValueError("expected a path, not a blank value")
    return Path(value)


def _readable_file(value: str) -> Path:
    path = Path(value)
    if not path.is_file():
        raise ValueError(f"no such file: {path}")
    return path


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("expected a positive integer")
    return number


def _non_negative_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("expected 0 or a positive integer")
    return number


def _port(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 65535:
        raise ValueError("expected a port number from 0 to 65535 (0 disables)")
    return number


def _listening_port(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 65535:
        raise ValueError("expected a port number from 1 to 65535")
    return number


def _metrics_host(value: str) -> str:
    if ":" in value:
        raise ValueError(f"expected a host name or IPv4 address without a port (the port is "
                         f"{PREFIX}METRICS_PORT)")
    if not value or any(c.isspace() or c in "/[]@" for c in value):
        raise ValueError("expected a host name or IPv4 address, such as 127.0.0.1 or 0.0.0.0")
    return value


def _positive_float(value: str) -> float:
    number = float(value)
    if not (math.isfinite(number) and number > 0):
        raise ValueError("expected a positive finite number")
    return number


def _log_format(value: str) -> str:
    if value.lower() not in ("text", "json"):
        raise ValueError("expected text or json")
    return value.lower()


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


def _boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _non_negative_float(value: str) -> float:
    number = float(value)
    if not (math.isfinite(number) and number >= 0):
        raise ValueError("expected a finite number >= 0")
    return number


class Dyads(tuple[str, ...]):
    """Country pairs as sorted ``"AA-BB"`` labels; printed comma-separated."""

    def __str__(self) -> str:
        return ",".join(self)


def _dyads(value: str) -> Dyads:
    pairs: list[str] = []
    for item in value.split(","):
        codes = item.strip().upper().split("-")
        if len(codes) != 2 or not all(len(c) == 2 and c.isascii() and c.isalpha()
                                      for c in codes) or codes[0] == codes[1]:
            raise ValueError(f"{item.strip()!r} is not a pair of two different ISO 3166-1 "
                             "alpha-2 codes like CN-RU")
        pairs.append("-".join(sorted(codes)))
    return Dyads(dict.fromkeys(pairs))


def _setting(env: str, default: Any, parse: Callable[[str], Any], doc: str, *,
             secret: bool = False) -> Any:
    """A setting read from ``MEDIAWATCH_<env>``; a ``secret`` one is never shown (not
    in the settings' repr, not in an error about its value)."""
    return field(default=default, repr=not secret,
                 metadata={"env": env, "parse": parse, "doc": doc, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of every mediawatch process."""

    broker: str | None = _setting(
        "BROKER", None, _broker,
        "Kafka bootstrap servers, kafka://host:port[,host:port…]. Unset: `mediawatch run` "
        "starts a local broker and the other commands use kafka://127.0.0.1:9092.",
    )
    kafka_security_protocol: str = _setting(
        "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", _choice(SECURITY_PROTOCOLS),
        "How every Kafka client of the service connects: PLAINTEXT, SSL, SASL_PLAINTEXT "
        "or SASL_SSL.",
    )
    kafka_sasl_mechanism: str = _setting(
        "KAFKA_SASL_MECHANISM", "PLAIN", _choice(SASL_MECHANISMS),
        "SASL mechanism with SASL_PLAINTEXT or SASL_SSL: PLAIN, SCRAM-SHA-256 or "
        "SCRAM-SHA-512.",
    )
    kafka_sasl_username: str | None = _setting(
        "KAFKA_SASL_USERNAME", None, _text, "SASL user name.",
    )
    kafka_sasl_password_file: Path | None = _setting(
        "KAFKA_SASL_PASSWORD_FILE", None, _readable_file,
        "File holding the SASL password (a mounted secret; never logged).",
    )
    kafka_sasl_password: str | None = _setting(
        "KAFKA_SASL_PASSWORD", None, str,
        "The SASL password itself, when a file cannot be used (never logged).",
        secret=True,
    )
    kafka_ssl_ca_file: Path | None = _setting(
        "KAFKA_SSL_CA_FILE", None, _readable_file,
        "PEM file of the CA certificates that sign the brokers' certificates (SSL, "
        "SASL_SSL); unset: the system's.",
    )
    kafka_ssl_cert_file: Path | None = _setting(
        "KAFKA_SSL_CERT_FILE", None, _readable_file,
        "PEM client certificate, for brokers that authenticate clients by TLS (mTLS).",
    )
    kafka_ssl_key_file: Path | None = _setting(
        "KAFKA_SSL_KEY_FILE", None, _readable_file,
        "PEM private key of KAFKA_SSL_CERT_FILE.",
    )
    kafka_port: int = _setting(
        "KAFKA_PORT", 9092, _listening_port,
        "Port of the local broker that `mediawatch run` starts when MEDIAWATCH_BROKER is "
        "unset (other MEDIAWATCH_KAFKA_* variables: see deploy/kafka/kafka.sh).",
    )
    app_id: str = _setting(
        "APP_ID", "mediawatch", _text,
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
        "DATA_DIR", Path("var"), _path,
        "The worker's Faust data directory, created when missing (tables are kept in "
        "memory: nothing is written there while the service runs). The broker that "
        "`mediawatch run` starts keeps its data in MEDIAWATCH_KAFKA_DATA (see "
        "deploy/kafka/kafka.sh).",
    )
    metrics_port: int = _setting(
        "METRICS_PORT", 0, _port,
        "Port of the Prometheus /metrics endpoint of this process; 0 disables it.",
    )
    metrics_host: str = _setting(
        "METRICS_HOST", "127.0.0.1", _metrics_host,
        "Host name or IPv4 address the /metrics endpoint binds, without a port (that is "
        "METRICS_PORT); 0.0.0.0 inside a container.",
    )
    slack_webhook_url: str | None = _setting(
        "SLACK_WEBHOOK_URL", None, _url,
        "Slack incoming-webhook URL; alerts are posted there when set (never logged).",
        secret=True,
    )
    slack_webhook_url_file: Path | None = _setting(
        "SLACK_WEBHOOK_URL_FILE", None, _path,
        "File holding the Slack webhook URL, as an alternative to the variable.",
    )
    rules_file: Path | None = _setting(
        "RULES_FILE", None, _path,
        "Alert rules YAML; unset: the default rules shipped in analysis/data/rules.yaml.",
    )
    commit_interval_seconds: float = _setting(
        "COMMIT_INTERVAL_SECONDS", 2.8, _positive_float,
        "How often the worker commits consumer offsets (after the outputs are produced).",
    )
    session_timeout_seconds: float = _setting(
        "SESSION_TIMEOUT_SECONDS", 60.0, _positive_float,
        "How long the broker waits for a silent worker before its partitions go to the "
        "others (a crashed worker's share is idle that long).",
    )
    delivery_timeout_seconds: float = _setting(
        "DELIVERY_TIMEOUT_SECONDS", 10.0, _positive_float,
        "Timeout of one webhook request.",
    )
    delivery_retry_budget_seconds: float = _setting(
        "DELIVERY_RETRY_BUDGET_SECONDS", 3600.0, _positive_float,
        "How long an alert keeps being retried on a route that fails for now (5xx, 429, "
        "timeouts, connection errors) before it goes to alerts.deadletter.",
    )
    delivery_max_backoff_seconds: float = _setting(
        "DELIVERY_MAX_BACKOFF_SECONDS", 60.0, _positive_float,
        "Longest wait between two attempts on a failing route (exponential backoff with "
        "jitter up to this).",
    )
    delivery_max_pending: int = _setting(
        "DELIVERY_MAX_PENDING", 1000, _positive_int,
        "Alerts a worker holds while their routes deliver; when a route is down this "
        "many are waiting, the worker reads no further alerts.",
    )
    delivery_max_retry_after_seconds: float = _setting(
        "DELIVERY_MAX_RETRY_AFTER_SECONDS", 120.0, _positive_float,
        "Longest wait a Retry-After header may impose on a route before the next attempt "
        "(a 429 asking for a day would otherwise stall every alert of the route).",
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
        "Keys of entries gone from a feed that its state keeps (oldest forgotten first; "
        "those the feed still holds are always kept).",
    )
    dedup_window_seconds: float = _setting(
        "DEDUP_WINDOW_SECONDS", 7 * 24 * 3600.0, _positive_float,
        "How long an article fingerprint is remembered for deduplication.",
    )
    log_level: str = _setting(
        "LOG_LEVEL", "INFO", _log_level, "Log level: debug, info, warning, error."
    )
    log_format: str = _setting(
        "LOG_FORMAT", "text", _log_format,
        "Log format of every process: text (each record starts a line, its further lines, "
        "a traceback, are indented, and control characters show as escapes such as \\x1b) "
        "or json (one JSON object per line, with feed, alert_id, story_id, route, topic, "
        "partition and offset as fields where a line has them).",
    )
    # ---- feed producers (producers/)
    feeds_partitions: int = _setting(
        "FEEDS_PARTITIONS", 12, _positive_int,
        "Partitions of the compacted feeds and feeds.state topics: the most producer "
        "instances that can share the feeds.",
    )
    feed_min_interval_seconds: float = _setting(
        "FEED_MIN_INTERVAL_SECONDS", 120.0, _positive_float,
        "Shortest adaptive poll interval of a feed (also the floor of a feed's "
        "interval_seconds).",
    )
    feed_max_interval_seconds: float = _setting(
        "FEED_MAX_INTERVAL_SECONDS", 6 * 3600.0, _positive_float,
        "Longest adaptive poll interval of a feed that keeps answering but has nothing new.",
    )
    feed_max_backoff_seconds: float = _setting(
        "FEED_MAX_BACKOFF_SECONDS", 6 * 3600.0, _positive_float,
        "Longest wait before retrying a failing feed (failing feeds are never dropped).",
    )
    feed_failing_after_seconds: float = _setting(
        "FEED_FAILING_AFTER_SECONDS", 24 * 3600.0, _positive_float,
        "A feed without a successful fetch for this long has status `failing`.",
    )
    feed_silence_factor: float = _setting(
        "FEED_SILENCE_FACTOR", 4.0, _positive_float,
        "A feed is `silent` when nothing new appeared for this many times its usual gap "
        "between new entries (and at least twice its maximum interval).",
    )
    fetch_max_bytes: int = _setting(
        "FETCH_MAX_BYTES", 10 * 1024 * 1024, _positive_int,
        "Largest feed or article-page body read; a larger one is abandoned and counted.",
    )
    parse_timeout_seconds: float = _setting(
        "PARSE_TIMEOUT_SECONDS", 60.0, _positive_float,
        "Longest a feed body may take to parse (in a process of the producer's own); a "
        "longer parse is stopped and counted as the feed's parse_error.",
    )
    parse_max_memory_bytes: int = _setting(
        "PARSE_MAX_MEMORY_BYTES", 512 * 1024 * 1024, _non_negative_int,
        "Address space each feed-parsing process may take (0: no limit); a parse that "
        "needs more is stopped and counted as the feed's parse_error. A feed of 30,000 "
        "items (10 MiB) takes about 250 MB.",
    )
    parse_processes: int = _setting(
        "PARSE_PROCESSES", 2, _positive_int,
        "Feed-parsing processes per producer instance, each under PARSE_MAX_MEMORY_BYTES "
        "and started when first needed; a feed held to PARSE_TIMEOUT_SECONDS holds one "
        "of them while the other feeds parse in the rest.",
    )
    fetch_max_redirects: int = _setting(
        "FETCH_MAX_REDIRECTS", 5, _positive_int, "Redirects followed per fetch."
    )
    fetch_concurrency: int = _setting(
        "FETCH_CONCURRENCY", 64, _positive_int,
        "Fetches in flight at once per producer instance, all hosts together.",
    )
    host_concurrency: int = _setting(
        "HOST_CONCURRENCY", 2, _positive_int, "Fetches in flight at once per host."
    )
    host_min_spacing_seconds: float = _setting(
        "HOST_MIN_SPACING_SECONDS", 1.0, _non_negative_float,
        "Minimum time between the starts of two requests to one host.",
    )
    user_agent: str = _setting(
        "USER_AGENT",
        f"mediawatch/{__version__} (+news monitoring feed reader; polite, conditional GET)",
        _text, "User-Agent of feed and article-page requests.",
    )
    fetch_article_pages: bool = _setting(
        "FETCH_ARTICLE_PAGES", False, _boolean,
        "When true, an entry whose feed carries only a short summary gets its article "
        "page fetched and its main text extracted (trafilatura).",
    )
    fetch_allow_private_addresses: bool = _setting(
        "FETCH_ALLOW_PRIVATE_ADDRESSES", False, _boolean,
        "When true, article links and cross-host redirects taken from feeds may reach "
        "loopback and private addresses (on-premises sources); link-local, multicast and "
        "reserved addresses stay refused. Feed URLs themselves are always fetched.",
    )
    article_page_min_chars: int = _setting(
        "ARTICLE_PAGE_MIN_CHARS", 400, _positive_int,
        "With FETCH_ARTICLE_PAGES, entries with less text than this get their page fetched.",
    )
    page_timeout_seconds: float = _setting(
        "PAGE_TIMEOUT_SECONDS", 10.0, _positive_float,
        "With FETCH_ARTICLE_PAGES, longest an article page may take to read (in a process "
        "of the producer's own, under PARSE_MAX_MEMORY_BYTES); a longer read is stopped, "
        "the entry keeps its summary, and so do the feed's other entries of that poll.",
    )

    # ---- observability (streams/metrics.py, streams/lag.py)
    watched_dyads: Dyads = _setting(
        "WATCHED_DYADS",
        Dyads(("CN-RU", "CN-US", "RU-US", "RU-UA", "IR-RU", "KP-RU", "CN-IN", "IN-RU",
               "RU-TR", "IR-US", "CN-JP", "KP-US")),
        _dyads,
        "Country pairs (ISO alpha-2, comma-separated, e.g. CN-RU,RU-US) whose bilateral "
        "meetings are counted under their own label; the others count as `other`.",
    )
    lag_interval_seconds: float = _setting(
        "LAG_INTERVAL_SECONDS", 15.0, _positive_float,
        "How often the worker measures its consumer group's lag for /metrics.",
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
            if k.startswith(PREFIX) and k not in known and k not in KAFKA_SCRIPT_VARIABLES
        )
        if unknown:
            raise SettingsError(
                f"unknown setting {', '.join(unknown)}; known: {', '.join(sorted(known))}; "
                f"read by deploy/kafka/kafka.sh: {', '.join(KAFKA_SCRIPT_VARIABLES)}"
            )
        values: dict[str, Any] = {}
        for name, spec in known.items():
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            try:
                values[spec.name] = spec.metadata["parse"](raw.strip())
            except ValueError as exc:
                if spec.metadata["secret"] or isinstance(exc, _HoldsSecret):
                    # the value, or an error quoting it: not shown
                    reason = str(exc) if str(exc).startswith("expected") else "unusable"
                    what = "is" if spec.metadata["secret"] else "holds"
                    raise SettingsError(f"{name} is malformed (its value {what} a secret and "
                                        f"is not shown): {reason}") from None
                raise SettingsError(f"{name}={raw!r} is malformed: {exc}") from None
        return cls(**values)

    @property
    def broker_url(self) -> str:
        return self.broker or "kafka://127.0.0.1:9092"

    @property
    def bootstrap_servers(self) -> str:
        return self.broker_url.removeprefix("kafka://")

    @property
    def faust_brokers(self) -> list[str]:
        """The bootstrap servers as Faust takes them, one URL each."""
        return [f"kafka://{server}" for server in self.bootstrap_servers.split(",")]

    def __post_init__(self) -> None:
        protocol = self.kafka_security_protocol
        unused = [] if protocol.startswith("SASL_") else [
            name for name, value in (("KAFKA_SASL_USERNAME", self.kafka_sasl_username),
                                     ("KAFKA_SASL_PASSWORD_FILE", self.kafka_sasl_password_file),
                                     ("KAFKA_SASL_PASSWORD", self.kafka_sasl_password))
            if value is not None]
        if protocol not in ("SSL", "SASL_SSL"):
            unused += [name for name, value in (("KAFKA_SSL_CA_FILE", self.kafka_ssl_ca_file),
                                                ("KAFKA_SSL_CERT_FILE", self.kafka_ssl_cert_file),
                                                ("KAFKA_SSL_KEY_FILE", self.kafka_ssl_key_file))
                       if value is not None]
        if unused:
            raise SettingsError(
                f"{', '.join(PREFIX + name for name in unused)} "
                f"{'is' if len(unused) == 1 else 'are'} set but "
                f"{PREFIX}KAFKA_SECURITY_PROTOCOL is {protocol} (SASL settings need "
                "SASL_PLAINTEXT or SASL_SSL, the SSL files SSL or SASL_SSL)")
        if self.kafka_security_protocol.startswith("SASL_") and not (
                self.kafka_sasl_username
                and (self.kafka_sasl_password or self.kafka_sasl_password_file)):
            raise SettingsError(
                f"{PREFIX}KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} needs "
                f"{PREFIX}KAFKA_SASL_USERNAME and {PREFIX}KAFKA_SASL_PASSWORD_FILE (or "
                f"{PREFIX}KAFKA_SASL_PASSWORD)")
        if (self.kafka_ssl_cert_file is None) != (self.kafka_ssl_key_file is None):
            raise SettingsError(f"{PREFIX}KAFKA_SSL_CERT_FILE and {PREFIX}KAFKA_SSL_KEY_FILE "
                                "go together (a client certificate and its key)")

    def _sasl_password(self) -> str:
        if self.kafka_sasl_password:
            return self.kafka_sasl_password
        assert self.kafka_sasl_password_file is not None
        try:
            return self.kafka_sasl_password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SettingsError(f"{PREFIX}KAFKA_SASL_PASSWORD_FILE: cannot read "
                                f"{self.kafka_sasl_password_file}: {exc.strerror}") from None

    def _ssl_context(self) -> Any:
        from aiokafka.helpers import create_ssl_context

        try:
            return create_ssl_context(
                cafile=str(self.kafka_ssl_ca_file) if self.kafka_ssl_ca_file else None,
                certfile=str(self.kafka_ssl_cert_file) if self.kafka_ssl_cert_file else None,
                keyfile=str(self.kafka_ssl_key_file) if self.kafka_ssl_key_file else None)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            raise SettingsError(f"{PREFIX}KAFKA_SSL_CA_FILE / CERT_FILE / KEY_FILE: cannot "
                                f"build the TLS context: {exc}") from None

    def kafka_options(self) -> dict[str, Any]:
        """Keyword arguments of every aiokafka client: the bootstrap servers and the
        security settings (TLS context, SASL credentials)."""
        protocol = self.kafka_security_protocol
        options: dict[str, Any] = {"bootstrap_servers": self.bootstrap_servers,
                                   "security_protocol": protocol}
        if protocol in ("SSL", "SASL_SSL"):
            options["ssl_context"] = self._ssl_context()
        if protocol.startswith("SASL_"):
            options.update(sasl_mechanism=self.kafka_sasl_mechanism,
                           sasl_plain_username=self.kafka_sasl_username,
                           sasl_plain_password=self._sasl_password())
        return options

    def faust_credentials(self) -> Any:
        """The same security settings for Faust (None: PLAINTEXT)."""
        import faust

        protocol = self.kafka_security_protocol
        context = self._ssl_context() if protocol in ("SSL", "SASL_SSL") else None
        if protocol.startswith("SASL_"):
            return faust.SASLCredentials(username=self.kafka_sasl_username,
                                         password=self._sasl_password(),
                                         ssl_context=context,
                                         mechanism=self.kafka_sasl_mechanism)
        if context is not None:
            return faust.SSLCredentials(context)
        return None

    @property
    def dedup_expiry_interval_seconds(self) -> float:
        """How often a worker drops the dedup index's expired buckets: a tenth of the
        window, at least every 10 min, at most every second."""
        return min(600.0, max(1.0, self.dedup_window_seconds / 10))

    def topic(self, name: str) -> str:
        """Full name of one of the service's topics."""
        return f"{self.topic_prefix}{name}"

    def slack_url(self) -> str | None:
        """The Slack webhook URL from the variable or the file, or None."""
        if self.slack_webhook_url:
            return self.slack_webhook_url
        if self.slack_webhook_url_file:
            path = self.slack_webhook_url_file
            try:
                return _url(path.read_text(encoding="utf-8").strip())
            except OSError as exc:
                raise SettingsError(f"{PREFIX}SLACK_WEBHOOK_URL_FILE: cannot read {path}: "
                                    f"{exc.strerror}") from None
            except ValueError:  # the message would not quote the secret, but be sure
                raise SettingsError(f"{PREFIX}SLACK_WEBHOOK_URL_FILE: {path} does not hold "
                                    "an http(s) URL (its content is not shown)") from None
        return None

    def slack_problem(self) -> str | None:
        """Why the Slack webhook URL cannot be read (a file set but missing, unreadable
        or holding no URL), or None."""
        try:
            self.slack_url()
        except SettingsError as exc:
            return f"route 'slack': {exc}"
        return None

def _env_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def process_env(base: Mapping[str, str] | None = None, /, **values: object) -> dict[str, str]:
    """The environment of a mediawatch process that runs with the settings ``values``
    (field name → value: ``broker="kafka://…"``, ``partitions=4``) and no other: ``base``
    (default ``os.environ``) without its ``MEDIAWATCH_*`` variables, plus the variables
    of ``values``, which ``Settings.from_env`` reads back. Raises SettingsError on a
    name that is not a setting."""
    by_name = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(values) - set(by_name))
    if unknown:
        raise SettingsError(f"not a setting: {', '.join(unknown)}")
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if not k.startswith(PREFIX)}
    for name, value in values.items():
        if value is not None:
            env[PREFIX + by_name[name].metadata["env"]] = _env_value(value)
    return env


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting, for the README and `--help`."""
    rows = []
    for f in fields(Settings):
        default = "unset" if f.default is None else str(f.default)
        rows.append((PREFIX + f.metadata["env"], default, f.metadata["doc"]))
    return rows


def markdown_table() -> str:
    """The settings as the Markdown table of the README."""
    lines = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    lines += [f"| `{name}` | `{default}` | {doc} |" for name, default, doc in describe()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
