"""Bounded-time fuzzing of everything that reads outside input: any input in, a value
or the documented error out, never another exception.

Targets and their contracts:

- ``producers.parsing.parse_feed``: any body, content type and declared encoding give
  a ``ParsedFeed`` or ``FeedParseError``; every article it returns has a title, an
  http(s) URL, fields within the caps of ``streams.records`` and JSON that the
  consumers' decoder takes back.
- ``streams.records.decode`` / ``parse_article`` and
  ``streams.cloudevents.alert_from_event``: any payload or JSON value gives a record
  or ``PoisonMessageError``.
- ``analysis.rules.parse_rules``: any YAML gives a ``RuleSet`` or ``RulesError``; a
  rule set that loads evaluates any analysis as its docstring says.
- ``analysis.analyze_lines``, ``analysis.dedup.dedup_lines`` and the CLI's line reader:
  one output line per non-blank input line, a bad line an error record, no traceback;
  ``analysis.analyze`` never raises on any text.

Bounded time: the hypothesis profile ``fuzz`` (no deadline, no example database
written, new random examples each run) has ``MEDIAWATCH_FUZZ_EXAMPLES`` examples
(default 100); each target runs a multiple of that, larger for the cheap ones (see
``fuzz(...)`` on each). The default keeps the whole file to about 30 seconds on two
cores, within the minute ``make test`` allows it. For a longer local run, scale up::

    MEDIAWATCH_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/unit/test_fuzz.py -q

A failure prints the smallest input found (and a ``@reproduce_failure`` blob). Every
such crash becomes a regression case: an ``@example`` on its property naming what it
exercised, next to the fix of the code under test.
"""

from __future__ import annotations

import codecs
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from unittest import mock
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

import orjson
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis import Analysis, Document, analyze, analyze_lines
from analysis.dedup import dedup_lines
from analysis.rules import (
    BILATERAL_MEETING,
    BUILTIN_ROUTES,
    EVENT_TYPES,
    SANCTIONS_RHETORIC,
    SEVERITIES,
    STANCES,
    RulesError,
    RuleSet,
    dyad_matches,
    evaluate,
    parse_rules,
)
from mediawatch import cli
from producers.parsing import ParsedFeed, parse_feed
from producers.registry import Feed
from streams.cloudevents import EVENT_TYPE, SPEC_VERSION, alert_from_event
from streams.errors import FeedParseError, PoisonMessageError
from streams.records import (
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    Alert,
    Article,
    TaggedArticle,
    decode,
    dump,
    parse_article,
)

# ---------------------------------------------------------------- the fuzz profile


def _base_examples() -> int:
    raw = os.environ.get("MEDIAWATCH_FUZZ_EXAMPLES", "").strip()
    if not raw:
        return 100
    if not re.fullmatch("[0-9]+", raw) or int(raw) < 1:
        raise ValueError(f"MEDIAWATCH_FUZZ_EXAMPLES must be a positive whole number, "
                         f"got {raw!r}")
    return int(raw)


settings.register_profile("fuzz", max_examples=_base_examples(), deadline=None,
                          database=None, derandomize=False, print_blob=True)
FUZZ = settings.get_profile("fuzz")


def fuzz(share: float) -> settings:
    """The fuzz profile with ``share`` times its examples (slow targets get less)."""
    return settings(FUZZ, max_examples=max(1, round(FUZZ.max_examples * share)))


NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
FEED = Feed(id="fuzz", url="https://news.example.org/rss.xml", name="Fuzz News")
FEED_RU = Feed(id="fuzz-ru", url="https://news.example.org/ru/rss.xml", name="Fuzz RU",
               language="ru", country="RU")

#: Characters that html_to_text / inert promise never to leave in feed text.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# ---------------------------------------------------------------- shared strategies


def rarely(valid: st.SearchStrategy[Any], other: st.SearchStrategy[Any],
           one_in: int = 20) -> st.SearchStrategy[Any]:
    """``other`` one time in ``one_in``, else ``valid``: a document of many fields is
    still often valid but for one of them."""
    return st.integers(1, one_in).flatmap(lambda n: other if n == one_in else valid)


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**64 - 1),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)

#: Times at the edges of what datetime holds, with offsets that push them past.
EDGE_TIMES = [
    "0001-01-01T00:00:00+05:00", "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-05:00",
    "9999-12-31T23:59:59.999999+00:00", "2026-11-28T12:00:00", "2026-11-28",
    "2026-11-28T12:00:00Z", "2026-11-28T12:00:00+23:59", "2026-11-28T12:00:00+24:00",
    "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "T", "Z", "", "0", "+00:00",
    "2026-11-28T12:00:00\x00+00:00", "２０２６-11-28T12:00:00Z",
]
offsets = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes)))
aware_times = st.builds(lambda naive, tz: naive.replace(tzinfo=tz), st.datetimes(), offsets)
time_strings = st.one_of(st.sampled_from(EDGE_TIMES), aware_times.map(datetime.isoformat),
                         st.datetimes().map(datetime.isoformat), st.text(max_size=30))

ODD_LINKS = [
    "", " ", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
    "mailto:desk@example.org", "//cdn.example.org/a", "/relative/path?utm_source=rss",
    "relative", "../../up", "?q=1", "#fragment", "http://[::1", "http://[::1]:80/a",
    "http://[fe80::1%25eth0]/", "http://example.org:99999/", "http://example.org:-1/",
    "http://:80/", "http://", "https:///path", "http://user:pw@example.org/a",
    "http://exa mple.org/a", "http://ex\u0000ample.org/", "http://\u2100.example/",
    "https://例え.テスト/記事", "https://xn--r8jz45g.example/", "HTTP://EXAMPLE.ORG/A",
    "https://m.www.amp.example.org/a/amp/", "ftp://example.org/a", "file:///etc/passwd",
    "https://example.org/" + "a" * (MAX_URL_CHARS + 10), "https://example.org/\ud800",
    "https://example.org/a?x=\ud800&utm_medium=x", "http://a.b/\t\n", "\u202ehttps://a.b/",
]
links = st.one_of(st.sampled_from(ODD_LINKS), st.text(max_size=40),
                  st.text(max_size=40).map(lambda path: "https://news.example.org/" + path))
BASE_URLS = [None, "https://news.example.org/section/rss.xml", "http://[2001:db8::1]:8080/f",
             "https://例え.テスト/rss", "https://news.example.org/a/b/?feed=1"]

ENTITY_REFS = [
    "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&eacute;", "&hellip;", "&#65;",
    "&#x41;", "&#0;", "&#x0;", "&#xD800;", "&#55296;", "&#xDFFF;", "&#x110000;",
    "&#1114112;", "&#xFFFE;", "&#x1F600;", "&#x202E;", "&#27;", "&#99999999999999999999;",
    "&bogus;", "&", "&#;", "&#x;", "&ent;", "&ext;", "&lol2;", "&#55357;&#56832;",
    "&#xD83D;&#xDE00;", "&#xDE00;&#xD83D;", "&#" + "9" * 5000 + ";", "&#x" + "0" * 40 + "41;",
    "&amp;#55296;", "&amp;#" + "9" * 5000 + ";",
]
ODD_PIECES = [
    "<b>", "</i>", "<p>", "<br/>", "<script>alert(1)</script>", "<style>p{}</style>",
    "]]>", "<!-- c -->", "<!--", "<?pi x?>", "<![CDATA[", "\u202e", "\u2066", "\x00",
    "\x1b[31m", "\ufeff", "\ud800", "\udfff", "\u0301" * 8, "\r\n", "\x85", "\u2028",
    "<a href='javascript:x'>", "<img src=x onerror=y>", "<", ">", "&", "'", '"',
]
TAGS = ["b", "i", "p", "div", "span", "a", "script", "title", "item", "entry", "x:y"]

fragments = rarely(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(ENTITY_REFS),
        st.sampled_from(ODD_PIECES),
        st.text(max_size=30).map(lambda s: f"<![CDATA[{s}]]>"),
        st.tuples(st.sampled_from(TAGS), st.text(max_size=20)).map(
            lambda p: f"<{p[0]}>{p[1]}</{p[0]}>")),
    # now and then a long run: just past the title, URL or text cap
    st.tuples(st.text(min_size=1, max_size=4),
              st.sampled_from([MAX_TITLE_CHARS, MAX_URL_CHARS, MAX_TEXT_CHARS])).map(
        lambda p: (p[0] + " ") * (p[1] // (len(p[0]) + 1) + 1)),
    one_in=15)
markup = st.lists(fragments, max_size=6).map("".join)
# Markup left as it is (often not well-formed) or escaped into character data.
field_text = st.one_of(markup, markup.map(xml_escape), st.text(max_size=60).map(xml_escape))

RFC822 = ["Fri, 27 Nov 2026 16:00:00 +0100", "27 Nov 2026 16:00 GMT",
          "Mon, 01 Jan 0001 00:00:00 +1400", "Fri, 31 Dec 9999 23:59:59 -1400",
          "Sun, 31 Dec 99999 23:59:59 GMT",
          "Thu, 01 Jan 1970 00:00:00 +0000", "2026-11-27T16:00:00+01:00",
          "2026-11-27T16:00:00Z", "0000-00-00T00:00:00Z", "9999-12-31T23:59:59-14:00",
          "-2026-11-27", "2026-W48-5", "yesterday", ""]
feed_dates = st.one_of(st.sampled_from(RFC822), time_strings)

#: Names a feed may declare as its encoding, some not text encodings at all.
CHARSETS = ["utf-8", "UTF8", "utf-16", "utf-16le", "utf-32", "iso-8859-1", "latin1",
            "windows-1251", "cp1256", "koi8-r", "gb18030", "gb2312", "big5", "shift_jis",
            "euc-jp", "euc-kr", "utf-7", "idna", "punycode", "undefined", "unicode_escape",
            "raw_unicode_escape", "rot13", "hex", "base64", "zlib", "uu", "mbcs",
            "x-user-defined", "ascii", "bogus-encoding", "utf-8-sig", "cp65001", "cp037"]
content_types = st.one_of(
    st.none(),
    st.sampled_from(["application/rss+xml", "application/atom+xml", "text/xml",
                     "application/json", "application/feed+json", "text/html",
                     "text/plain; charset=", "charset=\"utf-8\"", ""]),
    st.sampled_from(CHARSETS).map(lambda name: f"text/xml; charset={name}"),
    st.text(max_size=40),
)
feeds = st.sampled_from([FEED, FEED_RU,
                         Feed(id="fuzz-zh", url="https://news.example.org/zh", name="Z",
                              language="zh"),
                         Feed(id="fuzz-xx", url="https://news.example.org/xx", name="X",
                              language="xx-YY")])


@st.composite
def mutated(draw: st.DrawFn, body: bytes) -> bytes:
    """``body`` truncated, with bytes inserted, deleted or flipped (or left alone)."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(body)))
        kind = draw(st.sampled_from(["truncate", "insert", "delete", "flip"]))
        if kind == "truncate":
            body = body[:at]
        elif kind == "insert":
            body = body[:at] + draw(st.binary(min_size=1, max_size=8)) + body[at:]
        elif kind == "delete":
            body = body[:at] + body[at + draw(st.integers(1, 16)):]
        elif at < len(body):
            body = body[:at] + bytes([body[at] ^ draw(st.integers(1, 255))]) + body[at + 1:]
    return body


HTML_TYPE = ' type="html"'


def _element(name: str, value: str | None, attrs: str = "") -> str:
    return "" if value is None else f"<{name}{attrs}>{value}</{name}>"


@st.composite
def xml_feeds(draw: st.DrawFn) -> bytes:
    """An RSS 0.91/2.0, RSS 1.0 (RDF) or Atom document, mostly well-formed, with odd
    titles, links, GUIDs, dates, entities, CDATA and encodings, then maybe mutated."""
    kind = draw(st.sampled_from(["rss2", "rss091", "rdf", "atom"]))
    optional = st.one_of(st.none(), field_text)
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        title, text = draw(optional), draw(optional)
        link = draw(st.one_of(st.none(), links.map(xml_escape), links))
        guid, date = draw(st.one_of(st.none(), field_text)), draw(st.one_of(st.none(),
                                                                              feed_dates))
        huge = draw(rarely(st.just(""), st.sampled_from([10, 5000, 50_000]).map(
            lambda n: f' data-x="{"x" * n}"'), one_in=8))  # huge attribute values
        if kind == "atom":
            link_element = "" if link is None else f'<link rel="alternate" href="{link}"/>'
            ttype = draw(st.sampled_from(["", ' type="html"', ' type="text"',
                                          ' type="xhtml"']))
            entries.append(
                f"<entry{huge}>{_element('title', title, ttype)}{link_element}"
                f"{_element('id', guid)}{_element('updated', date)}"
                f"{_element('published', draw(st.one_of(st.none(), feed_dates)))}"
                f"{_element('summary', text, HTML_TYPE)}"
                f"{_element('content', draw(optional), HTML_TYPE)}</entry>")
        elif kind == "rdf":
            about = xml_escape(link or "", {'"': "&quot;"})
            entries.append(
                f'<item rdf:about="{about}"{huge}>{_element("title", title)}'
                f"{_element('link', link)}{_element('dc:date', date)}"
                f"{_element('description', text)}</item>")
        else:
            perma = draw(st.sampled_from(["", ' isPermaLink="false"', ' isPermaLink="true"']))
            entries.append(
                f"<item{huge}>{_element('title', title)}{_element('link', link)}"
                f"{_element('guid', guid, perma)}{_element('pubDate', date)}"
                f"{_element('description', text)}"
                f"{_element('content:encoded', draw(optional))}</item>")
    language = draw(st.sampled_from(["", "ru", "zh-CN", "ar", "x" * 300, "\u202e"]))
    head = f"<title>{draw(field_text)}</title><link>{xml_escape(draw(links))}</link>"
    items = "".join(entries)
    if kind == "atom":
        base = xml_escape(draw(links), {'"': "&quot;"})
        document = (f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}" '
                    f'xml:base="{base}">'
                    f"{head}{items}</feed>")
    elif kind == "rdf":
        document = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns="http://purl.org/rss/1.0/" '
                    'xmlns:dc="http://purl.org/dc/elements/1.1/">'
                    f'<channel rdf:about="https://news.example.org/">{head}</channel>'
                    f"{items}</rdf:RDF>")
    else:
        version = "2.0" if kind == "rss2" else "0.91"
        document = (f'<rss version="{version}" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
                    f"<channel>{head}<language>{language}</language>{items}</channel></rss>")
    doctype = draw(st.sampled_from([
        "",
        '<!DOCTYPE rss [<!ENTITY ent "an &amp; entity">]>',
        '<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE rss [<!ENTITY ext SYSTEM "file:///etc/hostname">]>',
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">',
    ]))
    declared = draw(st.one_of(st.none(), st.sampled_from(CHARSETS)))
    declaration = "" if declared is None else (
        f'<?xml version="1.0" encoding="{declared}"?>')
    text = declaration + doctype + document
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                     "windows-1251", "latin-1", "gb18030", "shift_jis"]))
    errors = "surrogatepass" if encoding.startswith("utf") else "xmlcharrefreplace"
    body = text.encode(encoding, errors)
    body = draw(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                 codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE])) + body
    return draw(mutated(body))


@st.composite
def json_feeds(draw: st.DrawFn) -> bytes:
    """A JSON Feed with odd members, maybe not one at all, then maybe mutated."""
    odd = st.one_of(json_values, st.text(max_size=20))
    item = st.fixed_dictionaries({}, optional={
        "id": st.one_of(st.text(max_size=3000), json_values),
        "url": st.one_of(links, odd), "external_url": st.one_of(links, odd),
        "title": st.one_of(markup, odd), "content_html": st.one_of(markup, odd),
        "content_text": odd, "summary": st.one_of(markup, odd),
        "date_published": st.one_of(time_strings, odd),
        "date_modified": st.one_of(time_strings, odd),
        "language": odd,
    })
    document = draw(st.fixed_dictionaries(
        {"version": st.one_of(st.sampled_from(["https://jsonfeed.org/version/1",
                                               "https://jsonfeed.org/version/1.1"]), odd),
         "items": st.one_of(st.lists(st.one_of(item, json_values), max_size=5), odd)},
        optional={"home_page_url": st.one_of(links, odd), "language": odd,
                  "title": odd}))
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    body = draw(st.sampled_from([b"", codecs.BOM_UTF8, b" \r\n"])) + text.encode(
        "utf-8", "surrogatepass")
    return draw(mutated(body))


feed_bodies = st.one_of(st.binary(max_size=2000), xml_feeds(), json_feeds())


def check_feed(feed: Feed, parsed: ParsedFeed) -> None:
    assert parsed.invalid >= 0
    for entry in parsed.entries:
        article = entry.article
        assert article.title.strip() and len(article.title) <= MAX_TITLE_CHARS
        assert len(article.text) <= MAX_TEXT_CHARS
        assert len(article.url) <= MAX_URL_CHARS
        assert article.guid is None or len(article.guid) <= MAX_URL_CHARS
        parts = urlsplit(article.url)
        assert parts.scheme in ("http", "https") and parts.hostname
        assert parts.port is None or parts.port >= 0  # readable: no ValueError
        assert not UNSAFE.search(article.title) and not UNSAFE.search(article.text)
        assert article.feed_id == feed.id and article.fetched_at == NOW
        assert article.published_at is not None and article.published_at.tzinfo is not None
        assert entry.keys
        # What the producer publishes, the consumers read back.
        assert parse_article(article.to_json())["url"] == article.url


# ---------------------------------------------------------------- 1. the feed parser


def rss(item: str) -> bytes:
    """A well-formed RSS 2.0 document of one item."""
    return (f'<rss version="2.0"><channel><title>c</title><item>{item}</item></channel></rss>'
            ).encode()


LINK = "<link>https://news.example.org/a</link>"


def feed_case(body: bytes, content_type: str | None = None) -> Any:
    return example(feed=FEED, body=body, content_type=content_type, base_url=None)


@fuzz(6)
@given(feed=feeds, body=feed_bodies, content_type=content_types,
       base_url=st.sampled_from(BASE_URLS))
# A reference to a lone surrogate in XML that is not well-formed: feedparser's lenient
# parser did chr(55296).encode() (UnicodeEncodeError).
@feed_case(b"<>&#55296;")
# A reference beyond U+10FFFF there: chr() raised ValueError.
@feed_case(b"<>&#2000000;")
# A UTF-16 byte order mark before a body that is no UTF-16: handed to feedparser
# undecoded, past the repair of references (the same UnicodeEncodeError).
@feed_case(b"\xfe\xff<>&#55296;")
# An escaped reference of 5,000 digits in HTML content, in a well-formed feed:
# feedparser's HTML processing did int() of it (ValueError: 4,300 digits at most).
@feed_case(rss(f"<title>t</title>{LINK}<description>&amp;#{'9' * 5000};</description>"))
# An unparsable pubDate and no other date: feedparser's get("updated_parsed") fell back
# to the published date with a DeprecationWarning (an error under pytest).
@feed_case(rss(f"<title>t</title>{LINK}<pubDate>not a date</pubDate>"))
# An IPv6 host: canonical_url drops its brackets, "https://::1/a" has no host.
@feed_case(rss("<title>t</title><link>http://[::1]/a</link>"))
# HTTP charsets that are no encodings of a document: "undefined" raised UnicodeError,
# unicode_escape made a lone surrogate and then UnicodeEncodeError.
@feed_case(b"<rss>\xff</rss>", "text/xml; charset=undefined")
@feed_case(rss(f"<title>\\ud800</title>{LINK}").replace(b"</title>", b"\xff</title>"),
           "text/xml; charset=unicode_escape")
# An invalid escape for unicode_escape: a DeprecationWarning (an error under pytest).
@feed_case(b"\\\x80", "text/xml; charset=unicode_escape")
# JSON Feed: a date in year 1 with a positive offset is year 0 in UTC (OverflowError);
# a title of markup alone gave an article with an empty title.
@feed_case(b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": '
           b'"https://news.example.org/a", "title": "t", '
           b'"date_published": "0001-01-01T00:00:00+05:00"}]}')
@feed_case(b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": '
           b'"https://news.example.org/a", "title": "<b></b>"}]}')
def test_parse_feed_gives_articles_or_a_feed_parse_error(
        feed: Feed, body: bytes, content_type: str | None, base_url: str | None) -> None:
    try:
        parsed = parse_feed(feed, body, NOW, base_url=base_url, content_type=content_type)
    except FeedParseError as exc:
        assert str(exc).startswith(f"feed {feed.id}: ")
        return
    check_feed(feed, parsed)


@pytest.mark.parametrize(("title", "expected"), [
    ("&#55357;&#56832; emoji", "😀 emoji"),          # a UTF-16 pair as two references
    ("&#xD83D;&#xDE00; emoji", "😀 emoji"),
    ("lone &#xD800; surrogate", "lone \ufffd surrogate"),
    ("far &#1114112; beyond", "far \ufffd beyond"),
    (f"long &#{'9' * 5000}; ref", "long \ufffd ref"),
    (f"padded &#{'0' * 5000}65; ref", "padded A ref"),
    ("a&#27;b&#0;c", "abc"),                           # control characters go
    ("kept &#65; &#x263A; &amp; refs", "kept A ☺ & refs"),
])
def test_references_xml_cannot_carry_are_repaired(title: str, expected: str) -> None:
    (entry,) = parse_feed(FEED, rss(f"<title>{title}</title>{LINK}"), NOW).entries
    assert entry.article.title == expected


def test_utf16_and_utf32_bodies_are_read_as_such() -> None:
    item = rss(f"<title>Заголовок</title>{LINK}").decode()
    document = f'<?xml version="1.0" encoding="utf-16"?>{item}'
    for encoding in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        parsed = parse_feed(FEED, document.encode(encoding), NOW)
        assert [e.article.title for e in parsed.entries] == ["Заголовок"], encoding


# ---------------------------------------------------------------- 2. record decoders

ARTICLE_VALID: dict[str, Any] = {
    "id": "0123456789abcdef0123", "url": "https://example.org/a", "feed_id": "f",
    "source": "Example", "title": "Title", "text": "Text",
    "fetched_at": "2026-11-28T12:00:00+00:00", "guid": "g", "lang": "en",
    "published_at": "2026-11-28T11:00:00+01:00", "published_at_guessed": False,
    "story_id": "s", "country": "FR",
}
ALERT_VALID: dict[str, Any] = {
    "alert_id": "a", "version": 1, "rule": "r", "severity": "high",
    "event_type": BILATERAL_MEETING, "story_id": "s", "article_id": "a1", "title": "T",
    "url": "https://example.org/a", "source": "S", "lang": "en", "countries": ["CN", "RU"],
    "regions": ["europe"], "keywords": ["diplomacy"], "evidence": "E",
    "created_at": "2026-11-28T12:00:00+00:00", "published_at": None,
    "parties": ["CN", "RU"], "modality": "call", "stance": None, "routes": ["console"],
    "source_count": 2, "languages": ["en"], "spans": [[0, 1, "E", "party"]],
    "feed_id": "f", "story_key": "k",
}
FAUST_META = st.one_of(
    json_values,
    st.sampled_from(["streams.records.Article", "streams.records.Alert",
                     "streams.records.TaggedArticle", "bogus.Record", ""]).map(
        lambda ns: {"ns": ns}))


MISSING = object()


def _field(name: str, value: Any) -> st.SearchStrategy[Any]:
    """A valid value of the field, another one, or (one time in eight) a wrong one or
    none at all."""
    if name.endswith("_at") and value is not None:
        valid = st.one_of(st.just(value), aware_times.map(datetime.isoformat))
    elif isinstance(value, str):
        valid = st.one_of(st.just(value), st.text(max_size=20))
    else:
        valid = st.just(value)
    return rarely(valid, st.one_of(st.just(MISSING), json_values, time_strings), one_in=8)


def record_like(valid: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``valid`` with fields given other values, wrong ones or none, and sometimes
    unknown fields or Faust's metadata besides."""
    fields = st.fixed_dictionaries({name: _field(name, value) for name, value in valid.items()})
    present = fields.map(lambda d: {k: v for k, v in d.items() if v is not MISSING})
    return rarely(present, st.tuples(present, st.dictionaries(
        st.sampled_from(["__faust", "unknown", "self", "__init__"]),
        st.one_of(FAUST_META, json_values), min_size=1)).map(lambda p: {**p[0], **p[1]}),
        one_in=4)


articles_like = record_like(ARTICLE_VALID)
alerts_like = record_like(ALERT_VALID)
tagged_like = st.tuples(record_like({
    "article": ARTICLE_VALID, "lang": "en", "countries": ["FR"], "regions": [],
    "keywords": [], "events": [{"type": BILATERAL_MEETING, "parties": ["CN", "RU"]}],
    "sanctions_rhetoric": {"present": False}, "tagged_at": "2026-11-28T12:00:00+00:00",
}), articles_like).map(lambda p: {**p[0], "article": p[1]} if "article" in p[0] else p[0])


def payloads(objects: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes | None]:
    """JSON of ``objects`` (then maybe mutated), or anything else a topic may carry."""
    encoded = objects.map(lambda obj: json.dumps(obj).encode())
    return st.one_of(encoded, encoded, encoded, encoded.flatmap(mutated), st.none(),
                     st.binary(max_size=200), json_values.map(orjson.dumps))


def assert_aware(record: Any) -> None:
    for name in record._options.fields:
        value = getattr(record, name)
        if isinstance(value, datetime):
            assert value.tzinfo is not None, name


Record = Article | TaggedArticle | Alert
decode_cases = st.one_of(
    st.tuples(st.just(Article), payloads(articles_like)),
    st.tuples(st.just(TaggedArticle), payloads(tagged_like)),
    st.tuples(st.just(Alert), payloads(alerts_like)),
    st.tuples(st.sampled_from([Article, TaggedArticle, Alert]),
              payloads(st.one_of(articles_like, tagged_like, alerts_like))))


@fuzz(4)
@given(case=decode_cases)
def test_decode_gives_the_record_or_a_poison_message_error(
        case: tuple[type[Record], bytes | None]) -> None:
    record_type, payload = case
    try:
        record = decode(record_type, payload)
    except PoisonMessageError:
        return
    assert isinstance(record, record_type)
    assert_aware(record)


ARTICLE_KEYS = set(Article._options.fields)


@fuzz(4)
@given(payload=payloads(articles_like))
# Year 1 with a positive offset is year 0 in UTC: astimezone raised OverflowError.
@example(payload=orjson.dumps({**ARTICLE_VALID, "published_at": "0001-01-01T00:00:00+05:00"}))
def test_parse_article_gives_a_checked_dict_or_a_poison_message_error(
        payload: bytes | None) -> None:
    try:
        article = parse_article(payload)
    except PoisonMessageError:
        return
    assert set(article) == ARTICLE_KEYS
    assert all(isinstance(article[name], str)
               for name in ("id", "url", "feed_id", "source", "title", "text"))
    assert article["fetched_at"].utcoffset() == timedelta(0)
    assert article["published_at"] is None or article["published_at"].utcoffset() == \
        timedelta(0)
    assert parse_article(dump(article)) == article


@fuzz(3)
@given(event=st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"specversion": st.one_of(st.just(SPEC_VERSION), json_values),
         "type": st.one_of(st.just(EVENT_TYPE), json_values),
         "data": st.one_of(alerts_like, json_values)},
        optional={"id": json_values, "time": time_strings})))
def test_alert_from_event_gives_an_alert_or_a_poison_message_error(event: Any) -> None:
    try:
        alert = alert_from_event(event)
    except PoisonMessageError:
        return
    assert isinstance(alert, Alert)
    assert_aware(alert)


# ---------------------------------------------------------------- 3. the rules loader

FIELD_NAMES = ["rules", "routes", "name", "severity", "when", "suppression", "event",
               "dyads", "countries", "regions", "keywords", "languages", "sources", "stance",
               "any", "all", "window_hours", "renotify", "sources_at", "new_language",
               "severity_rose", "type", "url", "url_file", "secret_file", "unknown", ""]
YAML_SCALARS = ["~", "null", "true", "false", "yes", "no", "on", "0", "-1", "2", "1e400",
                "-1e400", ".inf", "inf", "-inf", ".nan", "nan", "NaN", "0x1F", "0o17",
                "1_000", "12:30:00", "2026-11-28", "9" * 400, "1e-400", "'quoted'",
                '"RU\\n"', '"\\x00"', '"\\ud800"', '""', "RU-CN", "RU-*", "*-*",
                "rus-cn", "ru-cn", "ß-ss", "console", "slack", "bilateral_meeting",
                "sanctions_rhetoric", "condemn", "critical", "https://hooks.example/x",
                "!!str 5", "!!int x", "!!binary aGk=", "!!python/object:os.system x",
                "!custom v", "|\n  RU\n", ">-\n  a\n"]


@st.composite
def yaml_flow(draw: st.DrawFn, depth: int = 0) -> str:
    """A YAML node in flow style: random keys (known field names among them), nesting,
    scalars of every type, tags, anchors and aliases (defined, undefined, recursive)."""
    anchor = f"&a{draw(st.integers(0, 3))} " if draw(st.integers(0, 9)) == 0 else ""
    choice = draw(st.integers(0, 9)) if depth < 4 else 0
    if choice <= 3:
        return anchor + draw(st.one_of(
            st.sampled_from(YAML_SCALARS), st.sampled_from(FIELD_NAMES),
            st.text(max_size=20).map(json.dumps), st.integers().map(str),
            st.floats().map(repr), st.sampled_from(["*a0", "*a1", "*a9"])))
    if choice <= 6:
        pairs = []
        for _ in range(draw(st.integers(0, 4))):
            key = draw(st.one_of(st.sampled_from(FIELD_NAMES), yaml_flow(depth + 1)))
            pairs.append(f"{key}: {draw(yaml_flow(depth + 1))}")
        return anchor + "{" + ", ".join(pairs) + "}"
    items = [draw(yaml_flow(depth + 1)) for _ in range(draw(st.integers(0, 4)))]
    return anchor + "[" + ", ".join(items) + "]"


ABSURD = [math.inf, -math.inf, math.nan, 10**400, -1, 0, 0.5, 1.5, "nan", "inf", "-inf",
          "Infinity", "1e400", "1e-400", "9" * 400, "RU\n", "", " ", True, None, [], {}]


def junk(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly ``valid``, sometimes a value of the wrong type or an absurd one."""
    return rarely(valid, st.one_of(json_values, st.sampled_from(ABSURD)))


ODD_NUMBERS = ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "9" * 400, "1e-400", "0",
               "-1", "0.0", ".nan", ".inf", "0x10", "1_000", "2.5", "1e3"]


def number(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A number field: as often an odd or absurd one as a valid one."""
    return st.one_of(valid, st.sampled_from(ODD_NUMBERS))


def with_unknown(fields: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[Any]:
    """Mostly ``fields``, sometimes with an unknown field besides."""
    return rarely(fields, fields.map(lambda known: {**known, "colour": "blue"}))


names = st.text(st.characters(categories=["L", "N", "Pd", "Zs"]), min_size=1, max_size=12)
country_codes = rarely(st.sampled_from(["RU", "CN", "US", "FR", "IR", "UA"]),
                       st.sampled_from(["XX", "ru", "RUS", "R", "RU\n", " RU", "ＲＵ"]))
selector = st.one_of(
    st.lists(country_codes, min_size=1, max_size=3),
    st.builds(lambda mode, values: {mode: values}, st.sampled_from(["any", "all"]),
              st.lists(country_codes, min_size=1, max_size=3)))
route_definition = with_unknown(st.one_of(
    st.fixed_dictionaries({"type": junk(st.sampled_from(["webhook", "slack"])),
                           "url": junk(st.sampled_from(["https://hooks.example/a",
                                                        "ftp://hooks.example/a"]))}),
    st.fixed_dictionaries({"type": junk(st.sampled_from(["webhook", "slack", "email"])),
                           "url_file": junk(st.just("/run/secrets/url"))},
                          optional={"secret_file": junk(st.just("/run/secrets/key")),
                                    "url": junk(st.just("https://hooks.example/b"))})))
rule_tree = with_unknown(st.fixed_dictionaries(
    {"name": junk(names),
     "routes": junk(st.lists(rarely(st.sampled_from(["console", "slack", "console",
                                                     "analysts"]),
                                    st.sampled_from(["other", "", "Console"])),
                             min_size=1, max_size=3)),
     "when": junk(with_unknown(st.fixed_dictionaries({}, optional={
         "event": junk(st.one_of(st.sampled_from(EVENT_TYPES),
                                 st.lists(st.sampled_from(EVENT_TYPES), min_size=1))),
         "dyads": junk(st.lists(rarely(st.sampled_from(["RU-CN", "RU-*", "*-*", "US-IR"]),
                                       st.sampled_from(["RUS-CN", "ru-cn", "RU-CN\n", "R-"])),
                                min_size=1, max_size=3)),
         "countries": junk(selector), "regions": junk(selector), "keywords": junk(selector),
         "languages": junk(st.lists(st.sampled_from(["ru", "en", "zh"]), min_size=1)),
         "sources": junk(st.lists(names, min_size=1, max_size=3)),
         "stance": junk(st.lists(rarely(st.sampled_from(STANCES), st.just("bogus")),
                                 min_size=1)),
     })))},
    optional={
        "severity": junk(st.sampled_from(SEVERITIES)),
        "suppression": junk(with_unknown(st.fixed_dictionaries({}, optional={
            "window_hours": number(st.floats(0.1, 1000)),
            "renotify": junk(with_unknown(st.fixed_dictionaries({}, optional={
                "sources_at": junk(st.lists(number(st.integers(2, 50)), min_size=1,
                                            max_size=3)),
                "new_language": junk(st.booleans()),
                "severity_rose": junk(st.booleans()),
            }))),
        }))),
    }))
rules_trees = with_unknown(st.fixed_dictionaries(
    {"rules": junk(st.lists(rule_tree, min_size=1, max_size=3)),
     "routes": junk(st.dictionaries(
         rarely(st.just("analysts"), st.sampled_from(["console", "desk", ""])),
         route_definition, max_size=2))}))


def _yaml_block(tree: Any) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


NESTING = st.sampled_from([1, 50, 300, 450, 600])
rules_texts = st.one_of(
    rules_trees.map(_yaml_block),
    rules_trees.map(_yaml_block),
    rules_trees.map(lambda tree: json.dumps(tree, ensure_ascii=False)),  # JSON is YAML
    yaml_flow(),
    st.text(max_size=200),
    # Nesting around the depth where PyYAML's recursion runs out (and no deeper: its
    # scanner takes quadratic time).
    NESTING.map(lambda depth: "[" * depth + "]" * depth),
    NESTING.map(lambda depth: "{a: " * depth + "b" + "}" * depth),
)


def check_rules(ruleset: RuleSet) -> None:
    assert ruleset.rules
    names = [rule.name for rule in ruleset.rules]
    assert len(names) == len(set(names)) and all(isinstance(n, str) and n for n in names)
    assert all(isinstance(name, str) for name in ruleset.routes)
    for rule in ruleset.rules:
        assert rule.severity in SEVERITIES
        assert rule.routes and set(rule.routes) <= {*BUILTIN_ROUTES, *ruleset.routes}
        when = rule.when
        assert when.events and when.events <= set(EVENT_TYPES)
        assert when.stances <= set(STANCES)
        for pair in when.dyads:
            assert all(re.fullmatch(r"[A-Z]{2}|\*", side) for side in pair), pair
        if when.countries is not None:
            assert all(re.fullmatch(r"[A-Z]{2}", c) for c in when.countries.values)
        window = rule.suppression.window_hours
        assert isinstance(window, float) and math.isfinite(window) and window > 0
        sources_at = rule.suppression.renotify.sources_at
        assert list(sources_at) == sorted(set(sources_at)) and all(n >= 2 for n in sources_at)


RULE = "rules:\n- name: r\n  routes: [console]\n  when: {}\n"


@fuzz(4)
@given(text=rules_texts)
# Deep nesting: PyYAML composes recursively (RecursionError).
@example(text="[" * 1000 + "]" * 1000)
# A list or mapping as a field name, or as a route name: unhashable (TypeError).
@example(text="{&a0 {}: {}}")
@example(text="routes:\n  [analysts]: {type: slack, url: https://hooks.example/a}\n" + RULE)
# float() reads nan and inf: a NaN window was taken, and int() of them raised
# ValueError and OverflowError.
@example(text=RULE + "  suppression: {window_hours: nan}\n")
@example(text=RULE + "  suppression: {renotify: {sources_at: [nan]}}\n")
@example(text=RULE + "  suppression: {renotify: {sources_at: [inf]}}\n")
# "$" takes a code followed by a newline: "RU\n" was a country code.
@example(text=RULE.replace("{}", '{countries: ["RU\\n"]}'))
@example(text=RULE.replace("{}", '{dyads: ["RU-CN\\n"]}'))
def test_parse_rules_gives_a_rule_set_or_a_rules_error(text: str) -> None:
    try:
        ruleset = parse_rules(text, "fuzz.yaml")
    except RulesError as exc:
        assert str(exc).startswith("fuzz.yaml")
        return
    check_rules(ruleset)


# ---- evaluation of a rule set that loads, against analyses of the contract's shape

codes = st.sampled_from(["CN", "RU", "US", "FR", "IR"])
analyses = st.fixed_dictionaries(
    {"lang": st.sampled_from(["ru", "en", "zh", "und"]),
     "countries": st.lists(codes, unique=True, max_size=4).map(sorted),
     "regions": st.lists(st.sampled_from(["europe", "eastern-asia"]), unique=True),
     "keywords": st.lists(st.sampled_from(["diplomacy", "nuclear"]), unique=True),
     "events": st.lists(st.fixed_dictionaries({
         "type": st.sampled_from([BILATERAL_MEETING, "other"]),
         "parties": st.lists(codes, min_size=2, max_size=2, unique=True).map(sorted),
         "modality": st.sampled_from(["call", "visit", None]),
         "evidence": st.text(max_size=20), "spans": st.just([])}), max_size=3),
     "sanctions_rhetoric": st.one_of(
         st.just({"present": False, "stance": None, "evidence": None, "spans": []}),
         st.builds(lambda stance, evidence: {"present": True, "stance": stance,
                                             "evidence": evidence, "spans": []},
                   st.sampled_from(STANCES), st.text(max_size=20)))})
valid_codes = st.lists(codes, min_size=1, max_size=3)
valid_selector = st.one_of(valid_codes, st.builds(
    lambda mode, values: {mode: values}, st.sampled_from(["any", "all"]), valid_codes))
loadable_rules = st.lists(st.fixed_dictionaries(
    {"routes": st.just(["console"]),
     "when": st.fixed_dictionaries({}, optional={
         "event": st.lists(st.sampled_from(EVENT_TYPES), min_size=1, unique=True),
         "dyads": st.lists(st.sampled_from(["RU-CN", "RU-*", "*-*", "US-IR", "FR-*"]),
                           min_size=1, max_size=2),
         "countries": valid_selector,
         "languages": st.lists(st.sampled_from(["ru", "en", "zh"]), min_size=1),
         "sources": st.lists(st.sampled_from(["f1", "f2"]), min_size=1),
         "stance": st.lists(st.sampled_from(STANCES), min_size=1)})}),
    min_size=1, max_size=4)


def _conditions_hold(rule: Any, analysis: dict[str, Any], source: str | None) -> bool:
    when = rule.when
    for selected, tags in ((when.countries, "countries"), (when.regions, "regions"),
                           (when.keywords, "keywords")):
        if selected is not None:
            present = set(analysis[tags])
            found = (selected.values <= present if selected.mode == "all"
                     else bool(selected.values & present))
            if not found:
                return False
    if when.languages and analysis["lang"] not in when.languages:
        return False
    return not (when.sources and source not in when.sources)


@fuzz(3)
@given(rules=loadable_rules, analysis=analyses,
       source=st.sampled_from([None, "f1", "f2", "f3"]))
def test_evaluate_fires_exactly_the_rules_whose_conditions_hold(
        rules: list[dict[str, Any]], analysis: dict[str, Any], source: str | None) -> None:
    for i, rule in enumerate(rules):
        rule["name"] = f"rule-{i}"
    try:
        ruleset = parse_rules(_yaml_block({"rules": rules}), "fuzz.yaml")
    except RulesError as exc:  # a condition no event of the rule can meet: refused
        assert re.search(r"(dyads only apply|stance only applies) to|no event meets both",
                         str(exc)), exc
        return
    matches = evaluate(ruleset.rules, analysis, source)
    fired = [(m.rule.name, m.event_type, m.parties) for m in matches]
    assert len(fired) == len(set(fired))
    expected = []
    meetings = [e for e in analysis["events"] if e["type"] == BILATERAL_MEETING]
    sanctions = analysis["sanctions_rhetoric"]
    for rule in ruleset.rules:
        when = rule.when
        if not _conditions_hold(rule, analysis, source):
            continue
        if BILATERAL_MEETING in when.events and not when.stances:
            pairs = [tuple(m["parties"]) for m in meetings if not when.dyads
                     or any(dyad_matches(d, m["parties"]) for d in when.dyads)]
            expected += [(rule.name, BILATERAL_MEETING, pair) for pair in dict.fromkeys(pairs)]
        if (SANCTIONS_RHETORIC in when.events and sanctions["present"] and not when.dyads
                and (not when.stances or sanctions["stance"] in when.stances)):
            expected.append((rule.name, SANCTIONS_RHETORIC, None))
    assert fired == expected
    for match in matches:
        if match.event_type == BILATERAL_MEETING:
            assert match.parties is not None and len(match.parties) == 2
        else:
            assert match.stance == sanctions["stance"]


# ---------------------------------------------------------------- 4. line readers

#: Digits of a numeric character reference: int() refuses 4,300 and more.
REF_DIGITS = st.sampled_from([1, 7, 8, 4299, 4300, 6000])
SCRIPTS = ["Лавров и Ван И провели переговоры", "وزير الخارجية الروسي التقى نظيره الصيني",
           "中俄两国外长举行会谈", "Sanctions against Iran were condemned by Russia",
           "La France et l'Allemagne", "हिन्दी पाठ", "עברית", "ภาษาไทย", "한국어",
           "日本語のテキスト", "Ελληνικά", "ქართული", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "👩‍👩‍👧‍👦🇷🇺🇨🇳"]
CONTROLS = ["\x00", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
            "\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u200d", "\ufeff",
            "\ufffe", "\uffff", "\r", "\x85", "\u2028", "\u2029", "\x1b", "\ud800", "\udfff"]
text_pieces = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=()), max_size=60),
    st.sampled_from(SCRIPTS),
    st.sampled_from(CONTROLS),
    st.text(alphabet=st.characters(categories=["Mn", "Me"]), min_size=1, max_size=30),
    st.tuples(st.characters(exclude_categories=()), st.integers(1, 20_000)).map(
        lambda p: p[0] * p[1]),  # very long words
    st.sampled_from([".", "!", "؟", "。", "\n", " ", "U.S.", "Mr.", "<p>", "&amp;",
                     "https://example.org/x", "&#0;", "&#xD800;", "&#1114112;"]),
    REF_DIGITS.map(lambda n: "&#" + "9" * n + ";"),  # references of n digits
)
texts = st.lists(text_pieces, max_size=8).map("".join)

#: Documents that are mostly valid: their text reaches the analysis and the fingerprints.
documents = st.fixed_dictionaries(
    {"id": st.one_of(st.text(max_size=10), st.integers()), "title": texts, "text": texts},
    optional={"lang": st.sampled_from(["en", "ru", "zh", "", "xx"]),
              "published_at": time_strings,
              "country": rarely(st.sampled_from(["RU", "CN", "FR"]), st.sampled_from(
                  ["ru", "XX", "RU\n"])),
              "url": links, "guid": st.text(max_size=20), "feed_id": st.text(max_size=5)})

DOCUMENT_FIELDS = ["id", "title", "text", "lang", "published_at", "country", "url", "guid",
                   "feed_id"]
document_values = st.one_of(
    json_values, time_strings, st.sampled_from(["FR", "fr", "XX", "FR\n", "", "ru", "zh"]),
    REF_DIGITS.map(lambda n: "<p>&#" + "0" * n + "65;</p>"),
    st.text(max_size=5).map(lambda s: s * 20_000),  # huge strings
    st.sampled_from(ODD_LINKS))
document_objects = st.fixed_dictionaries(
    {}, optional={name: document_values for name in DOCUMENT_FIELDS})
json_lines = st.one_of(
    st.text(max_size=80),  # not JSON, control characters, lone surrogates
    st.binary(max_size=80),
    st.sampled_from(['{"id": "1", "text": "\\ud800"}', '{"id": "\\udfff", "text": "x"}',
                     '{"text": "a\\u0000b"}', "[]", "null", "1e400", '"text"', "{", "\ufeff{}",
                     '{"text": "x"} trailing', '{"text": "x", "text": 5}', "\x00", " \t ",
                     '{"text": "' + "\\\\" * 3000 + '"}']),
    json_values.map(lambda value: json.dumps(value)),
    document_objects.map(lambda obj: json.dumps(obj, ensure_ascii=False)),
    documents.map(lambda obj: json.dumps(obj, ensure_ascii=False)),
    documents.map(lambda obj: json.dumps(obj)),
    document_objects.map(lambda obj: json.dumps(obj).encode("utf-8")),
)


def _blank(line: str | bytes) -> bool:
    return not line.strip()


def check_lines(lines: list[str | bytes], results: list[dict[str, Any]],
                keys: set[str]) -> None:
    """One result per non-blank line, each an error record or a result with ``keys``,
    every one writable as a JSON line."""
    assert len(results) == sum(not _blank(line) for line in lines)
    for result in results:
        if "error" in result:  # with the id the line gave, if it gave one
            assert result["id"] is None or isinstance(result["id"], str)
            assert isinstance(result["error"], str) and result["error"]
        else:
            assert keys <= set(result) and isinstance(result["id"], str)
        orjson.dumps(result)


ANALYSIS_KEYS = {"id", "lang", "countries", "regions", "keywords", "organisations", "events",
                 "sanctions_rhetoric"}


HUGE_REF_LINE = orjson.dumps({"id": "1", "title": "t", "text": f"&#{'9' * 5000};"}).decode()


@fuzz(3)
@given(lines=st.lists(json_lines, max_size=6))
# A character reference of 5,000 digits: html.unescape raised ValueError (int() takes
# 4,300 digits at most) from clean_text.
@example(lines=[HUGE_REF_LINE, '{"id": "2", "text": "next"}'])
def test_analyze_lines_answers_every_line(lines: list[str | bytes]) -> None:
    check_lines(lines, list(analyze_lines(lines)), ANALYSIS_KEYS)


@fuzz(3)
@given(lines=st.lists(json_lines, max_size=6))
@example(lines=[HUGE_REF_LINE, '{"id": "2", "text": "next"}'])  # as for analyze
def test_dedup_lines_answers_every_line(lines: list[str | bytes]) -> None:
    check_lines(lines, list(dedup_lines(lines)), {"id", "story_id", "duplicate_of", "kind"})


def _run_reader(command: Callable[[Iterable[str]], Iterable[dict[str, Any]]],
                data: bytes) -> list[dict[str, Any]]:
    """``mediawatch analyze``'s or ``dedup``'s reader on ``data`` as its stdin."""
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")  # strict, as a tty's
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with mock.patch.object(cli.sys, "stdin", stdin), \
            mock.patch.object(cli.sys, "stdout", stdout):
        assert cli._json_lines(None, command) == 0
        written = stdout.buffer.getvalue()
    return [orjson.loads(line) for line in written.splitlines()]


@fuzz(2)
@given(lines=st.lists(st.one_of(json_lines.map(
    lambda line: line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass")),
    st.binary(max_size=40)), max_size=5),
    command=st.sampled_from([analyze_lines, dedup_lines]))
# A byte that is not UTF-8 on stdin, strictly decoded: UnicodeDecodeError, a traceback.
@example(lines=[b"\x80", b'{"id": "1", "text": "after it"}'], command=analyze_lines)
@example(lines=[b'{"id": "1", "text": "caf\xe9"}'], command=dedup_lines)
def test_the_cli_reader_answers_every_line_of_any_bytes(
        lines: list[bytes], command: Callable[[Iterable[str]], Iterable[dict[str, Any]]]
) -> None:
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    text = data.decode("utf-8", "replace")
    # lines end at "\n" only: a carriage return is JSON whitespace
    expected = sum(not _blank(line) for line in io.StringIO(text, newline="\n"))
    results = _run_reader(command, data)
    assert len(results) == expected
    assert all(isinstance(result, dict) for result in results)


# ---- analyze itself, on any text



def check_analysis(doc: Document, result: Analysis) -> None:
    out = result.to_dict()
    assert set(out) >= ANALYSIS_KEYS and out["id"] == doc.id
    assert isinstance(out["lang"], str) and out["lang"]
    assert out["countries"] == sorted(set(out["countries"]))
    assert all(re.fullmatch("[A-Z]{2}", code) for code in out["countries"])
    for event in out["events"]:
        assert len(set(event["parties"])) == 2
        for start, end, surface, _role in event["spans"]:
            assert event["evidence"][start:end] == surface
    sanctions = out["sanctions_rhetoric"]
    assert (sanctions["stance"] is None) == (not sanctions["present"])
    for start, end, surface, _role in sanctions["spans"]:
        assert sanctions["evidence"][start:end] == surface


@fuzz(4)
@given(title=texts, text=texts,
       lang=st.one_of(st.none(), st.sampled_from(["ar", "en", "zh", "ru", "zh-Hant", "xx",
                                                  "", "\u202e", "EN"]), st.text(max_size=8)),
       published_at=st.one_of(st.none(), aware_times),
       country=st.one_of(st.none(), st.sampled_from(["RU", "CN", "US", "SA", "FR"])))
# A character reference of 4,301 digits: html.unescape raised ValueError.
@example(title="", text="&#" + "9" * 4301 + ";", lang=None, published_at=None, country=None)
@example(title="<p>&#" + "0" * 5000 + "65;</p>", text="", lang="en", published_at=None,
         country=None)
def test_analyze_never_raises_on_text(title: str, text: str, lang: str | None,
                                      published_at: datetime | None,
                                      country: str | None) -> None:
    doc = Document(id="fuzz", title=title, text=text, lang=lang or None,
                   published_at=published_at, country=country)
    check_analysis(doc, analyze(doc))
