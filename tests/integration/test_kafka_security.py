"""A managed-Kafka set-up on the real broker: a SASL_SSL listener (a test CA made here
with openssl, SCRAM users created by Kafka's own storage tool), and the producer, the
worker and an alert to Slack going through it; wrong credentials give an error that
names the setting."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from streams.admin import ensure_topics
from streams.settings import Settings
from streams.topic_names import ALL_TOPICS

from .conftest import REPO, Deployment, FeedServer, OwnBroker, read_topic
from .slackserver import SlackServer
from .test_alerts import free_port, rss
from .test_delivery_faults import STORIES

pytestmark = pytest.mark.integration

PASSWORD = "s3cret-for-alice"


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_certificates(directory: Path) -> tuple[Path, Path]:
    """A CA and a broker certificate for 127.0.0.1 signed by it: (ca.pem, server.pem)."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=mediawatch test CA", cwd=directory)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
            "server.csr", "-subj", "/CN=127.0.0.1", cwd=directory)
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext",
            cwd=directory)
    server = directory / "server.pem"
    server.write_text((directory / "server.key").read_text()
                      + (directory / "server.crt").read_text())
    return directory / "ca.pem", server


@dataclass
class SecureBroker:
    plain: str    # host:port of the PLAINTEXT listener (the test's own reads)
    secure: str   # host:port of the SASL_SSL listener (the service's)
    ca: Path


@pytest.fixture
def secure_broker(tmp_path: Path) -> Iterator[SecureBroker]:
    certs = tmp_path / "certs"
    certs.mkdir()
    ca, server = make_certificates(certs)
    plain, controller, secure = free_port(), free_port(), free_port()
    extra = tmp_path / "sasl-ssl.properties"
    extra.write_text(
        f"listeners=PLAINTEXT://127.0.0.1:{plain},CONTROLLER://127.0.0.1:{controller},"
        f"SASL_SSL://127.0.0.1:{secure}\n"
        f"advertised.listeners=PLAINTEXT://127.0.0.1:{plain},SASL_SSL://127.0.0.1:{secure}\n"
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,"
        "SASL_SSL:SASL_SSL\n"
        "sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512\n"
        "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config="
        "org.apache.kafka.common.security.scram.ScramLoginModule required;\n"
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
        "org.apache.kafka.common.security.scram.ScramLoginModule required;\n"
        "ssl.keystore.type=PEM\n"
        f"ssl.keystore.location={server}\n")
    broker = OwnBroker(tmp_path / "kafka", plain, controller,
                       MEDIAWATCH_KAFKA_EXTRA_PROPERTIES=str(extra),
                       MEDIAWATCH_KAFKA_SCRAM_USERS=(
                           f"SCRAM-SHA-256=[name=alice,password={PASSWORD}]"))
    broker.start()
    try:
        yield SecureBroker(broker.bootstrap, f"127.0.0.1:{secure}", ca)
    finally:
        broker.stop(check=False)


async def test_producer_worker_and_slack_through_sasl_ssl_with_scram(
        secure_broker: SecureBroker, tmp_path: Path, feed_server: FeedServer,
        slack_server: SlackServer) -> None:
    tag = uuid.uuid4().hex[:8]
    data = tmp_path / "deployment"
    data.mkdir()
    password = data / "kafka-password"
    password.write_text(PASSWORD + "\n")
    deployment = Deployment(broker=f"kafka://{secure_broker.secure}", prefix=f"t{tag}.",
                            app_id=f"mw-test-{tag}", data_dir=data)
    (data / "rules.yaml").write_text(
        "rules:\n  - {name: meetings, severity: high, routes: [slack],"
        " when: {event: bilateral_meeting}}\n")
    url = feed_server.write("wire.xml", rss(STORIES[:1], "wire"))
    feeds = data / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - {{id: wire, url: '{url}', name: wire}}\n")
    deployment.extra_env.update({
        "MEDIAWATCH_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "MEDIAWATCH_KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
        "MEDIAWATCH_KAFKA_SASL_USERNAME": "alice",
        "MEDIAWATCH_KAFKA_SASL_PASSWORD_FILE": str(password),
        "MEDIAWATCH_KAFKA_SSL_CA_FILE": str(secure_broker.ca),
        "MEDIAWATCH_RULES_FILE": str(data / "rules.yaml"),
        "MEDIAWATCH_SLACK_WEBHOOK_URL": slack_server.url})
    settings = Settings.from_env({k: v for k, v in deployment.env().items()
                                  if k.startswith("MEDIAWATCH_")})
    await ensure_topics(settings, ALL_TOPICS)  # through the SASL_SSL listener
    try:
        deployment.mediawatch("worker", log_name="worker")
        assert "published 1 entries" in deployment.run_once(
            "produce", "--feeds", str(feeds), "--once")
        (posted,) = slack_server.wait_for(1, timeout=120)
        assert "Japan" in str(posted.body["blocks"])
        deployment.check_alive()
        # What the service wrote went through the secure listener to the same broker.
        raw = await read_topic(secure_broker.plain, deployment.topic("articles.raw"),
                               count=1)
        assert len(raw) == 1

        # A wrong password: a clear error naming the settings, not a hang.
        password.write_text("not-the-password\n")
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "mediawatch", "produce", "--feeds", str(feeds), "--once"],
            cwd=REPO, env=deployment.env(), capture_output=True, timeout=120,
            stdin=subprocess.DEVNULL)
        error = result.stderr.decode()
        assert result.returncode == 2, error[-2000:]
        assert "MEDIAWATCH_KAFKA_SASL_USERNAME" in error
        assert "MEDIAWATCH_KAFKA_SASL_PASSWORD" in error
        assert PASSWORD not in error and "not-the-password" not in error
    finally:
        deployment.stop()
