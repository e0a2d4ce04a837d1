"""Optional article-page fetch and main-text extraction (trafilatura), for feeds that
carry only a summary. Off unless ``MEDIAWATCH_FETCH_ARTICLE_PAGES`` is true; trafilatura
comes with the ``pages`` extra (``pip install 'mediawatch[pages]'``), and a producer
started with the setting on and without it stops at once, saying so.

Pages are fetched through the same polite ``Fetcher`` as feeds (same host gate), at
most ``MAX_PAGES_PER_POLL`` per poll of a feed; a page that fails keeps the summary.
What a producer holds of pages is bounded, whatever the feeds polled at once: at most
``PAGE_SLOTS`` (``producers.fetching``) pages fetched or waiting to be read, and one read
at a time (extraction holds the interpreter: more at once is no faster, and holds more
memory). A page with more markup than ``producers.markup`` allows is not read: lxml
and trafilatura take about 1.5 KiB and 40 µs for each element and attribute. The
producer service reads pages in a process of their own (``producers.isolation``), at
most ``MEDIAWATCH_PAGE_TIMEOUT_SECONDS`` a page and under the feeds' memory limit: a page
whose extraction takes longer or more memory is stopped and counted as ``stopped``, the
entry keeps its summary, and the feed's other pages of that poll are ``skipped``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from producers import markup
from producers.fetching import PAGE_ACCEPT, FeedFetchError, Fetcher
from producers.isolation import PageNotRead
from producers.parsing import Entry
from streams.errors import MediawatchError
from streams.metrics import Metrics
from streams.records import MAX_TEXT_CHARS, cut

log = logging.getLogger(__name__)

MAX_PAGES_PER_POLL = 20
#: The one thread pages are extracted in.
EXTRACTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediawatch-pages")


class PagesExtraMissing(MediawatchError):
    """Article pages are to be fetched, but the ``pages`` extra is not installed."""


def require_extractor(module: str = "trafilatura") -> None:
    """Check, without importing it, that the page extractor is installed (at start-up,
    when ``MEDIAWATCH_FETCH_ARTICLE_PAGES`` is on); PagesExtraMissing says what to run."""
    if importlib.util.find_spec(module) is None:
        raise PagesExtraMissing(
            f"MEDIAWATCH_FETCH_ARTICLE_PAGES is on but {module} is not installed: "
            "pip install 'mediawatch[pages]' (or turn the setting off)")


def extract_main_text(html: bytes | str) -> str | None:
    """The main text of an article page (no menus, banners, comments), or None.
    trafilatura (and lxml under it) is imported here, on the first page fetched: a
    producer that fetches no pages (the default) never loads it."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True)
    return text.strip() if text and text.strip() else None


def page_text(html: bytes) -> tuple[str | None, str | None]:
    """The main text of a page and None, or None and why the page was not read (more
    markup than ``producers.markup`` allows)."""
    refused = markup.refusal(html, markup_limit=markup.MAX_PAGE_MARKUP)
    if refused:
        return None, refused
    return extract_main_text(html), None


#: How a page is read: its address and body in, ``page_text``'s result out, or
#: PageNotRead (``producers.isolation``: in a process of its own, with a time limit).
ReadPage = Callable[[str, bytes], Awaitable[tuple[str | None, str | None]]]


async def read_in_thread(address: str, html: bytes) -> tuple[str | None, str | None]:
    """``page_text`` in the one extraction thread, without a time limit (the producer
    service reads pages in a process of its own: ``producers.isolation``)."""
    return await asyncio.get_running_loop().run_in_executor(EXTRACTOR, page_text, html)


async def enrich(fetcher: Fetcher, entries: list[Entry], min_chars: int,
                 metrics: Metrics, read: ReadPage = read_in_thread) -> None:
    """Replace short texts by the main text of the article page, in place."""
    short = [e for e in entries if len(e.article.text) < min_chars][:MAX_PAGES_PER_POLL]
    # once a page of the feed is stopped, its other pages of this poll are not read
    # (their entries keep their summaries): a feed whose links all lead to such pages
    # costs one time limit a poll
    stopped: list[str] = []
    reading = asyncio.Lock()  # one page read at a time: the reader takes one anyway

    async def one(entry: Entry) -> None:
        # The address the feed gave, not the canonical URL (https, no www.), which
        # the site may not serve.
        address = entry.article.link or entry.article.url
        async with fetcher.page_slots:  # a body is held until it is read
            if stopped:
                metrics.article_pages.labels(outcome="skipped").inc()
                return
            try:
                result = await fetcher.get(address, accept=PAGE_ACCEPT, from_feed=True)
            except FeedFetchError as exc:
                log.info("article page %s: %s", address, exc)
                metrics.article_pages.labels(outcome=exc.outcome).inc()
                return
            async with reading:
                if stopped:
                    metrics.article_pages.labels(outcome="skipped").inc()
                    return
                try:
                    text, refused = await read(address, result.body or b"")
                except PageNotRead as exc:
                    stopped.append(address)
                    log.warning("%s; the feed's other pages of this poll are not read", exc)
                    metrics.article_pages.labels(outcome="stopped").inc()
                    return
        if refused:
            log.info("article page %s: not read: %s", address, refused)
            metrics.article_pages.labels(outcome="refused").inc()
        elif text and len(text) > len(entry.article.text):
            entry.article.text = cut(text, MAX_TEXT_CHARS)
            metrics.article_pages.labels(outcome="extracted").inc()
        else:
            metrics.article_pages.labels(outcome="no_text").inc()

    await asyncio.gather(*(one(e) for e in short))
