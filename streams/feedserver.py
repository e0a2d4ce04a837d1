"""A local HTTP server for feed files (used by `make run` and by the tests).

Serves a directory on loopback with Last-Modified / If-Modified-Since (304) and an
ETag, like a well-behaved feed host.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
from pathlib import Path


class FeedRequestHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012  (overrides the base class's mapping)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/rss+xml; charset=utf-8",
        ".atom": "application/atom+xml; charset=utf-8",
        ".json": "application/feed+json; charset=utf-8",
    }

    def _etag(self) -> str | None:
        path = self.translate_path(self.path)
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return '"' + hashlib.sha1(f"{stat.st_mtime_ns}-{stat.st_size}".encode()).hexdigest() + '"'

    def send_head(self):  # type: ignore[no-untyped-def]
        etag = self._etag()
        if etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        return super().send_head()

    def end_headers(self) -> None:
        if self.command in ("GET", "HEAD"):
            etag = self._etag()
            sent = getattr(self, "_headers_buffer", [])
            if etag and not any(h.startswith(b"ETag") for h in sent):
                self.send_header("ETag", etag)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def make_server(directory: Path, port: int = 0,
                host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    handler = functools.partial(FeedRequestHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve_directory(directory: Path, port: int, host: str = "127.0.0.1") -> None:
    with make_server(directory, port, host) as server:
        server.serve_forever()
