"""Alert delivery: the console line, Slack incoming webhooks (Block Kit) and signed
generic webhooks.

Retry policy of every webhook, for a time budget (``retry_budget`` seconds from the
first attempt, ``MEDIAWATCH_DELIVERY_RETRY_BUDGET_SECONDS``, an hour by default) rather
than a number of attempts: 429 → wait Retry-After, seconds or an HTTP-date (at most
``max_retry_after`` seconds, ``MEDIAWATCH_DELIVERY_MAX_RETRY_AFTER_SECONDS``), and
every other sender of the same webhook waits too; 5xx, 408, timeouts and connection
errors → exponential backoff with full jitter, capped at ``max_delay``; other 4xx
(invalid_payload, no_service, a revoked webhook) → ``DeliveryRejected`` at once.
Redirects are not followed: a 3xx is ``DeliveryRejected`` too (the route's URL needs
updating; an HTTP client following a 301, 302 or 303 would fetch the new address with
a GET and no alert). When the next wait would end past the budget, ``DeliveryFailed``.
At most one message per ``min_interval`` seconds per webhook, shared by every
concurrent sender. Waits end early with ``DeliveryInterrupted`` when the caller's
``interrupt`` event is set. The webhook URL is a secret: it is never logged nor put in
an error message.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
from babel import Locale

from analysis.text import inert
from streams import __version__
from streams.codecs import json_default
from streams.errors import DeliveryFailed, DeliveryInterrupted, DeliveryRejected
from streams.records import MAX_URL_CHARS, Alert, cut
from streams.retry_after import retry_after_seconds

log = logging.getLogger(__name__)

_ENGLISH = Locale("en")


def country_name(code: str) -> str:
    return str(_ENGLISH.territories.get(code, code))


def _event_label(alert: Alert) -> str:
    if alert.event_type == "bilateral_meeting":
        return f"bilateral meeting ({alert.modality})" if alert.modality else "bilateral meeting"
    return f"sanctions rhetoric ({alert.stance or 'mention'})"


def _printable(text: str) -> str:
    """``text`` with every character a terminal would not print (a control character,
    a line break, a bidirectional override) shown as its escape, as ``repr`` shows it."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def console_line(alert: Alert) -> str:
    """One readable line: rule, event, parties, source, title. Nothing in it steers a
    terminal: the language, for one, can be a feed's declared one, as the feed wrote it."""
    parties = "-".join(alert.parties) if alert.parties else "-"
    title = " ".join(alert.title.split())
    return _printable(f"ALERT [{alert.rule}] {_event_label(alert)} parties={parties} "
                      f"lang={alert.lang} source={alert.source!r} title={title!r}")


def mrkdwn_escape(text: str) -> str:
    """Article or feed text made inert in Slack mrkdwn: ``&``, ``<`` and ``>`` escaped
    (Slack's rule), so that ``<!channel>``, ``<@U…>`` or ``<https://x|label>`` in an
    article show as text instead of pinging a channel or disguising a link."""
    return inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: Slack's limit on a text object (a section's text, a context element).
SLACK_TEXT_CHARS = 3_000


def _slack_url(url: str) -> str | None:
    """``url`` percent-encoded where a character could end a Slack link early, or None
    when it cannot be linked: not http(s), or longer than ``MAX_URL_CHARS`` once
    encoded (a character outside ASCII takes up to 12)."""
    if not url.lower().startswith(("http://", "https://")):
        return None
    safe = "".join(
        c if c.isascii() and c.isprintable() and c not in "<>| " else quote(c, safe="")
        for c in url
    )
    return safe if len(safe) <= MAX_URL_CHARS else None


def _slack_link(url: str, label: str, room: int = SLACK_TEXT_CHARS) -> str:
    """The service's own link to an article: an encoded http(s) URL and an escaped
    label; the label alone for any other scheme, for a URL longer than Slack would take
    once encoded, and for a link longer than ``room`` characters (what is left of its
    text object), so that a long address never makes Slack refuse the alert."""
    text = mrkdwn_escape(label[:200])
    safe = _slack_url(url)
    if safe is None:
        return text
    link = f"<{safe}|{text.replace('|', '¦')}>"
    return link if len(link) <= room else text


#: Control characters (tab and line breaks too) and line and paragraph separators: each
#: a space in the evidence, which Slack quotes as one line (a line break would end the
#: quote and show the rest of the article's text as the message's own).
_BREAKS = dict.fromkeys([*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029], " ")
_SPACES = re.compile(" {2,}")


def _marked(evidence: str, bounds: list[tuple[int, int]]) -> str:
    marked, cursor = [], 0
    for start, end in sorted(bounds, key=lambda b: (b[0], -b[1])):
        if start < cursor or not 0 <= start < end <= len(evidence):
            continue
        marked += [mrkdwn_escape(evidence[cursor:start]), "*",
                   mrkdwn_escape(evidence[start:end].strip()), "*"]
        cursor = end
    marked.append(mrkdwn_escape(evidence[cursor:]))
    return _SPACES.sub(" ", "".join(marked)).strip(" ")


def mark_spans(evidence: str, spans: list[list[Any]] | None,
               limit: int | None = None) -> str:
    """The evidence on one line, escaped for mrkdwn, with the matched words in Slack
    bold (``*word*``), in at most ``limit`` characters: a longer one is cut, with "…",
    before it is escaped, so that no escape (``&amp;``) and no bold word is split.
    Control characters and line breaks are spaces, and runs of spaces one."""
    evidence = evidence.translate(_BREAKS)  # one character for one: the spans still hold
    bounds = []
    for span in spans or []:  # spans come from a topic: skip any not [int, int, ...]
        if isinstance(span, list | tuple) and len(span) >= 2 and all(
                isinstance(x, int) and not isinstance(x, bool) for x in span[:2]):
            bounds.append((span[0], span[1]))
    marked = _marked(evidence, bounds)
    if limit is None or len(marked) <= limit:
        return marked
    keep = total = 0
    for char in evidence:  # the longest start whose escaped text leaves room for "…"
        total += len(mrkdwn_escape(char))
        if total > limit - 1:
            break
        keep += 1
    while True:  # bold marks take room too: cut further until it fits
        marked = _marked(evidence[:keep].rstrip(), bounds) + "…"
        if len(marked) <= limit or keep == 0:
            return marked
        keep = max(0, keep - (len(marked) - limit))


def _mrkdwn(value: object, limit: int) -> str:
    """A value of an alert as inert mrkdwn, cut to ``limit`` characters before it is
    escaped (at most 5 times longer once escaped)."""
    return mrkdwn_escape(cut(str(value), limit))


def slack_message(alert: Alert) -> dict[str, Any]:
    """A Block Kit message for ``alert``. Every value of the alert is escaped where
    Slack reads mrkdwn, and every text is within Slack's limits (a field 2,000
    characters, a text object 3,000, a header 150), whatever the alert holds."""
    event = _mrkdwn(_event_label(alert), 200)
    parties = " – ".join(f"{country_name(c)} ({c})" for c in alert.parties or [])
    fields = [f"*Event*\n{event}",
              f"*Rule*\n{_mrkdwn(alert.rule, 200)} ({_mrkdwn(alert.severity, 50)})"]
    if parties:
        fields.append(f"*Parties*\n{_mrkdwn(parties, 300)}")
    if alert.stance:
        fields.append(f"*Sanctions stance*\n{_mrkdwn(alert.stance, 100)}")
    if alert.regions:
        fields.append(f"*Regions*\n{_mrkdwn(', '.join(alert.regions[:8]), 300)}")
    more = f" +{alert.source_count - 1} sources" if alert.source_count > 1 else ""
    tail = (f" · {_mrkdwn(alert.lang, 35)} · alert {_mrkdwn(alert.alert_id, 100)}"
            f" v{alert.version}")
    sources = _slack_link(alert.url, alert.source,
                          SLACK_TEXT_CHARS - len(more) - len(tail)) + more
    headline = " ".join(inert(alert.title).split())[:150] or "(untitled)"
    evidence = mark_spans(alert.evidence, alert.spans, 2800)
    return {
        "text": f"{event}: {mrkdwn_escape(headline)}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": headline}},
            {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
            {"type": "section", "text": {"type": "mrkdwn", "text": f"> {evidence}"}},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": sources + tail}]},
        ],
    }


@dataclass(frozen=True)
class Response:
    status: int
    body: str
    headers: Mapping[str, str]


async def _wait(seconds: float, interrupt: asyncio.Event | None) -> None:
    """Sleep ``seconds``; raise DeliveryInterrupted as soon as ``interrupt`` is set."""
    if interrupt is None:
        if seconds > 0:
            await asyncio.sleep(seconds)
        return
    if interrupt.is_set():
        raise DeliveryInterrupted("delivery interrupted")
    if seconds <= 0:
        return
    try:
        await asyncio.wait_for(interrupt.wait(), seconds)
    except TimeoutError:
        return
    raise DeliveryInterrupted("delivery interrupted")


class RetryingSender:
    """Sends payloads to one endpoint with the retry policy of this module. Several
    tasks may send through one sender at once (one per partition of a route): they
    share its pacing and any Retry-After the endpoint asks for."""

    route = "webhook"
    #: One session kept for every request (closed by ``close``), or one per request.
    keep_alive = True

    def __init__(self, url: str, *, timeout: float = 10.0, retry_budget: float = 3600.0,
                 base_delay: float = 0.5, max_delay: float = 60.0,
                 min_interval: float = 1.0, max_retry_after: float = 120.0) -> None:
        self._url = url
        self.max_retry_after = max_retry_after
        self.timeout = timeout
        self.retry_budget = retry_budget
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.min_interval = min_interval
        self._next_slot = 0.0
        self._session: aiohttp.ClientSession | None = None
        self._sending = 0  # sends under way
        self._retired = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<secret url>)"

    async def _attempt(self, alert: Alert, event: dict[str, Any]) -> Response:
        raise NotImplementedError

    async def _post(self, body: bytes, headers: dict[str, str]) -> Response:
        """POST ``body`` to the endpoint once, redirects not followed."""
        headers = {"User-Agent": f"mediawatch-alerts/{__version__}", **headers}
        if not self.keep_alive:
            async with aiohttp.ClientSession(
                    timeout=aiohttp.ClientTimeout(total=self.timeout)) as session:
                return await self._post_with(session, body, headers)
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout))
        return await self._post_with(self._session, body, headers)

    async def _post_with(self, session: aiohttp.ClientSession, body: bytes,
                         headers: dict[str, str]) -> Response:
        async with session.post(self._url, data=body, headers=headers,
                                allow_redirects=False) as response:
            return Response(response.status, await response.text(errors="replace"),
                            dict(response.headers))

    async def close(self) -> None:
        """Release connections (the sender can still be used afterwards)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def retire(self) -> None:
        """Release connections once the sends under way are over (at once when there
        are none): for a sender that gets no more alerts, its route redefined or the
        worker stopping. Closing a session under a request would fail that attempt."""
        self._retired = True
        if not self._sending:
            await self.close()

    async def _pace(self, interrupt: asyncio.Event | None) -> None:
        """Wait for this sender's next free slot; slots are reserved in call order."""
        now = time.monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + self.min_interval
        await _wait(slot - now, interrupt)

    def _hold(self, seconds: float) -> None:
        """No attempt by any task before ``seconds`` from now (Retry-After)."""
        self._next_slot = max(self._next_slot, time.monotonic() + seconds)

    def _backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))

    async def send(self, alert: Alert, event: dict[str, Any] | None = None, *,
                   since: float | None = None,
                   interrupt: asyncio.Event | None = None,
                   on_attempt: Callable[[bool], Awaitable[None]] | None = None) -> None:
        """Deliver ``alert`` (its CloudEvent ``event``) or raise DeliveryRejected /
        DeliveryFailed / DeliveryInterrupted. ``since`` (unix time) is when delivery of
        this alert was first tried, the start of its retry budget (default: now).
        ``on_attempt(True)`` is awaited before each request, ``on_attempt(False)`` after
        one that surely did not deliver (an HTTP error status, no connection made) while
        no earlier attempt may have: after a timeout or a broken connection the endpoint
        may have taken the alert, and that stays so whatever later attempts get. The URL
        never appears in a log line or an error."""
        self._sending += 1
        try:
            await self._send(alert, {} if event is None else event,
                             time.time() if since is None else since, interrupt, on_attempt)
        finally:
            self._sending -= 1
            if self._retired and not self._sending:
                await self.close()

    async def _send(self, alert: Alert, event: dict[str, Any], started: float,
                    interrupt: asyncio.Event | None,
                    on_attempt: Callable[[bool], Awaitable[None]] | None) -> None:
        last = "no attempt"
        attempt = 0
        maybe_delivered = False

        async def failed_for_sure() -> None:
            if on_attempt is not None and not maybe_delivered:
                await on_attempt(False)

        while True:
            attempt += 1
            await self._pace(interrupt)
            if on_attempt is not None:
                await on_attempt(True)
            try:
                response = await self._attempt(alert, event)
            except (aiohttp.ClientError, TimeoutError) as exc:
                last = type(exc).__name__
                delay = self._backoff(attempt)
                if isinstance(exc, aiohttp.ClientConnectorError):
                    await failed_for_sure()
                else:
                    maybe_delivered = True
            else:
                status = response.status
                if 200 <= status < 300:
                    return
                await failed_for_sure()
                reason = response.body.strip()[:200]
                last = f"HTTP {status} {reason}".strip()
                if 300 <= status < 400:
                    raise DeliveryRejected(
                        f"{self.route} rejected the alert: the endpoint redirected (HTTP "
                        f"{status}); redirects are not followed, update the route's URL")
                if status == 429:
                    retry_after = _retry_after(response.headers)
                    delay = retry_after if retry_after is not None else self._backoff(attempt)
                    if delay > self.max_retry_after:
                        log.warning("%s asked to wait %.0fs (Retry-After); waiting %.0fs",
                                    self.route, delay, self.max_retry_after)
                        delay = self.max_retry_after
                    self._hold(delay)
                elif status >= 500 or status == 408:
                    delay = self._backoff(attempt)
                else:
                    raise DeliveryRejected(f"{self.route} rejected the alert: {last}")
            spent = max(0.0, time.time() - started)
            if spent + delay > self.retry_budget:
                raise DeliveryFailed(
                    f"{self.route} delivery gave up after {attempt} attempts in "
                    f"{spent:.0f}s (retry budget {self.retry_budget:.0f}s): {last}")
            log.info("%s delivery attempt %d failed (%s); retrying in %.1fs",
                     self.route, attempt, last, delay,
                     extra={"route": self.route, "alert_id": alert.alert_id})
            await _wait(delay, interrupt)


class SlackWebhook(RetryingSender):
    """A Slack incoming webhook: a Block Kit message as JSON, a connection per post."""

    route = "slack"
    keep_alive = False

    async def _attempt(self, alert: Alert, event: dict[str, Any]) -> Response:
        return await self._post(orjson.dumps(slack_message(alert)),
                                {"Content-Type": "application/json; charset=utf-8"})


SIGNATURE_HEADER = "X-Mediawatch-Signature"
TIMESTAMP_HEADER = "X-Mediawatch-Timestamp"
IDEMPOTENCY_HEADER = "X-Mediawatch-Alert-Id"


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """``v1=`` + hex HMAC-SHA256 of ``<timestamp>.<body>`` under ``secret``."""
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


#: How far a signed request's timestamp may be from the receiver's clock (seconds).
SIGNATURE_TOLERANCE = 300.0


def verify(secret: bytes, timestamp: str, body: bytes, signature: str, *,
           tolerance: float = SIGNATURE_TOLERANCE, now: float | None = None) -> bool:
    """For webhook receivers: True if ``signature`` (the ``X-Mediawatch-Signature``
    header) signs ``body`` with ``timestamp`` (``X-Mediawatch-Timestamp``) under
    ``secret``, compared in constant time, and the timestamp is within ``tolerance``
    seconds of ``now`` (a replayed old request is refused)."""
    try:
        sent = float(timestamp)
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body).encode(), signature.encode())


class SignedWebhook(RetryingSender):
    """A generic webhook: the alert's CloudEvent as JSON, signed with HMAC-SHA256.

    Headers: ``X-Mediawatch-Timestamp`` (unix seconds), ``X-Mediawatch-Signature``
    (``v1=<hex HMAC-SHA256 of "<timestamp>.<body>">``) and ``X-Mediawatch-Alert-Id``
    (``<alert id>.<version>``, for receivers that de-duplicate).
    """

    route = "webhook"

    def __init__(self, url: str, secret: bytes | None, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self._secret = secret

    async def _attempt(self, alert: Alert, event: dict[str, Any]) -> Response:
        body = orjson.dumps(event, default=json_default)
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/cloudevents+json",
                   TIMESTAMP_HEADER: timestamp,
                   IDEMPOTENCY_HEADER: f"{alert.alert_id}.{alert.version}"}
        if self._secret:
            headers[SIGNATURE_HEADER] = sign(self._secret, timestamp, body)
        return await self._post(body, headers)


def _retry_after(headers: Any, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (RFC 9110: delay-seconds, here also a
    decimal number, or an HTTP-date, from ``now``), None when absent or unreadable. A
    date in the past is 0."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            text = (value if isinstance(value, str) else str(value[0])).strip()
            try:
                return max(0.0, float(text))
            except ValueError:
                return retry_after_seconds(text, now)
    return None
