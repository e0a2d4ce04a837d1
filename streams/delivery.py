"""Alert delivery: the console line and Slack incoming webhooks (Block Kit).

Retry policy of a webhook: 429 → wait Retry-After, then again; 5xx, timeouts and
connection errors → exponential backoff with full jitter, up to ``max_attempts``;
other 4xx (invalid_payload, no_service, a revoked webhook) → ``DeliveryRejected``
at once. At most one message per ``min_interval`` seconds per webhook. The webhook
URL is a secret: it is never logged nor put in an error message.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any

import aiohttp
from babel import Locale
from slack_sdk.webhook.async_client import AsyncWebhookClient

from streams.errors import DeliveryFailed, DeliveryRejected
from streams.records import Alert

log = logging.getLogger(__name__)
logging.getLogger("slack_sdk").setLevel(logging.INFO)  # its DEBUG lines carry the URL

_ENGLISH = Locale("en")


def country_name(code: str) -> str:
    return str(_ENGLISH.territories.get(code, code))


def _event_label(alert: Alert) -> str:
    if alert.event_type == "bilateral_meeting":
        return f"bilateral meeting ({alert.modality})" if alert.modality else "bilateral meeting"
    return f"sanctions rhetoric ({alert.stance or 'mention'})"


def console_line(alert: Alert) -> str:
    """One readable line: rule, event, parties, source, title."""
    parties = "-".join(alert.parties) if alert.parties else "-"
    title = " ".join(alert.title.split())
    return (f"ALERT [{alert.rule}] {_event_label(alert)} parties={parties} "
            f"lang={alert.lang} source={alert.source!r} title={title!r}")


def slack_message(alert: Alert) -> dict[str, Any]:
    """A Block Kit message for ``alert``."""
    parties = " – ".join(f"{country_name(c)} ({c})" for c in alert.parties or [])
    fields = [f"*Event*\n{_event_label(alert)}", f"*Rule*\n{alert.rule} ({alert.severity})"]
    if parties:
        fields.append(f"*Parties*\n{parties}")
    if alert.stance:
        fields.append(f"*Sanctions stance*\n{alert.stance}")
    if alert.regions:
        fields.append(f"*Regions*\n{', '.join(alert.regions[:8])}")
    sources = f"<{alert.url}|{alert.source}>"
    if alert.source_count > 1:
        sources += f" +{alert.source_count - 1} sources"
    headline = alert.title[:150] or "(untitled)"
    return {
        "text": f"{_event_label(alert)}: {headline}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": headline}},
            {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
            {"type": "section", "text": {"type": "mrkdwn", "text": f"> {alert.evidence[:2800]}"}},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": f"{sources} · {alert.lang} · alert {alert.alert_id}"
                 f" v{alert.version}"}]},
        ],
    }


class SlackWebhook:
    """One Slack incoming webhook with the retry policy of this module."""

    def __init__(self, url: str, *, timeout: float = 10.0, max_attempts: int = 6,
                 base_delay: float = 0.5, max_delay: float = 30.0,
                 min_interval: float = 1.0) -> None:
        self._url = url
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.min_interval = min_interval
        self._next_slot = 0.0
        self._client: AsyncWebhookClient | None = None

    def __repr__(self) -> str:
        return "SlackWebhook(<secret url>)"

    def _get_client(self) -> AsyncWebhookClient:
        if self._client is None:
            self._client = AsyncWebhookClient(self._url, timeout=int(max(1, self.timeout)),
                                              retry_handlers=[])
        return self._client

    async def _pace(self) -> None:
        now = time.monotonic()
        if now < self._next_slot:
            await asyncio.sleep(self._next_slot - now)
        self._next_slot = time.monotonic() + self.min_interval

    def _backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))

    async def send(self, alert: Alert) -> None:
        """Deliver ``alert`` or raise DeliveryRejected / DeliveryFailed."""
        await self.post(slack_message(alert))

    async def post(self, body: dict[str, Any]) -> None:
        client = self._get_client()
        last = "no attempt"
        for attempt in range(1, self.max_attempts + 1):
            await self._pace()
            try:
                response = await client.send_dict(body)
            except (aiohttp.ClientError, TimeoutError) as exc:
                last = f"{type(exc).__name__}"
                delay = self._backoff(attempt)
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return
                reason = (response.body or "").strip()[:200]
                if status == 429:
                    retry_after = _retry_after(response.headers)
                    last = f"HTTP 429 {reason}".strip()
                    delay = retry_after if retry_after is not None else self._backoff(attempt)
                elif status >= 500:
                    last = f"HTTP {status} {reason}".strip()
                    delay = self._backoff(attempt)
                else:
                    raise DeliveryRejected(f"Slack rejected the alert: HTTP {status} {reason}")
            if attempt < self.max_attempts:
                log.info("slack delivery attempt %d failed (%s); retrying in %.1fs",
                         attempt, last, delay)
                await asyncio.sleep(delay)
        raise DeliveryFailed(f"Slack delivery gave up after {self.max_attempts} attempts: {last}")


def _retry_after(headers: Any) -> float | None:
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            try:
                return max(0.0, float(value if isinstance(value, str) else value[0]))
            except (TypeError, ValueError, IndexError):
                return None
    return None
