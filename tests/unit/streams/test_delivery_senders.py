"""The Slack and signed-webhook senders against a real local HTTP server (sockets on
127.0.0.1): redirects, Retry-After, what an attempt in flight may have delivered."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from aiohttp import web

from streams.delivery import RetryingSender, SignedWebhook, SlackWebhook, _retry_after
from streams.errors import DeliveryRejected
from streams.records import Alert

from ..localhttp import serving


@dataclasses.dataclass
class Seen:
    method: str
    path: str
    at: float
    body: bytes


@dataclasses.dataclass
class Server:
    url: str
    seen: list[Seen]
    #: path → the responses to give, in turn (then 200)
    script: dict[str, list[web.Response]]
    #: path → an event the answer waits for
    gates: dict[str, asyncio.Event] = dataclasses.field(default_factory=dict)
    #: set when a request arrives
    arrived: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    seen: list[Seen] = []
    script: dict[str, list[web.Response]] = {}
    gates: dict[str, asyncio.Event] = {}
    arrived = asyncio.Event()

    async def handle(request: web.Request) -> web.StreamResponse:
        seen.append(Seen(request.method, request.path, time.monotonic(),
                         await request.read()))
        arrived.set()
        name = request.match_info["name"]
        if name in gates:
            await gates[name].wait()
        if name.startswith("r3"):  # /r301 → /landing
            return web.Response(status=int(name[1:]), headers={"Location": "/landing"})
        queued = script.get(name)
        if queued:
            return queued.pop(0)
        return web.Response(text="ok")

    async with serving("*", "/{name}", handle) as url:
        yield Server(url, seen, script, gates, arrived)


def _alert() -> Alert:
    return Alert(
        alert_id="a1", version=1, rule="bilateral-meetings", severity="medium",
        event_type="bilateral_meeting", story_id="s1", article_id="x",
        title="Ministers of Avalon and Borduria meet", url="https://news.example/a",
        source="Wire", lang="en", countries=["CN", "RU"], regions=[], keywords=[],
        evidence="The ministers met in Ruritania.",
        created_at=datetime(2026, 12, 1, tzinfo=UTC), parties=["CN", "RU"])


SENDERS: dict[str, Any] = {
    "slack": lambda url, **kw: SlackWebhook(url, **kw),
    "webhook": lambda url, **kw: SignedWebhook(url, b"k3y", **kw),
}


async def _send(sender: RetryingSender) -> None:
    try:
        await sender.send(_alert(), {"id": "a1.1", "data": {}})
    finally:
        await sender.close()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("route", sorted(SENDERS))
async def test_a_redirect_is_a_rejection_and_is_not_followed(server: Server, route: str,
                                                             status: int) -> None:
    sender = SENDERS[route](f"{server.url}/r{status}", min_interval=0.0)
    with pytest.raises(DeliveryRejected, match=(
            rf"{route} rejected the alert: the endpoint redirected \(HTTP {status}\); "
            "redirects are not followed, update the route's URL")) as caught:
        await _send(sender)
    assert [(s.method, s.path) for s in server.seen] == [("POST", f"/r{status}")]
    assert server.seen[0].body  # the alert was in the one request made
    assert "127.0.0.1" not in str(caught.value)  # the URL is a secret


@pytest.mark.parametrize("route", sorted(SENDERS))
async def test_both_senders_deliver_to_a_plain_endpoint(server: Server, route: str) -> None:
    await _send(SENDERS[route](f"{server.url}/hook", min_interval=0.0))
    assert [(s.method, s.path) for s in server.seen] == [("POST", "/hook")]


async def test_a_retired_webhook_finishes_the_send_under_way_then_closes(
        server: Server) -> None:
    sender = SignedWebhook(f"{server.url}/hook", b"k3y", min_interval=0.0)
    await sender.send(_alert(), {"id": "a1.1", "data": {}})
    session = sender._session
    assert session is not None and not session.closed  # kept for the next alert
    server.gates["hook"] = gate = asyncio.Event()
    server.arrived.clear()
    sending = asyncio.ensure_future(sender.send(_alert(), {"id": "a1.2", "data": {}}))
    await server.arrived.wait()
    await sender.retire()
    assert not session.closed  # not under the request in flight
    gate.set()
    await sending  # delivered, not failed by a closed connection
    assert session.closed and sender._session is None
    assert [s.path for s in server.seen] == ["/hook", "/hook"]
    idle = SignedWebhook(f"{server.url}/other", b"k3y", min_interval=0.0)
    await idle.send(_alert(), {"id": "a1.1", "data": {}})
    kept = idle._session
    await idle.retire()
    assert kept is not None and kept.closed  # nothing under way: closed at once


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert _retry_after({"Retry-After": "120"}, now) == 120.0
    assert _retry_after({"retry-after": " 7 "}, now) == 7.0
    assert _retry_after({"Retry-After": format_datetime(now + timedelta(seconds=90),
                                                        usegmt=True)}, now) == 90.0
    assert _retry_after({"Retry-After": "Tue, 01 Dec 2026 12:00:30 GMT"}, now) == 30.0
    assert _retry_after({"Retry-After": "Tue, 01 Dec 2026 11:59:00 GMT"}, now) == 0.0
    assert _retry_after({"Retry-After": "Sunday"}, now) is None
    assert _retry_after({"Retry-After": ""}, now) is None
    assert _retry_after({}, now) is None


@pytest.mark.parametrize("route", sorted(SENDERS))
async def test_a_retry_after_date_is_waited_for_within_the_cap(server: Server,
                                                               route: str) -> None:
    tomorrow = format_datetime(datetime.now(UTC) + timedelta(days=1), usegmt=True)
    server.script["hook"] = [web.Response(status=429, headers={"Retry-After": tomorrow})]
    sender = SENDERS[route](f"{server.url}/hook", min_interval=0.0, base_delay=0.01,
                            max_retry_after=1.0)
    await _send(sender)
    first, second = server.seen
    assert 0.95 <= second.at - first.at < 5.0  # capped at max_retry_after, not a day


async def test_an_attempt_that_timed_out_stays_in_flight_whatever_follows() -> None:
    # the first request gets no answer in time (the endpoint may still post it), the
    # second a 500, the third is taken: only the 500 of a lone attempt clears the mark
    answers = iter([None, 500, 500, 200, 200])
    hold = asyncio.Event()

    async def handle(request: web.Request) -> web.StreamResponse:
        await request.read()
        status = next(answers, 400)
        if status is None:
            await hold.wait()  # answers only after the client gave up
            status = 200
        return web.Response(status=status, text="ok")

    marks: list[bool] = []

    async def on_attempt(attempting: bool) -> None:
        marks.append(attempting)

    async with serving("POST", "/{name}", handle) as url:
        try:
            sender = SlackWebhook(f"{url}/hook", timeout=0.3, min_interval=0.0,
                                  base_delay=0.01)
            await sender.send(_alert(), {"id": "a1.1", "data": {}}, on_attempt=on_attempt)
            assert marks == [True, True, True, True]  # never cleared after the time-out
            marks.clear()
            await sender.send(_alert(), {"id": "a1.1", "data": {}}, on_attempt=on_attempt)
            assert marks == [True]
        finally:
            hold.set()  # the held request ends before the server does


async def test_a_refused_attempt_clears_the_in_flight_mark(server: Server) -> None:
    server.script["hook"] = [web.Response(status=500), web.Response(status=503)]
    marks: list[bool] = []

    async def on_attempt(attempting: bool) -> None:
        marks.append(attempting)

    sender = SlackWebhook(f"{server.url}/hook", min_interval=0.0, base_delay=0.01)
    await sender.send(_alert(), {"id": "a1.1", "data": {}}, on_attempt=on_attempt)
    assert marks == [True, False, True, False, True]
