"""HTTP fetch of a feed with conditional GET (ETag, Last-Modified) and a body limit."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp

from streams.errors import FetchError

USER_AGENT = "mediawatch/0.1 (+news monitoring; feed reader)"
MAX_BODY_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FetchResult:
    status: int
    body: bytes | None          # None on 304 Not Modified
    etag: str | None
    last_modified: str | None
    url: str                    # final URL after redirects


async def fetch_feed(session: aiohttp.ClientSession, url: str, *, etag: str | None,
                     last_modified: str | None, timeout: float) -> FetchResult:
    """GET ``url`` conditionally; FetchError on timeout, connection error or HTTP error."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml,"
               " application/feed+json, application/xml;q=0.9, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with session.get(url, headers=headers, max_redirects=5,
                               timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            if response.status == 304:
                return FetchResult(304, None, etag, last_modified, str(response.url))
            if response.status >= 400:
                retry_after = response.headers.get("Retry-After")
                raise FetchError(f"HTTP {response.status}",
                                 retry_after=float(retry_after)
                                 if retry_after and retry_after.isdigit() else None)
            body = await response.content.read(MAX_BODY_BYTES + 1)
            if len(body) > MAX_BODY_BYTES:
                raise FetchError(f"body larger than {MAX_BODY_BYTES} bytes")
            return FetchResult(response.status, body, response.headers.get("ETag"),
                               response.headers.get("Last-Modified"), str(response.url))
    except (TimeoutError, asyncio.TimeoutError):
        raise FetchError(f"timed out after {timeout:.0f}s") from None
    except aiohttp.TooManyRedirects:
        raise FetchError("too many redirects") from None
    except aiohttp.ClientError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from None
