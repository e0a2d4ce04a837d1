"""Hostile and broken feeds on a real local server, one producer instance on the real
broker: nothing crashes it, every failure is counted by kind, politeness holds."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Iterator

import pytest
from prometheus_client import CollectorRegistry

from producers.catalog import register
from producers.registry import Feed
from producers.service import ProducerService
from streams.metrics import Metrics
from streams.settings import Settings

from .conftest import Deployment, loads
from .producer_fixtures import FeedFarm, running_farm

pytestmark = pytest.mark.integration

RUSSIAN = "Министр провёл переговоры в Пекине"
FRENCH = "Réunion à l'Élysée sur les sanctions"


def rss_text(title: str, slug: str, encoding: str | None, more: str = "suite et détails") -> str:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else ""
    return (f'{declaration}<rss version="2.0"><channel><title>t</title>'
            f"<link>https://enc.farm.test/</link><description>d</description>"
            f"<item><title>{title}</title><link>/{slug}</link><guid>{slug}</guid>"
            f"<description>&lt;b&gt;{title}&lt;/b&gt; {more}.</description>"
            f"</item></channel></rss>")


@pytest.fixture
def farm() -> Iterator[FeedFarm]:
    with running_farm() as farm:
        yield farm


def fetch_counts(metrics: Metrics) -> tuple[Callable[[str, str], float],
                                            dict[tuple[str, str], float]]:
    """``fetches(feed, outcome)`` as the metrics say, or as ``final`` (a snapshot taken
    before the producer stopped and dropped its feeds' series) once they are gone."""
    final: dict[tuple[str, str], float] = {}

    def fetches(feed: str, outcome: str) -> float:
        value = metrics.registry.get_sample_value(
            "mediawatch_feed_fetches_total", {"feed": feed, "outcome": outcome})
        return value if value is not None else final.get((feed, outcome), 0.0)

    return fetches, final


def snapshot(metrics: Metrics) -> dict[tuple[str, str], float]:
    """Fetch counts by (feed, outcome) as they stand."""
    return {(sample.labels["feed"], sample.labels["outcome"]): sample.value
            for family in metrics.registry.collect()
            if family.name == "mediawatch_feed_fetches"
            for sample in family.samples if sample.name.endswith("_total")}


def fast_settings(deployment: Deployment, **extra: object) -> Settings:
    return dataclasses.replace(
        deployment.settings(), feed_min_interval_seconds=1.0, feed_max_interval_seconds=1.5,
        default_interval_seconds=1.0, feed_max_backoff_seconds=2.0, fetch_timeout_seconds=2.0,
        host_min_spacing_seconds=0.0, host_concurrency=16, feeds_partitions=4, **extra)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 16)
               for i in range(8))
    + b']><rss version="2.0"><channel><title>laughs</title><item><title>&i;</title>'
    b"<link>https://laughs.farm.test/1</link></item></channel></rss>")


async def test_bombs_and_endless_chains_are_bounded(
        deployment: Deployment, farm: FeedFarm) -> None:
    """A gzip bomb (the size limit counts inflated bytes), an XML entity expansion, a
    100 MB single line, an endless redirect chain across host names: each fetch ends
    with its outcome, the producer goes on, the good feed is published."""
    urls = {
        "good": farm.add("good", items=[("one", "A story next to the bombs")]),
        "gzip-bomb": farm.add("gzip-bomb", "gzip_bomb", size=64 << 20),
        "laughs": farm.add("laughs", "static", body=BILLION_LAUGHS),
        "line": farm.add("line", "huge", size=100 << 20),
        "chain": farm.add("chain", "chain"),
    }
    # Loopback under two names: allowed here, so that the chain is followed hop by hop.
    settings = fast_settings(deployment, fetch_allow_private_addresses=True)
    await register(settings, [Feed(id=name, url=url, name=name) for name, url in urls.items()])
    metrics = Metrics(CollectorRegistry())

    fetches, final = fetch_counts(metrics)

    stop = asyncio.Event()
    async with ProducerService(settings, metrics) as service:
        runner = asyncio.create_task(service.run(stop))
        await farm.until(lambda: fetches("gzip-bomb", "too_large") >= 2
                         and fetches("line", "too_large") >= 2
                         and fetches("chain", "redirect_error") >= 2
                         and fetches("laughs", "ok") + fetches("laughs", "parse_error") >= 1
                         and fetches("good", "ok") >= 1, 60, "every bomb counted")
        assert not runner.done(), "the producer stopped"
        final.update(snapshot(metrics))  # a stopping producer drops its feeds' series
        stop.set()
        await runner
    # The chain was cut after the redirect limit, on every poll.
    polls = fetches("chain", "redirect_error")
    assert farm.count("chain") <= (polls + 1) * (settings.fetch_max_redirects + 1)
    published = [loads(v) for _k, v in await deployment.read("articles.raw", count=2,
                                                               timeout=10)]
    assert "A story next to the bombs" in [a["title"] for a in published]
    # The entities were never expanded (expat's amplification limit): whatever the
    # lenient parse kept of that feed is a few characters, not gigabytes.
    laughs = [a for a in published if a["feed_id"] == "laughs"]
    assert all(len(a["title"]) + len(a["text"]) < 1000 for a in laughs)


async def test_hostile_feeds_are_counted_and_nothing_crashes(
        deployment: Deployment, farm: FeedFarm) -> None:
    items = [("one", "First story of the day"), ("two", "Second story of the day")]
    urls = {
        "good": farm.add("good", items=list(items)),
        "malformed": farm.add("malformed", "static", body=b'<?xml version="1.0"?><rss '
                              b'version="2.0"><channel><title>Broken</ti></channel>'),
        "html": farm.add("html", "static", body=b"<html><body>Moved</body></html>",
                         content_type="text/html"),
        "cp1251-says-utf8": farm.add("cp1251-says-utf8", "static", body=rss_text(
            RUSSIAN, "ru", "utf-8", "подробности позже").encode("cp1251")),
        "utf8-says-latin1": farm.add("utf8-says-latin1", "static", body=rss_text(
            FRENCH, "fr", "iso-8859-1").encode("utf-8")),
        "latin1-undeclared": farm.add("latin1-undeclared", "static", body=rss_text(
            FRENCH, "fr2", None).encode("latin-1"), content_type="application/xml"),
        "huge": farm.add("huge", "huge", size=20 * 1024 * 1024),
        "trickle": farm.add("trickle", "trickle"),
        "limited": farm.add("limited", "status", status=429, headers={"Retry-After": "3"}),
        "unavailable": farm.add("unavailable", "status", status=503,
                                headers={"Retry-After": "2"}),
        "loop-a": farm.add("loop-a", "loop", headers={"to": "loop-b"}),
        "guids": farm.add("guids", "changing_guids", items=list(items)),
        "json": farm.add("json", "json", items=[("j1", "A JSON Feed story")]),
        # 100,000 attributes on one element: feedparser would take over a minute
        "crowded": farm.add("crowded", "static", body=rss_text(FRENCH, "fr3", "utf-8").replace(
            "<item>", "<item " + " ".join(f'n{i}="{i}"' for i in range(100_000)) + ">", 1
        ).encode()),
        # an author of 100,000 letters: feedparser's e-mail pattern would take ~40 s
        "slow": farm.add("slow", "static", body=rss_text(FRENCH, "fr4", "utf-8").replace(
            "<item>", "<item><author>" + "a" * 100_000 + "</author>", 1).encode()),
    }
    farm.add("loop-b", "loop", headers={"to": "loop-a"})
    languages = {"cp1251-says-utf8": "ru", "latin1-undeclared": "fr"}
    settings = fast_settings(deployment, parse_timeout_seconds=3.0)
    await register(settings, [Feed(id=name, url=url, name=name, language=languages.get(name))
                              for name, url in urls.items()])
    metrics = Metrics(CollectorRegistry())
    fetches, final = fetch_counts(metrics)

    def guids_seen() -> float:
        return metrics.registry.get_sample_value(
            "mediawatch_feed_entries_total", {"feed": "guids", "outcome": "seen"}) or 0.0

    stop = asyncio.Event()
    async with ProducerService(settings, metrics) as service:
        runner = asyncio.create_task(service.run(stop))
        # Every feed answered at least twice (the slow ones included), "good" got a 304.
        await farm.until(lambda: all(farm.count(n) >= 2 for n in urls) and any(
            r.status == 304 for r in farm.log("good")), 60, "two polls of every feed")
        await farm.until(lambda: fetches("trickle", "timeout") >= 2
                         and fetches("huge", "too_large") >= 2, 30, "slow feeds counted")
        # "guids" answered twice; its second answer is counted once the producer has
        # parsed it, which the farm's count does not wait for
        await farm.until(lambda: guids_seen() >= 2, 30, "the second poll of guids counted")
        assert not runner.done(), "the producer stopped"
        final.update(snapshot(metrics))  # a stopping producer drops its feeds' series
        seen = metrics.registry.get_sample_value(
            "mediawatch_feed_entries_total", {"feed": "guids", "outcome": "seen"})
        stop.set()
        await runner
    # The feeds this instance no longer polls left no series behind.
    assert metrics.registry.get_sample_value(
        "mediawatch_feed_fetches_total", {"feed": "good", "outcome": "ok"}) is None

    expected = {"good": "not_modified", "malformed": "parse_error", "html": "parse_error",
                "huge": "too_large", "trickle": "timeout", "limited": "rate_limited",
                "unavailable": "server_error", "loop-a": "redirect_error",
                "cp1251-says-utf8": "ok", "guids": "ok", "json": "ok",
                "crowded": "parse_error", "slow": "parse_error"}
    for feed, outcome in expected.items():
        assert fetches(feed, outcome) >= 1, (feed, outcome)
    assert fetches("good", "ok") == 1  # the first poll; the later ones were 304s

    # Retry-After was honoured: no second request to the rate-limited feed within 3 s.
    limited = farm.log("limited")
    assert limited[1].at - limited[0].at >= 2.9
    unavailable = farm.log("unavailable")
    assert unavailable[1].at - unavailable[0].at >= 1.9
    # Redirect loop: a few hops, never an endless chase.
    assert farm.count("loop-a") + farm.count("loop-b") <= 2 * (farm.count("loop-a") + 1)

    published = await deployment.read("articles.raw", count=20, timeout=8)
    titles = sorted(loads(v)["title"] for _k, v in published)
    # good: 2, guids: 2 (once, although their GUIDs changed on every fetch), json: 1,
    # encodings: 3; nothing from the broken feeds.
    assert titles == sorted([
        "First story of the day", "Second story of the day", "First story of the day",
        "Second story of the day", "A JSON Feed story", RUSSIAN, FRENCH, FRENCH])
    by_feed = {}
    for _key, value in published:
        article = loads(value)
        by_feed.setdefault(article["feed_id"], []).append(article)
    assert by_feed["json"][0]["url"] == "https://json.farm.test/story/j1"
    # A relative link in RSS is resolved against the URL the feed was fetched from.
    farm_host = farm.url.removeprefix("http://")
    assert by_feed["cp1251-says-utf8"][0]["url"] == f"https://{farm_host}/ru"
    assert "<b>" not in by_feed["utf8-says-latin1"][0]["text"]
    assert seen is not None and seen >= 2


ARTICLE_PAGE = ("<html><body><nav><a href='/'>Accueil</a></nav><article>"
                "<h1>Entretien à Rabat</h1><p>" + "Les deux ministres se sont entretenus mardi "
                "à Rabat des échanges commerciaux et de la coopération portuaire. " * 6
                + "</p></article></body></html>")
# under the markup limit, and more than a minute for trafilatura
HEAVY_PAGE = ARTICLE_PAGE.replace("</article>", "<p>a</p>" * 149_000 + "</article>")


async def test_a_slow_article_page_is_stopped_and_the_feeds_go_on(
        deployment: Deployment, farm: FeedFarm) -> None:
    """With article pages on, a page whose reading outlasts its limit is stopped in the
    page process: its entry is published with its summary, and so is the feed's other
    entry, whose page is not read; another feed's page is read as usual."""
    pages = {name: farm.add(name, "static", body=body.encode(), content_type="text/html")
             for name, body in (("page-one", ARTICLE_PAGE), ("page-heavy", HEAVY_PAGE),
                                ("page-heavy-2", HEAVY_PAGE))}

    def summary_feed(items: list[tuple[str, str, str]]) -> bytes:
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                "<title>t</title><link>https://pages.farm.test/</link><description>d"
                "</description>" + "".join(
                    f"<item><title>{title}</title><link>{pages[page]}</link>"
                    f"<guid>{guid}</guid><description>Résumé court.</description></item>"
                    for guid, title, page in items) + "</channel></rss>").encode()

    urls = {
        "light": farm.add("light", "static", body=summary_feed(
            [("l1", "Entretien à Rabat", "page-one")])),
        "heavy": farm.add("heavy", "static", body=summary_feed(
            [("h1", "Une page trop lourde", "page-heavy"),
             ("h2", "Une autre page trop lourde", "page-heavy-2")])),
    }
    settings = fast_settings(deployment, fetch_article_pages=True,
                             fetch_allow_private_addresses=True, page_timeout_seconds=3.0)
    await register(settings, [Feed(id=name, url=url, name=name) for name, url in urls.items()])
    metrics = Metrics(CollectorRegistry())

    def pages_counted(outcome: str) -> float:
        return metrics.registry.get_sample_value(
            "mediawatch_article_page_fetches_total", {"outcome": outcome}) or 0.0

    stop = asyncio.Event()
    async with ProducerService(settings, metrics) as service:
        runner = asyncio.create_task(service.run(stop))
        await farm.until(lambda: pages_counted("stopped") >= 1
                         and pages_counted("skipped") >= 1
                         and pages_counted("extracted") >= 1, 60, "pages read and stopped")
        assert not runner.done(), "the producer stopped"
        stop.set()
        await runner
    published = {loads(v)["title"]: loads(v)
                 for _k, v in await deployment.read("articles.raw", count=3, timeout=10)}
    assert "entretenus mardi à Rabat" in published["Entretien à Rabat"]["text"]
    heavy = [a for a in published.values() if a["feed_id"] == "heavy"]
    assert heavy and all(a["text"] == "Résumé court." for a in heavy)


# feedparser's e-mail pattern takes time with the square of an author's length: about
# 40 s for this one
SLOW_FEED = rss_text("Une longue signature", "long-author", "utf-8").replace(
    "<guid>", "<author>" + "a" * 100_000 + "</author><guid>").encode()


async def test_a_long_parse_holds_one_process_and_the_other_feeds_parse_on(
        deployment: Deployment, farm: FeedFarm) -> None:
    """While one feed's parse runs towards its limit in one parsing process, another
    feed is polled, parsed and published again and again in the other; the long parse
    ends as the feed's parse_error at the limit."""
    urls = {"long": farm.add("long", "static", body=SLOW_FEED),
            "brisk": farm.add("brisk", "changing_guids",
                              items=[("a", "Talks in Geneva end")])}
    settings = fast_settings(deployment, parse_timeout_seconds=20.0, parse_processes=2)
    await register(settings, [Feed(id=name, url=url, name=name) for name, url in urls.items()])
    metrics = Metrics(CollectorRegistry())
    fetches, _final = fetch_counts(metrics)

    def polls_done(feed: str) -> float:
        return sum(value for (name, _outcome), value in snapshot(metrics).items()
                   if name == feed)

    stop = asyncio.Event()
    async with ProducerService(settings, metrics) as service:
        runner = asyncio.create_task(service.run(stop))
        await farm.until(lambda: farm.count("long") >= 1, 30, "the long feed fetched")
        before = fetches("brisk", "ok")
        await farm.until(lambda: fetches("brisk", "ok") >= before + 3, 30,
                         "three polls of the other feed")
        assert polls_done("long") == 0, "the long parse ended before the other feed's polls"
        await farm.until(lambda: fetches("long", "parse_error") >= 1, 60,
                         "the long parse stopped at its limit")
        assert not runner.done(), "the producer stopped"
        stop.set()
        await runner
    (_key, value), = await deployment.read("articles.raw", count=1, timeout=10)
    assert loads(value)["title"] == "Talks in Geneva end"
