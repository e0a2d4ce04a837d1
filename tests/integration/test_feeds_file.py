"""`mediawatch produce --feeds FILE` on the real broker: a restart applies the changes
of the file since it was last applied, and leaves the registry's own edits alone."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from producers.catalog import apply_feeds_file, read_catalog
from producers.registry import load_feeds

from .conftest import REPO, Deployment, end_offsets, loads
from .producer_fixtures import FeedFarm, running_farm

pytestmark = pytest.mark.integration


@pytest.fixture
def farm() -> Iterator[FeedFarm]:
    with running_farm() as farm:
        yield farm


def mediawatch(deployment: Deployment, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mediawatch.cli", *argv], cwd=REPO,
                          env=deployment.env(), capture_output=True, text=True, timeout=180,
                          check=False)


def produce_once(deployment: Deployment, feeds: Path) -> str:
    """A producer started with the feeds file, polling once: its log (stderr)."""
    result = mediawatch(deployment, "produce", "--feeds", str(feeds), "--once")
    assert result.returncode == 0, result.stderr[-4000:]
    assert "left out" not in result.stderr, result.stderr[-4000:]
    return result.stderr


def registry(deployment: Deployment) -> dict[str, dict]:  # type: ignore[type-arg]
    listed = mediawatch(deployment, "feeds", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    feeds = {f["id"]: f for f in map(loads, listed.stdout.encode().splitlines())}
    assert f"{len(feeds)} feeds" in listed.stderr
    return feeds


def write(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text(yaml.safe_dump({"feeds": entries}))
    return path


def test_a_restart_keeps_what_operators_changed_and_applies_the_files_changes(
        deployment: Deployment, farm: FeedFarm) -> None:
    urls = {name: farm.add(name, "rss", items=[("a", f"{name} story")])
            for name in ("gulf", "andes", "nile", "delta")}
    entries = [{"id": name, "url": urls[name], "name": name.title()}
               for name in ("gulf", "andes", "nile")]
    feeds = write(deployment.data_dir / "feeds.yaml", entries)

    log = produce_once(deployment, feeds)
    assert "3 added, 0 updated, 0 removed, 0 unchanged, 0 skipped" in log
    assert set(registry(deployment)) == {"gulf", "andes", "nile"}

    # Operators remove one feed and change another, as README "Operations" says.
    assert mediawatch(deployment, "feeds", "remove", "gulf").returncode == 0
    edited = mediawatch(deployment, "feeds", "add", "andes", urls["andes"], "--name",
                        "Andes Daily", "--update")
    assert edited.returncode == 0, edited.stderr

    # A producer pod restarts with the same file: the edits stay.
    log = produce_once(deployment, feeds)
    assert "0 added, 0 updated, 0 removed, 3 unchanged, 0 skipped" in log
    held = registry(deployment)
    assert set(held) == {"andes", "nile"}
    assert held["andes"]["name"] == "Andes Daily"

    # The file changes: nile leaves it (untouched since: removed), andes leaves it
    # (changed since: kept), delta comes in, gulf gets an interval (a change of the
    # file's: applied, so the feed is back).
    entries = [{"id": "gulf", "url": urls["gulf"], "name": "Gulf", "interval_seconds": 600},
               {"id": "delta", "url": urls["delta"], "name": "Delta"}]
    log = produce_once(deployment, write(feeds, entries))
    assert "2 added, 0 updated, 1 removed, 0 unchanged, 0 skipped" in log
    assert "feed andes left the file but was changed in the registry" in log
    held = registry(deployment)
    assert set(held) == {"gulf", "andes", "delta"}
    assert held["gulf"]["interval_seconds"] == 600 and held["andes"]["name"] == "Andes Daily"

    exported = mediawatch(deployment, "feeds", "export-opml")
    assert exported.returncode == 0 and "3 feeds" in exported.stderr


def test_a_url_registered_under_another_id_skips_the_entry_not_the_producer(
        deployment: Deployment, farm: FeedFarm) -> None:
    wire = farm.add("wire", "rss", items=[("a", "Talks in Geneva end")])
    other = farm.add("other", "rss", items=[("a", "Ministers meet in Cairo")])
    # The registry holds the wire's URL under an id of an OPML import.
    imported = mediawatch(deployment, "feeds", "add", "wire-3fa2c1", wire)
    assert imported.returncode == 0, imported.stderr
    feeds = write(deployment.data_dir / "feeds.yaml", [
        {"id": "wire", "url": wire, "name": "Wire"},
        {"id": "other", "url": other, "name": "Other"}])

    log = produce_once(deployment, feeds)
    errors = [line for line in log.splitlines() if "[ERROR]" in line]
    assert len(errors) == 1, log[-4000:]
    assert "feed wire" in errors[0] and "already registered as feed wire-3fa2c1" in errors[0]
    assert "1 added, 0 updated, 0 removed, 0 unchanged, 1 skipped" in log
    assert set(registry(deployment)) == {"wire-3fa2c1", "other"}

    # Once the conflict is resolved, the next start registers the entry.
    assert mediawatch(deployment, "feeds", "remove", "wire-3fa2c1").returncode == 0
    log = produce_once(deployment, feeds)
    assert "[ERROR]" not in log
    assert "1 added, 0 updated, 0 removed, 1 unchanged, 0 skipped" in log
    assert set(registry(deployment)) == {"wire", "other"}


async def test_producers_started_together_with_one_file_converge(
        deployment: Deployment) -> None:
    settings = deployment.settings()
    topic = deployment.topic("feeds")
    path = write(deployment.data_dir / "feeds.yaml", [
        {"id": f"wire-{n}", "url": f"https://wire{n}.example/rss"} for n in range(6)])
    feeds = load_feeds(path)

    reports = await asyncio.gather(*(apply_feeds_file(settings, str(path), feeds)
                                     for _ in range(3)))
    assert all(not r.skipped and not r.removed for r in reports)
    assert set(await read_catalog(settings)) == {f.id for f in feeds}

    # An operator removes a feed; three pods restart at once with the same file.
    assert mediawatch(deployment, "feeds", "remove", "wire-0").returncode == 0
    written = await end_offsets(deployment.bootstrap, topic)
    reports = await asyncio.gather(*(apply_feeds_file(settings, str(path), feeds)
                                     for _ in range(3)))
    assert [r.summary() for r in reports] == [
        "0 added, 0 updated, 0 removed, 6 unchanged, 0 skipped"] * 3
    assert await end_offsets(deployment.bootstrap, topic) == written  # nothing written
    assert set(await read_catalog(settings)) == {f"wire-{n}" for n in range(1, 6)}
