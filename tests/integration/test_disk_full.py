"""A full disk under the local data directory (``MEDIAWATCH_DATA_DIR``).

The worker keeps its tables in memory, restored from their changelog topics, and the
producer keeps its feeds and poll state in Kafka: neither writes to local disk while it
runs, so a data directory on a full filesystem stops nothing. A data directory that
cannot be created stops the worker at start with an error naming the setting. (The
local broker of ``make run`` keeps its log there too: a broker that runs out of disk
stops, and the service rides that out as any broker outage — test_broker_outage.py.)
The filesystem is a tmpfs of a few blocks and inodes, filled before the service starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO, Deployment, FeedServer
from .slackserver import SlackServer
from .test_alerts import free_port
from .test_pipeline import MEETING_FEED, feeds_file

pytestmark = pytest.mark.integration


@contextlib.contextmanager
def small_filesystem(mountpoint: Path) -> Iterator[Path]:
    """A tmpfs of 256 KB and 64 inodes at ``mountpoint``."""
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,nr_inodes=64",
                              "tmpfs", str(mountpoint)], capture_output=True, text=True,
                             check=False)
    if mounted.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs (the disk-full tests need root): {mounted.stderr}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


async def wait_for_ready(deployment: Deployment, port: int, timeout: float = 120.0) -> None:
    """Until the worker on ``port`` answers /readyz with 200 (partitions, tables and the
    dedup index loaded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        deployment.check_alive()
        try:
            status = await asyncio.to_thread(_status, f"http://127.0.0.1:{port}/readyz")
        except OSError:
            status = 0
        if status == 200:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the worker was not ready within {timeout:.0f}s")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def fill(filesystem: Path) -> None:
    """Take every block and every inode of ``filesystem``; check that it is full."""
    with contextlib.suppress(OSError), (filesystem / "filler").open("wb", buffering=0) as out:
        while True:
            out.write(b"\0" * 4096)
    for n in range(1000):
        try:
            (filesystem / f"inode-{n}").touch()
        except OSError:
            break
    with pytest.raises(OSError) as full:
        (filesystem / "probe").write_bytes(b"x" * 8192)
    assert full.value.errno == errno.ENOSPC


async def test_a_data_directory_that_fills_up_stops_nothing(
        deployment: Deployment, feed_server: FeedServer, slack_server: SlackServer,
        tmp_path: Path) -> None:
    feeds = feeds_file(deployment, feed_server.write("wire.xml", MEETING_FEED))
    port = free_port()
    with small_filesystem(tmp_path / "disk") as disk:
        data = str(disk / "data")
        deployment.mediawatch("worker", log_name="worker", MEDIAWATCH_DATA_DIR=data,
                              MEDIAWATCH_SLACK_WEBHOOK_URL=slack_server.url,
                              MEDIAWATCH_METRICS_PORT=str(port))
        await wait_for_ready(deployment, port)
        fill(disk)  # while the worker runs
        out = deployment.run_once("produce", "--feeds", feeds, "--once",
                                  MEDIAWATCH_DATA_DIR=data)
        assert "published 3 entries" in out
        (received,) = slack_server.wait_for(1)
        assert "Lavrov holds talks" in received.body["text"]
        assert len(await deployment.read("alerts", count=1)) == 1
        deployment.check_alive()
        log = deployment.log("worker")
        assert "No space left" not in log and "Traceback" not in log


def test_a_data_directory_that_cannot_be_made_is_named(
        deployment: Deployment, tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "disk") as disk:
        fill(disk)
        result = subprocess.run(
            [sys.executable, "-m", "mediawatch.cli", "worker"], cwd=REPO,
            env=deployment.env(MEDIAWATCH_DATA_DIR=str(disk / "state")),
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert "MEDIAWATCH_DATA_DIR" in result.stderr
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
