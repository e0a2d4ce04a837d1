from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from producers.markup import MAX_ATTRIBUTES
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
    parsed = parse_feed(FEED, RSS.encode(), NOW)
    entries = parsed.entries
    assert parsed.invalid == 2  # no title, no link
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
    assert len({e.keys for e in entries}) == 2
    assert first.country is None


def test_articles_carry_the_feed_home_country() -> None:
    feed = Feed(id="g", url="https://gulf.example/rss", name="Gulf", country="SA")
    articles = [e.article for e in parse_feed(feed, RSS.encode(), NOW).entries]
    assert articles and {a.country for a in articles} == {"SA"}


def test_atom_prefers_the_full_content() -> None:
    parsed = parse_feed(FEED, ATOM.encode(), NOW)
    (entry,) = parsed.entries
    assert parsed.invalid == 0
    assert entry.article.text == "Full body text."
    assert entry.article.published_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("body", [b"", b"<html><body>Not found</body></html>",
                                  b"<rss><channel><title>x</ti", b"\x00\x01\x02"])
def test_a_body_that_is_no_feed_raises_a_typed_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="feed f"):
        parse_feed(FEED, body, NOW)


@pytest.mark.parametrize("extra", [0, 1])
def test_an_element_crowded_with_attributes_is_not_parsed(extra: int) -> None:
    # feedparser's time is quadratic in one element's attributes: tens of thousands
    # would hold a producer for minutes to hours
    crowded = " ".join(f'data-n{i}="{i}"' for i in range(MAX_ATTRIBUTES + extra))
    body = RSS.replace("<item><title>Sans date</title>",
                       f"<item><title {crowded}>Sans date</title>").encode()
    if extra:
        with pytest.raises(FeedParseError, match=(
                f"feed f: not parsed: an element carries more than {MAX_ATTRIBUTES} "
                "attributes")):
            parse_feed(FEED, body, NOW)
    else:
        titles = [e.article.title for e in parse_feed(FEED, body, NOW).entries]
        assert titles == ["Premier titre", "Sans date"]


def test_a_truncated_feed_keeps_what_it_can() -> None:
    body = RSS.encode()[: RSS.index("<item><title>Sans date")]
    entries = parse_feed(FEED, body, NOW).entries
    assert [e.article.title for e in entries] == ["Premier titre"]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_entries_or_a_typed_error(body: bytes) -> None:
    try:
        parsed = parse_feed(FEED, body, NOW)
    except FeedParseError:
        return
    for entry in parsed.entries:  # whatever came through is a usable article
        assert entry.article.title.strip()
        assert entry.article.url.startswith(("https://", "http://"))
        assert entry.keys and entry.article.feed_id == FEED.id
    assert all(e.article.fetched_at == NOW for e in parsed.entries)


JSON_FEED = """{"version": "https://jsonfeed.org/version/1.1", "title": "Wire",
 "home_page_url": "https://wire.example/", "language": "es",
 "items": [
  {"id": "1", "url": "/mundo/cumbre", "title": "Cumbre en <i>Lima</i>",
   "content_html": "<p>Los ministros se reunieron.</p>",
   "date_published": "2026-11-27T10:00:00+01:00"},
  {"id": "2", "external_url": "https://other.example/x", "title": "Sin fecha",
   "content_text": "Texto plano."},
  {"id": "3", "url": "https://wire.example/no-title"},
  "not an item"
 ]}"""


def test_json_feed_is_parsed_by_hand() -> None:
    feed = Feed(id="j", url="https://wire.example/feed.json", name="Wire")
    parsed = parse_feed(feed, JSON_FEED.encode(), NOW, content_type="application/feed+json")
    assert parsed.invalid == 2
    first, second = (e.article for e in parsed.entries)
    assert first.url == "https://wire.example/mundo/cumbre"
    assert first.title == "Cumbre en Lima"
    assert first.text == "Los ministros se reunieron."
    assert first.lang == "es"
    assert first.published_at == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert second.url == "https://other.example/x"
    assert second.published_at == NOW and second.published_at_guessed
    # Recognised without a content type, by its first byte.
    assert len(parse_feed(feed, JSON_FEED.encode(), NOW).entries) == 2


@pytest.mark.parametrize("body", [b'{"version": "1", "items": []}', b"{not json",
                                  b'{"version": "https://jsonfeed.org/version/1"}'])
def test_json_that_is_no_json_feed_raises(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="feed f"):
        parse_feed(FEED, body, NOW)


def _rss(title: str, declaration: str | None) -> str:
    head = f'<?xml version="1.0" encoding="{declaration}"?>' if declaration else ""
    return (f'{head}<rss version="2.0"><channel><title>c</title><item><title>{title}</title>'
            f"<link>https://news.example/a</link><description>{title}: {title}"
            f"</description></item></channel></rss>")


@pytest.mark.parametrize(("title", "encoding", "declared", "language", "content_type"), [
    ("Санкции против банков продлены", "cp1251", "utf-8", None, None),       # lies
    ("Санкции против банков продлены", "cp1251", None, "ru", None),         # silent
    ("Réunion décisive à Genève", "utf-8", "iso-8859-1", None, None),        # lies
    ("Réunion décisive à Genève", "latin-1", None, "fr", None),              # silent
    ("Réunion décisive à Genève", "latin-1", None, None,
     "text/xml; charset=ISO-8859-1"),                                          # HTTP says
    ("العقوبات الجديدة على الشركات", "cp1256", "windows-1256", None, None),  # honest
    ("制裁措施今日生效", "gb18030", "utf-8", "zh", None),                     # lies
    # Short bodies that say UTF-8 and are not: the feed's language picks the encoding.
    ("عقوبات جديدة", "cp1256", "utf-8", "ar", None),
    ("Yeni yaptırımlar açıklandı", "cp1254", None, "tr", "application/rss+xml; charset=utf-8"),
    ("סנקציות חדשות", "cp1255", "UTF-8", "he", None),
])
def test_wrong_and_missing_encodings(title: str, encoding: str, declared: str | None,
                                     language: str | None, content_type: str | None) -> None:
    feed = Feed(id="e", url="https://news.example/rss", name="E", language=language)
    body = _rss(title, declared).encode(encoding)
    (entry,) = parse_feed(feed, body, NOW, content_type=content_type).entries
    assert entry.article.title == title


def test_an_entry_is_known_by_its_guid_and_by_its_url() -> None:
    (entry,) = parse_feed(FEED, ATOM.encode(), NOW).entries
    changed = ATOM.replace("<id>urn:e1</id>", "<id>urn:e1-v2</id>")
    (again,) = parse_feed(FEED, changed.encode(), NOW).entries
    assert entry.keys[0] == again.keys[0]   # same URL
    assert entry.keys[1] != again.keys[1]   # another GUID


def test_oversized_fields_are_capped_and_an_overlong_link_is_invalid() -> None:
    from streams.records import MAX_TEXT_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS

    long_link = "https://news.example/" + "a" * MAX_URL_CHARS
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{'T' * 2_000_000}</title><link>https://news.example/big</link>"
        f"<guid>{'g' * 5_000}</guid><description>{'word ' * 1_000_000}</description></item>"
        f"<item><title>Too far</title><link>{long_link}</link></item>"
        "<item><title>After them</title><link>https://news.example/after</link></item>"
        "</channel></rss>").encode()
    parsed = parse_feed(FEED, body, NOW)
    assert parsed.invalid == 1  # the overlong link: a cut URL would point elsewhere
    big, after = (e.article for e in parsed.entries)
    assert len(big.title) == MAX_TITLE_CHARS and big.title.endswith("…")
    assert len(big.text) <= MAX_TEXT_CHARS and big.text.endswith("…")
    assert big.guid is not None and big.guid.startswith("sha256:") and len(big.guid) < 100
    assert after.title == "After them"  # the entries after a huge one still count
    assert len(big.dumps()) < 1_000_000  # under the producer's request size


def test_the_link_a_reader_opens_is_the_articles_own_address() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            b"<item><title>Plain HTTP site</title>"
            b"<link>http://www.Plain.example/World/Story-1/?utm_source=rss&amp;page=2#top"
            b"</link></item></channel></rss>")
    (entry,) = parse_feed(FEED, body, NOW).entries
    # identifies: https, no www, lower-case host, sorted query, no trailing slash
    assert entry.article.url == "https://plain.example/World/Story-1?page=2"
    # opens: as published, tracking parameter and fragment gone
    assert entry.article.link == "http://www.Plain.example/World/Story-1/?page=2"


def test_a_guid_given_to_several_links_is_not_their_identity() -> None:
    items = "".join(f"<item><title>Bulletin {n}</title><link>https://news.example/b/{n}</link>"
                    f'<guid isPermaLink="false">{guid}</guid></item>'
                    for n, guid in [(1, "0"), (2, "0"), (3, "g3")])
    body = f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    first, second, third = parse_feed(FEED, body, NOW).entries
    assert first.article.guid is None and second.article.guid is None
    assert len(first.keys) == len(second.keys) == 1 and first.keys != second.keys
    assert third.article.guid == "g3" and len(third.keys) == 2


def test_a_body_of_images_alone_leaves_the_description() -> None:
    body = (b'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            b"<channel><title>T</title><item><title>Harbour reopens</title>"
            b"<link>https://news.example/harbour</link>"
            b"<description>The harbour reopened on Monday after two weeks of repairs to "
            b"the northern quay.</description>"
            b'<content:encoded><![CDATA[<p><img src="https://news.example/q.jpg"/></p>]]>'
            b"</content:encoded></item></channel></rss>")
    (entry,) = parse_feed(FEED, body, NOW).entries
    assert entry.article.text.startswith("The harbour reopened on Monday")


@pytest.mark.parametrize(("date", "guessed"), [
    ("Thu, 01 Jan 1970 00:00:00 GMT", True),    # a CMS's zero date
    ("Fri, 01 Jan 2100 00:00:00 GMT", True),    # years ahead
    ("Sun, 29 Nov 2026 11:00:00 GMT", False),   # a day ahead at most: clocks and zones
    ("Mon, 30 Nov 2026 13:00:00 GMT", True),
    ("Tue, 05 Mar 1996 10:00:00 GMT", False),   # an archive's date is a date
])
def test_an_implausible_date_is_no_date(date: str, guessed: bool) -> None:
    body = RSS.replace("Fri, 27 Nov 2026 16:00:00 +0100", date).encode()
    first = parse_feed(FEED, body, NOW).entries[0].article
    assert first.published_at_guessed is guessed
    assert (first.published_at == NOW) is guessed


def test_xml_served_as_json_is_read_as_xml() -> None:
    parsed = parse_feed(FEED, RSS.encode(), NOW, content_type="application/json")
    assert [e.article.title for e in parsed.entries] == ["Premier titre", "Sans date"]
    with pytest.raises(FeedParseError, match="not valid JSON"):
        parse_feed(FEED, b'{"version": ', NOW, content_type="application/feed+json")
