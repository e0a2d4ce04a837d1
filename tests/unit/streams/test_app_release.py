"""The stages' release at a rebalance runs on the app's event loop (streams.app.App).

Faust calls ``App.on_rebalance_start`` from its consumer thread, which runs a loop of its
own; a release (alert delivery putting back what waits on a route) awaits tasks of the
app's loop. Started on the thread's loop it failed ("attached to a different loop"), the
held records were never acknowledged, and the worker could not give its partitions up:
the whole consumer group stalled for a rebalance timeout.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from streams.app import App


async def _rebalance_from_another_thread(app: App) -> None:
    """``app.on_rebalance_start()`` as Faust's consumer thread calls it: in a thread of
    its own, inside that thread's running loop."""
    async def in_thread() -> None:
        app.on_rebalance_start()

    thread = threading.Thread(target=asyncio.run, args=(in_thread(),))
    thread.start()
    await asyncio.get_running_loop().run_in_executor(None, thread.join)


async def test_a_release_started_by_the_consumer_thread_runs_on_the_app_loop() -> None:
    app = App("mediawatch-test-release", broker="kafka://127.0.0.1:9")
    app_loop = asyncio.get_running_loop()
    app._app_loop = app_loop  # what App.on_start records
    held = asyncio.ensure_future(asyncio.sleep(0.05))  # a task a stage holds
    ran_on: list[asyncio.AbstractEventLoop] = []
    released = asyncio.Event()

    async def release() -> None:
        ran_on.append(asyncio.get_running_loop())
        await asyncio.gather(held)  # as Lanes.park gathers the lanes' tasks
        released.set()

    app.on_release(release, lambda: None)
    await _rebalance_from_another_thread(app)
    await asyncio.wait_for(released.wait(), timeout=10)
    assert ran_on == [app_loop]
    assert app.rebalancing


class _Seen(logging.Handler):
    """Sets ``seen`` once a record is emitted (from whichever thread)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.seen.set()


async def test_a_failed_release_is_logged() -> None:
    app = App("mediawatch-test-release-error", broker="kafka://127.0.0.1:9")
    app._app_loop = asyncio.get_running_loop()

    async def release() -> None:
        raise RuntimeError("the route's queue is gone")

    app.on_release(release, lambda: None)
    handler = _Seen()
    logger = logging.getLogger("streams.app")
    logger.addHandler(handler)
    try:
        await _rebalance_from_another_thread(app)
        assert await asyncio.get_running_loop().run_in_executor(None, handler.seen.wait, 10)
    finally:
        logger.removeHandler(handler)
    assert "releasing held records at a rebalance failed" in handler.messages[0]
    assert "the route's queue is gone" in handler.messages[0]
