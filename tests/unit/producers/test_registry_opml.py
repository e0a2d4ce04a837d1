import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from producers.registry import (
    Feed,
    FeedsFileError,
    feed_id_for,
    load_feeds,
    parse_opml,
    to_opml,
)

OPML = """<?xml version="1.0"?>
<opml version="1.0"><head/><body>
  <outline text="Folder">
    <outline text="Le Monde diplomatique" xmlUrl="https://lmd.example/rss" language="fr"
             country="fr"/>
    <outline title="Новости" text="ignored" xmlUrl="http://novosti.example/feed"/>
  </outline>
  <outline text="No URL"/>
  <outline text="FTP" xmlUrl="ftp://x.example/rss"/>
  <outline xmlUrl="https://bare.example/atom"/>
</body></opml>"""


def test_opml_outlines_become_feeds() -> None:
    feeds = parse_opml(OPML)
    assert [f.url for f in feeds] == ["https://lmd.example/rss", "http://novosti.example/feed",
                                      "https://bare.example/atom"]
    lmd, novosti, bare = feeds
    assert lmd.id.startswith("le-monde-diplomatique-") and lmd.language == "fr"
    assert lmd.country == "FR" and novosti.country is None
    assert bare.country is None  # not an ISO code: left out
    assert lmd.name == "Le Monde diplomatique"
    assert novosti.name == "Новости" and novosti.id.startswith("feed-")
    assert bare.id == feed_id_for("https://bare.example/atom", "https://bare.example/atom")
    assert parse_opml(OPML) == feeds  # ids are stable


def test_a_feed_in_two_folders_of_an_export_is_one_feed() -> None:
    document = """<opml version="2.0"><body>
      <outline text="Gulf"><outline text="One name" xmlUrl="https://dup.example/rss"/></outline>
      <outline text="News"><outline text="Other name" xmlUrl="HTTP://www.dup.example/rss/"/>
        <outline text="Another" xmlUrl="https://another.example/rss"/></outline>
    </body></opml>"""
    assert [(f.name, f.url) for f in parse_opml(document)] == [
        ("One name", "https://dup.example/rss"), ("Another", "https://another.example/rss")]


@pytest.mark.parametrize("text", ["<opml><body>", "<rss/>", "not xml at all"])
def test_not_opml(text: str) -> None:
    with pytest.raises(FeedsFileError, match="OPML"):
        parse_opml(text)


def test_feed_json_round_trip_and_validation() -> None:
    feed = Feed(id="a", url="https://a.example/rss", name="A", language="ar",
                interval_seconds=90.0)
    assert Feed.from_json(feed.to_json()) == feed
    assert b"language" not in Feed(id="b", url="https://b.example/", name="B").to_json()
    with pytest.raises(FeedsFileError, match="feeds topic"):
        Feed.from_json(b'{"id": "x", "url": "gopher://x"}')
    with pytest.raises(FeedsFileError, match="not JSON"):
        Feed.from_json(b"\xff")


def test_export_imports_as_the_same_feeds() -> None:
    feeds = [
        Feed(id="wam-ar", url="https://wam.example/rss?lang=ar&x=1", name="وام & <Co>",
             language="ar", country="AE", interval_seconds=120.0),
        Feed(id="plain", url="http://plain.example/feed", name="plain"),
    ]
    document = to_opml(feeds)
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert sorted(parse_opml(document), key=lambda f: f.id) == sorted(feeds, key=lambda f: f.id)


def test_export_is_read_by_a_plain_opml_reader() -> None:
    document = to_opml([Feed(id="a", url="https://a.example/rss", name="A", language="fr")])
    root = ET.fromstring(document)
    (outline,) = root.iter("outline")
    assert root.get("version") == "2.0" and root.find("head/title") is not None
    assert outline.get("xmlUrl") == "https://a.example/rss"
    assert outline.get("text") == outline.get("title") == "A"
    assert outline.get("type") == "rss" and outline.get("language") == "fr"


def test_feeds_export_opml_command_writes_a_feeds_file_as_opml(tmp_path: Path) -> None:
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text(
        "feeds:\n"
        "  - {id: one, url: 'https://one.example/rss', name: One, country: EG}\n"
        "  - {id: two, url: 'https://two.example/atom', language: zh}\n", encoding="utf-8")
    out = tmp_path / "feeds.opml"
    done = subprocess.run(
        [sys.executable, "-m", "mediawatch", "feeds", "export-opml", "--file", str(feeds_file),
         "--output", str(out)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "2 feeds" in done.stderr
    assert parse_opml(out.read_bytes()) == load_feeds(feeds_file)
