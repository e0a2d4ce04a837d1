import pytest

from producers.registry import Feed, FeedsFileError, feed_id_for, parse_opml

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
