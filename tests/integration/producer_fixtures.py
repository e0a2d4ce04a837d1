"""A local feed farm for the producer tests and benchmark: real sockets on 127.0.0.1.

One aiohttp server in a thread of its own serves any number of feeds at
``/f/<name>``, each with a behaviour: a well-behaved RSS feed with ETag/304, a static
body, a huge body, a slow trickle, an HTTP status with Retry-After, a redirect loop,
an endless redirect chain across host names, a gzip bomb, GUIDs that change on every
fetch, a JSON Feed. Every request is logged with its time,
so tests wait on what the server saw instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import io
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

import orjson
from aiohttp import web


@dataclass
class Behaviour:
    kind: str                       # rss | static | huge | trickle | status | loop |
    #                                 chain | gzip_bomb | changing_guids | json
    items: list[tuple[str, str]] = field(default_factory=list)   # (slug, title)
    version: int = 0
    body: bytes = b""
    content_type: str = "application/rss+xml"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    size: int = 0
    fetches: int = 0


@dataclass(frozen=True)
class Request:
    name: str
    at: float
    status: int


def rss(name: str, items: list[tuple[str, str]], guid_suffix: str = "") -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>https://{name}.farm.test/story/{slug}</link>"
        f"<guid isPermaLink=\"false\">{name}-{slug}{guid_suffix}</guid>"
        f"<pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate>"
        f"<description>&lt;p&gt;Report about {title}.&lt;/p&gt;</description></item>"
        for slug, title in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{name}</title><link>https://{name}.farm.test/</link>"
            f"<description>farm feed</description>{entries}</channel></rss>").encode()


def json_feed(name: str, items: list[tuple[str, str]]) -> bytes:
    return orjson.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": name,
        "home_page_url": f"https://{name}.farm.test/", "language": "en",
        "items": [{"id": f"{name}-{slug}", "url": f"/story/{slug}", "title": title,
                   "content_html": f"<p>Report about {title}.</p>",
                   "date_published": "2026-11-27T10:00:00Z"} for slug, title in items]})


class FeedFarm:
    def __init__(self) -> None:
        self.feeds: dict[str, Behaviour] = {}
        self.requests: list[Request] = []
        self.url = ""
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    # ---------------------------------------------------------------- set-up
    def add(self, name: str, kind: str = "rss", **options: object) -> str:
        self.feeds[name] = Behaviour(kind=kind, **options)  # type: ignore[arg-type]
        return f"{self.url}/f/{name}"

    def set_items(self, name: str, items: list[tuple[str, str]]) -> None:
        behaviour = self.feeds[name]
        behaviour.items = items
        behaviour.version += 1

    # ---------------------------------------------------------------- observations
    def log(self, name: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if name is None or r.name == name]

    def count(self, name: str) -> int:
        return len(self.log(name))

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str,
                 alive: Callable[[], None] | None = None) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if alive is not None:
                alive()
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
            time.sleep(0.05)

    async def until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
            await asyncio.sleep(0.05)

    # ---------------------------------------------------------------- server
    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/f/{name}", self._handle)
        self._runner = web.AppRunner(app, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    def _record(self, name: str, status: int) -> None:
        with self._lock:
            self.requests.append(Request(name, time.time(), status))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        behaviour = self.feeds.get(name)
        if behaviour is None:
            self._record(name, 404)
            return web.Response(status=404)
        behaviour.fetches += 1
        kind = behaviour.kind
        if kind in ("rss", "json"):
            etag = f'"{name}-v{behaviour.version}"'
            if request.headers.get("If-None-Match") == etag:
                self._record(name, 304)
                return web.Response(status=304, headers={"ETag": etag})
            body = (rss(name, behaviour.items) if kind == "rss"
                    else json_feed(name, behaviour.items))
            self._record(name, 200)
            return web.Response(body=body, headers={
                "ETag": etag, "Content-Type": "application/rss+xml; charset=utf-8"
                if kind == "rss" else "application/feed+json",
                "Last-Modified": format_datetime(datetime(2026, 11, 27, tzinfo=UTC),
                                                 usegmt=True)})
        if kind == "changing_guids":
            self._record(name, 200)
            return web.Response(body=rss(name, behaviour.items, f"-{behaviour.fetches}"),
                                content_type="application/rss+xml")
        if kind == "static":
            self._record(name, behaviour.status)
            return web.Response(body=behaviour.body, status=behaviour.status,
                                headers={"Content-Type": behaviour.content_type,
                                         **behaviour.headers})
        if kind == "status":
            self._record(name, behaviour.status)
            return web.Response(status=behaviour.status, headers=behaviour.headers)
        if kind == "loop":
            self._record(name, 302)
            other = behaviour.headers["to"]
            return web.Response(status=302, headers={"Location": f"/f/{other}"})
        if kind == "chain":  # a new address every hop, alternating two host names
            self._record(name, 302)
            hop = int(request.query.get("hop", "0")) + 1
            host = "localhost" if hop % 2 else "127.0.0.1"
            port = request.url.port
            return web.Response(status=302, headers={
                "Location": f"http://{host}:{port}/f/{name}?hop={hop}"})
        if kind == "gzip_bomb":  # a small body that inflates to ``size`` bytes
            self._record(name, 200)
            return web.Response(body=gzip_bomb(behaviour.size), headers={
                "Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        self._record(name, 200)
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            await response.prepare(request)
            if kind == "huge":
                chunk = b"<!-- " + b"x" * 65_000 + b" -->"
                sent = 0
                while sent < behaviour.size:
                    await response.write(chunk)
                    sent += len(chunk)
            else:  # trickle: one byte every 200 ms for up to a minute
                for _ in range(300):
                    await response.write(b" ")
                    await asyncio.sleep(0.2)
            await response.write_eof()
        return response


@functools.cache
def gzip_bomb(size: int) -> bytes:
    """An RSS document padded with ``size`` bytes of spaces, gzipped (about size/1000)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as archive:
        archive.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>b</title>')
        block = b" " * (1 << 20)
        for _ in range(size >> 20):
            archive.write(block)
        archive.write(b"</channel></rss>")
    return out.getvalue()


@contextlib.contextmanager
def running_farm() -> Iterator[FeedFarm]:
    farm = FeedFarm()
    farm.start()
    try:
        yield farm
    finally:
        farm.stop()
