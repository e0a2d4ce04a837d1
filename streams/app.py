"""The one Faust application, built from settings. Agents and tables import ``app``."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Awaitable, Callable

import faust

from streams import codecs as _codecs  # noqa: F401  (registers "orjson")
from streams import faust_patches
from streams.metrics import HEALTH
from streams.settings import Settings

faust_patches.apply()

log = logging.getLogger(__name__)


class NoAgentsError(RuntimeError):
    """The app was started without its agents."""


class App(faust.App):
    """Faust's app with a hook for stages that hold records unacknowledged (alert
    delivery waits on failing routes): Faust waits for every record in progress to be
    acknowledged before it gives partitions up in a rebalance, and before it stops, so
    such a stage must let go of them first (put them back on their topic).

    ``on_release(release, resume)``: ``release()`` runs when a rebalance starts and
    before the consumer stops; ``resume()`` when a rebalance is over. Both run on the
    app's event loop: Faust starts a rebalance from its consumer thread, whose loop is
    another, and a release awaits what the stages' tasks hold on the app's loop.

    ``on_flush(check)``: see there; it keeps a failed send from committing its input.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._releases: list[tuple[Callable[[], Awaitable[None]], Callable[[], None]]] = []
        self._releasing: set[asyncio.Future[None] | concurrent.futures.Future[None]] = set()
        self._app_loop: asyncio.AbstractEventLoop | None = None
        self._flush_checks: list[Callable[[], None]] = []

    def on_flush(self, check: Callable[[], None]) -> None:
        """Run ``check`` after every flush of the producer. Faust flushes the producer
        and then commits the consumed offsets: a check that raises stops that commit
        (the worker stops; the inputs are read again by the next one)."""
        self._flush_checks.append(check)

    def _new_producer(self):  # type: ignore[no-untyped-def]
        producer = super()._new_producer()
        flush = producer.flush

        async def checked_flush() -> None:
            await flush()
            await asyncio.sleep(0)  # the sends' done-callbacks run before the checks
            for check in self._flush_checks:
                check()

        producer.flush = checked_flush  # type: ignore[method-assign]
        return producer

    def on_release(self, release: Callable[[], Awaitable[None]],
                   resume: Callable[[], None]) -> None:
        self._releases.append((release, resume))

    def on_rebalance_start(self) -> None:
        super().on_rebalance_start()
        HEALTH.set(False, "rebalancing")
        for release, _ in self._releases:
            self._start_release(release)

    def _start_release(self, release: Callable[[], Awaitable[None]]) -> None:
        """Run ``release()`` on the app's loop, from whichever thread calls: Faust calls
        ``on_rebalance_start`` in its consumer thread."""
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        app_loop = self._app_loop
        future: asyncio.Future[None] | concurrent.futures.Future[None]
        if app_loop is None or app_loop is running:
            future = asyncio.ensure_future(release(), loop=app_loop)
        else:
            future = asyncio.run_coroutine_threadsafe(_awaited(release), app_loop)
        self._releasing.add(future)
        future.add_done_callback(self._released)

    def _released(self, future: asyncio.Future[None] | concurrent.futures.Future[None]) -> None:
        self._releasing.discard(future)
        if not future.cancelled() and (exc := future.exception()) is not None:
            log.error("releasing held records at a rebalance failed: %r", exc,
                      exc_info=exc)

    async def on_start(self) -> None:
        self._app_loop = asyncio.get_running_loop()
        await super().on_start()

    def on_rebalance_end(self) -> None:
        super().on_rebalance_end()
        HEALTH.set(True, "partitions assigned, tables recovered")
        for _, resume in self._releases:
            resume()

    async def on_first_start(self) -> None:
        if not self.agents:  # e.g. `faust -A streams.app worker`: it would do nothing
            raise NoAgentsError(
                "the mediawatch app has no agents: start the worker with "
                "`mediawatch worker`, which registers them, creates the topics and serves "
                "the metrics")
        await super().on_first_start()

    async def on_stop(self) -> None:
        HEALTH.set(False, "stopping")
        if self._releases and self._consumer is not None:
            # What is fetched from now on stays unread (Faust does the same next); what
            # the stages hold is let go.
            self._consumer.stop_flow()
            self.flow_control.suspend()
            self.flow_control.clear()
        for release, _ in self._releases:
            await release()
        await super().on_stop()


async def _awaited(release: Callable[[], Awaitable[None]]) -> None:
    await release()


def create_app(settings: Settings) -> App:
    """Build the Faust app for ``settings`` (agents register themselves on import)."""
    app = App(
        settings.app_id,
        broker=settings.faust_brokers,
        broker_credentials=settings.faust_credentials(),
        store="memory://",
        autodiscover=False,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_linger=0.02,
        producer_max_batch_size=1_048_576,  # Faust's 16 KB holds four articles
        web_enabled=False,
        worker_redirect_stdouts=False,
        table_cleanup_interval=60.0,
        broker_commit_interval=settings.commit_interval_seconds,
        broker_session_timeout=settings.session_timeout_seconds,
        datadir=str(settings.data_dir / "worker" / settings.app_id),
        value_serializer="raw",
        key_serializer="raw",
        logging_config=None,
    )
    return app


settings = Settings.from_env()
app = create_app(settings)
