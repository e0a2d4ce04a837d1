from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from producers.parsing import parse_feed
from producers.registry import Feed
from streams.errors import FeedParseError

FEED = Feed(id="f", url="https://news.example/rss", name="Example News", language="fr")
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>T</title><link>https://news.example/</link>
<description>d</description>
<item><title>Premier &lt;b&gt;titre&lt;/b&gt;</title><link>/monde/article-1?utm_source=rss</link>
<guid isPermaLink="false">g1</guid><pubDate>Fri, 27 Nov 2026 16:00:00 +0100</pubDate>
<description><![CDATA[<p>Le <b>texte</b> de l'article.</p>]]></description></item>
<item><title>Sans date</title><link>https://news.example/monde/article-2</link></item>
<item><title></title><link>https://news.example/empty-title</link></item>
<item><title>Sans lien</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
<updated>2026-11-26T12:00:00Z</updated>
<entry><title>Entry</title><link href="https://atom.example/e1"/><id>urn:e1</id>
<updated>2026-11-26T09:00:00Z</updated>
<content type="html">&lt;p&gt;Full body text.&lt;/p&gt;</content>
<summary>Short</summary></entry></feed>"""


def test_rss_entries_become_articles() -> None:
    entries, invalid = parse_feed(FEED, RSS.encode(), NOW)
    assert invalid == 2  # no title, no link
    first, second = (e.article for e in entries)
    assert first.url == "https://news.example/monde/article-1"
    assert first.title == "Premier titre"
    assert first.text == "Le texte de l'article."
    assert first.published_at == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert not first.published_at_guessed
    assert first.guid == "g1"
    assert first.lang == "fr"
    assert first.source == "Example News"
    assert second.published_at == NOW and second.published_at_guessed
    assert len({e.key for e in entries}) == 2


def test_atom_prefers_the_full_content() -> None:
    (entry,), invalid = parse_feed(FEED, ATOM.encode(), NOW)
    assert invalid == 0
    assert entry.article.text == "Full body text."
    assert entry.article.published_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("body", [b"", b"<html><body>Not found</body></html>",
                                  b"<rss><channel><title>x</ti", b"\x00\x01\x02"])
def test_a_body_that_is_no_feed_raises_a_typed_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="feed f"):
        parse_feed(FEED, body, NOW)


def test_a_truncated_feed_keeps_what_it_can() -> None:
    body = RSS.encode()[: RSS.index("<item><title>Sans date")]
    entries, _invalid = parse_feed(FEED, body, NOW)
    assert [e.article.title for e in entries] == ["Premier titre"]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_entries_or_a_typed_error(body: bytes) -> None:
    try:
        entries, invalid = parse_feed(FEED, body, NOW)
    except FeedParseError:
        return
    assert invalid >= 0
    assert all(e.article.fetched_at == NOW for e in entries)
