"""Delivery lanes: one FIFO worker per (route, partition), a bound on what is held.

An item (an alert) goes to one lane per route. A lane delivers its items one at a time
in the order they were submitted, so a story's versions (one story, one partition)
reach each route in order, while the lanes of other routes and other partitions go on
when one waits on a failing endpoint. An item is *done* when every route's lane has
finished with it (delivered, dead-lettered or skipped); then ``done(item)`` runs, which
the worker uses to acknowledge the record so that its offset can be committed.

At most ``max_pending`` items are held: ``submit`` waits for room beyond that, which
stops the worker reading further input while a route is down.

``park()`` is for the moments the worker must let go of what it holds: it stops, or a
rebalance takes partitions away (Faust waits for every record in progress to be
acknowledged before it gives partitions up). Lanes stop after their current attempt
(waits between attempts end at once through ``interrupt``) and ``park`` returns the
items not done, in submission order, for the caller to put back on their topic. While
parked, ``submit`` refuses items (returns False): the caller puts them back too, until
``resume()``.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: ``work(route, item, interrupt)``: True when the route is finished with the item,
#: False when the work was interrupted before an outcome (the item stays held).
Work = Callable[[str, T, asyncio.Event], Awaitable[bool]]


@dataclass(eq=False)
class _Held(Generic[T]):
    item: T
    open_routes: set[str] = field(default_factory=set)


class Lanes(Generic[T]):
    def __init__(self, work: Work[T], done: Callable[[T], Awaitable[None]], *,
                 max_pending: int, drain_timeout: float = 15.0) -> None:
        self._work = work
        self._done = done
        self.max_pending = max_pending
        self.drain_timeout = drain_timeout
        self.interrupt = asyncio.Event()
        self.parked = False
        self._held: dict[int, _Held[T]] = {}  # by submission number: insertion order
        self._numbers = itertools.count()
        self._queues: dict[tuple[str, int], asyncio.Queue[tuple[int, _Held[T]]]] = {}
        self._tasks: dict[tuple[str, int], asyncio.Task[None]] = {}
        self._busy: set[tuple[str, int]] = set()
        self._room = asyncio.Condition()

    def __len__(self) -> int:
        """Items held (submitted, not done)."""
        return len(self._held)

    def lanes(self) -> list[tuple[str, int]]:
        """The (route, partition) lanes running."""
        return sorted(self._tasks)

    async def submit(self, item: T, partition: int, routes: Sequence[str]) -> bool:
        """Hand ``item`` to the lane of each route on ``partition``; False (and nothing
        held) when parked. Waits while ``max_pending`` items are held."""
        async with self._room:
            await self._room.wait_for(
                lambda: self.parked or len(self._held) < self.max_pending)
        if self.parked:
            return False
        held = _Held(item, set(routes))
        if not held.open_routes:
            await self._done(item)
            return True
        number = next(self._numbers)
        self._held[number] = held
        for route in dict.fromkeys(routes):
            self._queue(route, partition).put_nowait((number, held))
        return True

    def _queue(self, route: str, partition: int) -> asyncio.Queue[tuple[int, _Held[T]]]:
        key = (route, partition)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = asyncio.Queue()
            self._tasks[key] = asyncio.ensure_future(self._run(key, queue))
        return queue

    async def _run(self, key: tuple[str, int],
                   queue: asyncio.Queue[tuple[int, _Held[T]]]) -> None:
        route = key[0]
        while not self.interrupt.is_set():
            number, held = await queue.get()
            self._busy.add(key)
            try:
                finished = await self._work(route, held.item, self.interrupt)
            except Exception:  # the work handles its own failures; this is a last resort
                log.exception("delivery lane %s[%d] failed on an item; it is released",
                              route, key[1])
                finished = True
            finally:
                self._busy.discard(key)
            if not finished:
                return
            held.open_routes.discard(route)
            if not held.open_routes:
                del self._held[number]
                async with self._room:
                    self._room.notify_all()
                await asyncio.shield(self._done(held.item))

    async def drained(self) -> None:
        """Wait until every item submitted is done."""
        async with self._room:
            await self._room.wait_for(lambda: not self._held)

    async def park(self) -> list[T]:
        """Stop every lane after its current attempt; return the items not done, in
        submission order, and hold nothing more until ``resume()``."""
        self.parked = True
        self.interrupt.set()
        async with self._room:
            self._room.notify_all()
        tasks = list(self._tasks.items())
        for key, task in tasks:
            if key not in self._busy:
                task.cancel()  # idle: waiting for its next item
        if tasks:
            await asyncio.wait([task for _, task in tasks], timeout=self.drain_timeout)
        for _, task in tasks:
            task.cancel()
        await asyncio.gather(*(task for _, task in tasks), return_exceptions=True)
        left = [held.item for held in self._held.values()]
        self._held.clear()
        self._queues.clear()
        self._tasks.clear()
        self._busy.clear()
        return left

    def resume(self) -> None:
        """Accept items again after ``park()``."""
        if self.parked:
            self.parked = False
            self.interrupt = asyncio.Event()
