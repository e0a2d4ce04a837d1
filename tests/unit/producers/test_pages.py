"""Article-page enrichment: real local server, trafilatura extraction."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry

from producers import fetching, pages
from producers.fetching import Fetcher, new_session
from producers.isolation import IsolatedParser
from producers.markup import MAX_PAGE_MARKUP
from producers.pages import enrich, extract_main_text
from producers.parsing import Entry
from streams.metrics import Metrics
from streams.records import Article
from streams.settings import Settings

from ..localhttp import serving

BODY = ("Les ministres des affaires étrangères se sont réunis mardi à Genève pour "
        "discuter des nouvelles sanctions. Les délégations ont échangé pendant plus de "
        "quatre heures, selon un communiqué publié à l'issue de la rencontre. ")
PAGE = f"""<html><head><title>Réunion à Genève</title></head><body>
<nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
<div class="cookie-banner">Nous utilisons des cookies. Accepter</div>
<article><h1>Réunion à Genève</h1><p>{BODY}</p><p>{BODY}</p></article>
<footer>© Journal d'exemple — Mentions légales</footer></body></html>"""


# 1.2 million elements of this took 46 s and 1.7 GiB to extract
CROWDED = PAGE.replace("</article>", "<p>a</p>" * MAX_PAGE_MARKUP + "</article>")
# under the markup limit, and 87 s to extract
HEAVY = PAGE.replace("</article>", "<p>a</p>" * (MAX_PAGE_MARKUP - 1_000) + "</article>")


def test_main_text_leaves_menus_and_banners_out() -> None:
    text = extract_main_text(PAGE)
    assert text is not None and "réunis mardi à Genève" in text
    assert "cookies" not in text and "Accueil" not in text
    assert extract_main_text("<html><body></body></html>") is None


@pytest.fixture
async def site() -> AsyncIterator[str]:
    async def page(request: web.Request) -> web.Response:
        if request.match_info["name"] == "missing":
            return web.Response(status=404)
        if request.match_info["name"] == "crowded":
            return web.Response(text=CROWDED, content_type="text/html")
        if request.match_info["name"].startswith("heavy"):
            return web.Response(text=HEAVY, content_type="text/html")
        return web.Response(text=PAGE, content_type="text/html")

    async with serving("GET", "/a/{name}", page) as url:
        yield url


def entry(url: str, text: str, link: str | None = None) -> Entry:
    article = Article(id=url[-12:], url=url, feed_id="f", source="S", title="T", text=text,
                      fetched_at=datetime.now(UTC), link=link)
    return Entry(("k" + url,), article)


async def test_short_entries_get_the_page_text(site: str) -> None:
    # the local site is on loopback: allowed for links only with the setting
    settings = dataclasses.replace(Settings(), host_min_spacing_seconds=0.0,
                                   fetch_allow_private_addresses=True)
    metrics = Metrics(CollectorRegistry())
    entries = [entry(f"{site}/a/one", "Court résumé."), entry(f"{site}/a/missing", "Résumé."),
               entry(f"{site}/a/long", "x" * 500)]
    async with new_session(settings) as session:
        fetcher = Fetcher(session, settings)
        await enrich(fetcher, entries, 400, metrics)
        await fetcher.close()
    assert "réunis mardi à Genève" in entries[0].article.text
    assert entries[1].article.text == "Résumé."          # the page failed: summary kept
    assert entries[2].article.text == "x" * 500          # long enough: not fetched
    sample = metrics.registry.get_sample_value
    assert sample("mediawatch_article_page_fetches_total", {"outcome": "extracted"}) == 1
    assert sample("mediawatch_article_page_fetches_total", {"outcome": "http_error"}) == 1


async def test_links_to_this_machine_are_refused_by_default(site: str) -> None:
    settings = dataclasses.replace(Settings(), host_min_spacing_seconds=0.0)
    metrics = Metrics(CollectorRegistry())
    port = site.rsplit(":", 1)[1]
    entries = [entry(f"{site}/a/one", "Court."),                       # IP literal
               entry(f"http://localhost:{port}/a/one", "Court."),      # a name
               entry("file:///etc/passwd", "Court.")]                  # not http(s)
    async with new_session(settings) as session:
        fetcher = Fetcher(session, settings)
        await enrich(fetcher, entries, 400, metrics)
        await fetcher.close()
    assert [e.article.text for e in entries] == ["Court."] * 3  # summaries kept
    sample = metrics.registry.get_sample_value
    assert sample("mediawatch_article_page_fetches_total", {"outcome": "address_refused"}) == 3


async def test_the_page_is_fetched_at_the_link_the_feed_gave(site: str) -> None:
    # The canonical URL says https; the site serves plain http only.
    settings = dataclasses.replace(Settings(), host_min_spacing_seconds=0.0,
                                   fetch_allow_private_addresses=True)
    metrics = Metrics(CollectorRegistry())
    link = f"{site}/a/one"
    entries = [entry(link.replace("http://", "https://"), "Court.", link=link)]
    async with new_session(settings) as session:
        fetcher = Fetcher(session, settings)
        await enrich(fetcher, entries, 400, metrics)
        await fetcher.close()
    assert "réunis mardi à Genève" in entries[0].article.text


async def test_a_page_with_more_markup_than_allowed_is_not_read(site: str) -> None:
    settings = dataclasses.replace(Settings(), host_min_spacing_seconds=0.0,
                                   fetch_allow_private_addresses=True)
    metrics = Metrics(CollectorRegistry())
    entries = [entry(f"{site}/a/crowded", "Court résumé."), entry(f"{site}/a/one", "Court.")]
    async with new_session(settings) as session:
        fetcher = Fetcher(session, settings)
        await enrich(fetcher, entries, 400, metrics)
        await fetcher.close()
    assert entries[0].article.text == "Court résumé."   # summary kept
    assert "réunis mardi à Genève" in entries[1].article.text
    sample = metrics.registry.get_sample_value
    assert sample("mediawatch_article_page_fetches_total", {"outcome": "refused"}) == 1
    assert sample("mediawatch_article_page_fetches_total", {"outcome": "extracted"}) == 1


async def test_pages_are_extracted_one_at_a_time(site: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Two extractions running at once meet at the barrier; one at a time, each waits
    # alone until the barrier gives up.
    barrier = threading.Barrier(2, timeout=0.5)
    met: list[bool] = []
    extract = pages.extract_main_text

    def meeting(html: bytes | str) -> str | None:
        try:
            barrier.wait()
            met.append(True)
        except threading.BrokenBarrierError:
            met.append(False)
        return extract(html)

    monkeypatch.setattr(pages, "extract_main_text", meeting)
    settings = dataclasses.replace(Settings(), host_min_spacing_seconds=0.0,
                                   host_concurrency=4, fetch_allow_private_addresses=True)
    metrics = Metrics(CollectorRegistry())
    entries = [entry(f"{site}/a/{name}", "Court.") for name in ("one", "two", "three")]
    async with new_session(settings) as session:
        fetcher = Fetcher(session, settings)
        await asyncio.gather(enrich(fetcher, entries[:2], 400, metrics),
                             enrich(fetcher, entries[2:], 400, metrics))
        await fetcher.close()
    assert len(met) == 3 and not any(met)
    assert all("réunis mardi à Genève" in e.article.text for e in entries)


async def test_a_producer_holds_at_most_its_page_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each page body is held from its fetch until it is read: the pages of feeds polled
    # at once must not pile up in memory.
    monkeypatch.setattr(fetching, "PAGE_SLOTS", 2)
    active, most = 0, 0
    crowd = asyncio.Event()

    async def page(request: web.Request) -> web.Response:
        nonlocal active, most
        active += 1
        most = max(most, active)
        if active > 2:
            crowd.set()
        with contextlib.suppress(TimeoutError):  # a third request would end the wait
            await asyncio.wait_for(crowd.wait(), 0.3)
        active -= 1
        return web.Response(text=PAGE, content_type="text/html")

    settings = dataclasses.replace(Settings(), host_min_spacing_seconds=0.0,
                                   host_concurrency=8, fetch_allow_private_addresses=True)
    metrics = Metrics(CollectorRegistry())
    async with serving("GET", "/a/{name}", page) as site, new_session(settings) as session:
        fetcher = Fetcher(session, settings)
        entries = [entry(f"{site}/a/{n}", "Court.") for n in range(6)]
        await asyncio.gather(*(enrich(fetcher, [e], 400, metrics) for e in entries))
        await fetcher.close()
    assert most == 2
    assert all("réunis mardi à Genève" in e.article.text for e in entries)


async def test_a_page_read_past_the_time_limit_is_stopped_and_the_feeds_others_wait(
        site: str) -> None:
    settings = dataclasses.replace(Settings(), host_min_spacing_seconds=0.0,
                                   fetch_allow_private_addresses=True)
    metrics = Metrics(CollectorRegistry())
    reader = IsolatedParser(timeout=60.0, memory=None)
    try:
        assert (await reader.read_page(f"{site}/a/one", PAGE.encode()))[0]  # trafilatura loaded
        reader.timeout = 1.0
        entries = [entry(f"{site}/a/heavy-1", "Résumé un."),
                   entry(f"{site}/a/heavy-2", "Résumé deux.")]
        async with new_session(settings) as session:
            fetcher = Fetcher(session, settings)
            await enrich(fetcher, entries, 400, metrics, reader.read_page)
            await fetcher.close()
    finally:
        await reader.close()
    assert [e.article.text for e in entries] == ["Résumé un.", "Résumé deux."]  # kept
    sample = metrics.registry.get_sample_value
    assert sample("mediawatch_article_page_fetches_total", {"outcome": "stopped"}) == 1
    assert sample("mediawatch_article_page_fetches_total", {"outcome": "skipped"}) == 1
