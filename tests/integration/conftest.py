"""Fixtures for tests against the real Kafka broker that `make test` starts.

The broker address comes from TEST_KAFKA_BROKER (default kafka://127.0.0.1:19092).
When it cannot be reached the tests fail: they never skip. Every test gets its own
topic prefix, application id and data directory.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from streams.admin import ensure_topics, topic_partitions, wait_for_broker
from streams.feedserver import make_server
from streams.settings import Settings, process_env
from streams.topic_names import ALL_TOPICS

from .slackserver import SlackServer

BROKER = os.environ.get("TEST_KAFKA_BROKER", "kafka://127.0.0.1:19092")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def broker() -> str:
    settings = Settings(broker=BROKER)
    try:
        asyncio.run(wait_for_broker(settings, timeout=30))
    except ConnectionError as exc:
        pytest.fail(f"the test broker is not running ({exc}); run the tests with `make test`")
    return BROKER


@dataclass
class Deployment:
    """One isolated deployment of the service on the shared broker."""

    broker: str
    prefix: str
    app_id: str
    data_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def bootstrap(self) -> str:
        return self.broker.removeprefix("kafka://")

    def topic(self, name: str) -> str:
        return self.prefix + name

    def env(self, **extra: str) -> dict[str, str]:
        """The deployment's settings as environment variables; ``extra`` adds
        ``MEDIAWATCH_*`` variables."""
        env = process_env(broker=self.broker, topic_prefix=self.prefix, app_id=self.app_id,
                          data_dir=self.data_dir, partitions=4, log_level="INFO")
        return {**env, **self.extra_env, **extra}

    def settings(self) -> Settings:
        return Settings(broker=self.broker, topic_prefix=self.prefix, app_id=self.app_id,
                        data_dir=self.data_dir)

    def mediawatch(self, *argv: str, log_name: str, **env: str) -> subprocess.Popen[bytes]:
        with (self.data_dir / f"{log_name}.log").open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "mediawatch.cli", *argv], cwd=REPO, env=self.env(**env),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.processes.append(process)
        return process

    def run_once(self, *argv: str, timeout: float = 120, **env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "mediawatch.cli", *argv], cwd=REPO, env=self.env(**env),
            stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False)
        output = result.stdout.decode() + result.stderr.decode()
        assert result.returncode == 0, f"mediawatch {' '.join(argv)} failed:\n{output}"
        return result.stdout.decode()

    def check_alive(self) -> None:
        """Fail at once, with its log, when a long-running process died."""
        for process in self.processes:
            if process.poll() is not None:
                name = process.args[3] if isinstance(process.args, list) else "process"
                raise AssertionError(f"mediawatch {name} exited with {process.returncode}:\n"
                                     f"{self.log(str(name))[-4000:]}")

    async def read(self, topic: str, *, count: int, timeout: float = 90.0,
                   predicate=None) -> list[tuple[bytes | None, bytes]]:  # type: ignore[no-untyped-def]
        return await read_topic(self.bootstrap, self.topic(topic), count=count,
                                timeout=timeout, predicate=predicate, alive=self.check_alive)

    async def read_raw(self, topic: str, *, count: int, timeout: float = 90.0,
                       predicate=None) -> list[tuple[bytes | None, bytes]]:  # type: ignore[no-untyped-def]
        """Read a topic by its full name (e.g. a table's changelog)."""
        return await read_topic(self.bootstrap, topic, count=count, timeout=timeout,
                                predicate=predicate, alive=self.check_alive)

    def log(self, name: str) -> str:
        path = self.data_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def deployment(broker: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Deployment]:
    tag = uuid.uuid4().hex[:8]
    dep = Deployment(broker=broker, prefix=f"t{tag}.", app_id=f"mw-test-{tag}",
                     data_dir=tmp_path)
    asyncio.run(ensure_topics(dep.settings(), ALL_TOPICS))
    yield dep
    dep.stop()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for path in sorted(tmp_path.glob("*.log")):
            sys.stderr.write(failure_log(path.name, path.read_text(errors="replace")))


# Lines that say what a process was given and what went wrong, kept from a whole log
# when its tail is all that is shown: the partitions a restarted worker was assigned and
# the changelog offsets its tables recovered from scroll out of the tail before the test
# times out.
_KEY_LINE = re.compile(r"assigned partitions|Revok|generation|rebalanc|Heartbeat|Seek|"
                       r"Highwater|^\s*[|+]|\[(?:WARNING|ERROR|CRITICAL)\]|Traceback",
                       re.IGNORECASE)


def failure_log(name: str, text: str, tail: int = 6000) -> str:
    """A failed test's view of one process log: its key lines, then its tail."""
    key = [line[:2000] for line in text[:-tail].splitlines() if _KEY_LINE.search(line)]
    head = f"\n----- {name}: key lines before the tail -----\n" + "\n".join(key[-200:])
    return (head if key else "") + f"\n----- {name} -----\n{text[-tail:]}"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@dataclass
class FeedServer:
    directory: Path
    url: str

    def write(self, name: str, body: str | bytes) -> str:
        path = self.directory / name
        path.write_bytes(body.encode() if isinstance(body, str) else body)
        return f"{self.url}/{name}"


@pytest.fixture
def feed_server(tmp_path: Path) -> Iterator[FeedServer]:
    directory = tmp_path / "feeds"
    directory.mkdir()
    server = make_server(directory, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield FeedServer(directory, f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()


@pytest.fixture
def slack_server() -> Iterator[SlackServer]:
    server = SlackServer()
    server.start()
    yield server
    server.stop()


async def read_records(bootstrap: str, topic: str, *, count: int, timeout: float = 90.0,
                       predicate=None, alive=None) -> list[ConsumerRecord]:  # type: ignore[no-untyped-def]
    """Read ``topic`` from the beginning until ``count`` records whose value matches
    ``predicate``, or timeout: the records, headers included."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False, group_id=None)
    await consumer.start()
    found: list[ConsumerRecord] = []
    deadline = time.monotonic() + timeout
    try:
        while len(found) < count and time.monotonic() < deadline:
            if alive is not None:
                alive()
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    if predicate is None or predicate(record.value):
                        found.append(record)
    finally:
        await consumer.stop()
    return found


async def read_topic(bootstrap: str, topic: str, *, count: int, timeout: float = 90.0,
                     predicate=None, alive=None) -> list[tuple[bytes | None, bytes]]:  # type: ignore[no-untyped-def]
    """Read ``topic`` from the beginning until ``count`` matching records or timeout."""
    return [(record.key, record.value) for record in await read_records(
        bootstrap, topic, count=count, timeout=timeout, predicate=predicate, alive=alive)]


async def partitions_of(bootstrap: str, topic: str) -> list[TopicPartition]:
    """The partitions of ``topic``, from the brokers' metadata (as the worker reads them)."""
    settings = Settings(broker=f"kafka://{bootstrap}")
    return [TopicPartition(topic, p) for p in await topic_partitions(settings, topic)]


async def end_offsets(bootstrap: str, topic: str) -> int:
    """Total number of records ever written to ``topic`` (sum of end offsets)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        offsets = await consumer.end_offsets(await partitions_of(bootstrap, topic))
        return sum(offsets.values())
    finally:
        await consumer.stop()


async def committed(deployment: Deployment, topic: str) -> int:
    """Offsets committed by the worker's group on ``topic``, summed over partitions."""
    consumer = AIOKafkaConsumer(bootstrap_servers=deployment.bootstrap,
                                group_id=deployment.app_id, enable_auto_commit=False)
    await consumer.start()
    try:
        total = 0
        for tp in await partitions_of(deployment.bootstrap, topic):
            total += await consumer.committed(tp) or 0
        return total
    finally:
        await consumer.stop()


async def produce(bootstrap: str, topic: str, records: list[tuple[bytes, bytes]],
                  partition: int | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in records:
            await producer.send_and_wait(topic, key=key, value=value, partition=partition)
    finally:
        await producer.stop()


class OwnBroker:
    """A Kafka broker of one test (deploy/kafka/kafka.sh), apart from the shared one:
    its PLAINTEXT listener on ``port``, KRaft on ``controller``; ``env`` adds kafka.sh
    variables (extra properties, SCRAM users)."""

    def __init__(self, data: Path, port: int, controller: int, **env: str) -> None:
        assert port != controller
        self.bootstrap = f"127.0.0.1:{port}"
        self._env = {**os.environ, "MEDIAWATCH_KAFKA_PORT": str(port),
                     "MEDIAWATCH_KAFKA_CONTROLLER_PORT": str(controller),
                     "MEDIAWATCH_KAFKA_DATA": str(data), **env}

    def _run(self, command: str, check: bool = True) -> None:
        subprocess.run(["bash", str(REPO / "deploy" / "kafka" / "kafka.sh"), command],
                       env=self._env, check=check, timeout=240, stdin=subprocess.DEVNULL,
                       capture_output=True)

    def start(self) -> None:
        self._run("start")  # returns once the broker serves metadata requests

    def stop(self, check: bool = True) -> None:
        self._run("stop", check)


def loads(value: bytes) -> dict:  # type: ignore[type-arg]
    data = orjson.loads(value)
    assert isinstance(data, dict)
    return data
