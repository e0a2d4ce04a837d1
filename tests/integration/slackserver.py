"""A local HTTP server that behaves like Slack's incoming-webhook endpoint.

It answers each POST with the next scripted response (default ``200 ok``), including
``429`` with ``Retry-After``, ``500`` and Slack's 4xx errors such as ``404 no_service``,
and records every request it received with its arrival time. ``outage`` makes it answer
one status for a while (Slack down for minutes); ``slow`` makes it take its time before
answering (an endpoint that accepts slowly).
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Received:
    at: float
    path: str
    headers: dict[str, str]
    body: Any
    status: int
    raw: bytes = b""


@dataclass
class SlackServer:
    script: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    _server: http.server.ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _arrived: threading.Condition = field(default_factory=threading.Condition)
    _outage: tuple[float, int, str] | None = None  # (until, status, body)
    _delay: float = 0.0

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/services/T000/B000/XXXX"

    def respond(self, status: int, body: str = "", **headers: str) -> None:
        """Queue the response to the next request."""
        with self._lock:
            self.script.append((status, headers, body or ("ok" if status == 200 else "")))

    def outage(self, status: int, seconds: float, body: str = "service_unavailable") -> None:
        """Answer every request with ``status`` for the next ``seconds``."""
        with self._lock:
            self._outage = (time.monotonic() + seconds, status, body)

    def recover(self) -> None:
        """End the outage now."""
        with self._lock:
            self._outage = None

    def slow(self, seconds: float) -> None:
        """Take ``seconds`` before answering each request."""
        self._delay = seconds

    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.status == 200]

    def wait_for(self, count: int, timeout: float = 60.0, accepted: bool = True) -> list[Received]:
        """Block until ``count`` (accepted) requests arrived, or raise AssertionError."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                got = self.accepted() if accepted else list(self.received)
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} requests, got {len(got)}: {got}")
                self._arrived.wait(left)

    def start(self) -> None:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if owner._delay:
                    time.sleep(owner._delay)  # the endpoint is slow: that is the point
                with owner._lock:
                    outage = owner._outage
                    if outage is not None and time.monotonic() < outage[0]:
                        status, headers, body = outage[1], {}, outage[2]
                    else:
                        status, headers, body = (owner.script.pop(0) if owner.script
                                                 else (200, {}, "ok"))
                try:
                    payload = json.loads(raw)
                except ValueError:
                    payload = raw.decode("utf-8", "replace")
                    status, headers, body = 400, {}, "invalid_payload"
                with owner._arrived:
                    owner.received.append(Received(time.monotonic(), self.path,
                                                   dict(self.headers), payload, status, raw))
                    owner._arrived.notify_all()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body.encode())))
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
