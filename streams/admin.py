"""Topic administration with aiokafka: create the service's topics before use."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import logging
import ssl
import time
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.conn import create_conn
from aiokafka.errors import (
    AuthenticationFailedError,
    IllegalSaslStateError,
    KafkaConnectionError,
    KafkaError,
    SaslAuthenticationFailed,
    TopicAlreadyExistsError,
    UnsupportedSaslMechanismError,
)

from streams.errors import MediawatchError
from streams.settings import PREFIX, Settings, SettingsError
from streams.topic_names import DEDUP_INDEX

log = logging.getLogger(__name__)


COMPACTED = {
    "cleanup.policy": "compact",
    "min.cleanable.dirty.ratio": "0.1",
    "segment.ms": str(6 * 3600 * 1000),
}


async def _refused(settings: Settings) -> None:
    """When a bootstrap server answers but refuses the service's TLS or SASL settings,
    raise SettingsError naming them (aiokafka's bootstrap error only says it could
    not bootstrap). Returns when no server answers at all, or all accept."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return
    options = settings.kafka_options()
    options.pop("bootstrap_servers")
    for server in settings.bootstrap_servers.split(","):
        host, _, port = server.rpartition(":")
        try:
            conn = await create_conn(host, int(port), request_timeout_ms=5000, **options)
        except (SaslAuthenticationFailed, AuthenticationFailedError,
                UnsupportedSaslMechanismError, IllegalSaslStateError) as exc:
            raise SettingsError(
                f"Kafka at {server} refused the SASL credentials "
                f"({settings.kafka_sasl_mechanism}): check {PREFIX}KAFKA_SASL_USERNAME, "
                f"{PREFIX}KAFKA_SASL_PASSWORD_FILE (or {PREFIX}KAFKA_SASL_PASSWORD) and "
                f"{PREFIX}KAFKA_SASL_MECHANISM ({type(exc).__name__})") from None
        except ssl.SSLError as exc:
            raise SettingsError(
                f"TLS with Kafka at {server} failed: {exc.reason or exc}; check "
                f"{PREFIX}KAFKA_SSL_CA_FILE (and {PREFIX}KAFKA_SSL_CERT_FILE / "
                f"{PREFIX}KAFKA_SSL_KEY_FILE for client certificates) and "
                f"{PREFIX}KAFKA_SECURITY_PROTOCOL") from None
        except (KafkaError, OSError):
            continue  # not reachable: the caller waits and retries
        else:
            conn.close()


class BrokerUnreachableError(MediawatchError, ConnectionError):
    """The broker did not answer within the wait: the commands end with its message."""


#: While a wait for the broker is under way in a task: aiokafka's warnings and errors
#: logged there, for the wait to report.
_failures: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "broker_wait_failures", default=None)


class _WaitReportsFailures(logging.Filter):
    """On aiokafka's client logger: while a wait for the broker is under way in the
    task that logs, a warning or an error (each failed connection or metadata request,
    every ~2 s) becomes a DEBUG record and its message goes to the wait, which reports
    it once. Everywhere else, aiokafka's records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        failures = _failures.get()
        if failures is not None and record.levelno >= logging.WARNING:
            failures.append(record.getMessage())
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_WAIT_FILTER = _WaitReportsFailures()


async def wait_for_broker(settings: Settings, timeout: float = 60.0) -> None:
    """Return once the broker answers a metadata request; BrokerUnreachableError after
    ``timeout``. aiokafka's account of each failed attempt is logged at DEBUG; the wait
    logs one warning, with the broker's address and why it failed, on the first."""
    logging.getLogger("aiokafka").addFilter(_WAIT_FILTER)  # once: filters are a set
    failures: list[str] = []
    waiting = _failures.set(failures)
    try:
        await _wait_for_broker(settings, timeout, failures)
    finally:
        _failures.reset(waiting)


async def _wait_for_broker(settings: Settings, timeout: float, failures: list[str]) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.1
    for attempt in itertools.count(1):
        failures.clear()
        admin = AIOKafkaAdminClient(**settings.kafka_options(),
                                    request_timeout_ms=5000)
        try:
            await admin.start()
            await admin.list_topics()
            return
        except (KafkaConnectionError, KafkaError, OSError) as exc:
            await _refused(settings)  # a security fault is not worth waiting out
            reason = "; ".join(dict.fromkeys(failures)) or str(exc)
            if time.monotonic() > deadline:
                raise BrokerUnreachableError(
                    f"Kafka at {settings.broker_url} is not reachable: {reason}"
                ) from None
            if attempt == 1:
                log.warning("Kafka at %s does not answer (%s); waiting up to %.0fs",
                            settings.broker_url, reason, timeout)
        finally:
            await admin.close()
        await asyncio.sleep(delay)
        delay = min(delay * 2, 2.0)


async def create_topics(settings: Settings, names: Iterable[str], partitions: int,
                        configs: dict[str, str] | None = None, *,
                        prefixed: bool = True,
                        topic_configs: dict[str, dict[str, str]] | None = None) -> None:
    """Create the topics of ``names`` that do not exist, and return once the brokers
    list every one of them with a leader on each partition. ``configs``: configuration of
    the new topics; ``topic_configs`` adds more per name. ``prefixed``: the names get the
    topic prefix of settings."""
    await wait_for_broker(settings)
    admin = AIOKafkaAdminClient(**settings.kafka_options())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [
            NewTopic(full, partitions, settings.replication_factor,
                     topic_configs={**(configs or {}), **(topic_configs or {}).get(n, {})})
            for n in names
            if (full := settings.topic(n) if prefixed else n) not in existing
        ]
        if not wanted:
            return
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(wanted)
        log.info("created topics %s", ", ".join(t.name for t in wanted))
        await _until_led(admin, [t.name for t in wanted])
    finally:
        await admin.close()


async def _until_led(admin: AIOKafkaAdminClient, topics: list[str],
                     timeout: float = 60.0) -> None:
    """Wait until the brokers list each of ``topics`` with a leader on every partition."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    delay = 0.05
    while True:
        described = await admin.describe_topics(topics)
        if len(described) == len(topics) and all(
                t.get("error_code") == 0 and t.get("partitions")
                and all(p.get("leader", -1) >= 0 for p in t["partitions"])
                for t in described):
            return
        if loop.time() > deadline:
            raise MediawatchError(f"topics not listed with leaders after {timeout:g} s: "
                                  f"{', '.join(topics)}")
        await asyncio.sleep(delay)
        delay = min(delay * 2, 1.0)


async def topic_partitions(settings: Settings, topic: str, timeout: float = 60.0) -> list[int]:
    """The partition ids of ``topic`` (full name), from the brokers' metadata; waits up
    to ``timeout`` seconds for a topic just created to be listed."""
    admin = AIOKafkaAdminClient(**settings.kafka_options())
    await admin.start()
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        delay = 0.1
        while True:
            (described,) = await admin.describe_topics([topic])
            partitions = sorted(int(p["partition"]) for p in described.get("partitions", ()))
            if described.get("error_code") == 0 and partitions:
                return partitions
            if asyncio.get_running_loop().time() > deadline:
                raise MediawatchError(f"topic {topic} is not known to the brokers")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
    finally:
        await admin.close()


def dedup_index_config(settings: Settings) -> dict[str, str]:
    """dedup.index keeps the dedup window, whatever the broker's defaults: a worker reads
    it whole when it starts. Time is its only bound (no size limit cuts the index short)."""
    window_ms = int(settings.dedup_window_seconds * 1000)
    return {"retention.ms": str(window_ms), "retention.bytes": "-1",
            "segment.ms": str(max(60_000, window_ms // 8))}


async def ensure_topics(settings: Settings, names: tuple[str, ...]) -> None:
    """Create the named topics (with the prefix) when they do not exist yet."""
    await create_topics(settings, names, settings.partitions,
                          topic_configs={DEDUP_INDEX: dedup_index_config(settings)})


async def ensure_changelog_topics(settings: Settings, names: tuple[str, ...],
                                  partitions: int) -> None:
    """Create the tables' changelog topics (full names) before the worker starts: a
    worker that creates them itself while joining its group on a fresh cluster can
    check a table's partitions against metadata that does not list them yet."""
    await create_topics(settings, names, partitions, COMPACTED, prefixed=False)


async def ensure_compacted_topics(settings: Settings, names: tuple[str, ...],
                                  partitions: int) -> None:
    """Create the named topics (with the prefix) with ``cleanup.policy=compact``."""
    await create_topics(settings, names, partitions, COMPACTED)
