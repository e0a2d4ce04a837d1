"""The polite fetcher against a real local HTTP server (sockets on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web

from producers.fetching import FeedFetchError, Fetcher, new_session, retry_after_seconds
from producers.schedule import MAX_RETRY_AFTER
from streams.settings import Settings

from ..localhttp import serving


@dataclasses.dataclass
class Server:
    url: str
    seen: list[tuple[str, float, dict[str, str]]]


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    seen: list[tuple[str, float, dict[str, str]]] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        seen.append((name, time.monotonic(), dict(request.headers)))
        if name == "feed":
            if request.headers.get("If-None-Match") == '"v1"':
                return web.Response(status=304, headers={"ETag": '"v1"'})
            return web.Response(body=b"<rss/>", headers={"ETag": '"v1"'})
        if name.startswith("hop"):
            number = int(name[3:])
            return web.Response(status=301, headers={"Location": f"/x/hop{number + 1}"})
        if name == "limited":
            return web.Response(status=429, headers={"Retry-After": "1"})
        if name == "for-years":
            return web.Response(status=503, headers={"Retry-After": "999999999"})
        if name == "until-9999":
            return web.Response(status=429,
                                headers={"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"})
        if name == "big":
            return web.Response(body=b"x" * 5000)
        if name == "slow":
            await asyncio.sleep(0.3)
            return web.Response(body=b"late")
        if name == "gone":
            return web.Response(status=410)
        if name == "to-name":  # the same server under another host name
            port = request.url.port
            return web.Response(status=302, headers={"Location": f"http://localhost:{port}/x/feed"})
        if name == "to-metadata":
            return web.Response(status=302,
                                headers={"Location": "http://169.254.169.254/latest/meta-data"})
        if name == "to-file":
            return web.Response(status=302, headers={"Location": "file:///etc/passwd"})
        return web.Response(status=404)

    async with serving("GET", "/x/{name}", handle) as url:
        yield Server(url, seen)


def settings(**changes: object) -> Settings:
    base: dict[str, object] = {"host_min_spacing_seconds": 0.0, "fetch_timeout_seconds": 5.0}
    return dataclasses.replace(Settings(), **{**base, **changes})  # type: ignore[arg-type]


async def test_conditional_get_and_user_agent(server: Server) -> None:
    async with new_session(settings()) as session:
        fetcher = Fetcher(session, settings())
        first = await fetcher.get(f"{server.url}/x/feed")
        again = await fetcher.get(f"{server.url}/x/feed", etag=first.etag)
    assert (first.status, first.body, first.etag) == (200, b"<rss/>", '"v1"')
    assert (again.status, again.body) == (304, None)
    headers = server.seen[-1][2]
    assert headers["User-Agent"].startswith("mediawatch/")
    assert headers["If-None-Match"] == '"v1"'


async def test_redirects_are_bounded_and_permanent_ones_reported(server: Server) -> None:
    async with new_session(settings()) as session:
        fetcher = Fetcher(session, settings(fetch_max_redirects=3))
        with pytest.raises(FeedFetchError, match="more than 3 redirects") as caught:
            await fetcher.get(f"{server.url}/x/hop0")
    assert caught.value.outcome == "redirect_error"
    assert [name for name, _, _ in server.seen] == ["hop0", "hop1", "hop2", "hop3"]


async def test_size_time_and_status_failures_are_typed(server: Server) -> None:
    async with new_session(settings()) as session:
        fetcher = Fetcher(session, settings(fetch_max_bytes=1000))
        outcomes = {}
        for name in ("big", "gone", "nowhere"):
            with pytest.raises(FeedFetchError) as caught:
                await fetcher.get(f"{server.url}/x/{name}")
            outcomes[name] = (caught.value.outcome, caught.value.status)
        with pytest.raises(FeedFetchError, match="timed out") as slow:
            await fetcher.get(f"{server.url}/x/slow", timeout=0.1)
    assert outcomes == {"big": ("too_large", 200), "gone": ("http_error", 410),
                        "nowhere": ("http_error", 404)}
    assert slow.value.outcome == "timeout"
    async with new_session(settings()) as session:
        with pytest.raises(FeedFetchError) as refused:
            # Nothing listens on port 9 of loopback.
            await Fetcher(session, settings()).get("http://127.0.0.1:9/x")
    assert refused.value.outcome == "connection_error"


async def test_a_429_pauses_the_whole_host(server: Server) -> None:
    async with new_session(settings()) as session:
        fetcher = Fetcher(session, settings())
        with pytest.raises(FeedFetchError) as caught:
            await fetcher.get(f"{server.url}/x/limited")
        assert (caught.value.outcome, caught.value.retry_after) == ("rate_limited", 1.0)
        assert fetcher.gate.paused_for("127.0.0.1") > 0.5
        await fetcher.get(f"{server.url}/x/feed")   # another feed on the same host waits
    (_, limited_at, _), (_, next_at, _) = server.seen
    assert next_at - limited_at >= 0.95


@pytest.mark.parametrize("name", ["for-years", "until-9999"])
async def test_a_host_pause_lasts_a_day_at_most(server: Server, name: str) -> None:
    async with new_session(settings()) as session:
        fetcher = Fetcher(session, settings())
        with pytest.raises(FeedFetchError) as caught:
            await fetcher.get(f"{server.url}/x/{name}")
    assert caught.value.retry_after == MAX_RETRY_AFTER
    assert MAX_RETRY_AFTER - 60 < fetcher.gate.paused_for("127.0.0.1") <= MAX_RETRY_AFTER


async def test_host_spacing_and_concurrency(server: Server) -> None:
    polite = settings(host_min_spacing_seconds=0.2, host_concurrency=1)
    async with new_session(polite) as session:
        fetcher = Fetcher(session, polite)
        await asyncio.gather(*(fetcher.get(f"{server.url}/x/feed") for _ in range(4)))
    starts = [at for _, at, _ in server.seen]
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(starts))


def test_retry_after_forms() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True),
                               now) == 90.0
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True),
                               now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


async def test_redirects_to_another_host_obey_the_address_policy(server: Server) -> None:
    # The feed URL is the operator's choice (loopback here); where it redirects is not.
    async with new_session(settings()) as session:
        fetcher = Fetcher(session, settings())
        outcomes = {}
        for name in ("to-name", "to-metadata", "to-file"):
            with pytest.raises(FeedFetchError) as caught:
                await fetcher.get(f"{server.url}/x/{name}")
            outcomes[name] = caught.value.outcome
        same_host = await fetcher.get(f"{server.url}/x/feed")
        await fetcher.close()
    assert outcomes == dict.fromkeys(outcomes, "address_refused")
    assert same_host.status == 200
    assert "feed" in [name for name, _, _ in server.seen]
    assert [name for name, _, _ in server.seen].count("feed") == 1  # never reached by a hop

    allowing = settings(fetch_allow_private_addresses=True)
    async with new_session(allowing) as session:
        fetcher = Fetcher(session, allowing)
        followed = await fetcher.get(f"{server.url}/x/to-name")
        with pytest.raises(FeedFetchError) as caught:  # link-local: never
            await fetcher.get(f"{server.url}/x/to-metadata")
        await fetcher.close()
    assert followed.status == 200 and followed.url.startswith("http://localhost:")
    assert caught.value.outcome == "address_refused"
