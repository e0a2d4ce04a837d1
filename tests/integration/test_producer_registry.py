"""`mediawatch feeds` on the real broker, and a restarted producer that neither polls
early nor publishes again."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator

import pytest

from producers.registry import parse_opml

from .conftest import REPO, Deployment, FeedServer, end_offsets, loads, read_topic
from .producer_fixtures import FeedFarm, running_farm

pytestmark = pytest.mark.integration

OPML = """<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0"><head><title>Subscriptions</title></head><body>
<outline text="Wires">
  <outline type="rss" text="Gulf Wire" xmlUrl="https://gulf.wire.test/rss.xml" language="ar"/>
  <outline type="rss" text="Andes Daily" xmlUrl="https://andes.daily.test/feed"/>
</outline>
<outline type="link" text="Not a feed" url="https://example.test/"/>
</body></opml>
"""

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.test/</link>
<description>test</description>
<item><title>Ministers meet in Cairo</title><link>https://wire.test/good-1</link>
<guid>good-1</guid><description>The ministers met in Cairo on Monday.</description></item>
</channel></rss>
"""


@pytest.fixture
def farm() -> Iterator[FeedFarm]:
    with running_farm() as farm:
        yield farm


def feeds_cli(deployment: Deployment, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mediawatch.cli", "feeds", *argv], cwd=REPO,
                          env=deployment.env(), capture_output=True, text=True, timeout=120,
                          check=False)


def test_feeds_add_list_remove_opml_import_and_export(deployment: Deployment) -> None:
    added = feeds_cli(deployment, "add", "gulf", "https://gulf.wire.test/rss.xml",
                      "--name", "Gulf Wire", "--language", "ar")
    assert added.returncode == 0, added.stderr
    assert "added 1: gulf" in added.stdout

    # The same feed under another id and another spelling of its URL is refused, and
    # the message names the feed registered already.
    duplicate = feeds_cli(deployment, "add", "gulf-again",
                          "HTTPS://www.Gulf.Wire.test:443/rss.xml?utm_source=x#top")
    assert duplicate.returncode == 2
    assert "already registered as feed gulf" in duplicate.stderr

    opml = deployment.data_dir / "subs.opml"
    opml.write_text(OPML)
    refused = feeds_cli(deployment, "import-opml", str(opml))
    assert refused.returncode == 2 and "feed gulf" in refused.stderr
    opml.write_text(OPML.replace('xmlUrl="https://gulf.wire.test/rss.xml" ', 'xmlUrl="" '))
    imported = feeds_cli(deployment, "import-opml", str(opml), "--language", "es")
    assert imported.returncode == 0, imported.stderr
    assert "added 1: andes-daily-" in imported.stdout

    listed = feeds_cli(deployment, "list", "--json")
    feeds = {f["id"]: f for f in map(loads, listed.stdout.encode().splitlines())}
    assert set(feeds) == {"gulf", next(i for i in feeds if i.startswith("andes-daily-"))}
    andes = next(f for i, f in feeds.items() if i != "gulf")
    assert andes["language"] == "es" and andes["url"] == "https://andes.daily.test/feed"
    assert feeds["gulf"]["language"] == "ar"

    # The registry exported as OPML imports as the same feeds (ids, languages).
    exported = feeds_cli(deployment, "export-opml")
    assert exported.returncode == 0, exported.stderr
    assert {(f.id, f.url, f.language) for f in parse_opml(exported.stdout.encode())} == {
        (i, f["url"], f.get("language")) for i, f in feeds.items()}

    removed = feeds_cli(deployment, "remove", "gulf")
    assert removed.returncode == 0 and "removed gulf" in removed.stdout
    assert "gulf\t" not in feeds_cli(deployment, "list").stdout
    # Once removed, its URL may be registered again under the new id.
    again = feeds_cli(deployment, "add", "gulf-again", "https://gulf.wire.test/rss.xml")
    assert again.returncode == 0, again.stderr
    missing = feeds_cli(deployment, "remove", "no-such-feed")
    assert missing.returncode == 2 and "no feed 'no-such-feed'" in missing.stderr


def test_restarted_producer_waits_for_the_interval_and_publishes_nothing_again(
        deployment: Deployment, farm: FeedFarm) -> None:
    interval = 5.0
    url = farm.add("wire", "changing_guids", items=[("a", "Talks in Geneva end"),
                                                    ("b", "Ministers meet in Cairo")])
    assert feeds_cli(deployment, "add", "wire", url, "--interval", str(interval)).returncode == 0
    env = {"MEDIAWATCH_FEED_MIN_INTERVAL_SECONDS": str(interval),
           "MEDIAWATCH_FEED_MAX_INTERVAL_SECONDS": str(interval)}
    raw = deployment.topic("articles.raw")

    first = deployment.mediawatch("produce", log_name="producer-1", **env)
    farm.wait_for(lambda: farm.count("wire") >= 1, 60, "the first poll",
                  alive=deployment.check_alive)
    farm.wait_for(lambda: "published 2 new entries" in deployment.log("producer-1"), 30,
                  "the first entries published", alive=deployment.check_alive)
    first.terminate()
    assert first.wait(timeout=60) == 0
    before = farm.log("wire")[-1].at

    # The feed gets a third entry (and, as always with this feed, new GUIDs).
    farm.set_items("wire", [("c", "Summit postponed"), ("a", "Talks in Geneva end"),
                            ("b", "Ministers meet in Cairo")])
    second = deployment.mediawatch("produce", log_name="producer-2", **env)

    def alive() -> None:
        assert second.poll() is None, deployment.log("producer-2")[-4000:]

    farm.wait_for(lambda: farm.count("wire") >= 2, 60, "the poll after the restart",
                  alive=alive)
    after = farm.log("wire")[1].at
    assert after - before >= interval - 0.05, "the restarted producer polled early"
    farm.wait_for(lambda: "published 1 new entries" in deployment.log("producer-2"), 30,
                  "the new entry published", alive=alive)
    # One more poll of the changed-GUID feed by the new owner publishes nothing.
    farm.wait_for(lambda: farm.count("wire") >= 3, interval + 30, "one more poll",
                  alive=alive)
    assert asyncio.run(end_offsets(deployment.bootstrap, raw)) == 3
    titles = [loads(v)["title"] for _k, v in asyncio.run(read_topic(deployment.bootstrap,
                                                                     raw, count=3))]
    assert sorted(titles) == ["Ministers meet in Cairo", "Summit postponed",
                              "Talks in Geneva end"]


def test_feeds_remove_removes_every_feed_given_or_none(deployment: Deployment) -> None:
    for feed_id in ("alpha", "beta", "gamma"):
        added = feeds_cli(deployment, "add", feed_id, f"https://{feed_id}.wire.test/rss.xml")
        assert added.returncode == 0, added.stderr

    def listed() -> set[str]:
        result = feeds_cli(deployment, "list")
        assert result.returncode == 0, result.stderr
        return {line.split("\t")[0] for line in result.stdout.splitlines()}

    # One unknown id among known ones: nothing is removed, and every unknown id is named.
    refused = feeds_cli(deployment, "remove", "alpha", "nosuch", "beta", "other")
    assert refused.returncode == 2, refused.stderr
    assert refused.stdout == ""
    assert refused.stderr.splitlines()[-1] == ("mediawatch: error: no feeds 'nosuch', "
                                               "'other' are registered; nothing was removed")
    assert listed() == {"alpha", "beta", "gamma"}

    removed = feeds_cli(deployment, "remove", "alpha", "beta", "alpha")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == ("removed alpha (https://alpha.wire.test/rss.xml)\n"
                              "removed beta (https://beta.wire.test/rss.xml)\n")
    assert listed() == {"gamma"}


def test_produce_once_ends_with_status_1_naming_the_feeds_it_could_not_read(
        deployment: Deployment, feed_server: FeedServer) -> None:
    good = feed_server.write("good.xml", FEED)
    feeds = deployment.data_dir / "feeds.yaml"
    feeds.write_text(f"feeds:\n  - {{id: good, url: '{good}'}}\n"
                     f"  - {{id: gone, url: '{feed_server.url}/gone.xml'}}\n")

    def produce_once() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mediawatch.cli", "produce", "--feeds",
                               str(feeds), "--once"], cwd=REPO, env=deployment.env(),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120, check=False)

    failed = produce_once()
    assert failed.returncode == 1, failed.stderr[-4000:]
    assert failed.stdout == "polled 2 feeds: published 1 entries; failed: gone\n"

    # Once the feed is there, its poll is a success; the other one is not modified.
    feed_server.write("gone.xml", FEED.replace("good-1", "gone-1"))
    read = produce_once()
    assert read.returncode == 0, read.stderr[-4000:]
    assert read.stdout == "polled 2 feeds: published 1 entries\n"
