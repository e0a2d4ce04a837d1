"""Feed parsing and article-page reading in a process of their own: the same result as
in the producer, and a parse or a read that takes too long or too much memory stopped,
with the next one done as usual."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from producers.isolation import IsolatedParser, PageNotRead, ParserPool
from producers.markup import MAX_PAGE_MARKUP
from producers.pages import page_text
from producers.parsing import parse_feed
from producers.registry import Feed
from streams.errors import FeedParseError

FEED = Feed(id="f", url="https://news.example/rss", name="Example News", language="fr")
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>T</title><link>https://news.example/</link>
<item><title>Les deux ministres se sont entretenus à Rabat</title>
<link>https://news.example/monde/1</link><guid>g1</guid>{author}
<pubDate>Fri, 04 Dec 2026 16:00:00 +0100</pubDate>
<description>&lt;p&gt;Le texte de l'article.&lt;/p&gt;</description></item>
</channel></rss>"""
GOOD = RSS.format(author="").encode()
# feedparser's e-mail pattern takes time with the square of an author's length: this
# one holds it for about 40 s
SLOW = RSS.format(author="<author>" + "a" * 100_000 + "</author>").encode()
# nested xml:base: memory with the square of the depth
GREEDY = RSS.format(author='<x xml:base="d/">' * 60_000 + "</x>" * 60_000).encode()


@pytest.fixture
async def parser() -> AsyncIterator[IsolatedParser]:
    isolated = IsolatedParser(timeout=2.0, memory=400 * 1024 * 1024)
    yield isolated
    await isolated.close()


async def test_a_body_parses_as_in_the_producer(parser: IsolatedParser) -> None:
    assert await parser.parse(FEED, GOOD, NOW, None, None) == parse_feed(FEED, GOOD, NOW)
    with pytest.raises(FeedParseError, match="feed f: not a usable feed"):
        await parser.parse(FEED, b"<html><body>Moved</body></html>", NOW, None, None)
    # a feed's own error keeps the process: the next body goes to the same one
    assert (await parser.parse(FEED, GOOD, NOW, None, None)).entries


async def test_a_parse_longer_than_the_limit_is_stopped(parser: IsolatedParser) -> None:
    await parser.parse(FEED, GOOD, NOW, None, None)
    first = parser._process
    assert first is not None
    with pytest.raises(FeedParseError, match="feed f: not parsed: parsing took longer "
                                             "than 2 s and was stopped"):
        await parser.parse(FEED, SLOW, NOW, None, None)
    assert first.poll() is not None  # killed
    parsed = await parser.parse(FEED, GOOD, NOW, None, None)  # in a new process
    assert [e.article.title for e in parsed.entries] == [
        "Les deux ministres se sont entretenus à Rabat"]


async def test_a_parse_needing_more_memory_than_allowed_is_stopped(
        parser: IsolatedParser) -> None:
    parser.timeout = 60.0  # the memory limit, not the time limit, is to stop it
    with pytest.raises(FeedParseError, match=r"feed f: not parsed: parsing needed more "
                                             r"than 419,430,400 bytes of memory"):
        await parser.parse(FEED, GREEDY, NOW, None, None)
    assert (await parser.parse(FEED, GOOD, NOW, None, None)).entries


async def test_closing_kills_the_process_and_ends_the_parses_sent_to_it() -> None:
    parser = IsolatedParser(timeout=60.0, memory=None)
    await parser.parse(FEED, GOOD, NOW, None, None)
    assert parser._process is not None
    pid = parser._process.pid
    slow = asyncio.ensure_future(parser.parse(FEED, SLOW, NOW, None, None))
    await parser.close()
    with pytest.raises(FeedParseError, match="not parsed: the producer is stopping"):
        await slow
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(FeedParseError, match="the producer is stopping"):
        await parser.parse(FEED, GOOD, NOW, None, None)


async def test_a_pool_parses_other_feeds_while_one_parse_runs_long() -> None:
    pool = ParserPool(2, timeout=60.0, memory=None)
    try:
        slow = asyncio.ensure_future(pool.parse(FEED, SLOW, NOW, None, None))
        other = Feed(id="g", url="https://other.example/rss", name="Other", language="fr")
        for _ in range(3):  # one after another, each in the process the slow one left
            parsed = await pool.parse(other, GOOD, NOW, None, None)
            assert parsed == parse_feed(other, GOOD, NOW)
        assert not slow.done()
        started = [parser._process for parser in pool.parsers if parser._process is not None]
        assert len(started) == 2
    finally:
        await pool.close()
    with pytest.raises(FeedParseError, match="not parsed: the producer is stopping"):
        await slow
    assert all(process.poll() is not None for process in started)


async def test_a_parse_its_caller_stopped_waiting_for_holds_its_process_until_it_ends(
) -> None:
    pool = ParserPool(2, timeout=60.0, memory=None)
    try:
        slow = asyncio.ensure_future(pool.parse(FEED, SLOW, NOW, None, None))
        assert (await pool.parse(FEED, GOOD, NOW, None, None)).entries  # the other one
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        # the process still parsing the slow body is not handed out again yet
        assert pool._idle.qsize() == 1
        assert (await pool.parse(FEED, GOOD, NOW, None, None)).entries
    finally:
        await pool.close()


async def test_a_pool_starts_a_second_process_only_when_two_parses_overlap() -> None:
    pool = ParserPool(2, timeout=60.0, memory=None)
    try:
        for _ in range(3):
            assert (await pool.parse(FEED, GOOD, NOW, None, None)).entries
        assert sum(parser._process is not None for parser in pool.parsers) == 1
    finally:
        await pool.close()


# Article pages: the same process type reads them with ``page_text``.
ARTICLE = ("<html><body><nav><a href='/'>Accueil</a></nav><article><h1>Entretien à Rabat</h1>"
           "<p>" + "Les deux ministres se sont entretenus mardi à Rabat des échanges "
           "commerciaux et de la coopération portuaire. " * 4 + "</p></article>"
           "</body></html>").encode()
# many short paragraphs, fewer than the markup limit refuses: trafilatura took 87 s
HEAVY = ARTICLE.replace(b"</article>", b"<p>a</p>" * (MAX_PAGE_MARKUP - 1_000) + b"</article>")
CROWDED = ARTICLE.replace(b"</article>", b"<p>a</p>" * MAX_PAGE_MARKUP + b"</article>")


async def test_a_page_reads_as_in_the_producer(parser: IsolatedParser) -> None:
    parser.timeout = 60.0  # the first page loads trafilatura
    assert await parser.read_page("https://news.example/a", ARTICLE) == page_text(ARTICLE)
    text, refused = await parser.read_page("https://news.example/b", CROWDED)
    assert text is None and refused is not None and "more than 150,000 together" in refused


async def test_a_page_read_longer_than_the_limit_is_stopped(parser: IsolatedParser) -> None:
    parser.timeout = 60.0
    assert (await parser.read_page("https://news.example/a", ARTICLE))[0]
    first = parser._process
    assert first is not None
    parser.timeout = 1.0
    with pytest.raises(PageNotRead, match=r"article page https://news.example/h: not read: "
                                          r"extraction took longer than 1 s and was stopped"):
        await parser.read_page("https://news.example/h", HEAVY)
    assert first.poll() is not None  # killed
    parser.timeout = 60.0
    text, _ = await parser.read_page("https://news.example/a", ARTICLE)  # a new process
    assert text is not None and "entretenus mardi à Rabat" in text
