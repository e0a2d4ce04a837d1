"""Polite HTTP fetching of feeds and article pages.

* conditional GET (If-None-Match / If-Modified-Since), a User-Agent naming the service;
* per-host politeness: at most ``host_concurrency`` requests in flight per host, starts
  at least ``host_min_spacing_seconds`` apart, and a host that answered 429 or 503 with
  Retry-After is left alone for that long (a day at most) by every feed on it;
* a global limit of fetches in flight;
* redirects followed by hand (each hop passes the host gate), at most
  ``fetch_max_redirects``, a loop detected at once;
* links from feeds (article pages) and redirects to another host are fetched only at
  public addresses (:mod:`producers.addresses`), through a second session whose
  resolver drops every other address; refusals are the ``address_refused`` outcome;
* one deadline for the whole fetch (a server trickling bytes cannot hold a slot);
* a maximum body size, checked on Content-Length and while reading.

Every failure is a ``FeedFetchError`` whose ``outcome`` names it for the metrics.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from producers.addresses import AddressRefused, address_allowed, check_link
from producers.feedurls import feed_host
from producers.schedule import MAX_RETRY_AFTER
from streams.errors import FetchError
from streams.retry_after import retry_after_seconds as read_retry_after
from streams.settings import Settings

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_HOST_PAUSE = 60.0   # a 429 without Retry-After pauses its host this long
CHUNK = 64 * 1024


class FeedFetchError(FetchError):
    """A fetch that failed; ``outcome`` is one of the fetch outcomes of the metrics:
    http_error, rate_limited, server_error, timeout, too_large, redirect_error,
    connection_error, address_refused."""

    def __init__(self, message: str, outcome: str, retry_after: float | None = None,
                 status: int | None = None) -> None:
        super().__init__(message, retry_after=retry_after)
        self.outcome = outcome
        self.status = status


@dataclass(frozen=True)
class FetchResult:
    status: int
    body: bytes | None          # None on 304 Not Modified
    etag: str | None
    last_modified: str | None
    url: str                    # final URL after redirects
    content_type: str | None = None
    permanent_redirect: str | None = None   # where a 301/308 pointed, if any


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds of a Retry-After header (delta-seconds or HTTP-date), at most
    ``MAX_RETRY_AFTER`` (a day: a server asking for years is not waited on for years,
    by the host pause nor by the feed's schedule); None when absent or unreadable."""
    seconds = read_retry_after(value, now)
    return None if seconds is None else min(seconds, MAX_RETRY_AFTER)


@dataclass
class _Host:
    semaphore: asyncio.Semaphore
    next_start: float = 0.0
    paused_until: float = 0.0


@dataclass
class HostGate:
    """Per-host concurrency and spacing, and pauses ordered by the host itself."""

    concurrency: int
    spacing: float
    hosts: dict[str, _Host] = field(default_factory=dict)

    def _host(self, host: str) -> _Host:
        entry = self.hosts.get(host)
        if entry is None:
            entry = self.hosts[host] = _Host(asyncio.Semaphore(self.concurrency))
        return entry

    def pause(self, host: str, seconds: float) -> None:
        entry = self._host(host)
        entry.paused_until = max(entry.paused_until, time.monotonic() + seconds)

    def paused_for(self, host: str) -> float:
        entry = self.hosts.get(host)
        return max(0.0, entry.paused_until - time.monotonic()) if entry else 0.0

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        entry = self._host(host)
        async with entry.semaphore:
            while True:
                now = time.monotonic()
                start = max(entry.next_start, entry.paused_until)
                if start <= now:
                    break
                await asyncio.sleep(start - now)
            entry.next_start = now + self.spacing
            yield


class _RefusedAddress(OSError):
    """Every address a name resolved to is refused (raised inside aiohttp's connect)."""


class GuardedResolver(AbstractResolver):
    """DNS answers without the addresses a feed's link may not reach."""

    def __init__(self, allow_private: bool) -> None:
        self._resolver = DefaultResolver()
        self.allow_private = allow_private

    async def resolve(self, host: str, port: int = 0,
                      family: Any = 0) -> list[ResolveResult]:
        found = await self._resolver.resolve(host, port, family)
        allowed = [r for r in found if address_allowed(r["host"], self.allow_private)]
        if not allowed:
            addresses = ", ".join(sorted({r["host"] for r in found}))
            raise _RefusedAddress(f"{host} resolves to {addresses}: not a public address")
        return allowed

    async def close(self) -> None:
        await self._resolver.close()


#: Article pages one producer fetches and reads at once.
PAGE_SLOTS = 8


class Fetcher:
    """Fetches URLs politely through one aiohttp session, and links from feeds through
    a second, guarded one (:mod:`producers.addresses`)."""

    def __init__(self, session: aiohttp.ClientSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.gate = HostGate(settings.host_concurrency, settings.host_min_spacing_seconds)
        self.slots = asyncio.Semaphore(settings.fetch_concurrency)
        #: Article pages fetched and read at once (producers.pages): each body, up to
        #: FETCH_MAX_BYTES, is held from its fetch until its text is extracted.
        self.page_slots = asyncio.Semaphore(PAGE_SLOTS)
        self._guarded: aiohttp.ClientSession | None = None

    def guarded_session(self) -> aiohttp.ClientSession:
        """The session for links from feeds; its resolver refuses non-public addresses."""
        if self._guarded is None:
            self._guarded = new_session(self.settings, guarded=True)
        return self._guarded

    async def close(self) -> None:
        """Close the guarded session (the caller owns ``session``)."""
        if self._guarded is not None:
            await self._guarded.close()
            self._guarded = None

    async def get(self, url: str, *, etag: str | None = None,
                  last_modified: str | None = None, accept: str = FEED_ACCEPT,
                  timeout: float | None = None,
                  on_request: Callable[[], None] | None = None,
                  from_feed: bool = False) -> FetchResult:
        """GET ``url`` (conditionally when validators are given); FeedFetchError on
        any failure, with Retry-After as ``retry_after`` when the server sent one.

        ``from_feed``: the URL is a link found in a feed (an article page), not one the
        operator configured; it and every redirect are then held to the address
        policy, as is a redirect of a configured URL to another host.
        The time budget ``timeout`` counts only while requests are under way, not the
        wait for the host's turn; ``on_request`` is called when the first request
        starts (until then the fetch may be cancelled without anything having been
        sent)."""
        budget = timeout or self.settings.fetch_timeout_seconds
        try:
            return await self._get(url, etag, last_modified, accept, budget, on_request,
                                   from_feed)
        except TimeoutError:
            raise FeedFetchError(f"timed out after {budget:g}s", "timeout") from None
        except AddressRefused as exc:
            raise FeedFetchError(str(exc), "address_refused") from None
        except aiohttp.ClientConnectorDNSError as exc:
            if isinstance(exc.os_error, _RefusedAddress):
                raise FeedFetchError(str(exc.os_error), "address_refused") from None
            raise FeedFetchError(f"{type(exc).__name__}: {exc}", "connection_error") from None
        except aiohttp.ClientError as exc:
            raise FeedFetchError(f"{type(exc).__name__}: {exc}", "connection_error") from None
        except ValueError as exc:  # a URL yarl cannot use
            raise FeedFetchError(f"unusable URL: {exc}", "http_error") from None

    async def _get(self, url: str, etag: str | None, last_modified: str | None,
                   accept: str, budget: float,
                   on_request: Callable[[], None] | None, from_feed: bool) -> FetchResult:
        headers = {"User-Agent": self.settings.user_agent, "Accept": accept,
                   "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        visited = [url]
        permanent: str | None = None
        current = url
        origin = urlsplit(url).netloc.lower()
        allow_private = self.settings.fetch_allow_private_addresses
        while True:
            session = self.session
            if from_feed or urlsplit(current).netloc.lower() != origin:
                check_link(current, allow_private)
                session = self.guarded_session()
            host = feed_host(current)
            async with self.gate.slot(host), self.slots:
                if on_request is not None:
                    on_request()
                    on_request = None
                started = time.monotonic()
                try:
                    async with asyncio.timeout(budget), session.get(
                            current, headers=headers, allow_redirects=False) as response:
                        status = response.status
                        location = response.headers.get("Location")
                        if status in REDIRECTS and location:
                            target = urljoin(current, location)
                            if target in visited:
                                raise FeedFetchError(f"redirect loop at {target}",
                                                     "redirect_error", status=status)
                            if len(visited) > self.settings.fetch_max_redirects:
                                raise FeedFetchError(
                                    f"more than {self.settings.fetch_max_redirects} redirects",
                                    "redirect_error", status=status)
                            if status in (301, 308) and len(visited) == 1:
                                permanent = target
                            visited.append(target)
                            current = target
                            continue
                        if status == 304:
                            return FetchResult(
                                304, None, response.headers.get("ETag") or etag,
                                response.headers.get("Last-Modified") or last_modified,
                                current, permanent_redirect=permanent)
                        if status >= 400:
                            self._refused(host, status, response.headers.get("Retry-After"))
                        body = await self._body(response)
                        return FetchResult(status, body, response.headers.get("ETag"),
                                           response.headers.get("Last-Modified"), current,
                                           response.headers.get("Content-Type"), permanent)
                finally:
                    budget -= time.monotonic() - started
                    if budget <= 0:
                        budget = 0.001

    def _refused(self, host: str, status: int, retry_after_header: str | None) -> None:
        retry_after = retry_after_seconds(retry_after_header)
        if status == 429:
            self.gate.pause(host, retry_after if retry_after is not None else DEFAULT_HOST_PAUSE)
            raise FeedFetchError("HTTP 429 Too Many Requests", "rate_limited",
                                 retry_after=retry_after, status=status)
        if status >= 500:
            if retry_after is not None:
                self.gate.pause(host, retry_after)
            raise FeedFetchError(f"HTTP {status}", "server_error", retry_after=retry_after,
                                 status=status)
        raise FeedFetchError(f"HTTP {status}", "http_error", retry_after=retry_after,
                             status=status)

    async def _body(self, response: aiohttp.ClientResponse) -> bytes:
        limit = self.settings.fetch_max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FeedFetchError(f"body of {declared} bytes is larger than {limit}",
                                 "too_large", status=response.status)
        parts: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(CHUNK):
            size += len(chunk)
            if size > limit:
                raise FeedFetchError(f"body larger than {limit} bytes", "too_large",
                                     status=response.status)
            parts.append(chunk)
        return b"".join(parts)


def new_session(settings: Settings, guarded: bool = False) -> aiohttp.ClientSession:
    """A fetching session; ``guarded``: its resolver drops non-public addresses."""
    resolver = GuardedResolver(settings.fetch_allow_private_addresses) if guarded else None
    connector = aiohttp.TCPConnector(limit=settings.fetch_concurrency, limit_per_host=0,
                                     ttl_dns_cache=300, resolver=resolver)
    return aiohttp.ClientSession(connector=connector, auto_decompress=True,
                                 timeout=aiohttp.ClientTimeout(
                                     total=None, sock_connect=10.0))
