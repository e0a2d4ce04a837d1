"""Article-page enrichment: real local server, trafilatura extraction."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry

from producers.fetching import Fetcher, new_session
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
